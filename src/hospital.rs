//! Hospitals and primary centres: capacity, queues, finances, and the two things they
//! adapt: how much they cooperate with the consortium and how hard they induce demand.
//!
//! Both adaptations follow the payoff of the choice under the current payment method and
//! integration: a logit best response smoothed over months, plus Fermi imitation of a
//! better-earning peer of the same tier (replicator dynamics at agent level, section 1.2
//! of the evidence).

use crate::levers::{Integration, Levers, PaymentMethod};
use crate::money::Ledger;
use crate::params::{Kind, Params};
use crate::patient::Offer;
use crate::rng::{ExpCache, SimRng, logistic};
use crate::tier::Tier;
use std::collections::VecDeque;

/// Utilisation at which the congestion curve is capped (a wait of about 50 scale units).
pub const MAX_UTILISATION: f64 = 0.98;

/// A patient waiting for a bed.
#[derive(Debug, Clone, Copy)]
pub struct Pending {
    /// Resident id.
    pub resident: u32,
    /// Episode kind (moderate or severe).
    pub kind: Kind,
    /// Whether the patient came with a referral.
    pub referred: bool,
    /// Day the patient joined the queue.
    pub since: u32,
}

/// A facility of any tier.
#[derive(Debug, Clone)]
pub struct Facility {
    /// Its tier.
    pub tier: Tier,
    /// Position in km.
    pub pos: (f32, f32),
    /// Beds at the baseline capacity.
    pub base_beds: f64,
    /// Beds now (tertiary beds scale with `tertiary_capacity`).
    pub beds: u32,
    /// Occupied beds.
    pub occupied: u32,
    /// First doctor id and number of doctors.
    pub doctors: (u32, u32),
    /// Next doctor to see a patient (round robin within the facility).
    pub next_doctor: u32,
    /// Outpatient visits per calendar day at a comfortable pace.
    pub capacity: f64,
    /// How far the clinic stretches beyond `capacity` under load.
    pub stretch: f64,
    /// Outpatient arrivals today.
    pub arrivals: f64,
    /// Smoothed daily outpatient arrivals (exponential average over about five days).
    pub load: f64,
    /// Today's expected outpatient wait in days: [`Facility::visit_wait`] as of the start
    /// of the day (the load it depends on changes only after the day's arrivals).
    pub wait_today: f64,
    /// Days of wait per unit of `rho / (1 - rho)`.
    pub wait_scale: f64,
    /// Patients waiting for a bed, first come first served.
    pub queue: VecDeque<Pending>,
    /// Cooperation with the consortium, 0..1.
    pub cooperation: f64,
    /// Supplier inducement per case and per bed-day, -1..1.
    pub inducement: [f64; 2],
    /// `e^-mean` of the follow-up visits of a minor and a moderate case here (the mean
    /// moves only with inducement, monthly; the draw happens on every visit).
    pub follow_up_exp: [ExpCache; 2],
    /// Clinical capability, 0..1 (varies for primary centres).
    pub capability: f64,
    /// What patients see of this facility today.
    pub offer: Offer,
    /// This month's money.
    pub month: Ledger,
    /// Whole-run money.
    pub total: Ledger,
    /// Discharges this month (for the expected wait for a bed).
    pub discharges_month: u32,
    /// Mean discharges per day over the last month.
    pub discharge_rate: f64,
    /// Outpatient visits this month.
    pub visits_month: u32,
    /// Margin of the last month (revenue minus cost over revenue).
    pub margin: f64,
}

impl Facility {
    /// A facility of `tier` at `pos` with `base_beds` beds at baseline capacity and the
    /// doctors `doctors` (first id, count), as it stands before day 0: empty beds and queue,
    /// no load, initial cooperation and capability, neutral inducement, no money. Its
    /// outpatient capacity is set when the levers are applied.
    pub fn new(tier: Tier, pos: (f32, f32), base_beds: f64, doctors: (u32, u32), params: &Params) -> Facility {
        Facility {
            tier,
            pos,
            base_beds,
            beds: libm::round(base_beds) as u32,
            occupied: 0,
            doctors,
            next_doctor: 0,
            capacity: 0.0,
            stretch: params.max_stretch,
            arrivals: 0.0,
            load: 0.0,
            wait_today: 0.0,
            wait_scale: params.wait_scale,
            queue: VecDeque::new(),
            cooperation: params.cooperation_initial,
            inducement: [0.0; 2],
            follow_up_exp: Default::default(),
            capability: if tier == Tier::Primary { params.primary_capability } else { 1.0 },
            offer: Offer::default(),
            month: Ledger::default(),
            total: Ledger::default(),
            discharges_month: 0,
            // Until a month of discharges is known: a bed turns over about every eight days.
            discharge_rate: base_beds / 8.0,
            visits_month: 0,
            margin: 0.0,
        }
    }

    /// A facility with ten beds and round numbers, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests(tier: Tier, doctors: u32) -> Facility {
        let mut f = Facility::new(tier, (0.0, 0.0), 10.0, (0, doctors), &Params::default());
        f.capacity = 100.0;
        f
    }

    /// Books a variable cost (yuan) that no bill pays for.
    pub fn book_cost(&mut self, yuan: f64) {
        let cost = crate::money::fen(yuan);
        self.month.cost += cost;
        self.total.cost += cost;
    }

    /// Expected days until a bed, from the queue and the discharge rate.
    pub fn bed_wait(&self) -> f64 {
        self.queue.len() as f64 / self.discharge_rate.max(0.5)
    }

    /// Expected outpatient wait in days: a queueing (M/M/1-like) congestion curve in the
    /// utilisation of the stretched clinic, so waiting rises steeply as it fills up but
    /// never pins volume to a hard wall (choice-waiting equilibrium, evidence A7).
    pub fn visit_wait(&self) -> f64 {
        let rho = (self.load / (self.capacity * self.stretch).max(1.0)).min(MAX_UTILISATION);
        self.wait_scale * rho / (1.0 - rho)
    }
}

/// Marginal margin of a service, as a share of its list price, under a payment method:
/// `[per case (visit or admission), per bed-day]`. Under fee-for-service every service
/// earns its price; under a budget or capitation only the patient's co-payment comes in;
/// a DRG case rate pays per admission and nothing per extra day.
pub fn marginal_margin(levers: &Levers, tier: Tier, params: &Params) -> [f64; 2] {
    let vc = params.variable_cost_share;
    let copay = 1.0 - levers.reimbursement(tier);
    match levers.payment_method {
        PaymentMethod::FeeForService => [1.0 - vc, 1.0 - vc],
        PaymentMethod::GlobalBudget | PaymentMethod::Capitation => [copay - vc, copay - vc],
        PaymentMethod::Drg => [1.0 - vc, -vc],
    }
}

/// How much of a partner's gain a facility counts as its own: separate finances count
/// none, shared management half, one pot all; capitation pools the fund across members.
pub fn pooling(levers: &Levers) -> f64 {
    let base: f64 = match levers.integration {
        Integration::Loose => 0.0,
        Integration::SemiClose => 0.5,
        Integration::Close => 1.0,
    };
    if levers.payment_method == PaymentMethod::Capitation { (base + 0.5).min(1.0) } else { base }
}

/// Payoffs (yuan) of one downward referral of a recovery-phase inpatient from a hospital of
/// `tier`: `(to the sending hospital, to the receiving primary centre)`, each before pooling.
pub fn referral_payoffs(levers: &Levers, tier: Tier, params: &Params, queue_pressure: f64) -> (f64, f64) {
    let days = params.recovery_days;
    let m = marginal_margin(levers, tier, params);
    let lost = m[1] * params.price_bed_day[tier] * days;
    // A freed bed is refilled from the queue; an acute patient costs more to treat, so only
    // part of the refill's margin counts.
    let refill =
        queue_pressure * 0.3 * (m[1] * params.price_bed_day[tier] * days + m[0] * params.price_admission[tier]);
    let mp = marginal_margin(levers, Tier::Primary, params);
    let gained = mp[1] * params.price_bed_day[Tier::Primary] * days - params.rehab_effort;
    (refill - lost, gained)
}

/// Monthly adaptation of cooperation and inducement of every facility.
pub fn adapt(facilities: &mut [Facility], levers: &Levers, params: &Params, rng: &mut SimRng) {
    let pool = pooling(levers);
    let pressure = params.integration_pressure[levers.integration as usize];
    let n = facilities.len();
    for i in 0..n {
        let f = &facilities[i];
        let queue_pressure = (f.queue.len() as f64 / f.beds.max(1) as f64 * 10.0).min(1.0);
        let payoff = if f.tier == Tier::Primary {
            let (send, recv) = referral_payoffs(levers, Tier::Tertiary, params, 0.5);
            recv + pool * send
        } else {
            let (send, recv) = referral_payoffs(levers, f.tier, params, queue_pressure);
            send + pool * recv
        } + pressure;
        let target = logistic(payoff / params.hospital_payoff_scale);
        let mut c = f.cooperation + params.cooperation_learning * (target - f.cooperation);
        // Imitation: look at a random peer of the same tier and copy half-way with the
        // Fermi probability of its margin advantage.
        let peer = rng.below(n as u32) as usize;
        if peer != i && facilities[peer].tier == f.tier {
            let p = logistic(params.imitation_intensity * (facilities[peer].margin - f.margin));
            if rng.chance(p) {
                c += 0.5 * (facilities[peer].cooperation - c);
            }
        }
        let m = marginal_margin(levers, f.tier, params);
        let f = &mut facilities[i];
        f.cooperation = c.clamp(0.0, 1.0);
        for k in 0..2 {
            let target = libm::tanh(params.inducement_sensitivity * m[k]);
            f.inducement[k] += params.inducement_learning * (target - f.inducement[k]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::levers::LeverValue;

    fn with(changes: &[(&str, &str)]) -> Levers {
        let mut l = Levers::default();
        for (k, v) in changes {
            l.set(k, &LeverValue::Text((*v).into())).unwrap();
        }
        l
    }

    #[test]
    fn fee_for_service_pays_every_service() {
        let p = Params::default();
        let m = marginal_margin(&Levers::default(), Tier::Tertiary, &p);
        assert!(m[0] > 0.0 && m[1] > 0.0);
    }

    #[test]
    fn budget_and_capitation_make_extra_services_unprofitable() {
        let p = Params::default();
        for method in ["global_budget", "capitation"] {
            let m = marginal_margin(&with(&[("payment_method", method)]), Tier::Tertiary, &p);
            assert!(m[0] < 0.0 && m[1] < 0.0, "{method}");
        }
    }

    #[test]
    fn drg_pays_the_case_not_the_day() {
        let p = Params::default();
        let m = marginal_margin(&with(&[("payment_method", "drg")]), Tier::Tertiary, &p);
        assert!(m[0] > 0.0 && m[1] < 0.0);
    }

    #[test]
    fn referring_down_costs_a_tertiary_hospital_under_fee_for_service_and_pays_under_budget() {
        let p = Params::default();
        let (ffs, _) = referral_payoffs(&Levers::default(), Tier::Tertiary, &p, 1.0);
        let (gb, _) = referral_payoffs(&with(&[("payment_method", "global_budget")]), Tier::Tertiary, &p, 1.0);
        assert!(ffs < 0.0 && gb > 0.0, "{ffs} {gb}");
    }

    #[test]
    fn pooling_grows_with_integration() {
        let loose = pooling(&Levers::default());
        let semi = pooling(&with(&[("integration", "semi_close")]));
        let close = pooling(&with(&[("integration", "close")]));
        assert!(loose < semi && semi < close);
        assert!(pooling(&with(&[("payment_method", "capitation")])) > loose);
    }
}
