//! Billing: what a service brings the facility, and what its doctors are paid for it.
//!
//! Every service is settled with the insurer (`insurer.rs`) at the facility's rate for the
//! patient's bed class; the doctor behind a service is paid what the consortium's pay scheme
//! gives for it (`doctor.rs`), and the facility books that pay as staff cost, so the books
//! balance to the fen.

use crate::doctor::{Doctors, PayScheme};
use crate::hospital::bed_class;
use crate::insurer::Settled;
use crate::money::{fen, fen_as_f64, floor_fen};
use crate::sim::Simulation;

/// Who is paid for a service, and whether the pay follows a referral decision the doctor
/// learns from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Payee {
    pub doctor: usize,
    pub decision: bool,
}

impl Simulation {
    /// Bills a service at facility `f` and pays the doctor behind it, if any, what the pay
    /// scheme gives for it. Returns what the service brought, and the doctor's pay for it.
    pub(crate) fn bill(
        &mut self,
        f: usize,
        price: f64,
        referred: bool,
        emergency: bool,
        payee: Option<Payee>,
    ) -> (Settled, i64) {
        let fac = &mut self.facilities[f];
        let rate = fac.rates[bed_class(referred, emergency)];
        let settled = self.insurer.settle(f, fac, price, rate, &self.params);
        let pay = match payee {
            Some(Payee { doctor, decision }) => {
                let pay = Doctors::revenue_bonus(PayScheme::of(&self.levers), settled.net(), &self.params);
                self.pay_doctor(f, doctor, pay, decision);
                pay
            }
            None => 0,
        };
        (settled, pay)
    }

    /// Facility `f` pays its doctor `d` `amount` fen (negative: the doctor pays it back).
    pub(crate) fn pay_doctor(&mut self, f: usize, d: usize, amount: i64, decision: bool) {
        if amount != 0 {
            self.doctors.pay(d, amount, decision);
            self.facilities[f].book(amount, |l| &mut l.staff);
        }
    }

    /// Pay for units of work under the consortium's appraisal-linked pay (none under
    /// revenue-linked pay, where the revenue bonus rewards the work).
    pub(crate) fn work_pay(&self, units: f64, per_unit: f64) -> i64 {
        match PayScheme::of(&self.levers) {
            PayScheme::AppraisalLinked => fen(units * per_unit),
            PayScheme::RevenueLinked => 0,
        }
    }

    /// Month end: each facility pays its doctors for the month's visits in one sum, shared by
    /// the visits each saw: under revenue-linked pay the bonus share of what the visits and
    /// tests brought, under appraisal-linked pay `workload_pay` per visit. The last doctor
    /// takes the rounding remainder, so the facility books exactly what its doctors receive.
    pub(crate) fn pay_visit_bonuses(&mut self) {
        let scheme = PayScheme::of(&self.levers);
        for f in 0..self.facilities.len() {
            let fac = &mut self.facilities[f];
            let net = std::mem::take(&mut fac.visit_net_month);
            let visits = f64::from(fac.visits_month);
            let pool =
                Doctors::revenue_bonus(scheme, net, &self.params) + self.work_pay(visits, self.params.workload_pay[0]);
            let (first, count) = self.facilities[f].doctors;
            if pool == 0 || visits <= 0.0 {
                continue;
            }
            let mut left = pool;
            for id in first..first + count {
                let d = id as usize;
                let share = if id == first + count - 1 {
                    left
                } else {
                    floor_fen(fen_as_f64(pool) * f64::from(self.doctors.visits_month[d]) / visits)
                };
                left -= share;
                self.doctors.pay(d, share, false);
            }
            self.facilities[f].book(pool, |l| &mut l.staff);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::small_region as small;

    #[test]
    fn every_billed_service_pays_the_doctor_its_share_under_revenue_linked_pay() {
        let mut sim = small();
        let f = sim.residents.home(0);
        let d = sim.facilities[f].doctors.0 as usize;
        let (settled, pay) = sim.bill(f, 1_000.0, false, false, Some(Payee { doctor: d, decision: true }));
        assert_eq!(pay, fen(sim.params.doctor_bonus_share * fen_as_f64(settled.net()) / 100.0));
        assert_eq!(sim.doctors.decision_pay_month[d], pay);
        assert_eq!(sim.facilities[f].month.staff, pay, "the facility books the pay as staff cost");
    }
}
