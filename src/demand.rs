//! What patients see and decide: each facility's daily offer, whether to seek care at all,
//! and where.
//!
//! Demand has two parts (the two-part model of health-care demand, as in the RAND and
//! NHSS analyses). A resident with a need first weighs where they would go: a multinomial
//! logit over their candidate facilities (quality as they trust it, expected out-of-pocket
//! cost, distance, waiting, family doctor, continuity). Then they decide whether to seek
//! care at all, against the out-of-pocket cost they expect over those choice probabilities,
//! relative to their income: `P(seek) = 1 / (1 + (cost / (income x afford_kind))^2)`. The
//! price elasticity of seeking care is then `-2 (1 - P(seek))`: about -0.5 where a quarter
//! of episodes go without care (first outpatient visits in rural China: -0.52, Health
//! Policy 2011;103:255), and small for severe cases, few of which go without. A need that
//! never reaches a provider is forgone care.

use crate::insurer::reimbursement;
use crate::levers::{Levers, PaymentMethod};
use crate::logit::{draw, logit_weights};
use crate::params::{Kind, Params};
use crate::patient::{NO_FACILITY, personal_utility};
use crate::sim::Simulation;
use crate::tier::Tier;

/// Episode kinds, in the order of per-kind tables.
pub(crate) const KINDS: [Kind; 4] = [Kind::Minor, Kind::Moderate, Kind::Severe, Kind::Chronic];
/// The tier of each candidate slot of a resident (see `Resident::candidates`).
pub(crate) const SLOT_TIER: [Tier; 4] = [Tier::Primary, Tier::Secondary, Tier::Tertiary, Tier::Tertiary];

/// The reimbursement rate a resident expects at `tier`: the true rate if they know the
/// policy (`informed`), otherwise the lowest of the three tiers' rates (they do not know
/// that lower tiers are reimbursed more); gatekeeping rules apply either way.
pub fn perceived_rate(
    levers: &Levers,
    params: &Params,
    tier: Tier,
    referred: bool,
    emergency: bool,
    informed: bool,
) -> f64 {
    if informed {
        return reimbursement(levers, params, tier, referred, emergency);
    }
    let lowest = Tier::ALL.map(|t| levers.reimbursement(t)).into_iter().fold(f64::INFINITY, f64::min);
    let mut as_if = levers.clone();
    as_if.reimbursement_primary = lowest;
    as_if.reimbursement_secondary = lowest;
    as_if.reimbursement_tertiary = lowest;
    reimbursement(&as_if, params, tier, referred, emergency)
}

/// What a patient who chooses a provider for a need decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choice {
    /// Went to this facility.
    Facility(usize),
    /// Did not seek care: the expected cost was too high for them.
    Forgone,
}

impl Simulation {
    /// Refreshes what patients see of each facility (prices after reimbursement as each
    /// resident understands them, yesterday's waits, the bed queues) and today's
    /// cooperation at work: specialists sent and hosted, records shared, tertiary outpatient
    /// capacity.
    pub(crate) fn refresh_offers(&mut self) {
        self.refresh_cooperation();
        let l = &self.levers;
        let p = &self.params;
        for f in &mut self.facilities {
            let tier = f.tier;
            f.wait_today = f.visit_wait();
            for kind in KINDS {
                let k = kind as usize;
                let emergency = kind == Kind::Severe;
                let wait = if emergency { f.bed_wait() } else { f.wait_today };
                let admit = match kind {
                    Kind::Moderate => p.moderate_admission,
                    Kind::Severe => p.severe_admission,
                    _ => 0.0,
                };
                let los = if emergency { p.los_severe[tier] } else { p.los_moderate[tier] };
                let stay = if l.payment_method == PaymentMethod::Drg {
                    crate::insurer::drg_case_price(p, tier, kind)
                } else {
                    p.price_admission[tier] + p.price_bed_day[tier] * los
                };
                let price = p.price_visit[tier] + admit * stay;
                let common = p.asc[k][tier] - p.beta_wait[k] * wait;
                for informed in [false, true] {
                    let oop = price * (1.0 - perceived_rate(l, p, tier, false, emergency, informed));
                    f.offer.oop[usize::from(informed)][k] = oop;
                    for c in 0..3 {
                        f.offer.base[usize::from(informed)][k][c] =
                            common - p.beta_cost[k] * oop / 100.0 / p.income_levels[c];
                    }
                }
                let oop = price * (1.0 - reimbursement(l, p, tier, true, emergency));
                for c in 0..3 {
                    f.offer.referred[k][c] =
                        common + p.beta_referral - p.beta_cost[k] * oop / 100.0 / p.income_levels[c];
                }
            }
        }
    }

    /// Today's cooperation at work. Tertiary hospitals send a share `specialist_outreach x
    /// cooperation` of their doctors' time to primary centres (and see fewer outpatients at
    /// home); the specialist time reaches the centres in proportion to their catchments and
    /// their own cooperation (a centre that does not cooperate hosts no one). Each facility
    /// shares its records as far as `info_sharing x cooperation`.
    fn refresh_cooperation(&mut self) {
        let l = &self.levers;
        let p = &self.params;
        let (mut sent, mut specialists) = (0.0, 0.0);
        let (mut hosting, mut people) = (0.0, 0.0);
        for f in &mut self.facilities {
            f.records = l.info_sharing * f.cooperation;
            match f.tier {
                Tier::Tertiary => {
                    f.sent_share = l.specialist_outreach * f.cooperation;
                    sent += f.sent_share * f64::from(f.doctors.1);
                    specialists += f64::from(f.doctors.1);
                    let per_day = f64::from(f.doctors.1) * p.visits_per_doctor_day[f.tier] * p.working_days / 365.0;
                    // Specialists away in primary centres do not see patients at home (half
                    // of their away time is outpatient time).
                    f.capacity = per_day * l.tertiary_capacity * (1.0 - 0.5 * f.sent_share);
                }
                Tier::Primary => {
                    hosting += f.cooperation * f64::from(f.catchment);
                    people += f64::from(f.catchment);
                }
                Tier::Secondary => {}
            }
        }
        // Specialist time per unit of hosting willingness: with every centre fully willing,
        // each hosts the tertiary sending rate.
        let rate = if specialists > 0.0 && hosting > 0.0 { sent / specialists * people / hosting } else { 0.0 };
        for f in &mut self.facilities {
            match f.tier {
                Tier::Primary => {
                    f.hosted = (rate * f.cooperation).min(1.0);
                    if hosting > 0.0 {
                        f.counts.specialist_days += sent * f.cooperation * f64::from(f.catchment) / hosting;
                    }
                }
                Tier::Tertiary => f.counts.specialist_days += f.sent_share * f64::from(f.doctors.1),
                Tier::Secondary => {}
            }
        }
    }

    /// A resident's choice of provider for a need of `kind` among their candidate facilities
    /// of at least `min_tier`. A referred patient always goes (the referral was accepted);
    /// anyone else first decides whether to seek care at all (the two-part demand above).
    pub(crate) fn choose(&mut self, r: u32, kind: Kind, min_tier: Tier, referred: bool) -> Choice {
        let me = *self.residents.get(r);
        let p = &self.params;
        let cands = me.candidates;
        let class = me.income_class();
        let informed = usize::from(me.is_informed());
        let fd = me.has_family_doctor(self.levers.family_doctor_coverage);
        let usual = if kind == Kind::Chronic { me.usual() } else { NO_FACILITY };
        let k = kind as usize;
        let mut utilities = [0.0f64; 4];
        let mut oop = [0.0f64; 4];
        let mut m = 0;
        // Candidate slots hold one tier each (primary, secondary, tertiary, tertiary), so the
        // candidates of at least `min_tier` are the slots from `min_tier` on; the second
        // tertiary candidate repeats the first when the region has one tertiary hospital.
        let slots = if cands[3] == cands[2] { 3 } else { 4 };
        for slot in min_tier.index()..slots {
            let fid = cands[slot];
            let tier = SLOT_TIER[slot];
            let f = &self.facilities[usize::from(fid)];
            debug_assert_eq!(f.tier, tier);
            let base = if referred { f.offer.referred[k][class] } else { f.offer.base[informed][k][class] };
            oop[m] = f.offer.oop[informed][k];
            let km = crate::region::distance(me.pos, f.pos);
            let tier_trust = f64::from(me.trust[tier]);
            utilities[m] = base + personal_utility(p, kind, tier, tier_trust, km, fd && slot == 0, usual == fid);
            m += 1;
        }
        let (weights, total) = logit_weights(&utilities[..m]);
        if !referred {
            // Seek care with probability 1 / (1 + (E / (income afford))^2), E the expected
            // cost over the choice probabilities: with s = sum of w oop and a = total x
            // income x afford, that is u (a^2 + s^2) < a^2, without a division.
            let spend: f64 = weights[..m].iter().zip(&oop[..m]).map(|(w, c)| w * c).sum();
            let a = total * p.income_levels[class] * p.afford[k];
            if self.rng.choice.uniform() * (a * a + spend * spend) >= a * a {
                return Choice::Forgone;
            }
        }
        let pick = draw(&weights[..m], total, &mut self.rng.choice);
        Choice::Facility(usize::from(cands[min_tier.index() + pick]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levers::LeverValue;
    use crate::scenario::Scenario;

    fn small() -> Simulation {
        let s = Scenario { population: 3_000, years: 1, seed: 11, ..Scenario::default() };
        let mut sim = Simulation::new(s).unwrap();
        sim.refresh_offers();
        sim
    }

    /// Of `n` needs of resident `r`: the share of those who sought care that went to primary
    /// care, and the share forgone.
    fn shares(sim: &mut Simulation, r: u32, kind: Kind, n: u32) -> (f64, f64) {
        let (mut primary, mut forgone) = (0, 0);
        for _ in 0..n {
            match sim.choose(r, kind, Tier::Primary, false) {
                Choice::Facility(f) if sim.facilities[f].tier == Tier::Primary => primary += 1,
                Choice::Facility(_) => {}
                Choice::Forgone => forgone += 1,
            }
        }
        (f64::from(primary) / f64::from(n - forgone), f64::from(forgone) / f64::from(n))
    }

    #[test]
    fn strict_gatekeeping_steers_first_contact_to_primary_care() {
        let mut sim = small();
        let (before, _) = shares(&mut sim, 5, Kind::Minor, 6_000);
        sim.levers.set("gatekeeping", &LeverValue::Text("strict".into())).unwrap();
        sim.refresh_offers();
        let (after, _) = shares(&mut sim, 5, Kind::Minor, 6_000);
        assert!(after > before + 0.03, "{before} -> {after}");
        // Bypassing costs the full price, and some who would rather go to hospital go without.
    }

    #[test]
    fn a_family_doctor_contract_pulls_toward_the_home_centre() {
        let mut sim = small();
        sim.levers.family_doctor_coverage = 0.0;
        let (without, _) = shares(&mut sim, 7, Kind::Chronic, 6_000);
        sim.levers.family_doctor_coverage = 1.0;
        let (with, _) = shares(&mut sim, 7, Kind::Chronic, 6_000);
        assert!(with > without + 0.03, "{without} -> {with}");
    }

    #[test]
    fn trust_in_tertiary_care_pulls_severe_cases_up() {
        let mut sim = small();
        sim.residents.set_trust(9, [0.9, 0.5, 0.3]);
        let (trusting_primary, _) = shares(&mut sim, 9, Kind::Severe, 6_000);
        sim.residents.set_trust(9, [0.3, 0.5, 0.95]);
        let (trusting_tertiary, _) = shares(&mut sim, 9, Kind::Severe, 6_000);
        assert!(trusting_primary > trusting_tertiary + 0.1, "{trusting_primary} vs {trusting_tertiary}");
    }

    #[test]
    fn care_is_forgone_more_when_it_costs_more_and_least_for_severe_cases() {
        let mut sim = small();
        let r = (0..3_000).find(|&i| sim.residents.income_class(i) == 0).unwrap();
        let (_, minor) = shares(&mut sim, r, Kind::Minor, 8_000);
        let (_, severe) = shares(&mut sim, r, Kind::Severe, 8_000);
        for key in ["reimbursement_primary", "reimbursement_secondary", "reimbursement_tertiary"] {
            sim.levers.set(key, &LeverValue::Number(0.0)).unwrap();
        }
        sim.refresh_offers();
        let (_, minor_dear) = shares(&mut sim, r, Kind::Minor, 8_000);
        assert!(minor > 0.05 && minor_dear > minor + 0.1, "minor care forgone {minor} -> {minor_dear}");
        assert!(severe < minor, "severe {severe} vs minor {minor}");
        // A referred patient always goes.
        assert!((0..500).all(|_| matches!(sim.choose(r, Kind::Minor, Tier::Secondary, true), Choice::Facility(_))));
    }

    #[test]
    fn only_informed_residents_see_that_primary_care_is_reimbursed_more() {
        let (l, p) = (Levers::default(), Params::default());
        assert_eq!(perceived_rate(&l, &p, Tier::Primary, false, false, true), 0.80);
        let mean = (0.80 + 0.65 + 0.55) / 3.0;
        assert_eq!(perceived_rate(&l, &p, Tier::Primary, false, false, false), mean);
        assert_eq!(perceived_rate(&l, &p, Tier::Tertiary, false, false, false), mean);
        let mut strict = l.clone();
        strict.set("gatekeeping", &LeverValue::Text("strict".into())).unwrap();
        assert_eq!(perceived_rate(&strict, &p, Tier::Tertiary, false, false, false), 0.0, "rules are known to all");
        let mut sim = small();
        let f = sim.residents.home(0);
        let offer = sim.facilities[f].offer;
        assert!(offer.oop[1][Kind::Minor as usize] < offer.oop[0][Kind::Minor as usize]);
    }
}
