//! Reading an experiment file: TOML or JSON into one checked [`Spec`], with every mistake
//! reported with its file, line and field.

use crate::error::SimError;
use crate::levers::{LEVERS, LeverValue};
use crate::metrics::{OUTPUTS, is_output};
use crate::params::{PARAMETERS, Params, param_spec};
use crate::scenario::Scenario;
use serde_json::{Map, Value};
use std::fmt;

/// A checked experiment.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file name it was read from (for messages and the reproducibility record).
    pub source: String,
    /// The scenario every run starts from: preset, fixed values, population and years.
    pub base: Scenario,
    /// The structural parameters every run starts from.
    pub params: Params,
    /// Seeds per grid point.
    pub replications: u32,
    /// First seed; replicate `k` uses `seed + k`.
    pub seed: u64,
    /// The outputs kept, in the order of [`OUTPUTS`] unless the file lists them.
    pub outputs: Vec<&'static str>,
    /// The varied keys, in the order they are written.
    pub axes: Vec<Axis>,
}

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

/// A mistake in an experiment file: the file, the line if known, and what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecError {
    /// The file name.
    pub source: String,
    /// 1-based line, when the mistake can be placed.
    pub line: Option<usize>,
    /// 1-based column, when the parser gives one.
    pub column: Option<usize>,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "{} line {line}, column {column}: {}", self.source, self.message),
            (Some(line), None) => write!(f, "{} line {line}: {}", self.source, self.message),
            _ => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

impl std::error::Error for SpecError {}

const TOP_FIELDS: &[&str] = &[
    "description",
    "preset",
    "population",
    "years",
    "replications",
    "seed",
    "outputs",
    "levers",
    "settings",
    "params",
];
const GRID_FIELDS: &str = "values, from, to, steps";
const SWEPT_SETTINGS: &[&str] = &["population", "urban_share", "years"];
/// Largest number of replications per point.
pub const MAX_REPLICATIONS: u64 = 1_000_000;

/// Where the text is, to place a mistake on its line.
struct Source<'a> {
    name: &'a str,
    text: &'a str,
    toml: bool,
}

impl Source<'_> {
    fn error(&self, path: &[&str], message: impl Into<String>) -> SpecError {
        SpecError {
            source: self.name.to_string(),
            line: line_of(self.text, self.toml, path),
            column: None,
            message: message.into(),
        }
    }
}

impl Spec {
    /// Reads an experiment from `text`; `name` (the file name) picks the format: `.json`
    /// is JSON, anything else TOML.
    pub fn parse(text: &str, name: &str) -> Result<Spec, SpecError> {
        let toml = !name.ends_with(".json");
        let src = Source { name, text, toml };
        let root = if toml { parse_toml(text, name)? } else { parse_json(text, name)? };
        let Value::Object(root) = root else {
            return Err(src.error(&[], "the file must be a table (JSON object) of fields"));
        };
        for key in root.keys() {
            if !TOP_FIELDS.contains(&key.as_str()) {
                return Err(
                    src.error(&[key], format!("unknown field '{key}': allowed fields are {}", TOP_FIELDS.join(", ")))
                );
            }
        }
        let text_field = |key: &str| -> Result<Option<String>, SpecError> {
            match root.get(key) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => {
                    Err(src.error(&[key], format!("invalid value '{other}' for '{key}': allowed values are a string")))
                }
            }
        };
        text_field("description")?;
        let preset = text_field("preset")?.unwrap_or_else(|| "status_quo".into());
        let mut base = Scenario::from_preset(&preset).map_err(|e| src.error(&["preset"], e.to_string()))?;
        base.population = 20_000;
        base.years = 3;
        for key in ["population", "years"] {
            if let Some(v) = root.get(key) {
                base.set(key, &scalar_text(v)).map_err(|e| src.error(&[key], e.to_string()))?;
            }
        }
        let whole = |key: &str, max: u64, default: u64| -> Result<u64, SpecError> {
            match root.get(key) {
                None => Ok(default),
                Some(v) => v.as_u64().filter(|n| (key == "seed" || *n >= 1) && *n <= max).ok_or_else(|| {
                    let low = if key == "seed" { 0 } else { 1 };
                    src.error(
                        &[key],
                        format!(
                            "invalid value '{v}' for '{key}': allowed values are a whole number from {low} to {max}"
                        ),
                    )
                }),
            }
        };
        let replications = whole("replications", MAX_REPLICATIONS, 1)? as u32;
        let seed = whole("seed", u64::MAX, 1)?;
        let outputs = read_outputs(&src, root.get("outputs"))?;
        let mut spec = Spec {
            source: name.to_string(),
            base,
            params: Params::default(),
            replications,
            seed,
            outputs,
            axes: Vec::new(),
        };
        for section in [Section::Levers, Section::Settings, Section::Params] {
            let Some(table) = root.get(section.name()) else { continue };
            let Value::Object(table) = table else {
                return Err(
                    src.error(&[section.name()], format!("'{}' must be a table of keys and values", section.name()))
                );
            };
            for (key, entry) in table {
                spec.read_entry(&src, section, key, entry)?;
            }
        }
        if spec.total_runs_checked().is_none() {
            return Err(src.error(&[], "the grid has more runs than fit in a 64-bit run index"));
        }
        Ok(spec)
    }

    fn total_runs_checked(&self) -> Option<u64> {
        self.axes.iter().try_fold(u64::from(self.replications), |acc, a| acc.checked_mul(a.values.len() as u64))
    }

    fn read_entry(&mut self, src: &Source, section: Section, key: &str, entry: &Value) -> Result<(), SpecError> {
        let path = [section.name(), key];
        check_key(section, key).map_err(|m| src.error(&path, m))?;
        let check = |v: &Value| -> Result<(), SpecError> {
            let (mut s, mut p) = (self.base.clone(), self.params.clone());
            apply(section, key, v, &mut s, &mut p)
                .map_err(|e| src.error(&path, format!("{e} (in [{}])", section.name())))
        };
        let values = match entry {
            Value::Object(grid) => read_grid(src, &path, grid)?,
            scalar => {
                // A plain value is fixed for every run.
                check(scalar)?;
                apply(section, key, scalar, &mut self.base, &mut self.params).expect("checked above");
                return Ok(());
            }
        };
        for v in &values {
            check(v)?;
        }
        self.axes.push(Axis { section, key: key.to_string(), values });
        Ok(())
    }
}

fn check_key(section: Section, key: &str) -> Result<(), String> {
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

fn read_grid(src: &Source, path: &[&str], grid: &Map<String, Value>) -> Result<Vec<Value>, SpecError> {
    let key = path[1];
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
        from + (to - from) * (i as f64) / ((steps - 1) as f64)
    }
}

fn read_outputs(src: &Source, v: Option<&Value>) -> Result<Vec<&'static str>, SpecError> {
    let all = || OUTPUTS.iter().map(|o| o.name).collect::<Vec<_>>();
    match v {
        None => Ok(all()),
        Some(Value::String(s)) if s == "all" => Ok(all()),
        Some(Value::Array(list)) if !list.is_empty() => list
            .iter()
            .map(|o| {
                let name = o.as_str().unwrap_or_default();
                OUTPUTS.iter().map(|o| o.name).find(|n| *n == name && is_output(n)).ok_or_else(|| {
                    src.error(
                        &["outputs"],
                        format!(
                            "unknown output '{}' in 'outputs': allowed outputs are all, {}",
                            scalar_text(o),
                            all().join(", ")
                        ),
                    )
                })
            })
            .collect(),
        Some(other) => Err(src.error(
            &["outputs"],
            format!(
                "invalid value '{other}' for 'outputs': allowed values are \"all\" or a non-empty list of output names"
            ),
        )),
    }
}

/// A scalar as the text the scenario's setters take (strings without quotes).
fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Applies one value of a key to a scenario and parameters.
pub(super) fn apply(section: Section, key: &str, v: &Value, s: &mut Scenario, p: &mut Params) -> Result<(), SimError> {
    match section {
        Section::Levers => {
            let value = match v {
                Value::Number(n) => LeverValue::Number(n.as_f64().unwrap_or(f64::NAN)),
                Value::Bool(b) => LeverValue::Bool(*b),
                Value::String(t) => LeverValue::Text(t.clone()),
                other => LeverValue::Text(other.to_string()),
            };
            s.levers.set(key, &value)
        }
        Section::Settings => {
            // Whole-number settings accept 20000.0 (a range's point) as 20000.
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

fn parse_toml(text: &str, name: &str) -> Result<Value, SpecError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| SpecError {
        source: name.to_string(),
        line: e.span().map(|s| line_at(text, s.start)),
        column: None,
        message: format!("TOML syntax error: {}", e.message().trim().replace('\n', "; ")),
    })?;
    Ok(toml_to_json(toml::Value::Table(table)))
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        // Non-finite floats become null, which every field rejects as the wrong type.
        toml::Value::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn parse_json(text: &str, name: &str) -> Result<Value, SpecError> {
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; the location goes in front instead.
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        SpecError {
            source: name.to_string(),
            line: Some(e.line()),
            column: Some(e.column()),
            message: format!("JSON syntax error: {message}"),
        }
    })
}

/// The 1-based line of byte offset `at`.
fn line_at(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// The line where the field at `path` (table names, then the key) is written, found by
/// scanning the text: the parsers keep no positions for values, and a scan finds what a
/// person would point at.
fn line_of(text: &str, toml: bool, path: &[&str]) -> Option<usize> {
    if path.is_empty() {
        return None;
    }
    if toml {
        toml_line(text, path).or_else(|| line_of(text, toml, &path[..path.len() - 1]))
    } else {
        // Each key of the path is searched for after the previous one.
        let mut at = 0;
        for key in path {
            let quoted = format!("\"{key}\"");
            let found = text[at..]
                .match_indices(&quoted)
                .map(|(i, _)| at + i)
                .find(|&i| text[i + quoted.len()..].trim_start().starts_with(':'));
            match found {
                Some(i) => at = i + quoted.len(),
                None => return line_of(text, toml, &path[..path.len() - 1]),
            }
        }
        Some(line_at(text, at))
    }
}

fn toml_line(text: &str, path: &[&str]) -> Option<usize> {
    let (tables, key) = path.split_at(path.len() - 1);
    let key = key[0];
    let mut current = String::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(header) = line.strip_prefix('[') {
            current = header.split(']').next().unwrap_or("").trim().replace([' ', '"'], "");
            // A key can also be a table header of its own: [levers.gatekeeping].
            if current == path.join(".") {
                return Some(n + 1);
            }
            continue;
        }
        // `key = ...` in the key's table, or a dotted `table.key = ...` in an outer one.
        for depth in 0..=tables.len() {
            if current == tables[..depth].join(".") {
                let dotted: Vec<&str> = tables[depth..].iter().copied().chain([key]).collect();
                if assigns(line, &dotted) {
                    return Some(n + 1);
                }
            }
        }
        // A field of an inline table: `key = { ..., field = ... }`.
        if tables.len() >= 2
            && current == tables[..tables.len() - 1].join(".")
            && assigns(line, &tables[tables.len() - 1..])
        {
            let inline = line.split_once('{').map_or("", |(_, rest)| rest);
            if inline.split([',', '{']).any(|part| assigns(part.trim(), &[key])) {
                return Some(n + 1);
            }
        }
    }
    None
}

/// Whether `line` assigns the dotted key `keys` (bare or quoted parts).
fn assigns(line: &str, keys: &[&str]) -> bool {
    let Some((lhs, _)) = line.split_once('=') else { return false };
    let parts: Vec<String> = lhs.split('.').map(|p| p.trim().trim_matches('"').to_string()).collect();
    parts.len() == keys.len() && parts.iter().zip(keys).all(|(a, b)| a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str, name: &str) -> String {
        Spec::parse(text, name).unwrap_err().to_string()
    }

    #[test]
    fn toml_and_json_give_the_same_spec() {
        let t = Spec::parse(
            "years = 1\n[levers]\ngatekeeping = { values = [\"none\", \"strict\"] }\n[params]\nwait_scale = 0.2\n",
            "a.toml",
        )
        .unwrap();
        let j = Spec::parse(
            r#"{"years": 1, "levers": {"gatekeeping": {"values": ["none", "strict"]}}, "params": {"wait_scale": 0.2}}"#,
            "a.json",
        )
        .unwrap();
        assert_eq!(t.base, j.base);
        assert_eq!(t.params, j.params);
        assert_eq!(t.params.wait_scale, 0.2);
        assert_eq!(t.axes[0].values, j.axes[0].values);
    }

    #[test]
    fn mistakes_name_the_line_and_the_field() {
        let e = err("years = 1\n\n[levers]\nfoo = { values = [1] }\n", "s.toml");
        assert!(
            e.starts_with("s.toml line 4: unknown lever 'foo' in [levers]: allowed keys are reimbursement_primary"),
            "{e}"
        );
        let e = err("[levers]\ninfo_sharing = { values = [0.5, 1.5] }\n", "s.toml");
        assert!(e.starts_with("s.toml line 2: invalid value '1.5' for 'info_sharing'") && e.contains("0 to 1"), "{e}");
        let e = err("[levers]\ngatekeeping = { values = [1] }\n", "s.toml");
        assert!(e.contains("line 2") && e.contains("none, soft, strict"), "{e}");
        let e = err("[levers]\nreferral_bonus = { from = 0, to = 10 }\n", "s.toml");
        assert!(e.contains("line 2") && e.contains("missing field 'steps'"), "{e}");
        let e = err("[levers]\nreferral_bonus = {}\n", "s.toml");
        assert!(e.contains("line 2") && e.contains("missing values for 'referral_bonus'"), "{e}");
        let e = err("years = 1\n[levers.referral_bonus]\nfrom = 0\nto = 1\nsteps = \"many\"\n", "s.toml");
        assert!(e.starts_with("s.toml line 5: invalid value '\"many\"' for 'steps'"), "{e}");
        let e = err("years = 1\nreplications = 0\n", "s.toml");
        assert!(e.starts_with("s.toml line 2: invalid value '0' for 'replications'"), "{e}");
        let e = err("years = 1\n[levers\n", "s.toml");
        assert!(e.starts_with("s.toml line 2: TOML syntax error"), "{e}");
        let e = err("{\n \"years\": 1,\n \"levers\": {\"nope\": 1}\n}\n", "s.json");
        assert!(e.starts_with("s.json line 3: unknown lever 'nope'"), "{e}");
        let e = err("{\n \"years\": 1,,\n}", "s.json");
        assert!(e.starts_with("s.json line 2, column") && e.contains("JSON syntax error"), "{e}");
        let e = err("[params]\nbeta_cost_scale = \"high\"\n", "s.toml");
        assert!(e.contains("line 2") && e.contains("'beta_cost_scale'"), "{e}");
        let e = err("outputs = [\"primary_visit_share\", \"happiness\"]\n", "s.toml");
        assert!(e.contains("line 1") && e.contains("unknown output 'happiness'"), "{e}");
        let e = err("colour = 1\n", "s.toml");
        assert!(e.contains("line 1") && e.contains("unknown field 'colour'"), "{e}");
    }

    #[test]
    fn ranges_hit_both_ends_exactly() {
        assert_eq!(grid_point(0.1, 0.7, 2, 3), 0.7);
        assert_eq!(grid_point(0.1, 0.7, 0, 3), 0.1);
        assert_eq!(grid_point(5.0, 9.0, 0, 1), 5.0);
    }
}
