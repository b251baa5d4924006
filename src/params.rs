//! Structural parameters: every constant of the model, with its source or rationale.
//!
//! Levers are what a user moves; parameters are the assumptions behind the model.
//! Indices `[p, s, t]` are tiers: primary, secondary, tertiary. Episode kinds are
//! `[minor, moderate, severe, chronic]`. Money is in yuan. Tags in the comments refer to
//! `docs/MODEL.md` and the evidence summary: \[S\] official statistic, \[P\] peer-reviewed
//! estimate, \[C\] calibrated to the brief's baseline table, \[A\] assumption.

mod keyed;

pub use keyed::{PARAMETERS, ParamSpec, param_spec};

/// All structural parameters. `Default` is the calibrated set.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    // ---- Region and capacity ----------------------------------------------------------
    /// Residents per facility of each tier (10,000-12,000 per community/township centre;
    /// 2-3 district hospitals and 1-2 city hospitals per 100,000) \[A\].
    pub residents_per_facility: [f64; 3],
    /// Region side in km at 100,000 residents; it grows with the square root of population
    /// so that density stays constant \[A\].
    pub side_km: f64,
    /// Radius of the urban core as a share of the side \[A\].
    pub urban_radius: f64,
    /// Beds per 1,000 residents by tier (China 6.9 in all, 2022 \[S\]; this region has fewer
    /// long-stay and specialty beds) [C: occupancy targets].
    pub beds_per_1000: [f64; 3],
    /// Doctors per 1,000 residents by tier [C: visits per doctor per day, 2.6].
    pub doctors_per_1000: [f64; 3],
    /// Outpatient visits a doctor can see in a working day before a queue builds \[A\].
    pub visits_per_doctor_day: [f64; 3],
    /// How far doctors stretch their working day under load: clinics see up to this many
    /// times their comfortable capacity before patients have to come back another day \[A\].
    pub max_stretch: f64,
    /// Outpatient wait in days per unit of rho / (1 - rho), rho the clinic's utilisation \[C\].
    pub wait_scale: f64,
    /// Working days per year, used for workload per doctor-day (China: 251) \[S\].
    pub working_days: f64,

    // ---- Illness ---------------------------------------------------------------------
    /// Episodes per resident per year for minor, moderate and severe illness; with the
    /// chronic visits and follow-ups they give about 6.5-7 visits and 0.15-0.2 admissions
    /// per resident per year (brief; 2022 hospitalisation rate 17.5% \[S\]) \[C\].
    pub incidence: [f64; 3],
    /// Share of residents with a chronic condition managed by routine visits (hypertension,
    /// diabetes) \[A, CHNS/NHSS orders of magnitude\].
    pub chronic_prevalence: f64,
    /// Routine visits per chronic resident per year \[A\].
    pub chronic_visits_per_year: f64,
    /// Probability that a routine chronic visit at a hospital is a review at which the
    /// doctor may refer the patient down (about one review a year) \[A\].
    pub chronic_review_share: f64,
    /// Probability that a chronic routine visit at primary care reveals a complication
    /// that needs a specialist (upward referral) [C: referral ratio].
    pub chronic_complication: f64,
    /// Follow-up visits per minor and moderate episode at neutral inducement \[C\].
    pub follow_ups: [f64; 2],
    /// Probability that a moderate episode needs admission at neutral inducement \[C\].
    pub moderate_admission: f64,
    /// Capability a primary centre needs to admit every moderate case \[A\].
    pub moderate_need: f64,
    /// Share of moderate admissions beyond a centre per unit of capability gap; without a
    /// formal referral those patients go to hospital on their own [C: admission shares].
    pub beyond_slope: f64,
    /// Probability that a severe episode needs admission \[C\].
    pub severe_admission: f64,
    /// Share of severe admissions with a recovery (post-acute) phase, the phase that a
    /// downward referral is for \[A\].
    pub recovery_share: f64,
    /// Acute length of stay (days) of moderate admissions by tier (2.4 \[S\]) \[C\].
    pub los_moderate: [f64; 3],
    /// Acute length of stay (days) of severe admissions by tier \[C\].
    pub los_severe: [f64; 3],
    /// Recovery-phase days in hospital, or in a primary rehabilitation bed after a
    /// downward referral \[A\].
    pub recovery_days: f64,
    /// Coefficient of variation of lengths of stay \[A\].
    pub los_cv: f64,

    // ---- Prices and costs ---------------------------------------------------------------
    /// Outpatient price per visit by tier (CHC 142-166, THC 77-85, secondary 202-222,
    /// tertiary 318-359 yuan, 2018-2022 \[S\]) .
    pub price_visit: [f64; 3],
    /// Price per bed-day by tier, so that a typical stay costs about 3,100 / 6,400 /
    /// 13,500 yuan (2.5 \[S\]).
    pub price_bed_day: [f64; 3],
    /// Fixed price per admission by tier \[S, same source\].
    pub price_admission: [f64; 3],
    /// Price of a repeated test (laboratory plus imaging panel) \[A\].
    pub price_test: f64,
    /// Variable cost as a share of price (drugs, consumables, tests' reagents) by tier: a
    /// tertiary hospital's care uses costlier inputs per yuan of its regulated price, a
    /// primary centre's less (its price is mostly the staff and the bed, a fixed cost) \[A\].
    pub variable_cost_share: [f64; 3],
    /// Fixed cost per doctor per calendar day by tier (salary and overheads) [C: margins].
    pub cost_per_doctor_day: [f64; 3],
    /// Fixed cost per bed per calendar day by tier [C: margins].
    pub cost_per_bed_day: [f64; 3],
    /// Government subsidy to primary centres per resident per year (public health
    /// service funds) \[A\].
    pub primary_subsidy_per_capita: f64,
    /// Insurance contributions per resident per year [C: balance ratio 1.0-1.3].
    pub premium_per_capita: f64,
    /// Reimbursement cut for bypassing primary care under soft gatekeeping \[A\].
    pub soft_gatekeeping_cut: f64,

    // ---- Patient demand and choice (two-part demand; multinomial logit; 2.1 D1-D4) ------
    /// Exponent of expected out-of-pocket cost in the decision to seek care at all:
    /// `P(seek) = 1 / (1 + (cost / (income x afford))^exponent)`, so the price elasticity of
    /// seeking care is `-exponent x (1 - P(seek))`: about -0.5 where a quarter of episodes go
    /// without care, as estimated for first outpatient visits in China (-0.52, Health Policy
    /// 2011;103:255, NHSS 2003/2008), and least where few go without (severe cases) \[P\].
    pub seek_exponent: f64,
    /// Expected out-of-pocket cost (yuan) at which half of a middle-income resident's
    /// episodes of each kind go without care [C: forgone care by kind].
    pub afford: [f64; 4],
    /// Alternative-specific constants by kind and tier (primary is 0) [C: visit shares].
    pub asc: [[f64; 3]; 4],
    /// Weight on perceived quality (trust, 0..1) by kind; rises with severity (D3) [P/C].
    pub beta_quality: [f64; 4],
    /// Weight on out-of-pocket cost per 100 yuan of expected payment, for a resident of
    /// middle income; falls with severity (D2: -0.168 per 100 yuan) \[P\].
    pub beta_cost: [f64; 4],
    /// Weight on distance per km by kind; falls with severity (D3, D4) \[P\].
    pub beta_distance: [f64; 4],
    /// Weight on expected waiting per day (D1: a 3-day wait -0.21 against none) \[P\].
    pub beta_wait: [f64; 4],
    /// Utility of the contracted family doctor's centre: a usual source of care one knows
    /// (OR 0.58 for self-referral, Feng et al. 2017; "knowing the doctor", D6) \[P\].
    pub beta_family_doctor: f64,
    /// Utility of a chronic patient's usual facility (continuity of care) \[A\].
    pub beta_continuity: f64,
    /// Utility of holding a referral to a facility (green channel) \[A\].
    pub beta_referral: f64,
    /// Income multipliers of the three income classes and their shares \[A\].
    pub income_levels: [f64; 3],
    /// Share of residents in the low and middle income classes (urban residents shift up) \[A\].
    pub income_shares: [f64; 2],

    // ---- Trust and information -------------------------------------------------------
    /// Mean initial trust by tier, rural residents (urban residents trust primary care less:
    /// 2.9 of the evidence) [P/C: 0.55-0.68].
    pub trust_initial: [f64; 3],
    /// Lower initial trust in primary care of urban residents \[P\].
    pub urban_trust_gap: f64,
    /// Weight of one's own good outcome in the trust update \[A\].
    pub trust_learning: f64,
    /// How much more a bad outcome moves trust than a good one (negativity bias; loss
    /// aversion of patients, G1) \[A\].
    pub negativity: f64,
    /// Weight of a neighbour's outcome (word of mouth), relative to one's own \[A\].
    pub word_of_mouth: f64,
    /// Probability of a good outcome by tier at base capability [C: trust targets].
    pub satisfaction: [f64; 3],
    /// Share of residents reached each month by a campaign of full intensity \[A\].
    pub campaign_reach: f64,
    /// Share of residents who know the tiered-care policy (that lower tiers are reimbursed
    /// more, what a referral is for) at the start: 27-55% in the surveys of evidence 2.9 \[P\].
    pub informed_initial: f64,
    /// Share of informed residents who forget or move away each month (so information needs
    /// renewing) \[A\].
    pub informed_loss: f64,
    /// Probability that a chronic patient's usual drug is not stocked at a primary centre
    /// without a unified drug list (drug variety pushes patients upward: Liu et al. 2018) \[A\].
    pub drug_gap: f64,

    // ---- Capability ------------------------------------------------------------------
    /// Initial capability of primary centres (0..1) \[A\].
    pub primary_capability: f64,
    /// Capability of secondary hospitals: the share of severe cases they can treat \[A\].
    pub secondary_capability: f64,
    /// Capability gained at saturation from investment (the commission's and a centre's own) \[A\].
    pub investment_max_gain: f64,
    /// Investment (yuan per resident per year) at which primary capability equals
    /// `primary_capability`: the status quo's level \[A\].
    pub investment_reference: f64,
    /// Investment (yuan per resident per year) that gives half the maximum gain \[A\].
    pub investment_half: f64,
    /// Months for capability to close the gap to its target (training takes time) \[A\].
    pub capability_months: f64,
    /// Capability a centre gains, at most, from practice: inpatient days per doctor-day
    /// above the reference (learning by doing) \[A\].
    pub volume_gain: f64,
    /// Share of its operating revenue a primary centre spends on training and equipment
    /// when it chooses to invest \[A\].
    pub own_investment_share: f64,

    // ---- Doctors ---------------------------------------------------------------------
    /// Share of `cost_per_doctor_day` that is the doctor's salary (the rest is overhead) \[A\].
    pub doctor_salary_share: f64,
    /// Share of the net revenue (revenue less drugs and consumables) of the services a doctor
    /// provides or decides that is paid to them as a bonus, where pay is revenue-linked \[A\].
    pub doctor_bonus_share: f64,
    /// Pay per downward referral under the consortium's appraisal-linked pay (close
    /// integration), from the doctor's facility \[A\].
    pub consortium_referral_pay: f64,
    /// Pay per downward referral a fully cooperating hospital gives its doctor (internal
    /// appraisal; a hospital at cooperation c pays c times it) \[A\].
    pub internal_referral_pay: f64,
    /// Pay per outpatient visit and per inpatient day cared for under appraisal-linked pay,
    /// yuan (a workload point system in place of the revenue bonus) \[A\].
    pub workload_pay: [f64; 2],
    /// Yuan-equivalent effort of caring for one inpatient for a day, at comfortable load;
    /// it grows with the doctor's overload \[A\].
    pub care_effort: f64,
    /// How steeply effort grows with overload (per unit of load over comfortable capacity) \[A\].
    pub workload_weight: f64,
    /// Scale (yuan) of attraction differences in the doctors' logit choice [A/C].
    pub doctor_payoff_scale: f64,
    /// Step of a doctor's attraction toward each realised payoff of an outcome \[A\].
    pub doctor_learning: f64,
    /// Step of a colleague's attraction toward the same payoff (doctors of a facility hear
    /// what their colleagues' referrals brought them) \[A\].
    pub peer_learning: f64,
    /// Logit bias of doctors against proposing a downward referral [C: 20.8% willing, 2.8].
    pub down_bias: f64,
    /// Logit bias for referring a moderate case up instead of admitting it \[C\].
    pub up_bias: f64,
    /// Probability of an adverse event per unit of capability gap when a case is treated
    /// beyond the facility's capability \[A\].
    pub adverse_rate: f64,
    /// Capability a primary centre needs to take over a recovering severe patient without
    /// risk \[A\].
    pub rehab_need: f64,
    /// Yuan docked from the doctor's pay after an adverse event \[A\].
    pub adverse_penalty: f64,
    /// Yuan the facility pays the patient after an adverse event \[A\].
    pub adverse_compensation: f64,

    // ---- Facilities ------------------------------------------------------------------
    /// Whether facilities and doctors learn: 1 on; 0 every facility's strategy and every
    /// doctor's propensities stay at their starting values (to test that levers act through
    /// learning) [model switch].
    pub provider_learning: f64,
    /// Cooperation levels a facility can choose from (0 none to 1 full) \[A\].
    pub cooperation_levels: u32,
    /// Mean cooperation of facilities at the start; each starts at a level near it \[A\].
    pub cooperation_initial: f64,
    /// Cost of full cooperation as a share of a facility's running cost: referral office,
    /// coordination, rehabilitation readiness \[A\].
    pub cooperation_cost: f64,
    /// Extra cost of full cooperation at full `info_sharing`, as a share of running cost:
    /// interoperable records (investment cost hinders sharing, G6, G7) \[A\].
    pub records_cost: f64,
    /// Months at the start of a run (which begins with empty beds) before facilities learn
    /// from their books \[A, model\].
    pub warm_up_months: u32,
    /// Weight of the latest month in a facility's smoothed margin \[A\].
    pub strategy_learning: f64,
    /// Sensitivity of the decision to keep a piloted change to how much the trial's margin
    /// beat the margin before it (logit, per unit of margin) \[A\].
    pub strategy_sensitivity: f64,
    /// Probability that a facility with a non-negative margin reviews its strategy in a
    /// given month (one losing money reviews every month) \[A\].
    pub strategy_review: f64,
    /// Months a facility pilots a change before judging it \[A\].
    pub trial_months: u32,
    /// The margin a piloted change must gain to be as likely kept as dropped: what changing
    /// course costs a facility (organisational inertia) \[A\].
    pub change_cost: f64,
    /// Probability that a review copies a same-tier peer instead of piloting a change \[A\].
    pub imitation_share: f64,
    /// Intensity of selection in the Fermi imitation rule (per unit of margin) \[A\].
    pub imitation_intensity: f64,
    /// Relative change of length of stay, follow-ups and admissions at full inducement \[A\].
    pub inducement_effect: [f64; 3],
    /// Probability that a receiving facility repeats tests without shared records \[A\].
    pub duplicate_test: f64,
    /// Probability that a patient accepts an upward referral \[A\].
    pub accept_up: f64,
    /// Logit intercept of accepting a downward referral (37.6% of Shanghai tertiary
    /// patients willing, 2.8) [P/C].
    pub accept_down_intercept: f64,
    /// Weight of the trust difference (primary minus the sending tier) in accepting a
    /// downward referral \[A\].
    pub accept_down_trust: f64,

    // ---- Consortium, insurer and commission ------------------------------------------
    /// Share of each member's monthly result pooled in the consortium's pot: loose,
    /// semi-close, close ("one pot") \[A\].
    pub pool_share: [f64; 3],
    /// Share of a positive pot shared out by tiered-care points (referrals made and received,
    /// specialist days sent and hosted); the rest, and any deficit, by running costs \[A\].
    pub settlement_performance: f64,
    /// Settlement points per specialist-day sent to or hosted in a primary centre \[A\].
    pub outreach_points: f64,
    /// Settlement points per formal upward referral made or received (a downward one counts
    /// one) \[A\].
    pub upward_points: f64,
    /// Largest yearly growth of a budget or capitation rate (总额增长率) \[A\].
    pub budget_growth_cap: f64,
    /// Share of an unspent monthly budget a provider keeps (1 结余留用; 0 clawed back) \[A\].
    pub budget_surplus_kept: f64,
    /// Stipend the commission pays the sending hospital per specialist-day spent in primary
    /// centres \[A\].
    pub outreach_stipend: f64,
    /// Fee per contracted resident per year paid to the home centre for family-doctor
    /// services (签约服务费, about 120 yuan) [P/A].
    pub family_doctor_fee: f64,
    /// Cost of a campaign of full intensity, yuan per resident per year \[A\].
    pub campaign_cost: f64,
    /// Share of a facility's monthly operating revenue at stake under full KPI appraisal \[A\].
    pub kpi_stake: f64,
    /// Appraisal target for hospitals: share of recovery-phase inpatients transferred down \[A\].
    pub kpi_target_down: f64,
    /// Appraisal target for primary centres: share of the catchment's first contacts made at
    /// primary care (national target 65%, evidence 2.1) \[S\].
    pub kpi_target_primary: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            residents_per_facility: [11_000.0, 40_000.0, 60_000.0],
            side_km: 40.0,
            urban_radius: 0.15,
            beds_per_1000: [0.95, 2.15, 2.15],
            doctors_per_1000: [1.05, 0.6, 0.7],
            visits_per_doctor_day: [16.0, 12.0, 7.5],
            max_stretch: 1.5,
            wait_scale: 0.3,
            working_days: 251.0,

            incidence: [3.52, 0.97, 0.086],
            chronic_prevalence: 0.22,
            chronic_visits_per_year: 8.7,
            chronic_review_share: 0.125,
            chronic_complication: 0.002,
            follow_ups: [0.2, 0.8],
            moderate_admission: 0.11,
            moderate_need: 0.8,
            beyond_slope: 1.5,
            severe_admission: 0.85,
            recovery_share: 0.5,
            los_moderate: [6.0, 7.0, 8.0],
            los_severe: [7.0, 8.0, 9.0],
            recovery_days: 6.0,
            los_cv: 0.5,

            price_visit: [140.0, 220.0, 330.0],
            price_bed_day: [450.0, 750.0, 1250.0],
            price_admission: [400.0, 900.0, 1800.0],
            price_test: 160.0,
            variable_cost_share: [0.45, 0.55, 0.65],
            cost_per_doctor_day: [780.0, 850.0, 1100.0],
            cost_per_bed_day: [150.0, 150.0, 230.0],
            primary_subsidy_per_capita: 40.0,
            premium_per_capita: 2_300.0,
            soft_gatekeeping_cut: 0.15,

            seek_exponent: 2.0,
            afford: [80.0, 450.0, 13_800.0, 125.0],
            asc: [[0.0, -0.85, -1.05], [0.0, -0.3, -1.5], [0.0, 1.7, 1.3], [0.0, -0.75, -0.95]],
            beta_quality: [2.0, 3.5, 6.0, 2.5],
            beta_cost: [0.17, 0.08, 0.02, 0.17],
            beta_distance: [0.06, 0.04, 0.01, 0.05],
            beta_wait: [0.22, 0.20, 0.08, 0.20],
            beta_family_doctor: 0.55,
            beta_continuity: 1.0,
            beta_referral: 1.0,
            income_levels: [0.6, 1.0, 1.8],
            income_shares: [0.3, 0.45],

            trust_initial: [0.62, 0.70, 0.82],
            urban_trust_gap: 0.06,
            trust_learning: 0.10,
            negativity: 1.5,
            word_of_mouth: 0.5,
            satisfaction: [0.45, 0.80, 0.90],
            campaign_reach: 0.05,
            informed_initial: 0.4,
            informed_loss: 0.015,
            drug_gap: 0.15,

            primary_capability: 0.5,
            secondary_capability: 0.7,
            investment_max_gain: 0.35,
            investment_reference: 20.0,
            investment_half: 60.0,
            capability_months: 24.0,
            volume_gain: 0.05,
            own_investment_share: 0.03,

            doctor_salary_share: 0.6,
            doctor_bonus_share: 0.1,
            consortium_referral_pay: 100.0,
            internal_referral_pay: 200.0,
            workload_pay: [8.0, 30.0],
            care_effort: 20.0,
            workload_weight: 2.0,
            doctor_payoff_scale: 200.0,
            doctor_learning: 0.1,
            peer_learning: 0.01,
            down_bias: -2.2,
            up_bias: -2.5,
            adverse_rate: 0.1,
            rehab_need: 0.6,
            adverse_penalty: 2_000.0,
            adverse_compensation: 5_000.0,

            provider_learning: 1.0,
            cooperation_levels: 5,
            cooperation_initial: 0.3,
            cooperation_cost: 0.06,
            records_cost: 0.02,
            warm_up_months: 6,
            strategy_learning: 0.2,
            strategy_sensitivity: 500.0,
            strategy_review: 1.0,
            trial_months: 4,
            change_cost: 0.002,
            imitation_share: 0.2,
            imitation_intensity: 100.0,
            inducement_effect: [0.12, 0.4, 0.2],
            duplicate_test: 0.5,
            accept_up: 0.95,
            accept_down_intercept: -0.5,
            accept_down_trust: 3.0,

            pool_share: [0.0, 0.5, 1.0],
            settlement_performance: 0.5,
            outreach_points: 0.5,
            upward_points: 0.25,
            budget_growth_cap: 0.0,
            budget_surplus_kept: 1.0,
            outreach_stipend: 600.0,
            family_doctor_fee: 120.0,
            campaign_cost: 2.0,
            kpi_stake: 0.03,
            kpi_target_down: 0.1,
            kpi_target_primary: 0.65,
        }
    }
}

/// Episode kinds, used as indices into the per-kind parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// A minor acute illness: outpatient care only.
    Minor = 0,
    /// A moderate illness that sometimes needs admission.
    Moderate = 1,
    /// A severe illness that usually needs admission and may have a recovery phase.
    Severe = 2,
    /// A routine visit of a chronic patient.
    Chronic = 3,
}
