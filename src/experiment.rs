//! Batch experiments: a declarative sweep over levers, settings and parameters, run on all
//! cores and streamed in run order, and sliceable into shards for batch schedulers.
//!
//! An experiment file (TOML or JSON, by extension) names a base preset, a horizon, a
//! population, replications, a seed, the outputs to keep, and value grids for any lever
//! (`[levers]`), setting (`[settings]`: `population`, `urban_share`, `years`) or structural
//! parameter (`[params]`, see [`crate::params::PARAMETERS`]):
//!
//! ```toml
//! preset = "status_quo"
//! population = 20000
//! years = 2
//! replications = 3
//! seed = 1
//! outputs = ["primary_visit_share", "downward_referrals_per_1000"]
//!
//! [levers]
//! gatekeeping = { values = ["none", "soft", "strict"] }
//! referral_bonus = { from = 0, to = 300, steps = 4 }
//! info_sharing = 0.5            # a plain value is fixed, not varied
//!
//! [params]
//! beta_cost_scale = { values = [0.5, 1.0, 1.5] }
//! ```
//!
//! Runs are the Cartesian product of the grids in the order they are written (the last key
//! varies fastest), times the replications (innermost): run `r` is point `r / replications`
//! with seed `seed + r % replications`, so every point sees the same seeds (common random
//! numbers). Shard `I/N` is the `I`-th of `N` contiguous blocks of run indices, so shard
//! outputs concatenated in order are byte-identical to the unsharded output.

mod axis;
mod rows;
mod runner;
mod source;
mod spec;

pub use axis::{Axis, Section};
pub use rows::Rows;
pub use runner::{Progress, run_ordered};
pub use source::SpecError;
pub use spec::Spec;

use crate::MODEL_VERSION;
use crate::error::SimError;
use crate::params::Params;
use crate::report::{params_json, scenario_json};
use crate::scenario::Scenario;
use serde_json::{Map, Value, json};
use std::ops::Range;

/// A slice `index` (1-based) of `count` contiguous blocks of a sweep's runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which block, from 1 to `count`.
    pub index: u64,
    /// How many blocks.
    pub count: u64,
}

impl Shard {
    /// The whole sweep.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Parses `I/N` with 1 <= I <= N.
    pub fn parse(text: &str) -> Result<Shard, SimError> {
        let bad = || SimError::invalid("--shard", text, "I/N with 1 <= I <= N (e.g. 2/8)");
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index = i.trim().parse::<u64>().map_err(|_| bad())?;
        let count = n.trim().parse::<u64>().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// The run indices of this shard out of `total`: contiguous, disjoint, and together
    /// covering `0..total` in order.
    pub fn runs(&self, total: u64) -> Range<u64> {
        let edge = |i: u64| {
            u64::try_from(u128::from(total) * u128::from(i) / u128::from(self.count))
                .expect("i <= count: at most total")
        };
        edge(self.index - 1)..edge(self.index)
    }
}

/// One run of a sweep, resolved.
#[derive(Debug, Clone)]
pub struct Run {
    /// Run index, from 0.
    pub index: u64,
    /// Replicate number within its point, from 0.
    pub replicate: u32,
    /// The scenario, with its seed.
    pub scenario: Scenario,
    /// The structural parameters.
    pub params: Params,
    /// The value of each axis, in axis order.
    pub varied: Vec<Value>,
}

impl Spec {
    /// The number of runs: grid points times replications.
    pub fn total_runs(&self) -> u64 {
        self.points() * u64::from(self.replications)
    }

    /// The number of grid points.
    pub fn points(&self) -> u64 {
        self.axes.iter().map(|a| a.values.len() as u64).product()
    }

    /// The run with index `index` (< `total_runs`). Every value was checked when the spec
    /// was read, so building a run cannot fail.
    pub fn run(&self, index: u64) -> Run {
        let reps = u64::from(self.replications);
        let mut point = index / reps;
        let replicate = u32::try_from(index % reps).expect("below replications, a u32");
        let mut picks = vec![0usize; self.axes.len()];
        for (a, axis) in self.axes.iter().enumerate().rev() {
            let n = axis.values.len() as u64;
            picks[a] = usize::try_from(point % n).expect("below the axis' length");
            point /= n;
        }
        let mut scenario = self.base.clone();
        let mut params = self.params.clone();
        let mut varied = Vec::with_capacity(self.axes.len());
        for (axis, &pick) in self.axes.iter().zip(&picks) {
            let v = &axis.values[pick];
            axis::apply(axis.section, &axis.key, v, &mut scenario, &mut params).expect("values are checked on reading");
            varied.push(v.clone());
        }
        scenario.seed = self.seed.wrapping_add(u64::from(replicate));
        Run { index, replicate, scenario, params, varied }
    }

    /// The reproducibility record: model version, source, base scenario, parameters,
    /// grids, replications, seed and outputs, as one JSON object.
    pub fn record(&self) -> Value {
        let mut axes = Map::new();
        for section in [Section::Levers, Section::Settings, Section::Params] {
            let grids: Map<String, Value> = self
                .axes
                .iter()
                .filter(|a| a.section == section)
                .map(|a| (a.key.clone(), Value::Array(a.values.clone())))
                .collect();
            if !grids.is_empty() {
                axes.insert(section.name().into(), Value::Object(grids));
            }
        }
        json!({
            "model_version": MODEL_VERSION,
            "source": self.source,
            "base": scenario_json(&self.base),
            "params": params_json(&self.params).unwrap_or_else(|| json!({})),
            "grid": axes,
            "replications": self.replications,
            "seed": self.seed,
            "runs": self.total_runs(),
            "outputs": self.outputs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_contiguous_disjoint_and_cover_every_run() {
        for total in [0u64, 1, 5, 7, 100] {
            for count in 1..=9 {
                let mut next = 0;
                for index in 1..=count {
                    let r = Shard { index, count }.runs(total);
                    assert_eq!(r.start, next);
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
    }

    #[test]
    fn shard_specs_are_checked() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/3"] {
            let e = Shard::parse(bad).unwrap_err().to_string();
            assert!(e.contains("--shard") && e.contains("1 <= I <= N"), "{e}");
        }
    }

    #[test]
    fn runs_enumerate_the_grid_with_the_last_key_fastest_and_replicates_innermost() {
        let text = "years = 1\npopulation = 2000\nreplications = 2\nseed = 10\n[levers]\ngatekeeping = { values = [\"none\", \"strict\"] }\nreferral_bonus = { from = 0, to = 200, steps = 3 }\n";
        let spec = Spec::parse(text, "t.toml").unwrap();
        assert_eq!(spec.total_runs(), 12);
        let r = spec.run(7); // point 3 = (strict, 0), replicate 1
        assert_eq!(r.replicate, 1);
        assert_eq!(r.scenario.seed, 11);
        assert_eq!(r.varied, vec![json!("strict"), json!(0.0)]);
        assert_eq!(r.scenario.levers.get("gatekeeping").unwrap(), "strict");
        let last = spec.run(11);
        assert_eq!(last.varied, vec![json!("strict"), json!(200.0)]);
        assert_eq!(last.scenario.levers.referral_bonus, 200.0);
    }
}
