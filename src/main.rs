//! The `consortium-sim` command line: a thin layer over the library.
//!
//! `run` simulates a scenario and prints JSON or CSV; `presets` and `levers` list what can
//! be chosen. Bad input prints one line naming the key and its allowed values, exit status 2.

use consortium_sim::levers::LeverKind;
use consortium_sim::{LEVERS, Levers, PRESETS, Scenario, SimError, report};
use std::io::Write;
use std::process::ExitCode;

const USAGE: &str = "usage: consortium-sim run [--preset NAME] [--set KEY=VALUE]... [--population N] [--years Y] [--seed S] [--replications K] [--format json|csv] [--out FILE]
       consortium-sim presets
       consortium-sim levers";

/// A command-line mistake or failure, printed as one line.
struct Failure(String);

impl From<SimError> for Failure {
    fn from(e: SimError) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
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
        Some("presets") => no_options(&args[1..]).map(|()| print_presets()),
        Some("levers") => no_options(&args[1..]).map(|()| print_levers()),
        Some("--help" | "-h" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some("--version" | "-V") => {
            println!("consortium-sim {}", consortium_sim::MODEL_VERSION);
            Ok(())
        }
        Some(other) => Err(Failure(format!("unknown command '{other}': allowed commands are run, presets, levers"))),
        None => Err(Failure("missing command: allowed commands are run, presets, levers (see --help)".into())),
    }
}

fn no_options(rest: &[String]) -> Result<(), Failure> {
    match rest.first() {
        None => Ok(()),
        Some(x) => Err(Failure(format!("unexpected argument '{x}': this command takes no options"))),
    }
}

struct RunOptions {
    scenario: Scenario,
    replications: u32,
    csv: bool,
    out: Option<String>,
}

fn parse_run(args: &[String]) -> Result<RunOptions, Failure> {
    // The preset comes first whatever its position, so --set always overrides it.
    let mut preset = "status_quo".to_string();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--preset" {
            preset = value(args, i)?.to_string();
        }
        i += 1;
    }
    let mut opts = RunOptions { scenario: Scenario::from_preset(&preset)?, replications: 1, csv: false, out: None };
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        match flag {
            "--preset" => {}
            "--set" => {
                let pair = value(args, i)?;
                let (key, val) = pair.split_once('=').ok_or_else(|| {
                    Failure(format!(
                        "invalid value '{pair}' for '--set': allowed values are KEY=VALUE with a lever or setting key"
                    ))
                })?;
                opts.scenario.set(key.trim(), val)?;
            }
            "--population" | "--years" | "--seed" => opts.scenario.set(&flag[2..], value(args, i)?)?,
            "--replications" => {
                let v = value(args, i)?;
                opts.replications = v
                    .parse::<u32>()
                    .ok()
                    .filter(|k| (1..=1000).contains(k))
                    .ok_or_else(|| SimError::invalid("replications", v, "a whole number from 1 to 1000"))?;
            }
            "--format" => {
                opts.csv = match value(args, i)? {
                    "json" => false,
                    "csv" => true,
                    other => return Err(SimError::invalid("format", other, "json, csv").into()),
                }
            }
            "--out" => opts.out = Some(value(args, i)?.to_string()),
            other => {
                return Err(Failure(format!(
                    "unknown option '{other}': allowed options are --preset, --set, --population, --years, --seed, --replications, --format, --out"
                )));
            }
        }
        i += 2;
    }
    Ok(opts)
}

fn value(args: &[String], i: usize) -> Result<&str, Failure> {
    args.get(i + 1).map(String::as_str).ok_or_else(|| {
        let option = args[i].as_str();
        let allowed = match option {
            "--preset" => PRESETS.iter().map(|p| p.name).collect::<Vec<_>>().join(", "),
            "--set" => "KEY=VALUE with a lever or setting key".to_string(),
            "--replications" => "a whole number from 1 to 1000".to_string(),
            "--format" => "json, csv".to_string(),
            "--out" => "a file path".to_string(),
            _ => consortium_sim::scenario::SETTINGS
                .iter()
                .find(|(k, _)| option.strip_prefix("--") == Some(k))
                .map_or_else(String::new, |(_, a)| a.to_string()),
        };
        Failure(format!("missing value for '{option}': allowed values are {allowed}"))
    })
}

fn run(args: &[String]) -> Result<(), Failure> {
    let opts = parse_run(args)?;
    let result = report::run(&opts.scenario, opts.replications)?;
    let text = if opts.csv {
        result.to_csv()
    } else {
        let mut s = serde_json::to_string_pretty(&result.to_json()).expect("report serialises");
        s.push('\n');
        s
    };
    match &opts.out {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| Failure(format!("cannot write '--out' file '{path}': {e}")))
        }
        None => match std::io::stdout().write_all(text.as_bytes()) {
            // A reader that stops early (`| head`) is not an error.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure(format!("cannot write output: {e}"))),
            _ => Ok(()),
        },
    }
}

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
