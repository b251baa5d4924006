// The arithmetic of the ensemble (issue 19, contract C2), in one place: the page's bands
// and intervals (ensemble.js, through ensemble-aggregate-worker.js) and the tests use it, and
// the CLI's `run --replications` does the same in Rust, so the two agree to the last bit:
// per seed, the summary at the horizon; effect = scenario − status quo (one f64
// subtraction); quantiles of type 7 exactly as C2 writes them. No imports: it runs in workers.

const PROBABILITIES = { p5: 0.05, p25: 0.25, median: 0.5, p75: 0.75, p95: 0.95 };

/** Quantile of type 7 of `sorted` (ascending), exactly as contract C2 writes it, in f64. */
export function quantile(sorted, p) {
  const n = sorted.length;
  const h = p * (n - 1);
  const i = Math.floor(h);
  return i + 1 < n ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/** `{ median, p5, p25, p75, p95 }` of `values` (any order; sorted here, ascending). */
export function interval(values) {
  const sorted = Float64Array.from(values).sort();
  const out = {};
  for (const [name, p] of Object.entries(PROBABILITIES)) out[name] = quantile(sorted, p);
  return out;
}

/** The seeds `seed`..`seed + n − 1` as decimal strings: seeds may pass 2^53, so BigInt. */
export function seedSet(seed, n) {
  const first = BigInt(String(seed).trim());
  return Array.from({ length: n }, (_, i) => String(first + BigInt(i)));
}

/**
 * What the ensemble's finished pairs say: per summary output, the interval of the scenario
 * and of the effect, the effect's mean (seed order), and the monthly bands of each series,
 * of the scenario and of the effect, as Float64Arrays by quantile name.
 * @param {object[]} pairs finished pairs in seed order (ensemble-worker.js replies)
 */
export function aggregate(pairs) {
  // A pair: `{ seed, totalDays, monthStarts, scenario, statusQuo }` (ensemble-worker.js).
  const n = pairs.length;
  const first = pairs[0];
  const intervals = {};
  const effectIntervals = {};
  const mean = {};
  for (const name of Object.keys(first.scenario.summary)) {
    const scenario = pairs.map((p) => p.scenario.summary[name]);
    const effect = pairs.map((p) => p.scenario.summary[name] - p.statusQuo.summary[name]);
    intervals[name] = interval(scenario);
    effectIntervals[name] = interval(effect);
    let sum = 0;
    for (const e of effect) sum += e;
    mean[name] = sum / n;
  }
  return {
    n,
    seeds: pairs.map((p) => p.seed),
    totalDays: first.totalDays,
    monthStarts: first.monthStarts,
    intervals,
    effect: { baseline: 'status_quo', mean, intervals: effectIntervals },
    bands: {
      scenario: monthlyBands(pairs, (p, name) => p.scenario.months[name]),
      effect: monthlyBands(pairs, (p, name) => p.scenario.months[name], (p, name) => p.statusQuo.months[name]),
    },
  };
}

/** Per series and month, the quantiles over the seeds of `of(pair)` (minus `minus(pair)`). */
function monthlyBands(pairs, of, minus = null) {
  const bands = {};
  const n = pairs.length;
  const scratch = new Float64Array(n);
  const quantiles = Object.entries(PROBABILITIES);
  for (const name of Object.keys(pairs[0].scenario.months)) {
    // Each seed's series, looked up once rather than per month.
    const values = pairs.map((p) => of(p, name));
    const less = minus ? pairs.map((p) => minus(p, name)) : null;
    const months = values[0].length;
    const band = {};
    for (const [q] of quantiles) band[q] = new Float64Array(months);
    for (let m = 0; m < months; m++) {
      for (let k = 0; k < n; k++) scratch[k] = less ? values[k][m] - less[k][m] : values[k][m];
      scratch.sort();
      for (const [q, p] of quantiles) band[q][m] = quantile(scratch, p);
    }
    bands[name] = band;
  }
  return bands;
}
