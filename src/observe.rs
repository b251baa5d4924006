//! What can be read from a running simulation: the output series and the summary, the
//! facilities' and doctors' state, every book's totals (and the check that money is
//! conserved), and the hooks that experiments and tests use to hold behaviour fixed.
//!
//! Nothing here changes the course of a run except the hooks, which say so.

use crate::commission::Commission;
use crate::doctor::Doctors;
use crate::error::SimError;
use crate::hospital::Facility;
use crate::metrics::{self, Day, Output};
use crate::money::{Fen, Ledger, yuan};
use crate::sim::{Simulation, YEAR, month_of, month_start};
use crate::tier::Tier;

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
    /// Last month's margin: net (after the consortium's settlement) over operating revenue.
    pub margin: f64,
    /// Case stance now: -1 restrain, 0 neutral, 1 induce (follow-ups, admissions, tests).
    pub case_stance: i8,
    /// Day stance now: -1 shorter stays, 0 neutral, 1 longer stays.
    pub day_stance: i8,
    /// Whether it invests its own money in capability (primary centres).
    pub invests: bool,
}

/// Every book's totals since the start of a run, in fen (`Simulation::books`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Books {
    /// Contributions the insurer collected (from residents and employers, outside the region's
    /// books).
    pub contributions: Fen,
    /// What the insurer paid providers, less what it clawed back.
    pub insurer_paid: Fen,
    /// The health commission's books.
    pub commission: Commission,
    /// Everything doctors were paid, less the penalties they paid back.
    pub doctors_pay: Fen,
    /// Every facility's ledger, summed.
    pub facilities: Ledger,
}

impl Books {
    /// Checks that no fen appeared or vanished between books: providers received what the
    /// insurer paid; the commission's payments reached facilities, doctors (the referral
    /// bonus) and the outside (the campaign), and the treasury funded exactly that; doctors
    /// were paid what facilities booked as staff cost plus the commission's bonuses; the
    /// consortium's transfers sum to zero. Returns the first identity that fails.
    pub fn check(&self) -> Result<(), String> {
        let f = &self.facilities;
        let c = &self.commission;
        let identities = [
            ("providers received what the insurer paid", f.insurer, self.insurer_paid),
            (
                "facilities received what the commission paid them",
                f.government,
                c.spent.total() - c.spent.referral_bonus - c.spent.campaign,
            ),
            ("the treasury funded what the commission spent", c.appropriated, c.spent.total()),
            (
                "doctors were paid their facilities' staff cost and the bonuses",
                self.doctors_pay,
                f.staff + c.spent.referral_bonus,
            ),
            ("the consortium's transfers sum to zero", f.pooled, 0),
        ];
        for (what, a, b) in identities {
            if a != b {
                return Err(format!("{what}: {a} fen against {b} fen"));
            }
        }
        Ok(())
    }
}

impl Simulation {
    /// The daily counts recorded so far.
    pub fn history(&self) -> &[Day] {
        &self.history
    }

    /// The daily series of output `name` (one value per simulated day).
    pub fn series(&self, name: &str) -> Result<Vec<f64>, SimError> {
        let output = Self::output(name)?;
        let (pop, wd) = (self.scenario.population, self.params.working_days);
        Ok(self.history.iter().map(|d| output.over(std::slice::from_ref(d), pop, wd)).collect())
    }

    /// The series of output `name` by month ([`month_of`]): one value for each month begun, the
    /// last one over the days simulated so far.
    pub fn series_monthly(&self, name: &str) -> Result<Vec<f64>, SimError> {
        let output = Self::output(name)?;
        let (pop, wd) = (self.scenario.population, self.params.working_days);
        let months = if self.day == 0 { 0 } else { month_of(self.day - 1) + 1 };
        Ok((0..months)
            .map(|m| {
                let from = month_start(m) as usize;
                let to = (month_start(m + 1) as usize).min(self.history.len());
                output.over(&self.history[from..to], pop, wd)
            })
            .collect())
    }

    /// The series of output `name` over consecutive windows of `days` days; a final partial
    /// window is included.
    pub fn series_by(&self, name: &str, days: usize) -> Result<Vec<f64>, SimError> {
        let output = Self::output(name)?;
        let (pop, wd) = (self.scenario.population, self.params.working_days);
        Ok(self.history.chunks(days.max(1)).map(|w| output.over(w, pop, wd)).collect())
    }

    /// Every output over the last simulated year (or over all days if less than a year).
    pub fn summary(&self) -> Vec<(&'static str, f64)> {
        let from = self.history.len().saturating_sub(YEAR as usize);
        metrics::evaluate_all(&self.history[from..], self.scenario.population, self.params.working_days)
    }

    /// The output called `name`, or an error listing every output.
    fn output(name: &str) -> Result<&'static Output, SimError> {
        metrics::output_named(name).ok_or_else(|| SimError::UnknownKey {
            key: name.to_string(),
            kind: "output",
            allowed: metrics::output_names().collect::<Vec<_>>().join(", "),
        })
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
                bed_queue: u32::try_from(f.queue.len()).expect("bed queues are capped at twice the beds"),
                visit_wait: f.visit_wait(),
                cooperation: f.cooperation,
                capability: if f.tier == Tier::Primary { self.effective_capability(f) } else { 1.0 },
                margin: f.margin,
                case_stance: f.learner.strategy.case,
                day_stance: f.learner.strategy.day,
                invests: f.learner.strategy.invest,
            })
            .collect()
    }

    /// Every doctor's facility, current propensity to refer (down at a hospital, up at a
    /// primary centre) and pay over the whole run (yuan), in id order.
    pub fn doctor_states(&self) -> Vec<(usize, f64, f64)> {
        let d = &self.doctors;
        (0..d.len()).map(|i| (usize::from(d.facility[i]), f64::from(d.propensity[i]), yuan(d.pay_total[i]))).collect()
    }

    /// Puts every facility of `tier` at full cooperation (for experiments and tests; with
    /// learning frozen they keep it).
    pub fn set_full_cooperation(&mut self, tier: Tier) {
        for f in self.facilities.iter_mut().filter(|f| f.tier == tier) {
            f.learner.strategy.level = f.learner.full_level();
            f.adopt_strategy();
        }
    }

    /// Stops every facility's and doctor's learning from now on: each keeps its strategy and
    /// propensities (for experiments and tests that then hold some of them fixed).
    pub fn freeze_learning(&mut self) {
        self.params.provider_learning = 0.0;
    }

    /// Makes every doctor of `tier` propose each recovering inpatient for a downward transfer
    /// with probability `chance`, whatever they have learned (for experiments and tests: the
    /// incentive signs). Chronic hand-backs and what doctors learn are left as they are.
    pub fn force_transfer_proposals(&mut self, tier: Tier, chance: f64) {
        self.transfer_proposals[tier] = Some(chance);
    }

    /// Every facility, in id order (for inspection and tests).
    pub fn facilities(&self) -> &[Facility] {
        &self.facilities
    }

    /// Every doctor (for inspection and tests).
    pub fn doctors(&self) -> &Doctors {
        &self.doctors
    }

    /// Every facility's books over the whole run, in id order.
    pub fn facility_books(&self) -> Vec<Ledger> {
        self.facilities.iter().map(|f| f.total()).collect()
    }

    /// What the facilities booked since `before` (an earlier [`Simulation::facility_books`] of
    /// this run): summed by tier, and over every facility.
    pub fn books_since(&self, before: &[Ledger]) -> ([Ledger; 3], Ledger) {
        let (mut by_tier, mut all) = (<[Ledger; 3]>::default(), Ledger::default());
        for (f, then) in self.facilities.iter().zip(before) {
            let span = f.total().since(then);
            by_tier[f.tier].add(&span);
            all.add(&span);
        }
        (by_tier, all)
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

    /// Every book's totals since the start, in fen: what each agent received and paid.
    /// Money is conserved: every fen one book pays out, another receives (`Books::check`).
    pub fn books(&self) -> Books {
        let mut facilities = Ledger::default();
        for f in &self.facilities {
            facilities.add(&f.total());
        }
        Books {
            contributions: self.insurer.income,
            insurer_paid: self.insurer.paid,
            commission: self.commission,
            doctors_pay: self.doctors.pay_total.iter().sum(),
            facilities,
        }
    }

    /// The insurer's fund: (income, payments) in yuan since the start.
    pub fn fund(&self) -> (f64, f64) {
        (yuan(self.insurer.income), yuan(self.insurer.paid))
    }

    /// Total money received by providers from the insurer, and paid out by it, in fen.
    pub fn insurer_flows_fen(&self) -> (Fen, Fen) {
        (self.facilities.iter().map(|f| f.total().insurer).sum(), self.insurer.paid)
    }

    /// Episodes started, and how they stand: (episodes, treated, unmet, in care now: in a
    /// bed or queued for one). Every episode ends treated or unmet, so
    /// `episodes == treated + unmet + in_care` at every day's end.
    pub fn episode_accounting(&self) -> (u64, u64, u64, u64) {
        let sum = |f: fn(&Day) -> u32| self.history.iter().map(|d| u64::from(f(d))).sum::<u64>();
        let in_care = self.facilities.iter().map(|f| u64::from(f.occupied) + f.queue.len() as u64).sum();
        (sum(|d| d.episodes), sum(|d| d.treated), sum(|d| d.unmet), in_care)
    }
}
