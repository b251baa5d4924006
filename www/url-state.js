// The scenario in the page's URL: parse it (reporting bad values), and write it back.
//
// A link holds the preset, the levers that differ from it, and the run settings, e.g.
// `?preset=close_consortium&referral_bonus=200&seed=7&population=250000&years=3`.
// Values are checked the way the model checks them, with the model's own wording
// ("invalid value '7' for 'info_sharing': allowed values are a number from 0 to 1"), so a
// bad link is reported and replaced by the default instead of breaking the page. The
// messages are in the page's language (`levers.link.*` and `levers.*Allowed` in the strings
// files); the English ones are the model's words.
//
// A link is pinned (issue 19): it names the model version it was made with (`v=0.2.0`, read
// by pinned-version.js, which warns when the page runs another one), the seed set
// (`seed=`, and `pairs=N` for an ensemble of N paired seeds, seed..seed+N-1: contract C2),
// and the whole scenario: the day-0 levers and every lever change during the run (`at=`,
// the policy timeline, including levers moved by hand mid-run: run-loop.js).

import { t } from './i18n.js';
import { leverAllowed, settingAllowed } from './lever-notes.js';

export const DEFAULT_SETTINGS = { population: 100_000, years: 5, seed: '1' };
const MAX_U64 = 18446744073709551615n;
/** The core's bounds of yuan and multiplier levers (levers.rs `MAX_YUAN`, `MAX_MULTIPLIER`). */
const MAX_YUAN = 100_000;
const MAX_MULTIPLIER = 10;
const PAGE_KEYS = ['preset', 'population', 'years', 'seed', 'urban_share', 'baseline', 'at', 'pairs', 'v'];

const SETTING_ALLOWED = {
  population: 'a whole number from 1000 to 20000000',
  years: 'a whole number from 1 to 50',
  seed: 'a whole number from 0 to 18446744073709551615',
  urban_share: 'a number from 0 to 1',
  baseline: 'on, off',
  pairs: 'a whole number from 2 to 200',
  v: 'a model version such as 0.2.0',
};

function invalid(key, value, allowed) {
  return { key, message: t('levers.link.invalid', { key, value, allowed }) };
}

/** Parses one lever value from text; returns `{ value }` or `{ problem }`. */
export function parseLever(spec, text) {
  const raw = String(text).trim();
  const bad = () => ({ problem: invalid(spec.key, raw, leverAllowed(spec)) });
  switch (spec.kind) {
    case 'choice':
      return spec.choices.includes(raw) ? { value: raw } : bad();
    case 'switch':
      if (raw === 'true') return { value: true };
      if (raw === 'false') return { value: false };
      return bad();
    default: {
      const x = raw === '' ? NaN : Number(raw);
      const ok =
        Number.isFinite(x) &&
        (spec.kind === 'share' ? x >= 0 && x <= 1 : spec.kind === 'multiplier' ? x > 0 && x <= MAX_MULTIPLIER : x >= 0 && x <= MAX_YUAN);
      return ok ? { value: x } : bad();
    }
  }
}

// ---------- the policy timeline (policy-timeline.js) in the link ----------
//
// `at=24:referral_bonus:250,36:gatekeeping:strict`: lever changes scheduled at month starts,
// each `month:lever:value`, separated by commas, in month order. A lever moved by hand during
// a run is an entry like any other, marked `:hand` (`5:referral_bonus:300:hand`), so the page
// opened from the link lists it as moved by hand. Months count from 1 (month 1
// starts on day 0); a value is written as the lever takes it in the link (`referral_bonus=250`).
// Lever keys and values hold neither colons nor commas. The page writes the parameter
// escaped, as every parameter (`at=24%3Areferral_bonus%3A250%2C…`); a link typed by hand may
// write it plain.

export const TIMELINE_PARAM = 'at';
/** The last month a link may name: the longest horizon (50 years). Months past the run's own
 * horizon are kept but never reached. */
export const TIMELINE_MAX_MONTH = 50 * 12;
const TIMELINE_ALLOWED = `month:lever:value entries separated by commas, the month a whole number from 1 to ${TIMELINE_MAX_MONTH} (e.g. 24:referral_bonus:250)`;

/** Parses a month of the timeline (1 to `max`); returns `{ value }` or `{ problem }`. */
export function parseTimelineMonth(text, max = TIMELINE_MAX_MONTH) {
  const raw = String(text).trim();
  const n = Number(raw);
  return /^\d+$/.test(raw) && n >= 1 && n <= max ? { value: n } : { problem: invalid(TIMELINE_PARAM, raw, `a whole number from 1 to ${max}`) };
}

/** Timeline entries in the order they apply: by month, then in the model's lever order. */
export function sortTimeline(entries, meta) {
  const order = new Map(meta.levers.map((l, i) => [l.key, i]));
  return [...entries].sort((a, b) => a.month - b.month || order.get(a.key) - order.get(b.key));
}

/** `entries` with `entry` added; an entry for the same month and lever gives way to it. */
export function withTimelineEntry(entries, entry, meta) {
  return sortTimeline([...entries.filter((e) => !(e.month === entry.month && e.key === entry.key)), entry], meta);
}

/**
 * Reads the `at` parameter: `{ entries, problems }`. A bad entry is left out and reported,
 * with the lever's own message for a bad value; the problems' key is `at`, so they show
 * beside the timeline box.
 */
export function parseTimeline(text, meta) {
  let entries = [];
  const problems = [];
  for (const part of String(text).split(',')) {
    if (part.trim() === '') continue;
    const fields = part.split(':');
    const hand = fields.length === 4 && fields[3].trim() === 'hand';
    if (hand) fields.pop();
    if (fields.length !== 3) {
      problems.push(invalid(TIMELINE_PARAM, part.trim(), TIMELINE_ALLOWED));
      continue;
    }
    const [monthText, keyText, valueText] = fields;
    const month = parseTimelineMonth(monthText);
    const spec = meta.levers.find((l) => l.key === keyText.trim());
    if (month.problem) {
      problems.push(invalid(TIMELINE_PARAM, part.trim(), TIMELINE_ALLOWED));
      continue;
    }
    if (!spec) {
      problems.push(invalid(TIMELINE_PARAM, part.trim(), `${TIMELINE_ALLOWED}, the lever one of ${meta.levers.map((l) => l.key).join(', ')}`));
      continue;
    }
    const value = parseLever(spec, valueText);
    if (value.problem) {
      problems.push({ ...value.problem, key: TIMELINE_PARAM });
      continue;
    }
    const entry = { month: month.value, key: spec.key, value: value.value };
    if (hand) entry.hand = true;
    entries = withTimelineEntry(entries, entry, meta);
  }
  return { entries, problems };
}

/** The `at` parameter's value for `entries` (empty when there are none). */
export function timelineParam(entries) {
  return entries.map((e) => `${e.month}:${e.key}:${e.value}${e.hand ? ':hand' : ''}`).join(',');
}

/** Parses one setting; returns `{ value }` or `{ problem }`. */
export function parseSetting(key, text, allowedText = SETTING_ALLOWED) {
  const raw = String(text).trim();
  const bad = () => ({ problem: invalid(key, raw, settingAllowed(key, allowedText[key] || SETTING_ALLOWED[key])) });
  const whole = /^\d+$/.test(raw);
  switch (key) {
    case 'population': {
      const n = Number(raw);
      return whole && n >= 1000 && n <= 20_000_000 ? { value: n } : bad();
    }
    case 'years': {
      const n = Number(raw);
      return whole && n >= 1 && n <= 50 ? { value: n } : bad();
    }
    case 'seed':
      return whole && BigInt(raw) <= MAX_U64 ? { value: BigInt(raw).toString() } : bad();
    case 'urban_share': {
      const x = raw === '' ? NaN : Number(raw);
      return Number.isFinite(x) && x >= 0 && x <= 1 ? { value: x } : bad();
    }
    case 'baseline':
      if (['on', '1', 'true'].includes(raw)) return { value: true };
      if (['off', '0', 'false'].includes(raw)) return { value: false };
      return bad();
    case 'pairs': {
      const n = Number(raw);
      return whole && n >= 2 && n <= 200 ? { value: n } : bad();
    }
    case 'v':
      return /^\d{1,4}\.\d{1,4}\.\d{1,4}$/.test(raw) ? { value: raw } : bad();
    default:
      return bad();
  }
}

/** The preset's lever values and urban share. */
export function presetState(meta, name) {
  const preset = meta.presets.find((p) => p.name === name) || meta.presets[0];
  return { preset: preset.name, levers: { ...preset.levers }, urban_share: preset.urban_share };
}

/**
 * Reads a scenario from a query string. Never throws: every bad value becomes a problem
 * `{ key, message }` and the default is used instead. `version` is the model version the link
 * names (`v=`), or null: it is not part of the scenario, so it is not in `state`.
 */
export function parseUrl(search, meta) {
  const params = new URLSearchParams(search);
  const problems = [];
  const settingsAllowed = Object.fromEntries((meta.settings || []).map((s) => [s.name, s.description]));
  // The ensemble size and the version are the page's, not the model's settings: their
  // allowed values are worded in the page's language here.
  const allowedText = { ...SETTING_ALLOWED, ...settingsAllowed, pairs: t('pinned.pairsAllowed'), v: t('pinned.versionAllowed') };
  const presetNames = meta.presets.map((p) => p.name);
  let presetName = presetNames[0];
  if (params.has('preset')) {
    const raw = params.get('preset').trim();
    if (presetNames.includes(raw)) presetName = raw;
    else problems.push({ key: 'preset', message: t('levers.link.unknownPreset', { value: raw, allowed: presetNames.join(', ') }) });
  }
  const base = presetState(meta, presetName);
  const state = { ...DEFAULT_SETTINGS, ...base, baseline: true, timeline: [] };

  const leverKeys = meta.levers.map((l) => l.key);
  let version = null;
  for (const [key, text] of params) {
    // `present` is the page's presentation mode (presentation.js) and `lang` its language
    // (i18n.js): not part of the scenario.
    if (key === 'preset' || key === 'present' || key === 'lang' || key === 'tour') continue;
    const spec = meta.levers.find((l) => l.key === key);
    if (key === TIMELINE_PARAM) {
      const r = parseTimeline(text, meta);
      problems.push(...r.problems);
      state.timeline = r.entries;
    } else if (spec) {
      const r = parseLever(spec, text);
      if (r.problem) problems.push(r.problem);
      else state.levers[key] = r.value;
    } else if (PAGE_KEYS.includes(key)) {
      const r = parseSetting(key, text, allowedText);
      if (r.problem) problems.push(r.problem);
      else if (key === 'v') version = r.value;
      else state[key] = r.value;
    } else {
      problems.push({
        key,
        message: t('levers.link.unknownParameter', { key, allowed: [...PAGE_KEYS, 'lang', 'present', ...leverKeys].join(', ') }),
      });
    }
  }
  return { state, problems, version };
}

/** Writes a scenario as a query string: preset, changed levers, then settings, the timeline,
 * the ensemble size and the model version (`meta.modelVersion`). */
export function toQuery(state, meta) {
  const base = presetState(meta, state.preset);
  const params = new URLSearchParams();
  params.set('preset', state.preset);
  for (const spec of meta.levers) {
    const value = state.levers[spec.key];
    if (value !== undefined && value !== base.levers[spec.key]) params.set(spec.key, String(value));
  }
  params.set('population', String(state.population));
  params.set('years', String(state.years));
  params.set('seed', String(state.seed));
  if (state.urban_share !== base.urban_share) params.set('urban_share', String(state.urban_share));
  if (state.baseline === false) params.set('baseline', 'off');
  if (state.timeline?.length) params.set(TIMELINE_PARAM, timelineParam(state.timeline));
  if (state.pairs) params.set('pairs', String(state.pairs));
  if (meta.modelVersion) params.set('v', meta.modelVersion);
  return `?${params.toString()}`;
}

/** The scenario object the model takes (`new Simulation(scenario)`) for a page state. */
export function scenarioOf(state) {
  return { preset: state.preset, levers: { ...state.levers }, population: state.population, years: state.years, seed: String(state.seed), urban_share: state.urban_share };
}

