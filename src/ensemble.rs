//! Spread over an ensemble of seeds: the median and the 50% and 90% bands of an output, and
//! of the effect of a scenario against the status quo run with the same seeds.
//!
//! The page computes the same numbers from the same per-seed summaries, so the arithmetic is
//! fixed to the last bit: R's type-7 quantile, in `f64`, exactly as written in
//! [`quantile`]; an effect per seed is one subtraction; a mean sums in seed order and
//! divides once.

use crate::metrics;
use serde::Serialize;

/// The median and the quantiles that bound the 50% band (p25..p75) and the 90% band
/// (p5..p95) of one output over the seeds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// The 0.5 quantile.
    pub median: f64,
    /// The 0.05 quantile.
    pub p5: f64,
    /// The 0.25 quantile.
    pub p25: f64,
    /// The 0.75 quantile.
    pub p75: f64,
    /// The 0.95 quantile.
    pub p95: f64,
}

/// The `p` quantile of `sorted` (ascending, not empty), type 7: `h = p(n - 1)`, `i = ⌊h⌋`,
/// then `x[i] + (h - i)(x[i+1] - x[i])`, or `x[i]` when `i` is the last index.
pub fn quantile(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let h = p * crate::num::count(n - 1);
    let i = crate::num::trunc_usize(libm::floor(h));
    if i + 1 < n { sorted[i] + (h - crate::num::count(i)) * (sorted[i + 1] - sorted[i]) } else { sorted[i] }
}

/// The interval of `values` (in any order, not empty). NaN sorts last, as `f64::total_cmp`
/// orders it.
pub fn interval(values: &[f64]) -> Interval {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let q = |p| quantile(&sorted, p);
    Interval { median: q(0.5), p5: q(0.05), p25: q(0.25), p75: q(0.75), p95: q(0.95) }
}

/// A summary: every output over the last year, in output order.
pub type Summary = Vec<(&'static str, f64)>;

/// The interval of every output over `summaries` (one per seed, each in output order).
pub fn intervals(summaries: &[Summary]) -> Vec<(&'static str, Interval)> {
    metrics::output_names()
        .enumerate()
        .map(|(k, name)| (name, interval(&summaries.iter().map(|s| s[k].1).collect::<Vec<_>>())))
        .collect()
}

/// The mean of every output over `summaries`: summed in seed order, divided once.
pub fn mean(summaries: &[Summary]) -> Summary {
    let n = crate::num::count(summaries.len());
    metrics::output_names()
        .enumerate()
        .map(|(k, name)| (name, summaries.iter().map(|s| s[k].1).sum::<f64>() / n))
        .collect()
}

/// The effect per seed: each output of `scenario` minus the same output of `baseline`, seed
/// by seed (both in seed order, the same seeds).
pub fn effects(scenario: &[Summary], baseline: &[Summary]) -> Vec<Summary> {
    scenario
        .iter()
        .zip(baseline)
        .map(|(s, b)| s.iter().zip(b).map(|(&(name, x), &(_, y))| (name, x - y)).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_is_every_quantile() {
        assert_eq!(interval(&[0.3]), Interval { median: 0.3, p5: 0.3, p25: 0.3, p75: 0.3, p95: 0.3 });
    }

    #[test]
    fn two_values_interpolate_between_them() {
        let i = interval(&[3.0, 1.0]);
        assert_eq!((i.median, i.p5, i.p25, i.p75, i.p95), (2.0, 1.1, 1.5, 2.5, 2.9));
    }

    #[test]
    fn known_values_match_r_type_7() {
        // R: quantile(c(1, 2, 4, 8, 16), c(.05, .25, .5, .75, .95), type = 7) gives
        // 1.2, 2, 4, 8, 14.4.
        let i = interval(&[16.0, 1.0, 8.0, 2.0, 4.0]);
        assert_eq!(i.median, 4.0);
        assert_eq!(i.p25, 2.0);
        assert_eq!(i.p75, 8.0);
        assert!((i.p5 - 1.2).abs() < 1e-12 && (i.p95 - 14.4).abs() < 1e-12, "{i:?}");
        // The exact arithmetic: h = 0.95 * 4 = 3.8, i = 3, 8 + 0.8 * 8 (in f64).
        let h = 0.95 * 4.0;
        assert_eq!(i.p95.to_bits(), (8.0 + (h - 3.0) * (16.0 - 8.0_f64)).to_bits());
    }

    #[test]
    fn input_order_does_not_matter() {
        let a = interval(&[5.0, -1.0, 2.5, 9.0, 0.0, 7.25]);
        let b = interval(&[-1.0, 0.0, 2.5, 5.0, 7.25, 9.0]);
        assert_eq!(a, b);
        assert_eq!(a.median, 3.75);
    }

    #[test]
    fn effects_subtract_seed_by_seed_and_the_mean_divides_once() {
        let names: Vec<&'static str> = metrics::output_names().collect();
        let summary = |x: f64| names.iter().map(|&n| (n, x)).collect::<Summary>();
        let d = effects(&[summary(0.3), summary(1.0)], &[summary(0.1), summary(0.5)]);
        assert_eq!(d[0][0].1, 0.3 - 0.1);
        assert_eq!(mean(&d)[0].1, ((0.3 - 0.1) + 0.5) / 2.0);
    }
}
