//! Hospitals and primary centres: capacity, queues, money, and the strategy each learns
//! from its own books (`strategy.rs`).

use crate::money::Ledger;
use crate::params::{Kind, Params};
use crate::patient::Offer;
use crate::rng::ExpCache;
use crate::strategy::Learner;
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
    /// The doctor who decided to admit.
    pub doctor: u16,
    /// Whether that doctor learns from this admission (a primary doctor who kept the case).
    pub learns: bool,
}

/// The billing class of an inpatient bed: referred or not, emergency (severe) or not.
#[inline]
pub fn bed_class(referred: bool, emergency: bool) -> usize {
    usize::from(referred) + 2 * usize::from(emergency)
}

/// What a facility did this month that others appraise or settle on.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MonthCounts {
    /// Recovery-phase inpatients whose doctor decided whether to refer them down.
    pub recovery_decisions: u32,
    /// Downward referrals made (inpatient transfers and chronic hand-backs).
    pub referred_down: u32,
    /// Recovery-phase inpatients transferred down (the appraised indicator).
    pub transfers_down: u32,
    /// Formal upward referrals made.
    pub referred_up: u32,
    /// Formal upward referrals received.
    pub received_up: u32,
    /// Downward referrals received (primary centres).
    pub received: u32,
    /// First contacts of the residents of its catchment (primary centres): all of them, and
    /// those made at primary care.
    pub first_contacts: [u32; 2],
    /// Inpatient days started here (for learning by doing at primary centres).
    pub bed_days: u32,
    /// Specialist-days sent to primary centres (tertiary hospitals) or hosted (primary
    /// centres).
    pub specialist_days: f64,
}

/// A facility of any tier.
#[derive(Debug, Clone)]
pub struct Facility {
    /// Its tier.
    pub tier: Tier,
    /// Position in km.
    pub pos: (f32, f32),
    /// Residents for whom it is the nearest facility of its tier.
    pub catchment: u32,
    /// Beds at the baseline capacity.
    pub base_beds: f64,
    /// Beds now (tertiary beds scale with `tertiary_capacity`).
    pub beds: u32,
    /// Occupied beds.
    pub occupied: u32,
    /// Occupied beds by billing class (`bed_class`): referred or not, emergency or not.
    pub inpatients: [u32; 4],
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
    /// What it chooses and how it learns (see `strategy.rs`).
    pub learner: Learner,
    /// Cooperation with the consortium now, 0..1 (the learner's level).
    pub cooperation: f64,
    /// Inducement per case and per bed-day now, -1, 0 or 1 (the learner's stances).
    pub inducement: [f64; 2],
    /// Share of its doctors' time spent in primary centres today (tertiary hospitals).
    pub sent_share: f64,
    /// Specialist help it hosts today, as a share (primary centres).
    pub hosted: f64,
    /// How far its records are shared today: `info_sharing` times its cooperation.
    pub records: f64,
    /// Reimbursement of its bills today, by billing class (`bed_class`: referred or not,
    /// emergency or not).
    pub rates: [f64; 4],
    /// Whether the insurer pays its bills as they come today (fee-for-service, DRG, or the
    /// first month of a budget).
    pub insurer_pays: bool,
    /// Its effective capability today (with the help it gets: see `Simulation::refresh_offers`).
    pub capability_today: f64,
    /// `e^-mean` of the follow-up visits of a minor and a moderate case here (the mean
    /// moves only with inducement, monthly; the draw happens on every visit).
    pub follow_up_exp: [ExpCache; 2],
    /// Clinical capability, 0..1 (varies for primary centres).
    pub capability: f64,
    /// What patients see of this facility today.
    pub offer: Offer,
    /// This month's money.
    pub month: Ledger,
    /// Last month's money, as it closed (after the settlement): what the facility learned from.
    pub last_month: Ledger,
    /// The money of every month closed so far (the whole run is this plus `month`: see
    /// `Facility::total`).
    pub closed: Ledger,
    /// This month's counts for appraisal and settlement.
    pub counts: MonthCounts,
    /// Discharges this month (for the expected wait for a bed).
    pub discharges_month: u32,
    /// Mean discharges per day over the last month.
    pub discharge_rate: f64,
    /// Outpatient visits this month.
    pub visits_month: u32,
    /// What this month's outpatient visits and tests brought the facility, less their
    /// variable cost, fen: the base of its doctors' visit bonuses (paid at the month's end).
    pub visit_net_month: crate::money::Fen,
    /// What it spent of its own on capability this month, fen (primary centres).
    pub invested_month: crate::money::Fen,
    /// Margin of the last month: net (after the consortium's settlement) over operating
    /// revenue, from the month's ledger.
    pub margin: f64,
}

impl Facility {
    /// A facility of `tier` at `pos` serving `catchment` residents, with `base_beds` beds at
    /// baseline capacity and the doctors `doctors` (first id, count), as it stands before
    /// day 0: empty beds and queue, no load, starting capability, the strategy of `learner`,
    /// no money. Its outpatient capacity is set when the levers are applied.
    pub fn new(
        tier: Tier,
        pos: (f32, f32),
        catchment: u32,
        base_beds: f64,
        doctors: (u32, u32),
        learner: Learner,
        params: &Params,
    ) -> Facility {
        let mut f = Facility {
            tier,
            pos,
            catchment,
            base_beds,
            beds: crate::num::trunc_u32(libm::round(base_beds)),
            occupied: 0,
            inpatients: [0; 4],
            doctors,
            next_doctor: 0,
            capacity: 0.0,
            stretch: params.max_stretch,
            arrivals: 0.0,
            load: 0.0,
            wait_today: 0.0,
            wait_scale: params.wait_scale,
            queue: VecDeque::new(),
            learner,
            cooperation: 0.0,
            inducement: [0.0; 2],
            sent_share: 0.0,
            hosted: 0.0,
            records: 0.0,
            rates: [0.0; 4],
            insurer_pays: true,
            capability_today: if tier == Tier::Primary { params.primary_capability } else { 1.0 },
            follow_up_exp: Default::default(),
            capability: if tier == Tier::Primary { params.primary_capability } else { 1.0 },
            offer: Offer::default(),
            month: Ledger::default(),
            last_month: Ledger::default(),
            closed: Ledger::default(),
            counts: MonthCounts::default(),
            discharges_month: 0,
            // Until a month of discharges is known: a bed turns over about every eight days.
            discharge_rate: base_beds / 8.0,
            visits_month: 0,
            visit_net_month: 0,
            invested_month: 0,
            margin: 0.0,
        };
        f.adopt_strategy();
        f
    }

    /// A facility with ten beds, a catchment of 1,000 and round numbers, for unit tests.
    #[cfg(test)]
    pub(crate) fn for_tests(tier: Tier, doctors: u32) -> Facility {
        let p = Params::default();
        let mut f = Facility::new(tier, (0.0, 0.0), 1_000, 10.0, (0, doctors), Learner::new(1, 5), &p);
        f.capacity = 100.0;
        f
    }

    /// Puts the learner's current strategy into force: cooperation and inducement.
    pub fn adopt_strategy(&mut self) {
        self.cooperation = self.learner.cooperation();
        let s = self.learner.strategy;
        self.inducement = [f64::from(s.case), f64::from(s.day)];
    }

    /// Books `amount` fen under `line` of the month's ledger.
    pub fn book(&mut self, amount: crate::money::Fen, line: fn(&mut Ledger) -> &mut crate::money::Fen) {
        *line(&mut self.month) += amount;
    }

    /// The money of the whole run so far: the months closed and the current one.
    pub fn total(&self) -> Ledger {
        let mut t = self.closed;
        t.add(&self.month);
        t
    }

    /// Closes the month: its ledger joins the run's and becomes `last_month`.
    pub fn close_ledger(&mut self) {
        self.closed.add(&self.month);
        self.last_month = std::mem::take(&mut self.month);
    }

    /// Fixed running costs per day (yuan): doctors (salary and overhead) and beds; the
    /// running-cost weight of the consortium's settlement.
    pub fn running_cost(&self, params: &Params) -> f64 {
        f64::from(self.doctors.1) * params.cost_per_doctor_day[self.tier]
            + f64::from(self.beds) * params.cost_per_bed_day[self.tier]
    }

    /// Expected days until a bed, from the queue and the discharge rate.
    pub fn bed_wait(&self) -> f64 {
        crate::num::count(self.queue.len()) / self.discharge_rate.max(0.5)
    }

    /// Expected outpatient wait in days: a queueing (M/M/1-like) congestion curve in the
    /// utilisation of the stretched clinic, so waiting rises steeply as it fills up but
    /// never pins volume to a hard wall (choice-waiting equilibrium, evidence A7).
    pub fn visit_wait(&self) -> f64 {
        let rho = (self.load / (self.capacity * self.stretch).max(1.0)).min(MAX_UTILISATION);
        self.wait_scale * rho / (1.0 - rho)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_facility_puts_its_strategy_into_force() {
        let mut f = Facility::for_tests(Tier::Tertiary, 10);
        assert_eq!(f.cooperation, 0.25);
        f.learner.strategy.level = 4;
        f.learner.strategy.case = 1;
        f.learner.strategy.day = -1;
        f.adopt_strategy();
        assert_eq!((f.cooperation, f.inducement), (1.0, [1.0, -1.0]));
    }

    #[test]
    fn waits_grow_with_load() {
        let mut f = Facility::for_tests(Tier::Primary, 5);
        assert_eq!(f.visit_wait(), 0.0);
        f.load = 100.0;
        let some = f.visit_wait();
        f.load = 140.0;
        assert!(f.visit_wait() > some && some > 0.0);
    }
}
