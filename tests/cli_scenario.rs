//! Scenario files and ensembles (`docs/MODEL.md` §6.3): a run's JSON read back with
//! `run --scenario` runs the same thing again; lever changes during a run equal the same
//! changes made by hand; intervals and the effect against the status quo follow the
//! type-7 quantile arithmetic exactly; bad files are one line naming the key, exit 2.

mod common;

use common::{all_series_bits, cli, ok, sim, small, summary_bits};
use consortium_sim::change::Change;
use consortium_sim::num::{count, trunc_usize};
use consortium_sim::{LeverValue, MODEL_VERSION, OUTPUTS, Simulation};
use serde_json::{Value, json};
use std::path::PathBuf;

/// A small, fast run: the options every command here starts with.
const SMALL: &[&str] = &["--population", "3000", "--years", "1"];

fn tmp_file(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-scenario-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Writes `text` to a fresh file called `name` and gives its path.
fn file(name: &str, text: &str) -> String {
    let path = tmp_file(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn run(args: &[&str]) -> String {
    ok(&[&["run"], args].concat())
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("stdout is one JSON value")
}

fn text(s: &str) -> LeverValue {
    LeverValue::Text(s.to_string())
}

/// Bad input: exit status 2, nothing on stdout, one line on stderr containing every `words`.
fn refused(args: &[&str], words: &[&str]) {
    let out = cli(&[&["run"], args].concat());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: exit status {:?}, stderr: {stderr}", out.status);
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    assert!(stderr.ends_with('\n') && stderr.lines().count() == 1, "{args:?}: not one line:\n{stderr}");
    for w in words {
        assert!(stderr.contains(w), "{args:?}: error does not contain {w:?}: {stderr}");
    }
}

// ---- a run's output read back ---------------------------------------------------------

#[test]
fn a_runs_json_read_back_prints_the_same_bytes() {
    let first = run(&[SMALL, &["--replications", "2", "--set", "referral_bonus=300", "--seed", "9"]].concat());
    let path = file("first.json", &first);
    assert_eq!(run(&["--scenario", &path]), first, "the output read back must run the same seeds and scenario");
    // With changes during the run too, and changed structural parameters.
    let with_changes = json!({ "scenario": {
        "population": 3000, "years": 1, "seed": 4,
        "changes": [{ "day": 31, "lever": "gatekeeping", "value": "soft" }, { "day": 200, "lever": "referral_bonus", "value": 120 }]
    }, "params": { "beta_wait_scale": 1.2 }, "seeds": [4, 5] });
    let once = run(&["--scenario", &file("changes.json", &with_changes.to_string())]);
    assert!(once.contains("\"changes\"") && once.contains("\"beta_wait_scale\": 1.2"), "{once}");
    assert_eq!(run(&["--scenario", &file("again.json", &once)]), once);
}

#[test]
fn a_scenario_alone_runs_like_the_options_it_stands_for() {
    let by_options = run(&[SMALL, &["--preset", "gatekeeping", "--set", "info_sharing=0.55"]].concat());
    let scenario = json!({ "scenario": parse(&by_options)["scenario"] }).to_string();
    assert_eq!(run(&["--scenario", &file("alone.json", &scenario)]), by_options);
    // A subset of levers: the preset gives the rest.
    let subset = json!({ "scenario": { "preset": "gatekeeping", "levers": { "info_sharing": 0.55 }, "population": 3000, "years": 1 } });
    assert_eq!(run(&["--scenario", &file("subset.json", &subset.to_string())]), by_options);
}

#[test]
fn options_given_with_a_file_change_it_in_their_order() {
    let path = file("base.json", &run(&[SMALL, &["--replications", "2", "--seed", "20"]].concat()));
    let v = parse(&run(&["--scenario", &path, "--set", "referral_bonus=50", "--seed", "7"]));
    assert_eq!(v["scenario"]["levers"]["referral_bonus"], 50.0);
    assert_eq!(v["seeds"], json!([7, 8]), "--seed moves the file's seeds, keeping their number");
    let v = parse(&run(&["--scenario", &path, "--replications", "3", "--set", "years=2", "--years", "1"]));
    assert_eq!(v["seeds"], json!([20, 21, 22]));
    assert_eq!(v["scenario"]["years"], 1, "the later of --set years and --years wins");
    refused(&["--scenario", &path, "--preset", "gatekeeping"], &["--scenario", "--preset"]);
}

#[test]
fn another_model_version_warns_on_one_line_and_runs() {
    let mut v = parse(&run(SMALL));
    v["model_version"] = json!("0.0.1");
    let out = cli(&["run", "--scenario", &file("old.json", &v.to_string())]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("warning: ") && stderr.contains("0.0.1") && stderr.contains(MODEL_VERSION), "{stderr}");
    assert_eq!(parse(&String::from_utf8_lossy(&out.stdout))["summary"], v["summary"]);
}

// ---- changes during the run -----------------------------------------------------------

#[test]
fn changes_in_a_file_equal_the_same_changes_made_by_hand() {
    let scenario = json!({ "scenario": { "population": 3000, "years": 1, "seed": 12, "changes": [
        { "day": 200, "lever": "referral_bonus", "value": 300 },
        { "day": 40, "lever": "gatekeeping", "value": "strict" },
        { "day": 200, "lever": "referral_bonus", "value": "50" }
    ] } });
    let v = parse(&run(&["--scenario", &file("hand.json", &scenario.to_string())]));
    let mut hand = sim(&small("status_quo", 3000, 1, 12));
    hand.step(40);
    hand.set_lever("gatekeeping", &text("strict")).unwrap();
    hand.step(160);
    // Same-day changes apply in list order: the second bonus is the one in force.
    hand.set_lever("referral_bonus", &LeverValue::Number(300.0)).unwrap();
    hand.set_lever("referral_bonus", &text("50")).unwrap();
    hand.run();
    for (name, x) in hand.summary() {
        let printed = v["summary"][name].as_f64().unwrap();
        assert_eq!(printed.to_bits(), x.to_bits(), "{name}: file run {printed}, by hand {x}");
    }
    let mut no_change = sim(&small("status_quo", 3000, 1, 12));
    no_change.run();
    assert_ne!(summary_bits(&no_change), summary_bits(&hand), "the changes must matter");
}

#[test]
fn scheduled_changes_equal_set_lever_on_their_day_in_every_daily_series() {
    let mut scenario = small("close_consortium", 3000, 1, 5);
    scenario.changes = vec![
        Change::new(100, "payment_method", &text("fee_for_service")).unwrap(),
        Change::new(243, "info_sharing", &LeverValue::Number(0.1)).unwrap(),
    ];
    let mut scheduled = sim(&scenario);
    // Stepping in pieces that straddle the change days changes nothing.
    scheduled.step(99);
    scheduled.step(2);
    scheduled.run();
    let mut hand = sim(&small("close_consortium", 3000, 1, 5));
    hand.step(100);
    hand.set_lever("payment_method", &text("fee_for_service")).unwrap();
    hand.step(143);
    hand.set_lever("info_sharing", &LeverValue::Number(0.1)).unwrap();
    hand.run();
    assert_eq!(all_series_bits(&scheduled), all_series_bits(&hand));
    // And reset runs them again.
    scheduled.reset();
    scheduled.run();
    assert_eq!(all_series_bits(&scheduled), all_series_bits(&hand));
}

#[test]
fn a_change_at_day_0_equals_the_lever_from_the_start() {
    let mut from_start = small("status_quo", 3000, 1, 8);
    from_start.levers.set("gatekeeping", &text("strict")).unwrap();
    let mut at_day_0 = small("status_quo", 3000, 1, 8);
    at_day_0.changes = vec![Change::new(0, "gatekeeping", &text("strict")).unwrap()];
    let (mut a, mut b) = (sim(&from_start), sim(&at_day_0));
    a.run();
    b.run();
    assert_eq!(all_series_bits(&a), all_series_bits(&b));
}

#[test]
fn a_change_past_the_horizon_is_refused() {
    let mut s = small("status_quo", 3000, 1, 1);
    s.changes = vec![Change::new(365, "referral_bonus", &LeverValue::Number(1.0)).unwrap()];
    let e = Simulation::new(s).unwrap_err().to_string();
    assert!(e.contains("'changes[0].day'") && e.contains("0 to 364"), "{e}");
    let late = json!({ "scenario": { "population": 3000, "years": 1,
        "changes": [{ "day": 365, "lever": "referral_bonus", "value": 1 }] } });
    let path = file("late.json", &late.to_string());
    refused(&["--scenario", &path], &[&path, "'scenario.changes[0].day'", "0 to 364"]);
    // A horizon cut short on the command line refuses it too.
    let fits = json!({ "scenario": { "population": 3000, "years": 2,
        "changes": [{ "day": 400, "lever": "referral_bonus", "value": 1 }] } });
    refused(&["--scenario", &file("fits.json", &fits.to_string()), "--years", "1"], &["'changes[0].day'", "0 to 364"]);
}

// ---- bad files ------------------------------------------------------------------------

#[test]
fn bad_files_are_one_line_naming_the_file_and_the_key() {
    let path = file("not.json", "population = 3000\n");
    refused(&["--scenario", &path], &[&path, "not JSON"]);
    let path = file("unknown.json", r#"{ "scenario": {}, "sumary": {} }"#);
    refused(&["--scenario", &path], &[&path, "'sumary'", "model_version, scenario, seeds"]);
    let path = file("inner.json", r#"{ "scenario": { "leavers": {} } }"#);
    refused(&["--scenario", &path], &["'scenario.leavers'", "levers"]);
    let bad_value = r#"{ "scenario": { "changes": [{ "day": 10, "lever": "info_sharing", "value": 1.5 }] } }"#;
    let path = file("value.json", bad_value);
    refused(&["--scenario", &path], &[&path, "'scenario.changes[0].value'", "info_sharing", "0 to 1"]);
    let unknown_lever = r#"{ "scenario": { "changes": [{ "day": 10, "lever": "speed", "value": 1 }] } }"#;
    refused(&["--scenario", &file("lever.json", unknown_lever)], &["'scenario.changes[0].lever'", "gatekeeping"]);
    let path = file("seeds.json", r#"{ "scenario": {}, "seeds": [3, 4, 6] }"#);
    refused(&["--scenario", &path], &[&path, "'seeds'", "consecutive"]);
    let path = file("lever.json", r#"{ "scenario": { "levers": { "gatekeeping": "total" } } }"#);
    refused(&["--scenario", &path], &["'scenario.levers.gatekeeping'", "none, soft, strict"]);
    refused(&["--scenario", &tmp_file("missing.json").display().to_string()], &["cannot read", "missing.json"]);
}

// ---- intervals and effect -------------------------------------------------------------

/// The contract's type-7 quantile, written out again here rather than taken from the crate.
fn q7(values: &[f64], p: f64) -> f64 {
    let mut x = values.to_vec();
    x.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = x.len();
    let h = p * count(n - 1);
    let i = trunc_usize(h.floor());
    if i + 1 < n { x[i] + (h - count(i)) * (x[i + 1] - x[i]) } else { x[i] }
}

/// Checks that `printed` holds, for every output, the interval of `per_seed[output]`.
fn assert_intervals(printed: &Value, per_seed: impl Fn(&str) -> Vec<f64>, what: &str) {
    for name in OUTPUTS.iter().map(|o| o.name) {
        let xs = per_seed(name);
        for (key, p) in [("median", 0.5), ("p5", 0.05), ("p25", 0.25), ("p75", 0.75), ("p95", 0.95)] {
            let got = printed[name][key].as_f64().unwrap_or_else(|| panic!("{what}: no {name}.{key}"));
            assert_eq!(got.to_bits(), q7(&xs, p).to_bits(), "{what} {name}.{key}: printed {got}, from {xs:?}");
        }
    }
}

fn replicate_values(v: &Value, name: &str) -> Vec<f64> {
    v["replicates"].as_array().unwrap().iter().map(|r| r["summary"][name].as_f64().unwrap()).collect()
}

#[test]
fn intervals_are_the_quantiles_of_the_replicates() {
    let v = parse(&run(&[SMALL, &["--replications", "5", "--seed", "30"]].concat()));
    assert_intervals(&v["intervals"], |name| replicate_values(&v, name), "intervals");
    let spread = replicate_values(&v, "primary_visit_share");
    assert!(spread.windows(2).any(|w| w[0] != w[1]), "five seeds gave one value");
    // One seed: no intervals and no effect, so existing outputs keep their bytes.
    let one = parse(&run(SMALL));
    assert!(one.get("intervals").is_none() && one.get("effect").is_none());
}

#[test]
fn the_effect_is_the_scenario_minus_the_status_quo_seed_by_seed() {
    let seeds = ["--replications", "4", "--seed", "60"];
    let policy = parse(&run(&[SMALL, &seeds, &["--preset", "close_consortium"]].concat()));
    let status_quo = parse(&run(&[SMALL, &seeds].concat()));
    let effect = &policy["effect"];
    assert_eq!(effect["baseline"], "status_quo");
    let differences = |name: &str| -> Vec<f64> {
        replicate_values(&policy, name).iter().zip(replicate_values(&status_quo, name)).map(|(a, b)| a - b).collect()
    };
    assert_intervals(&effect["intervals"], differences, "effect");
    for name in OUTPUTS.iter().map(|o| o.name) {
        let d = differences(name);
        let mean = d.iter().sum::<f64>() / count(d.len());
        assert_eq!(effect["mean"][name].as_f64().unwrap().to_bits(), mean.to_bits(), "effect mean of {name}");
    }
    assert_ne!(effect["mean"]["primary_visit_share"], 0.0, "a close consortium changes the visit shares");
}

#[test]
fn the_status_quo_against_itself_has_no_effect() {
    let v = parse(&run(&[SMALL, &["--replications", "3"]].concat()));
    for name in OUTPUTS.iter().map(|o| o.name) {
        assert_eq!(v["effect"]["mean"][name], 0.0, "{name}");
        assert_eq!(
            v["effect"]["intervals"][name],
            json!({ "median": 0.0, "p5": 0.0, "p25": 0.0, "p75": 0.0, "p95": 0.0 })
        );
    }
}
