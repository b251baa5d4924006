//! The insurer: collects contributions, reimburses by tier, pays providers by the chosen
//! payment method, and keeps its fund's books.
//!
//! All money is in fen (0.01 yuan) as `i64`, so the insurer's payments and the providers'
//! receipts are equal to the last fen, which a property test checks.

use crate::hospital::Facility;
use crate::levers::{Gatekeeping, Levers, PaymentMethod};
use crate::money::{Fen, fen, fen_as_f64, round_fen};
use crate::params::{Kind, Params};
use crate::tier::Tier;

/// The insurer's fund and its contract with each facility.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Insurer {
    /// Contributions collected, fen.
    pub income: Fen,
    /// Payments to providers (less what they paid back), fen.
    pub paid: Fen,
    /// The contract with each facility, by facility id.
    pub contracts: Vec<Contract>,
    /// Capitation per resident per day by tier (fen, not rounded): what each facility is paid
    /// for every resident of its catchment.
    pub capitation: [f64; 3],
    /// Whether the capitation rates are fixed (capitation in force since a month end).
    capitation_fixed: bool,
}

/// What the insurer keeps about one facility: its claims and, under a budget, what it pays.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contract {
    /// Residents for whom this facility is the nearest of its tier (its catchment for
    /// capitation).
    pub catchment: u32,
    /// Claims this month: the insurer's share of services at list prices (what fee-for-service
    /// would pay), recorded under every payment method; the basis of budgets.
    pub claims_month: Fen,
    /// Claims of the last 12 months (a ring), for prospective budgets.
    pub claims_history: [Fen; 12],
    /// Length in days of each month in `claims_history`.
    pub history_days: [u16; 12],
    /// Months recorded in `claims_history` (at most 12).
    pub months_recorded: u32,
    /// Budget paid per day under a global budget.
    pub budget_per_day: Fen,
    /// Months the current annual global budget has run (0: none set yet).
    pub budget_age: u32,
    /// Budget or capitation installments paid this month.
    pub installments_month: Fen,
}

impl Contract {
    /// Mean daily claims over the recorded months (each month weighed by its own length, so
    /// a full year of history divides by 365).
    fn daily_claims(&self) -> f64 {
        let sum: Fen = self.claims_history.iter().sum();
        let days = self.history_days.iter().map(|&d| u32::from(d)).sum::<u32>().max(1);
        fen_as_f64(sum) / f64::from(days)
    }
}

/// What a bill came to, in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Settled {
    /// Paid by the insurer now (0 under a budget once it runs).
    pub insurer: Fen,
    /// Paid by the patient.
    pub oop: Fen,
    /// Drugs and consumables the facility spent on the service.
    pub variable: Fen,
}

impl Settled {
    /// What the service brought the facility: its revenue less its variable cost.
    pub fn net(&self) -> Fen {
        self.insurer + self.oop - self.variable
    }
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

/// The DRG case rate (yuan) of an admission of `kind` at `tier`: the admission fee plus the
/// bed-days of the group's expected stay, which for a severe case at a hospital includes the
/// expected recovery phase (a group's rate is its average cost).
pub fn drg_case_price(params: &Params, tier: Tier, kind: Kind) -> f64 {
    let stay = if kind == Kind::Severe {
        let recovery = if tier == Tier::Primary { 0.0 } else { params.recovery_share * params.recovery_days };
        params.los_severe[tier] + recovery
    } else {
        params.los_moderate[tier]
    };
    params.price_admission[tier] + params.price_bed_day[tier] * stay
}

impl Insurer {
    /// An insurer with a contract for each facility, given the size of its catchment, and
    /// nothing collected.
    pub fn new(catchments: &[u32]) -> Insurer {
        let contracts = catchments.iter().map(|&catchment| Contract { catchment, ..Contract::default() }).collect();
        Insurer { income: 0, paid: 0, contracts, capitation: [0.0; 3], capitation_fixed: false }
    }

    /// Collects one day of contributions.
    pub fn collect(&mut self, population: u32, params: &Params) {
        self.income += fen(params.premium_per_capita * f64::from(population) / 365.0);
    }

    /// Whether the insurer pays facility `id` per bill today: under fee-for-service and DRG,
    /// and in the first month of a budget or capitation (before any history exists).
    pub fn pays_bills(&self, id: usize, levers: &Levers) -> bool {
        match levers.payment_method {
            PaymentMethod::FeeForService | PaymentMethod::Drg => true,
            PaymentMethod::GlobalBudget | PaymentMethod::Capitation => self.contracts[id].months_recorded == 0,
        }
    }

    /// What a bill of `price` yuan at facility `f` with reimbursement `rate` brings it, less
    /// its variable cost, in yuan (what `settle` books, before rounding).
    pub fn net_of(f: &Facility, price: f64, rate: f64, params: &Params) -> f64 {
        let insurer = if f.insurer_pays { rate } else { 0.0 };
        price * (insurer + (1.0 - rate) - params.variable_cost_share[f.tier])
    }

    /// Settles a bill of `price` yuan at facility `id` with reimbursement `rate`: the patient
    /// pays the co-payment to the facility; the insurer pays its share now when it pays per
    /// bill (`Facility::insurer_pays`, set each day from `pays_bills`), and records it as a
    /// claim in any case; the facility books the variable cost.
    pub fn settle(&mut self, id: usize, f: &mut Facility, price: f64, rate: f64, params: &Params) -> Settled {
        let total = fen(price);
        let share = fen(price * rate);
        let oop = total - share;
        let insurer = if f.insurer_pays { share } else { 0 };
        self.paid += insurer;
        self.contracts[id].claims_month += share;
        let variable = fen(price * params.variable_cost_share[f.tier]);
        let l = &mut f.month;
        l.insurer += insurer;
        l.oop += oop;
        l.variable += variable;
        Settled { insurer, oop, variable }
    }

    /// Pays today's installments: under a global budget each facility its own budget; under
    /// capitation each facility its tier's rate for every resident of its catchment. Returns
    /// the amount paid.
    pub fn pay_installments(&mut self, facilities: &mut [Facility], levers: &Levers) -> Fen {
        let mut paid = 0;
        for (id, f) in facilities.iter_mut().enumerate() {
            let c = &mut self.contracts[id];
            if c.months_recorded == 0 {
                continue;
            }
            let amount = match levers.payment_method {
                PaymentMethod::GlobalBudget => c.budget_per_day,
                PaymentMethod::Capitation => fen(self.capitation[f.tier] / 100.0 * f64::from(c.catchment)),
                PaymentMethod::FeeForService | PaymentMethod::Drg => continue,
            };
            c.installments_month += amount;
            credit(f, amount);
            paid += amount;
        }
        self.paid += paid;
        paid
    }

    /// Month end, in order: under a budget or capitation, claws back the share of an unspent
    /// month that providers do not keep; pushes each facility's claims into its history.
    ///
    /// **Global budget** (总额预付), set from last year's claims: once a facility has a full
    /// year of claims history under a global budget, its budget for the next twelve months is
    /// its mean daily claims over the last twelve, fixed for the year (the balance is
    /// retained: `budget_surplus_kept`), and reset at each year's end the same way, but never
    /// more than `budget_growth_cap` above the year before. Saving this year lowers next
    /// year's budget: the ratchet. Until a full year exists the budget follows the claims of
    /// the months recorded.
    ///
    /// **Capitation** is a rate per resident fixed in advance: at the first month end under
    /// capitation with a full year of history, each tier's rate is set to its daily claims per
    /// resident, and from then on it grows by `budget_growth_cap` a year, whatever is claimed.
    pub fn close_month(
        &mut self,
        facilities: &mut [Facility],
        levers: &Levers,
        params: &Params,
        month: u32,
        days_in_month: f64,
        population: u32,
    ) {
        let method = levers.payment_method;
        let budgeted = matches!(method, PaymentMethod::GlobalBudget | PaymentMethod::Capitation);
        let growth = libm::pow(1.0 + params.budget_growth_cap, days_in_month / 365.0);
        let mut tier_claims = [0.0f64; 3];
        let mut full_year = true;
        for (id, f) in facilities.iter_mut().enumerate() {
            let c = &mut self.contracts[id];
            let unspent = c.installments_month - c.claims_month;
            if budgeted && unspent > 0 && params.budget_surplus_kept < 1.0 {
                let back = fen((1.0 - params.budget_surplus_kept) * fen_as_f64(unspent) / 100.0);
                credit(f, -back);
                self.paid -= back;
            }
            c.installments_month = 0;
            let slot = (month % 12) as usize;
            c.claims_history[slot] = std::mem::take(&mut c.claims_month);
            c.history_days[slot] =
                u16::try_from(crate::num::trunc_u32(days_in_month)).expect("a month has at most 31 days");
            c.months_recorded = (c.months_recorded + 1).min(12);
            full_year &= c.months_recorded == 12;
            let rolling = c.daily_claims();
            tier_claims[f.tier] += rolling;
            if method != PaymentMethod::GlobalBudget || c.months_recorded < 12 {
                c.budget_per_day = round_fen(rolling);
                c.budget_age = 0;
            } else if c.budget_age == 0 || c.budget_age >= 12 {
                let cap = fen_as_f64(c.budget_per_day) * (1.0 + params.budget_growth_cap);
                let next = if c.budget_age == 0 { rolling } else { rolling.min(cap) };
                c.budget_per_day = round_fen(next);
                c.budget_age = 1;
            } else {
                c.budget_age += 1;
            }
        }
        let capitation = method == PaymentMethod::Capitation;
        for tier in Tier::ALL {
            self.capitation[tier] = if capitation && self.capitation_fixed {
                self.capitation[tier] * growth
            } else {
                tier_claims[tier] / f64::from(population.max(1))
            };
        }
        self.capitation_fixed = capitation && (self.capitation_fixed || full_year);
    }
}

fn credit(f: &mut Facility, amount: Fen) {
    f.month.insurer += amount;
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
        let mut ins = Insurer::new(&[1_000]);
        let mut f = Facility::for_tests(Tier::Tertiary, 10);
        f.insurer_pays = ins.pays_bills(0, &l);
        let settled = ins.settle(0, &mut f, 330.0, 0.55, &p);
        assert_eq!((settled.insurer, settled.oop, settled.variable), (18150, 14850, 21450));
        assert_eq!(settled.net(), 33_000 - 21_450);
        assert_eq!(ins.paid, 18150);
        assert_eq!(f.total().insurer, 18150);
        assert_eq!(ins.contracts[0].claims_month, 18150);
        let net = Insurer::net_of(&f, 330.0, 0.55, &p);
        assert!((net * 100.0 - fen_as_f64(settled.net())).abs() < 1.0);
    }

    #[test]
    fn global_budget_pays_claims_only_until_a_history_exists_then_the_budget() {
        let (p, l) = (Params::default(), levers("global_budget"));
        let mut ins = Insurer::new(&[1_000, 500]);
        let mut fs = vec![Facility::for_tests(Tier::Tertiary, 10), Facility::for_tests(Tier::Primary, 5)];
        fs[0].insurer_pays = ins.pays_bills(0, &l);
        ins.settle(0, &mut fs[0], 1000.0, 0.5, &p);
        assert_eq!(ins.paid, 50_000, "first month: settled like fee-for-service");
        ins.close_month(&mut fs, &l, &p, 0, 10.0, 1_500);
        assert_eq!(ins.contracts[0].budget_per_day, 5_000, "budget = mean daily claims of the history");
        let before = ins.paid;
        fs[0].insurer_pays = ins.pays_bills(0, &l);
        let settled = ins.settle(0, &mut fs[0], 1000.0, 0.5, &p);
        assert_eq!((settled.insurer, settled.oop), (0, 50_000), "with a budget, a claim brings only the co-payment");
        assert_eq!(ins.paid, before);
        let installments = ins.pay_installments(&mut fs, &l);
        assert_eq!(installments, 5_000);
        let received: i64 = fs.iter().map(|f| f.total().insurer).sum();
        assert_eq!(received, ins.paid);
    }

    #[test]
    fn a_budget_is_fixed_for_a_year_and_reset_from_that_years_claims() {
        let (p, l) = (Params::default(), levers("global_budget"));
        let mut ins = Insurer::new(&[1_000]);
        let mut fs = vec![Facility::for_tests(Tier::Tertiary, 10)];
        let mut month = 0;
        let mut close = |ins: &mut Insurer, fs: &mut Vec<Facility>, claims: i64| {
            ins.contracts[0].claims_month = claims;
            ins.close_month(fs, &l, &p, month, 30.0, 1_000);
            month += 1;
        };
        // A year of claims of 1,000 fen a day sets the first annual budget.
        for _ in 0..12 {
            close(&mut ins, &mut fs, 30_000);
        }
        assert_eq!(ins.contracts[0].budget_per_day, 1_000);
        // Claims halve: the budget holds for the rest of its year (the balance is kept)...
        for _ in 0..11 {
            close(&mut ins, &mut fs, 15_000);
            assert_eq!(ins.contracts[0].budget_per_day, 1_000);
        }
        // ...and the next year's budget is set from them: the ratchet.
        close(&mut ins, &mut fs, 15_000);
        assert_eq!(ins.contracts[0].budget_per_day, 500);
        // Claims double: next year's budget grows no faster than the cap (0 by default).
        for _ in 0..12 {
            close(&mut ins, &mut fs, 60_000);
        }
        assert_eq!(ins.contracts[0].budget_per_day, 500);
    }

    #[test]
    fn capitation_pays_each_facility_per_resident_of_its_catchment_at_a_fixed_rate() {
        let (p, l) = (Params::default(), levers("capitation"));
        let mut ins = Insurer::new(&[600, 300, 100]);
        let mut fs = vec![
            Facility::for_tests(Tier::Primary, 7),
            Facility::for_tests(Tier::Primary, 3),
            Facility::for_tests(Tier::Primary, 2),
        ];
        for month in 0..12 {
            // Only the first centre claims anything: 1,000 fen a day.
            ins.contracts[0].claims_month = 30_000;
            ins.close_month(&mut fs, &l, &p, month, 30.0, 1_000);
        }
        assert_eq!(ins.capitation[Tier::Primary], 1.0, "tier claims per resident per day");
        // From now on the rate is fixed, whatever is claimed.
        ins.contracts[1].claims_month = 90_000;
        ins.close_month(&mut fs, &l, &p, 12, 30.0, 1_000);
        assert_eq!(ins.capitation[Tier::Primary], 1.0);
        let paid = ins.pay_installments(&mut fs, &l);
        assert_eq!(paid, 1_000, "every resident of every catchment, once");
        assert_eq!(fs.iter().map(|f| f.total().insurer).collect::<Vec<_>>(), vec![600, 300, 100]);
        assert_eq!(fs.iter().map(|f| f.total().insurer).sum::<i64>(), ins.paid);
    }

    #[test]
    fn an_unspent_budget_is_clawed_back_as_far_as_providers_do_not_keep_it() {
        let l = levers("global_budget");
        let p = Params { budget_surplus_kept: 0.25, ..Params::default() };
        let mut ins = Insurer::new(&[1_000]);
        let mut fs = vec![Facility::for_tests(Tier::Secondary, 10)];
        ins.contracts[0].claims_month = 30_000;
        ins.close_month(&mut fs, &l, &p, 0, 30.0, 1_000);
        for _ in 0..30 {
            ins.pay_installments(&mut fs, &l);
        }
        ins.contracts[0].claims_month = 10_000;
        ins.close_month(&mut fs, &l, &p, 1, 30.0, 1_000);
        // 30,000 paid, 10,000 claimed: three quarters of the 20,000 unspent go back.
        assert_eq!(fs[0].total().insurer, 30_000 - 15_000);
        assert_eq!(ins.paid, fs[0].total().insurer);
    }

    #[test]
    fn drg_and_fee_for_service_pay_no_installments() {
        let mut ins = Insurer::new(&[1_000]);
        let mut fs = vec![Facility::for_tests(Tier::Tertiary, 10)];
        ins.contracts[0].months_recorded = 3;
        ins.contracts[0].budget_per_day = 1_000;
        assert_eq!(ins.pay_installments(&mut fs, &levers("drg")), 0);
        assert_eq!(ins.pay_installments(&mut fs, &levers("fee_for_service")), 0);
    }

    #[test]
    fn a_drg_case_rate_covers_the_expected_stay_of_its_group() {
        let p = Params::default();
        let severe = drg_case_price(&p, Tier::Tertiary, Kind::Severe);
        let expected =
            p.price_admission[2] + p.price_bed_day[2] * (p.los_severe[2] + p.recovery_share * p.recovery_days);
        assert_eq!(severe, expected);
        assert_eq!(
            drg_case_price(&p, Tier::Primary, Kind::Moderate),
            p.price_admission[0] + p.price_bed_day[0] * p.los_moderate[0]
        );
    }

    #[test]
    fn contributions_accrue_daily() {
        let mut ins = Insurer::default();
        let p = Params::default();
        for _ in 0..365 {
            ins.collect(100_000, &p);
        }
        let yearly = p.premium_per_capita * 100_000.0 * 100.0;
        assert!((fen_as_f64(ins.income) - yearly).abs() < 365.0);
    }
}
