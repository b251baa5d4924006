//! The invariants every run must keep, whatever its levers: the oracles of the property test
//! (`tests/properties.rs`), the fuzz target `lever_sequence` (`fuzz/`) and its stable smoke
//! test (`tests/fuzz_smoke.rs`). They live in the library so all three check the same thing;
//! the module is hidden from the documentation because it is a testing aid, not the model.
//!
//! Each check returns the first broken invariant as a message naming the day or output.

use crate::metrics::{Day, output_names};
use crate::sim::{Simulation, YEAR};

/// The identities that must hold at every day's end: every episode is accounted for
/// (`episodes == treated + unmet + in_care`), providers received from the insurer exactly,
/// to the fen, what it paid, and every book balances against the others (`Books::check`).
pub fn check_day(sim: &Simulation, day: u32) -> Result<(), String> {
    let (episodes, treated, unmet, in_care) = sim.episode_accounting();
    if episodes != treated + unmet + in_care {
        return Err(format!("day {day}: episodes {episodes} != treated {treated} + unmet {unmet} + in care {in_care}"));
    }
    let (received, paid) = sim.insurer_flows_fen();
    if received != paid {
        return Err(format!("day {day}: providers received {received} fen, insurer paid {paid} fen"));
    }
    sim.books().check().map_err(|e| format!("day {day}: money not conserved: {e}"))
}

/// Outputs that are shares, occupancies, trust or cooperation: they lie in [0, 1].
pub fn is_share_like(name: &str) -> bool {
    name.ends_with("_share")
        || name.starts_with("occupancy_")
        || name.starts_with("trust_")
        || name == "cooperation_index"
        || name == "downward_acceptance"
}

/// Checks one value of output `name` (`at` says where, for the message): finite; in [0, 1]
/// if share-like; otherwise non-negative, except margins and the commission's spending.
pub fn check_value(name: &str, v: f64, at: &str) -> Result<(), String> {
    if !v.is_finite() {
        return Err(format!("{at} {name} is not finite: {v}"));
    }
    if is_share_like(name) {
        if !(0.0..=1.0).contains(&v) {
            return Err(format!("{at} {name} = {v} outside [0, 1]"));
        }
    } else if !name.starts_with("margin_") && name != "government_spending_per_capita" && v < 0.0 {
        // Margins can be negative, and so can a day of the commission's spending: appraisal
        // penalties it receives at a month end can exceed what it pays that day.
        return Err(format!("{at} {name} = {v} is negative"));
    }
    Ok(())
}

/// Checks that the tier shares `{tier}_{what}` sum to 1 and match `counts` when there is
/// anything to share, and are all 0 otherwise.
pub fn check_tier_shares(values: &dyn Fn(&str) -> f64, counts: [u32; 3], what: &str, at: &str) -> Result<(), String> {
    let shares: Vec<f64> =
        ["primary", "secondary", "tertiary"].iter().map(|t| values(&format!("{t}_{what}"))).collect();
    let total: f64 = shares.iter().sum();
    let count: u32 = counts.iter().sum();
    if count == 0 {
        return if total == 0.0 { Ok(()) } else { Err(format!("{at} no {what} but shares {shares:?}")) };
    }
    if (total - 1.0).abs() >= 1e-12 {
        return Err(format!("{at} {what} shares {shares:?} sum to {total}"));
    }
    for (k, s) in shares.iter().enumerate() {
        let expected = f64::from(counts[k]) / f64::from(count);
        if (s - expected).abs() >= 1e-12 {
            return Err(format!("{at} {what} share of tier {k} = {s}, counts {counts:?}"));
        }
    }
    Ok(())
}

/// The invariants of the history so far: money is never negative, forgone <= unmet <=
/// episodes, no tier holds more patients than beds on any day, the daily insurer payments add
/// up to the ledgers, every value of every daily and monthly series and of the summary passes
/// [`check_value`], and the tier shares of visits and admissions match their counts, daily
/// and in the summary (which covers the last year).
pub fn check_history(sim: &Simulation) -> Result<(), String> {
    let history: &[Day] = sim.history();
    let mut insurer_paid = 0i64;
    for (t, d) in history.iter().enumerate() {
        if d.insurer_paid < 0 || d.oop < 0 || d.income < 0 {
            return Err(format!("day {t}: negative money {d:?}"));
        }
        if d.forgone > d.unmet || d.unmet > d.episodes {
            return Err(format!("day {t}: forgone, unmet, episodes {d:?}"));
        }
        insurer_paid += d.insurer_paid;
        for k in 0..3 {
            if d.occupied[k] > d.beds[k] {
                return Err(format!("day {t}: tier {k} occupied {} > beds {}", d.occupied[k], d.beds[k]));
            }
        }
    }
    if insurer_paid != sim.insurer_flows_fen().0 {
        return Err(format!("daily insurer_paid adds up to {insurer_paid}, not {} fen", sim.insurer_flows_fen().0));
    }

    let mut series = std::collections::HashMap::new();
    for name in output_names() {
        let s = sim.series(name).map_err(|e| e.to_string())?;
        if s.len() != history.len() {
            return Err(format!("series {name} has {} days, history {}", s.len(), history.len()));
        }
        for (t, v) in s.iter().enumerate() {
            check_value(name, *v, &format!("day {t}"))?;
        }
        for v in sim.series_by(name, 30).map_err(|e| e.to_string())? {
            check_value(name, v, "month")?;
        }
        series.insert(name, s);
    }
    for (t, d) in history.iter().enumerate() {
        let at = format!("day {t}");
        check_tier_shares(&|n| series[n][t], d.visits, "visit_share", &at)?;
        check_tier_shares(&|n| series[n][t], d.admissions, "admission_share", &at)?;
    }

    let summary = sim.summary();
    for (name, v) in &summary {
        check_value(name, *v, "summary")?;
    }
    let get = |n: &str| summary.iter().find(|(k, _)| *k == n).map_or(f64::NAN, |(_, v)| *v);
    // The summary covers the last year (or every day if less), as `Simulation::summary` does.
    let last_year = &history[history.len().saturating_sub(YEAR as usize)..];
    let sum3 = |f: fn(&Day) -> [u32; 3]| {
        last_year.iter().fold([0u32; 3], |a, d| {
            let x = f(d);
            [a[0] + x[0], a[1] + x[1], a[2] + x[2]]
        })
    };
    check_tier_shares(&get, sum3(|d| d.visits), "visit_share", "summary")?;
    check_tier_shares(&get, sum3(|d| d.admissions), "admission_share", "summary")
}
