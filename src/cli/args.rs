//! The commands and options of the command line, declared with clap's derive API: each doc
//! comment is the sentence `--help` prints. How each value is checked is in `values.rs`.

use super::values::{
    Change, Factors, ParamChange, count, factors, file_path, levels, lever_or_setting, output_name, parameter,
    preset_name, setting, shard,
};
use clap::{ArgMatches, Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use consortium_sim::experiment::Shard;
use consortium_sim::params::Params;
use consortium_sim::scenario::SETTINGS;
use consortium_sim::{Scenario, SimError};
use std::fmt::Display;
use std::path::PathBuf;

/// Population of a sensitivity analysis unless `--population` says otherwise.
pub const SENSITIVITY_POPULATION: u32 = 20_000;
/// Years of a sensitivity analysis unless `--years` says otherwise.
pub const SENSITIVITY_YEARS: u32 = 3;

/// An agent-based model of a regional medical consortium in China's tiered care system.
#[derive(Parser, Debug)]
// With no command, one line naming the commands (not the whole help), like any mistake.
#[command(
    name = "consortium-sim",
    version,
    subcommand_required = true,
    arg_required_else_help = false,
    args_override_self = true
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Simulate a scenario: its summary over the last year as JSON, or its daily series as CSV
    Run(RunArgs),
    /// Check the baseline against the stylized facts and the policy directions, over many seeds
    Validate(ValidateArgs),
    /// Rank levers and structural parameters by their influence on outputs (Morris or one at a time)
    Sensitivity(SensitivityArgs),
    /// Run a declarative experiment file on all cores, or one shard of it, a row per run
    Sweep(SweepArgs),
    /// List the presets with what each stands for and its sources
    Presets,
    /// List every lever with its allowed values, default and meaning, then the settings
    Levers,
    /// List the structural parameters with their calibrated values and screened ranges
    Params,
    /// Print a shell completion script, e.g. `consortium-sim completions bash > consortium-sim.bash`
    Completions {
        /// The shell to complete for.
        #[arg(value_name = "SHELL")]
        shell: Shell,
    },
}

/// `run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// Run a scenario file: the JSON `run` prints, or `{"scenario": {...}}` (a page's export).
    /// Options given with it change it, in the order given; its seeds are the replications.
    #[arg(long = "scenario", value_name = "FILE", value_hint = clap::ValueHint::FilePath, value_parser = file_path("--scenario", "a file path (JSON, as `run` prints it)"), conflicts_with = "preset")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    /// What to print: the summary (json) or the daily series of every output (csv).
    #[arg(long, value_enum, default_value_t = RunFormat::Json)]
    pub format: RunFormat,
    #[command(flatten)]
    pub out: OutArg,
}

/// `validate`.
#[derive(Args, Debug)]
pub struct ValidateArgs {
    /// Seeds to run the baseline and each policy with (the same seeds in both arms).
    #[arg(long, value_name = "N", default_value_t = 20, value_parser = count("seeds", 1, 1000))]
    pub seeds: u32,
    #[command(flatten)]
    pub settings: Settings,
    /// How to print: a table, every per-seed value as JSON, or the markdown of docs/VALIDATION.md.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Table)]
    pub format: ValidateFormat,
    #[command(flatten)]
    pub out: OutArg,
}

/// `sensitivity`.
#[derive(Args, Debug)]
#[command(
    mut_arg("population", |a| a.help(setting_help("population", SENSITIVITY_POPULATION))),
    mut_arg("years", |a| a.help(setting_help("years", SENSITIVITY_YEARS))),
)]
pub struct SensitivityArgs {
    /// Morris elementary effects over random trajectories, or one factor at a time.
    #[arg(long, value_enum, default_value_t = MethodArg::Morris)]
    pub method: MethodArg,
    /// An output to rank factors for, or `all`; repeatable [default: primary_visit_share,
    /// downward_referrals_per_1000, spending_per_capita].
    #[arg(long, value_name = "NAME", value_parser = output_name(), hide_possible_values = true)]
    pub output: Vec<String>,
    /// The factors to screen: all, levers, params, or a comma-separated list of keys.
    #[arg(long, value_name = "LIST", default_value = "all", value_parser = factors)]
    pub factors: Factors,
    /// Morris trajectories, each moving every factor once.
    #[arg(long, value_name = "R", default_value_t = 10, value_parser = count("trajectories", 1, 10_000))]
    pub trajectories: u32,
    /// Levels of each factor's range in the Morris grid.
    #[arg(long, value_name = "L", default_value_t = 4, value_parser = levels)]
    pub levels: u32,
    #[command(flatten)]
    pub scenario: ScenarioArgs,
    #[command(flatten)]
    pub threads: ThreadsArg,
    /// How to print: a ranked table, JSON, or long-format CSV.
    #[arg(long, value_enum, default_value_t = SensitivityFormat::Table)]
    pub format: SensitivityFormat,
    #[command(flatten)]
    pub out: OutArg,
    #[command(flatten)]
    pub progress: ProgressArg,
}

/// `sweep`.
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The experiment file: TOML, or JSON by its .json extension (examples in experiments/).
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath, value_parser = file_path("--spec", "a file path (TOML, or JSON by its .json extension)"))]
    pub spec: PathBuf,
    /// How to print each run: a CSV row, or a self-contained JSON line.
    #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
    pub format: SweepFormat,
    #[command(flatten)]
    pub out: OutArg,
    #[command(flatten)]
    pub threads: ThreadsArg,
    /// Run only the I-th of N contiguous blocks of runs; shards concatenated in order are the whole output.
    #[arg(long, value_name = "I/N", value_parser = shard)]
    pub shard: Option<Shard>,
    /// Leave out the CSV preamble (the `#` record line and the header).
    #[arg(long)]
    pub no_header: bool,
    /// Start an experiment that is large (over a million runs, or over an hour by a rough
    /// estimate); without it such an experiment prints its size and stops.
    #[arg(long)]
    pub yes: bool,
    #[command(flatten)]
    pub progress: ProgressArg,
}

/// What to simulate: a preset, changes to it, and how many seeds.
#[derive(Args, Debug)]
pub struct ScenarioArgs {
    /// The preset to start from (`consortium-sim presets` explains them); --set overrides it
    /// whatever the order.
    #[arg(long, value_name = "NAME", default_value = "status_quo", value_parser = preset_name())]
    pub preset: String,
    /// Set a lever or setting, e.g. `--set gatekeeping=strict`; repeatable (`consortium-sim
    /// levers` lists them).
    #[arg(long, value_name = "KEY=VALUE", value_parser = lever_or_setting)]
    pub set: Vec<Change>,
    /// Change a structural parameter, e.g. `--param wait_scale=0.3`; repeatable
    /// (`consortium-sim params` lists them).
    #[arg(long, value_name = "KEY=VALUE", value_parser = parameter)]
    pub param: Vec<ParamChange>,
    #[command(flatten)]
    pub settings: Settings,
    /// Replicates with consecutive seeds; a summary is their mean.
    #[arg(long, value_name = "K", default_value_t = 1, value_parser = count("replications", 1, 1000))]
    pub replications: u32,
}

/// The settings with options of their own. `--set` sets them too; the later one given wins.
#[derive(Args, Debug)]
pub struct Settings {
    #[arg(long, value_name = "N", help = setting_help("population", Scenario::default().population), value_parser = setting("population"), allow_negative_numbers = true)]
    pub population: Option<Change>,
    #[arg(long, value_name = "Y", help = setting_help("years", Scenario::default().years), value_parser = setting("years"), allow_negative_numbers = true)]
    pub years: Option<Change>,
    #[arg(long, value_name = "S", help = setting_help("seed", Scenario::default().seed), value_parser = setting("seed"), allow_negative_numbers = true)]
    pub seed: Option<Change>,
}

/// `--out`.
#[derive(Args, Debug)]
pub struct OutArg {
    /// Write to FILE instead of standard output.
    #[arg(long = "out", value_name = "FILE", value_hint = clap::ValueHint::FilePath, value_parser = file_path("--out", "a file path"))]
    pub path: Option<PathBuf>,
}

/// `--threads`.
#[derive(Args, Debug)]
pub struct ThreadsArg {
    /// Worker threads [default: every core, fewer when the regions would not fit in about 8 GiB].
    #[arg(long = "threads", value_name = "T", value_parser = count("threads", 1, 1024))]
    pub count: Option<u32>,
}

/// `--progress`.
#[derive(Args, Debug)]
pub struct ProgressArg {
    /// Draw a progress bar on stderr even when stderr is not a terminal (it is drawn on a terminal anyway).
    #[arg(long = "progress")]
    pub forced: bool,
}

/// `run --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunFormat {
    /// One JSON object: the scenario, the seeds, the summary and each replicate's summary.
    Json,
    /// The daily series of every output, one row per seed and day.
    Csv,
}

/// `validate --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidateFormat {
    /// Facts and policy effects with pass or fail.
    Table,
    /// Every per-seed value.
    Json,
    /// The document docs/VALIDATION.md.
    Markdown,
}

/// `sensitivity --method`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodArg {
    /// Morris elementary effects (mu*, mu, sigma).
    Morris,
    /// One factor at a time over its range, the others at their baseline.
    Oat,
}

/// `sensitivity --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SensitivityFormat {
    /// Factors ranked per output.
    Table,
    /// The record and every effect.
    Json,
    /// One row per output and factor.
    Csv,
}

/// `sweep --format`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepFormat {
    /// A `#` record line, a header, then a row per run.
    Csv,
    /// A self-contained JSON object per run.
    Jsonl,
}

impl ScenarioArgs {
    /// The scenario: the preset, then `--set`, `--population`, `--years` and `--seed` in the
    /// order given (so the later of two changes to one key wins), after `defaults`.
    pub fn scenario(&self, matches: &ArgMatches, defaults: impl FnOnce(&mut Scenario)) -> Result<Scenario, SimError> {
        let mut scenario = Scenario::from_preset(&self.preset)?;
        defaults(&mut scenario);
        self.change(&mut scenario, matches)?;
        Ok(scenario)
    }

    /// Applies `--set`, `--population`, `--years` and `--seed` to `scenario` in the order
    /// given (a scenario file's scenario, for `run --scenario`).
    pub fn change(&self, scenario: &mut Scenario, matches: &ArgMatches) -> Result<(), SimError> {
        for change in changes_in_order(matches) {
            scenario.set(&change.key, &change.value)?;
        }
        Ok(())
    }

    /// The structural parameters: the calibrated set with every `--param` applied.
    pub fn params(&self) -> Result<Params, SimError> {
        self.change_params(Params::default())
    }

    /// `params` with every `--param` applied.
    pub fn change_params(&self, mut params: Params) -> Result<Params, SimError> {
        for p in &self.param {
            params.set(&p.key, p.value)?;
        }
        Ok(params)
    }

    /// `--replications` if it was given, else `otherwise` (a scenario file's seeds).
    pub fn replications_or(&self, matches: &ArgMatches, otherwise: Option<u32>) -> u32 {
        let given = matches.value_source("replications") == Some(clap::parser::ValueSource::CommandLine);
        if given { self.replications } else { otherwise.unwrap_or(self.replications) }
    }
}

impl Settings {
    /// Applies `--population`, `--years` and `--seed` (three different keys, so in any order).
    pub fn apply(&self, scenario: &mut Scenario) -> Result<(), SimError> {
        for change in [&self.population, &self.years, &self.seed].into_iter().flatten() {
            scenario.set(&change.key, &change.value)?;
        }
        Ok(())
    }
}

/// The scenario changes of a command line in the order they were given.
fn changes_in_order(matches: &ArgMatches) -> Vec<Change> {
    let mut all: Vec<(usize, Change)> = Vec::new();
    for id in ["set", "population", "years", "seed"] {
        if let (Ok(Some(values)), Some(indices)) = (matches.try_get_many::<Change>(id), matches.indices_of(id)) {
            all.extend(indices.zip(values.cloned()));
        }
    }
    all.sort_by_key(|(i, _)| *i);
    all.into_iter().map(|(_, c)| c).collect()
}

/// `"<what>: <allowed> [default: <default>]"` for a setting, with the core's allowed values.
fn setting_help(key: &str, default: impl Display) -> String {
    let what = match key {
        "population" => "Residents of the region",
        "years" => "Years simulated; summaries cover the last one",
        _ => "Seed of the first replicate; replicate k uses seed S + k",
    };
    let allowed = SETTINGS.iter().find(|(k, _)| *k == key).map_or("", |(_, a)| a);
    format!("{what}: {allowed} [default: {default}]")
}
