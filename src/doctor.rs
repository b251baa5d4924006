//! Doctors: who sees a patient, what they are paid, and how readily they refer up or down.
//!
//! Each doctor makes one kind of referral decision, learned from what it actually brought
//! them. A hospital doctor decides, when a severe inpatient's acute phase ends (and at a
//! chronic patient's review), whether to propose a downward referral; a primary doctor
//! decides whether to refer up a moderate case that needs admission or to keep it. Each
//! outcome, the patient kept or the patient gone (referred), has an *attraction*: the
//! running mean (step `doctor_learning`) of the payoffs it realised, each payoff the money
//! booked to the doctor for it (bonus, referral pay, penalty) less the effort of the
//! inpatient care it brought, at the doctor's own workload. Colleagues at the same facility
//! hear of it (a smaller step, `peer_learning`): a department learns together. The doctor
//! refers with the logit probability of the difference of the two attractions, plus a
//! personal bias: learning from realised payoffs, with noise.
//!
//! Pay follows the facility's scheme: a salary, plus a bonus linked to the net revenue of the
//! services the doctor provides or decides (where finances are separate), or pay linked to
//! workload and appraisal (set by the consortium under close integration); the commission's
//! referral bonus is paid per downward referral made, under either scheme.

use crate::hospital::Facility;
use crate::levers::{Integration, Levers};
use crate::money::{Fen, fen, fen_as_f64, yuan};
use crate::num::to_f32;
use crate::params::Params;
use crate::region::facility_id;
use crate::rng::{SimRng, Stream, logistic};
use crate::tier::Tier;

/// The two actions of a doctor's referral decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Action {
    /// Keep the patient: a hospital doctor keeps a recovering or stable patient; a primary
    /// doctor keeps (treats or admits) a moderate case.
    Keep = 0,
    /// Refer: a hospital doctor proposes a downward referral; a primary doctor refers up.
    Refer = 1,
}

/// How a facility pays its doctors beyond their salary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayScheme {
    /// A share of the net revenue of the services the doctor provides or decides (separate
    /// finances: the facility passes its own margins on).
    RevenueLinked,
    /// Pay per unit of work and per downward referral, set by the consortium (close
    /// integration): income no longer depends on what a service earns.
    AppraisalLinked,
}

impl PayScheme {
    /// The scheme in force under these levers.
    pub fn of(levers: &Levers) -> PayScheme {
        if levers.integration == Integration::Close { PayScheme::AppraisalLinked } else { PayScheme::RevenueLinked }
    }
}

/// Every doctor's state, as arrays indexed by doctor id.
#[derive(Debug, Clone, Default)]
pub struct Doctors {
    /// Facility of each doctor.
    pub facility: Vec<u16>,
    /// Tier of each doctor's facility.
    pub tier: Vec<Tier>,
    /// A doctor's own attitude, a fixed logit offset drawn at start.
    pub bias: Vec<f32>,
    /// Attractions (yuan) of [keep, refer]: the mean realised payoff of each action.
    pub attraction: Vec<[f32; 2]>,
    /// Probability of choosing `Refer` when the decision comes up, as of the attractions
    /// when `stale` was last cleared (`refer_probability` brings it up to date).
    pub propensity: Vec<f32>,
    /// Whether the attractions moved since `propensity` was computed.
    pub stale: Vec<bool>,
    /// Outpatients seen this month.
    pub visits_month: Vec<u32>,
    /// Last month's outpatient load over the comfortable load (0 when within it).
    pub overload: Vec<f32>,
    /// The part of this month's pay that followed a referral decision, fen.
    pub decision_pay_month: Vec<Fen>,
    /// The money of the payoffs learned from this month, fen: always equal to
    /// `decision_pay_month` (learning reads the books; a test checks it).
    pub learned_money_month: Vec<Fen>,
    /// Pay over the whole run, fen.
    pub pay_total: Vec<Fen>,
    /// First doctor id and number of doctors of each facility, by facility id.
    pub colleagues: Vec<(u32, u32)>,
}

impl Doctors {
    /// Creates the doctors of every facility (facilities must already know their doctor
    /// ranges). Biases come from their own stream, so doctors differ in the same way
    /// whatever else changes.
    pub fn new(facilities: &[Facility], seed: u64, params: &Params) -> Doctors {
        let mut rng = SimRng::new(seed, Stream::Staff);
        let mut d = Doctors::default();
        for (id, f) in facilities.iter().enumerate() {
            d.colleagues.push(f.doctors);
            for _ in 0..f.doctors.1 {
                d.facility.push(facility_id(id));
                d.tier.push(f.tier);
                let bias = to_f32(0.6 * rng.normal());
                d.bias.push(bias);
                d.attraction.push([0.0; 2]);
                d.propensity.push(0.0);
                d.stale.push(true);
                d.visits_month.push(0);
                d.overload.push(0.0);
                d.decision_pay_month.push(0);
                d.learned_money_month.push(0);
                d.pay_total.push(0);
            }
        }
        for id in 0..d.len() {
            d.refer_probability(id, params);
        }
        d
    }

    /// Number of doctors.
    pub fn len(&self) -> usize {
        self.facility.len()
    }

    /// True when there are no doctors.
    pub fn is_empty(&self) -> bool {
        self.facility.is_empty()
    }

    /// Doctor `id`'s probability of referring when the decision comes up: the logit of the
    /// difference of the two attractions, over `doctor_payoff_scale`, plus the tier's and the
    /// doctor's own bias. (Computed when asked, as attractions move far more often than
    /// decisions come up.)
    pub fn refer_probability(&mut self, id: usize, params: &Params) -> f64 {
        if self.stale[id] {
            let [keep, refer] = self.attraction[id];
            let tier_bias = if self.tier[id] == Tier::Primary { params.up_bias } else { params.down_bias };
            let x = f64::from(refer - keep) / params.doctor_payoff_scale + tier_bias + f64::from(self.bias[id]);
            self.propensity[id] = to_f32(logistic(x));
            self.stale[id] = false;
        }
        f64::from(self.propensity[id])
    }

    /// Holds doctor `id`'s probability of referring at `p` until their attractions next move
    /// (for experiments and tests).
    pub fn set_propensity(&mut self, id: usize, p: f64) {
        self.propensity[id] = to_f32(p);
        self.stale[id] = false;
    }

    /// Pays doctor `id` `amount` fen (negative: a deduction). `decision` marks pay that
    /// followed the doctor's referral decision.
    #[inline]
    pub fn pay(&mut self, id: usize, amount: Fen, decision: bool) {
        self.pay_total[id] += amount;
        if decision {
            self.decision_pay_month[id] += amount;
        }
    }

    /// The effort (yuan) of `bed_days` days of inpatient care for doctor `id` at their load.
    pub fn care_effort(&self, id: usize, bed_days: f64, params: &Params) -> f64 {
        bed_days * params.care_effort * (1.0 + params.workload_weight * f64::from(self.overload[id]))
    }

    /// Doctor `id` learns from a realised payoff of `action`: `money` fen booked to them for
    /// it, less `effort` yuan of work; their colleagues at the same facility learn from it
    /// too, with the smaller step `peer_learning`. Without provider learning nothing moves
    /// (the money is still recorded as learned, so books and learning still agree).
    pub fn learn(&mut self, id: usize, action: Action, money: Fen, effort: f64, params: &Params) {
        self.learned_money_month[id] += money;
        if params.provider_learning <= 0.0 {
            return;
        }
        let payoff = yuan(money) - effort;
        let own = (params.doctor_learning * params.provider_learning).min(1.0);
        let peer = (params.peer_learning * params.provider_learning).min(1.0);
        let (first, count) = self.colleagues[usize::from(self.facility[id])];
        for d in first as usize..(first + count) as usize {
            let step = if d == id { own } else { peer };
            let a = &mut self.attraction[d][action as usize];
            *a += to_f32(step * (payoff - f64::from(*a)));
            self.stale[d] = true;
        }
    }

    /// Month end: each doctor's load this month (outpatient visits per working day over the
    /// comfortable number at the tier) sets next month's effort; monthly counters restart.
    pub fn close_month(&mut self, params: &Params, days: f64) {
        for id in 0..self.len() {
            let per_day = f64::from(self.visits_month[id]) / days * 365.0 / params.working_days;
            let comfortable = params.visits_per_doctor_day[self.tier[id]];
            self.overload[id] = to_f32((per_day / comfortable - 1.0).max(0.0));
            self.visits_month[id] = 0;
            self.decision_pay_month[id] = 0;
            self.learned_money_month[id] = 0;
        }
    }

    /// The bonus (fen) of a service that brought the facility `net` fen, under `scheme`
    /// (revenue-linked only; appraisal-linked pay does not follow revenue).
    pub fn revenue_bonus(scheme: PayScheme, net: Fen, params: &Params) -> Fen {
        match scheme {
            PayScheme::RevenueLinked => fen(params.doctor_bonus_share * fen_as_f64(net) / 100.0),
            PayScheme::AppraisalLinked => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doctors(tier: Tier, n: u32) -> Doctors {
        let fs = vec![Facility::for_tests(tier, n)];
        Doctors::new(&fs, 1, &Params::default())
    }

    #[test]
    fn a_doctor_refers_more_when_referring_paid_more_than_keeping() {
        let p = Params::default();
        // Three doctors alone at their hospitals, whose referrals pay 300, 100 and 0 yuan while
        // keeping a patient pays 100 yuan less 100 of effort... or 400.
        let learned = |refer: i64, keep: i64, effort: f64| {
            let mut d = doctors(Tier::Tertiary, 1);
            for _ in 0..80 {
                d.learn(0, Action::Refer, refer, 0.0, &p);
                d.learn(0, Action::Keep, keep, effort, &p);
            }
            d.refer_probability(0, &p)
        };
        let start = doctors(Tier::Tertiary, 1).refer_probability(0, &p);
        let (more, equal, less) = (learned(30_000, 10_000, 100.0), learned(0, 0, 0.0), learned(0, 40_000, 0.0));
        assert!(more > 2.0 * start && more > equal && equal > less, "{start}: {more} {equal} {less}");
        assert!((equal - start).abs() < 1e-6, "equal payoffs leave the propensity where it was");
    }

    #[test]
    fn frozen_doctors_keep_their_propensity_but_still_record_what_they_earned() {
        let p = Params { provider_learning: 0.0, ..Params::default() };
        let mut d = doctors(Tier::Primary, 1);
        let start = d.refer_probability(0, &p);
        d.pay(0, 12_345, true);
        d.learn(0, Action::Keep, 12_345, 50.0, &p);
        assert_eq!(d.refer_probability(0, &p), start);
        assert_eq!(d.learned_money_month[0], d.decision_pay_month[0]);
    }

    #[test]
    fn effort_grows_with_overload() {
        let p = Params::default();
        let mut d = doctors(Tier::Primary, 1);
        let calm = d.care_effort(0, 6.0, &p);
        d.visits_month[0] = 2 * 30 * 16;
        d.close_month(&p, 30.0);
        assert!(d.overload[0] > 1.0);
        assert!(d.care_effort(0, 6.0, &p) > 2.0 * calm);
        assert_eq!(d.visits_month[0], 0);
    }

    #[test]
    fn only_revenue_linked_pay_follows_what_a_service_earns() {
        let p = Params::default();
        assert_eq!(Doctors::revenue_bonus(PayScheme::RevenueLinked, 10_000, &p), 1_000);
        assert_eq!(Doctors::revenue_bonus(PayScheme::RevenueLinked, -10_000, &p), -1_000);
        assert_eq!(Doctors::revenue_bonus(PayScheme::AppraisalLinked, 10_000, &p), 0);
    }
}
