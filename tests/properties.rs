//! Property tests: invariants that must hold for any setting of every lever.
//!
//! Each case draws a value for every lever of [`LEVERS`] (shares in [0, 1], yuan in
//! [0, 2000], multipliers in [0.2, 3], every choice, both switch values, with the ends of
//! each range drawn often), an urban share, a small population, a seed, and optionally a
//! mid-run change of one to three levers on a random day. It runs one year day by day and
//! checks, at every day's end and over the whole history:
//!
//! - every episode is accounted for: `episodes == treated + unmet + in_care`;
//! - the insurer pays exactly, to the fen, what providers receive from it, and the daily
//!   `insurer_paid` counts add up to the same amount; every book balances against the others
//!   to the fen (`Books::check`: insurer, commission, facilities, doctors, consortium);
//! - visit and admission shares by tier sum to 1 (or are all 0 when there is nothing);
//! - share-like outputs lie in [0, 1], occupancy included, also after a mid-run cut of
//!   `tertiary_capacity` (beds close as their patients leave); no tier ever holds more
//!   patients than beds;
//! - every summary value and every value of every series is finite; counts are non-negative;
//! - the same case run again gives the same bits.
//!
//! The checks themselves are in `consortium_sim::invariants`, shared with the fuzz target
//! `lever_sequence`. CI runs 28 cases; `PROPERTY_CASES=10000 bash scripts/long-properties.sh`
//! runs more.

mod common;

use common::{BRIEF_LEVERS, BRIEF_OUTPUTS, day_text, summary_bits};
use consortium_sim::invariants;
use consortium_sim::levers::{LeverKind, LeverSpec};
use consortium_sim::{LEVERS, LeverValue, Scenario, Simulation};
use proptest::prelude::*;

/// Days in the one-year runs of this file.
const DAYS: u32 = 365;

/// A number in `[lo, hi]`, with each end drawn about one time in eight.
fn number_in(lo: f64, hi: f64) -> BoxedStrategy<f64> {
    prop_oneof![1 => Just(lo), 1 => Just(hi), 6 => lo..=hi].boxed()
}

/// Any valid value of a lever.
fn lever_value(spec: &LeverSpec) -> BoxedStrategy<LeverValue> {
    match spec.kind {
        LeverKind::Share => number_in(0.0, 1.0).prop_map(LeverValue::Number).boxed(),
        LeverKind::Yuan => number_in(0.0, 2000.0).prop_map(LeverValue::Number).boxed(),
        LeverKind::Multiplier => number_in(0.2, 3.0).prop_map(LeverValue::Number).boxed(),
        LeverKind::Choice(names) => {
            proptest::sample::select(names.to_vec()).prop_map(|n| LeverValue::Text(n.to_string())).boxed()
        }
        LeverKind::Switch => any::<bool>().prop_map(LeverValue::Bool).boxed(),
    }
}

/// A value for every lever, in the order of [`LEVERS`].
fn all_levers() -> impl Strategy<Value = Vec<(&'static str, LeverValue)>> {
    LEVERS.iter().map(|spec| lever_value(spec).prop_map(move |v| (spec.key, v)).boxed()).collect::<Vec<_>>()
}

/// One random scenario and an optional mid-run change.
#[derive(Debug, Clone)]
struct Case {
    levers: Vec<(&'static str, LeverValue)>,
    urban_share: f64,
    population: u32,
    seed: u64,
    /// Day (number of days simulated before the change) and the changes.
    midrun: Option<(u32, Vec<(&'static str, LeverValue)>)>,
}

fn midrun() -> impl Strategy<Value = Option<(u32, Vec<(&'static str, LeverValue)>)>> {
    let indices: Vec<usize> = (0..LEVERS.len()).collect();
    proptest::option::of(
        (1..DAYS, all_levers(), proptest::sample::subsequence(indices, 1..=3))
            .prop_map(|(day, values, picked)| (day, picked.into_iter().map(|i| values[i].clone()).collect::<Vec<_>>())),
    )
}

fn case() -> impl Strategy<Value = Case> {
    (all_levers(), number_in(0.0, 1.0), 2_000u32..=8_000, any::<u64>(), midrun()).prop_map(
        |(levers, urban_share, population, seed, midrun)| Case { levers, urban_share, population, seed, midrun },
    )
}

impl Case {
    fn scenario(&self) -> Scenario {
        let mut s = Scenario::from_preset("status_quo").unwrap();
        for (key, value) in &self.levers {
            s.levers.set(key, value).unwrap_or_else(|e| panic!("valid value rejected: {e}"));
        }
        s.population = self.population;
        s.urban_share = self.urban_share;
        s.years = 1;
        s.seed = self.seed;
        s
    }
}

/// Runs a case day by day, checking the money and episode identities at each day's end.
fn run_checked(case: &Case) -> Result<Simulation, TestCaseError> {
    let mut sim = Simulation::new(case.scenario()).map_err(|e| TestCaseError::fail(format!("{e}")))?;
    for day in 0..DAYS {
        if let Some((at, changes)) = &case.midrun
            && *at == day
        {
            for (key, value) in changes {
                sim.set_lever(key, value).map_err(|e| TestCaseError::fail(format!("valid change rejected: {e}")))?;
                prop_assert_eq!(sim.levers().get(key).unwrap(), sim_text(key, value), "levers() shows the change");
            }
        }
        sim.step(1);
        invariants::check_day(&sim, day).map_err(TestCaseError::fail)?;
    }
    Ok(sim)
}

/// How `Levers::get` shows a value set from `value`.
fn sim_text(key: &str, value: &LeverValue) -> String {
    let mut l = consortium_sim::Levers::default();
    l.set(key, value).unwrap();
    l.get(key).unwrap()
}

/// The invariants of a finished run: a year of days, every output of the brief in the
/// summary, and the invariants of `consortium_sim::invariants::check_history` (money never
/// negative, beds never over-filled, not even right after a cut of tertiary beds, daily
/// insurer payments adding up to the ledgers, every series and summary value finite and in
/// range, tier shares matching their counts).
fn check_run(sim: &Simulation) -> Result<(), TestCaseError> {
    prop_assert_eq!(sim.history().len(), DAYS as usize);
    let summary = sim.summary();
    for name in BRIEF_OUTPUTS {
        prop_assert!(summary.iter().any(|(n, _)| n == name), "summary lacks {}", name);
    }
    invariants::check_history(sim).map_err(TestCaseError::fail)
}

/// Cases per run: `PROPERTY_CASES` if set (the long run of `scripts/long-properties.sh`),
/// otherwise the short budget CI runs.
fn cases() -> u32 {
    std::env::var("PROPERTY_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(28)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn invariants_hold_for_any_levers(case in case()) {
        let sim = run_checked(&case)?;
        check_run(&sim)?;
        // Determinism: the same case again gives the same bits, day by day and in summary.
        let again = run_checked(&case)?;
        prop_assert_eq!(summary_bits(&sim), summary_bits(&again));
        let a: Vec<String> = sim.history().iter().map(day_text).collect();
        let b: Vec<String> = again.history().iter().map(day_text).collect();
        prop_assert!(a == b, "histories differ on day {:?}", a.iter().zip(&b).position(|(x, y)| x != y));
    }
}

/// The strategies above draw every lever of the brief (a lever missing from `LEVERS` would
/// go untested).
#[test]
fn strategies_cover_every_lever_of_the_brief() {
    for (key, _) in BRIEF_LEVERS {
        assert!(LEVERS.iter().any(|s| s.key == *key), "lever '{key}' of the brief is not in LEVERS");
    }
}

/// The run of issue 20: 3,000 residents, tertiary beds cut to a tenth on day 100. Beds close
/// as their patients leave, so occupancy never passes 1 on any day nor over the year; no one
/// is admitted to a tertiary bed until the beds are down to the new number, which they reach
/// within the longest stay; and the run conserves money and episodes as every other.
#[test]
fn a_cut_in_tertiary_beds_closes_them_as_patients_leave() {
    let mut s = Scenario::from_preset("status_quo").unwrap();
    s.population = 3000;
    s.years = 1;
    s.seed = 1;
    let mut sim = Simulation::new(s).unwrap();
    sim.step(100);
    let before = sim.history()[99].beds[2];
    sim.set_lever("tertiary_capacity", &LeverValue::Number(0.1)).unwrap();
    sim.run();
    let history = sim.history();
    let target = history.last().unwrap().beds[2];
    assert!(2 * target < before, "beds fell from {before} to {target}");
    let mut reached = None;
    for (t, d) in history.iter().enumerate().skip(100) {
        assert!(d.occupied[2] <= d.beds[2], "day {t}: {} patients in {} beds", d.occupied[2], d.beds[2]);
        assert!(d.beds[2] <= history[t - 1].beds[2].max(target), "day {t}: beds grew back during the cut");
        if d.beds[2] == target && reached.is_none() {
            reached = Some(t);
        }
    }
    let reached = reached.expect("the beds reach the new number");
    assert!(reached < 100 + 90, "the beds reached {target} only on day {reached}");
    let occupancy = common::value(&sim.summary(), "occupancy_tertiary");
    assert!((0.0..=1.0).contains(&occupancy), "yearly tertiary occupancy {occupancy}");
    sim.books().check().unwrap();
    let (episodes, treated, unmet, in_care) = sim.episode_accounting();
    assert_eq!(episodes, treated + unmet + in_care);
}
