//! Helpers shared by the integration tests (`properties`, `cli`, `levers_midrun`, `experiments`,
//! `validate`).
//!
//! The lists below are copied from `shared/MODEL-BRIEF.md` on purpose, not taken from the
//! crate: they are the contract, so a renamed or dropped lever or output must fail a test.
#![allow(dead_code)]

use consortium_sim::{Scenario, Simulation};
use std::process::{Command, Output};

/// Path of the built command-line binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_consortium-sim");

/// Runs the binary with `args`.
pub fn cli(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("the binary runs")
}

/// Runs a command that must succeed silently on stderr; returns its stdout.
pub fn ok(args: &[&str]) -> String {
    let out = cli(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed with {:?}: {stderr}", out.status);
    assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// The outputs of the brief, in its order.
pub const BRIEF_OUTPUTS: &[&str] = &[
    "primary_visit_share",
    "secondary_visit_share",
    "tertiary_visit_share",
    "primary_admission_share",
    "secondary_admission_share",
    "tertiary_admission_share",
    "upward_referrals_per_1000",
    "downward_referrals_per_1000",
    "up_down_ratio",
    "occupancy_primary",
    "occupancy_secondary",
    "occupancy_tertiary",
    "wait_days_primary",
    "wait_days_secondary",
    "wait_days_tertiary",
    "spending_per_capita",
    "oop_share",
    "insurer_balance_ratio",
    "trust_primary",
    "trust_tertiary",
    "cooperation_index",
    "duplicate_tests_per_1000",
    "tertiary_complex_case_share",
    "unmet_need_share",
    "doctor_visits_per_day_primary",
    "doctor_visits_per_day_tertiary",
    "margin_primary",
    "margin_secondary",
    "margin_tertiary",
    "cooperation_primary",
    "cooperation_secondary",
    "cooperation_tertiary",
    "government_spending_per_capita",
    "adverse_events_per_1000",
    "forgone_care_share",
];

/// The levers of the brief with the words any statement of their allowed values must
/// contain (the range phrase, or every choice).
pub const BRIEF_LEVERS: &[(&str, &[&str])] = &[
    ("reimbursement_primary", &["0 to 1"]),
    ("reimbursement_secondary", &["0 to 1"]),
    ("reimbursement_tertiary", &["0 to 1"]),
    ("payment_method", &["fee_for_service", "global_budget", "capitation", "drg"]),
    ("integration", &["loose", "semi_close", "close"]),
    ("info_sharing", &["0 to 1"]),
    ("specialist_outreach", &["0 to 1"]),
    ("referral_bonus", &[">= 0"]),
    ("gatekeeping", &["none", "soft", "strict"]),
    ("awareness_campaign", &["0 to 1"]),
    ("unified_drug_list", &["true", "false"]),
    ("family_doctor_coverage", &["0 to 1"]),
    ("primary_investment", &[">= 0"]),
    ("tertiary_capacity", &["> 0"]),
];

/// The structural settings of the brief.
pub const BRIEF_SETTINGS: &[&str] = &["population", "urban_share", "years", "seed"];

/// The presets of the brief.
pub const BRIEF_PRESETS: &[&str] =
    &["status_quo", "close_consortium", "county_community", "gatekeeping", "outreach_only"];

/// A preset's scenario with a small region and a short horizon.
pub fn small(preset: &str, population: u32, years: u32, seed: u64) -> Scenario {
    let mut s = Scenario::from_preset(preset).expect("preset exists");
    s.population = population;
    s.years = years;
    s.seed = seed;
    s
}

/// A simulation of `scenario`, which must be valid.
pub fn sim(scenario: &Scenario) -> Simulation {
    Simulation::new(scenario.clone()).expect("scenario is valid")
}

/// The value of output `name` in a summary.
pub fn value(summary: &[(&str, f64)], name: &str) -> f64 {
    summary.iter().find(|(n, _)| *n == name).unwrap_or_else(|| panic!("output '{name}' missing from summary")).1
}

/// The bit patterns of a summary, for exact comparison.
pub fn summary_bits(sim: &Simulation) -> Vec<(&'static str, u64)> {
    sim.summary().into_iter().map(|(n, v)| (n, v.to_bits())).collect()
}

/// The bit patterns of every daily series of every output.
pub fn all_series_bits(sim: &Simulation) -> Vec<(&'static str, Vec<u64>)> {
    consortium_sim::metrics::output_names()
        .map(|n| (n, sim.series(n).expect("output exists").into_iter().map(f64::to_bits).collect()))
        .collect()
}

/// One day's raw counts in a form that compares floats by their exact value (`Debug` prints
/// the shortest round-trip form, and tells -0.0 from 0.0).
pub fn day_text(d: &consortium_sim::metrics::Day) -> String {
    format!("{d:?}")
}

/// The first day (index) on which two histories differ, if any within their common length.
pub fn first_difference(a: &Simulation, b: &Simulation) -> Option<usize> {
    a.history().iter().zip(b.history()).position(|(x, y)| day_text(x) != day_text(y))
}
