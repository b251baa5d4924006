//! The `consortium-sim` command line: a thin layer over the library.
//!
//! `run` simulates a scenario and prints JSON or CSV; `validate` checks the baseline and the
//! policy directions over many seeds; `sensitivity` ranks levers and assumptions by their
//! influence; `sweep` runs a declarative experiment file on all cores, or one shard of it;
//! `presets` and `levers` list what can be chosen. Bad input prints one line naming the key
//! and its allowed values, exit status 2.

use consortium_sim::experiment::{Progress, Rows, Shard, Spec, run_ordered};
use consortium_sim::levers::LeverKind;
use consortium_sim::params::{PARAMETERS, Params};
use consortium_sim::sensitivity::{self, Method};
use consortium_sim::{LEVERS, Levers, PRESETS, Scenario, SimError, metrics, report, validation};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: consortium-sim run [--preset NAME] [--set KEY=VALUE]... [--param KEY=VALUE]... [--population N] [--years Y] [--seed S] [--replications K] [--format json|csv] [--out FILE]
       consortium-sim validate [--seeds N] [--seed S] [--population N] [--years Y] [--format table|json|markdown] [--out FILE]
       consortium-sim sensitivity [--method morris|oat] [--output NAME]... [--factors all|levers|params|KEY,KEY...] [--trajectories R] [--levels L] [--preset NAME] [--set KEY=VALUE]... [--param KEY=VALUE]... [--population N] [--years Y] [--seed S] [--replications K] [--threads T] [--format table|json|csv] [--out FILE] [--progress]
       consortium-sim sweep --spec FILE [--format csv|jsonl] [--out FILE] [--threads T] [--shard I/N] [--no-header] [--progress]
       consortium-sim presets
       consortium-sim levers
       consortium-sim params";

const COMMANDS: &str = "run, validate, sensitivity, sweep, presets, levers, params";

/// A command-line mistake or failure, printed as one line.
#[derive(Debug)]
struct Failure(String);

impl From<SimError> for Failure {
    fn from(e: SimError) -> Self {
        Failure(e.to_string())
    }
}

/// Runs the command line; the exit status is 2 for bad input.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match dispatch(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(args: &[String]) -> Result<(), Failure> {
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("validate") => validate(&args[1..]),
        Some("sensitivity") => sensitivity(&args[1..]),
        Some("sweep") => sweep(&args[1..]),
        Some("presets") => no_options(&args[1..]).map(|()| print_presets()),
        Some("levers") => no_options(&args[1..]).map(|()| print_levers()),
        Some("params") => no_options(&args[1..]).map(|()| print_params()),
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some("--version" | "-V") => {
            println!("consortium-sim {}", consortium_sim::MODEL_VERSION);
            Ok(())
        }
        Some(other) => Err(Failure(format!("unknown command '{other}': allowed commands are {COMMANDS}"))),
        None => Err(Failure(format!("missing command: allowed commands are {COMMANDS} (see --help)"))),
    }
}

fn no_options(rest: &[String]) -> Result<(), Failure> {
    match rest.first() {
        None => Ok(()),
        Some(x) => Err(Failure(format!("unexpected argument '{x}': this command takes no options"))),
    }
}

/// The options of one command, walked in order. Every option takes a value except the
/// listed switches.
struct Options<'a> {
    args: &'a [String],
    i: usize,
    allowed: &'static [&'static str],
    switches: &'static [&'static str],
}

impl<'a> Options<'a> {
    fn new(args: &'a [String], allowed: &'static [&'static str], switches: &'static [&'static str]) -> Self {
        Options { args, i: 0, allowed, switches }
    }

    /// The next option and its value (empty for a switch), or an error for an unknown one.
    fn next(&mut self) -> Option<Result<(&'a str, &'a str), Failure>> {
        let flag = self.args.get(self.i)?.as_str();
        if self.switches.contains(&flag) {
            self.i += 1;
            return Some(Ok((flag, "")));
        }
        if !self.allowed.contains(&flag) {
            let all: Vec<&str> = self.allowed.iter().chain(self.switches).copied().collect();
            return Some(Err(Failure(format!("unknown option '{flag}': allowed options are {}", all.join(", ")))));
        }
        let v = value(self.args, self.i);
        self.i += 2;
        Some(v.map(|v| (flag, v)))
    }

    /// The value of `option` wherever it is, for options that must be read first.
    fn find(&self, option: &str) -> Result<Option<&'a str>, Failure> {
        let mut found = None;
        let mut i = 0;
        while i < self.args.len() {
            if self.switches.contains(&self.args[i].as_str()) {
                i += 1;
                continue;
            }
            if self.args[i] == option {
                found = Some(value(self.args, i)?);
            }
            i += 2;
        }
        Ok(found)
    }
}

fn value(args: &[String], i: usize) -> Result<&str, Failure> {
    args.get(i + 1).map(String::as_str).ok_or_else(|| {
        let option = args[i].as_str();
        let allowed = match option {
            "--preset" => PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
            "--set" => "KEY=VALUE with a lever or setting key".to_string(),
            "--param" => format!("KEY=VALUE with a parameter key ({})", param_keys()),
            "--replications" => "a whole number from 1 to 1000".to_string(),
            "--seeds" => "a whole number from 1 to 1000".to_string(),
            "--format" => {
                "json, csv (run); table, json, markdown (validate); table, json, csv (sensitivity); csv, jsonl (sweep)"
                    .to_string()
            }
            "--out" | "--spec" => "a file path".to_string(),
            "--method" => "morris, oat".to_string(),
            "--output" => format!("all, {}", metrics::output_names().collect::<Vec<_>>().join(", ")),
            "--factors" => "all, levers, params, or a comma-separated list of lever and parameter keys".to_string(),
            "--trajectories" => "a whole number from 1 to 10000".to_string(),
            "--levels" => "an even whole number from 2 to 20".to_string(),
            "--threads" => "a whole number from 1 to 1024".to_string(),
            "--shard" => "I/N with 1 <= I <= N".to_string(),
            _ => consortium_sim::scenario::SETTINGS
                .iter()
                .find(|(k, _)| option.strip_prefix("--") == Some(k))
                .map_or_else(String::new, |(_, a)| a.to_string()),
        };
        Failure(format!("missing value for '{option}': allowed values are {allowed}"))
    })
}

fn param_keys() -> String {
    PARAMETERS.iter().map(|p| p.key).collect::<Vec<_>>().join(", ")
}

fn whole(key: &str, text: &str, low: u64, high: u64) -> Result<u64, Failure> {
    text.parse::<u64>()
        .ok()
        .filter(|k| (low..=high).contains(k))
        .ok_or_else(|| SimError::invalid(key, text, format!("a whole number from {low} to {high}")).into())
}

fn key_value<'a>(option: &str, pair: &'a str, what: &str) -> Result<(&'a str, &'a str), Failure> {
    pair.split_once('=').map(|(k, v)| (k.trim(), v)).ok_or_else(|| {
        Failure(format!("invalid value '{pair}' for '{option}': allowed values are KEY=VALUE with a {what} key"))
    })
}

fn set_param(params: &mut Params, pair: &str) -> Result<(), Failure> {
    let (key, text) = key_value("--param", pair, "parameter")?;
    let spec = consortium_sim::params::param_spec(key)?;
    let x = text.trim().parse::<f64>().map_err(|_| SimError::invalid(key, text, spec.allowed()))?;
    Ok(params.set(key, x)?)
}

/// Writes `text` to `--out` or stdout; a reader that stops early (`| head`) is not an error.
fn emit(out: Option<&str>, text: &str) -> Result<(), Failure> {
    match out {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| Failure(format!("cannot write '--out' file '{path}': {e}")))
        }
        None => match std::io::stdout().write_all(text.as_bytes()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure(format!("cannot write output: {e}"))),
            _ => Ok(()),
        },
    }
}

/// Streams CSV to `--out` or stdout; a reader that stops early (`| head`) is not an error.
fn stream(out: Option<&str>, write: impl FnOnce(&mut dyn Write) -> csv::Result<()>) -> Result<(), Failure> {
    let io = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    };
    match out {
        Some(path) => std::fs::File::create(path)
            .and_then(|f| {
                let mut w = std::io::BufWriter::new(f);
                write(&mut w).map_err(io)?;
                w.flush()
            })
            .map_err(|e| Failure(format!("cannot write '--out' file '{path}': {e}"))),
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut w).map_err(io).and_then(|()| w.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Failure(format!("cannot write output: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}

fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON serialises");
    s.push('\n');
    s
}

fn threads_for(population: u32) -> usize {
    // Each run holds a region in memory (about 100 bytes per resident with its history), so
    // concurrency is also capped by a memory budget of about 8 GiB.
    let by_memory = (8_000_000_000 / (u64::from(population) * 100).max(1)).max(1) as usize;
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(by_memory)
}

// ---- run ------------------------------------------------------------------------------

const RUN_OPTIONS: &[&str] =
    &["--preset", "--set", "--param", "--population", "--years", "--seed", "--replications", "--format", "--out"];

fn run(args: &[String]) -> Result<(), Failure> {
    let mut opts = Options::new(args, RUN_OPTIONS, &[]);
    // The preset comes first whatever its position, so --set always overrides it.
    let mut scenario = Scenario::from_preset(opts.find("--preset")?.unwrap_or("status_quo"))?;
    let mut params = Params::default();
    let (mut replications, mut csv, mut out) = (1, false, None);
    while let Some(next) = opts.next() {
        let (flag, v) = next?;
        match flag {
            "--set" => {
                let (key, val) = key_value("--set", v, "lever or setting")?;
                scenario.set(key, val)?;
            }
            "--param" => set_param(&mut params, v)?,
            "--population" | "--years" | "--seed" => scenario.set(&flag[2..], v)?,
            "--replications" => replications = whole("replications", v, 1, 1000)? as u32,
            "--format" => {
                csv = match v {
                    "json" => false,
                    "csv" => true,
                    other => return Err(SimError::invalid("format", other, "json, csv").into()),
                }
            }
            "--out" => out = Some(v),
            _ => {}
        }
    }
    let result = report::run_with_params(&scenario, &params, replications)?;
    if csv {
        return stream(out, |w| result.write_csv(w));
    }
    emit(out, &pretty(&result.to_json()))
}

// ---- validate -------------------------------------------------------------------------

const VALIDATE_OPTIONS: &[&str] = &["--seeds", "--seed", "--population", "--years", "--format", "--out"];

fn validate(args: &[String]) -> Result<(), Failure> {
    let mut opts = Options::new(args, VALIDATE_OPTIONS, &[]);
    let mut scenario = Scenario::from_preset("status_quo")?;
    let (mut seeds, mut format, mut out) = (20, "table", None);
    while let Some(next) = opts.next() {
        let (flag, v) = next?;
        match flag {
            "--seeds" => seeds = whole("seeds", v, 1, 1000)? as u32,
            "--population" | "--years" | "--seed" => scenario.set(&flag[2..], v)?,
            "--format" => {
                format = match v {
                    "table" | "json" | "markdown" => v,
                    other => return Err(SimError::invalid("format", other, "table, json, markdown").into()),
                }
            }
            "--out" => out = Some(v),
            _ => {}
        }
    }
    let result = validation::validate(&scenario, seeds)?;
    let text = match format {
        "json" => pretty(&result.to_json()),
        "markdown" => {
            let shown: Vec<&str> = args.iter().map(String::as_str).collect();
            result.to_markdown(&format!("consortium-sim validate {}", shown.join(" ")))
        }
        _ => result.to_text(),
    };
    emit(out, &text)
}

// ---- sensitivity ----------------------------------------------------------------------

const SENSITIVITY_OPTIONS: &[&str] = &[
    "--method",
    "--output",
    "--factors",
    "--trajectories",
    "--levels",
    "--preset",
    "--set",
    "--param",
    "--population",
    "--years",
    "--seed",
    "--replications",
    "--threads",
    "--format",
    "--out",
];

/// The outputs ranked when none is named.
const DEFAULT_SENSITIVITY_OUTPUTS: &[&str] =
    &["primary_visit_share", "downward_referrals_per_1000", "spending_per_capita"];

fn sensitivity(args: &[String]) -> Result<(), Failure> {
    let mut opts = Options::new(args, SENSITIVITY_OPTIONS, &["--progress"]);
    let mut scenario = Scenario::from_preset(opts.find("--preset")?.unwrap_or("status_quo"))?;
    scenario.population = 20_000;
    scenario.years = 3;
    let mut setup = sensitivity::Setup {
        method: Method::Morris,
        scenario,
        params: Params::default(),
        factors: sensitivity::all_factors(),
        outputs: Vec::new(),
        trajectories: 10,
        levels: 4,
        replications: 1,
        threads: 0,
        progress: false,
    };
    let (mut format, mut out, mut threads) = ("table", None, None);
    while let Some(next) = opts.next() {
        let (flag, v) = next?;
        match flag {
            "--method" => {
                setup.method = match v {
                    "morris" => Method::Morris,
                    "oat" => Method::Oat,
                    other => return Err(SimError::invalid("method", other, "morris, oat").into()),
                }
            }
            "--output" if v == "all" => setup.outputs.extend(metrics::output_names()),
            "--output" => {
                let name = metrics::output_names().find(|n| *n == v).ok_or_else(|| SimError::UnknownKey {
                    key: v.to_string(),
                    kind: "output",
                    allowed: format!("all, {}", metrics::output_names().collect::<Vec<_>>().join(", ")),
                })?;
                setup.outputs.push(name);
            }
            "--factors" => setup.factors = sensitivity::select_factors(v)?,
            "--trajectories" => setup.trajectories = whole("trajectories", v, 1, 10_000)? as u32,
            "--levels" => {
                setup.levels = v
                    .parse::<u32>()
                    .ok()
                    .filter(|l| (2..=20).contains(l) && l.is_multiple_of(2))
                    .ok_or_else(|| SimError::invalid("levels", v, "an even whole number from 2 to 20"))?
            }
            "--set" => {
                let (key, val) = key_value("--set", v, "lever or setting")?;
                setup.scenario.set(key, val)?;
            }
            "--param" => set_param(&mut setup.params, v)?,
            "--population" | "--years" | "--seed" => setup.scenario.set(&flag[2..], v)?,
            "--replications" => setup.replications = whole("replications", v, 1, 1000)? as u32,
            "--threads" => threads = Some(whole("threads", v, 1, 1024)? as usize),
            "--format" => {
                format = match v {
                    "table" | "json" | "csv" => v,
                    other => return Err(SimError::invalid("format", other, "table, json, csv").into()),
                }
            }
            "--out" => out = Some(v),
            "--progress" => setup.progress = true,
            _ => {}
        }
    }
    if setup.outputs.is_empty() {
        setup.outputs = DEFAULT_SENSITIVITY_OUTPUTS.to_vec();
    }
    setup.threads = threads.unwrap_or_else(|| threads_for(setup.scenario.population));
    let analysis = setup.run()?;
    let text = match format {
        "json" => pretty(&analysis.to_json()),
        "csv" => analysis.to_csv(),
        _ => analysis.to_text(),
    };
    emit(out, &text)
}

// ---- sweep ----------------------------------------------------------------------------

const SWEEP_OPTIONS: &[&str] = &["--spec", "--format", "--out", "--threads", "--shard"];

fn sweep(args: &[String]) -> Result<(), Failure> {
    let mut opts = Options::new(args, SWEEP_OPTIONS, &["--no-header", "--progress"]);
    let (mut path, mut jsonl, mut out, mut threads) = (None, false, None, None);
    let (mut shard, mut header, mut progress) = (Shard::ALL, true, false);
    while let Some(next) = opts.next() {
        let (flag, v) = next?;
        match flag {
            "--spec" => path = Some(v),
            "--format" => {
                jsonl = match v {
                    "csv" => false,
                    "jsonl" => true,
                    other => return Err(SimError::invalid("format", other, "csv, jsonl").into()),
                }
            }
            "--out" => out = Some(v),
            "--threads" => threads = Some(whole("threads", v, 1, 1024)? as usize),
            "--shard" => shard = Shard::parse(v).map_err(Failure)?,
            "--no-header" => header = false,
            "--progress" => progress = true,
            _ => {}
        }
    }
    let path = path.ok_or_else(|| {
        Failure("missing option '--spec': allowed values are a file path (TOML, or JSON by its .json extension)".into())
    })?;
    let text =
        std::fs::read_to_string(path).map_err(|e| Failure(format!("cannot read '--spec' file '{path}': {e}")))?;
    let name = std::path::Path::new(path).file_name().map_or(path.to_string(), |n| n.to_string_lossy().into_owned());
    let spec = Spec::parse(&text, &name).map_err(|e| Failure(e.to_string()))?;
    let largest = spec
        .axes
        .iter()
        .filter(|a| a.key == "population")
        .flat_map(|a| a.values.iter().filter_map(serde_json::Value::as_u64))
        .max()
        .map_or(spec.base.population, |p| (p as u32).max(spec.base.population));
    let threads = threads.unwrap_or_else(|| threads_for(largest));
    let runs = shard.runs(spec.total_runs());

    let sink: Box<dyn Write> = match out {
        Some(p) => {
            Box::new(std::fs::File::create(p).map_err(|e| Failure(format!("cannot write '--out' file '{p}': {e}")))?)
        }
        None => Box::new(std::io::stdout().lock()),
    };
    // The preamble belongs to the first shard only, so shards concatenate into the whole.
    let preamble = header && shard.index == 1;
    let mut rows =
        if jsonl { Rows::jsonl(&spec, sink) } else { Rows::csv(&spec, sink, preamble).map_err(csv_failure)? };
    let mut bar = Progress::new(runs.end - runs.start, progress);
    let result = run_ordered(
        runs,
        threads,
        |i| {
            let run = spec.run(i);
            let summary = report::summary_with(&run.scenario, &run.params, run.scenario.seed)?;
            Ok::<_, Failure>((run, summary))
        },
        |_, (run, summary)| {
            rows.write(&run, &summary).map_err(csv_failure)?;
            bar.tick();
            Ok(())
        },
    );
    match result {
        Err(Failure(m)) if m.is_empty() => Ok(()),
        other => other,
    }
}

/// A failed write as a failure; a reader that stops early (`| head`) ends the sweep quietly:
/// an empty failure.
fn csv_failure(e: csv::Error) -> Failure {
    match e.into_kind() {
        csv::ErrorKind::Io(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Failure(String::new()),
        csv::ErrorKind::Io(e) => Failure(format!("cannot write output: {e}")),
        other => Failure(format!("cannot write output: {other:?}")),
    }
}

// ---- listings -------------------------------------------------------------------------

fn print_presets() {
    for p in PRESETS {
        println!("{}\n    {}\n", p.name, p.description);
    }
}

fn print_levers() {
    let defaults = Levers::default();
    println!("{:<24} {:<58} {:<16} meaning", "key", "allowed values", "default");
    for spec in LEVERS {
        let unit = if spec.unit.is_empty() || matches!(spec.kind, LeverKind::Share) {
            String::new()
        } else {
            format!(" ({})", spec.unit)
        };
        let allowed = format!("{}{}", spec.kind.allowed(), unit);
        let default = defaults.get(spec.key).unwrap_or_default();
        println!("{:<24} {:<58} {:<16} {}", spec.key, allowed, default, spec.meaning);
    }
    println!("\nsettings (also accepted by --set):");
    for (key, allowed) in consortium_sim::scenario::SETTINGS {
        println!("{key:<24} {allowed}");
    }
}

fn print_params() {
    let d = Params::default();
    println!("{:<32} {:>10} {:>18}  meaning", "key (--param, [params])", "calibrated", "screened range");
    for p in PARAMETERS {
        let range = format!("{}..{}", p.low, p.high);
        println!("{:<32} {:>10} {:>18}  {}", p.key, d.get(p.key).unwrap_or(f64::NAN), range, p.meaning);
    }
}
