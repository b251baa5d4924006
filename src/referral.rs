//! Referrals both ways (双向转诊): a case beyond a facility goes up, formally through the
//! consortium's channel or on the patient's own; a recovering inpatient or a stable chronic
//! patient may be sent down to their home centre, which happens when the doctor proposes, the
//! centre accepts and the patient agrees. Referrals are counted by tier of origin and
//! destination, and the doctor who refers down is paid what the levers and the consortium give.

use crate::billing::Payee;
use crate::demand::perceived_rate;
use crate::hospital::bed_class;
use crate::inpatient::Stay;
use crate::levers::{Gatekeeping, PaymentMethod};
use crate::money::fen;
use crate::num::id16;
use crate::params::Kind;
use crate::rng::logistic;
use crate::sim::Simulation;
use crate::tier::Tier;

/// The tier above `tier`: where a patient sent up from it goes. Only primary centres and
/// secondary hospitals send patients up (tertiary hospitals treat every case).
pub(crate) fn up_from(tier: Tier) -> Tier {
    tier.above().expect("only primary centres and secondary hospitals send patients up")
}

/// How a proposal of a downward referral ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Downward {
    /// The doctor (or, for a chronic hand-back, the doctor at a review) did not propose it.
    NotProposed,
    /// Proposed, but the home centre had no bed or refused, or the patient said no.
    Refused,
    /// The patient moves to their home centre.
    Moved,
}

impl Simulation {
    /// A case beyond facility `f` must move up. The doctor uses the consortium's formal
    /// referral channel with a probability that grows with the facility's cooperation and
    /// its shared records (always under strict gatekeeping, where reimbursement needs it);
    /// otherwise the doctor only advises hospital care and the patient decides on their own.
    pub(crate) fn send_up(&mut self, r: u32, f: usize, kind: Kind) {
        let fac = &self.facilities[f];
        let tier = fac.tier;
        let formal = if self.levers.gatekeeping == Gatekeeping::Strict {
            1.0
        } else {
            fac.cooperation * (0.5 + 0.5 * fac.records)
        };
        if self.rng.doctors.chance(formal) {
            self.refer_up(r, kind, f);
        } else {
            let h = self.choose(r, kind, up_from(tier), false);
            if self.goes_on(r, kind, h) {
                let d = self.doctor_at(h);
                self.admit(h, r, kind, false, d, false);
            } else {
                self.forgo(kind);
            }
        }
    }

    /// A doctor at facility `from` refers the patient up: the patient accepts or goes without,
    /// then chooses among higher-tier candidates holding the referral and is admitted there.
    pub(crate) fn refer_up(&mut self, r: u32, kind: Kind, from: usize) {
        if !self.rng.choice.chance(self.params.accept_up) {
            self.today.unmet += 1;
            return;
        }
        let from_tier = self.facilities[from].tier;
        let h = self.choose(r, kind, up_from(from_tier), true);
        self.today.upward += 1;
        self.today.referrals[from_tier][self.facilities[h].tier] += 1;
        self.facilities[from].counts.referred_up += 1;
        self.facilities[h].counts.received_up += 1;
        let d = self.doctor_at(h);
        self.maybe_repeat_tests(h, true);
        self.admit(h, r, kind, true, d, false);
    }

    /// Moves a recovering patient from hospital `f` to a rehabilitation bed at their home
    /// centre, which bills the stay as any admission (a primary moderate case under DRG).
    pub(crate) fn transfer_home(&mut self, r: u32, f: usize, class: usize) {
        self.release_bed(f, class);
        let home = self.residents.home(r);
        self.facilities[home].occupied += 1;
        self.facilities[home].inpatients[bed_class(true, false)] += 1;
        self.facilities[home].counts.received += 1;
        self.today.admissions[Tier::Primary] += 1;
        self.record_flow(r, home);
        let d = self.doctor_at(home);
        let case = if self.levers.payment_method == PaymentMethod::Drg {
            crate::insurer::drg_case_price(&self.params, Tier::Primary, Kind::Moderate)
        } else {
            self.params.price_admission[Tier::Primary]
        };
        self.bill(home, case, true, false, Some(Payee { doctor: d, decision: false }));
        let days = self.rng.clinical.lognormal(self.params.recovery_days, self.params.los_cv);
        let rehab = Stay {
            resident: r,
            facility: id16(home),
            doctor: id16(d),
            kind: Kind::Moderate,
            recovery_next: false,
            referred: true,
            rehab: true,
            learns: None,
            days: 0,
            money: 0,
        };
        self.schedule(days, rehab);
    }

    /// Pays doctor `d` of hospital `f` for a downward referral made: the commission's
    /// referral bonus; the hospital's own appraisal pay, `internal_referral_pay` times its
    /// cooperation (a hospital that cooperates rewards its doctors for referring down); and,
    /// under the consortium's appraisal-linked pay, the consortium's referral pay. Returns
    /// the total, fen.
    pub(crate) fn referral_pay(&mut self, f: usize, d: usize, decision: bool) -> i64 {
        let bonus = fen(self.levers.referral_bonus);
        if bonus != 0 {
            self.doctors.pay(d, bonus, decision);
            self.commission.pay(bonus, |s| &mut s.referral_bonus);
        }
        let internal = fen(self.params.internal_referral_pay * self.facilities[f].cooperation)
            + self.work_pay(1.0, self.params.consortium_referral_pay);
        self.pay_doctor(f, d, internal, decision);
        bonus + internal
    }

    /// A hospital doctor `d` may propose a downward referral to the patient's home centre;
    /// it happens when the doctor proposes (their learned propensity: what referring has
    /// brought them, the hospital's own referral pay included), the centre accepts (as far
    /// as it cooperates, and with a free bed for an `inpatient`) and the patient agrees.
    ///
    /// The patient weighs trust in primary care against trust in the hospital's tier, the
    /// out-of-pocket cost of the recovery days there against a rehabilitation stay at home
    /// (as they understand the reimbursement rates; nothing more for the hospital days under
    /// DRG, whose case rate covers them), and their family doctor.
    pub(crate) fn propose_down(&mut self, r: u32, f: usize, d: usize, inpatient: bool) -> Downward {
        let home = self.residents.home(r);
        let sender = &self.facilities[f];
        let proposes = match self.transfer_proposals[sender.tier] {
            Some(chance) if inpatient => chance,
            _ => self.doctors.refer_probability(d, &self.params),
        };
        if !self.rng.doctors.chance(proposes) {
            return Downward::NotProposed;
        }
        let receiver = &self.facilities[home];
        if inpatient && receiver.occupied >= receiver.beds {
            return Downward::Refused;
        }
        if !self.rng.doctors.chance(receiver.cooperation) {
            return Downward::Refused;
        }
        self.today.downward_proposed += 1;
        let l = &self.levers;
        let p = &self.params;
        let me = self.residents.get(r);
        let trust = me.trust;
        let informed = me.is_informed();
        let class = me.income_class();
        let fd = me.has_family_doctor(l.family_doctor_coverage);
        let tier = sender.tier;
        let days = p.recovery_days;
        let stay_here = if l.payment_method == PaymentMethod::Drg {
            0.0
        } else {
            p.price_bed_day[tier] * days * (1.0 - perceived_rate(l, p, tier, true, false, informed))
        };
        let rehab = (p.price_admission[Tier::Primary] + p.price_bed_day[Tier::Primary] * days)
            * (1.0 - perceived_rate(l, p, Tier::Primary, true, false, informed));
        let saved = (stay_here - rehab) / 100.0 / p.income_levels[class];
        let x = p.accept_down_intercept
            + p.accept_down_trust * f64::from(trust[Tier::Primary] - trust[tier])
            + p.beta_cost[Kind::Moderate as usize] * saved
            + if fd { p.beta_family_doctor } else { 0.0 };
        if !self.rng.choice.chance(logistic(x)) {
            self.today.downward_refused += 1;
            return Downward::Refused;
        }
        self.today.downward += 1;
        self.today.referrals[tier][Tier::Primary] += 1;
        if tier == Tier::Tertiary && inpatient {
            self.today.downward_from_tertiary += 1;
        }
        self.facilities[f].counts.referred_down += 1;
        self.facilities[f].counts.transfers_down += u32::from(inpatient);
        if !inpatient {
            // A chronic hand-back: the doctor is paid for it but does not learn from it
            // (the decisions doctors learn from are the inpatient ones).
            self.facilities[home].counts.received += 1;
            self.referral_pay(f, d, false);
        }
        Downward::Moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::sim::small_region as small;

    #[test]
    fn downward_referral_needs_a_willing_doctor_centre_and_patient() {
        let mut sim = small();
        let h = sim.facilities.iter().position(|f| f.tier == Tier::Tertiary).unwrap();
        let d = sim.facilities[h].doctors.0 as usize;
        let home = sim.residents.home(3);
        sim.doctors.set_propensity(d, 0.0);
        assert!((0..500).all(|_| sim.propose_down(3, h, d, false) == Downward::NotProposed));
        sim.doctors.set_propensity(d, 1.0);
        sim.facilities[home].cooperation = 0.0;
        assert!((0..500).all(|_| sim.propose_down(3, h, d, false) == Downward::Refused));
        sim.facilities[home].cooperation = 1.0;
        sim.residents.set_trust(3, [0.95, 0.5, 0.5]);
        let moved = (0..500).filter(|_| sim.propose_down(3, h, d, false) == Downward::Moved).count();
        assert!(moved > 350, "{moved}");
        // An inpatient transfer also needs a free bed at the home centre.
        sim.facilities[home].occupied = sim.facilities[home].beds;
        assert!((0..200).all(|_| sim.propose_down(3, h, d, true) != Downward::Moved));
    }

    #[test]
    fn patients_accept_a_transfer_more_when_they_know_it_costs_them_less() {
        let mut sim = small();
        let h = sim.facilities.iter().position(|f| f.tier == Tier::Tertiary).unwrap();
        let d = sim.facilities[h].doctors.0 as usize;
        sim.doctors.set_propensity(d, 1.0);
        sim.facilities[h].cooperation = 1.0;
        let home = sim.residents.home(5);
        sim.facilities[home].cooperation = 1.0;
        let moved =
            |sim: &mut Simulation| (0..4000).filter(|_| sim.propose_down(5, h, d, false) == Downward::Moved).count();
        sim.residents.set_informed(5, false);
        let unaware = moved(&mut sim);
        sim.residents.set_informed(5, true);
        let aware = moved(&mut sim);
        assert!(aware > unaware + 100, "{unaware} -> {aware}");
    }
}
