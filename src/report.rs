//! Runs replications of a scenario and renders the results as the CLI's JSON and CSV.
//!
//! Replicate `k` uses seed `seed + k`, so any row of any output can be re-run alone with
//! `--seed`. Output is deterministic: keys in a fixed order, floats printed by `serde_json`'s
//! shortest round-trip formatting.

use crate::MODEL_VERSION;
use crate::error::SimError;
use crate::metrics::{self, Day};
use crate::params::Params;
use crate::scenario::Scenario;
use crate::sim::Simulation;
use serde_json::{Map, Value, json};

/// One finished replicate.
#[derive(Debug, Clone)]
pub struct Replicate {
    /// The seed it ran with.
    pub seed: u64,
    /// Every output over its last year.
    pub summary: Vec<(&'static str, f64)>,
    /// Its daily counts.
    pub history: Vec<Day>,
}

/// The results of a scenario over several seeds.
#[derive(Debug, Clone)]
pub struct Report {
    /// The resolved scenario (its `seed` is the first replicate's).
    pub scenario: Scenario,
    /// The replicates, in seed order.
    pub replicates: Vec<Replicate>,
    /// The structural parameters of every replicate.
    pub params: Params,
}

/// The seeds of `replications` replicates starting at `seed`.
pub fn seeds(seed: u64, replications: u32) -> Vec<u64> {
    (0..u64::from(replications)).map(|k| seed.wrapping_add(k)).collect()
}

/// Runs one replicate of `scenario` with seed `seed` to the end of its horizon.
pub fn run_one(scenario: &Scenario, seed: u64) -> Result<Replicate, SimError> {
    run_one_with(scenario, &Params::default(), seed)
}

/// Runs one replicate with explicit structural parameters.
pub fn run_one_with(scenario: &Scenario, params: &Params, seed: u64) -> Result<Replicate, SimError> {
    let mut sim = Simulation::with_params(Scenario { seed, ..scenario.clone() }, params.clone())?;
    sim.run();
    Ok(Replicate { seed, summary: sim.summary(), history: sim.history().to_vec() })
}

/// Runs one replicate with explicit parameters and returns only its summary (every output
/// over the last year): what batch experiments keep, without the daily history.
pub fn summary_with(scenario: &Scenario, params: &Params, seed: u64) -> Result<Vec<(&'static str, f64)>, SimError> {
    let mut sim = Simulation::with_params(Scenario { seed, ..scenario.clone() }, params.clone())?;
    sim.run();
    Ok(sim.summary())
}

/// Runs `replications` replicates (seeds `seed`, `seed + 1`, ...).
pub fn run(scenario: &Scenario, replications: u32) -> Result<Report, SimError> {
    run_with_params(scenario, &Params::default(), replications)
}

/// Runs `replications` replicates with explicit structural parameters.
pub fn run_with_params(scenario: &Scenario, params: &Params, replications: u32) -> Result<Report, SimError> {
    if replications == 0 {
        return Err(SimError::invalid("replications", 0, "a whole number from 1 to 1000"));
    }
    let seeds = seeds(scenario.seed, replications);
    let replicates = run_all(scenario, params, &seeds).into_iter().collect::<Result<_, _>>()?;
    Ok(Report { scenario: scenario.clone(), replicates, params: params.clone() })
}

/// How many regions of `population` residents to run at once: every core, capped by a memory
/// budget of about 8 GiB, since each run holds a region in memory (about 100 bytes per resident
/// with its history).
#[cfg(not(target_arch = "wasm32"))]
pub fn threads_for(population: u32) -> usize {
    let by_memory = (8_000_000_000 / (u64::from(population) * 100).max(1)).max(1);
    let by_memory = usize::try_from(by_memory).unwrap_or(usize::MAX);
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(by_memory)
}

/// Runs one replicate per seed on all cores; results come back in seed order, so the
/// output does not depend on the number of threads.
#[cfg(not(target_arch = "wasm32"))]
fn run_all(scenario: &Scenario, params: &Params, seeds: &[u64]) -> Vec<Result<Replicate, SimError>> {
    let threads = threads_for(scenario.population).min(seeds.len()).max(1);
    let chunk = seeds.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = seeds
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().map(|&s| run_one_with(scenario, params, s)).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a replicate thread panicked")).collect()
    })
}

/// In WebAssembly there are no threads: replicates run one after another.
#[cfg(target_arch = "wasm32")]
fn run_all(scenario: &Scenario, params: &Params, seeds: &[u64]) -> Vec<Result<Replicate, SimError>> {
    seeds.iter().map(|&s| run_one_with(scenario, params, s)).collect()
}

impl Report {
    /// The mean of every output over replicates, in output order.
    pub fn mean(&self) -> Vec<(&'static str, f64)> {
        let n = crate::num::count(self.replicates.len());
        metrics::output_names()
            .enumerate()
            .map(|(i, name)| (name, self.replicates.iter().map(|r| r.summary[i].1).sum::<f64>() / n))
            .collect()
    }

    /// The mean of one output over replicates.
    pub fn mean_of(&self, name: &str) -> f64 {
        self.mean().into_iter().find(|(n, _)| *n == name).map(|(_, v)| v).unwrap_or(f64::NAN)
    }

    /// The contract's JSON object.
    pub fn to_json(&self) -> Value {
        let summary =
            |s: &[(&str, f64)]| Value::Object(s.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<Map<_, _>>());
        let mut v = json!({
            "model_version": MODEL_VERSION,
            "scenario": scenario_json(&self.scenario),
            "seeds": self.replicates.iter().map(|r| r.seed).collect::<Vec<_>>(),
            "summary": summary(&self.mean()),
            "replicates": self.replicates.iter().map(|r| json!({"seed": r.seed, "summary": summary(&r.summary)})).collect::<Vec<_>>(),
        });
        // Changed structural parameters are part of what it takes to re-run the result;
        // with the calibrated set the field is left out.
        if let Some(p) = params_json(&self.params) {
            v.as_object_mut().expect("an object").insert("params".into(), p);
        }
        v
    }

    /// Writes the daily series of every replicate as CSV to `out`, row by row: a `#` comment
    /// line with the model version and the scenario, a header, then one row per seed and day.
    /// Numbers are printed as Rust prints an `f64` (shortest round-trip), fields quoted only
    /// where CSV needs it. Native only: the browser reads series as columns instead.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn write_csv<W: std::io::Write>(&self, mut out: W) -> csv::Result<()> {
        let pop = self.scenario.population;
        let wd = crate::params::Params::default().working_days;
        write!(out, "# consortium-sim {MODEL_VERSION} scenario={}", scenario_json(&self.scenario))?;
        if let Some(p) = params_json(&self.params) {
            write!(out, " params={p}")?;
        }
        writeln!(out)?;
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(["seed", "day"].into_iter().chain(metrics::output_names()))?;
        for r in &self.replicates {
            for (day, d) in r.history.iter().enumerate() {
                csv.write_field(r.seed.to_string())?;
                csv.write_field((day + 1).to_string())?;
                for (_, v) in metrics::evaluate_all(std::slice::from_ref(d), pop, wd) {
                    csv.write_field(v.to_string())?;
                }
                csv.write_record(None::<&[u8]>)?;
            }
        }
        csv.flush()?;
        Ok(())
    }
}

/// The scenario as JSON: preset, every lever, every setting.
pub fn scenario_json(s: &Scenario) -> Value {
    json!({
        "preset": s.preset,
        "levers": serde_json::to_value(&s.levers).expect("levers serialise"),
        "population": s.population,
        "urban_share": s.urban_share,
        "years": s.years,
        "seed": s.seed,
    })
}

/// The structural parameters that differ from the calibrated set, keyed as in
/// [`crate::params::PARAMETERS`], or `None` for the calibrated set.
pub fn params_json(p: &Params) -> Option<Value> {
    let changed = p.overrides();
    (!changed.is_empty()).then(|| Value::Object(changed.into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect()))
}
