//! The insurer: collects contributions, reimburses by tier, pays providers by the chosen
//! payment method, and keeps its fund's books.
//!
//! All money is in fen (0.01 yuan) as `i64`, so the insurer's payments and the providers'
//! receipts are equal to the last fen, which a property test checks.

use crate::hospital::{Facility, PRIMARY};
use crate::levers::{Gatekeeping, Levers, PaymentMethod};
use crate::params::Params;

/// Converts yuan to fen, rounding to the nearest fen (halves away from zero).
#[inline]
pub fn fen(yuan: f64) -> i64 {
    round_to_i64(yuan * 100.0)
}

/// `libm::round(x) as i64` without the call (every bill rounds three amounts): rounding is
/// exact, so any correct method gives the same integer; a unit test compares the two.
/// `x as i64` truncates toward zero (saturating, NaN to 0) and `x - trunc(x)` is exact.
#[inline]
fn round_to_i64(x: f64) -> i64 {
    let t = x as i64;
    let frac = x - t as f64;
    if frac >= 0.5 {
        t.saturating_add(1)
    } else if frac <= -0.5 {
        t.saturating_sub(1)
    } else {
        t
    }
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
            let slot = (month % 12) as usize;
            f.claims_history[slot] = f.month.claims;
            f.history_days[slot] = days_in_month as u16;
            f.months_recorded = (f.months_recorded + 1).min(12);
            let sum: i64 = f.claims_history.iter().sum();
            // Each month is weighed by its own length, so a full year of history divides by 365.
            let days = f64::from(f.history_days.iter().map(|&d| u32::from(d)).sum::<u32>().max(1));
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

    fn levers(method: &str) -> Levers {
        let mut l = Levers::default();
        l.set("payment_method", &LeverValue::Text(method.into())).unwrap();
        l
    }

    #[test]
    fn fee_for_service_pays_each_claim_at_once() {
        let (p, l) = (Params::default(), levers("fee_for_service"));
        let mut ins = Insurer::default();
        let mut f = Facility::for_tests(2, 10);
        let (paid, oop) = ins.settle(&mut f, 330.0, 0.55, &l, &p);
        assert_eq!((paid, oop), (18150, 14850));
        assert_eq!(ins.paid, 18150);
        assert_eq!(f.total.insurer, 18150);
        assert_eq!(f.total.claims, 18150);
    }

    #[test]
    fn global_budget_pays_claims_only_until_a_history_exists_then_the_budget() {
        let (p, l) = (Params::default(), levers("global_budget"));
        let mut ins = Insurer::default();
        let mut fs = vec![Facility::for_tests(2, 10), Facility::for_tests(0, 5)];
        ins.settle(&mut fs[0], 1000.0, 0.5, &l, &p);
        assert_eq!(ins.paid, 50_000, "first month: settled like fee-for-service");
        ins.close_month(&mut fs, 0, 10.0);
        assert_eq!(fs[0].budget_per_day, 5_000, "budget = mean daily claims of the history");
        let before = ins.paid;
        let (paid, oop) = ins.settle(&mut fs[0], 1000.0, 0.5, &l, &p);
        assert_eq!((paid, oop), (0, 50_000), "with a budget, a claim brings only the co-payment");
        assert_eq!(ins.paid, before);
        let installments = ins.pay_budgets(&mut fs, &l);
        assert_eq!(installments, 5_000);
        let received: i64 = fs.iter().map(|f| f.total.insurer).sum();
        assert_eq!(received, ins.paid);
    }

    #[test]
    fn capitation_pays_the_pooled_pot_exactly() {
        let (p, l) = (Params::default(), levers("capitation"));
        let mut ins = Insurer::default();
        let mut fs = vec![Facility::for_tests(2, 7), Facility::for_tests(1, 3), Facility::for_tests(0, 2)];
        for f in fs.iter_mut() {
            ins.settle(f, 777.0, 0.6, &l, &p);
        }
        ins.close_month(&mut fs, 0, 3.0);
        let pot: i64 = fs.iter().map(|f| f.budget_per_day).sum();
        let before: i64 = fs.iter().map(|f| f.total.insurer).sum();
        assert_eq!(ins.pay_budgets(&mut fs, &l), pot);
        let after: i64 = fs.iter().map(|f| f.total.insurer).sum();
        assert_eq!(after - before, pot, "the whole pot is shared out, to the fen");
        assert!(fs[0].total.insurer > fs[2].total.insurer, "shares follow running costs");
        assert_eq!(after, ins.paid);
    }

    #[test]
    fn drg_and_fee_for_service_pay_no_installments() {
        let mut ins = Insurer::default();
        let mut fs = vec![Facility::for_tests(2, 10)];
        fs[0].months_recorded = 3;
        fs[0].budget_per_day = 1_000;
        assert_eq!(ins.pay_budgets(&mut fs, &levers("drg")), 0);
        assert_eq!(ins.pay_budgets(&mut fs, &levers("fee_for_service")), 0);
    }

    #[test]
    fn contributions_accrue_daily() {
        let mut ins = Insurer::default();
        let p = Params::default();
        for _ in 0..365 {
            ins.collect(100_000, &p);
        }
        let yearly = p.premium_per_capita * 100_000.0 * 100.0;
        assert!((ins.income as f64 - yearly).abs() < 365.0);
    }

    #[test]
    fn fen_rounds() {
        assert_eq!(fen(1.006), 101);
        assert_eq!(fen(330.0 * 0.55), 18150);
    }

    #[test]
    fn rounding_matches_libm_round() {
        let same = |x: f64| assert_eq!(round_to_i64(x), libm::round(x) as i64, "{x:e}");
        let edges = [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
            4503599627370495.5,
            -4503599627370495.5,
            4503599627370497.0,
            9007199254740993.0,
            9.223372036854775e18,
            -9.223372036854775e18,
            9.3e18,
            -9.3e18,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
        ];
        edges.iter().for_each(|&x| same(x));
        let mut rng = crate::rng::SimRng::new(3, crate::rng::Stream::Clinical);
        for _ in 0..200_000 {
            let scale = libm::pow(10.0, (rng.uniform() * 20.0).floor() - 3.0);
            let x = (rng.uniform() - 0.5) * scale;
            same(x);
            same(libm::round(x * 2.0) / 2.0); // exact halves
        }
    }
}
