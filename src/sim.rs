//! The simulation: owns every agent and advances the region one day at a time.
//!
//! Phases of a day, always in this order:
//! 1. lever changes made since the last day take effect; contributions are collected;
//! 2. patients' view of each facility is refreshed from yesterday's queues, with today's
//!    cooperation at work (specialists sent and hosted, records shared);
//! 3. inpatient events due today, in the order they were scheduled: the end of an acute
//!    phase (where a downward referral may happen) and discharges;
//! 4. freed beds are filled from the admission queues, first come first served;
//! 5. new illness episodes and chronic routine visits arrive, each followed through its
//!    care pathway (seeking care or not, choice, visit, doctor's decision, admission or
//!    referral, billing and pay);
//! 6. outpatient clinics update their smoothed load, from which tomorrow's wait follows;
//! 7. the day's money: insurer installments, the commission's payments, salaries and
//!    running costs, cooperation costs;
//! 8. the day's counts are recorded;
//! 9. at a month's end (`month_end.rs`): budgets are reconciled and reset, the commission
//!    appraises, the consortium settles, facilities learn from their margins and review
//!    their strategies, capability moves, doctors' loads are taken, the campaign informs.

use crate::commission::Commission;
use crate::doctor::Doctors;
use crate::error::SimError;
use crate::hospital::Facility;
use crate::inpatient::{HORIZON, Stay};
use crate::insurer::Insurer;
use crate::levers::{LeverValue, Levers};
use crate::metrics::Day;
use crate::money::{Fen, Ledger, fen};
use crate::num::{count, trunc_u32};
use crate::params::{Kind, Params};
use crate::patient::Residents;
use crate::region::lay_out;
use crate::rng::{SimRng, Stream};
use crate::scenario::Scenario;
use crate::strategy::Learner;
use crate::tier::Tier;

/// Days in a simulated year.
pub const YEAR: u32 = 365;

/// The month that day `day` (counted from 0) falls in, counted from 0 across years. Months are
/// twelfths of the year, 30 or 31 days long, so a year is exactly twelve of them; a month ends
/// (`month_end.rs`) after its last day. Charts and series by month use these months too.
pub const fn month_of(day: u32) -> u32 {
    day / YEAR * 12 + day % YEAR * 12 / YEAR
}

/// The first day of month `month` (see [`month_of`]).
pub const fn month_start(month: u32) -> u32 {
    month / 12 * YEAR + (month % 12 * YEAR).div_ceil(12)
}

/// The random streams of the running model.
#[derive(Debug, Clone)]
pub(crate) struct Streams {
    pub illness: SimRng,
    pub choice: SimRng,
    pub clinical: SimRng,
    pub doctors: SimRng,
    pub hospitals: SimRng,
    pub trust: SimRng,
}

/// A running simulation of one scenario.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub(crate) scenario: Scenario,
    pub(crate) levers: Levers,
    pending: Option<Levers>,
    /// The scenario's changes in the order they apply (indices into `scenario.changes`),
    /// and how many of them have been set.
    schedule: (Vec<usize>, usize),
    pub(crate) params: Params,
    pub(crate) residents: Residents,
    pub(crate) facilities: Vec<Facility>,
    pub(crate) doctors: Doctors,
    pub(crate) insurer: Insurer,
    pub(crate) commission: Commission,
    pub(crate) calendar: Vec<Vec<Stay>>,
    /// Today's contacts (resident, kind), drawn before they run; kept to reuse its memory.
    pub(crate) arrivals_today: Vec<(u32, Kind)>,
    pub(crate) rng: Streams,
    pub(crate) day: u32,
    pub(crate) month: u32,
    pub(crate) month_start: u32,
    pub(crate) today: Day,
    pub(crate) history: Vec<Day>,
    /// Visits and admissions by home primary centre (row) and facility (column), cumulative.
    pub(crate) flows: Vec<u32>,
    /// Today's chance of seeking care at all (`demand.rs`).
    pub(crate) seeking: crate::demand::Seeking,
    /// Residents with a family-doctor contract, by home centre (facility id), and the
    /// coverage they were counted at.
    contracted: (f64, Vec<u32>),
    /// Ledgers summed by tier, and the commission's spending, as of the end of yesterday
    /// (today's flows are the differences).
    previous: [Ledger; 3],
    previous_spending: Fen,
    /// For experiments: the chance with which every doctor of a tier proposes a recovering
    /// inpatient for transfer, instead of their learned propensity (`force_transfer_proposals`).
    pub(crate) transfer_proposals: [Option<f64>; 3],
    /// Each facility's closed months and learning, for inspection (`facility_history.rs`).
    pub(crate) facility_log: crate::facility_history::FacilityLog,
}

impl Simulation {
    /// Builds the region and its agents for a scenario, with the calibrated parameters.
    pub fn new(scenario: Scenario) -> Result<Simulation, SimError> {
        Simulation::with_params(scenario, Params::default())
    }

    /// Builds the region with explicit structural parameters.
    pub fn with_params(scenario: Scenario, params: Params) -> Result<Simulation, SimError> {
        scenario.validate()?;
        let s = &scenario;
        let counts = crate::region::facility_counts(s.population, &params);
        // Facility ids are stored in 16 bits, `NO_FACILITY` (`u16::MAX`) meaning none: a region
        // of more is refused before it is laid out.
        if counts.iter().map(|&c| u64::from(c)).sum::<u64>() >= u64::from(crate::resident::NO_FACILITY) {
            return Err(SimError::invalid(
                "population",
                s.population,
                "a population whose facilities number fewer than 65,535",
            ));
        }
        let mut layout = lay_out(s.population, s.urban_share, s.seed, &params);
        let residents = Residents::new(&mut layout, s.seed, &params);
        // Facilities are sized to the residents nearest to them: half in proportion to that
        // catchment, half an equal share of the tier (planning norms mix both).
        let mut catchment = vec![0u32; layout.facilities.len()];
        for i in 0..residents.population() {
            for &f in &residents.candidates(i)[..3] {
                catchment[usize::from(f)] += 1;
            }
        }
        let pop = f64::from(s.population);
        let levels = (params.cooperation_levels as usize).clamp(2, crate::strategy::MAX_LEVELS);
        let mut hospitals = SimRng::new(s.seed, Stream::Hospitals);
        let mut facilities = Vec::with_capacity(layout.facilities.len());
        let mut first_doctor = 0u32;
        for (id, &(x, y, tier)) in layout.facilities.iter().enumerate() {
            let t = Tier::from_index(usize::from(tier));
            let weight = 0.5 * f64::from(catchment[id]) / pop + 0.5 / f64::from(counts[t]);
            let doctors = trunc_u32(libm::round(params.doctors_per_1000[t] * pop / 1000.0 * weight).max(1.0));
            let base_beds = (params.beds_per_1000[t] * pop / 1000.0 * weight).max(2.0);
            // Facilities start near the mean cooperation, each at a level of its own.
            let level = Learner::starting_level(params.cooperation_initial, levels, &mut hospitals);
            let learner = Learner::new(level, levels);
            let doctor_ids = (first_doctor, doctors);
            facilities.push(Facility::new(t, (x, y), catchment[id], base_beds, doctor_ids, learner, &params));
            first_doctor += doctors;
        }
        // Doctor ids are stored in 16 bits in stays and queues.
        if first_doctor > u32::from(u16::MAX) {
            return Err(SimError::invalid(
                "population",
                s.population,
                "a population whose doctors number at most 65,535",
            ));
        }
        let doctors = Doctors::new(&facilities, s.seed, &params);
        let seed = s.seed;
        let n_fac = facilities.len();
        let mut sim = Simulation {
            levers: s.levers.clone(),
            pending: None,
            schedule: (crate::change::schedule(&s.changes), 0),
            residents,
            doctors,
            insurer: Insurer::new(&catchment),
            commission: Commission::default(),
            calendar: vec![Vec::new(); HORIZON],
            arrivals_today: Vec::new(),
            rng: Streams {
                illness: SimRng::new(seed, Stream::Illness),
                choice: SimRng::new(seed, Stream::Choice),
                clinical: SimRng::new(seed, Stream::Clinical),
                doctors: SimRng::new(seed, Stream::Doctors),
                hospitals,
                trust: SimRng::new(seed, Stream::Trust),
            },
            day: 0,
            month: 0,
            month_start: 0,
            today: Day::default(),
            history: Vec::with_capacity((s.years * YEAR) as usize),
            flows: vec![0; n_fac * n_fac],
            seeking: crate::demand::Seeking::default(),
            contracted: (-1.0, vec![0; n_fac]),
            previous: [Ledger::default(); 3],
            previous_spending: 0,
            transfer_proposals: [None; 3],
            facility_log: crate::facility_history::FacilityLog::default(),
            facilities,
            params,
            scenario,
        };
        sim.apply_levers();
        Ok(sim)
    }

    /// The scenario the run started from.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The levers in force (after changes made mid-run).
    pub fn levers(&self) -> &Levers {
        self.pending.as_ref().unwrap_or(&self.levers)
    }

    /// The structural parameters.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// Days simulated so far.
    pub fn day(&self) -> u32 {
        self.day
    }

    /// Days in the scenario's horizon.
    pub fn total_days(&self) -> u32 {
        self.scenario.years * YEAR
    }

    /// Whether the horizon has been reached.
    pub fn finished(&self) -> bool {
        self.day >= self.total_days()
    }

    /// Changes a lever; the change takes effect from the next simulated day. On error the
    /// levers are unchanged.
    pub fn set_lever(&mut self, key: &str, value: &LeverValue) -> Result<(), SimError> {
        let mut next = self.levers().clone();
        next.set(key, value)?;
        self.pending = Some(next);
        Ok(())
    }

    /// Advances `days` days (it may run past the scenario's horizon; callers that want to
    /// stop there use [`Simulation::run`]). The scenario's changes are set on their days, as
    /// [`Simulation::set_lever`] would set them by hand: the days run in spans between change
    /// days, so the daily loop itself does no checking.
    pub fn step(&mut self, days: u32) {
        let end = self.day.saturating_add(days);
        while self.day < end {
            self.set_changes_due();
            let stop = self.next_change_day().map_or(end, |d| d.min(end));
            // Every pass runs at least a day (the changes due today are set above), so the
            // loop ends; a broken schedule fails here instead of spinning.
            assert!(stop > self.day, "step: the next change day {stop} is not after day {}", self.day);
            for _ in self.day..stop {
                self.step_day();
            }
        }
    }

    /// Sets the scenario's changes whose day has come, in list order within a day, with the
    /// same setter as a change by hand.
    fn set_changes_due(&mut self) {
        while let Some(day) = self.next_change_day().filter(|&d| d <= self.day) {
            let change = &self.scenario.changes[self.schedule.0[self.schedule.1]];
            debug_assert_eq!(change.day, day);
            let (lever, value) = (change.lever.clone(), change.value.clone());
            self.set_lever(&lever, &value).expect("changes are checked when the simulation is built");
            self.schedule.1 += 1;
        }
    }

    /// The day of the next change not yet set, if any.
    fn next_change_day(&self) -> Option<u32> {
        let (order, done) = &self.schedule;
        order.get(*done).map(|&i| self.scenario.changes[i].day)
    }

    /// Runs to the end of the horizon.
    pub fn run(&mut self) {
        let left = self.total_days().saturating_sub(self.day);
        self.step(left);
    }

    /// Starts the same scenario again from day 0 (lever changes made by hand are dropped; the
    /// scenario's own changes apply again on their days).
    pub fn reset(&mut self) {
        *self = Simulation::with_params(self.scenario.clone(), self.params.clone())
            .expect("a scenario that built once builds again");
    }

    fn apply_levers(&mut self) {
        if let Some(next) = self.pending.take() {
            self.levers = next;
        }
        let l = &self.levers;
        let p = &self.params;
        for f in &mut self.facilities {
            f.capacity = f64::from(f.doctors.1) * p.visits_per_doctor_day[f.tier] * p.working_days / 365.0;
            if f.tier == Tier::Tertiary {
                // A cut closes beds as their patients leave, never with a patient in them:
                // until then the ward keeps the beds its patients lie in (and admits no one),
                // so occupancy stays at most 1 (MODEL.md 2.8).
                let target = trunc_u32(libm::round(f.base_beds * l.tertiary_capacity).max(1.0));
                f.beds = target.max(f.occupied);
            }
        }
        if self.contracted.0 != l.family_doctor_coverage {
            let coverage = l.family_doctor_coverage;
            let counts = &mut self.contracted.1;
            counts.iter_mut().for_each(|c| *c = 0);
            for i in 0..self.residents.population() {
                if self.residents.has_family_doctor(i, coverage) {
                    counts[self.residents.home(i)] += 1;
                }
            }
            self.contracted.0 = coverage;
        }
    }

    fn step_day(&mut self) {
        // 1. Levers and contributions.
        self.apply_levers();
        self.today = Day::default();
        self.insurer.collect(self.scenario.population, &self.params);
        // 2. What patients see.
        self.refresh_offers();
        // 3. Inpatient events due today.
        let slot = self.day as usize % HORIZON;
        let mut due = std::mem::take(&mut self.calendar[slot]);
        for stay in due.drain(..) {
            self.inpatient_event(stay);
        }
        self.calendar[slot] = due;
        // 4. Admissions from queues.
        self.admit_from_queues();
        // 5. New needs for care.
        self.arrivals();
        // 6. Outpatient clinics.
        for f in &mut self.facilities {
            f.load += 0.2 * (f.arrivals - f.load);
            f.arrivals = 0.0;
        }
        // 7. The day's money.
        self.book_daily_money();
        // 8. Record.
        self.record_day();
        self.day += 1;
        // 9. Month end.
        if month_of(self.day) != month_of(self.day - 1) {
            self.month_end();
            // The month end's money (settlement, appraisal, claw-back, bonuses) belongs to the
            // month's last day, already recorded.
            let mut last = *self.history.last().expect("a day was recorded");
            self.record_money(&mut last);
            *self.history.last_mut().expect("a day was recorded") = last;
        }
    }

    /// The day's money, facility by facility in id order: the day's bed-days, billed; the
    /// insurer's installments (global
    /// budget or capitation); from the commission, the primary centres' subsidy, investment
    /// grant (spent at once on training and equipment) and family-doctor fees, and the
    /// tertiary hospitals' outreach stipends; the campaign; doctors' salaries and the other
    /// running costs; the cost of cooperating.
    fn book_daily_money(&mut self) {
        self.bill_bed_days();
        self.insurer.pay_installments(&mut self.facilities, &self.levers);
        let l = &self.levers;
        let p = &self.params;
        let pop = f64::from(self.scenario.population);
        let n_primary = count(self.facilities.iter().filter(|f| f.tier == Tier::Primary).count());
        let subsidy = fen(p.primary_subsidy_per_capita * pop / 365.0 / n_primary);
        let campaign = fen(l.awareness_campaign * p.campaign_cost * pop / 365.0);
        self.commission.pay(campaign, |s| &mut s.campaign);
        for (id, f) in self.facilities.iter_mut().enumerate() {
            let doctors = f64::from(f.doctors.1);
            match f.tier {
                Tier::Primary => {
                    let grant = fen(l.primary_investment * f64::from(f.catchment) / 365.0);
                    let fees = fen(p.family_doctor_fee * f64::from(self.contracted.1[id]) / 365.0);
                    self.commission.pay(subsidy, |s| &mut s.subsidy);
                    self.commission.pay(grant, |s| &mut s.investment);
                    self.commission.pay(fees, |s| &mut s.family_doctors);
                    f.book(subsidy + grant + fees, |l| &mut l.government);
                    f.book(grant, |l| &mut l.other);
                }
                Tier::Tertiary => {
                    let stipend = fen(f.sent_share * doctors * p.outreach_stipend);
                    self.commission.pay(stipend, |s| &mut s.outreach);
                    f.book(stipend, |l| &mut l.government);
                }
                Tier::Secondary => {}
            }
            let per_doctor = p.cost_per_doctor_day[f.tier];
            let salary = fen(p.doctor_salary_share * per_doctor);
            for d in f.doctors.0..f.doctors.0 + f.doctors.1 {
                self.doctors.pay(d as usize, salary, false);
            }
            f.book(salary * i64::from(f.doctors.1), |l| &mut l.staff);
            let overhead = (1.0 - p.doctor_salary_share) * per_doctor * doctors;
            f.book(fen(overhead + f64::from(f.beds) * p.cost_per_bed_day[f.tier]), |l| &mut l.fixed);
            let cooperating =
                f.cooperation * f.running_cost(p) * (p.cooperation_cost + l.info_sharing * p.records_cost);
            f.book(fen(cooperating), |l| &mut l.other);
        }
    }

    fn record_day(&mut self) {
        let p = &self.params;
        let t = &mut self.today;
        let mut coop = [0.0; 3];
        let mut n = [0.0f64; 3];
        for f in &self.facilities {
            let k = f.tier;
            t.occupied[k] += f.occupied;
            t.beds[k] += f.beds;
            t.doctors[k] += f.doctors.1;
            coop[k] += f.cooperation;
            n[k] += 1.0;
        }
        for k in Tier::ALL {
            t.trust[k] = self.residents.mean_trust(k);
            t.price_visit[k] = p.price_visit[k];
            t.cooperation[k] = coop[k] / n[k].max(1.0);
        }
        t.income = fen(p.premium_per_capita * f64::from(self.scenario.population) / 365.0);
        let mut today = self.today;
        self.record_money(&mut today);
        self.history.push(today);
    }

    /// Adds to `day` the money booked since the last call: revenue and net by tier, what the
    /// insurer paid, out-of-pocket payments and the commission's spending.
    fn record_money(&mut self, day: &mut Day) {
        let mut tiers = [Ledger::default(); 3];
        for f in &self.facilities {
            tiers[f.tier].add(&f.total());
        }
        for k in Tier::ALL {
            let (now, before) = (&tiers[k], &self.previous[k]);
            day.revenue[k] += now.operating_revenue() - before.operating_revenue();
            day.net[k] += now.net() - before.net();
            day.insurer_paid += now.insurer - before.insurer;
            day.oop += now.oop - before.oop;
        }
        let spent = self.commission.spent.total();
        day.government += spent - self.previous_spending;
        self.previous_spending = spent;
        self.previous = tiers;
    }

    /// A primary centre's capability with the help it gets today: visiting specialists,
    /// shared records (better diagnosis) and a full drug list (hospitals: their own, 1).
    pub(crate) fn effective_capability(&self, f: &Facility) -> f64 {
        if f.tier != Tier::Primary {
            return f.capability;
        }
        let drugs = if self.levers.unified_drug_list { 0.05 } else { 0.0 };
        let c = f.capability + 0.15 * f.hosted + 0.1 * f.records + drugs;
        // `c.min(1.0)` as a comparison (the same for every input, NaN included): in
        // WebAssembly f64::min is a call, and this runs for every primary-care outcome.
        if c < 1.0 { c } else { 1.0 }
    }
}

/// A small region (3,000 residents) ready for a day's decisions, its offers refreshed: the
/// fixture of the care pathway's unit tests.
#[cfg(test)]
pub(crate) fn small_region() -> Simulation {
    let s = Scenario { population: 3_000, years: 1, seed: 11, ..Scenario::default() };
    let mut sim = Simulation::new(s).unwrap();
    sim.refresh_offers();
    sim
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics;

    #[test]
    fn months_are_twelfths_of_the_year_and_the_series_follows_them() {
        let mut starts = Vec::new();
        for day in 0..3 * YEAR {
            // The month ends where the model always ended them.
            assert_eq!(month_of(day), day / YEAR * 12 + (day % YEAR) * 12 / YEAR);
            let m = month_of(day);
            assert!(month_start(m) <= day && day < month_start(m + 1), "day {day}");
            if day == month_start(m) {
                starts.push(day);
            }
        }
        assert_eq!(starts.len(), 36);
        assert!(starts.windows(2).all(|w| (30..=31).contains(&(w[1] - w[0]))));
        let mut sim = small_region();
        sim.step(45);
        let monthly = sim.series_monthly("visits_per_resident").unwrap();
        assert_eq!(monthly.len(), 2);
        let (pop, wd) = (sim.scenario.population, sim.params.working_days);
        let second = &sim.history()[month_start(1) as usize..45];
        assert_eq!(monthly[1].to_bits(), metrics::evaluate(second, "visits_per_resident", pop, wd).to_bits());
        assert!(sim.series_monthly("nope").is_err());
    }

    #[test]
    fn a_region_of_more_facilities_than_16_bit_ids_hold_is_refused_before_it_is_laid_out() {
        // One primary centre for every resident: 100,000 centres.
        let params = Params { residents_per_facility: [1.0, 40_000.0, 60_000.0], ..Params::default() };
        let s = Scenario { population: 100_000, years: 1, ..Scenario::default() };
        let e = Simulation::with_params(s, params).expect_err("too many facilities").to_string();
        assert!(e.contains("facilities number fewer than 65,535"), "{e}");
    }
}
