//! Calibration and policy-response tests: the status_quo baseline over ten seeds lands in
//! every target range of the brief, and each of the brief's eight policy directions holds
//! (paired: the same seeds in both arms): the mean change over the seeds goes the expected
//! way by at least a plausible size and at least two standard errors.
//!
//! Run in release mode (`cargo test --release --test behaviour`): about 500 simulated
//! region-years of 100,000 residents.

use consortium_sim::report::{self, Report};
use consortium_sim::validation::{BASELINE_TARGETS, POLICY_DIRECTIONS, measure, target_value};
use consortium_sim::{Scenario, report::seeds};
use std::sync::OnceLock;

const SEEDS: u32 = 10;

fn baseline() -> &'static Report {
    static BASELINE: OnceLock<Report> = OnceLock::new();
    BASELINE.get_or_init(|| {
        let scenario = Scenario::from_preset("status_quo").unwrap();
        report::run(&scenario, SEEDS).unwrap()
    })
}

#[test]
fn baseline_reproduces_every_stylized_fact() {
    let r = baseline();
    assert_eq!(r.replicates.iter().map(|x| x.seed).collect::<Vec<_>>(), seeds(1, SEEDS));
    let mean = r.mean();
    let failures: Vec<String> = BASELINE_TARGETS
        .iter()
        .filter_map(|t| {
            let v = target_value(&mean, t.output);
            (!(v >= t.low && v <= t.high))
                .then(|| format!("{} ({}): {v:.4} not in [{}, {}]", t.fact, t.output, t.low, t.high))
        })
        .collect();
    assert!(failures.is_empty(), "baseline misses targets:\n{}", failures.join("\n"));
}

fn check_direction(index: usize) {
    let d = &POLICY_DIRECTIONS[index];
    for m in measure(d, baseline()).unwrap() {
        assert!(
            m.holds(),
            "direction {} ({}): {} should move {} by at least {} and two standard errors; baseline {:.4}, policy {:.4}, paired differences {:?}",
            d.number,
            d.claim,
            m.effect.output,
            if m.effect.sign > 0.0 { "up" } else { "down" },
            m.effect.min_change,
            m.baseline,
            m.policy,
            m.differences
        );
    }
}

#[test]
fn direction_1_reimbursement_gap_raises_primary_share() {
    check_direction(0);
}

#[test]
fn direction_2_primary_investment_raises_primary_share_and_trust() {
    check_direction(1);
}

#[test]
fn direction_3_strict_gatekeeping_shifts_visits_to_primary() {
    check_direction(2);
}

#[test]
fn direction_4_family_doctors_raise_primary_share_and_trust_and_cut_self_referral() {
    check_direction(3);
}

#[test]
fn direction_5_close_integration_with_budget_raises_downward_referral_and_cooperation() {
    check_direction(4);
}

#[test]
fn direction_6_global_budget_lowers_spending() {
    check_direction(5);
}

#[test]
fn direction_6_capitation_lowers_spending() {
    check_direction(6);
}

#[test]
fn direction_7_awareness_raises_primary_share_and_acceptance() {
    check_direction(7);
}

#[test]
fn direction_8_referral_bonus_raises_downward_referrals() {
    check_direction(8);
}

#[test]
fn every_direction_is_tested() {
    assert_eq!(POLICY_DIRECTIONS.len(), 9, "add a test function for the new direction");
    let numbers: std::collections::BTreeSet<u8> = POLICY_DIRECTIONS.iter().map(|d| d.number).collect();
    assert_eq!(numbers.into_iter().collect::<Vec<_>>(), (1..=8).collect::<Vec<_>>());
}
