//! What patients see and decide: each facility's daily offer, whether to seek care at all,
//! and where.
//!
//! Demand has two parts (the two-part model of health-care demand, as in the RAND and
//! NHSS analyses). A resident with a need first decides whether to seek care at all, against
//! what the cheapest care for it costs them out of pocket, relative to their income:
//! `P(seek) = 1 / (1 + (cost / (income x afford_kind))^e)`, `e` = `seek_exponent` (2): whether
//! they can afford care at all. The cheapest care is the cheapest tier that treats the kind (a hospital for a severe
//! case), at the reimbursement rates as they understand them. The price elasticity of
//! seeking care is then `-e (1 - P(seek))`: about -0.4 where a fifth of episodes go without
//! care (first outpatient visits in rural China: -0.52, Health Policy 2011;103:255; RAND:
//! about -0.2), and small for severe cases, few of which go without. A need that never
//! reaches a provider is forgone care. Those who seek care then choose where: a multinomial
//! logit over their candidate facilities (quality as they trust it, expected out-of-pocket
//! cost, distance, waiting, family doctor, continuity), in which price weighs little while
//! the quality gap is large.

use crate::insurer::reimbursement;
use crate::levers::{Levers, PaymentMethod};
use crate::logit::logit_choice_with;
use crate::params::{Kind, Params};
use crate::patient::personal_utility;
use crate::resident::NO_FACILITY;
use crate::sim::Simulation;
use crate::tier::Tier;

/// Episode kinds, in the order of per-kind tables.
pub(crate) const KINDS: [Kind; 4] = [Kind::Minor, Kind::Moderate, Kind::Severe, Kind::Chronic];
/// The tier of each candidate slot of a resident (see `Resident::candidates`).
pub(crate) const SLOT_TIER: [Tier; 4] = [Tier::Primary, Tier::Secondary, Tier::Tertiary, Tier::Tertiary];

/// The chance of seeking care for an episode that would cost `cost` out of pocket, for a
/// resident who would pay `afford` without hesitation (income class times the kind's
/// affordability): `1 / (1 + (cost / afford)^exponent)` (`Params::seek_exponent`).
pub(crate) fn seek_chance(cost: f64, afford: f64, exponent: f64) -> f64 {
    1.0 / (1.0 + libm::pow(cost / afford, exponent))
}

/// The reimbursement rate a resident expects at `tier`: the true rate if they know the
/// policy (`informed`), otherwise the mean of the three tiers' rates (they do not know that
/// lower tiers are reimbursed more); gatekeeping rules apply either way.
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
    let mean = Tier::ALL.map(|t| levers.reimbursement(t)).iter().sum::<f64>() / 3.0;
    let mut as_if = levers.clone();
    as_if.reimbursement_primary = mean;
    as_if.reimbursement_secondary = mean;
    as_if.reimbursement_tertiary = mean;
    reimbursement(&as_if, params, tier, referred, emergency)
}

/// The chance of seeking care at all, by [uninformed, informed], kind and income class,
/// today (`Simulation::refresh_offers`), and one over it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seeking {
    /// The probability of seeking care.
    pub chance: [[[f64; 3]; 4]; 2],
    /// One over `chance`: the uniform that decided to seek care, scaled by it, is a fresh
    /// uniform for the choice of where.
    pub inverse: [[[f64; 3]; 4]; 2],
}

impl Simulation {
    /// Refreshes what patients see of each facility (prices after reimbursement as each
    /// resident understands them, yesterday's waits, the bed queues), today's cooperation at
    /// work (specialists sent and hosted, records shared, tertiary outpatient capacity), and
    /// what the day's bills and outcomes read: reimbursement rates, whether the insurer pays
    /// per bill, effective capability.
    pub(crate) fn refresh_offers(&mut self) {
        self.refresh_cooperation();
        for id in 0..self.facilities.len() {
            let capability = self.effective_capability(&self.facilities[id]);
            let pays = self.insurer.pays_bills(id, &self.levers);
            let f = &mut self.facilities[id];
            f.capability_today = capability;
            f.insurer_pays = pays;
            for class in 0..4 {
                f.rates[class] = reimbursement(&self.levers, &self.params, f.tier, class & 1 == 1, class & 2 == 2);
            }
        }
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
        self.refresh_seeking();
    }

    /// Today's chance of seeking care, by knowledge of the policy, kind and income class, at
    /// what the cheapest tier that treats the kind costs an episode (prices and reimbursement
    /// are the same at every facility of a tier: the first facility of each tier stands for
    /// it; a severe case needs a hospital).
    fn refresh_seeking(&mut self) {
        let p = &self.params;
        let mut cost = [[f64::INFINITY; 4]; 2];
        for tier in Tier::ALL {
            if let Some(f) = self.facilities.iter().find(|f| f.tier == tier) {
                for informed in 0..2 {
                    for kind in KINDS {
                        if kind == Kind::Severe && tier == Tier::Primary {
                            continue;
                        }
                        let k = kind as usize;
                        cost[informed][k] = cost[informed][k].min(f.offer.oop[informed][k]);
                    }
                }
            }
        }
        for informed in 0..2 {
            for k in 0..4 {
                for c in 0..3 {
                    let chance = seek_chance(cost[informed][k], p.income_levels[c] * p.afford[k], p.seek_exponent);
                    self.seeking.chance[informed][k][c] = chance;
                    self.seeking.inverse[informed][k][c] = 1.0 / chance;
                }
            }
        }
    }

    /// Whether resident `r` seeks care for a need of `kind` (the first part of demand): the
    /// chance `p` for their knowledge of the policy and income class, against one uniform
    /// draw `u`. If they do, returns `u / p`: given `u < p` it is itself uniform in [0, 1),
    /// and it draws where they go (one draw serves both decisions).
    pub(crate) fn seeks_care(&mut self, r: u32, kind: Kind) -> Option<f64> {
        let me = self.residents.get(r);
        let (informed, k, c) = (usize::from(me.is_informed()), kind as usize, me.income_class());
        let u = self.rng.choice.uniform();
        (u < self.seeking.chance[informed][k][c]).then(|| u * self.seeking.inverse[informed][k][c])
    }

    /// Whether resident `r`, advised to seek hospital care on their own for a need of `kind`,
    /// goes on to facility `f`: the seeking probability at what `f` costs them.
    pub(crate) fn goes_on(&mut self, r: u32, kind: Kind, f: usize) -> bool {
        let me = self.residents.get(r);
        let (k, c) = (kind as usize, me.income_class());
        let cost = self.facilities[f].offer.oop[usize::from(me.is_informed())][k];
        let chance = seek_chance(cost, self.params.income_levels[c] * self.params.afford[k], self.params.seek_exponent);
        self.rng.choice.uniform() < chance
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
    /// of at least `min_tier`, with or without a referral (the second part of demand), with a
    /// fresh draw. Returns the facility id.
    pub(crate) fn choose(&mut self, r: u32, kind: Kind, min_tier: Tier, referred: bool) -> usize {
        let u = self.rng.choice.uniform();
        self.choose_with(r, kind, min_tier, referred, u)
    }

    /// [`Simulation::choose`] with the uniform draw `u` given.
    pub(crate) fn choose_with(&mut self, r: u32, kind: Kind, min_tier: Tier, referred: bool, u: f64) -> usize {
        let me = *self.residents.get(r);
        let p = &self.params;
        let cands = me.candidates;
        let class = me.income_class();
        let informed = usize::from(me.is_informed());
        let fd = me.has_family_doctor(self.levers.family_doctor_coverage);
        let usual = if kind == Kind::Chronic { me.usual() } else { NO_FACILITY };
        let k = kind as usize;
        let mut utilities = [0.0f64; 4];
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
            let km = crate::region::distance(me.pos, f.pos);
            let tier_trust = f64::from(me.trust[tier]);
            utilities[m] = base + personal_utility(p, kind, tier, tier_trust, km, fd && slot == 0, usual == fid);
            m += 1;
        }
        let pick = logit_choice_with(&utilities[..m], u);
        usize::from(cands[min_tier.index() + pick])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levers::LeverValue;
    use crate::num::count;

    use crate::sim::small_region as small;

    /// The share of `n` choices of resident `r` that go to primary care.
    fn primary_share(sim: &mut Simulation, r: u32, kind: Kind, n: u32) -> f64 {
        let hits = (0..n)
            .filter(|_| {
                let f = sim.choose(r, kind, Tier::Primary, false);
                sim.facilities[f].tier == Tier::Primary
            })
            .count();
        count(hits) / f64::from(n)
    }

    /// The share of `n` needs of resident `r` that are forgone.
    fn forgone(sim: &mut Simulation, r: u32, kind: Kind, n: u32) -> f64 {
        count((0..n).filter(|_| sim.seeks_care(r, kind).is_none()).count()) / f64::from(n)
    }

    #[test]
    fn strict_gatekeeping_steers_first_contact_to_primary_care() {
        let mut sim = small();
        let before = primary_share(&mut sim, 5, Kind::Minor, 6_000);
        sim.levers.set("gatekeeping", &LeverValue::Text("strict".into())).unwrap();
        sim.refresh_offers();
        let after = primary_share(&mut sim, 5, Kind::Minor, 6_000);
        assert!(after > before + 0.03, "{before} -> {after}");
    }

    #[test]
    fn a_family_doctor_contract_pulls_toward_the_home_centre() {
        let mut sim = small();
        sim.levers.family_doctor_coverage = 0.0;
        let without = primary_share(&mut sim, 7, Kind::Chronic, 6_000);
        sim.levers.family_doctor_coverage = 1.0;
        let with = primary_share(&mut sim, 7, Kind::Chronic, 6_000);
        assert!(with > without + 0.03, "{without} -> {with}");
    }

    #[test]
    fn trust_in_tertiary_care_pulls_severe_cases_up() {
        let mut sim = small();
        sim.residents.set_trust(9, [0.9, 0.5, 0.3]);
        let trusting_primary = primary_share(&mut sim, 9, Kind::Severe, 6_000);
        sim.residents.set_trust(9, [0.3, 0.5, 0.95]);
        let trusting_tertiary = primary_share(&mut sim, 9, Kind::Severe, 6_000);
        assert!(trusting_primary > trusting_tertiary + 0.1, "{trusting_primary} vs {trusting_tertiary}");
    }

    #[test]
    fn care_is_forgone_more_when_it_costs_more_by_income_and_least_for_severe_cases() {
        let mut sim = small();
        let poor = (0..3_000).find(|&i| sim.residents.income_class(i) == 0).unwrap();
        let home = sim.residents.home(poor);
        let rich = (0..3_000).find(|&i| sim.residents.income_class(i) == 2 && sim.residents.home(i) == home).unwrap();
        let minor = forgone(&mut sim, poor, Kind::Minor, 8_000);
        let severe = forgone(&mut sim, poor, Kind::Severe, 8_000);
        assert!(forgone(&mut sim, rich, Kind::Minor, 8_000) < minor);
        for key in ["reimbursement_primary", "reimbursement_secondary", "reimbursement_tertiary"] {
            sim.levers.set(key, &LeverValue::Number(0.0)).unwrap();
        }
        sim.refresh_offers();
        let minor_dear = forgone(&mut sim, poor, Kind::Minor, 8_000);
        assert!(minor > 0.05 && minor_dear > minor + 0.1, "minor care forgone {minor} -> {minor_dear}");
        assert!(severe < minor, "severe {severe} vs minor {minor}");
    }

    #[test]
    fn a_patient_sent_on_to_a_hospital_goes_less_often_the_more_it_costs() {
        let mut sim = small();
        let poor = (0..3_000).find(|&i| sim.residents.income_class(i) == 0).unwrap();
        let hospital = sim.facilities.iter().position(|f| f.tier == Tier::Tertiary).unwrap();
        let goes = |sim: &mut Simulation| {
            count((0..8_000).filter(|_| sim.goes_on(poor, Kind::Moderate, hospital)).count()) / 8_000.0
        };
        let reimbursed = goes(&mut sim);
        sim.levers.set("reimbursement_tertiary", &LeverValue::Number(0.0)).unwrap();
        sim.refresh_offers();
        let dear = goes(&mut sim);
        assert!(reimbursed < 1.0 && dear < reimbursed - 0.05, "{reimbursed} -> {dear}");
    }

    #[test]
    fn strict_gatekeeping_does_not_make_care_unaffordable() {
        // Primary care stays as cheap as it was: nobody forgoes more care for it.
        let mut sim = small();
        let r = (0..3_000).find(|&i| sim.residents.income_class(i) == 0).unwrap();
        let before = forgone(&mut sim, r, Kind::Minor, 20_000);
        sim.levers.set("gatekeeping", &LeverValue::Text("strict".into())).unwrap();
        sim.refresh_offers();
        let after = forgone(&mut sim, r, Kind::Minor, 20_000);
        assert!((after - before).abs() < 0.015, "{before} -> {after}");
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
        let sim = small();
        let f = sim.residents.home(0);
        let offer = sim.facilities[f].offer;
        assert!(offer.oop[1][Kind::Minor as usize] < offer.oop[0][Kind::Minor as usize]);
    }
}
