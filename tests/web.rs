//! Browser tests of the JS-facing API, run in headless Chromium by wasm-bindgen-test:
//! `bash scripts/test-wasm.sh`.
//!
//! They call the exported wrappers with `JsValue`s as a page would, check that bad input
//! becomes a JS `Error` naming the field and its allowed values, with that field as its `key`
//! property, and replay the golden runs
//! of `tests/golden/small.json` (written natively by `tests/golden.rs`) to check that the
//! browser computes the same bits.
#![cfg(target_arch = "wasm32")]

#[path = "golden/digest.rs"]
mod digest;

use consortium_sim::OUTPUTS;
use consortium_sim::sim::{self, YEAR};
use consortium_sim::wasm::{self, JsSimulation};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GOLDEN: &str = include_str!("golden/small.json");

/// A JS value from JSON text, as a page would pass it.
fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap_or_else(|_| panic!("test JSON must parse: {json}"))
}

fn new_sim(json: &str) -> JsSimulation {
    match JsSimulation::new(Some(js(json))) {
        Ok(sim) => sim,
        Err(e) => panic!("scenario {json} was rejected: {}", message(e.into())),
    }
}

/// The message of a thrown value, checking that it is a real JS `Error`.
fn message(thrown: JsValue) -> String {
    keyed(thrown).0
}

/// The message and the `key` property of a thrown value, checking that it is a real JS
/// `Error` and that its `key` is a string or null.
fn keyed(thrown: JsValue) -> (String, Option<String>) {
    let key = get(&thrown, "key");
    assert!(key.is_string() || key.is_null(), "the key of a thrown Error is {key:?}");
    match thrown.dyn_into::<js_sys::Error>() {
        Ok(error) => (String::from(error.message()), key.as_string()),
        Err(other) => panic!("expected a JS Error, got {other:?}"),
    }
}

/// The message and key of the error thrown by `new Simulation(json)`.
fn constructor_error(json: &str) -> (String, Option<String>) {
    match JsSimulation::new(Some(js(json))) {
        Ok(_) => panic!("scenario {json} should have been rejected"),
        Err(e) => keyed(e.into()),
    }
}

fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).expect("an object")
}

fn small() -> JsSimulation {
    new_sim(r#"{ "preset": "status_quo", "population": 5000, "years": 1, "seed": 3 }"#)
}

#[wasm_bindgen_test]
fn runs_in_chromium_not_node() {
    let navigator = get(&js_sys::global(), "navigator");
    let agent = get(&navigator, "userAgent").as_string().unwrap_or_default();
    assert!(agent.contains("Chrome"), "user agent {agent:?}");
    assert!(!get(&js_sys::global(), "document").is_undefined(), "a page, not a worker or Node");
}

#[wasm_bindgen_test]
fn step_set_lever_summary_series_reset() {
    let mut sim = small();
    assert_eq!(sim.day(), 0);
    assert_eq!(sim.total_days(), 365);
    sim.step(40.0).expect("step");
    sim.set_lever(JsValue::from_str("payment_method"), JsValue::from_str("global_budget"))
        .expect("a choice as a string");
    sim.set_lever(JsValue::from_str("referral_bonus"), JsValue::from_f64(150.0)).expect("a number");
    sim.set_lever(JsValue::from_str("unified_drug_list"), JsValue::TRUE).expect("a boolean");
    sim.set_lever(JsValue::from_str("info_sharing"), JsValue::from_str("0.7")).expect("a number as text");
    let levers = sim.levers().expect("levers");
    assert_eq!(get(&levers, "payment_method").as_string().as_deref(), Some("global_budget"));
    assert_eq!(get(&levers, "referral_bonus").as_f64(), Some(150.0));
    assert_eq!(get(&levers, "unified_drug_list").as_bool(), Some(true));
    sim.step(20.0).expect("step");
    assert_eq!(sim.day(), 60);

    let summary = sim.summary().expect("summary");
    let keys = js_sys::Object::keys(summary.unchecked_ref::<js_sys::Object>());
    assert_eq!(keys.length() as usize, OUTPUTS.len());
    for name in OUTPUTS.iter().map(|o| o.name) {
        let v = get(&summary, name);
        assert!(v.as_f64().is_some(), "summary.{name} is {v:?}");
    }
    assert!(get(&summary, "primary_visit_share").as_f64().is_some_and(|v| v > 0.0 && v < 1.0));

    for name in OUTPUTS.iter().map(|o| o.name) {
        assert_eq!(sim.series(JsValue::from_str(name)).expect("series").len(), 60, "series {name}");
    }
    assert_eq!(sim.series_by(JsValue::from_str("trust_primary"), 30.0).expect("monthly").len(), 2);
    assert_eq!(sim.series_by(JsValue::from_str("trust_primary"), 7.0).expect("weekly").len(), 9);

    let facilities = sim.facilities().expect("facilities");
    let n = js_sys::Array::from(&facilities).length() as usize;
    assert!(n >= 3, "{n} facilities");
    assert_eq!(sim.flows().len(), n * n);
    let first = js_sys::Array::from(&facilities).get(0);
    assert!(get(&first, "tier").as_f64().is_some() && get(&first, "visit_wait").as_f64().is_some());
    assert!(sim.region_side() > 0.0);

    sim.reset();
    assert_eq!(sim.day(), 0);
    assert!(sim.series(JsValue::from_str("primary_visit_share")).expect("series").is_empty());
    let levers = sim.levers().expect("levers");
    assert_eq!(get(&levers, "payment_method").as_string().as_deref(), Some("fee_for_service"), "reset drops changes");
    sim.run();
    assert_eq!(sim.day(), 365);
    assert!(sim.finished());
}

#[wasm_bindgen_test]
fn reset_replays_the_same_run() {
    let mut sim = small();
    sim.step(90.0).expect("step");
    let first = sim.series(JsValue::from_str("tertiary_visit_share")).expect("series");
    sim.reset();
    sim.step(90.0).expect("step");
    let again = sim.series(JsValue::from_str("tertiary_visit_share")).expect("series");
    assert_eq!(digest::series_hash(&first), digest::series_hash(&again));
}

#[wasm_bindgen_test]
fn scenario_fields_are_read() {
    let sim = new_sim(
        r#"{ "preset": "gatekeeping", "population": "2000", "urban_share": 0.3, "years": 3,
            "seed": "18446744073709551615", "levers": { "tertiary_capacity": 1.5, "unified_drug_list": "true" } }"#,
    );
    assert_eq!(sim.total_days(), 3 * 365);
    let s = sim.scenario().expect("scenario");
    assert_eq!(get(&s, "preset").as_string().as_deref(), Some("gatekeeping"));
    assert_eq!(get(&s, "population").as_f64(), Some(2000.0));
    assert_eq!(get(&s, "urban_share").as_f64(), Some(0.3));
    assert_eq!(get(&s, "seed").as_string().as_deref(), Some("18446744073709551615"), "unsafe seeds come back as text");
    let levers = get(&s, "levers");
    assert_eq!(get(&levers, "gatekeeping").as_string().as_deref(), Some("strict"));
    assert_eq!(get(&levers, "tertiary_capacity").as_f64(), Some(1.5));
    assert_eq!(get(&levers, "unified_drug_list").as_bool(), Some(true));

    // Every field is optional, and undefined or null means "not given".
    let sim = JsSimulation::new(Some(JsValue::UNDEFINED)).unwrap_or_else(|e| panic!("{}", message(e.into())));
    assert_eq!(get(&sim.scenario().expect("scenario"), "preset").as_string().as_deref(), Some("status_quo"));
    let sim = JsSimulation::new(None).unwrap_or_else(|e| panic!("{}", message(e.into())));
    assert_eq!(sim.total_days(), 5 * 365, "new Simulation() runs the default scenario");
    let sim = new_sim(r#"{ "population": 3000, "seed": null, "years": 1 }"#);
    assert_eq!(get(&sim.scenario().expect("scenario"), "seed").as_f64(), Some(1.0));
    let sim = new_sim(r#"{ "population": 3000, "seed": 9007199254740991, "years": 1 }"#);
    assert_eq!(get(&sim.scenario().expect("scenario"), "seed").as_f64(), Some(9007199254740991.0));
}

#[wasm_bindgen_test]
fn bad_scenarios_throw_errors_naming_the_field() {
    // (scenario, the thrown Error's `key`, what its message mentions)
    let cases: &[(&str, &str, &[&str])] = &[
        (r#"{ "levers": { "reimbursment_primary": 0.9 } }"#, "reimbursment_primary", &["reimbursement_primary"]),
        (r#"{ "levers": { "info_sharing": 1.5 } }"#, "info_sharing", &["0 to 1"]),
        (r#"{ "levers": { "payment_method": "cash" } }"#, "payment_method", &["fee_for_service, global_budget"]),
        (r#"{ "levers": { "payment_method": 2 } }"#, "payment_method", &["capitation, drg"]),
        (r#"{ "levers": { "unified_drug_list": 1 } }"#, "unified_drug_list", &["true, false"]),
        (r#"{ "levers": 5 }"#, "levers", &["object"]),
        (r#"{ "population": 0 }"#, "population", &["1000 to 20000000"]),
        (r#"{ "population": 2500.5 }"#, "population", &["whole number"]),
        (r#"{ "population": "lots" }"#, "population", &["1000"]),
        (r#"{ "years": 0 }"#, "years", &["1 to 50"]),
        (r#"{ "urban_share": -0.1 }"#, "urban_share", &["0 to 1"]),
        (r#"{ "seed": -1 }"#, "seed", &["decimal string"]),
        (r#"{ "seed": 1e300 }"#, "seed", &["decimal string"]),
        (r#"{ "seed": "abc" }"#, "seed", &["18446744073709551615"]),
        (r#"{ "preset": "utopia" }"#, "preset", &["utopia", "close_consortium"]),
        (r#"{ "preset": 3 }"#, "preset", &["status_quo"]),
        (r#"{ "population": 5000, "speed": 2 }"#, "speed", &["scenario field", "urban_share"]),
        (r#"[1, 2]"#, "scenario", &["object"]),
        (r#""status_quo""#, "scenario", &["object"]),
    ];
    for (json, key, wanted) in cases {
        let (msg, got) = constructor_error(json);
        assert_eq!(got.as_deref(), Some(*key), "key of the error for {json}: {msg}");
        for w in [key].into_iter().chain(*wanted) {
            assert!(msg.contains(w), "message for {json} should mention {w:?}: {msg}");
        }
    }
}

/// The three kinds of bad input a page sends, each caught by its own key: a lever (on the
/// way in and mid-run), a setting, a preset.
#[wasm_bindgen_test]
fn thrown_errors_carry_the_key_of_their_control() {
    let mut sim = small();
    let (msg, key) = keyed(
        sim.set_lever(JsValue::from_str("referral_bonus"), JsValue::from_f64(-5.0)).expect_err("bad lever").into(),
    );
    assert_eq!(key.as_deref(), Some("referral_bonus"), "{msg}");
    let (msg, key) =
        keyed(sim.set_lever(JsValue::from_str("bonus"), JsValue::from_f64(5.0)).expect_err("unknown lever").into());
    assert_eq!(key.as_deref(), Some("bonus"), "{msg}");
    let (msg, key) = constructor_error(r#"{ "levers": { "gatekeeping": "total" } }"#);
    assert_eq!(key.as_deref(), Some("gatekeeping"), "{msg}");
    let (msg, key) = constructor_error(r#"{ "years": 99 }"#);
    assert_eq!(key.as_deref(), Some("years"), "{msg}");
    let (msg, key) = constructor_error(r#"{ "preset": "utopia" }"#);
    assert_eq!(key.as_deref(), Some("preset"), "{msg}");
    let (msg, key) = keyed(sim.step(-1.0).expect_err("bad days").into());
    assert_eq!(key.as_deref(), Some("days"), "{msg}");
}

#[wasm_bindgen_test]
fn bad_calls_throw_errors_and_change_nothing() {
    let mut sim = small();
    let before = js_sys::JSON::stringify(&sim.levers().expect("levers")).expect("JSON");
    let lever_cases: &[(&str, JsValue, &[&str])] = &[
        ("reimbursment_primary", JsValue::from_f64(0.9), &["reimbursment_primary", "reimbursement_tertiary"]),
        ("info_sharing", JsValue::from_f64(1.5), &["info_sharing", "0 to 1"]),
        ("info_sharing", JsValue::from_f64(f64::NAN), &["info_sharing", "0 to 1"]),
        ("payment_method", JsValue::from_str("cash"), &["payment_method", "global_budget"]),
        ("referral_bonus", JsValue::from_f64(-5.0), &["referral_bonus", ">= 0"]),
        ("tertiary_capacity", JsValue::NULL, &["tertiary_capacity", "> 0"]),
        ("gatekeeping", JsValue::UNDEFINED, &["gatekeeping", "none, soft, strict"]),
        ("unified_drug_list", js_sys::Object::new().into(), &["unified_drug_list", "true, false"]),
    ];
    for (key, value, wanted) in lever_cases {
        let (msg, got) = match sim.set_lever(JsValue::from_str(key), value.clone()) {
            Ok(()) => panic!("setLever({key}, {value:?}) should throw"),
            Err(e) => keyed(e.into()),
        };
        assert_eq!(got.as_deref(), Some(*key), "key of the error for setLever({key}): {msg}");
        for w in *wanted {
            assert!(msg.contains(w), "message for setLever({key}) should mention {w:?}: {msg}");
        }
    }
    assert_eq!(js_sys::JSON::stringify(&sim.levers().expect("levers")).expect("JSON"), before);

    for days in [-1.0, 2.5, f64::NAN, 1e9] {
        let msg = message(sim.step(days).expect_err("bad days").into());
        assert!(msg.contains("'days'") && msg.contains("whole number"), "{msg}");
    }
    assert_eq!(sim.day(), 0);
    let msg = message(sim.series(JsValue::from_str("visit_share")).expect_err("unknown output").into());
    assert!(msg.contains("visit_share") && msg.contains("primary_visit_share"), "{msg}");
    let msg = message(sim.series_by(JsValue::from_str("primary_visit_share"), 0.0).expect_err("empty window").into());
    assert!(msg.contains("days"), "{msg}");
}

/// A plain object `{ key: value }`.
fn object_with(key: &str, value: &JsValue) -> JsValue {
    let object = js_sys::Object::new();
    js_sys::Reflect::set(&object, &JsValue::from_str(key), value).expect("set a field");
    object.into()
}

/// The message and key thrown by `new Simulation(value)`.
fn constructor_error_of(value: JsValue) -> (String, Option<String>) {
    match JsSimulation::new(Some(value)) {
        Ok(_) => panic!("the scenario should have been rejected"),
        Err(e) => keyed(e.into()),
    }
}

/// Values no JSON holds: one nested thousands of levels deep, a cyclic one, a `Date`, a
/// `Map`, NaN and the infinities. Each is an `Error` naming its field, and the module
/// still builds and runs simulations afterwards (a trap would leave it dead).
#[wasm_bindgen_test]
fn hostile_scenarios_are_errors_and_the_module_lives_on() {
    let mut deep = JsValue::from_f64(1.0);
    for _ in 0..5000 {
        deep = object_with("a", &deep);
    }
    let cyclic: JsValue = js_sys::Object::new().into();
    js_sys::Reflect::set(&cyclic, &JsValue::from_str("self"), &cyclic).expect("a cycle");
    let cases: Vec<(JsValue, &str)> = vec![
        (object_with("levers", &object_with("referral_bonus", &deep)), "referral_bonus"),
        (object_with("levers", &object_with("referral_bonus", &cyclic)), "referral_bonus"),
        (object_with("levers", &cyclic), "self"),
        (object_with("population", &cyclic), "population"),
        (deep.clone(), "a"),
        (js_sys::Date::new_0().into(), "scenario"),
        (js_sys::Map::new().into(), "scenario"),
        (object_with("levers", &js_sys::Date::new_0().into()), "levers"),
    ];
    for (value, key) in cases {
        let (msg, got) = constructor_error_of(value);
        assert_eq!(got.as_deref(), Some(key), "{msg}");
    }
    for field in ["population", "years", "seed", "urban_share"] {
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let (msg, got) = constructor_error_of(object_with(field, &JsValue::from_f64(x)));
            assert_eq!(got.as_deref(), Some(field), "{field} = {x}: {msg}");
        }
    }
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let (msg, got) =
            constructor_error_of(object_with("levers", &object_with("referral_bonus", &JsValue::from_f64(x))));
        assert_eq!(got.as_deref(), Some("referral_bonus"), "referral_bonus = {x}: {msg}");
    }
    let mut sim = small();
    sim.step(3.0).expect("the module still runs");
}

/// Arguments of the wrong type (`setLever(5, 1)`, `setLever({}, 1)`, `series(5)`) are
/// errors naming the argument, not traps.
#[wasm_bindgen_test]
fn arguments_of_the_wrong_type_are_errors() {
    let mut sim = small();
    let object: JsValue = js_sys::Object::new().into();
    for key in [JsValue::from_f64(5.0), object.clone(), JsValue::NULL, JsValue::UNDEFINED] {
        let (msg, got) = keyed(sim.set_lever(key, JsValue::from_f64(1.0)).expect_err("a key that is not text").into());
        assert_eq!(got.as_deref(), Some("key"), "{msg}");
    }
    for name in [JsValue::from_f64(5.0), object] {
        let (msg, got) = keyed(sim.series(name.clone()).expect_err("an output that is not text").into());
        assert_eq!(got.as_deref(), Some("output"), "{msg}");
        assert!(msg.contains("primary_visit_share"), "{msg}");
        keyed(sim.series_monthly(name.clone()).expect_err("seriesMonthly").into());
        keyed(sim.series_by(name, 7.0).expect_err("seriesBy").into());
    }
    sim.step(1.0).expect("the module still runs");
}

/// A run stops at its horizon: stepping past it is an error that leaves the run where it
/// was, and stepping exactly to it works.
#[wasm_bindgen_test]
fn stepping_past_the_horizon_is_an_error() {
    let mut sim = small();
    let total = f64::from(sim.total_days());
    sim.step(total - 10.0).expect("to ten days before the end");
    let (msg, key) = keyed(sim.step(11.0).expect_err("one day too many").into());
    assert_eq!(key.as_deref(), Some("days"), "{msg}");
    assert!(msg.contains("0 to 10"), "{msg}");
    assert_eq!(f64::from(sim.day()), total - 10.0);
    sim.step(10.0).expect("exactly to the horizon");
    assert!(sim.finished());
    keyed(sim.step(1.0).expect_err("past the end").into());
    sim.step(0.0).expect("no day is always allowed");
}

#[wasm_bindgen_test]
fn tables_describe_levers_presets_outputs() {
    let levers = js_sys::Array::from(&wasm::levers().expect("levers"));
    assert_eq!(levers.length() as usize, consortium_sim::LEVERS.len());
    let pm = levers.iter().find(|l| get(l, "key").as_string().as_deref() == Some("payment_method")).expect("pm");
    assert_eq!(get(&pm, "kind").as_string().as_deref(), Some("choice"));
    assert_eq!(get(&pm, "default").as_string().as_deref(), Some("fee_for_service"));
    assert_eq!(js_sys::Array::from(&get(&pm, "choices")).length(), 4);
    for l in levers.iter() {
        for field in ["key", "kind", "allowed", "unit", "group", "meaning"] {
            assert!(get(&l, field).is_string(), "lever field {field}");
        }
        assert!(!get(&l, "default").is_null() && !get(&l, "default").is_undefined());
    }

    let presets = js_sys::Array::from(&wasm::presets().expect("presets"));
    assert_eq!(presets.length() as usize, consortium_sim::PRESETS.len());
    let close = presets.iter().find(|p| get(p, "name").as_string().as_deref() == Some("close_consortium")).expect("p");
    assert_eq!(get(&get(&close, "levers"), "integration").as_string().as_deref(), Some("close"));
    assert!(get(&close, "description").is_string() && get(&close, "urban_share").as_f64().is_some());

    let outputs = js_sys::Array::from(&wasm::outputs().expect("outputs"));
    assert_eq!(outputs.length() as usize, OUTPUTS.len());
    assert_eq!(get(&outputs.get(0), "name").as_string().as_deref(), Some(OUTPUTS[0].name));
    assert_eq!(js_sys::Array::from(&wasm::settings().expect("settings")).length(), 4);
    assert_eq!(wasm::model_version(), consortium_sim::MODEL_VERSION);
}

/// `monthStart` and `monthOf` are the core's months: twelve a year, 30 or 31 days each, and
/// each the inverse of the other.
#[wasm_bindgen_test]
fn months_are_the_cores_twelfths_of_the_year() {
    let start = |m: u32| {
        wasm::month_start_js(f64::from(m)).unwrap_or_else(|e| panic!("monthStart({m}): {}", message(e.into())))
    };
    let month =
        |d: u32| wasm::month_of_js(f64::from(d)).unwrap_or_else(|e| panic!("monthOf({d}): {}", message(e.into())));
    for day in 0..=3 * YEAR {
        assert_eq!(month(day), sim::month_of(day), "monthOf({day})");
    }
    for m in 0..=36 {
        assert_eq!(start(m), sim::month_start(m), "monthStart({m})");
        assert_eq!(month(start(m)), m, "monthOf(monthStart({m}))");
        if m > 0 {
            assert_eq!(month(start(m) - 1), m - 1, "the day before month {m} starts");
            let days = start(m) - start(m - 1);
            assert!((30..=31).contains(&days), "month {} has {days} days", m - 1);
        }
    }
    for y in 0..=50 {
        assert_eq!(start(12 * y), y * YEAR, "year {y} starts with month {}", 12 * y);
    }
    // The ends of the range: the last day a u32 counts, and the month it falls in.
    let last = month(u32::MAX);
    assert_eq!(last, sim::month_of(u32::MAX));
    assert!(start(last) > u32::MAX - 31, "the last month starts within a month of the last day");
    assert_eq!(month(start(last)), last);
    assert_eq!(wasm::month_start_js(-0.0).ok(), Some(0));
}

#[wasm_bindgen_test]
fn month_functions_throw_keyed_errors_on_bad_numbers() {
    let last_month = f64::from(sim::month_of(u32::MAX));
    for month in [-1.0, 0.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, last_month + 1.0, 1e300, -1e300] {
        let (msg, key) = keyed(wasm::month_start_js(month).expect_err("bad month").into());
        assert_eq!(key.as_deref(), Some("month"), "monthStart({month}): {msg}");
        assert!(msg.contains("'month'") && msg.contains(&format!("a whole number from 0 to {last_month}")), "{msg}");
    }
    for day in [-1.0, 2.5, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 4294967296.0, 1e300, -1e-300] {
        let (msg, key) = keyed(wasm::month_of_js(day).expect_err("bad day").into());
        assert_eq!(key.as_deref(), Some("day"), "monthOf({day}): {msg}");
        assert!(msg.contains("'day'") && msg.contains("a whole number from 0 to 4294967295"), "{msg}");
    }
}

/// `seriesMonthly` cuts the days at the model's month starts: the first two months are 31 and
/// 30 days long, so over 61 days it is the series by 31-day windows, bit for bit, and a year
/// has exactly twelve values.
#[wasm_bindgen_test]
fn series_monthly_follows_the_models_months() {
    let mut sim = small();
    assert!(
        sim.series_monthly(JsValue::from_str("primary_visit_share")).expect("monthly").is_empty(),
        "no months before day 1"
    );
    sim.step(1.0).expect("step");
    assert_eq!(
        sim.series_monthly(JsValue::from_str("primary_visit_share")).expect("monthly").len(),
        1,
        "a month begun"
    );
    sim.step(60.0).expect("step");
    for name in OUTPUTS.iter().map(|o| o.name) {
        let monthly = sim.series_monthly(JsValue::from_str(name)).expect("monthly");
        let by31 = sim.series_by(JsValue::from_str(name), 31.0).expect("31-day windows");
        assert_eq!(digest::series_hash(&monthly), digest::series_hash(&by31), "{name} over 61 days");
        assert_eq!(monthly.len(), 2, "{name}");
    }
    sim.step(1.0).expect("step");
    assert_eq!(
        sim.series_monthly(JsValue::from_str("trust_primary")).expect("monthly").len(),
        3,
        "day 62 begins month 2"
    );
    sim.run();
    for name in OUTPUTS.iter().map(|o| o.name) {
        assert_eq!(
            sim.series_monthly(JsValue::from_str(name)).expect("monthly").len(),
            12,
            "{name}: twelve months a year"
        );
    }
    let (msg, key) = keyed(sim.series_monthly(JsValue::from_str("visit_share")).expect_err("unknown output").into());
    assert_eq!(key.as_deref(), Some("visit_share"));
    assert!(msg.contains("primary_visit_share"), "{msg}");
}

/// Replays every golden case through the JS-facing API and checks every bit.
#[wasm_bindgen_test]
fn browser_matches_native_golden_bits() {
    let golden: Value = serde_json::from_str(GOLDEN).expect("golden JSON");
    assert_eq!(golden["model_version"], consortium_sim::MODEL_VERSION, "regenerate the golden file");
    let cases = golden["cases"].as_array().expect("cases");
    assert!(!cases.is_empty());
    for case in cases {
        let name = case["name"].as_str().unwrap_or("?");
        let mut sim = new_sim(&case["scenario"].to_string());
        for action in case["script"].as_array().expect("script") {
            if let Some(days) = action["step"].as_f64() {
                sim.step(days).expect("step");
            } else if let Some([key, value]) = action["set_lever"].as_array().map(Vec::as_slice) {
                let key = key.as_str().expect("key");
                if let Err(e) = sim.set_lever(JsValue::from_str(key), js(&value.to_string())) {
                    panic!("{name}: setLever({key}): {}", message(e.into()));
                }
            } else {
                panic!("{name}: unknown action {action}");
            }
        }
        assert_eq!(Some(u64::from(sim.day())), case["day"].as_u64(), "{name}: day");

        let summary = sim.summary().expect("summary");
        let mut wrong = Vec::new();
        for (output, want) in case["summary"].as_object().expect("summary") {
            let got = get(&summary, output).as_f64().map(digest::bits);
            if got.as_deref() != want["bits"].as_str() {
                wrong.push(format!("summary.{output}: native {} ({}), wasm {got:?}", want["bits"], want["value"]));
            }
        }
        for (output, want) in case["series"].as_object().expect("series") {
            let got = digest::series_hash(&sim.series(JsValue::from_str(output)).expect("series"));
            if Some(got.as_str()) != want.as_str() {
                wrong.push(format!("series {output}: native {want}, wasm {got}"));
            }
        }
        let flows = digest::flows_hash(&sim.flows());
        if Some(flows.as_str()) != case["flows"].as_str() {
            wrong.push(format!("flows: native {}, wasm {flows}", case["flows"]));
        }
        assert!(wrong.is_empty(), "{name}: the browser run differs from the native run:\n{}", wrong.join("\n"));
    }
}
