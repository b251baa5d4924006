//! Structural parameters: every constant of the model, with its source or rationale.
//!
//! Levers are what a user moves; parameters are the assumptions behind the model.
//! Indices `[p, s, t]` are tiers: primary, secondary, tertiary. Episode kinds are
//! `[minor, moderate, severe, chronic]`. Money is in yuan. Tags in the comments refer to
//! `docs/MODEL.md` and the evidence summary: [S] official statistic, [P] peer-reviewed
//! estimate, [C] calibrated to the brief's baseline table, [A] assumption.

/// All structural parameters. `Default` is the calibrated set.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    // ---- Region and capacity ----------------------------------------------------------
    /// Residents per facility of each tier (10,000-12,000 per community/township centre;
    /// 2-3 district hospitals and 1-2 city hospitals per 100,000) [A].
    pub residents_per_facility: [f64; 3],
    /// Region side in km at 100,000 residents; it grows with the square root of population
    /// so that density stays constant [A].
    pub side_km: f64,
    /// Radius of the urban core as a share of the side [A].
    pub urban_radius: f64,
    /// Beds per 1,000 residents by tier (China 6.9 in all, 2022 [S]; this region has fewer
    /// long-stay and specialty beds) [C: occupancy targets].
    pub beds_per_1000: [f64; 3],
    /// Doctors per 1,000 residents by tier [C: visits per doctor per day, 2.6].
    pub doctors_per_1000: [f64; 3],
    /// Outpatient visits a doctor can see in a working day before a queue builds [A].
    pub visits_per_doctor_day: [f64; 3],
    /// How far doctors stretch their working day under load: clinics see up to this many
    /// times their comfortable capacity before patients have to come back another day [A].
    pub max_stretch: f64,
    /// Outpatient wait in days per unit of rho / (1 - rho), rho the clinic's utilisation [C].
    pub wait_scale: f64,
    /// Working days per year, used for workload per doctor-day (China: 251) [S].
    pub working_days: f64,

    // ---- Illness ---------------------------------------------------------------------
    /// Episodes per resident per year for minor, moderate and severe illness; with the
    /// chronic visits and follow-ups they give about 6.5-7 visits and 0.15-0.2 admissions
    /// per resident per year (brief; 2022 hospitalisation rate 17.5% [S]) [C].
    pub incidence: [f64; 3],
    /// Share of residents with a chronic condition managed by routine visits (hypertension,
    /// diabetes) [A, CHNS/NHSS orders of magnitude].
    pub chronic_prevalence: f64,
    /// Routine visits per chronic resident per year [A].
    pub chronic_visits_per_year: f64,
    /// Probability that a routine chronic visit at a hospital is a review at which the
    /// doctor may refer the patient down (about one review a year) [A].
    pub chronic_review_share: f64,
    /// Probability that a chronic routine visit at primary care reveals a complication
    /// that needs a specialist (upward referral) [C: referral ratio].
    pub chronic_complication: f64,
    /// Follow-up visits per minor and moderate episode at neutral inducement [C].
    pub follow_ups: [f64; 2],
    /// Probability that a moderate episode needs admission at neutral inducement [C].
    pub moderate_admission: f64,
    /// Capability a primary centre needs to admit every moderate case [A].
    pub moderate_need: f64,
    /// Share of moderate admissions beyond a centre per unit of capability gap; without a
    /// formal referral those patients go to hospital on their own [C: admission shares].
    pub beyond_slope: f64,
    /// Probability that a severe episode needs admission [C].
    pub severe_admission: f64,
    /// Share of severe admissions with a recovery (post-acute) phase, the phase that a
    /// downward referral is for [A].
    pub recovery_share: f64,
    /// Acute length of stay (days) of moderate admissions by tier (2.4 [S]) [C].
    pub los_moderate: [f64; 3],
    /// Acute length of stay (days) of severe admissions by tier [C].
    pub los_severe: [f64; 3],
    /// Recovery-phase days in hospital, or in a primary rehabilitation bed after a
    /// downward referral [A].
    pub recovery_days: f64,
    /// Coefficient of variation of lengths of stay [A].
    pub los_cv: f64,

    // ---- Prices and costs ---------------------------------------------------------------
    /// Outpatient price per visit by tier (CHC 142-166, THC 77-85, secondary 202-222,
    /// tertiary 318-359 yuan, 2018-2022 [S]) .
    pub price_visit: [f64; 3],
    /// Price per bed-day by tier, so that a typical stay costs about 3,100 / 6,400 /
    /// 13,500 yuan (2.5 [S]).
    pub price_bed_day: [f64; 3],
    /// Fixed price per admission by tier [S, same source].
    pub price_admission: [f64; 3],
    /// Price of a repeated test (laboratory plus imaging panel) [A].
    pub price_test: f64,
    /// Variable cost as a share of price (drugs, consumables) [A].
    pub variable_cost_share: f64,
    /// Fixed cost per doctor per calendar day by tier (salary and overheads) [C: margins].
    pub cost_per_doctor_day: [f64; 3],
    /// Fixed cost per bed per calendar day by tier [C: margins].
    pub cost_per_bed_day: [f64; 3],
    /// Government subsidy to primary centres per resident per year (public health
    /// service funds) [A].
    pub primary_subsidy_per_capita: f64,
    /// Insurance contributions per resident per year [C: balance ratio 1.0-1.3].
    pub premium_per_capita: f64,
    /// Reimbursement cut for bypassing primary care under soft gatekeeping [A].
    pub soft_gatekeeping_cut: f64,

    // ---- Patient choice (multinomial logit; 2.1 D1-D4 of the evidence) -----------------
    /// Alternative-specific constants by kind and tier (primary is 0) [C: visit shares].
    pub asc: [[f64; 3]; 4],
    /// Utility of the outside option (self-care or going without) by kind [C: unmet need].
    pub outside_utility: [f64; 4],
    /// Weight on perceived quality (trust, 0..1) by kind; rises with severity (D3) [P/C].
    pub beta_quality: [f64; 4],
    /// Weight on out-of-pocket cost per 100 yuan of expected payment, for a resident of
    /// middle income; falls with severity (D2: -0.168 per 100 yuan) [P].
    pub beta_cost: [f64; 4],
    /// Weight on distance per km by kind; falls with severity (D3, D4) [P].
    pub beta_distance: [f64; 4],
    /// Weight on expected waiting per day (D1: a 3-day wait -0.21 against none) [P].
    pub beta_wait: [f64; 4],
    /// Utility of the contracted family doctor's centre (OR 0.58 for self-referral) [P].
    pub beta_family_doctor: f64,
    /// Utility of a chronic patient's usual facility (continuity of care) [A].
    pub beta_continuity: f64,
    /// Utility of holding a referral to a facility (green channel) [A].
    pub beta_referral: f64,
    /// Utility at primary care per unit of awareness campaign (policy recognition predicts
    /// willingness to visit primary care first, Front Public Health 2022) [A].
    pub beta_awareness: f64,
    /// Utility of primary care per unit of effective specialist outreach [A].
    pub beta_outreach: f64,
    /// Utility of primary care for chronic patients when primary centres stock the same
    /// drugs as hospitals (and the penalty when they do not) [A].
    pub beta_drug_list: f64,
    /// Hassle of a hospital visit without referral under strict gatekeeping [A].
    pub strict_hassle: f64,
    /// Income multipliers of the three income classes and their shares [A].
    pub income_levels: [f64; 3],
    /// Share of residents in the low and middle income classes (urban residents shift up) [A].
    pub income_shares: [f64; 2],

    // ---- Trust -----------------------------------------------------------------------
    /// Mean initial trust by tier, rural residents (urban residents trust primary care less:
    /// 2.9 of the evidence) [P/C: 0.55-0.68].
    pub trust_initial: [f64; 3],
    /// Lower initial trust in primary care of urban residents [P].
    pub urban_trust_gap: f64,
    /// Weight of one's own outcome in the trust update [A].
    pub trust_learning: f64,
    /// Weight of a neighbour's outcome (word of mouth) [A].
    pub word_of_mouth: f64,
    /// Satisfaction probability by tier at base capability [C: trust targets].
    pub satisfaction: [f64; 3],
    /// Share of residents reached each month by a campaign of full intensity [A].
    pub campaign_reach: f64,

    // ---- Capability ------------------------------------------------------------------
    /// Initial capability of primary centres (0..1) [A].
    pub primary_capability: f64,
    /// Capability of secondary hospitals: the share of severe cases they can treat [A].
    pub secondary_capability: f64,
    /// Capability gained at saturation from primary investment [A].
    pub investment_max_gain: f64,
    /// Investment (yuan per resident per year) at which primary capability equals
    /// `primary_capability`: the status quo's level [A].
    pub investment_reference: f64,
    /// Investment (yuan per resident per year) that gives half the maximum gain [A].
    pub investment_half: f64,
    /// Months for capability to close the gap to its target (training takes time) [A].
    pub capability_months: f64,

    // ---- Doctors ---------------------------------------------------------------------
    /// Share of marginal hospital margin that reaches the doctor (revenue-linked bonus) [A].
    pub doctor_revenue_share: f64,
    /// Scale (yuan) of payoff differences in the doctors' logit learning [A/C].
    pub doctor_payoff_scale: f64,
    /// Monthly learning rate of doctors' referral propensities [A].
    pub doctor_learning: f64,
    /// Yuan-equivalent disutility per unit of workload over comfortable capacity [A].
    pub workload_weight: f64,
    /// Yuan-equivalent risk of treating a moderate inpatient beyond the primary doctor's
    /// skill, per unit of capability gap [A].
    pub treatment_risk: f64,
    /// Yuan-equivalent reputational risk of referring a patient to weak primary care [A].
    pub referral_risk: f64,
    /// Baseline logit bias of doctors against downward referral [C: 20.8% willing, 2.8].
    pub down_bias: f64,
    /// Baseline logit bias for upward referral [C].
    pub up_bias: f64,

    // ---- Hospitals -------------------------------------------------------------------
    /// Scale (yuan per referral) of hospitals' payoff differences [A/C].
    pub hospital_payoff_scale: f64,
    /// Monthly adaptation rate of cooperation [A].
    pub cooperation_learning: f64,
    /// Intensity of selection in the Fermi imitation rule (per unit of margin) [A].
    pub imitation_intensity: f64,
    /// Initial cooperation of every facility [A].
    pub cooperation_initial: f64,
    /// Yuan-equivalent management pressure per referral under semi-close and close
    /// integration (shared management, one legal entity) [A].
    pub integration_pressure: [f64; 3],
    /// Effort cost (yuan) to a primary centre of a rehabilitation transfer [A].
    pub rehab_effort: f64,
    /// Sensitivity of supplier-induced demand to the marginal margin of a service [A].
    pub inducement_sensitivity: f64,
    /// Relative change of length of stay, follow-ups and admissions at full inducement [A].
    pub inducement_effect: [f64; 3],
    /// Monthly adaptation rate of inducement [A].
    pub inducement_learning: f64,
    /// Probability that a receiving facility repeats tests without shared records [A].
    pub duplicate_test: f64,
    /// Probability that a patient accepts an upward referral [A].
    pub accept_up: f64,
    /// Logit intercept of accepting a downward referral (37.6% of Shanghai tertiary
    /// patients willing, 2.8) [P/C].
    pub accept_down_intercept: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            residents_per_facility: [11_000.0, 40_000.0, 60_000.0],
            side_km: 40.0,
            urban_radius: 0.15,
            beds_per_1000: [1.0, 2.25, 2.1],
            doctors_per_1000: [1.05, 0.6, 0.7],
            visits_per_doctor_day: [16.0, 12.0, 7.5],
            max_stretch: 1.5,
            wait_scale: 0.3,
            working_days: 251.0,

            incidence: [2.9, 0.9, 0.085],
            chronic_prevalence: 0.22,
            chronic_visits_per_year: 8.0,
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
            variable_cost_share: 0.55,
            cost_per_doctor_day: [620.0, 800.0, 1350.0],
            cost_per_bed_day: [150.0, 200.0, 420.0],
            primary_subsidy_per_capita: 40.0,
            premium_per_capita: 2_300.0,
            soft_gatekeeping_cut: 0.15,

            asc: [[0.0, -0.85, -1.05], [0.0, -0.35, -0.75], [0.0, 1.5, 2.2], [0.0, -0.75, -0.95]],
            outside_utility: [-1.5, -3.0, -6.0, -3.0],
            beta_quality: [2.0, 3.5, 6.0, 2.5],
            beta_cost: [0.17, 0.08, 0.02, 0.17],
            beta_distance: [0.06, 0.04, 0.01, 0.05],
            beta_wait: [0.22, 0.20, 0.08, 0.20],
            beta_family_doctor: 0.55,
            beta_continuity: 2.0,
            beta_referral: 1.0,
            beta_awareness: 0.5,
            beta_outreach: 0.8,
            beta_drug_list: 0.4,
            strict_hassle: 1.5,
            income_levels: [0.6, 1.0, 1.8],
            income_shares: [0.3, 0.45],

            trust_initial: [0.62, 0.70, 0.82],
            urban_trust_gap: 0.06,
            trust_learning: 0.10,
            word_of_mouth: 0.05,
            satisfaction: [0.35, 0.72, 0.84],
            campaign_reach: 0.05,

            primary_capability: 0.5,
            secondary_capability: 0.7,
            investment_max_gain: 0.35,
            investment_reference: 20.0,
            investment_half: 60.0,
            capability_months: 24.0,

            doctor_revenue_share: 0.1,
            doctor_payoff_scale: 200.0,
            doctor_learning: 0.15,
            workload_weight: 150.0,
            treatment_risk: 600.0,
            referral_risk: 150.0,
            down_bias: -0.2,
            up_bias: -2.5,

            hospital_payoff_scale: 1_000.0,
            cooperation_learning: 0.1,
            imitation_intensity: 10.0,
            cooperation_initial: 0.3,
            integration_pressure: [0.0, 400.0, 1_000.0],
            rehab_effort: 800.0,
            inducement_sensitivity: 3.0,
            inducement_effect: [0.12, 0.4, 0.2],
            inducement_learning: 0.2,
            duplicate_test: 0.5,
            accept_up: 0.95,
            accept_down_intercept: -0.5,
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
