//! The simulation: owns every agent and advances the region one day at a time.
//!
//! Phases of a day, always in this order:
//! 1. lever changes made since the last day take effect; contributions are collected;
//! 2. patients' view of each facility is refreshed from yesterday's queues;
//! 3. inpatient events due today, in the order they were scheduled: the end of an acute
//!    phase (where a downward referral may happen) and discharges;
//! 4. freed beds are filled from the admission queues, first come first served;
//! 5. new illness episodes and chronic routine visits arrive, each followed through its
//!    care pathway (choice, visit, doctor's decision, admission or referral, billing);
//! 6. outpatient clinics update their smoothed load, from which tomorrow's wait follows;
//! 7. budget or capitation installments, subsidies and running costs are booked;
//! 8. the day's counts are recorded;
//! 9. at a month's end: budgets are reset from claims, hospitals adapt cooperation and
//!    inducement, primary capability moves, doctors learn, the campaign reaches residents.

use crate::doctor::Doctors;
use crate::error::SimError;
use crate::hospital::{self, Facility};
use crate::insurer::Insurer;
use crate::levers::{LeverValue, Levers};
use crate::metrics::{self, Day};
use crate::money::{Fen, Ledger, fen};
use crate::params::{Kind, Params};
use crate::patient::Residents;
use crate::region::lay_out;
use crate::rng::{SimRng, Stream};
use crate::scenario::Scenario;
use crate::tier::Tier;

/// Days in a simulated year.
pub const YEAR: u32 = 365;
/// Length of the inpatient event calendar; stays are capped below it.
pub(crate) const HORIZON: usize = 256;

/// An inpatient event on the calendar.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Stay {
    pub resident: u32,
    pub facility: u16,
    /// Episode kind (moderate or severe).
    pub kind: Kind,
    /// True at the end of an acute phase that has a recovery phase to follow.
    pub recovery_next: bool,
    pub referred: bool,
    /// Bed-days to bill when the event fires.
    pub days: u16,
}

/// What can be seen of one facility from outside.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct FacilityState {
    /// 0 primary, 1 secondary, 2 tertiary.
    pub tier: u8,
    /// Position in km from the region's west edge.
    pub x: f32,
    /// Position in km from the region's south edge.
    pub y: f32,
    /// Doctors.
    pub doctors: u32,
    /// Beds now.
    pub beds: u32,
    /// Occupied beds.
    pub occupied: u32,
    /// Patients waiting for a bed.
    pub bed_queue: u32,
    /// Expected outpatient wait in days.
    pub visit_wait: f64,
    /// Cooperation with the consortium, 0..1.
    pub cooperation: f64,
    /// Clinical capability, 0..1 (with today's outreach and records for primary centres).
    pub capability: f64,
    /// Last month's margin.
    pub margin: f64,
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
    pub(crate) params: Params,
    pub(crate) residents: Residents,
    pub(crate) facilities: Vec<Facility>,
    pub(crate) doctors: Doctors,
    pub(crate) insurer: Insurer,
    pub(crate) calendar: Vec<Vec<Stay>>,
    /// Today's contacts (resident, kind), drawn before they run; kept to reuse its memory.
    pub(crate) arrivals_today: Vec<(u32, Kind)>,
    pub(crate) rng: Streams,
    pub(crate) day: u32,
    month: u32,
    month_start: u32,
    pub(crate) today: Day,
    history: Vec<Day>,
    /// Tertiary outreach and information sharing as they work today (lever times cooperation).
    pub(crate) outreach_effect: f64,
    pub(crate) info_effect: f64,
    /// Visits and admissions by home primary centre (row) and facility (column), cumulative.
    pub(crate) flows: Vec<u32>,
    previous: Ledger,
    previous_tier: [Ledger; 3],
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
        let mut layout = lay_out(s.population, s.urban_share, s.seed, &params);
        let residents = Residents::new(&mut layout, s.seed, &params);
        let counts = crate::region::facility_counts(s.population, &params);
        // Facilities are sized to the residents nearest to them: half in proportion to that
        // catchment, half an equal share of the tier (planning norms mix both).
        let mut catchment = vec![0.0f64; layout.facilities.len()];
        for i in 0..residents.len() as u32 {
            for &f in &residents.candidates(i)[..3] {
                catchment[usize::from(f)] += 1.0;
            }
        }
        let pop = f64::from(s.population);
        let mut facilities = Vec::with_capacity(layout.facilities.len());
        let mut first_doctor = 0u32;
        for (id, &(x, y, tier)) in layout.facilities.iter().enumerate() {
            let t = Tier::from_index(usize::from(tier));
            let weight = 0.5 * catchment[id] / pop + 0.5 / f64::from(counts[t]);
            let doctors = libm::round(params.doctors_per_1000[t] * pop / 1000.0 * weight).max(1.0) as u32;
            let base_beds = (params.beds_per_1000[t] * pop / 1000.0 * weight).max(2.0);
            facilities.push(Facility::new(t, (x, y), base_beds, (first_doctor, doctors), &params));
            first_doctor += doctors;
        }
        let doctors = Doctors::new(&facilities, s.seed);
        let seed = s.seed;
        let n_fac = facilities.len();
        let mut sim = Simulation {
            levers: s.levers.clone(),
            pending: None,
            residents,
            doctors,
            insurer: Insurer::new(n_fac),
            calendar: vec![Vec::new(); HORIZON],
            arrivals_today: Vec::new(),
            rng: Streams {
                illness: SimRng::new(seed, Stream::Illness),
                choice: SimRng::new(seed, Stream::Choice),
                clinical: SimRng::new(seed, Stream::Clinical),
                doctors: SimRng::new(seed, Stream::Doctors),
                hospitals: SimRng::new(seed, Stream::Hospitals),
                trust: SimRng::new(seed, Stream::Trust),
            },
            day: 0,
            month: 0,
            month_start: 0,
            today: Day::default(),
            history: Vec::with_capacity((s.years * YEAR) as usize),
            outreach_effect: 0.0,
            info_effect: 0.0,
            flows: vec![0; n_fac * n_fac],
            previous: Ledger::default(),
            previous_tier: [Ledger::default(); 3],
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
    /// stop there use [`Simulation::run`]).
    pub fn step(&mut self, days: u32) {
        for _ in 0..days {
            self.step_day();
        }
    }

    /// Runs to the end of the horizon.
    pub fn run(&mut self) {
        let left = self.total_days().saturating_sub(self.day);
        self.step(left);
    }

    /// Starts the same scenario again from day 0 (lever changes made mid-run are dropped).
    pub fn reset(&mut self) {
        *self = Simulation::with_params(self.scenario.clone(), self.params.clone())
            .expect("a scenario that built once builds again");
    }

    /// The daily counts recorded so far.
    pub fn history(&self) -> &[Day] {
        &self.history
    }

    /// The daily series of output `name` (one value per simulated day).
    pub fn series(&self, name: &str) -> Result<Vec<f64>, SimError> {
        self.check_output(name)?;
        let (pop, wd) = (self.scenario.population, self.params.working_days);
        Ok(self.history.iter().map(|d| metrics::evaluate(std::slice::from_ref(d), name, pop, wd)).collect())
    }

    /// The series of output `name` over consecutive windows of `days` days (e.g. 30 for
    /// monthly points); a final partial window is included.
    pub fn series_by(&self, name: &str, days: usize) -> Result<Vec<f64>, SimError> {
        self.check_output(name)?;
        let (pop, wd) = (self.scenario.population, self.params.working_days);
        Ok(self.history.chunks(days.max(1)).map(|w| metrics::evaluate(w, name, pop, wd)).collect())
    }

    /// Every output over the last simulated year (or over all days if less than a year).
    pub fn summary(&self) -> Vec<(&'static str, f64)> {
        let from = self.history.len().saturating_sub(YEAR as usize);
        metrics::evaluate_all(&self.history[from..], self.scenario.population, self.params.working_days)
    }

    fn check_output(&self, name: &str) -> Result<(), SimError> {
        if metrics::is_output(name) {
            Ok(())
        } else {
            Err(SimError::UnknownKey {
                key: name.to_string(),
                kind: "output",
                allowed: metrics::output_names().collect::<Vec<_>>().join(", "),
            })
        }
    }

    /// A snapshot of every facility, in id order (for maps and inspection).
    pub fn facility_states(&self) -> Vec<FacilityState> {
        self.facilities
            .iter()
            .map(|f| FacilityState {
                tier: f.tier as u8,
                x: f.pos.0,
                y: f.pos.1,
                doctors: f.doctors.1,
                beds: f.beds,
                occupied: f.occupied,
                bed_queue: f.queue.len() as u32,
                visit_wait: f.visit_wait(),
                cooperation: f.cooperation,
                capability: if f.tier == Tier::Primary { self.effective_capability(f) } else { 1.0 },
                margin: f.margin,
            })
            .collect()
    }

    /// Side of the square region in km.
    pub fn region_side(&self) -> f64 {
        self.params.side_km * (f64::from(self.scenario.population) / 100_000.0).sqrt()
    }

    /// Cumulative contacts by home primary centre (row) and facility (column), row-major
    /// over facility ids.
    pub fn flows(&self) -> &[u32] {
        &self.flows
    }

    /// The insurer's fund: (income, payments) in yuan since the start.
    pub fn fund(&self) -> (f64, f64) {
        (self.insurer.income as f64 / 100.0, self.insurer.paid as f64 / 100.0)
    }

    /// Total money received by providers from the insurer, and paid out by it, in fen.
    pub fn insurer_flows_fen(&self) -> (Fen, Fen) {
        (self.facilities.iter().map(|f| f.total.insurer).sum(), self.insurer.paid)
    }

    /// Episodes started, and how they stand: (episodes, treated, unmet, in care now: in a
    /// bed or queued for one). Every episode ends treated or unmet, so
    /// `episodes == treated + unmet + in_care` at every day's end.
    pub fn episode_accounting(&self) -> (u64, u64, u64, u64) {
        let sum = |f: fn(&Day) -> u32| self.history.iter().map(|d| u64::from(f(d))).sum::<u64>();
        let in_care = self.facilities.iter().map(|f| u64::from(f.occupied) + f.queue.len() as u64).sum();
        (sum(|d| d.episodes), sum(|d| d.treated), sum(|d| d.unmet), in_care)
    }

    fn apply_levers(&mut self) {
        if let Some(next) = self.pending.take() {
            self.levers = next;
        }
        let l = &self.levers;
        let p = &self.params;
        for f in &mut self.facilities {
            let per_day = f64::from(f.doctors.1) * p.visits_per_doctor_day[f.tier] * p.working_days / 365.0;
            f.capacity = per_day;
            if f.tier == Tier::Tertiary {
                f.beds = libm::round(f.base_beds * l.tertiary_capacity).max(1.0) as u32;
                // Specialists away in primary centres do not see patients at home.
                f.capacity = per_day * l.tertiary_capacity * (1.0 - 0.5 * l.specialist_outreach);
            }
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
        // 7. Installments and running costs.
        self.book_daily_money();
        // 8. Record.
        self.record_day();
        self.day += 1;
        // 9. Month end.
        let d = self.day % YEAR;
        let month_of = |day: u32| day * 12 / YEAR;
        if d == 0 || month_of(d) != month_of(d - 1) {
            self.month_end();
        }
    }

    fn book_daily_money(&mut self) {
        self.insurer.pay_budgets(&mut self.facilities, &self.levers);
        let p = &self.params;
        let n_primary = self.facilities.iter().filter(|f| f.tier == Tier::Primary).count() as f64;
        let subsidy = fen(p.primary_subsidy_per_capita * f64::from(self.scenario.population) / 365.0 / n_primary);
        for f in &mut self.facilities {
            let cost =
                fen(f64::from(f.doctors.1) * p.cost_per_doctor_day[f.tier]
                    + f64::from(f.beds) * p.cost_per_bed_day[f.tier]);
            let sub = if f.tier == Tier::Primary { subsidy } else { 0 };
            for l in [&mut f.month, &mut f.total] {
                l.cost += cost;
                l.subsidy += sub;
            }
        }
    }

    fn record_day(&mut self) {
        let p = &self.params;
        let t = &mut self.today;
        let mut tiers = [Ledger::default(); 3];
        let mut coop = [0.0; 3];
        let mut n = [0.0f64; 3];
        for f in &self.facilities {
            let k = f.tier;
            t.occupied[k] += f.occupied;
            t.beds[k] += f.beds;
            t.doctors[k] += f.doctors.1;
            coop[k] += f.cooperation;
            n[k] += 1.0;
            let l = &mut tiers[k];
            l.insurer += f.total.insurer;
            l.oop += f.total.oop;
            l.subsidy += f.total.subsidy;
            l.cost += f.total.cost;
        }
        let mut all = Ledger::default();
        for k in Tier::ALL {
            t.revenue[k] = tiers[k].revenue() - self.previous_tier[k].revenue();
            t.cost[k] = tiers[k].cost - self.previous_tier[k].cost;
            t.trust[k] = self.residents.mean_trust(k);
            t.price_visit[k] = p.price_visit[k];
            all.insurer += tiers[k].insurer;
            all.oop += tiers[k].oop;
        }
        t.cooperation = Tier::ALL.map(|k| coop[k] / n[k].max(1.0)).iter().sum::<f64>() / 3.0;
        t.insurer_paid = all.insurer - self.previous.insurer;
        t.oop = all.oop - self.previous.oop;
        t.income = fen(self.params.premium_per_capita * f64::from(self.scenario.population) / 365.0);
        self.previous = all;
        self.previous_tier = tiers;
        self.history.push(self.today);
    }

    fn month_end(&mut self) {
        let days = f64::from(self.day - self.month_start);
        self.month_start = self.day;
        for f in &mut self.facilities {
            f.margin = if f.month.revenue() > 0 {
                (f.month.revenue() - f.month.cost) as f64 / f.month.revenue() as f64
            } else {
                0.0
            };
            f.discharge_rate = f64::from(f.discharges_month) / days;
        }
        self.insurer.close_month(self.month, days);
        hospital::adapt(&mut self.facilities, &self.levers, &self.params, &mut self.rng.hospitals);
        self.update_capability(days);
        let capability: Vec<f64> = self.facilities.iter().map(|f| self.effective_capability(f)).collect();
        self.doctors.learn(&self.facilities, &capability, &self.levers, &self.params, days);
        self.campaign();
        for f in &mut self.facilities {
            f.month = Ledger::default();
            f.discharges_month = 0;
            f.visits_month = 0;
        }
        self.month += 1;
    }

    /// Primary capability moves toward the level that investment sustains.
    fn update_capability(&mut self, days: f64) {
        let p = &self.params;
        let invest = self.levers.primary_investment;
        let gain = |i: f64| p.investment_max_gain * i / (i + p.investment_half);
        let target = p.primary_capability + gain(invest) - gain(p.investment_reference);
        let rate = days / (365.0 / 12.0) / p.capability_months;
        for f in self.facilities.iter_mut().filter(|f| f.tier == Tier::Primary) {
            f.capability = (f.capability + rate * (target - f.capability)).clamp(0.0, 1.0);
        }
    }

    pub(crate) fn mean_primary_capability(&self) -> f64 {
        let (sum, n) = self
            .facilities
            .iter()
            .filter(|f| f.tier == Tier::Primary)
            .fold((0.0, 0.0), |(s, n), f| (s + self.effective_capability(f), n + 1.0));
        sum / n
    }

    /// A primary centre's capability with the help it gets today: visiting specialists,
    /// shared records (better diagnosis) and a full drug list (hospitals: their own, 1).
    pub(crate) fn effective_capability(&self, f: &Facility) -> f64 {
        if f.tier != Tier::Primary {
            return f.capability;
        }
        let drugs = if self.levers.unified_drug_list { 0.05 } else { 0.0 };
        let c = f.capability + 0.15 * self.outreach_effect + 0.1 * self.info_effect + drugs;
        // `c.min(1.0)` as a comparison (the same for every input, NaN included): in
        // WebAssembly f64::min is a call, and this runs for every primary-care outcome.
        if c < 1.0 { c } else { 1.0 }
    }

    /// An awareness campaign reaches a share of residents each month and raises the trust in
    /// primary care of those who underrate it toward what primary care actually delivers
    /// (information corrects pessimism; it does not talk anyone down).
    fn campaign(&mut self) {
        let reach = self.levers.awareness_campaign * self.params.campaign_reach;
        let n = self.residents.len() as u32;
        let reached = libm::round(reach * f64::from(n)) as u32;
        let truth = self.params.satisfaction[Tier::Primary] + 0.5 * self.mean_primary_capability();
        for _ in 0..reached {
            let r = self.rng.trust.below(n);
            if f64::from(self.residents.trust(r)[Tier::Primary]) < truth {
                self.residents.learn(r, Tier::Primary, truth, 0.3);
            }
        }
    }
}
