//! Sensitivity analysis: one-at-a-time sweeps and Morris elementary-effects screening over
//! the policy levers and the main structural parameters.
//!
//! Every factor is mapped to the unit interval over its screened range: a lever's plausible
//! policy range (below), a parameter's range in [`crate::params::PARAMETERS`], or the list
//! of a categorical lever's choices in their listed order. Elementary effects are therefore
//! per full range of the factor, in the output's own units, and comparable across factors.
//!
//! **Morris screening** (Morris 1991, Technometrics 33:161; the trajectory design of
//! Campolongo, Cariboni & Saltelli 2007): `r` trajectories of `k + 1` points on a grid of
//! `levels` levels, each moving one factor at a time by `delta = levels / (2 (levels - 1))`.
//! For each factor, `mu*` (mean absolute elementary effect) ranks its overall influence,
//! `mu` its signed mean, and `sigma` (standard deviation) flags interactions and
//! non-linearity. Every point runs the same seeds (common random numbers), so differences
//! between points are not drowned by sampling noise.
//!
//! **One at a time** (OAT): each factor alone at `levels` evenly spaced values (every choice
//! of a categorical lever) with the others at the preset's values; the swing (largest minus
//! smallest output) ranks them.

mod render;

use crate::error::SimError;
use crate::experiment::{Progress, run_ordered};
use crate::levers::{LEVERS, LeverKind, LeverValue};
use crate::metrics::output_names;
use crate::num::{count, trunc_usize};
use crate::params::{PARAMETERS, Params};
use crate::report;
use crate::scenario::Scenario;
use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};
use serde_json::{Value, json};

/// The screened range of each numeric lever: about the range a government could choose.
pub const LEVER_RANGES: &[(&str, f64, f64)] = &[
    ("reimbursement_primary", 0.6, 0.95),
    ("reimbursement_secondary", 0.45, 0.8),
    ("reimbursement_tertiary", 0.35, 0.7),
    ("info_sharing", 0.0, 1.0),
    ("specialist_outreach", 0.0, 0.4),
    ("referral_bonus", 0.0, 400.0),
    ("awareness_campaign", 0.0, 1.0),
    ("family_doctor_coverage", 0.0, 0.9),
    ("primary_investment", 0.0, 200.0),
    ("tertiary_capacity", 0.7, 1.4),
];

const SWITCH: &[&str] = &["false", "true"];

/// Whether a factor is a policy lever or a structural assumption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorKind {
    /// A policy lever.
    Lever,
    /// A structural parameter.
    Parameter,
}

/// One factor of a sensitivity analysis and its screened range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Factor {
    /// Lever or parameter key.
    pub key: &'static str,
    /// Lever or parameter.
    pub kind: FactorKind,
    /// Value at 0 (numeric factors).
    pub low: f64,
    /// Value at 1 (numeric factors).
    pub high: f64,
    /// The choices of a categorical lever, in order (empty for numeric factors).
    pub choices: &'static [&'static str],
}

impl Factor {
    /// The factor's value at unit coordinate `x` in [0, 1]: a number, or the choice nearest
    /// to `x` over the evenly spaced choices.
    pub fn value(&self, x: f64) -> Value {
        if self.choices.is_empty() {
            json!(self.low + x * (self.high - self.low))
        } else {
            let last = count(self.choices.len() - 1);
            json!(self.choices[trunc_usize(libm::round(x * last))])
        }
    }

    /// The screened range, as text: `low..high` or `a|b|c`.
    pub fn range_text(&self) -> String {
        if self.choices.is_empty() { format!("{}..{}", self.low, self.high) } else { self.choices.join("|") }
    }

    /// "lever" or "parameter".
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            FactorKind::Lever => "lever",
            FactorKind::Parameter => "parameter",
        }
    }

    /// Sets the factor to its value at `x` in a scenario or parameter set.
    pub fn apply(&self, x: f64, scenario: &mut Scenario, params: &mut Params) -> Result<(), SimError> {
        let v = self.value(x);
        match (self.kind, &v) {
            (FactorKind::Lever, Value::String(s)) => scenario.levers.set(self.key, &LeverValue::Text(s.clone())),
            (FactorKind::Lever, v) => {
                scenario.levers.set(self.key, &LeverValue::Number(v.as_f64().unwrap_or(f64::NAN)))
            }
            (FactorKind::Parameter, v) => params.set(self.key, v.as_f64().unwrap_or(f64::NAN)),
        }
    }
}

/// Every lever and every keyed parameter as factors.
pub fn all_factors() -> Vec<Factor> {
    let levers = LEVERS.iter().map(|l| {
        let (low, high) = LEVER_RANGES.iter().find(|r| r.0 == l.key).map_or((0.0, 1.0), |r| (r.1, r.2));
        let choices = match l.kind {
            LeverKind::Choice(names) => names,
            LeverKind::Switch => SWITCH,
            _ => &[],
        };
        Factor { key: l.key, kind: FactorKind::Lever, low, high, choices }
    });
    let params = PARAMETERS.iter().map(|p| Factor {
        key: p.key,
        kind: FactorKind::Parameter,
        low: p.low,
        high: p.high,
        choices: &[],
    });
    levers.chain(params).collect()
}

/// The factors named by `selection`: `all`, `levers`, `params`, or a comma-separated list
/// of lever and parameter keys.
pub fn select_factors(selection: &str) -> Result<Vec<Factor>, SimError> {
    let all = all_factors();
    match selection.trim() {
        "all" => Ok(all),
        "levers" => Ok(all.into_iter().filter(|f| f.kind == FactorKind::Lever).collect()),
        "params" => Ok(all.into_iter().filter(|f| f.kind == FactorKind::Parameter).collect()),
        list => list
            .split(',')
            .map(|key| {
                let key = key.trim();
                all.iter().find(|f| f.key == key).copied().ok_or_else(|| SimError::UnknownKey {
                    key: key.to_string(),
                    kind: "factor",
                    allowed: format!(
                        "all, levers, params, or a comma-separated list of {}",
                        all.iter().map(|f| f.key).collect::<Vec<_>>().join(", ")
                    ),
                })
            })
            .collect(),
    }
}

/// One Morris trajectory: `k + 1` points in the unit cube; step `j` moves factor
/// `moves[j].0` by `moves[j].1` (plus or minus delta).
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The points, each with one coordinate per factor.
    pub points: Vec<Vec<f64>>,
    /// The factor moved at each step and the signed step.
    pub moves: Vec<(usize, f64)>,
}

/// `r` Morris trajectories for `k` factors on a grid of `levels` levels (even, >= 2),
/// drawn from `seed`.
pub fn morris_design(k: usize, r: usize, levels: u32, seed: u64) -> Vec<Trajectory> {
    assert!(levels >= 2 && levels.is_multiple_of(2), "Morris levels must be even");
    // A design stream of its own: the same seed gives the same design on every platform.
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x4D4F_5252_4953_3931);
    let mut below = |n: u64| rng.next_u64() % n;
    let step = 1.0 / f64::from(levels - 1);
    let half = u64::from(levels / 2);
    let delta = f64::from(levels) / (2.0 * f64::from(levels - 1));
    (0..r)
        .map(|_| {
            let mut x = Vec::with_capacity(k);
            let mut dirs = Vec::with_capacity(k);
            for _ in 0..k {
                // Lower half of the grid moves up by delta, upper half down: both stay in [0, 1].
                let level = below(u64::from(levels));
                x.push(f64::from(u32::try_from(level).expect("a level is below `levels`")) * step);
                dirs.push(if level < half { delta } else { -delta });
            }
            let mut order: Vec<usize> = (0..k).collect();
            for i in (1..k).rev() {
                order.swap(i, usize::try_from(below(i as u64 + 1)).expect("an index up to i"));
            }
            let mut points = vec![x.clone()];
            let mut moves = Vec::with_capacity(k);
            for &f in &order {
                x[f] = (x[f] + dirs[f]).clamp(0.0, 1.0);
                points.push(x.clone());
                moves.push((f, dirs[f]));
            }
            Trajectory { points, moves }
        })
        .collect()
}

/// Morris statistics of one factor for one output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Effects {
    /// Index of the factor.
    pub factor: usize,
    /// Mean elementary effect.
    pub mu: f64,
    /// Mean absolute elementary effect: the ranking measure.
    pub mu_star: f64,
    /// Standard deviation of the elementary effects (n - 1 denominator; 0 for one).
    pub sigma: f64,
}

/// The Morris statistics of each of `k` factors, from the output `y[t][j]` at point `j`
/// of trajectory `t`.
pub fn elementary_effects(design: &[Trajectory], y: &[Vec<f64>], k: usize) -> Vec<Effects> {
    let mut ee: Vec<Vec<f64>> = vec![Vec::new(); k];
    for (t, yt) in design.iter().zip(y) {
        for (j, &(f, step)) in t.moves.iter().enumerate() {
            ee[f].push((yt[j + 1] - yt[j]) / step);
        }
    }
    ee.iter()
        .enumerate()
        .map(|(factor, e)| {
            let n = count(e.len().max(1));
            let mu = e.iter().sum::<f64>() / n;
            let mu_star = e.iter().map(|v| v.abs()).sum::<f64>() / n;
            let var = if e.len() > 1 { e.iter().map(|v| (v - mu).powi(2)).sum::<f64>() / (n - 1.0) } else { 0.0 };
            Effects { factor, mu, mu_star, sigma: var.sqrt() }
        })
        .collect()
}

/// Which analysis to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Morris elementary-effects screening.
    Morris,
    /// One-at-a-time sweeps.
    Oat,
}

/// What a sensitivity analysis runs: the base scenario and parameters, the factors and the
/// design sizes.
#[derive(Debug, Clone)]
pub struct Setup {
    /// Morris or OAT.
    pub method: Method,
    /// The base scenario (preset, other levers, population, years, first seed).
    pub scenario: Scenario,
    /// The base structural parameters.
    pub params: Params,
    /// The factors.
    pub factors: Vec<Factor>,
    /// The outputs to rank.
    pub outputs: Vec<&'static str>,
    /// Morris trajectories.
    pub trajectories: u32,
    /// Grid levels (Morris) or values per factor (OAT).
    pub levels: u32,
    /// Seeds per point, `seed`, `seed + 1`, ... (the same at every point).
    pub replications: u32,
    /// Worker threads.
    pub threads: usize,
    /// Draw a progress bar even when stderr is not a terminal.
    pub progress: bool,
}

/// One factor's OAT sweep: its index, and each value with the output there.
pub type Sweep = (usize, Vec<(Value, f64)>);

/// A point of the analysis: which factors are set, and to what unit coordinate (factors not
/// listed keep the base value).
type Point = Vec<(usize, f64)>;

/// The results of a sensitivity analysis.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// What was run.
    pub setup: Setup,
    /// Every output at the base point (mean over seeds).
    pub baseline: Vec<(&'static str, f64)>,
    /// Morris statistics per output (in `setup.outputs` order), factors ranked by mu*.
    pub morris: Vec<Vec<Effects>>,
    /// OAT sweeps per output, ranked by swing.
    pub oat: Vec<Vec<Sweep>>,
    /// Number of simulation runs.
    pub runs: u64,
}

impl Setup {
    /// Runs the analysis.
    pub fn run(self) -> Result<Analysis, SimError> {
        let k = self.factors.len();
        let design = match self.method {
            Method::Morris => morris_design(k, self.trajectories as usize, self.levels, self.scenario.seed),
            Method::Oat => Vec::new(),
        };
        let mut points: Vec<Point> = vec![Vec::new()];
        match self.method {
            Method::Morris => points
                .extend(design.iter().flat_map(|t| t.points.iter().map(|p| p.iter().copied().enumerate().collect()))),
            Method::Oat => {
                for f in 0..k {
                    points.extend(oat_levels(&self.factors[f], self.levels).into_iter().map(|x| vec![(f, x)]));
                }
            }
        }
        let ys = self.evaluate(&points)?;
        let value = |p: usize, o: &str| ys[p].iter().find(|(n, _)| *n == o).map_or(f64::NAN, |(_, v)| *v);
        let mut morris = Vec::new();
        let mut oat = Vec::new();
        for &o in &self.outputs {
            match self.method {
                Method::Morris => {
                    let stride = k + 1;
                    let y: Vec<Vec<f64>> = (0..design.len())
                        .map(|t| (0..stride).map(|j| value(1 + t * stride + j, o)).collect())
                        .collect();
                    let mut e = elementary_effects(&design, &y, k);
                    e.sort_by(|a, b| b.mu_star.total_cmp(&a.mu_star).then(a.factor.cmp(&b.factor)));
                    morris.push(e);
                }
                Method::Oat => {
                    let mut rows = Vec::new();
                    let mut p = 1;
                    for f in 0..k {
                        let xs = oat_levels(&self.factors[f], self.levels);
                        let vals: Vec<(Value, f64)> =
                            xs.iter().enumerate().map(|(i, &x)| (self.factors[f].value(x), value(p + i, o))).collect();
                        p += xs.len();
                        rows.push((f, vals));
                    }
                    rows.sort_by(|a, b| swing(&b.1).total_cmp(&swing(&a.1)).then(a.0.cmp(&b.0)));
                    oat.push(rows);
                }
            }
        }
        let runs = points.len() as u64 * u64::from(self.replications);
        Ok(Analysis { baseline: ys[0].clone(), morris, oat, runs, setup: self })
    }

    /// The mean summary over the seeds at every point, run in parallel.
    fn evaluate(&self, points: &[Point]) -> Result<Vec<Vec<(&'static str, f64)>>, SimError> {
        let reps = u64::from(self.replications);
        let total = points.len() as u64 * reps;
        let mut sums: Vec<Vec<(&'static str, f64)>> = vec![output_names().map(|n| (n, 0.0)).collect(); points.len()];
        let mut progress = Progress::new(total, self.progress);
        let work = |i: u64| {
            let (mut s, mut p) = (self.scenario.clone(), self.params.clone());
            for &(f, x) in &points[point_of(i, reps)] {
                self.factors[f].apply(x, &mut s, &mut p)?;
            }
            report::summary_with(&s, &p, self.scenario.seed.wrapping_add(i % reps))
        };
        run_ordered(0..total, self.threads, work, |i, summary| {
            for (acc, (_, v)) in sums[point_of(i, reps)].iter_mut().zip(summary) {
                acc.1 += v / f64::from(self.replications);
            }
            progress.tick();
            Ok(())
        })?;
        Ok(sums)
    }
}

/// The point that run `i` evaluates, with `reps` runs (seeds) a point.
fn point_of(i: u64, reps: u64) -> usize {
    usize::try_from(i / reps).expect("runs number points times seeds, and points are in a Vec")
}

/// The unit coordinates of an OAT sweep: every choice, or `levels` evenly spaced values.
fn oat_levels(f: &Factor, levels: u32) -> Vec<f64> {
    let n = if f.choices.is_empty() { levels.max(2) as usize } else { f.choices.len() };
    (0..n).map(|i| count(i) / count(n - 1)).collect()
}

/// Largest minus smallest output of a sweep.
pub fn swing(values: &[(Value, f64)]) -> f64 {
    let max = values.iter().map(|v| v.1).fold(f64::NEG_INFINITY, f64::max);
    let min = values.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
    max - min
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morris_ranks_a_toy_function_with_known_effects() {
        // f = 10 x0 + 5 x1^2 + x2 + 0 x3 + 4 x4 x5: mu* orders x0 > x1 > x4 ~ x5 > x2 > x3,
        // and only the interacting x4, x5 have a large sigma relative to mu*.
        let f = |x: &[f64]| 10.0 * x[0] + 5.0 * x[1] * x[1] + x[2] + 4.0 * x[4] * x[5];
        let design = morris_design(6, 40, 4, 7);
        for t in &design {
            assert_eq!(t.points.len(), 7);
            assert!(t.points.iter().flatten().all(|v| (0.0..=1.0).contains(v)));
            let mut moved: Vec<usize> = t.moves.iter().map(|m| m.0).collect();
            moved.sort_unstable();
            assert_eq!(moved, (0..6).collect::<Vec<_>>(), "each factor moves once per trajectory");
        }
        let y: Vec<Vec<f64>> = design.iter().map(|t| t.points.iter().map(|p| f(p)).collect()).collect();
        let e = elementary_effects(&design, &y, 6);
        assert!((e[0].mu_star - 10.0).abs() < 1e-9 && e[0].sigma < 1e-9);
        assert!((e[2].mu_star - 1.0).abs() < 1e-9);
        assert_eq!(e[3].mu_star, 0.0);
        assert!(e[1].mu_star > 3.0 && e[1].mu_star < 7.0, "{:?}", e[1]);
        assert!(e[4].mu_star > 1.0 && e[4].sigma > 0.5, "{:?}", e[4]);
        let mut ranked = e.clone();
        ranked.sort_by(|a, b| b.mu_star.total_cmp(&a.mu_star));
        assert_eq!(ranked[0].factor, 0);
        assert_eq!(ranked[1].factor, 1);
        assert_eq!(ranked[5].factor, 3);
        assert_eq!(design, morris_design(6, 40, 4, 7), "the design is reproducible");
    }

    #[test]
    fn factors_cover_every_lever_and_parameter_and_apply_within_range() {
        let all = all_factors();
        assert_eq!(all.len(), LEVERS.len() + PARAMETERS.len());
        for f in &all {
            for x in [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0] {
                let (mut s, mut p) = (Scenario::default(), Params::default());
                f.apply(x, &mut s, &mut p).unwrap_or_else(|e| panic!("{} at {x}: {e}", f.key));
            }
        }
        assert_eq!(select_factors("levers").unwrap().len(), LEVERS.len());
        assert_eq!(select_factors("wait_scale, gatekeeping").unwrap().len(), 2);
        let e = select_factors("wait_scale,nope").unwrap_err().to_string();
        assert!(e.contains("'nope'") && e.contains("levers, params"), "{e}");
        let g = all.iter().find(|f| f.key == "gatekeeping").unwrap();
        assert_eq!(g.value(0.0), json!("none"));
        assert_eq!(g.value(2.0 / 3.0), json!("soft"));
        assert_eq!(g.value(1.0), json!("strict"));
    }
}
