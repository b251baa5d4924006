//! The keys an experiment varies or fixes: which table each belongs to, the values a grid
//! gives it (a list, or an evenly spaced range), and how one value is applied to a scenario
//! and its parameters. Every value is checked by the core's own setters, the ones behind
//! `run --set` and `run --param`.

use super::source::{Source, SpecError};
use crate::error::SimError;
use crate::levers::{LEVERS, LeverValue};
use crate::params::{PARAMETERS, Params, param_spec};
use crate::scenario::Scenario;
use serde_json::{Map, Value};

/// The table a key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// `[levers]`: any lever of [`LEVERS`].
    Levers,
    /// `[settings]`: `population`, `urban_share`, `years`.
    Settings,
    /// `[params]`: any key of [`PARAMETERS`].
    Params,
}

impl Section {
    /// The table's name in the file.
    pub fn name(self) -> &'static str {
        match self {
            Section::Levers => "levers",
            Section::Settings => "settings",
            Section::Params => "params",
        }
    }
}

/// One varied key and its values.
#[derive(Debug, Clone)]
pub struct Axis {
    /// Which table the key is in.
    pub section: Section,
    /// The key.
    pub key: String,
    /// The values, in order (numbers, names or booleans as JSON values).
    pub values: Vec<Value>,
}

const GRID_FIELDS: &str = "values, from, to, steps";
const SWEPT_SETTINGS: &[&str] = &["population", "urban_share", "years"];

pub(super) fn check_key(section: Section, key: &str) -> Result<(), String> {
    let (known, kind, allowed): (bool, &str, Vec<&str>) = match section {
        Section::Levers => (LEVERS.iter().any(|l| l.key == key), "lever", LEVERS.iter().map(|l| l.key).collect()),
        Section::Settings => (SWEPT_SETTINGS.contains(&key), "setting", SWEPT_SETTINGS.to_vec()),
        Section::Params => {
            (PARAMETERS.iter().any(|p| p.key == key), "parameter", PARAMETERS.iter().map(|p| p.key).collect())
        }
    };
    if known {
        Ok(())
    } else {
        Err(format!("unknown {kind} '{key}' in [{}]: allowed keys are {}", section.name(), allowed.join(", ")))
    }
}

/// Most values the varied keys of one experiment may list or span together: each value is
/// checked and held before the first run, so the bound is on the work and memory of reading.
pub const MAX_GRID_VALUES: u64 = 1_000_000;

/// The values of one varied key. `budget` is how many values the file's varied keys may still
/// take ([`MAX_GRID_VALUES`] less those read before): a list or a range beyond it is refused
/// before anything is allocated for it.
pub(super) fn read_grid(
    src: &Source,
    path: &[&str],
    grid: &Map<String, Value>,
    budget: u64,
) -> Result<Vec<Value>, SpecError> {
    let key = path[1];
    let too_many = |n: u64, f: &str| {
        src.error(
            &[path[0], path[1], f],
            format!(
                "'{key}' has {n} values, more than the {budget} left of the {MAX_GRID_VALUES} that the varied keys of one experiment may take together"
            ),
        )
    };
    fn field<'b>(path: &[&'b str], f: &'b str) -> [&'b str; 3] {
        [path[0], path[1], f]
    }
    for f in grid.keys() {
        if !GRID_FIELDS.split(", ").any(|g| g == f) {
            return Err(src
                .error(&field(path, f), format!("unknown field '{f}' for '{key}': allowed fields are {GRID_FIELDS}")));
        }
    }
    let has_range = ["from", "to", "steps"].iter().any(|f| grid.contains_key(*f));
    match (grid.get("values"), has_range) {
        (Some(_), true) => {
            Err(src.error(path, format!("'{key}' has both 'values' and 'from'/'to'/'steps': give one or the other")))
        }
        (Some(Value::Array(values)), false) if !values.is_empty() => {
            if values.len() as u64 > budget {
                return Err(too_many(values.len() as u64, "values"));
            }
            for v in values {
                if matches!(v, Value::Array(_) | Value::Object(_) | Value::Null) {
                    return Err(src.error(&field(path, "values"), format!("invalid value '{v}' in 'values' of '{key}': allowed values are numbers, names or true/false")));
                }
            }
            Ok(values.clone())
        }
        (Some(other), false) => Err(src.error(
            &field(path, "values"),
            format!("invalid value '{other}' for 'values' of '{key}': allowed values are a non-empty list"),
        )),
        (None, true) => {
            let number =
                |f: &str| -> Result<f64, SpecError> {
                    match grid.get(f) {
                        Some(v) => v.as_f64().filter(|x| x.is_finite()).ok_or_else(|| {
                            src.error(
                                &field(path, f),
                                format!("invalid value '{v}' for '{f}' of '{key}': allowed values are a number"),
                            )
                        }),
                        None => Err(src
                            .error(path, format!("missing field '{f}' for '{key}': a range needs from, to and steps"))),
                    }
                };
            let (from, to) = (number("from")?, number("to")?);
            let steps = match grid.get("steps") {
                Some(v) => v.as_u64().filter(|n| (1..=1_000_000).contains(n)).ok_or_else(|| {
                    src.error(&field(path, "steps"), format!("invalid value '{v}' for 'steps' of '{key}': allowed values are a whole number from 1 to 1000000"))
                })?,
                None => return Err(src.error(path, format!("missing field 'steps' for '{key}': a range needs from, to and steps"))),
            };
            if steps > budget {
                return Err(too_many(steps, "steps"));
            }
            Ok((0..steps).map(|i| Value::from(grid_point(from, to, i, steps))).collect())
        }
        (None, false) => {
            Err(src
                .error(path, format!("missing values for '{key}': give 'values = [...]' or 'from', 'to' and 'steps'")))
        }
    }
}

/// Point `i` of `steps` evenly spaced points from `from` to `to`, both ends exact.
fn grid_point(from: f64, to: f64, i: u64, steps: u64) -> f64 {
    if i + 1 == steps && steps > 1 {
        to
    } else if steps == 1 {
        from
    } else {
        // Both at most 10^6 steps (checked when read), so exact as f64.
        let whole = |n: u64| f64::from(u32::try_from(n).expect("steps are at most 10^6"));
        from + (to - from) * whole(i) / whole(steps - 1)
    }
}

/// A scalar as the text the scenario's setters take (strings without quotes).
pub(super) fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Applies one value of a key to a scenario and parameters.
pub(super) fn apply(section: Section, key: &str, v: &Value, s: &mut Scenario, p: &mut Params) -> Result<(), SimError> {
    match section {
        Section::Levers => s.levers.set(key, &LeverValue::from(v)),
        Section::Settings => {
            // Whole-number settings accept 20000.0 (a range's point) as 20000.
            #[allow(clippy::cast_possible_truncation, reason = "a whole number below 1e15 in size fits an i64 exactly")]
            let text = match v.as_f64() {
                Some(x) if x.fract() == 0.0 && key != "urban_share" && x.abs() < 1e15 => format!("{}", x as i64),
                _ => scalar_text(v),
            };
            s.set(key, &text)
        }
        Section::Params => {
            let spec = param_spec(key)?;
            match v.as_f64() {
                Some(x) => p.set(key, x),
                None => Err(SimError::invalid(key, scalar_text(v), spec.allowed())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_hit_both_ends_exactly() {
        assert_eq!(grid_point(0.1, 0.7, 2, 3), 0.7);
        assert_eq!(grid_point(0.1, 0.7, 0, 3), 0.1);
        assert_eq!(grid_point(5.0, 9.0, 0, 1), 5.0);
    }
}
