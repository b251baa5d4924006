//! Golden test, native side: small runs must reproduce `tests/golden/small.json` to the bit.
//!
//! The file holds, for each case, the scenario and the script of steps and mid-run lever
//! changes, then every summary value as its exact f64 bit pattern and an FNV-1a hash of
//! every daily series and of the flows matrix. `tests/web.rs` replays the same cases
//! through the JS-facing API in headless Chromium and checks the same bits, which is what
//! proves native and WebAssembly runs identical.
//!
//! When the model changes on purpose (recalibration, a new output), regenerate the file:
//!
//! ```text
//! UPDATE_GOLDEN=1 cargo test --test golden
//! ```
//!
//! and commit it. On an unintended mismatch the test writes what it computed to
//! `tests/golden/small-changed.json` (git-ignored) so the two can be diffed.

#[path = "golden/digest.rs"]
mod digest;

use consortium_sim::{LeverValue, MODEL_VERSION, OUTPUTS, Scenario, Simulation};
use serde_json::{Map, Value, json};
use std::path::PathBuf;

/// The cases: a JS scenario object and a script of `{"step": days}` and
/// `{"set_lever": [key, value]}` actions. Small, so the browser replays them in seconds.
fn cases() -> Vec<(&'static str, Value, Value)> {
    vec![
        (
            "status_quo",
            json!({ "preset": "status_quo", "population": 20000, "years": 2, "seed": 7 }),
            json!([{ "step": 100 }, { "step": 630 }]),
        ),
        (
            "close_consortium_with_mid_run_changes",
            json!({
                "preset": "close_consortium",
                "population": 20000,
                "years": 2,
                "seed": "11",
                "levers": { "awareness_campaign": 0.5, "gatekeeping": "soft" }
            }),
            json!([
                { "step": 200 },
                { "set_lever": ["payment_method", "capitation"] },
                { "set_lever": ["info_sharing", 0.9] },
                { "step": 300 },
                { "set_lever": ["unified_drug_list", false] },
                { "step": 230 }
            ]),
        ),
    ]
}

fn lever_value(v: &Value) -> LeverValue {
    match v {
        Value::Bool(b) => LeverValue::Bool(*b),
        Value::Number(n) => LeverValue::Number(n.as_f64().expect("a plain number")),
        Value::String(s) => LeverValue::Text(s.clone()),
        other => panic!("a lever value in a golden case must be a number, string or boolean, not {other}"),
    }
}

/// The scenario object applied the way `new Simulation(scenario)` applies it.
fn scenario(spec: &Value) -> Scenario {
    let preset = spec["preset"].as_str().unwrap_or("status_quo");
    let mut s = Scenario::from_preset(preset).expect("a known preset");
    for key in ["population", "urban_share", "years", "seed"] {
        match &spec[key] {
            Value::Null => {}
            Value::String(text) => s.set(key, text).expect("a valid setting"),
            other => s.set(key, &other.to_string()).expect("a valid setting"),
        }
    }
    if let Some(levers) = spec["levers"].as_object() {
        for (key, value) in levers {
            s.levers.set(key, &lever_value(value)).expect("a valid lever");
        }
    }
    s
}

/// Runs one case and records its fingerprint.
fn run_case(name: &str, spec: &Value, script: &Value) -> Value {
    let mut sim = Simulation::new(scenario(spec)).expect("a valid scenario");
    for action in script.as_array().expect("a script is an array") {
        if let Some(days) = action["step"].as_u64() {
            sim.step(u32::try_from(days).expect("a step of at most 4294967295 days"));
        } else if let Some([key, value]) = action["set_lever"].as_array().map(Vec::as_slice) {
            sim.set_lever(key.as_str().expect("a lever key"), &lever_value(value)).expect("a valid lever");
        } else {
            panic!("unknown action {action} in golden case {name}");
        }
    }
    let mut summary = Map::new();
    for (output, value) in sim.summary() {
        summary.insert(output.to_string(), json!({ "value": value, "bits": digest::bits(value) }));
    }
    let mut series = Map::new();
    for output in OUTPUTS.iter().map(|o| o.name) {
        let values = sim.series(output).expect("every output has a series");
        series.insert(output.to_string(), Value::from(digest::series_hash(&values)));
    }
    json!({
        "name": name,
        "scenario": spec,
        "script": script,
        "day": sim.day(),
        "summary": summary,
        "series": series,
        "flows": digest::flows_hash(sim.flows()),
    })
}

fn compute() -> Value {
    json!({
        "about": "Exact results of small native runs. tests/golden.rs checks them natively and tests/web.rs in \
                  headless Chromium. Summary values are f64 bit patterns (value is for reading only); series and \
                  flows are FNV-1a hashes of every value's bits. Regenerate with: UPDATE_GOLDEN=1 cargo test --test golden",
        "model_version": MODEL_VERSION,
        "cases": cases().iter().map(|(name, spec, script)| run_case(name, spec, script)).collect::<Vec<_>>(),
    })
}

/// Paths where `expected` and `actual` differ, e.g. `cases[0].summary.oop_share.bits`.
/// Summary `value`s are skipped: `bits` is the exact record, and serde_json's default float
/// parser may land one ulp off when reading a decimal back.
fn differences(path: &str, expected: &Value, actual: &Value, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e.iter().filter(|(k, _)| k.as_str() != "value") {
                differences(&format!("{path}.{k}"), ev, a.get(k).unwrap_or(&Value::Null), out);
            }
            for k in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{path}.{k}: new"));
            }
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => {
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                differences(&format!("{path}[{i}]"), ev, av, out);
            }
        }
        _ if expected != actual => out.push(format!("{path}: expected {expected}, got {actual}")),
        _ => {}
    }
}

#[test]
fn native_run_matches_golden_file() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let file = dir.join("small.json");
    let changed = dir.join("small-changed.json");
    let actual = compute();
    let text = serde_json::to_string_pretty(&actual).expect("JSON") + "\n";

    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v != "0") {
        std::fs::write(&file, text).expect("write the golden file");
        let _ = std::fs::remove_file(&changed);
        eprintln!("rewrote {}", file.display());
        return;
    }

    let expected: Value = match std::fs::read_to_string(&file) {
        Ok(stored) => serde_json::from_str(&stored).expect("the golden file is JSON"),
        Err(e) => {
            panic!("cannot read {}: {e}; create it with: UPDATE_GOLDEN=1 cargo test --test golden", file.display())
        }
    };
    let mut diffs = Vec::new();
    differences("", &expected, &actual, &mut diffs);
    if diffs.is_empty() {
        let _ = std::fs::remove_file(&changed);
        return;
    }
    std::fs::write(&changed, text).expect("write the changed results");
    let shown = diffs.iter().take(12).cloned().collect::<Vec<_>>().join("\n  ");
    panic!(
        "the model's results differ from {} in {} places, e.g.\n  {shown}\n\
         The new results are in {}. If the change was intended (recalibration, a model change), \
         regenerate the file and commit it:\n  UPDATE_GOLDEN=1 cargo test --test golden\n\
         (then check tests/web.rs still passes: bash scripts/test-wasm.sh)",
        file.display(),
        diffs.len(),
        changed.display(),
    );
}
