//! The values of options, checked as they are parsed: by the core's own setters where the
//! core has one, so a mistake is reported before anything runs and in the core's words, and
//! every error states the allowed values (which `one_line.rs` also reads for a missing value).

use clap::builder::{PossibleValue, TypedValueParser};
use consortium_sim::experiment::Shard;
use consortium_sim::params::{PARAMETERS, Params, param_spec};
use consortium_sim::scenario::preset;
use consortium_sim::sensitivity::{self, Factor};
use consortium_sim::{PRESETS, Scenario, SimError, metrics};
use std::ffi::OsStr;
use std::path::PathBuf;

/// A checked change of a lever or setting, `KEY=VALUE`.
#[derive(Debug, Clone)]
pub struct Change {
    /// The lever or setting key.
    pub key: String,
    /// The value as given; the core parses it again when it is applied.
    pub value: String,
}

/// A checked change of a structural parameter, `KEY=VALUE`.
#[derive(Debug, Clone)]
pub struct ParamChange {
    /// The parameter key.
    pub key: String,
    /// The new value.
    pub value: f64,
}

/// The factors a sensitivity analysis screens.
#[derive(Debug, Clone)]
pub struct Factors(pub Vec<Factor>);

/// `--population`, `--years`, `--seed`: the setting `key`, checked by the scenario.
pub fn setting(key: &'static str) -> impl Fn(&str) -> Result<Change, SimError> + Clone + Send + Sync + 'static {
    move |text| {
        Scenario::default().set(key, text)?;
        Ok(Change { key: key.to_string(), value: text.to_string() })
    }
}

fn key_value<'a>(
    option: &str,
    pair: &'a str,
    allowed: impl FnOnce() -> String,
) -> Result<(&'a str, &'a str), SimError> {
    pair.split_once('=').map(|(k, v)| (k.trim(), v)).ok_or_else(|| SimError::invalid(option, pair, allowed()))
}

/// `--set KEY=VALUE`: a lever or setting, checked by the scenario.
pub fn lever_or_setting(pair: &str) -> Result<Change, SimError> {
    let (key, value) = key_value("--set", pair, || "KEY=VALUE with a lever or setting key".to_string())?;
    Scenario::default().set(key, value)?;
    Ok(Change { key: key.to_string(), value: value.to_string() })
}

/// `--param KEY=VALUE`: a structural parameter, checked by the parameters.
pub fn parameter(pair: &str) -> Result<ParamChange, SimError> {
    let (key, text) = key_value("--param", pair, || {
        let keys: Vec<&str> = PARAMETERS.iter().map(|p| p.key).collect();
        format!("KEY=VALUE with a parameter key ({})", keys.join(", "))
    })?;
    let spec = param_spec(key)?;
    let value = text.trim().parse::<f64>().map_err(|_| SimError::invalid(key, text, spec.allowed()))?;
    Params::default().set(key, value)?;
    Ok(ParamChange { key: key.to_string(), value })
}

/// A whole number from `low` to `high` for the option `key`.
pub fn count(
    key: &'static str,
    low: u32,
    high: u32,
) -> impl Fn(&str) -> Result<u32, SimError> + Clone + Send + Sync + 'static {
    move |text| {
        text.parse::<u32>()
            .ok()
            .filter(|n| (low..=high).contains(n))
            .ok_or_else(|| SimError::invalid(key, text, format!("a whole number from {low} to {high}")))
    }
}

/// `--levels`: an even whole number from 2 to 20.
pub fn levels(text: &str) -> Result<u32, SimError> {
    text.parse::<u32>()
        .ok()
        .filter(|l| (2..=20).contains(l) && l.is_multiple_of(2))
        .ok_or_else(|| SimError::invalid("levels", text, "an even whole number from 2 to 20"))
}

/// `--factors`: all, levers, params or a list of keys, as the sensitivity module selects them.
pub fn factors(text: &str) -> Result<Factors, SimError> {
    sensitivity::select_factors(text).map(Factors)
}

/// `--shard I/N`.
pub fn shard(text: &str) -> Result<Shard, SimError> {
    Shard::parse(text)
}

/// `--out`, `--spec`: any path but an empty one.
pub fn file_path(
    option: &'static str,
    allowed: &'static str,
) -> impl Fn(&str) -> Result<PathBuf, SimError> + Clone + Send + Sync + 'static {
    move |text| if text.is_empty() { Err(SimError::invalid(option, text, allowed)) } else { Ok(PathBuf::from(text)) }
}

/// A name the core checks, with the names it takes offered to `--help` and to completion.
#[derive(Clone)]
pub struct Named {
    names: fn() -> Vec<&'static str>,
    check: fn(&str) -> Result<String, SimError>,
}

impl TypedValueParser for Named {
    type Value = String;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<String, clap::Error> {
        self.check.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.names)().into_iter().map(PossibleValue::new)))
    }
}

/// `--preset`: a preset name, offered to completion.
pub fn preset_name() -> Named {
    Named { names: || PRESETS.iter().map(|p| p.name).collect(), check: |name| Ok(preset(name)?.name.to_string()) }
}

/// `--output`: `all` or an output name, offered to completion.
pub fn output_name() -> Named {
    fn names() -> Vec<&'static str> {
        std::iter::once("all").chain(metrics::output_names()).collect()
    }
    Named {
        names,
        check: |name| {
            names().into_iter().find(|n| *n == name).map(str::to_string).ok_or_else(|| SimError::UnknownKey {
                key: name.to_string(),
                kind: "output",
                allowed: names().join(", "),
            })
        },
    }
}
