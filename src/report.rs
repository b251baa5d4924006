//! Runs replications of a scenario and renders the results as the CLI's JSON and CSV.
//!
//! Replicate `k` uses seed `seed + k`, so any row of any output can be re-run alone with
//! `--seed`. With two seeds or more the JSON also gives each output's interval over the seeds
//! and the effect against the status quo run with the same seeds (`ensemble.rs`). Output is
//! deterministic: keys in a fixed order, floats printed by `serde_json`'s shortest round-trip
//! formatting.

use crate::MODEL_VERSION;
use crate::ensemble::{self, Summary};
use crate::error::SimError;
use crate::metrics::Day;
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
    /// The status quo's summary for each replicate's seed, when the effect was asked for
    /// ([`run_with_effect`]).
    pub baseline: Option<Vec<Summary>>,
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
    let seeds = checked_seeds(scenario, replications)?;
    let jobs: Vec<Job> = seeds.iter().map(|&seed| Job { scenario, seed, history: true }).collect();
    let replicates = run_all(&jobs, params, scenario.population).into_iter().collect::<Result<_, _>>()?;
    Ok(Report { scenario: scenario.clone(), replicates, params: params.clone(), baseline: None })
}

/// Runs `replications` replicates and, with two or more, the status quo with the same seeds
/// for the effect, all at once on every core. The status quo is the `status_quo` preset's
/// levers with the scenario's settings and parameters, and no changes; when the scenario is
/// exactly that, its own runs are the status quo's (the same seed gives the same run), so
/// nothing more is run and the effect is zero.
pub fn run_with_effect(scenario: &Scenario, params: &Params, replications: u32) -> Result<Report, SimError> {
    let seeds = checked_seeds(scenario, replications)?;
    let status_quo = status_quo_of(scenario)?;
    let separate = seeds.len() >= 2 && differs_from_status_quo(scenario);
    let mut jobs: Vec<Job> = seeds.iter().map(|&seed| Job { scenario, seed, history: true }).collect();
    if separate {
        jobs.extend(seeds.iter().map(|&seed| Job { scenario: &status_quo, seed, history: false }));
    }
    let mut runs = run_all(&jobs, params, scenario.population).into_iter().collect::<Result<Vec<_>, _>>()?;
    let baseline_runs = runs.split_off(seeds.len());
    let baseline = match (seeds.len(), separate) {
        (1, _) => None,
        (_, true) => Some(baseline_runs.into_iter().map(|r| r.summary).collect()),
        (_, false) => Some(runs.iter().map(|r| r.summary.clone()).collect()),
    };
    Ok(Report { scenario: scenario.clone(), replicates: runs, params: params.clone(), baseline })
}

/// Whether `scenario` runs differently from its status quo: a lever differs from the
/// `status_quo` preset's, or a lever changes during the run. (The preset's name alone does
/// not count: `--preset gatekeeping --set gatekeeping=none ...` can land on the status quo.)
pub fn differs_from_status_quo(scenario: &Scenario) -> bool {
    scenario.levers != crate::Levers::default() || !scenario.changes.is_empty()
}

/// The status quo of `scenario`: the `status_quo` preset's levers with the scenario's own
/// population, urban share, years and seed, and no changes during the run.
pub fn status_quo_of(scenario: &Scenario) -> Result<Scenario, SimError> {
    let preset = Scenario::from_preset("status_quo")?;
    Ok(Scenario { preset: preset.preset, levers: preset.levers, changes: Vec::new(), ..scenario.clone() })
}

fn checked_seeds(scenario: &Scenario, replications: u32) -> Result<Vec<u64>, SimError> {
    if replications == 0 {
        return Err(SimError::invalid("replications", 0, "a whole number from 1 to 1000"));
    }
    Ok(seeds(scenario.seed, replications))
}

/// One run to do: a scenario with a seed, keeping its daily history or only its summary.
struct Job<'a> {
    scenario: &'a Scenario,
    seed: u64,
    history: bool,
}

impl Job<'_> {
    fn run(&self, params: &Params) -> Result<Replicate, SimError> {
        if self.history {
            run_one_with(self.scenario, params, self.seed)
        } else {
            let summary = summary_with(self.scenario, params, self.seed)?;
            Ok(Replicate { seed: self.seed, summary, history: Vec::new() })
        }
    }
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

/// Runs every job on all cores; results come back in job order, so the output does not
/// depend on the number of threads.
#[cfg(not(target_arch = "wasm32"))]
fn run_all(jobs: &[Job], params: &Params, population: u32) -> Vec<Result<Replicate, SimError>> {
    let threads = threads_for(population).min(jobs.len()).max(1);
    let chunk = jobs.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(|job| job.run(params)).collect::<Vec<_>>()))
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a replicate thread panicked")).collect()
    })
}

/// In WebAssembly there are no threads: runs go one after another.
#[cfg(target_arch = "wasm32")]
fn run_all(jobs: &[Job], params: &Params, _population: u32) -> Vec<Result<Replicate, SimError>> {
    jobs.iter().map(|job| job.run(params)).collect()
}

impl Report {
    /// The mean of every output over replicates, in output order.
    pub fn mean(&self) -> Vec<(&'static str, f64)> {
        ensemble::mean(&self.summaries())
    }

    /// Each replicate's summary, in seed order.
    pub fn summaries(&self) -> Vec<Summary> {
        self.replicates.iter().map(|r| r.summary.clone()).collect()
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
        });
        let fields = v.as_object_mut().expect("an object");
        if self.replicates.len() >= 2 {
            fields.insert("intervals".into(), intervals_json(&ensemble::intervals(&self.summaries())));
        }
        if let Some(baseline) = &self.baseline {
            let effects = ensemble::effects(&self.summaries(), baseline);
            fields.insert(
                "effect".into(),
                json!({
                    "baseline": "status_quo",
                    "mean": summary(&ensemble::mean(&effects)),
                    "intervals": intervals_json(&ensemble::intervals(&effects)),
                }),
            );
        }
        fields.insert(
            "replicates".into(),
            self.replicates.iter().map(|r| json!({"seed": r.seed, "summary": summary(&r.summary)})).collect(),
        );
        // Changed structural parameters are part of what it takes to re-run the result;
        // with the calibrated set the field is left out.
        if let Some(p) = params_json(&self.params) {
            v.as_object_mut().expect("an object").insert("params".into(), p);
        }
        v
    }

    /// Writes the daily series of every replicate as CSV to `out` ([`SeriesCsv`]). Native
    /// only: the browser reads series as columns instead.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn write_csv<W: std::io::Write>(&self, out: W) -> csv::Result<()> {
        let mut rows = SeriesCsv::new(&self.scenario, &self.params, out)?;
        for r in &self.replicates {
            rows.write(r)?;
        }
        rows.finish()
    }
}

/// The daily series of replicates as CSV, a replicate at a time (`run --format csv` streams
/// them as they finish): a `#` comment line with the model version and the scenario, a
/// header, then one row per seed and day. Numbers are printed as Rust prints an `f64`
/// (shortest round-trip), fields quoted only where CSV needs it.
#[cfg(not(target_arch = "wasm32"))]
pub struct SeriesCsv<W: std::io::Write> {
    csv: csv::Writer<W>,
    population: u32,
    working_days: f64,
}

#[cfg(not(target_arch = "wasm32"))]
impl<W: std::io::Write> SeriesCsv<W> {
    /// Writes the comment line and the header.
    pub fn new(scenario: &Scenario, params: &Params, mut out: W) -> csv::Result<Self> {
        write!(out, "# consortium-sim {MODEL_VERSION} scenario={}", scenario_json(scenario))?;
        if let Some(p) = params_json(params) {
            write!(out, " params={p}")?;
        }
        writeln!(out)?;
        let mut csv = csv::Writer::from_writer(out);
        csv.write_record(["seed", "day"].into_iter().chain(crate::metrics::output_names()))?;
        Ok(SeriesCsv { csv, population: scenario.population, working_days: Params::default().working_days })
    }

    /// Writes one replicate's rows, a day each.
    pub fn write(&mut self, r: &Replicate) -> csv::Result<()> {
        for (day, d) in r.history.iter().enumerate() {
            self.csv.write_field(r.seed.to_string())?;
            self.csv.write_field((day + 1).to_string())?;
            for (_, v) in crate::metrics::evaluate_all(std::slice::from_ref(d), self.population, self.working_days) {
                self.csv.write_field(v.to_string())?;
            }
            self.csv.write_record(None::<&[u8]>)?;
        }
        Ok(())
    }

    /// Flushes what is buffered.
    pub fn finish(mut self) -> csv::Result<()> {
        self.csv.flush()?;
        Ok(())
    }
}

/// The scenario as JSON: preset, every lever, every setting, and the changes during the run
/// when there are any.
pub fn scenario_json(s: &Scenario) -> Value {
    let mut v = json!({
        "preset": s.preset,
        "levers": serde_json::to_value(&s.levers).expect("levers serialise"),
        "population": s.population,
        "urban_share": s.urban_share,
        "years": s.years,
        "seed": s.seed,
    });
    if !s.changes.is_empty() {
        let changes = serde_json::to_value(&s.changes).expect("changes serialise");
        v.as_object_mut().expect("an object").insert("changes".into(), changes);
    }
    v
}

/// Every output's interval, keyed by output.
fn intervals_json(intervals: &[(&str, ensemble::Interval)]) -> Value {
    Value::Object(
        intervals
            .iter()
            .map(|(k, i)| (k.to_string(), serde_json::to_value(i).expect("an interval serialises")))
            .collect(),
    )
}

/// The structural parameters that differ from the calibrated set, keyed as in
/// [`crate::params::PARAMETERS`], or `None` for the calibrated set.
pub fn params_json(p: &Params) -> Option<Value> {
    let changed = p.overrides();
    (!changed.is_empty()).then(|| Value::Object(changed.into_iter().map(|(k, v)| (k.to_string(), json!(v))).collect()))
}
