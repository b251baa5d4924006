//! The bodies of the fuzz targets, shared by the cargo-fuzz binaries (`fuzz/fuzz_targets/`,
//! nightly, coverage-guided) and the stable smoke test (`tests/fuzz_smoke.rs`, bytes from a
//! seeded ChaCha8 stream plus the checked-in corpus). Both include this file with `#[path]`,
//! so what CI runs is exactly what the fuzzer runs. A target panics only when the library
//! breaks a promise: a panic inside the library, or an invariant of
//! `consortium_sim::invariants` broken.

use arbitrary::{Result as ArbResult, Unstructured};
use consortium_sim::invariants::{check_day, check_history};
use consortium_sim::levers::LeverKind;
use consortium_sim::params::{Params, param_spec};
use consortium_sim::{LEVERS, LeverValue, PRESETS, Scenario, Simulation};

/// Residents of every run a target builds: the smallest population allowed, so a case takes
/// milliseconds.
const SMALL_POPULATION: u32 = 1_000;

/// `scenario_set`: lines of `KEY=VALUE` as `--set` reads them (`--param KEY=VALUE` when the
/// line starts with `param `), applied to a preset named on the first line, then
/// `Scenario::validate`. Errors are fine; an accepted scenario must build a `Simulation`
/// (with a small population forced) or say why not, and run a few days.
pub fn scenario_set(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.lines();
    let mut scenario = match Scenario::from_preset(lines.next().unwrap_or("").trim()) {
        Ok(s) => s,
        Err(_) => Scenario::from_preset("status_quo").expect("status_quo is a preset"),
    };
    let mut params = Params::default();
    for line in lines {
        let (is_param, pair) = match line.strip_prefix("param ") {
            Some(rest) => (true, rest),
            None => (false, line),
        };
        // As the command line splits `--set` and `--param`: at the first `=`, key trimmed.
        let Some((key, value)) = pair.split_once('=').map(|(k, v)| (k.trim(), v)) else { continue };
        if is_param {
            if param_spec(key).is_ok()
                && let Ok(v) = value.trim().parse::<f64>()
            {
                let _ = params.set(key, v);
            }
        } else {
            let _ = scenario.set(key, value);
        }
    }
    if scenario.validate().is_err() {
        return;
    }
    scenario.population = SMALL_POPULATION;
    scenario.years = 1;
    if let Ok(mut sim) = Simulation::with_params(scenario, params) {
        for day in 0..5 {
            sim.step(1);
            check_day(&sim, day).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// `experiment_toml` and `experiment_json`: arbitrary text through `Spec::parse`, the parser
/// `sweep --spec` calls. An accepted experiment must count its runs and build its first and
/// last run and its reproducibility record without panicking.
pub fn experiment(data: &[u8], json: bool) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let name = if json { "fuzz.json" } else { "fuzz.toml" };
    let Ok(spec) = consortium_sim::experiment::Spec::parse(text, name) else { return };
    let total = spec.total_runs();
    if total > 0 {
        let _ = spec.run(0);
        let _ = spec.run(total - 1);
    }
    let _ = spec.record();
}

/// A lever value drawn from the bytes: usually valid for its kind (with the ends of each range
/// drawn often), sometimes anything at all, which the simulation must reject with an error.
fn lever_value(u: &mut Unstructured, kind: &LeverKind) -> ArbResult<LeverValue> {
    if u.ratio(1, 8)? {
        return Ok(match u.int_in_range(0..=2)? {
            0 => LeverValue::Number(u.arbitrary()?),
            1 => LeverValue::Text(u.arbitrary()?),
            _ => LeverValue::Bool(u.arbitrary()?),
        });
    }
    let number = |u: &mut Unstructured, lo: f64, hi: f64| -> ArbResult<f64> {
        Ok(match u.int_in_range(0..=3)? {
            0 => lo,
            1 => hi,
            _ => lo + (hi - lo) * f64::from(u.int_in_range(0..=1_000_000u32)?) / 1e6,
        })
    };
    Ok(match kind {
        LeverKind::Share => LeverValue::Number(number(u, 0.0, 1.0)?),
        LeverKind::Yuan => LeverValue::Number(number(u, 0.0, 2000.0)?),
        LeverKind::Multiplier => LeverValue::Number(number(u, 0.2, 3.0)?),
        LeverKind::Choice(names) => LeverValue::Text((*u.choose(names)?).to_string()),
        LeverKind::Switch => LeverValue::Bool(u.arbitrary()?),
    })
}

/// One run of `lever_sequence`: a preset, a small region and seed, and lever changes on
/// chosen days.
#[derive(Debug)]
pub struct LeverSequence {
    preset: &'static str,
    population: u32,
    urban_share: f64,
    seed: u64,
    days: u32,
    /// (day the change comes before, lever key, value), in day order.
    changes: Vec<(u32, &'static str, LeverValue)>,
}

impl<'a> arbitrary::Arbitrary<'a> for LeverSequence {
    fn arbitrary(u: &mut Unstructured<'a>) -> ArbResult<Self> {
        let preset = u.choose(PRESETS)?.name;
        let population = u.int_in_range(1_000..=3_000)?;
        let urban_share = f64::from(u.int_in_range(0..=100u32)?) / 100.0;
        let seed = u.arbitrary()?;
        let days = u.int_in_range(30..=120)?;
        let mut changes = Vec::new();
        for _ in 0..u.int_in_range(0..=12)? {
            let spec = u.choose(LEVERS)?;
            let day = u.int_in_range(0..=days - 1)?;
            changes.push((day, spec.key, lever_value(u, &spec.kind)?));
        }
        changes.sort_by_key(|c| c.0);
        Ok(LeverSequence { preset, population, urban_share, seed, days, changes })
    }
}

/// `lever_sequence`: runs the case day by day, applying each change on its day, and checks
/// the identities of every day's end (`check_day`) and the invariants of the whole history
/// (`check_history`). A valid change must be accepted and shown by `levers()`; an invalid one
/// must be rejected with an error that leaves the lever as it was.
pub fn lever_sequence(case: &LeverSequence) {
    let mut scenario = Scenario::from_preset(case.preset).expect("a preset of PRESETS");
    scenario.population = case.population;
    scenario.urban_share = case.urban_share;
    scenario.seed = case.seed;
    scenario.years = 1;
    let mut sim = Simulation::new(scenario).unwrap_or_else(|e| panic!("a valid scenario is refused: {e}"));
    let mut changes = case.changes.iter().peekable();
    for day in 0..case.days {
        while let Some((_, key, value)) = changes.next_if(|c| c.0 == day) {
            let before = sim.levers().get(key).expect("a lever of LEVERS");
            let mut alone = consortium_sim::Levers::default();
            match (alone.set(key, value), sim.set_lever(key, value)) {
                (Ok(()), Ok(())) => {
                    let shown = sim.levers().get(key).expect("a lever of LEVERS");
                    assert_eq!(shown, alone.get(key).unwrap(), "levers() shows {key} = {value}");
                }
                (Err(_), Err(_)) => {
                    assert_eq!(sim.levers().get(key).unwrap(), before, "a refused {key} = {value} changed the lever");
                }
                (a, b) => panic!("{key} = {value}: the levers say {a:?}, the simulation {b:?}"),
            }
        }
        sim.step(1);
        check_day(&sim, day).unwrap_or_else(|e| panic!("{e}"));
    }
    check_history(&sim).unwrap_or_else(|e| panic!("{e}"));
}
