//! An experiment file read into one checked [`Spec`]: its top-level fields (preset,
//! population, years, replications, seed, outputs) and its tables of fixed and varied keys.
//! What a key may be and take is in `axis.rs`; parsing the text and placing a mistake on
//! its line is in `source.rs`.

use super::axis::{Axis, MAX_GRID_VALUES, Section, apply, check_key, read_grid, scalar_text};
use super::source::{Source, SpecError, parse_json, parse_toml};
use crate::metrics::{OUTPUTS, is_output};
use crate::params::Params;
use crate::scenario::Scenario;
use serde_json::Value;

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
/// Largest number of replications per point.
pub const MAX_REPLICATIONS: u64 = 1_000_000;

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
        let replications =
            u32::try_from(whole("replications", MAX_REPLICATIONS, 1)?).expect("at most MAX_REPLICATIONS, a u32");
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
        let read: u64 = self.axes.iter().map(|a| a.values.len() as u64).sum();
        let values = match entry {
            Value::Object(grid) => read_grid(src, &path, grid, MAX_GRID_VALUES - read)?,
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
        if self.total_runs_checked().is_none() {
            return Err(src.error(&path, "the grid has more runs than fit in a 64-bit run index"));
        }
        Ok(())
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

    /// Issue 20's experiment files: bounded before anything large is allocated, duplicate
    /// JSON keys refused as TOML refuses them, and a TOML nan named as nan.
    #[test]
    fn hostile_files_are_refused_early_and_by_name() {
        let e = err(r#"{"years": 1, "years": 2}"#, "d.json");
        assert!(e.contains("duplicate key 'years'"), "{e}");
        let e = err(r#"{"levers": {"gatekeeping": {"values": ["none"], "values": ["strict"]}}}"#, "d.json");
        assert!(e.contains("duplicate key 'values'"), "{e}");
        let e = err("years = 1\nyears = 2\n", "d.toml");
        assert!(e.contains("TOML syntax error"), "{e}");

        // Seventeen keys of a million steps each: the second one is refused, and no more than
        // a million values were ever made.
        let mut text = String::from("years = 1\n[params]\n");
        for p in crate::params::PARAMETERS.iter().take(17) {
            text += &format!("{} = {{ from = 0.1, to = 0.2, steps = 1000000 }}\n", p.key);
        }
        let e = err(&text, "big.toml");
        assert!(e.contains("has 1000000 values, more than the 0 left of the 1000000"), "{e}");
        let list = (0..1_000_001).map(|i| (i % 2).to_string()).collect::<Vec<_>>().join(",");
        let e = err(&format!("[levers]\nreferral_bonus = {{ values = [{list}] }}\n"), "list.toml");
        assert!(e.contains("has 1000001 values"), "{e}");

        let e = err("[levers]\ninfo_sharing = nan\n", "n.toml");
        assert!(e.contains("invalid value 'nan' for 'info_sharing'"), "{e}");
        let e = err("[levers]\nreferral_bonus = { values = [1, -inf] }\n", "n.toml");
        assert!(e.contains("invalid value '-inf' for 'referral_bonus'"), "{e}");
    }
}
