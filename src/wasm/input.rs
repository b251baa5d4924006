//! Reading what JavaScript passes in: the scenario object, a lever value, whole numbers of
//! days or months. Every mistake becomes a [`SimError`] naming its field and the values it
//! may take, which the boundary (`wasm.rs`) throws as an `Error` with that field as `key`.

use crate::levers::LeverValue;
use crate::{PRESETS, Scenario, SimError};
use wasm_bindgen::prelude::*;

/// The fields a scenario object may have, for the unknown-field message.
const SCENARIO_FIELDS: &[&str] = &["preset", "levers", "population", "urban_share", "years", "seed"];

/// Largest integer a JS number holds exactly (`Number.MAX_SAFE_INTEGER`).
pub(super) const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Most days one `step` or `seriesBy` call accepts: fifty years, the longest horizon.
const MAX_STEP_DAYS: u32 = crate::scenario::MAX_YEARS * crate::sim::YEAR;

/// Reads the scenario object: the preset first, then settings, then lever overrides.
///
/// The object is read field by field, never walked: only a plain object (`{}` or
/// `Object.create(null)`) is a scenario, and only a plain object is its `levers`, so a value
/// nested thousands of levels deep, a cyclic object, a `Date` or a `Map` is an error naming
/// its field instead of a recursion that overflows the stack and leaves the module dead.
/// Every number is checked where it lands: `NaN` and infinities are refused like any other
/// value out of range, never taken for "not given".
pub(super) fn scenario_from_js(input: Option<JsValue>) -> Result<Scenario, SimError> {
    let Some(input) = input.filter(|v| !v.is_null() && !v.is_undefined()) else {
        return Scenario::from_preset("status_quo");
    };
    let fields = plain_object("scenario", &input, &format!("an object with fields {}", SCENARIO_FIELDS.join(", ")))?;
    if let Some((key, _)) = fields.iter().find(|(k, _)| !SCENARIO_FIELDS.contains(&k.as_str())) {
        return Err(SimError::UnknownKey {
            key: key.clone(),
            kind: "scenario field",
            allowed: SCENARIO_FIELDS.join(", "),
        });
    }
    let given = |key: &str| fields.iter().find(|(k, v)| k == key && !v.is_null() && !v.is_undefined()).map(|(_, v)| v);

    let mut scenario = match given("preset") {
        None => Scenario::from_preset("status_quo")?,
        Some(v) => match v.as_string() {
            Some(name) => Scenario::from_preset(&name)?,
            None => {
                let allowed = PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ");
                return Err(SimError::invalid("preset", describe(v), allowed));
            }
        },
    };

    for key in ["population", "urban_share", "years"] {
        if let Some(v) = given(key) {
            // Numbers are read as JS writes them ("100000", "NaN", "Infinity"), so the core's
            // parser refuses what is not a value of the setting, with the setting's message.
            scenario.set(key, &describe(v))?;
        }
    }
    if let Some(v) = given("seed") {
        match (v.as_f64(), v.as_string()) {
            // A number that is not a safe integer would have lost bits on its way here:
            // insist on a string for those.
            (Some(x), _) => {
                if x.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER_F64).contains(&x) {
                    scenario.set("seed", &describe(v))?;
                } else {
                    return Err(SimError::invalid(
                        "seed",
                        describe(v),
                        "a whole number from 0 to 9007199254740991, or a decimal string up to 18446744073709551615",
                    ));
                }
            }
            (None, Some(s)) => scenario.set("seed", &s)?,
            (None, None) => scenario.set("seed", &describe(v))?,
        }
    }

    if let Some(v) = given("levers") {
        for (key, value) in plain_object("levers", v, "an object { lever_key: value, ... }")? {
            if value.is_null() || value.is_undefined() {
                continue;
            }
            let value = lever_value_from_js(&key, &value)?;
            scenario.levers.set(&key, &value)?;
        }
    }
    scenario.validate()?;
    Ok(scenario)
}

/// `Number.MAX_SAFE_INTEGER` as the number it is in JS.
#[allow(clippy::cast_precision_loss, reason = "2^53 - 1 is exact in an f64")]
const MAX_SAFE_INTEGER_F64: f64 = MAX_SAFE_INTEGER as f64;

/// The own enumerable fields of `value` if it is a plain object (its prototype is
/// `Object.prototype` or null), else an error naming `field`. Fields are read once, through
/// `Object.keys`; their values are not looked into here.
fn plain_object(field: &str, value: &JsValue, allowed: &str) -> Result<Vec<(String, JsValue)>, SimError> {
    let not_plain = || SimError::invalid(field, describe(value), allowed);
    if !value.is_object() || js_sys::Array::is_array(value) {
        return Err(not_plain());
    }
    let object: &js_sys::Object = value.unchecked_ref();
    let prototype = js_sys::Object::get_prototype_of(value);
    let object_prototype = js_sys::Object::get_prototype_of(&js_sys::Object::new());
    if !(prototype.is_null() || JsValue::from(prototype) == JsValue::from(object_prototype)) {
        return Err(not_plain());
    }
    // A getter that throws is a field that cannot be read: an error, not a crash.
    js_sys::Object::keys(object)
        .iter()
        .map(|key| {
            let value = js_sys::Reflect::get(value, &key).map_err(|_| not_plain())?;
            Ok((key.as_string().unwrap_or_default(), value))
        })
        .collect()
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

/// How JS would write `value` in a message: numbers as `String(x)` does ("1e+300", "NaN",
/// "Infinity"), strings as they are, and a word for anything else.
pub(super) fn describe(value: &JsValue) -> String {
    if let Some(x) = value.as_f64() {
        js_sys::Number::from(x).to_string_with_radix(10).map_or_else(|_| x.to_string(), String::from)
    } else if let Some(s) = value.as_string() {
        s
    } else if let Some(b) = value.as_bool() {
        b.to_string()
    } else if value.is_null() {
        "null".to_string()
    } else if value.is_undefined() {
        "undefined".to_string()
    } else if js_sys::Array::is_array(value) {
        "an array".to_string()
    } else if value.is_function() {
        "a function".to_string()
    } else if value.is_object() {
        "an object".to_string()
    } else {
        "a value of another type".to_string()
    }
}
