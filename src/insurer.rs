//! The insurer: collects contributions, reimburses by tier, pays providers by the chosen
//! payment method, and keeps its fund's books.
//!
//! All money is in fen (0.01 yuan) as `i64`, so the insurer's payments and the providers'
//! receipts are equal to the last fen, which a property test checks.

use crate::hospital::Facility;
use crate::levers::{Gatekeeping, Levers, PaymentMethod};
use crate::money::{Fen, fen};
use crate::params::Params;
use crate::tier::Tier;

/// The insurer's fund and its contract with each facility.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Insurer {
    /// Contributions collected, fen.
    pub income: Fen,
    /// Payments to providers, fen.
    pub paid: Fen,
    /// The contract with each facility, by facility id.
    pub contracts: Vec<Contract>,
}

/// What the insurer keeps about one facility: its claims and, under a budget, what it pays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contract {
    /// Claims this month: the insurer's share of services at list prices (what fee-for-service
    /// would pay), recorded under every payment method; the basis of budgets.
    pub claims_month: Fen,
    /// Claims of the whole run.
    pub claims_total: Fen,
    /// Claims of the last 12 months (a ring), for prospective budgets.
    pub claims_history: [Fen; 12],
    /// Length in days of each month in `claims_history`.
    pub history_days: [u16; 12],
    /// Months recorded in `claims_history` (at most 12).
    pub months_recorded: u32,
    /// Budget paid per day under global budget or capitation.
    pub budget_per_day: Fen,
}

/// The share of a bill the insurer pays at a tier, after gatekeeping rules: bypassing
/// primary care (a hospital visit without referral) costs reimbursement under soft
/// gatekeeping and all of it under strict gatekeeping; emergencies (severe cases) are exempt.
pub fn reimbursement(levers: &Levers, params: &Params, tier: Tier, referred: bool, emergency: bool) -> f64 {
    let rate = levers.reimbursement(tier);
    if tier == Tier::Primary || referred || emergency {
        return rate;
    }
    match levers.gatekeeping {
        Gatekeeping::None => rate,
        Gatekeeping::Soft => (rate - params.soft_gatekeeping_cut).max(0.0),
        Gatekeeping::Strict => 0.0,
    }
}

impl Insurer {
    /// An insurer with a contract for each of `facilities` facilities and nothing collected.
    pub fn new(facilities: usize) -> Insurer {
        Insurer { income: 0, paid: 0, contracts: vec![Contract::default(); facilities] }
    }

    /// Collects one day of contributions.
    pub fn collect(&mut self, population: u32, params: &Params) {
        self.income += fen(params.premium_per_capita * f64::from(population) / 365.0);
    }

    /// Settles a bill of `price` yuan at facility `id` with reimbursement `rate`: the patient
    /// pays the co-payment to the facility; the insurer pays its share now under fee-for-
    /// service and DRG (and in the first month of a budget, before any history exists),
    /// otherwise records it as a claim for the next budget. Returns (insurer, oop) in fen.
    pub fn settle(
        &mut self,
        id: usize,
        f: &mut Facility,
        price: f64,
        rate: f64,
        levers: &Levers,
        params: &Params,
    ) -> (Fen, Fen) {
        let total = fen(price);
        let share = fen(price * rate);
        let oop = total - share;
        let contract = &mut self.contracts[id];
        let pays_now = match levers.payment_method {
            PaymentMethod::FeeForService | PaymentMethod::Drg => true,
            PaymentMethod::GlobalBudget | PaymentMethod::Capitation => contract.months_recorded == 0,
        };
        let insurer = if pays_now { share } else { 0 };
        self.paid += insurer;
        contract.claims_month += share;
        contract.claims_total += share;
        let cost = fen(price * params.variable_cost_share);
        for l in [&mut f.month, &mut f.total] {
            l.insurer += insurer;
            l.oop += oop;
            l.cost += cost;
        }
        (insurer, oop)
    }

    /// Pays today's budget installments (global budget: each facility its own; capitation:
    /// the consortium's pot, shared by running costs). Returns the amount paid in fen.
    pub fn pay_budgets(&mut self, facilities: &mut [Facility], levers: &Levers) -> Fen {
        let mut paid = 0;
        match levers.payment_method {
            PaymentMethod::GlobalBudget => {
                for (f, c) in facilities.iter_mut().zip(&self.contracts).filter(|(_, c)| c.months_recorded > 0) {
                    credit(f, c.budget_per_day);
                    paid += c.budget_per_day;
                }
            }
            PaymentMethod::Capitation => {
                if self.contracts.first().is_some_and(|c| c.months_recorded > 0) {
                    let pot: Fen = self.contracts.iter().map(|c| c.budget_per_day).sum();
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
    pub fn close_month(&mut self, month: u32, days_in_month: f64) {
        for c in &mut self.contracts {
            let slot = (month % 12) as usize;
            c.claims_history[slot] = std::mem::take(&mut c.claims_month);
            c.history_days[slot] = days_in_month as u16;
            c.months_recorded = (c.months_recorded + 1).min(12);
            let sum: Fen = c.claims_history.iter().sum();
            // Each month is weighed by its own length, so a full year of history divides by 365.
            let days = f64::from(c.history_days.iter().map(|&d| u32::from(d)).sum::<u32>().max(1));
            c.budget_per_day = libm::round(sum as f64 / days) as Fen;
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
        assert_eq!(reimbursement(&l, &p, Tier::Tertiary, false, false), 0.55);
        l.set("gatekeeping", &LeverValue::Text("soft".into())).unwrap();
        assert!((reimbursement(&l, &p, Tier::Tertiary, false, false) - 0.40).abs() < 1e-12);
        assert_eq!(reimbursement(&l, &p, Tier::Tertiary, true, false), 0.55);
        l.set("gatekeeping", &LeverValue::Text("strict".into())).unwrap();
        assert_eq!(reimbursement(&l, &p, Tier::Tertiary, false, false), 0.0);
        assert_eq!(reimbursement(&l, &p, Tier::Tertiary, false, true), 0.55);
        assert_eq!(reimbursement(&l, &p, Tier::Primary, false, false), 0.80);
    }

    fn levers(method: &str) -> Levers {
        let mut l = Levers::default();
        l.set("payment_method", &LeverValue::Text(method.into())).unwrap();
        l
    }

    #[test]
    fn fee_for_service_pays_each_claim_at_once() {
        let (p, l) = (Params::default(), levers("fee_for_service"));
        let mut ins = Insurer::new(1);
        let mut f = Facility::for_tests(Tier::Tertiary, 10);
        let (paid, oop) = ins.settle(0, &mut f, 330.0, 0.55, &l, &p);
        assert_eq!((paid, oop), (18150, 14850));
        assert_eq!(ins.paid, 18150);
        assert_eq!(f.total.insurer, 18150);
        assert_eq!(ins.contracts[0].claims_total, 18150);
    }

    #[test]
    fn global_budget_pays_claims_only_until_a_history_exists_then_the_budget() {
        let (p, l) = (Params::default(), levers("global_budget"));
        let mut ins = Insurer::new(2);
        let mut fs = vec![Facility::for_tests(Tier::Tertiary, 10), Facility::for_tests(Tier::Primary, 5)];
        ins.settle(0, &mut fs[0], 1000.0, 0.5, &l, &p);
        assert_eq!(ins.paid, 50_000, "first month: settled like fee-for-service");
        ins.close_month(0, 10.0);
        assert_eq!(ins.contracts[0].budget_per_day, 5_000, "budget = mean daily claims of the history");
        let before = ins.paid;
        let (paid, oop) = ins.settle(0, &mut fs[0], 1000.0, 0.5, &l, &p);
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
        let mut ins = Insurer::new(3);
        let mut fs = vec![
            Facility::for_tests(Tier::Tertiary, 7),
            Facility::for_tests(Tier::Secondary, 3),
            Facility::for_tests(Tier::Primary, 2),
        ];
        for (id, f) in fs.iter_mut().enumerate() {
            ins.settle(id, f, 777.0, 0.6, &l, &p);
        }
        ins.close_month(0, 3.0);
        let pot: i64 = ins.contracts.iter().map(|c| c.budget_per_day).sum();
        let before: i64 = fs.iter().map(|f| f.total.insurer).sum();
        assert_eq!(ins.pay_budgets(&mut fs, &l), pot);
        let after: i64 = fs.iter().map(|f| f.total.insurer).sum();
        assert_eq!(after - before, pot, "the whole pot is shared out, to the fen");
        assert!(fs[0].total.insurer > fs[2].total.insurer, "shares follow running costs");
        assert_eq!(after, ins.paid);
    }

    #[test]
    fn drg_and_fee_for_service_pay_no_installments() {
        let mut ins = Insurer::new(1);
        let mut fs = vec![Facility::for_tests(Tier::Tertiary, 10)];
        ins.contracts[0].months_recorded = 3;
        ins.contracts[0].budget_per_day = 1_000;
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
}
