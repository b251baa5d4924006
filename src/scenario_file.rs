//! The scenario file: the JSON `consortium-sim run` prints, read back so that a number seen on
//! the page or in a report can be run again (`run --scenario FILE`).
//!
//! The file is the run's own output: `model_version`, `scenario` (preset, levers, settings,
//! changes during the run), `seeds` and, for changed structural parameters, `params`. What a
//! run adds after them (`summary`, `intervals`, `effect`, `replicates`) is accepted and
//! ignored, so any output is a valid file; `{ "scenario": { ... } }` alone is one too. Every
//! other key is a mistake, reported with its path (`scenario.levers.referral_bonus`,
//! `scenario.changes[2].day`, `seeds`) and the allowed values.

use crate::change::{self, Change};
use crate::error::SimError;
use crate::levers::{LeverValue, Levers};
use crate::params::Params;
use crate::scenario::Scenario;
use serde_json::{Map, Value};

/// The keys a file is read from.
const READ: &[&str] = &["model_version", "scenario", "seeds", "params"];
/// The keys a run prints after them, accepted and ignored.
const IGNORED: &[&str] = &["summary", "intervals", "effect", "replicates"];
/// The keys of `scenario`.
const SCENARIO_KEYS: &[&str] = &["preset", "levers", "population", "urban_share", "years", "seed", "changes"];
/// The keys of a change.
const CHANGE_KEYS: &[&str] = &["day", "lever", "value"];
/// Most seeds a file may list (the most replications a run takes).
const MAX_SEEDS: usize = 1000;

/// What a scenario file asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioFile {
    /// The model version that wrote it, if it says.
    pub model_version: Option<String>,
    /// The scenario, its seed the first of `seeds` when the file lists them.
    pub scenario: Scenario,
    /// The structural parameters: the calibrated set with the file's `params`.
    pub params: Params,
    /// How many seeds `seeds` lists, if it is there.
    pub replications: Option<u32>,
}

impl ScenarioFile {
    /// Reads a parsed file. Errors name the key by its path in the file.
    pub fn from_json(root: &Value) -> Result<ScenarioFile, SimError> {
        let root = object(root, "the file", "an object with model_version, scenario and seeds")?;
        for key in root.keys() {
            if !READ.contains(&key.as_str()) && !IGNORED.contains(&key.as_str()) {
                let allowed = format!("{} (and {}, which are ignored)", READ.join(", "), IGNORED.join(", "));
                return Err(SimError::UnknownKey { key: key.clone(), kind: "key", allowed });
            }
        }
        let model_version = match root.get("model_version") {
            None => None,
            Some(Value::String(v)) => Some(v.clone()),
            Some(other) => return Err(SimError::invalid("model_version", other, "a version such as \"0.2.0\"")),
        };
        let fields = root.get("scenario").ok_or_else(|| {
            SimError::invalid("scenario", "nothing", format!("an object with {}", SCENARIO_KEYS.join(", ")))
        })?;
        let mut scenario = scenario(fields)?;
        let replications = match root.get("seeds") {
            None => None,
            Some(seeds) => {
                let seeds = seed_list(seeds)?;
                let given = object(fields, "scenario", "")?.contains_key("seed");
                if given && seeds[0] != scenario.seed {
                    let allowed = format!("consecutive seeds starting at scenario.seed ({})", scenario.seed);
                    return Err(SimError::invalid("seeds", seeds[0], allowed));
                }
                scenario.seed = seeds[0];
                Some(u32::try_from(seeds.len()).expect("at most 1000 seeds"))
            }
        };
        let params = match root.get("params") {
            None => Params::default(),
            Some(v) => params(v)?,
        };
        Ok(ScenarioFile { model_version, scenario, params, replications })
    }
}

/// The object `v`, or an error naming `key` and what it should hold.
fn object<'a>(v: &'a Value, key: &str, allowed: &str) -> Result<&'a Map<String, Value>, SimError> {
    v.as_object().ok_or_else(|| SimError::invalid(key, v, if allowed.is_empty() { "an object" } else { allowed }))
}

/// The error `e` with its key given as a path under `prefix` (`scenario.` + `population`).
fn within(prefix: &str, e: SimError) -> SimError {
    match e {
        SimError::InvalidValue { key, value, allowed } => {
            SimError::InvalidValue { key: format!("{prefix}{key}"), value, allowed }
        }
        SimError::UnknownKey { key, kind, allowed } => {
            SimError::UnknownKey { key: format!("{prefix}{key}"), kind, allowed }
        }
        other => other,
    }
}

/// Refuses any key of `map` not in `allowed`, naming it under `path`.
fn known_keys(map: &Map<String, Value>, path: &str, allowed: &[&str]) -> Result<(), SimError> {
    match map.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(SimError::UnknownKey { key: format!("{path}.{k}"), kind: "key", allowed: allowed.join(", ") }),
        None => Ok(()),
    }
}

fn scenario(v: &Value) -> Result<Scenario, SimError> {
    let fields = object(v, "scenario", &format!("an object with {}", SCENARIO_KEYS.join(", ")))?;
    known_keys(fields, "scenario", SCENARIO_KEYS)?;
    let mut s = match fields.get("preset") {
        None => Scenario::from_preset("status_quo")?,
        Some(Value::String(name)) => Scenario::from_preset(name)?,
        Some(other) => return Err(SimError::invalid("scenario.preset", other, "a preset name")),
    };
    if let Some(levers) = fields.get("levers") {
        set_levers(&mut s.levers, levers)?;
    }
    for key in ["population", "years", "urban_share"] {
        if let Some(v) = fields.get(key) {
            // A number as JSON prints it reads back to the same f64 or integer.
            let text = if v.is_number() { v.to_string() } else { String::new() };
            s.set(key, &text).map_err(|_| within("scenario.", SimError::invalid(key, v, allowed_of(key))))?;
        }
    }
    if let Some(seed) = fields.get("seed") {
        s.seed = seed_value(seed).ok_or_else(|| SimError::invalid("scenario.seed", seed, allowed_of("seed")))?;
    }
    if let Some(changes) = fields.get("changes") {
        s.changes = change_list(changes, s.years)?;
    }
    Ok(s)
}

fn allowed_of(key: &str) -> &'static str {
    crate::scenario::SETTINGS.iter().find(|(k, _)| *k == key).map_or("", |(_, a)| a)
}

/// A seed: a whole number, or a string of digits (a page may hold seeds beyond 2^53).
fn seed_value(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s.parse().ok(),
        _ => None,
    }
}

fn set_levers(levers: &mut Levers, v: &Value) -> Result<(), SimError> {
    let fields = object(v, "scenario.levers", "an object of lever keys and values")?;
    for (key, value) in fields {
        levers.set(key, &LeverValue::from(value)).map_err(|e| within("scenario.levers.", e))?;
    }
    Ok(())
}

fn change_list(v: &Value, years: u32) -> Result<Vec<Change>, SimError> {
    let items = v.as_array().ok_or_else(|| {
        SimError::invalid("scenario.changes", v, "a list of changes { \"day\": D, \"lever\": KEY, \"value\": V }")
    })?;
    let mut changes = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("scenario.changes[{i}]");
        let fields = object(item, &path, "an object with day, lever and value")?;
        known_keys(fields, &path, CHANGE_KEYS)?;
        let field = |key: &str| {
            fields.get(key).ok_or_else(|| SimError::invalid(&format!("{path}.{key}"), "nothing", "a value"))
        };
        let day = field("day")?;
        let day = day
            .as_u64()
            .and_then(|d| u32::try_from(d).ok())
            .ok_or_else(|| SimError::invalid(&format!("{path}.day"), day, "a whole number of days done"))?;
        let lever = match field("lever")? {
            Value::String(s) => s.clone(),
            other => return Err(SimError::invalid(&format!("{path}.lever"), other, "a lever key")),
        };
        let value = field("value")?;
        changes.push(Change { day, lever, value: LeverValue::from(value) });
    }
    // Days against the horizon, levers and values against the setters' rules.
    change::check(&changes, years).map_err(|e| within("scenario.", e))?;
    Ok(changes
        .into_iter()
        .map(|c| Change::new(c.day, &c.lever, &c.value).expect("the changes were just checked"))
        .collect())
}

/// `seeds`: 1 to 1000 consecutive whole numbers.
fn seed_list(v: &Value) -> Result<Vec<u64>, SimError> {
    let allowed = || format!("a list of 1 to {MAX_SEEDS} consecutive seeds, as [S, S+1, ...]");
    let items = v.as_array().filter(|a| (1..=MAX_SEEDS).contains(&a.len())).ok_or_else(|| {
        let shown = v.as_array().map_or_else(|| v.to_string(), |a| format!("a list of {} seeds", a.len()));
        SimError::invalid("seeds", shown, allowed())
    })?;
    let mut seeds = Vec::with_capacity(items.len());
    for (k, item) in items.iter().enumerate() {
        let seed = seed_value(item).ok_or_else(|| SimError::invalid(&format!("seeds[{k}]"), item, allowed()))?;
        let expected = seeds.first().map_or(seed, |&first: &u64| first.wrapping_add(k as u64));
        if seed != expected {
            return Err(SimError::invalid("seeds", format!("{seed} after {}", seeds[k - 1]), allowed()));
        }
        seeds.push(seed);
    }
    Ok(seeds)
}

fn params(v: &Value) -> Result<Params, SimError> {
    let fields = object(v, "params", "an object of structural parameter keys and numbers")?;
    let mut params = Params::default();
    for (key, value) in fields {
        let x = value.as_f64().ok_or_else(|| SimError::invalid(&format!("params.{key}"), value, "a number"))?;
        params.set(key, x).map_err(|e| within("params.", e))?;
    }
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(v: Value) -> Result<ScenarioFile, String> {
        ScenarioFile::from_json(&v).map_err(|e| e.to_string())
    }

    #[test]
    fn a_scenario_alone_is_a_file_and_the_preset_gives_the_rest() {
        let f = read(json!({ "scenario": { "preset": "gatekeeping", "levers": { "referral_bonus": 300 } } })).unwrap();
        let mut expected = Scenario::from_preset("gatekeeping").unwrap();
        expected.levers.referral_bonus = 300.0;
        assert_eq!(f.scenario, expected);
        assert_eq!((f.replications, f.model_version), (None, None));
    }

    #[test]
    fn seeds_give_the_seed_and_the_replications_and_may_be_strings_of_digits() {
        let f = read(json!({ "scenario": {}, "seeds": ["18446744073709551614", 18446744073709551615_u64] })).unwrap();
        assert_eq!((f.scenario.seed, f.replications), (u64::MAX - 1, Some(2)));
        let e = read(json!({ "scenario": {}, "seeds": [1, 2, 4] })).unwrap_err();
        assert!(e.contains("'seeds'") && e.contains("consecutive"), "{e}");
        let e = read(json!({ "scenario": { "seed": 5 }, "seeds": [1, 2] })).unwrap_err();
        assert!(e.contains("'seeds'") && e.contains("scenario.seed (5)"), "{e}");
        assert!(read(json!({ "scenario": {}, "seeds": [] })).unwrap_err().contains("'seeds'"));
    }

    #[test]
    fn changes_are_read_in_the_levers_own_form_and_checked_against_the_horizon() {
        let f = read(
            json!({ "scenario": { "years": 1, "changes": [{ "day": 30, "lever": "gatekeeping", "value": "soft" }] } }),
        );
        assert_eq!(
            f.unwrap().scenario.changes,
            vec![Change::new(30, "gatekeeping", &LeverValue::Text("soft".into())).unwrap()]
        );
        let late =
            json!({ "scenario": { "years": 1, "changes": [{ "day": 365, "lever": "gatekeeping", "value": "soft" }] } });
        assert!(read(late).unwrap_err().contains("'scenario.changes[0].day'"));
        let bad = json!({ "scenario": { "changes": [{ "day": 3, "lever": "referral_bonus", "value": -1 }] } });
        let e = read(bad).unwrap_err();
        assert!(e.contains("'scenario.changes[0].value'") && e.contains("referral_bonus") && e.contains(">= 0"), "{e}");
        let extra =
            json!({ "scenario": { "changes": [{ "day": 3, "lever": "referral_bonus", "value": 1, "when": 2 }] } });
        assert!(read(extra).unwrap_err().contains("'scenario.changes[0].when'"));
    }

    #[test]
    fn unknown_keys_are_named_with_the_allowed_ones_and_printed_keys_are_ignored() {
        let e = read(json!({ "scenario": {}, "colour": 1 })).unwrap_err();
        assert!(e.contains("'colour'") && e.contains("model_version, scenario, seeds"), "{e}");
        let e = read(json!({ "scenario": { "speed": 1 } })).unwrap_err();
        assert!(e.contains("'scenario.speed'") && e.contains("urban_share"), "{e}");
        let e = read(json!({ "scenario": { "levers": { "speed": 1 } } })).unwrap_err();
        assert!(e.contains("'scenario.levers.speed'") && e.contains("gatekeeping"), "{e}");
        let e = read(json!({ "scenario": { "population": 1.5 } })).unwrap_err();
        assert!(e.contains("'scenario.population'") && e.contains("1000"), "{e}");
        read(json!({ "scenario": {}, "summary": {}, "intervals": {}, "effect": {}, "replicates": [] })).unwrap();
    }
}
