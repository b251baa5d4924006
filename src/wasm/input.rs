//! Reading what JavaScript passes in: the scenario object, a lever value, whole numbers of
//! days or months. Every mistake becomes a [`SimError`] naming its field and the values it
//! may take, which the boundary (`wasm.rs`) throws as an `Error` with that field as `key`.

use crate::levers::LeverValue;
use crate::{PRESETS, Scenario, SimError};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// The fields a scenario object may have, for the unknown-field message.
const SCENARIO_FIELDS: &[&str] = &["preset", "levers", "population", "urban_share", "years", "seed"];

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub(super) const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Most days one `step` or `seriesBy` call accepts: fifty years, the longest horizon.
const MAX_STEP_DAYS: u32 = crate::scenario::MAX_YEARS * crate::sim::YEAR;

/// Reads the scenario object: the preset first, then settings, then lever overrides.
pub(super) fn scenario_from_js(input: Option<JsValue>) -> Result<Scenario, SimError> {
    let Some(input) = input.filter(|v| !v.is_null() && !v.is_undefined()) else {
        return Scenario::from_preset("status_quo");
    };
    // One pass through serde-wasm-bindgen into a JSON value; each field is then checked
    // here, so every message names its field (serde's own would not).
    let value: Value = serde_wasm_bindgen::from_value(input).map_err(|e| {
        SimError::invalid("scenario", e, "an object with fields preset, levers, population, urban_share, years, seed")
    })?;
    let Value::Object(fields) = value else {
        return Err(SimError::invalid(
            "scenario",
            describe(&value),
            "an object with fields ".to_string() + &SCENARIO_FIELDS.join(", "),
        ));
    };
    let given = |key: &str| fields.get(key).filter(|v| !v.is_null());
    if let Some(key) = fields.keys().find(|k| !SCENARIO_FIELDS.contains(&k.as_str())) {
        return Err(SimError::UnknownKey {
            key: key.clone(),
            kind: "scenario field",
            allowed: SCENARIO_FIELDS.join(", "),
        });
    }

    let mut scenario = match given("preset") {
        None => Scenario::from_preset("status_quo")?,
        Some(Value::String(name)) => Scenario::from_preset(name)?,
        Some(other) => {
            let allowed = PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ");
            return Err(SimError::invalid("preset", describe(other), allowed));
        }
    };

    for key in ["population", "urban_share", "years"] {
        match given(key) {
            None => {}
            Some(Value::Number(n)) => scenario.set(key, &n.to_string())?,
            Some(Value::String(s)) => scenario.set(key, s)?,
            Some(other) => scenario.set(key, &describe(other))?,
        }
    }
    match given("seed") {
        None => {}
        // A number that is not a safe integer arrived as a float (or as a negative), which
        // would silently lose bits: insist on a string for those.
        Some(Value::Number(n)) => match n.as_u64().filter(|s| *s <= MAX_SAFE_INTEGER) {
            Some(seed) => scenario.seed = seed,
            None => {
                return Err(SimError::invalid(
                    "seed",
                    n,
                    "a whole number from 0 to 9007199254740991, or a decimal string up to 18446744073709551615",
                ));
            }
        },
        Some(Value::String(s)) => scenario.set("seed", s)?,
        Some(other) => scenario.set("seed", &describe(other))?,
    }

    match given("levers") {
        None => {}
        Some(Value::Object(levers)) => {
            for (key, value) in levers {
                let value = match value {
                    Value::Null => continue,
                    Value::Bool(b) => LeverValue::Bool(*b),
                    Value::Number(n) => LeverValue::Number(n.as_f64().unwrap_or(f64::NAN)),
                    Value::String(s) => LeverValue::Text(s.clone()),
                    other => LeverValue::Text(describe(other)),
                };
                scenario.levers.set(key, &value)?;
            }
        }
        Some(other) => {
            return Err(SimError::invalid("levers", describe(other), "an object { lever_key: value, ... }"));
        }
    }
    scenario.validate()?;
    Ok(scenario)
}

/// A lever value from `setLever`: a number, string or boolean.
pub(super) fn lever_value_from_js(key: &str, value: &JsValue) -> Result<LeverValue, SimError> {
    if let Some(b) = value.as_bool() {
        Ok(LeverValue::Bool(b))
    } else if let Some(x) = value.as_f64() {
        Ok(LeverValue::Number(x))
    } else if let Some(s) = value.as_string() {
        Ok(LeverValue::Text(s))
    } else {
        // Let the core phrase the message, so it lists the allowed values of this lever.
        let shown = if value.is_null() {
            "null".to_string()
        } else if value.is_undefined() {
            "undefined".to_string()
        } else {
            "an object".to_string()
        };
        Err(match crate::levers::lever_spec(key) {
            Ok(spec) => SimError::invalid(key, shown, spec.kind.allowed()),
            Err(unknown) => unknown,
        })
    }
}

/// A whole number of days in `min..=MAX_STEP_DAYS`; JS numbers can be fractional, negative
/// or NaN, and a silently wrapped `u32` would run for years.
pub(super) fn whole_days(field: &str, days: f64, min: u32) -> Result<u32, SimError> {
    whole_number(field, days, min, MAX_STEP_DAYS)
}

/// A whole number in `min..=max`, or an error naming `field` and the range (for fractions,
/// NaN, infinities and numbers out of range, which an `as u32` would silently clamp).
pub(super) fn whole_number(field: &str, x: f64, min: u32, max: u32) -> Result<u32, SimError> {
    if x.fract() == 0.0 && x >= f64::from(min) && x <= f64::from(max) {
        // A whole number in range: nothing to truncate.
        Ok(crate::num::trunc_u32(x))
    } else {
        Err(SimError::invalid(field, x, format!("a whole number from {min} to {max}")))
    }
}

/// A short description of a JSON value for error messages.
fn describe(value: &Value) -> String {
    match value {
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
