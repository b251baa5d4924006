//! Inpatient care: admission, bed queues, stays, the recovery phase where a downward
//! referral may happen, discharge and adverse events.
//!
//! A stay is a sequence of segments on the event calendar: the acute phase, then (for some
//! severe hospital stays) a recovery phase in the same bed or, after a downward referral, in
//! a rehabilitation bed at the patient's home centre. Each segment's bed-days are billed
//! when it ends, and the doctor responsible for it is paid what the pay scheme gives; when
//! the segment follows a referral decision, the doctor learns from what it brought them.

use crate::billing::Payee;
use crate::demand::perceived_rate;
use crate::doctor::{Action, Doctors, PayScheme};
use crate::hospital::{Pending, bed_class};
use crate::insurer::Insurer;
use crate::levers::PaymentMethod;
use crate::money::fen;
use crate::num::{id16, trunc_usize};
use crate::params::Kind;
use crate::rng::logistic;
use crate::sim::Simulation;
use crate::tier::Tier;

/// Length of the inpatient event calendar; stays are capped below it.
pub(crate) const HORIZON: usize = 256;
/// Days a patient waits for a bed before giving up, by kind (moderate, severe).
const PATIENCE: [u32; 3] = [0, 14, 30];

/// An inpatient event on the calendar: the end of a stay segment.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stay {
    pub resident: u32,
    pub facility: u16,
    /// The doctor responsible for the segment: paid for its bed-days, and, if `learns`,
    /// learning from it.
    pub doctor: u16,
    /// Episode kind (moderate or severe).
    pub kind: Kind,
    /// True at the end of an acute phase that has a recovery phase to follow.
    pub recovery_next: bool,
    pub referred: bool,
    /// A rehabilitation stay at the home centre after a downward referral.
    pub rehab: bool,
    /// The referral decision this segment follows, if the doctor learns from it.
    pub learns: Option<Action>,
    /// Bed-days to bill when the event fires.
    pub days: u16,
    /// The bonus of the segment's admission, paid when the segment ends, fen.
    pub money: i32,
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
    /// Admits a patient to facility `f` or queues them for a bed; a full queue turns them
    /// away. Doctor `d` decided the admission; `learns` if it was their referral decision.
    pub(crate) fn admit(&mut self, f: usize, r: u32, kind: Kind, referred: bool, d: usize, learns: bool) {
        let fac = &mut self.facilities[f];
        if fac.occupied < fac.beds {
            self.start_stay(f, r, kind, referred, 0, d, learns);
        } else if fac.queue.len() < 2 * fac.beds as usize {
            fac.queue.push_back(Pending { resident: r, kind, referred, since: self.day, doctor: id16(d), learns });
        } else {
            self.today.unmet += 1;
            if learns {
                // The case was not treated here after all: it brought the doctor nothing.
                self.doctors.learn(d, Action::Refer, 0, 0.0, &self.params);
            }
        }
    }

    /// Fills free beds from the queues; patients who waited past their patience leave.
    pub(crate) fn admit_from_queues(&mut self) {
        for f in 0..self.facilities.len() {
            while let Some(&next) = self.facilities[f].queue.front() {
                let waited = self.day - next.since;
                if waited > PATIENCE[next.kind as usize] {
                    self.facilities[f].queue.pop_front();
                    self.today.unmet += 1;
                    if next.learns {
                        self.doctors.learn(usize::from(next.doctor), Action::Refer, 0, 0.0, &self.params);
                    }
                } else if self.facilities[f].occupied < self.facilities[f].beds {
                    self.facilities[f].queue.pop_front();
                    let d = usize::from(next.doctor);
                    self.start_stay(f, next.resident, next.kind, next.referred, waited, d, next.learns);
                } else {
                    break;
                }
            }
        }
    }

    pub(crate) fn schedule(&mut self, after: f64, stay: Stay) {
        let days = trunc_usize(libm::round(after).max(1.0)).min(HORIZON - 1);
        let slot = (self.day as usize + days) % HORIZON;
        #[allow(clippy::cast_possible_truncation, reason = "days are below HORIZON, 256")]
        self.calendar[slot].push(Stay { days: days as u16, ..stay });
    }

    /// Occupies a bed: bills the admission (a DRG case rate under DRG), pays doctor `d` for
    /// it and schedules the end of the acute phase.
    #[allow(clippy::too_many_arguments)]
    fn start_stay(&mut self, f: usize, r: u32, kind: Kind, referred: bool, waited: u32, d: usize, learns: bool) {
        self.record_flow(r, f);
        let p = &self.params;
        let fac = &mut self.facilities[f];
        let tier = fac.tier;
        fac.occupied += 1;
        fac.inpatients[bed_class(referred, kind == Kind::Severe)] += 1;
        let induce = fac.inducement[1];
        self.today.admissions[tier] += 1;
        if tier == Tier::Tertiary && kind == Kind::Severe {
            self.today.tertiary_severe += 1;
        }
        self.today.wait_sum[tier] += f64::from(waited);
        self.today.wait_count[tier] += 1;
        let severe = kind == Kind::Severe;
        let standard = if severe { p.los_severe[tier] } else { p.los_moderate[tier] };
        let case = if self.levers.payment_method == PaymentMethod::Drg {
            crate::insurer::drg_case_price(p, tier, kind)
        } else {
            p.price_admission[tier]
        };
        let los = self.rng.clinical.lognormal(standard * (1.0 + p.inducement_effect[0] * induce), p.los_cv);
        let recovery_next = severe && tier != Tier::Primary && self.rng.clinical.chance(p.recovery_share);
        // The admission's bonus is paid with the rest of the case when the segment ends (pay is
        // reckoned on cases as they close), so the doctor is paid and learns at one moment.
        let (settled, _) = self.bill(f, case, referred, severe, None);
        let pay = Doctors::revenue_bonus(PayScheme::of(&self.levers), settled.net(), &self.params);
        let learns = if learns { Some(Action::Keep) } else { None };
        #[allow(
            clippy::cast_possible_truncation,
            reason = "a bonus is a share of one admission's net, some hundred yuan, far below 2^31 fen (21 million yuan)"
        )]
        let money = pay as i32;
        let stay = Stay {
            resident: r,
            facility: id16(f),
            doctor: id16(d),
            kind,
            recovery_next,
            referred,
            rehab: false,
            learns,
            days: 0,
            money,
        };
        self.schedule(los, stay);
    }

    /// Pays the doctor of a finished stay segment for it: its admission's bonus, if it began
    /// with one (`Stay::money`), and its bed-days (the facility billed them day by day:
    /// `bill_bed_days`). Revenue-linked pay is the bonus share of what the days brought the
    /// facility less their variable cost; appraisal-linked pay is per day. Returns the pay.
    fn pay_for_days(&mut self, stay: &Stay) -> i64 {
        let f = usize::from(stay.facility);
        let d = usize::from(stay.doctor);
        let decision = stay.learns.is_some();
        let days = f64::from(stay.days);
        let tier = self.facilities[f].tier;
        let price = self.params.price_bed_day[tier] * days;
        let net = if self.levers.payment_method == PaymentMethod::Drg {
            -price * self.params.variable_cost_share[tier]
        } else {
            let fac = &self.facilities[f];
            let rate = fac.rates[bed_class(stay.referred, stay.kind == Kind::Severe)];
            Insurer::net_of(fac, price, rate, &self.params)
        };
        let bonus = Doctors::revenue_bonus(PayScheme::of(&self.levers), fen(net), &self.params);
        let work = self.work_pay(days, self.params.workload_pay[1]);
        let pay = i64::from(stay.money) + bonus + work;
        self.pay_doctor(f, d, pay, decision);
        self.facilities[f].counts.bed_days += u32::from(stay.days);
        pay
    }

    /// Bills the day's bed-days of every facility, by billing class (inpatient revenue
    /// accrues day by day). Under DRG the case rate paid for them at admission, so the days
    /// bring no revenue but still cost.
    pub(crate) fn bill_bed_days(&mut self) {
        let drg = self.levers.payment_method == PaymentMethod::Drg;
        for f in 0..self.facilities.len() {
            let tier = self.facilities[f].tier;
            let price = self.params.price_bed_day[tier];
            for class in 0..4 {
                let beds = self.facilities[f].inpatients[class];
                if beds == 0 {
                    continue;
                }
                let amount = price * f64::from(beds);
                if drg {
                    let cost = fen(amount * self.params.variable_cost_share[tier]);
                    self.facilities[f].book(cost, |l| &mut l.variable);
                } else {
                    self.bill(f, amount, class & 1 == 1, class & 2 == 2, None);
                }
            }
        }
    }

    /// An inpatient event: the end of an acute phase, or a discharge.
    pub(crate) fn inpatient_event(&mut self, stay: Stay) {
        let pay = self.pay_for_days(&stay);
        let f = usize::from(stay.facility);
        let r = stay.resident;
        if stay.recovery_next {
            self.end_acute_phase(stay, pay);
            return;
        }
        self.release_bed(f, bed_class(stay.referred, stay.kind == Kind::Severe));
        let mut money = pay;
        let adverse = self.adverse_event(&stay);
        if adverse {
            let penalty = -fen(self.params.adverse_penalty);
            self.pay_doctor(f, usize::from(stay.doctor), penalty, stay.learns.is_some());
            money += penalty;
        }
        if let Some(action) = stay.learns {
            let d = usize::from(stay.doctor);
            let effort = self.doctors.care_effort(d, f64::from(stay.days), &self.params);
            self.doctors.learn(d, action, money, effort, &self.params);
        }
        self.outcome(r, f, stay.kind, adverse);
    }

    /// The acute phase of a severe hospital stay has ended: the doctor on duty decides
    /// whether to propose a downward referral, and the recovery phase follows here or at
    /// the patient's home centre.
    fn end_acute_phase(&mut self, stay: Stay, pay: i64) {
        let f = usize::from(stay.facility);
        let r = stay.resident;
        // The acute segment's pay belongs to the admitting doctor (no decision of theirs).
        let _ = pay;
        let d = self.doctor_at(f);
        self.facilities[f].counts.recovery_decisions += 1;
        // Doctors learn what each outcome brings them: a patient who moved down, the referral
        // pay; one who stayed (not proposed, or refused by the hospital, the centre or the
        // patient), what the recovery days here bring.
        if self.propose_down(r, f, d, true) == Downward::Moved {
            let money = self.referral_pay(f, d, true);
            self.doctors.learn(d, Action::Refer, money, 0.0, &self.params);
            self.transfer_home(r, f, bed_class(stay.referred, stay.kind == Kind::Severe));
            return;
        }
        let action = Action::Keep;
        let induce = self.facilities[f].inducement[1];
        let mean = self.params.recovery_days * (1.0 + self.params.inducement_effect[0] * induce);
        let days = self.rng.clinical.lognormal(mean, self.params.los_cv);
        let next = Stay { recovery_next: false, doctor: id16(d), learns: Some(action), money: 0, ..stay };
        self.schedule(days, next);
    }

    /// Moves a recovering patient from hospital `f` to a rehabilitation bed at their home
    /// centre, which bills the stay as any admission (a primary moderate case under DRG).
    fn transfer_home(&mut self, r: u32, f: usize, class: usize) {
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
    fn referral_pay(&mut self, f: usize, d: usize, decision: bool) -> i64 {
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

    /// Whether a stay at a primary centre ends in an adverse event: a case treated beyond the
    /// centre's capability (a moderate admission, or a recovering severe patient taken over
    /// without shared records) goes wrong with a probability that grows with the gap. The
    /// facility compensates the patient.
    fn adverse_event(&mut self, stay: &Stay) -> bool {
        let f = usize::from(stay.facility);
        let fac = &self.facilities[f];
        if fac.tier != Tier::Primary {
            return false;
        }
        let p = &self.params;
        let capability = self.effective_capability(fac);
        let risk = if stay.rehab {
            p.adverse_rate * (p.rehab_need - capability).max(0.0) * (1.0 - fac.records)
        } else {
            p.adverse_rate * (p.moderate_need - capability).max(0.0)
        };
        if risk <= 0.0 || !self.rng.clinical.chance(risk) {
            return false;
        }
        self.today.adverse_events += 1;
        let compensation = fen(p.adverse_compensation);
        self.facilities[f].book(compensation, |l| &mut l.variable);
        true
    }

    fn release_bed(&mut self, f: usize, class: usize) {
        let fac = &mut self.facilities[f];
        fac.occupied -= 1;
        fac.inpatients[class] -= 1;
        fac.discharges_month += 1;
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

    #[test]
    fn a_full_hospital_queues_patients_and_a_full_queue_turns_them_away() {
        let mut sim = small();
        let h = sim.facilities.iter().position(|f| f.tier == Tier::Tertiary).unwrap();
        let beds = sim.facilities[h].beds;
        sim.facilities[h].occupied = beds;
        sim.admit(h, 1, Kind::Severe, false, 0, false);
        assert_eq!(sim.facilities[h].queue.len(), 1);
        for _ in 0..(2 * beds) {
            sim.admit(h, 1, Kind::Severe, false, 0, false);
        }
        assert_eq!(sim.facilities[h].queue.len(), 2 * beds as usize);
        assert!(sim.today.unmet >= 1);
    }

    #[test]
    fn weak_primary_care_has_adverse_events_and_a_capable_centre_none() {
        let mut sim = small();
        let f = sim.residents.home(0);
        let d = u16::try_from(sim.facilities[f].doctors.0).unwrap();
        let stay = Stay {
            resident: 0,
            facility: id16(f),
            doctor: d,
            kind: Kind::Moderate,
            recovery_next: false,
            referred: false,
            rehab: false,
            learns: None,
            days: 5,
            money: 0,
        };
        sim.facilities[f].capability = 0.2;
        let weak = (0..4000).filter(|_| sim.adverse_event(&stay)).count();
        sim.facilities[f].capability = 1.0;
        let strong = (0..4000).filter(|_| sim.adverse_event(&stay)).count();
        assert!(weak > 100 && strong == 0, "{weak} {strong}");
        assert_eq!(sim.today.adverse_events as usize, weak);
        assert_eq!(
            sim.facilities[f].month.variable,
            i64::try_from(weak).unwrap() * fen(sim.params.adverse_compensation)
        );
    }
}
