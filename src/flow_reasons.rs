//! What the model knows about why contacts went where, for the referral diagram's links:
//! counts over the last simulated year (the window of the summary and of the diagram) from
//! the daily counters the model already keeps.
//!
//! The model decides where a case goes in several places (the doctor's choice to refer, a
//! case beyond a centre's capability, a severe case, a chronic complication, a recovering
//! inpatient or a chronic patient handed back), and it does not count those reasons apart.
//! What it does count, and what this gives, is: visits at tertiary hospitals with and
//! without a referral; formal referrals by the tier that made them and the tier that took
//! them; downward referrals from tertiary hospitals split into inpatient transfers and
//! chronic hand-backs; downward referrals proposed to patients and refused by them.
//! Nothing here is recorded anew, so it cannot change a run.

use crate::metrics::Day;
use crate::sim::{Simulation, YEAR};

/// Counts over a window of days, and how to scale them to per 1,000 residents per year.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct FlowReasons {
    /// Days in the window (up to a year).
    pub days: u32,
    /// Residents.
    pub population: u32,
    /// Outpatient visits by tier.
    pub visits: [u32; 3],
    /// Tertiary outpatient visits made without a referral.
    pub tertiary_self_referred: u32,
    /// Formal referrals by tier of origin (row) and destination (column).
    pub referrals: [[u32; 3]; 3],
    /// Tertiary inpatients transferred down in recovery (the rest of the tertiary row's
    /// downward referrals are chronic patients handed back to their centre).
    pub tertiary_inpatient_transfers: u32,
    /// Downward referrals proposed to patients (any tier).
    pub downward_proposed: u32,
    /// Downward referrals the patient refused (any tier).
    pub downward_refused: u32,
}

impl Simulation {
    /// What is known about the flows' reasons over the last simulated year (or every day if
    /// fewer).
    pub fn flow_reasons(&self) -> FlowReasons {
        let from = self.history.len().saturating_sub(YEAR as usize);
        let mut sum = Day::default();
        for d in &self.history[from..] {
            sum += d;
        }
        FlowReasons {
            days: u32::try_from(self.history.len() - from).expect("at most a year of days"),
            population: self.scenario.population,
            visits: sum.visits,
            tertiary_self_referred: sum.tertiary_self_referred,
            referrals: sum.referrals,
            tertiary_inpatient_transfers: sum.downward_from_tertiary,
            downward_proposed: sum.downward_proposed,
            downward_refused: sum.downward_refused,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;
    use crate::sim::Simulation;

    #[test]
    fn the_reasons_add_up_to_the_flows_they_explain() {
        let s = Scenario { population: 5_000, years: 2, seed: 3, ..Scenario::default() };
        let mut sim = Simulation::new(s).unwrap();
        sim.step(400);
        let r = sim.flow_reasons();
        assert_eq!(r.days, 365);
        let year = &sim.history()[35..];
        let up: u32 = year.iter().map(|d| d.upward).sum();
        let down: u32 = year.iter().map(|d| d.downward).sum();
        assert_eq!(r.referrals[0][1] + r.referrals[0][2] + r.referrals[1][2], up, "upward referrals by tier");
        assert_eq!(r.referrals[1][0] + r.referrals[2][0], down, "downward referrals by tier");
        assert!(r.tertiary_self_referred <= r.visits[2]);
        assert!(r.tertiary_inpatient_transfers <= r.referrals[2][0]);
        assert!(r.downward_refused <= r.downward_proposed && down <= r.downward_proposed);
    }
}
