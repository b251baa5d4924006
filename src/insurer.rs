//! The insurer: collects contributions, reimburses by tier, pays providers by the chosen
//! payment method, and keeps its fund's books.
//!
//! All money is in fen (0.01 yuan) as `i64`, so the insurer's payments and the providers'
//! receipts are equal to the last fen, which a property test checks.

use crate::hospital::{Facility, PRIMARY};
use crate::levers::{Gatekeeping, Levers, PaymentMethod};
use crate::params::Params;

/// Converts yuan to fen, rounding to the nearest fen.
#[inline]
pub fn fen(yuan: f64) -> i64 {
    libm::round(yuan * 100.0) as i64
}

/// The insurer's fund.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Insurer {
    /// Contributions collected, fen.
    pub income: i64,
    /// Payments to providers, fen.
    pub paid: i64,
}

/// The share of a bill the insurer pays at a tier, after gatekeeping rules: bypassing
/// primary care (a hospital visit without referral) costs reimbursement under soft
/// gatekeeping and all of it under strict gatekeeping; emergencies (severe cases) are exempt.
pub fn reimbursement(levers: &Levers, params: &Params, tier: usize, referred: bool, emergency: bool) -> f64 {
    let rate = levers.reimbursement(tier);
    if tier == PRIMARY || referred || emergency {
        return rate;
    }
    match levers.gatekeeping {
        Gatekeeping::None => rate,
        Gatekeeping::Soft => (rate - params.soft_gatekeeping_cut).max(0.0),
        Gatekeeping::Strict => 0.0,
    }
}

impl Insurer {
    /// Collects one day of contributions.
    pub fn collect(&mut self, population: u32, params: &Params) {
        self.income += fen(params.premium_per_capita * f64::from(population) / 365.0);
    }

    /// Settles a bill of `price` yuan at facility `f` with reimbursement `rate`: the patient
    /// pays the co-payment to the facility; the insurer pays its share now under fee-for-
    /// service and DRG (and in the first month of a budget, before any history exists),
    /// otherwise records it as a claim for the next budget. Returns (insurer, oop) in fen.
    pub fn settle(&mut self, f: &mut Facility, price: f64, rate: f64, levers: &Levers, params: &Params) -> (i64, i64) {
        let total = fen(price);
        let share = fen(price * rate);
        let oop = total - share;
        let pays_now = match levers.payment_method {
            PaymentMethod::FeeForService | PaymentMethod::Drg => true,
            PaymentMethod::GlobalBudget | PaymentMethod::Capitation => f.months_recorded == 0,
        };
        let insurer = if pays_now { share } else { 0 };
        self.paid += insurer;
        let cost = fen(price * params.variable_cost_share);
        for l in [&mut f.month, &mut f.total] {
            l.insurer += insurer;
            l.oop += oop;
            l.claims += share;
            l.cost += cost;
        }
        (insurer, oop)
    }

    /// Pays today's budget installments (global budget: each facility its own; capitation:
    /// the consortium's pot, shared by running costs). Returns the amount paid in fen.
    pub fn pay_budgets(&mut self, facilities: &mut [Facility], levers: &Levers) -> i64 {
        let mut paid = 0;
        match levers.payment_method {
            PaymentMethod::GlobalBudget => {
                for f in facilities.iter_mut().filter(|f| f.months_recorded > 0) {
                    credit(f, f.budget_per_day);
                    paid += f.budget_per_day;
                }
            }
            PaymentMethod::Capitation => {
                if facilities.first().is_some_and(|f| f.months_recorded > 0) {
                    let pot: i64 = facilities.iter().map(|f| f.budget_per_day).sum();
                    let total: i64 = facilities.iter().map(fixed_cost_weight).sum();
                    let (mut left, last) = (pot, facilities.len() - 1);
                    for (i, f) in facilities.iter_mut().enumerate() {
                        // The last member takes the rounding remainder so the pot is paid exactly.
                        let share = if i == last { left } else { pot * fixed_cost_weight(f) / total.max(1) };
                        left -= share;
                        credit(f, share);
                    }
                    paid = pot;
                }
            }
            PaymentMethod::FeeForService | PaymentMethod::Drg => {}
        }
        self.paid += paid;
        paid
    }

    /// Month end: push each facility's claims into its history and set the budget per day
    /// to the mean daily claims over the recorded months (a prospective, history-based
    /// budget; the balance is retained by the provider).
    pub fn close_month(&self, facilities: &mut [Facility], month: u32, days_in_month: f64) {
        for f in facilities.iter_mut() {
            f.claims_history[(month % 12) as usize] = f.month.claims;
            f.months_recorded = (f.months_recorded + 1).min(12);
            let sum: i64 = f.claims_history.iter().sum();
            let days = days_in_month * f64::from(f.months_recorded);
            f.budget_per_day = libm::round(sum as f64 / days) as i64;
        }
    }
}

fn credit(f: &mut Facility, amount: i64) {
    f.month.insurer += amount;
    f.total.insurer += amount;
}

fn fixed_cost_weight(f: &Facility) -> i64 {
    i64::from(f.doctors.1) * 10 + f.base_beds as i64 * 3 + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levers::LeverValue;

    #[test]
    fn gatekeeping_cuts_reimbursement_for_bypass_only() {
        let p = Params::default();
        let mut l = Levers::default();
        assert_eq!(reimbursement(&l, &p, 2, false, false), 0.55);
        l.set("gatekeeping", &LeverValue::Text("soft".into())).unwrap();
        assert!((reimbursement(&l, &p, 2, false, false) - 0.40).abs() < 1e-12);
        assert_eq!(reimbursement(&l, &p, 2, true, false), 0.55);
        l.set("gatekeeping", &LeverValue::Text("strict".into())).unwrap();
        assert_eq!(reimbursement(&l, &p, 2, false, false), 0.0);
        assert_eq!(reimbursement(&l, &p, 2, false, true), 0.55);
        assert_eq!(reimbursement(&l, &p, 0, false, false), 0.80);
    }

    #[test]
    fn fen_rounds() {
        assert_eq!(fen(1.006), 101);
        assert_eq!(fen(330.0 * 0.55), 18150);
    }
}
