//! `consortium-sim validate`: its numbers are the calibration and policy tests' numbers
//! (the same seeds and scenario give identical means), and every format says what was run.

mod common;

use common::{cli, ok, small};
use consortium_sim::MODEL_VERSION;
use consortium_sim::report;
use consortium_sim::validation::{BASELINE_TARGETS, POLICY_DIRECTIONS, measure, percentile, target_value};
use serde_json::Value;

const SMALL: &[&str] = &["validate", "--seeds", "3", "--seed", "4", "--population", "2000", "--years", "1"];

fn bits(v: &Value) -> u64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")).to_bits()
}

#[test]
fn the_command_agrees_with_the_library_to_the_last_bit() {
    let v: Value = serde_json::from_str(&ok(&[SMALL, &["--format", "json"]].concat())).unwrap();
    assert_eq!(v["model_version"], MODEL_VERSION);
    assert_eq!(v["seeds"], serde_json::json!([4, 5, 6]));
    assert_eq!(v["scenario"]["population"], 2000);

    let scenario = small("status_quo", 2_000, 1, 4);
    let baseline = report::run(&scenario, 3).unwrap();
    let mean = baseline.mean();
    let facts = v["facts"].as_array().unwrap();
    assert_eq!(facts.len(), BASELINE_TARGETS.len());
    for (f, t) in facts.iter().zip(BASELINE_TARGETS) {
        assert_eq!(f["output"], t.output);
        assert_eq!(bits(&f["mean"]), target_value(&mean, t.output).to_bits(), "{}", t.output);
        let per_seed: Vec<f64> = baseline.replicates.iter().map(|r| target_value(&r.summary, t.output)).collect();
        assert_eq!(bits(&f["p5"]), percentile(&per_seed, 0.05).to_bits(), "{}", t.output);
        assert_eq!(bits(&f["p95"]), percentile(&per_seed, 0.95).to_bits(), "{}", t.output);
        let pass = target_value(&mean, t.output) >= t.low && target_value(&mean, t.output) <= t.high;
        assert_eq!(f["pass"], pass);
    }

    let directions = v["directions"].as_array().unwrap();
    assert_eq!(directions.len(), POLICY_DIRECTIONS.len());
    for (d, direction) in directions.iter().zip(POLICY_DIRECTIONS) {
        assert_eq!(d["number"], direction.number);
        let measured = measure(direction, &baseline).unwrap();
        for (e, m) in d["effects"].as_array().unwrap().iter().zip(&measured) {
            assert_eq!(e["output"], m.effect.output);
            assert_eq!(bits(&e["mean_change"]), m.mean().to_bits(), "direction {}", direction.number);
            assert_eq!(bits(&e["baseline"]), m.baseline.to_bits());
            assert_eq!(bits(&e["policy"]), m.policy.to_bits());
            assert_eq!(e["holds"], m.holds());
            let diffs: Vec<u64> = e["differences"].as_array().unwrap().iter().map(bits).collect();
            assert_eq!(diffs, m.differences.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        }
    }
}

#[test]
fn markdown_and_table_formats_name_every_fact_and_direction() {
    let md = ok(&[SMALL, &["--format", "markdown"]].concat());
    assert!(md.starts_with("# Validation\n"));
    assert!(md.contains("consortium-sim validate --seeds 3 --seed 4 --population 2000 --years 1 --format markdown"));
    assert!(md.contains(&format!("Model version {MODEL_VERSION}")));
    assert!(md.contains("| fact | output | target | model mean | 90% interval over seeds |"));
    for t in BASELINE_TARGETS {
        assert!(md.contains(t.fact), "{}", t.fact);
    }
    for d in POLICY_DIRECTIONS {
        let change = d.changes.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
        assert!(md.contains(&change), "{change}");
    }
    let text = ok(SMALL);
    assert!(text.contains("stylized facts:") && text.contains("policy directions"));
    assert_eq!(text.lines().filter(|l| l.ends_with("  pass") || l.ends_with("  FAIL")).count(), 13 + 15);
}

#[test]
fn percentiles_interpolate_between_order_statistics() {
    let v = [3.0, 1.0, 2.0, 4.0, 5.0];
    assert_eq!(percentile(&v, 0.0), 1.0);
    assert_eq!(percentile(&v, 0.5), 3.0);
    assert_eq!(percentile(&v, 1.0), 5.0);
    assert!((percentile(&v, 0.05) - 1.2).abs() < 1e-12);
    assert!(percentile(&[], 0.5).is_nan());
}

#[test]
fn bad_options_are_one_line_with_status_2() {
    for (args, expect) in [
        (&["validate", "--seeds", "0"][..], "'seeds'"),
        (&["validate", "--format", "xml"][..], "table, json, markdown"),
        (&["validate", "--bogus"][..], "--seeds"),
        (&["validate", "--years", "0"][..], "'years'"),
    ] {
        let out = cli(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expect), "{args:?}: {stderr}");
    }
}
