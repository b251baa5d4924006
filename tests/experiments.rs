//! Batch experiments from the command line: `sweep` gives the same rows on one core, many
//! cores or as shards concatenated; every row re-runs exactly; bad experiment files get one
//! line naming the file, line and field, exit status 2. And `sensitivity`: OAT is monotone
//! for monotone levers, and Morris output carries its reproducibility record.

mod common;

use common::{cli, ok};
use consortium_sim::experiment::Spec;
use consortium_sim::params::Params;
use consortium_sim::sensitivity::{self, Method, Setup};
use consortium_sim::{MODEL_VERSION, Scenario, report};
use serde_json::Value;
use std::path::PathBuf;

fn file(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("experiments-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// 2 x 3 points x 2 seeds = 12 runs of a small region for one year.
const GRID: &str = r#"
population = 2000
years = 1
replications = 2
seed = 5
outputs = ["primary_visit_share", "downward_referrals_per_1000", "spending_per_capita"]

[levers]
gatekeeping = { values = ["none", "strict"] }
referral_bonus = { from = 0, to = 400, steps = 3 }

[params]
wait_scale = 0.25
"#;

#[test]
fn a_sweep_gives_the_same_rows_on_one_core_many_cores_and_as_shards() {
    let spec = file("grid.toml", GRID);
    let spec = spec.to_str().unwrap();
    let one = ok(&["sweep", "--spec", spec, "--threads", "1"]);
    let many = ok(&["sweep", "--spec", spec, "--threads", "4"]);
    assert_eq!(one, many);
    let lines: Vec<&str> = one.lines().collect();
    assert_eq!(lines.len(), 2 + 12, "comment, header, one row per run");
    assert!(lines[0].starts_with(&format!("# consortium-sim {MODEL_VERSION} sweep {{")), "{}", lines[0]);
    assert!(lines[0].contains("\"wait_scale\":0.25") && lines[0].contains("\"grid\""), "{}", lines[0]);
    assert_eq!(
        lines[1],
        "run,replicate,seed,gatekeeping,referral_bonus,primary_visit_share,downward_referrals_per_1000,spending_per_capita"
    );
    assert!(lines[2].starts_with("0,0,5,none,0.0,"), "{}", lines[2]);
    assert!(lines[13].starts_with("11,1,6,strict,400.0,"), "{}", lines[13]);

    let shards: String = (1..=3).map(|i| ok(&["sweep", "--spec", spec, "--shard", &format!("{i}/3")])).collect();
    assert_eq!(shards, one, "shards concatenated in order are the whole sweep");
    // More shards than runs: some are empty, the concatenation is still exact.
    let shards: String = (1..=13).map(|i| ok(&["sweep", "--spec", spec, "--shard", &format!("{i}/13")])).collect();
    assert_eq!(shards, one);
    let body = ok(&["sweep", "--spec", spec, "--no-header", "--threads", "2"]);
    assert_eq!(body, lines[2..].iter().map(|l| format!("{l}\n")).collect::<String>());

    let jsonl = ok(&["sweep", "--spec", spec, "--format", "jsonl", "--threads", "1"]);
    let sharded: String =
        (1..=2).map(|i| ok(&["sweep", "--spec", spec, "--format", "jsonl", "--shard", &format!("{i}/2")])).collect();
    assert_eq!(sharded, jsonl);
    assert_eq!(jsonl.lines().count(), 12);
}

#[test]
fn every_row_carries_what_it_takes_to_re_run_it_exactly() {
    let spec = file("rerun.toml", GRID);
    let jsonl = ok(&["sweep", "--spec", spec.to_str().unwrap(), "--format", "jsonl"]);
    let csv = ok(&["sweep", "--spec", spec.to_str().unwrap()]);
    let line: Value = serde_json::from_str(jsonl.lines().nth(9).unwrap()).unwrap();
    assert_eq!(line["model_version"], MODEL_VERSION);
    assert_eq!(line["run"], 9);
    assert_eq!(line["seed"], 6);
    assert_eq!(line["varied"]["gatekeeping"], "strict");
    assert_eq!(line["params"]["wait_scale"], 0.25);
    // Re-run it from the line alone, through the library and through `run`.
    let mut scenario = Scenario::from_preset(line["scenario"]["preset"].as_str().unwrap()).unwrap();
    for (k, v) in line["scenario"]["levers"].as_object().unwrap() {
        scenario.set(k, &v.as_str().map_or_else(|| v.to_string(), str::to_string)).unwrap();
    }
    for k in ["population", "years", "seed", "urban_share"] {
        scenario.set(k, &line["scenario"][k].to_string()).unwrap();
    }
    let mut params = Params::default();
    for (k, v) in line["params"].as_object().unwrap() {
        params.set(k, v.as_f64().unwrap()).unwrap();
    }
    let summary = report::summary_with(&scenario, &params, scenario.seed).unwrap();
    let row: Vec<&str> = csv.lines().nth(2 + 9).unwrap().split(',').collect();
    for (i, name) in ["primary_visit_share", "downward_referrals_per_1000", "spending_per_capita"].iter().enumerate() {
        let x = summary.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(line["summary"][name].as_f64().unwrap().to_bits(), x.to_bits(), "{name}");
        assert_eq!(row[5 + i].parse::<f64>().unwrap().to_bits(), x.to_bits(), "{name} in CSV");
    }
    let run = ok(&[
        "run",
        "--population",
        "2000",
        "--years",
        "1",
        "--seed",
        "6",
        "--set",
        "gatekeeping=strict",
        "--set",
        "referral_bonus=400",
        "--param",
        "wait_scale=0.25",
        "--format",
        "json",
    ]);
    let run: Value = serde_json::from_str(&run).unwrap();
    assert_eq!(run["params"]["wait_scale"], 0.25, "run records changed parameters");
    let last: Value = serde_json::from_str(jsonl.lines().nth(11).unwrap()).unwrap();
    assert_eq!(run["summary"]["primary_visit_share"], last["summary"]["primary_visit_share"]);
}

/// A bad experiment or option: exit status 2, nothing on stdout, one line on stderr that
/// contains every string of `expected`.
fn bad_sweep(spec_name: &str, text: &str, extra: &[&str], expected: &[&str]) {
    let path = file(spec_name, text);
    let out = cli(&[&["sweep", "--spec", path.to_str().unwrap()], extra].concat());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{text}: status {:?}, stderr {stderr}", out.status);
    assert!(out.stdout.is_empty(), "{text}: wrote to stdout");
    assert_eq!(stderr.lines().count(), 1, "{text}: one line, got {stderr}");
    for s in expected {
        assert!(stderr.contains(s), "{text}: error lacks {s:?}: {stderr}");
    }
}

#[test]
fn bad_experiment_files_name_the_line_and_the_field() {
    let head = "population = 2000\nyears = 1\n\n[levers]\n";
    bad_sweep(
        "sweep.toml",
        &format!("{head}foo = {{ values = [1, 2] }}\n"),
        &[],
        &["error: sweep.toml line 5: unknown lever 'foo' in [levers]", "allowed keys are", "gatekeeping"],
    );
    bad_sweep(
        "range.toml",
        &format!("{head}info_sharing = {{ values = [0.5, 1.5] }}\n"),
        &[],
        &["range.toml line 5", "'1.5'", "'info_sharing'", "0 to 1"],
    );
    bad_sweep(
        "type.toml",
        &format!("{head}unified_drug_list = {{ values = [\"yes\"] }}\n"),
        &[],
        &["type.toml line 5", "'unified_drug_list'", "true, false"],
    );
    bad_sweep("type2.toml", "population = \"big\"\n", &[], &["type2.toml line 1", "'population'", "1000"]);
    bad_sweep(
        "syntax.toml",
        &format!("{head}gatekeeping = {{ values = [\"none\" }}\n"),
        &[],
        &["syntax.toml line 5", "TOML syntax error"],
    );
    bad_sweep(
        "missing.toml",
        &format!("{head}referral_bonus = {{ }}\n"),
        &[],
        &["missing.toml line 5", "missing values for 'referral_bonus'"],
    );
    bad_sweep(
        "steps.toml",
        &format!("{head}referral_bonus = {{ from = 0, to = 100 }}\n"),
        &[],
        &["steps.toml line 5", "missing field 'steps'"],
    );
    bad_sweep(
        "params.toml",
        "[params]\nbeta_joy = 1\n",
        &[],
        &["params.toml line 2", "unknown parameter 'beta_joy'", "wait_scale"],
    );
    bad_sweep(
        "outputs.toml",
        "years = 1\noutputs = [\"joy\"]\n",
        &[],
        &["outputs.toml line 2", "unknown output 'joy'"],
    );
    bad_sweep(
        "field.toml",
        "years = 1\nseeds = 3\n",
        &[],
        &["field.toml line 2", "unknown field 'seeds'", "replications"],
    );
    bad_sweep(
        "sweep.json",
        "{\n  \"years\": 1,\n  \"levers\": {\n    \"gatekeeping\": {\"values\": [\"none\", \"always\"]}\n  }\n}\n",
        &[],
        &["sweep.json line 4", "'gatekeeping'", "none, soft, strict"],
    );
    bad_sweep(
        "syntax.json",
        "{\n  \"years\": 1\n  \"seed\": 2\n}\n",
        &[],
        &["syntax.json line 3, column", "JSON syntax error"],
    );
    for shard in ["0/3", "4/3", "1", "a/b"] {
        bad_sweep("shard.toml", "years = 1\npopulation = 2000\n", &["--shard", shard], &["'--shard'", "1 <= I <= N"]);
    }
    let out = cli(&["sweep", "--spec", "/no/such/file.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read '--spec' file '/no/such/file.toml'"));
    let out = cli(&["sweep"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'--spec'"));
}

#[test]
fn the_example_experiments_parse() {
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/experiments")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let spec = Spec::parse(&text, name).unwrap_or_else(|e| panic!("{e}"));
        assert!(spec.total_runs() > 0, "{name}");
    }
}

/// A sensitivity set-up of `status_quo` at `population` residents for one year.
fn screening(method: Method, factors: &str, output: &'static str, population: u32, trajectories: u32) -> Setup {
    let mut scenario = Scenario::from_preset("status_quo").unwrap();
    scenario.population = population;
    scenario.years = 1;
    Setup {
        method,
        scenario,
        params: Params::default(),
        factors: sensitivity::select_factors(factors).unwrap(),
        outputs: vec![output],
        trajectories,
        levels: 4,
        replications: 1,
        threads: 2,
        progress: false,
    }
}

fn oat(factor: &str, output: &'static str) -> Vec<f64> {
    let analysis = screening(Method::Oat, factor, output, 5_000, 1).run().unwrap();
    analysis.oat[0][0].1.iter().map(|(_, y)| *y).collect()
}

#[test]
fn oat_is_monotone_for_monotone_levers() {
    let ys = oat("family_doctor_coverage", "primary_visit_share");
    assert_eq!(ys.len(), 4);
    assert!(ys.windows(2).all(|w| w[1] > w[0]), "primary share rises with family-doctor coverage: {ys:?}");
    let ys = oat("premium_per_capita", "insurer_balance_ratio");
    assert!(ys.windows(2).all(|w| w[1] > w[0]), "the balance ratio rises with contributions: {ys:?}");
    let ys = oat("gatekeeping", "primary_visit_share");
    assert_eq!(ys.len(), 3, "one point per choice");
    assert!(ys[2] > ys[0] + 0.02, "strict gatekeeping raises the primary share: {ys:?}");
}

#[test]
fn sensitivity_outputs_carry_their_record_and_rank_factors() {
    let args = [
        "sensitivity",
        "--factors",
        "gatekeeping,wait_scale,referral_bonus",
        "--trajectories",
        "2",
        "--population",
        "2000",
        "--years",
        "1",
        "--output",
        "primary_visit_share",
        "--format",
        "json",
    ];
    let v: Value = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(v["model_version"], MODEL_VERSION);
    assert_eq!(v["method"], "morris");
    assert_eq!(v["seeds"], serde_json::json!([1]));
    assert_eq!(v["runs"], 1 + 2 * 4, "a baseline plus trajectories x (factors + 1)");
    let ranking = v["results"]["primary_visit_share"]["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 3);
    assert_eq!(ranking[0]["factor"], "gatekeeping", "gatekeeping moves visits most");
    let mu: Vec<f64> = ranking.iter().map(|r| r["mu_star"].as_f64().unwrap()).collect();
    assert!(mu.windows(2).all(|w| w[0] >= w[1]), "ranked by mu*: {mu:?}");
    let csv = ok(&[&args[..args.len() - 1], &["csv"]].concat());
    assert!(csv.starts_with(&format!("# consortium-sim {MODEL_VERSION} sensitivity {{")));
    assert_eq!(csv.lines().nth(1), Some("output,rank,factor,kind,low,high,mu_star,mu,sigma"));
    assert_eq!(csv.lines().count(), 2 + 3);
    let again = ok(&[&args[..args.len() - 1], &["csv"]].concat());
    assert_eq!(csv, again, "the same seed gives the same bytes");
    let out = cli(&["sensitivity", "--levels", "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("even whole number"));
    let out = cli(&["sensitivity", "--factors", "joy"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown factor 'joy'"));
}

#[test]
fn morris_table_columns_stay_aligned_after_a_long_choice_list() {
    // payment_method's range lists four choices, longer than the default column.
    let setup = screening(Method::Morris, "payment_method,reimbursement_primary", "primary_visit_share", 2_000, 2);
    let text = setup.run().unwrap().to_text();
    let header = text.lines().position(|l| l.trim_start().starts_with("rank")).expect("a header row");
    let rows: Vec<&str> = text.lines().skip(header).take_while(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 3, "header and two factors:\n{text}");
    assert!(rows.iter().any(|r| r.contains("fee_for_service|global_budget|capitation|drg")), "{text}");
    // Every column is fixed-width and the last one right-aligned, so aligned rows end together.
    let ends: Vec<usize> = rows.iter().map(|r| r.chars().count()).collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "rows end at {ends:?}:\n{text}");
}

#[test]
fn a_csv_field_that_needs_quotes_is_quoted() {
    // The core trims a value before it reads it, so a name written with a line break is a
    // valid choice; written raw, that line break would split the row in two.
    let spec = file(
        "quoted.toml",
        "population = 2000\nyears = 1\noutputs = [\"primary_visit_share\"]\n[levers]\ngatekeeping = { values = [\"strict\\n\", \"none\"] }\n",
    );
    let text = ok(&["sweep", "--spec", spec.to_str().unwrap()]);
    assert!(text.contains("\n0,0,1,\"strict\n\",0."), "{text}");
    let mut reader = csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["run", "replicate", "seed", "gatekeeping", "primary_visit_share"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert_eq!(&rows[0][3], "strict\n");
    assert_eq!(&rows[1][3], "none");
    assert!(rows.iter().all(|r| r[4].parse::<f64>().is_ok()));
    // The same run as a plain `strict` gives the same numbers.
    let plain = file(
        "plain.toml",
        "population = 2000\nyears = 1\noutputs = [\"primary_visit_share\"]\n[levers]\ngatekeeping = { values = [\"strict\"] }\n",
    );
    let plain = ok(&["sweep", "--spec", plain.to_str().unwrap()]);
    assert_eq!(plain.lines().nth(2).unwrap().rsplit(',').next(), Some(&rows[0][4]));
}

#[test]
fn a_forced_progress_bar_goes_to_stderr_as_plain_lines() {
    let spec = file("progress.toml", GRID);
    let quiet = ok(&["sweep", "--spec", spec.to_str().unwrap(), "--threads", "2"]);
    let out = cli(&["sweep", "--spec", spec.to_str().unwrap(), "--threads", "2", "--progress"]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), quiet, "the bar leaves stdout alone");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains(['\r', '\x1b']), "no cursor movement in a file: {stderr:?}");
    let last = stderr.lines().last().unwrap_or_default();
    assert!(last.starts_with(&format!("[{}]", "#".repeat(30))) && last.contains(" 12/12 runs "), "{stderr}");
}
