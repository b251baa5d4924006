//! The command line as a contract (`shared/MODEL-BRIEF.md`, "Command line"): the built
//! binary is run as a user would run it, and its stdout, stderr and exit status checked.

mod common;

use common::{BRIEF_LEVERS, BRIEF_OUTPUTS, BRIEF_PRESETS, BRIEF_SETTINGS, cli, ok};
use consortium_sim::{Levers, MODEL_VERSION, OUTPUTS, Scenario, Simulation};
use serde_json::Value;
use std::path::PathBuf;

/// Runs `run ARGS... --format json` and parses stdout, which must be exactly one JSON object.
fn json(args: &[&str]) -> Value {
    let text = ok(&[&["run"], args, &["--format", "json"]].concat());
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("stdout is not one JSON value: {e}\n{text}"));
    assert!(v.is_object(), "stdout is not a JSON object");
    v
}

/// A lever's resolved value in the JSON `scenario`, as the text `Levers::get` gives.
fn lever_in(scenario: &Value, key: &str) -> String {
    let v = scenario.get(key).or_else(|| scenario.get("levers").and_then(|l| l.get(key)));
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => panic!("scenario lacks lever '{key}': {scenario}"),
    }
}

fn num(v: &Value, path: &str) -> f64 {
    v.pointer(path).and_then(Value::as_f64).unwrap_or_else(|| panic!("{path} is not a number"))
}

fn tmp_file(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn json_has_every_field_of_the_contract() {
    let text = ok(&["run", "--preset", "status_quo", "--format", "json", "--population", "20000", "--years", "1"]);
    let v: Value = serde_json::from_str(&text).expect("stdout is exactly one JSON value");
    assert!(v.is_object());
    for key in ["model_version", "scenario", "seeds", "summary", "replicates"] {
        assert!(v.get(key).is_some(), "JSON lacks '{key}'");
    }
    assert_eq!(v["model_version"], MODEL_VERSION);
    assert_eq!(v["model_version"], env!("CARGO_PKG_VERSION"));

    // The scenario: preset, every lever as resolved, every setting.
    let scenario = &v["scenario"];
    assert_eq!(scenario["preset"], "status_quo");
    let defaults = Levers::default();
    for (key, _) in BRIEF_LEVERS {
        assert_eq!(lever_in(scenario, key), defaults.get(key).unwrap(), "lever '{key}'");
    }
    for key in BRIEF_SETTINGS {
        assert!(scenario.get(*key).is_some_and(Value::is_number), "scenario lacks setting '{key}'");
    }
    assert_eq!(scenario["population"], 20000);
    assert_eq!(scenario["years"], 1);
    assert_eq!(num(scenario, "/urban_share"), 0.6);
    let seed = scenario["seed"].as_u64().expect("seed is a whole number");
    assert_eq!(v["seeds"], serde_json::json!([seed]));

    // The summary: every output of the brief, as a finite number; nothing else is missing.
    let summary = v["summary"].as_object().expect("summary is an object");
    for name in BRIEF_OUTPUTS {
        let x = summary.get(*name).and_then(Value::as_f64).unwrap_or_else(|| panic!("summary lacks '{name}'"));
        assert!(x.is_finite(), "{name} = {x}");
    }
    let names: Vec<&str> = summary.keys().map(String::as_str).collect();
    let outputs: Vec<&str> = OUTPUTS.iter().map(|o| o.name).collect();
    assert_eq!(names, outputs, "summary keys, in order");

    // One replicate, whose summary is the summary, and which the library reproduces.
    let replicates = v["replicates"].as_array().expect("replicates is an array");
    assert_eq!(replicates.len(), 1);
    assert_eq!(replicates[0]["seed"], seed);
    assert_eq!(replicates[0]["summary"], v["summary"]);
    let mut s = Scenario::from_preset("status_quo").unwrap();
    s.population = 20_000;
    s.years = 1;
    s.seed = seed;
    let mut sim = Simulation::new(s).unwrap();
    sim.run();
    let printed = raw_summary(&text);
    assert_eq!(printed.len(), OUTPUTS.len());
    for ((name, x), (printed_name, y)) in sim.summary().into_iter().zip(printed) {
        assert_eq!(name, printed_name);
        assert_eq!(y.to_bits(), x.to_bits(), "{name}: CLI prints {y}, library gives {x}");
    }
}

/// The top-level `summary` of pretty-printed JSON, each number parsed by `str::parse`
/// (serde_json's default parser may be one ulp off, which would hide or fake a mismatch).
fn raw_summary(text: &str) -> Vec<(String, f64)> {
    text.lines()
        .skip_while(|l| *l != "  \"summary\": {")
        .skip(1)
        .take_while(|l| !l.starts_with("  }"))
        .map(|l| {
            let (k, v) = l.trim().trim_end_matches(',').split_once(": ").expect("a key: value line");
            (k.trim_matches('"').to_string(), v.parse().unwrap_or_else(|_| panic!("not a number: {l}")))
        })
        .collect()
}

#[test]
fn replications_use_consecutive_seeds_and_report_their_mean() {
    let v = json(&["--population", "3000", "--years", "1", "--seed", "41", "--replications", "3"]);
    assert_eq!(v["seeds"], serde_json::json!([41, 42, 43]));
    assert_eq!(v["scenario"]["seed"], 41);
    let replicates = v["replicates"].as_array().unwrap();
    assert_eq!(replicates.iter().map(|r| r["seed"].as_u64().unwrap()).collect::<Vec<_>>(), [41, 42, 43]);
    let mut differs = false;
    for name in OUTPUTS.iter().map(|o| o.name) {
        let xs: Vec<f64> = replicates.iter().map(|r| r["summary"][name].as_f64().unwrap()).collect();
        let mean = xs.iter().sum::<f64>() / 3.0;
        let got = num(&v, &format!("/summary/{name}"));
        assert!((got - mean).abs() <= 1e-12 * mean.abs().max(1.0), "{name}: summary {got}, mean of {xs:?} = {mean}");
        differs |= xs[0] != xs[1] || xs[1] != xs[2];
    }
    assert!(differs, "three seeds gave identical replicates");
    // Any replicate can be re-run alone with its seed.
    let alone = json(&["--population", "3000", "--years", "1", "--seed", "42"]);
    assert_eq!(alone["summary"], replicates[1]["summary"]);
}

#[test]
fn same_seed_gives_the_same_bytes_and_another_seed_does_not() {
    let args = ["run", "--population", "3000", "--years", "1", "--seed", "5", "--preset", "gatekeeping"];
    let first = ok(&args);
    assert_eq!(first, ok(&args));
    let other = ok(&["run", "--population", "3000", "--years", "1", "--seed", "6", "--preset", "gatekeeping"]);
    assert_ne!(first, other);
}

#[test]
fn out_file_holds_the_bytes_stdout_would() {
    for format in ["json", "csv"] {
        let args = ["run", "--population", "2500", "--years", "1", "--seed", "9", "--format", format];
        let stdout = ok(&args);
        let path = tmp_file(&format!("out.{format}"));
        let _ = std::fs::remove_file(&path);
        let quiet = ok(&[&args[..], &["--out", path.to_str().unwrap()]].concat());
        assert!(quiet.is_empty(), "--out must leave stdout empty");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), stdout, "{format}");
    }
}

#[test]
fn csv_has_a_version_line_a_header_and_one_row_per_day() {
    let text = ok(&["run", "--format", "csv", "--population", "3000", "--years", "1", "--seed", "4"]);
    let mut lines = text.lines();
    let comment = lines.next().unwrap();
    assert!(comment.starts_with('#') && comment.contains(MODEL_VERSION), "first line: {comment}");
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[..2], ["seed", "day"]);
    let outputs: Vec<&str> = OUTPUTS.iter().map(|o| o.name).collect();
    assert_eq!(header[2..], outputs[..], "every output, in order");
    for name in BRIEF_OUTPUTS {
        assert!(header.contains(name), "header lacks '{name}'");
    }
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 365);
    // The rows are the library's daily series, to the bit.
    let mut sim = Simulation::new(Scenario { population: 3000, years: 1, seed: 4, ..Scenario::default() }).unwrap();
    sim.run();
    for (j, name) in outputs.iter().enumerate() {
        let series = sim.series(name).unwrap();
        for (t, row) in rows.iter().enumerate() {
            assert_eq!(row.len(), header.len(), "row {t}");
            assert_eq!((row[0], row[1].parse::<usize>().unwrap()), ("4", t + 1));
            let x: f64 = row[j + 2].parse().unwrap_or_else(|_| panic!("row {t} {name}: '{}'", row[j + 2]));
            assert_eq!(x.to_bits(), series[t].to_bits(), "day {} {name}", t + 1);
        }
    }
}

#[test]
fn csv_has_one_block_of_days_per_replicate() {
    let text =
        ok(&["run", "--format", "csv", "--population", "2000", "--years", "1", "--seed", "7", "--replications", "2"]);
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert_eq!(rows.len(), 730);
    assert!(rows[..365].iter().all(|r| r.starts_with("7,")) && rows[365..].iter().all(|r| r.starts_with("8,")));
    assert!(rows[364].starts_with("7,365,") && rows[365].starts_with("8,1,"));
}

#[test]
fn set_overrides_the_preset_whatever_the_order() {
    let after =
        json(&["--set", "gatekeeping=strict", "--preset", "close_consortium", "--population", "2000", "--years", "1"]);
    let s = &after["scenario"];
    assert_eq!(s["preset"], "close_consortium");
    assert_eq!(lever_in(s, "gatekeeping"), "strict");
    assert_eq!(lever_in(s, "integration"), "close", "the rest of the preset applies");
    assert_eq!(lever_in(s, "payment_method"), "global_budget");
    let before =
        json(&["--preset", "close_consortium", "--set", "gatekeeping=strict", "--population", "2000", "--years", "1"]);
    assert_eq!(after, before);

    // Settings too, including the preset's own urban share.
    let county =
        json(&["--set", "urban_share=0.9", "--preset", "county_community", "--population", "2000", "--years", "1"]);
    assert_eq!(num(&county["scenario"], "/urban_share"), 0.9);
    assert_eq!(lever_in(&county["scenario"], "payment_method"), "capitation");
}

#[test]
fn settings_are_accepted_by_set() {
    let v = json(&["--set", "population=2500", "--set", "years=1", "--set", "seed=77", "--set", "urban_share=0.3"]);
    let s = &v["scenario"];
    assert_eq!((s["population"].as_u64(), s["years"].as_u64(), s["seed"].as_u64()), (Some(2500), Some(1), Some(77)));
    assert_eq!(num(s, "/urban_share"), 0.3);
    assert_eq!(v["seeds"], serde_json::json!([77]));
}

#[test]
fn presets_lists_the_five_presets() {
    let text = ok(&["presets"]);
    for name in BRIEF_PRESETS {
        assert!(text.lines().any(|l| l.trim_end() == *name), "presets does not list '{name}' on its own line:\n{text}");
    }
}

#[test]
fn levers_lists_every_lever_with_allowed_values_and_default() {
    let text = ok(&["levers"]);
    let defaults = Levers::default();
    for (key, allowed) in BRIEF_LEVERS {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().next() == Some(*key))
            .unwrap_or_else(|| panic!("levers does not list '{key}':\n{text}"));
        for word in *allowed {
            assert!(line.contains(word), "'{key}' line lacks allowed value '{word}': {line}");
        }
        let default = defaults.get(key).unwrap();
        assert!(line.split_whitespace().any(|w| w == default), "'{key}' line lacks its default {default}: {line}");
    }
    for key in BRIEF_SETTINGS {
        assert!(text.lines().any(|l| l.split_whitespace().next() == Some(*key)), "levers does not list '{key}'");
    }
}

/// Bad input: exit status 2, nothing on stdout, exactly one line on stderr that contains
/// every string of `names` (the key, quoted as given) and of `allowed` (the allowed values).
fn bad(args: &[&str], names: &[&str], allowed: &[&str]) {
    let out = cli(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: exit status {:?}, stderr: {stderr}", out.status);
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout: {}", String::from_utf8_lossy(&out.stdout));
    assert!(
        stderr.ends_with('\n') && stderr.lines().count() == 1 && !stderr.trim().is_empty(),
        "{args:?}: stderr must be exactly one line, got:\n{stderr}"
    );
    for s in names.iter().chain(allowed) {
        assert!(stderr.contains(s), "{args:?}: error does not contain {s:?}: {stderr}");
    }
}

/// `run` with a small, fast scenario in front of the bad arguments, so that input wrongly
/// accepted costs a fraction of a second rather than a five-year run of 100,000 residents.
fn bad_run(args: &[&str], names: &[&str], allowed: &[&str]) {
    bad(&[&["run", "--population", "2000", "--years", "1"], args].concat(), names, allowed);
}

const SHARE: &[&str] = &["0 to 1"];
const YUAN: &[&str] = &[">= 0"];
const POPULATION: &[&str] = &["1000", "20000000"];
const YEARS: &[&str] = &["1 to 50"];
const SEED: &[&str] = &["0 to 18446744073709551615"];
const PAYMENT: &[&str] = &["fee_for_service", "global_budget", "capitation", "drg"];
const COMMANDS: &[&str] = &["run", "presets", "levers"];

#[test]
fn unknown_lever_key() {
    let keys: Vec<&str> = BRIEF_LEVERS.iter().map(|(k, _)| *k).collect();
    bad_run(&["--set", "no_such_lever=1"], &["'no_such_lever'"], &keys);
}

#[test]
fn share_out_of_range() {
    bad_run(&["--set", "info_sharing=1.5"], &["'info_sharing'"], SHARE);
    bad_run(&["--set", "info_sharing=-0.1"], &["'info_sharing'"], SHARE);
    bad_run(&["--set", "reimbursement_tertiary=1.0001"], &["'reimbursement_tertiary'"], SHARE);
}

#[test]
fn share_not_a_finite_number() {
    bad_run(&["--set", "awareness_campaign=NaN"], &["'awareness_campaign'"], SHARE);
    bad_run(&["--set", "reimbursement_primary=inf"], &["'reimbursement_primary'"], SHARE);
    bad_run(&["--set", "family_doctor_coverage="], &["'family_doctor_coverage'"], SHARE);
}

#[test]
fn wrong_type() {
    bad_run(&["--set", "unified_drug_list=maybe"], &["'unified_drug_list'"], &["true", "false"]);
    bad_run(&["--set", "unified_drug_list=1"], &["'unified_drug_list'"], &["true", "false"]);
    bad_run(&["--set", "referral_bonus=abc"], &["'referral_bonus'"], YUAN);
    bad_run(&["--set", "info_sharing=high"], &["'info_sharing'"], SHARE);
}

#[test]
fn bad_choice() {
    bad_run(&["--set", "payment_method=cash"], &["'payment_method'"], PAYMENT);
    bad_run(&["--set", "integration=tight"], &["'integration'"], &["loose", "semi_close", "close"]);
    bad_run(&["--set", "gatekeeping=maybe"], &["'gatekeeping'"], &["none", "soft", "strict"]);
    bad_run(&["--set", "payment_method=0.5"], &["'payment_method'"], PAYMENT);
}

#[test]
fn negative_yuan() {
    bad_run(&["--set", "referral_bonus=-5"], &["'referral_bonus'"], YUAN);
    bad_run(&["--set", "primary_investment=-1"], &["'primary_investment'"], YUAN);
    bad_run(&["--set", "referral_bonus=-inf"], &["'referral_bonus'"], YUAN);
}

#[test]
fn tertiary_capacity_not_positive() {
    bad_run(&["--set", "tertiary_capacity=0"], &["'tertiary_capacity'"], &["> 0"]);
    bad_run(&["--set", "tertiary_capacity=-1"], &["'tertiary_capacity'"], &["> 0"]);
}

#[test]
fn population_too_large_to_fit_in_memory() {
    bad(&["run", "--population", "999999999999"], &["'population'"], POPULATION);
    bad(&["run", "--population", "50000000"], &["'population'"], POPULATION);
    bad(&["run", "--set", "population=50000000"], &["'population'"], POPULATION);
}

#[test]
fn population_zero_negative_or_not_a_number() {
    bad(&["run", "--population", "0"], &["'population'"], POPULATION);
    bad(&["run", "--population", "-5"], &["'population'"], POPULATION);
    bad(&["run", "--population", "lots"], &["'population'"], POPULATION);
    bad(&["run", "--population", "1e5"], &["'population'"], POPULATION);
}

#[test]
fn years_zero_or_too_many() {
    bad_run(&["--years", "0"], &["'years'"], YEARS);
    bad_run(&["--years", "51"], &["'years'"], YEARS);
    bad_run(&["--set", "years=0"], &["'years'"], YEARS);
    bad_run(&["--years", "1.5"], &["'years'"], YEARS);
}

#[test]
fn bad_seed() {
    bad_run(&["--seed", "-1"], &["'seed'"], SEED);
    bad_run(&["--seed", "abc"], &["'seed'"], SEED);
    bad_run(&["--seed", "18446744073709551616"], &["'seed'"], SEED);
}

#[test]
fn bad_urban_share() {
    bad_run(&["--set", "urban_share=1.5"], &["'urban_share'"], SHARE);
    bad_run(&["--set", "urban_share=NaN"], &["'urban_share'"], SHARE);
}

#[test]
fn unknown_preset() {
    bad_run(&["--preset", "utopia"], &["'utopia'", "preset"], BRIEF_PRESETS);
}

#[test]
fn unknown_option() {
    let options = ["--preset", "--set", "--population", "--years", "--seed", "--replications", "--format", "--out"];
    bad_run(&["--bogus", "1"], &["'--bogus'"], &options);
}

#[test]
fn unknown_command() {
    bad(&["frobnicate"], &["'frobnicate'"], COMMANDS);
}

#[test]
fn listing_commands_take_no_arguments() {
    bad(&["presets", "extra"], &["'extra'"], &[]);
    bad(&["levers", "--all"], &["'--all'"], &[]);
}

#[test]
fn missing_value() {
    bad(&["run", "--population", "2000", "--years", "1", "--seed"], &["'--seed'"], SEED);
    bad(&["run", "--population", "2000", "--years", "1", "--format"], &["'--format'"], &["json", "csv"]);
    bad(&["run", "--population", "2000", "--years", "1", "--preset"], &["'--preset'"], BRIEF_PRESETS);
}

#[test]
fn missing_value_is_one_line_naming_the_option() {
    // What `missing_value` checks, less the allowed values.
    bad(&["run", "--population", "2000", "--years", "1", "--seed"], &["'--seed'"], &[]);
    bad(&["run", "--population", "2000", "--years", "1", "--format"], &["'--format'"], &[]);
}

#[test]
fn missing_command() {
    bad(&[], &["command"], COMMANDS);
}

#[test]
fn set_without_equals() {
    bad_run(&["--set", "gatekeeping"], &["'--set'", "gatekeeping"], &["KEY=VALUE"]);
}

#[test]
fn replications_zero_or_not_a_number() {
    bad_run(&["--replications", "0"], &["'replications'"], &["1 to 1000"]);
    bad_run(&["--replications", "two"], &["'replications'"], &["1 to 1000"]);
}

#[test]
fn unknown_format() {
    bad_run(&["--format", "xml"], &["'format'"], &["json", "csv"]);
}

#[test]
fn unwritable_out_file() {
    let path = tmp_file("no-such-dir/out.json");
    bad_run(&["--out", path.to_str().unwrap()], &["'--out'", path.to_str().unwrap()], &[]);
}

// ---- help, suggestions and completion (clap) ------------------------------------------

/// The options of each command as its `--help` must list them.
const COMMAND_OPTIONS: &[(&str, &[&str])] = &[
    (
        "run",
        &["--preset", "--set", "--param", "--population", "--years", "--seed", "--replications", "--format", "--out"],
    ),
    ("validate", &["--seeds", "--seed", "--population", "--years", "--format", "--out"]),
    (
        "sensitivity",
        &[
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
            "--progress",
        ],
    ),
    ("sweep", &["--spec", "--format", "--out", "--threads", "--shard", "--no-header", "--progress"]),
];

/// The help sentence of `option` in `help`: the text after the option on its line, or on
/// the next line when clap puts it there. An option's line is indented by at most six
/// spaces and starts with the option (after a short form such as `-h, `).
fn help_sentence<'a>(help: &'a str, option: &str) -> &'a str {
    let lines: Vec<&str> = help.lines().collect();
    let starts = |l: &&str| {
        let t = l.trim_start();
        let t = if t.len() > 4 && t.starts_with('-') && &t[2..4] == ", " { &t[4..] } else { t };
        l.len() - l.trim_start().len() <= 6 && t.split_whitespace().next() == Some(option)
    };
    let at = lines.iter().position(starts).unwrap_or_else(|| panic!("help does not list {option}:\n{help}"));
    let rest = lines[at].trim_start().split_once("  ").map_or("", |(_, help)| help.trim());
    if rest.is_empty() { lines.get(at + 1).map_or("", |l| l.trim()) } else { rest }
}

#[test]
fn every_command_has_help_with_a_sentence_per_option() {
    for (command, options) in COMMAND_OPTIONS {
        for flag in ["--help", "-h"] {
            let help = ok(&[command, flag]);
            assert!(help.contains(&format!("Usage: consortium-sim {command}")), "{command} {flag}:\n{help}");
            for option in *options {
                let sentence = help_sentence(&help, option);
                assert!(
                    sentence.split_whitespace().count() >= 3,
                    "{command} {flag}: {option} has no sentence:\n{help}"
                );
            }
        }
    }
    // Defaults shown are the ones that apply.
    let help = ok(&["run", "--help"]);
    assert!(help_sentence(&help, "--population").contains("[default: 100000]"), "{help}");
    let help = ok(&["sensitivity", "--help"]);
    assert!(help_sentence(&help, "--population").contains("[default: 20000]"), "{help}");
    assert!(help_sentence(&help, "--years").contains("[default: 3]"), "{help}");
    // The top level lists every command, and `help COMMAND` is `COMMAND --help`.
    let top = ok(&["--help"]);
    for command in ["run", "validate", "sensitivity", "sweep", "presets", "levers", "params", "completions"] {
        assert!(top.lines().any(|l| l.trim_start().starts_with(command)), "--help lacks '{command}':\n{top}");
    }
    assert_eq!(ok(&["help", "run"]), ok(&["run", "--help"]));
    assert_eq!(ok(&["--version"]), format!("consortium-sim {MODEL_VERSION}\n"));
}

#[test]
fn a_mistyped_name_gets_one_line_with_clap_s_suggestion() {
    let run_options = COMMAND_OPTIONS[0].1;
    bad(&["run", "--sed", "4"], &["unknown option '--sed'", "did you mean '--seed'?"], run_options);
    bad(&["run", "--replication", "2"], &["'--replication'", "did you mean '--replications'?"], run_options);
    bad(&["sweep", "--progres"], &["'--progres'", "did you mean '--progress'?"], COMMAND_OPTIONS[3].1);
    bad(&["presest"], &["unknown command 'presest'", "did you mean 'presets'?"], COMMANDS);
    bad(&["run", "--format", "jsn"], &["'jsn'", "'format'", "did you mean 'json'?"], &["json, csv"]);
    // Options belong after their command.
    bad(&["--seed", "3"], &["unknown option '--seed'"], &["--help", "--version", "a command"]);
}

#[test]
fn a_bad_choice_names_the_key_and_exactly_that_command_s_values() {
    bad_run(&["--format", "xml"], &["invalid value 'xml' for 'format'"], &["allowed values are json, csv"]);
    bad(&["validate", "--format", "csv"], &["'csv'", "'format'"], &["table, json, markdown"]);
    bad(&["sensitivity", "--method", "sobol"], &["'sobol'", "'method'"], &["morris, oat"]);
    bad(&["sweep", "--spec", "x.toml", "--format", "xml"], &["'xml'", "'format'"], &["csv, jsonl"]);
    bad(&["completions", "tcsh"], &["'tcsh'", "'shell'"], &["bash", "zsh", "fish", "powershell"]);
    // A missing value lists the values of this command's option, not every command's.
    let out = cli(&["run", "--population", "2000", "--years", "1", "--format"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("allowed values are json, csv\n"), "{stderr}");
    bad(&["sweep", "--spec"], &["missing value for '--spec'"], &["a file path"]);
    bad(&["completions"], &["'shell'"], &["bash", "zsh", "fish"]);
}

#[test]
fn set_and_setting_options_apply_in_the_order_given() {
    let population = |args: &[&str]| json(&[&["--years", "1"], args].concat())["scenario"]["population"].clone();
    assert_eq!(population(&["--set", "population=2500", "--population", "3000"]), 3000);
    assert_eq!(population(&["--population", "3000", "--set", "population=2500"]), 2500);
    assert_eq!(population(&["--population", "3000", "--population", "2000"]), 2000, "the last of one option wins");
}

#[test]
fn completions_print_a_script_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _consortium__sim"),
        ("zsh", "#compdef consortium-sim"),
        ("fish", "complete -c consortium-sim"),
        ("elvish", "edit:completion:arg-completer[consortium-sim]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = ok(&["completions", shell]);
        assert!(script.contains(marker), "the {shell} script lacks {marker:?}");
        for word in ["sweep", "sensitivity", "replications", "no-header"] {
            assert!(script.contains(word), "{shell} script lacks '{word}'");
        }
        // Where the shell completes values, the preset names are offered.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(script.contains("close_consortium"), "{shell} script lacks the preset names");
        }
    }
    // The bash script is valid bash.
    let path = tmp_file("completion.bash");
    std::fs::write(&path, ok(&["completions", "bash"])).unwrap();
    let check = std::process::Command::new("bash").arg("-n").arg(&path).output().expect("bash runs");
    assert!(check.status.success(), "bash -n: {}", String::from_utf8_lossy(&check.stderr));
}

/// Issue 20, defect 5: `--out` never replaces the file a command reads, and a run that fails
/// leaves an existing `--out` file as it was, with no partial file beside it.
#[test]
fn out_files_are_whole_or_untouched_and_never_the_input() {
    let spec = tmp_file("refuse-spec.toml");
    let text = "years = 1\npopulation = 2000\n[levers]\nreferral_bonus = { values = [0, 100] }\n";
    std::fs::write(&spec, text).unwrap();
    let spec_arg = spec.to_str().unwrap();
    let out = cli(&["sweep", "--spec", spec_arg, "--out", spec_arg]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'--out'") && err.contains("'--spec' file") && err.lines().count() == 1, "{err}");
    assert_eq!(std::fs::read_to_string(&spec).unwrap(), text, "the experiment is intact");

    let scenario = tmp_file("refuse-scenario.json");
    std::fs::write(&scenario, ok(&["run", "--population", "2000", "--years", "1"])).unwrap();
    let before = std::fs::read_to_string(&scenario).unwrap();
    let s = scenario.to_str().unwrap();
    let out = cli(&["run", "--scenario", s, "--out", s]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), before);

    // A run that fails leaves the old file and no partial one (a write that fails half-way
    // is the unit test of `write_atomically` in src/cli.rs).
    let kept = tmp_file("kept.csv");
    std::fs::write(&kept, "old contents\n").unwrap();
    let bad = tmp_file("bad-change.json");
    std::fs::write(&bad, r#"{"scenario": {"population": 2000, "years": 1, "changes": [{"day": 400, "lever": "referral_bonus", "value": 1}]}}"#).unwrap();
    let out = cli(&["run", "--scenario", bad.to_str().unwrap(), "--format", "csv", "--out", kept.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "old contents\n");
    let dir = kept.parent().unwrap();
    let partial = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains("kept.csv."));
    assert!(!partial, "no partial file is left beside --out");

    // A good run replaces it whole.
    ok(&["run", "--population", "2000", "--years", "1", "--format", "csv", "--out", kept.to_str().unwrap()]);
    let written = std::fs::read_to_string(&kept).unwrap();
    assert!(
        written.starts_with("# consortium-sim") && written.lines().count() == 2 + 365,
        "{}",
        written.lines().count()
    );
}

/// Issue 20, defect 7: an experiment far larger than anyone means to start prints its size
/// and stops unless `--yes` is given.
#[test]
fn huge_sweeps_ask_for_yes() {
    let spec = tmp_file("huge.toml");
    std::fs::write(&spec, "years = 50\npopulation = 1000000\nreplications = 1000000\n[levers]\nreferral_bonus = { from = 0, to = 1000, steps = 1000000 }\n").unwrap();
    let out = cli(&["sweep", "--spec", spec.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("1000000000000 runs") && err.contains("--yes") && err.lines().count() == 1, "{err}");
    assert!(out.stdout.is_empty(), "nothing ran");
}
