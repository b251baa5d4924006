// The scenario as a file in the command line's own format (contract C1), both ways: the page
// writes the scenario it shows, so `consortium-sim run --scenario FILE` re-runs it to the last
// digit, and the page opens such a file (a run's JSON output is one too) and sets it up.
//
// The file holds the preset, every lever as it stands at day 0, the run settings, the lever
// changes during the run (`changes`, from the policy timeline, C3) and the seed set (`seeds`).
// Seeds go up to 2^64 − 1, past what a JS Number holds exactly, so they are written as bare
// digits spliced into the JSON text and read back from the text as digits, never as Numbers.

import { DEFAULT_SETTINGS, parseLever, parseSetting, presetState, sortTimeline } from './url-state.js';
import { YEAR_DAYS as YEAR, timelineChanges } from './calendar.js';

/** The most seeds a link's `pairs` asks for (C2). */
const MAX_SEEDS = 200;
/** A text the page never writes, standing where a seed's bare digits go (JSON-quoted). */
const SEED_MARK = '@@consortium-sim-seed@@';

/** The first day of month `m` (from 0) from a snapshot's `monthStarts` (the model's own, from
 * the worker); Infinity past the run's horizon, where the page never applies an entry. */
export function monthStartIn(monthStarts) {
  return (m) => (m < monthStarts.length - 1 ? monthStarts[m] : Infinity);
}

/** The seed set: `[seed, seed + 1, …]`, `pairs` of them when an ensemble is asked for (C2),
 * as digit strings. */
export function seedSet(seed, pairs) {
  const n = Number.isInteger(pairs) && pairs >= 2 ? pairs : 1;
  const first = BigInt(String(seed));
  return Array.from({ length: n }, (_, k) => String(first + BigInt(k)));
}

/**
 * The scenario file's text for page state `state` (url-state.js) with the model's tables
 * `meta`, and `monthStarts` of the run on screen (for the timeline's days).
 */
export function scenarioFileText(state, meta, monthStarts) {
  const levers = {};
  for (const spec of meta.levers) if (state.levers[spec.key] !== undefined) levers[spec.key] = state.levers[spec.key];
  const changes = timelineChanges(state.timeline, monthStartIn(monthStarts)).filter((c) => Number.isFinite(c.day));
  const scenario = {
    preset: state.preset,
    levers,
    population: state.population,
    urban_share: state.urban_share,
    years: state.years,
    seed: SEED_MARK,
    // Left out when empty, as the command line prints it.
    ...(changes.length ? { changes } : {}),
  };
  const seeds = seedSet(state.seed, state.pairs);
  const file = { model_version: meta.modelVersion, scenario, seeds: seeds.map(() => SEED_MARK) };
  // Each mark, in order, becomes its digits: the scenario's seed, then the seed set.
  const digits = [String(state.seed), ...seeds];
  return `${JSON.stringify(file, null, 2).split(JSON.stringify(SEED_MARK)).reduce((text, part) => text + digits.shift() + part)}\n`;
}

/** `text` with the values of `seed` and of `seeds` quoted, so JSON.parse keeps their digits. */
function quoteSeeds(text) {
  return text
    .replace(/("seed"\s*:\s*)(\d+)/g, '$1"$2"')
    .replace(/("seeds"\s*:\s*\[)([^\]]*)\]/g, (_, head, list) => `${head}${list.replace(/\d+/g, '"$&"')}]`);
}

/** A problem with the file: `{ key, vars }`, a strings key under `export.file` and its values. */
const problem = (key, vars = {}) => ({ key, vars });

/**
 * Reads a scenario file. Resolves to `{ state }`, a page state (url-state.js) with the
 * file's scenario and its timeline, or `{ problem }`, the first thing the page cannot use.
 * `monthStarts` is any run's month starts covering a year (months repeat every year): a
 * change must fall on a month start, where the page applies lever changes.
 */
export function readScenarioFile(text, meta, monthStarts) {
  let file;
  try {
    file = JSON.parse(quoteSeeds(String(text)));
  } catch (err) {
    return { problem: problem('notJson', { message: err.message }) };
  }
  const s = file && typeof file === 'object' ? file.scenario : null;
  if (!s || typeof s !== 'object' || Array.isArray(s)) return { problem: problem('noScenario') };
  const presets = meta.presets.map((p) => p.name);
  const presetName = s.preset === undefined ? 'status_quo' : s.preset;
  const preset = meta.presets.find((p) => p.name === presetName);
  if (!preset) return { problem: problem('badPreset', { value: String(presetName), allowed: presets.join(', ') }) };
  const state = { ...presetState(meta, preset.name), ...DEFAULT_SETTINGS, timeline: [] };

  for (const [key, value] of Object.entries(s.levers || {})) {
    const spec = meta.levers.find((l) => l.key === key);
    if (!spec) return { problem: problem('badLever', { key, allowed: meta.levers.map((l) => l.key).join(', ') }) };
    const r = parseLever(spec, String(value));
    if (r.problem) return { problem: problem('badValue', { message: r.problem.message }) };
    state.levers[key] = r.value;
  }
  for (const key of ['population', 'years', 'urban_share', 'seed']) {
    if (s[key] === undefined) continue;
    const r = parseSetting(key, String(s[key]));
    if (r.problem) return { problem: problem('badValue', { message: r.problem.message }) };
    state[key] = r.value;
  }

  const timeline = readChanges(s.changes, state, meta, monthStarts);
  if (timeline.problem) return timeline;
  state.timeline = timeline.entries;

  const seeds = readSeeds(file.seeds, state.seed);
  if (seeds.problem) return seeds;
  if (seeds.count >= 2) state.pairs = seeds.count;
  return { state, modelVersion: typeof file.model_version === 'string' ? file.model_version : null };
}

/** The file's `changes` as timeline entries `{ month, key, value }`: `{ entries }` or `{ problem }`. */
function readChanges(changes, state, meta, monthStarts) {
  if (changes === undefined) return { entries: [] };
  if (!Array.isArray(changes)) return { problem: problem('badChanges') };
  // Month starts within a year (the model's months are twelfths of every year).
  const yearStarts = Array.from(monthStarts).slice(0, 12);
  const horizon = state.years * YEAR;
  let entries = [];
  for (const c of changes) {
    const day = c && c.day;
    if (!Number.isInteger(day) || day < 0 || day >= horizon) return { problem: problem('badDay', { day: String(day), last: horizon - 1 }) };
    const spec = meta.levers.find((l) => l.key === c.lever);
    if (!spec) return { problem: problem('badLever', { key: String(c.lever), allowed: meta.levers.map((l) => l.key).join(', ') }) };
    const r = parseLever(spec, String(c.value));
    if (r.problem) return { problem: problem('badValue', { message: r.problem.message }) };
    const inYear = yearStarts.indexOf(day % YEAR);
    if (inYear < 0) return { problem: problem('notMonthStart', { day }) };
    const month = Math.floor(day / YEAR) * 12 + inYear + 1;
    // A later change of the same lever on the same day wins, as in the model's list order.
    entries = [...entries.filter((e) => !(e.month === month && e.key === spec.key)), { month, key: spec.key, value: r.value }];
  }
  return { entries: sortTimeline(entries, meta) };
}

/** The file's seed set: `{ count }` (consecutive seeds from the scenario's seed) or `{ problem }`. */
function readSeeds(seeds, seed) {
  if (seeds === undefined) return { count: 1 };
  const ok = Array.isArray(seeds) && seeds.length >= 1 && seeds.length <= MAX_SEEDS && seeds.every((x, k) => /^\d+$/.test(String(x)) && BigInt(x) === BigInt(seed) + BigInt(k));
  return ok ? { count: seeds.length } : { problem: problem('badSeeds', { seed, max: MAX_SEEDS }) };
}
