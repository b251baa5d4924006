//! The `consortium-sim` command line: a thin layer over the library.
//!
//! `run` simulates a scenario and prints JSON or CSV; `validate` checks the baseline and the
//! policy directions over many seeds; `sensitivity` ranks levers and assumptions by their
//! influence; `sweep` runs a declarative experiment file on all cores, or one shard of it;
//! `presets`, `levers` and `params` list what can be chosen; `completions` prints a shell
//! completion script. The options are declared in `cli/args.rs`, which gives every command
//! its `--help`, and checked as they are parsed (`cli/values.rs`). Bad input prints one line
//! naming the key and its allowed values, exit status 2 (`cli/one_line.rs`).

mod args;
mod one_line;
mod values;

use args::{Cli, Command, MethodArg, RunFormat, SensitivityFormat, SweepFormat, ValidateFormat};
use clap::{CommandFactory, FromArgMatches};
use consortium_sim::experiment::{Progress, Rows, Shard, Spec, run_ordered};
use consortium_sim::levers::LeverKind;
use consortium_sim::params::{PARAMETERS, Params};
use consortium_sim::scenario_file::ScenarioFile;
use consortium_sim::sensitivity::{self, Method};
use consortium_sim::{LEVERS, Levers, MODEL_VERSION, PRESETS, SimError, metrics, report, validation};
use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// Why a command stopped: bad input or a failed write, printed as one line with status 2.
/// A failed write to stdout may be a reader that stopped early (`| head`), which [`emit`]
/// turns into a quiet end.
#[derive(Debug)]
enum Failure {
    Message(String),
    Write(io::Error),
}

impl From<SimError> for Failure {
    fn from(e: SimError) -> Self {
        Failure::Message(e.to_string())
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Failure::Write(e)
    }
}

impl From<csv::Error> for Failure {
    fn from(e: csv::Error) -> Self {
        match e.into_kind() {
            csv::ErrorKind::Io(e) => Failure::Write(e),
            other => Failure::Message(format!("cannot write CSV: {other:?}")),
        }
    }
}

/// Runs the command line; the exit status is 2 for bad input.
pub fn main() -> ExitCode {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let mut root = Cli::command();
    root.build();
    let matches = match root.try_get_matches_from_mut(&argv) {
        Ok(matches) => matches,
        // `--help` and `--version`: clap prints them, status 0.
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(&one_line::message(&e, &root, &argv)),
    };
    let cli = Cli::from_arg_matches(&matches).expect("the matches come from the same parser");
    let sub = matches.subcommand().map(|(_, m)| m).expect("a command is required");
    let result = match cli.command {
        Command::Run(a) => run(&a, sub),
        Command::Validate(a) => validate(&a, &argv[2..]),
        Command::Sensitivity(a) => sensitivity(&a, sub),
        Command::Sweep(a) => sweep(&a),
        Command::Presets => emit(None, |w| w.write_all(presets().as_bytes())),
        Command::Levers => emit(None, |w| w.write_all(levers().as_bytes())),
        Command::Params => emit(None, |w| w.write_all(params().as_bytes())),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "consortium-sim", &mut script);
            emit(None, |w| w.write_all(&script))
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Message(m)) => fail(&m),
        Err(Failure::Write(e)) => fail(&format!("cannot write output: {e}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// Streams output to `--out` or stdout, buffered. A reader that stops early (`| head`) is
/// not an error; any other failed write is one line naming where the output was going.
/// `--out` is written whole or not at all: into a new file beside it, renamed over it only
/// once everything is written and on disk, so a full disk or a failed run leaves the file
/// that was there (and no partial one).
fn emit<F, E>(out: Option<&Path>, write: F) -> Result<(), Failure>
where
    F: FnOnce(&mut dyn Write) -> Result<(), E>,
    Failure: From<E>,
{
    let written = match out {
        Some(path) => write_atomically(path, |w| write(w).map_err(Failure::from)),
        None => {
            let mut w = io::BufWriter::new(io::stdout().lock());
            write(&mut w).map_err(Failure::from).and_then(|()| Ok(w.flush()?))
        }
    };
    match (written, out) {
        (Err(Failure::Write(e)), Some(path)) => {
            Err(Failure::Message(format!("cannot write '--out' file '{}': {e}", path.display())))
        }
        (Err(Failure::Write(e)), None) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        (other, _) => other,
    }
}

/// Writes `path` through a temporary file in the same directory (so the rename cannot cross
/// file systems), synced before it replaces `path`; on any failure the temporary file is
/// removed and `path` is untouched.
fn write_atomically(path: &Path, write: impl FnOnce(&mut dyn Write) -> Result<(), Failure>) -> Result<(), Failure> {
    let name = path.file_name().map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
    let result = (|| {
        let mut w = io::BufWriter::new(file);
        write(&mut w)?;
        let file = w.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        Ok(std::fs::rename(&temp, path)?)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Refuses an `--out` that is the file the command reads (`option`'s), which the output
/// would replace: `sweep --spec x.toml --out x.toml` would overwrite the experiment.
fn refuse_overwriting_input(out: Option<&Path>, input: &Path, option: &str) -> Result<(), Failure> {
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    match out {
        Some(out) if same(out, input) => Err(Failure::Message(format!(
            "invalid value '{}' for '--out': it is the '{option}' file, which the output would replace; allowed values are any other file",
            out.display()
        ))),
        _ => Ok(()),
    }
}

fn pretty(w: &mut dyn Write, v: &serde_json::Value) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, v)?;
    writeln!(w)
}

// ---- run ------------------------------------------------------------------------------

fn run(a: &args::RunArgs, matches: &clap::ArgMatches) -> Result<(), Failure> {
    if let Some(path) = &a.file {
        refuse_overwriting_input(a.out.path.as_deref(), path, "--scenario")?;
    }
    let (scenario, params, replications) = match &a.file {
        Some(path) => from_scenario_file(path, a, matches)?,
        None => (a.scenario.scenario(matches, |_| {})?, a.scenario.params()?, a.scenario.replications),
    };
    match a.format {
        // The intervals and the effect against the status quo are part of the JSON only.
        RunFormat::Json => {
            let result = report::run_with_effect(&scenario, &params, replications)?;
            emit(a.out.path.as_deref(), |w| pretty(w, &result.to_json()))
        }
        // Streamed: each replicate's rows are written as soon as it and those before it are
        // done, so memory holds a few replicates' days, not every one's.
        RunFormat::Csv => {
            let seeds = report::seeds(scenario.seed, replications);
            let threads = report::threads_for(scenario.population);
            emit(a.out.path.as_deref(), |w| {
                let mut rows = report::SeriesCsv::new(&scenario, &params, w)?;
                run_ordered(
                    0..seeds.len() as u64,
                    threads,
                    |i| {
                        Ok::<_, Failure>(report::run_one_with(
                            &scenario,
                            &params,
                            seeds[usize::try_from(i).expect("a seed's index")],
                        )?)
                    },
                    |_, replicate| Ok(rows.write(&replicate)?),
                )?;
                Ok::<_, Failure>(rows.finish()?)
            })
        }
    }
}

/// `run --scenario FILE`: the file's scenario, parameters and number of seeds, then the
/// options given with it in their order (`--set`, `--population`, `--years`, `--seed`;
/// `--param` on top of the file's parameters; `--replications` instead of the file's count).
fn from_scenario_file(
    path: &Path,
    a: &args::RunArgs,
    matches: &clap::ArgMatches,
) -> Result<(consortium_sim::Scenario, Params, u32), Failure> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Message(format!("cannot read '--scenario' file '{shown}': {e}")))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Failure::Message(format!("scenario file '{shown}' is not JSON ({e}): give the JSON that 'run' prints"))
    })?;
    let file = ScenarioFile::from_json(&json).map_err(|e| Failure::Message(format!("scenario file '{shown}': {e}")))?;
    if let Some(version) = file.model_version.as_deref().filter(|v| *v != MODEL_VERSION) {
        eprintln!(
            "warning: scenario file '{shown}' was written by model version {version}; this is model version {MODEL_VERSION}, so results may differ"
        );
    }
    let mut scenario = file.scenario;
    a.scenario.change(&mut scenario, matches)?;
    let params = a.scenario.change_params(file.params)?;
    Ok((scenario, params, a.scenario.replications_or(matches, file.replications)))
}

// ---- validate -------------------------------------------------------------------------

fn validate(a: &args::ValidateArgs, shown: &[OsString]) -> Result<(), Failure> {
    let mut scenario = consortium_sim::Scenario::from_preset("status_quo")?;
    a.settings.apply(&mut scenario)?;
    let result = validation::validate(&scenario, a.seeds)?;
    let text = match a.format {
        ValidateFormat::Json => return emit(a.out.path.as_deref(), |w| pretty(w, &result.to_json())),
        ValidateFormat::Markdown => {
            let shown: Vec<String> = shown.iter().map(|s| s.to_string_lossy().into_owned()).collect();
            result.to_markdown(&format!("consortium-sim validate {}", shown.join(" ")))
        }
        ValidateFormat::Table => result.to_text(),
    };
    emit(a.out.path.as_deref(), |w| w.write_all(text.as_bytes()))
}

// ---- sensitivity ----------------------------------------------------------------------

/// The outputs ranked when none is named.
const DEFAULT_SENSITIVITY_OUTPUTS: &[&str] =
    &["primary_visit_share", "downward_referrals_per_1000", "spending_per_capita"];

fn sensitivity(a: &args::SensitivityArgs, matches: &clap::ArgMatches) -> Result<(), Failure> {
    let scenario = a.scenario.scenario(matches, |s| {
        s.population = args::SENSITIVITY_POPULATION;
        s.years = args::SENSITIVITY_YEARS;
    })?;
    let mut outputs = Vec::new();
    for name in &a.output {
        match metrics::output_names().find(|n| *n == name.as_str()) {
            Some(n) => outputs.push(n),
            None => outputs.extend(metrics::output_names()), // `all`
        }
    }
    if outputs.is_empty() {
        outputs = DEFAULT_SENSITIVITY_OUTPUTS.to_vec();
    }
    let setup = sensitivity::Setup {
        method: match a.method {
            MethodArg::Morris => Method::Morris,
            MethodArg::Oat => Method::Oat,
        },
        threads: a
            .threads
            .count
            .map_or_else(|| consortium_sim::report::threads_for(scenario.population), |t| t as usize),
        scenario,
        params: a.scenario.params()?,
        factors: a.factors.0.clone(),
        outputs,
        trajectories: a.trajectories,
        levels: a.levels,
        replications: a.scenario.replications,
        progress: a.progress.forced,
    };
    let analysis = setup.run()?;
    let text = match a.format {
        SensitivityFormat::Json => return emit(a.out.path.as_deref(), |w| pretty(w, &analysis.to_json())),
        SensitivityFormat::Csv => analysis.to_csv(),
        SensitivityFormat::Table => analysis.to_text(),
    };
    emit(a.out.path.as_deref(), |w| w.write_all(text.as_bytes()))
}

// ---- sweep ----------------------------------------------------------------------------

fn sweep(a: &args::SweepArgs) -> Result<(), Failure> {
    refuse_overwriting_input(a.out.path.as_deref(), &a.spec, "--spec")?;
    let path = a.spec.display().to_string();
    let text = std::fs::read_to_string(&a.spec)
        .map_err(|e| Failure::Message(format!("cannot read '--spec' file '{path}': {e}")))?;
    let name = a.spec.file_name().map_or(path.clone(), |n| n.to_string_lossy().into_owned());
    let spec = Spec::parse(&text, &name).map_err(|e| Failure::Message(e.to_string()))?;
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "populations are whole numbers below 2^32"
    )]
    let largest = largest(&spec, "population", f64::from(spec.base.population)) as u32;
    let threads = a.threads.count.map_or_else(|| consortium_sim::report::threads_for(largest), |t| t as usize);
    let shard = a.shard.unwrap_or(Shard::ALL);
    let runs = shard.runs(spec.total_runs());
    if !a.yes {
        confirm_size(&spec, runs.end - runs.start, threads)?;
    }
    // The preamble belongs to the first shard only, so shards concatenate into the whole.
    let preamble = !a.no_header && shard.index == 1;
    emit(a.out.path.as_deref(), |w| {
        let mut rows = match a.format {
            SweepFormat::Csv => Rows::csv(&spec, w, preamble)?,
            SweepFormat::Jsonl => Rows::jsonl(&spec, w),
        };
        let mut bar = Progress::new(runs.end - runs.start, a.progress.forced);
        run_ordered(
            runs,
            threads,
            |i| {
                let run = spec.run(i);
                let summary = report::summary_with(&run.scenario, &run.params, run.scenario.seed)?;
                Ok::<_, Failure>((run, summary))
            },
            |_, (run, summary)| {
                rows.write(&run, &summary)?;
                bar.tick();
                Ok(())
            },
        )
    })
}

/// Above this many runs, `sweep` asks for `--yes`.
const CONFIRM_RUNS: u64 = 1_000_000;
/// Above this many estimated hours, `sweep` asks for `--yes`.
const CONFIRM_HOURS: f64 = 1.0;
/// A rough cost of one resident-year on one core, seconds: a year of a million residents
/// takes about 1.4 s natively (docs/PERFORMANCE.md), with the set-up on top.
const SECONDS_PER_RESIDENT_YEAR: f64 = 1.5e-6;

/// The largest value setting `key` takes in the experiment: its varied values, or `base`.
fn largest(spec: &Spec, key: &str, base: f64) -> f64 {
    spec.axes
        .iter()
        .filter(|a| a.key == key)
        .flat_map(|a| a.values.iter().filter_map(serde_json::Value::as_f64))
        .fold(base, f64::max)
}

/// Stops an experiment whose size was probably not meant (a grid of 10^12 runs starts
/// silently otherwise), naming its runs and a rough time; `--yes` starts it anyway.
fn confirm_size(spec: &Spec, runs: u64, threads: usize) -> Result<(), Failure> {
    let years = largest(spec, "years", f64::from(spec.base.years));
    let population = largest(spec, "population", f64::from(spec.base.population));
    #[allow(clippy::cast_precision_loss, reason = "a rough estimate of hours")]
    let hours = runs as f64 * population * years * SECONDS_PER_RESIDENT_YEAR / threads.max(1) as f64 / 3600.0;
    if runs > CONFIRM_RUNS || hours > CONFIRM_HOURS {
        return Err(Failure::Message(format!(
            "the experiment has {runs} runs, about {hours:.1} hours on {threads} threads at its largest region and horizon; add --yes to start it, or split it with --shard"
        )));
    }
    Ok(())
}

// ---- listings -------------------------------------------------------------------------

fn presets() -> String {
    let mut out = String::new();
    for p in PRESETS {
        let _ = writeln!(out, "{}\n    {}\n", p.name, p.description);
    }
    out
}

fn levers() -> String {
    let mut out = String::new();
    let defaults = Levers::default();
    let _ = writeln!(out, "{:<24} {:<58} {:<16} meaning", "key", "allowed values", "default");
    for spec in LEVERS {
        let unit = if spec.unit.is_empty() || matches!(spec.kind, LeverKind::Share) {
            String::new()
        } else {
            format!(" ({})", spec.unit)
        };
        let allowed = format!("{}{}", spec.kind.allowed(), unit);
        let default = defaults.get(spec.key).unwrap_or_default();
        let _ = writeln!(out, "{:<24} {:<58} {:<16} {}", spec.key, allowed, default, spec.meaning);
    }
    let _ = writeln!(out, "\nsettings (also accepted by --set):");
    for (key, allowed) in consortium_sim::scenario::SETTINGS {
        let _ = writeln!(out, "{key:<24} {allowed}");
    }
    out
}

fn params() -> String {
    let mut out = String::new();
    let d = Params::default();
    let _ = writeln!(out, "{:<32} {:>10} {:>18}  meaning", "key (--param, [params])", "calibrated", "screened range");
    for p in PARAMETERS {
        let range = format!("{}..{}", p.low, p.high);
        let _ = writeln!(out, "{:<32} {:>10} {:>18}  {}", p.key, d.get(p.key).unwrap_or(f64::NAN), range, p.meaning);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that fails half-way (a full disk, a failed run) leaves the file that was there
    /// and nothing beside it; a whole write replaces it.
    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = std::env::temp_dir().join(format!("atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.csv");
        std::fs::write(&path, "old\n").unwrap();
        let failed = write_atomically(&path, |w| {
            w.write_all(b"half of the new")?;
            Err(Failure::Write(io::Error::other("disk full")))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old\n");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no partial file left");
        write_atomically(&path, |w| Ok(w.write_all(b"new\n")?)).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
