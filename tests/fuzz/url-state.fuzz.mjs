// Fuzzes the page's link parser (`parseUrl` of www/url-state.js) with random query strings
// from a seeded PRNG, in Node: it must never throw, every problem must name a parameter of the
// query and say something in both languages, and the state it returns must hold only valid
// values, which the model itself (the shipped wasm package www/pkg, loaded with `initSync`)
// accepts. `URL_FUZZ_CASES` sets the number of queries (default 3000, CI's budget);
// `URL_FUZZ_SEED` the PRNG's seed. Run: `node --test tests/fuzz/url-state.fuzz.mjs`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const www = new URL('../../www/', import.meta.url);
const CASES = Number(process.env.URL_FUZZ_CASES || 3000);
const SEED = Number(process.env.URL_FUZZ_SEED || 20);

// i18n.js loads its strings with fetch(), which Node does not do for file: URLs, and sets
// <html lang>: both are given here what the page would give them.
globalThis.document ??= { documentElement: {} };
const nodeFetch = globalThis.fetch;
globalThis.fetch = async (url, ...rest) => {
  const u = new URL(url);
  if (u.protocol !== 'file:') return nodeFetch(url, ...rest);
  return new Response(readFileSync(fileURLToPath(u)), { headers: { 'content-type': 'application/json' } });
};

const i18n = await import(new URL('i18n.js', www));
const urlState = await import(new URL('url-state.js', www));
const pkg = await import(new URL('pkg/consortium_sim.js', www));
pkg.initSync({ module: readFileSync(fileURLToPath(new URL('pkg/consortium_sim_bg.wasm', www))) });
const meta = { levers: pkg.levers(), presets: pkg.presets(), settings: pkg.settings() };

/** mulberry32: a small seeded PRNG, so a failing query can be rebuilt from its case number. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EDGE_VALUES = [
  '', ' ', '0', '-0', '1', '0.5', '1.0000001', '-1', '1e308', '1e309', '-1e309', 'NaN', 'Infinity', '-Infinity',
  '0x10', '1_000', '1e3', ' 7 ', '\u0661', '٣', '07', '18446744073709551615', '18446744073709551616', '999', '1000',
  '20000000', '20000001', '50', '51', 'true', 'false', 'TRUE', 'on', 'off', 'null', 'undefined', '[]', '{}',
  '__proto__', 'constructor', '%00', '\u0000', '<script>', '"', "'", ':', ',', '24:referral_bonus:250',
  '9'.repeat(400), 'é', '医联体',
];
const PAGE_KEYS = ['preset', 'population', 'years', 'seed', 'urban_share', 'baseline', 'at', 'lang', 'present', 'tour'];
const JUNK_KEYS = ['', ' ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'Referral_Bonus', 'levers', 'x', '%', '医保'];

function randomQuery(rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const leverKeys = meta.levers.map((l) => l.key);
  const presetNames = meta.presets.map((p) => p.name);
  const validValue = (key) => {
    const spec = meta.levers.find((l) => l.key === key);
    if (spec?.kind === 'choice') return pick(spec.choices);
    if (spec?.kind === 'switch') return pick(['true', 'false']);
    if (key === 'preset') return pick(presetNames);
    return String(Math.round(rand() * 2000) / (1 + Math.floor(rand() * 1000)));
  };
  const timeline = () =>
    Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
      [pick(['0', '1', '24', '600', '601', 'x', '']), pick([...leverKeys, 'nope']), rand() < 0.6 ? validValue(pick(leverKeys)) : pick(EDGE_VALUES)].join(rand() < 0.9 ? ':' : '::'),
    ).join(',');
  if (rand() < 0.1) {
    // Raw characters, escapes and separators in any order.
    return Array.from({ length: Math.floor(rand() * 60) }, () => pick(['&', '=', '%', '%2', '%41', '%E5%8C%BB', '+', '?', '#', 'a', '1', '\u0000', ';', ':', ','])).join('');
  }
  const params = new URLSearchParams();
  for (let i = 0, n = Math.floor(rand() * 8); i < n; i++) {
    const r = rand();
    const key = r < 0.5 ? pick(leverKeys) : r < 0.85 ? pick(PAGE_KEYS) : pick(JUNK_KEYS);
    const value = key === 'at' ? timeline() : rand() < 0.5 ? validValue(key) : pick(EDGE_VALUES);
    params.append(key, value);
  }
  return `?${params}`;
}

/** Whether `value` is a valid value of lever `spec` (the parser's own rule, applied to the result). */
function validLever(spec, value) {
  const r = urlState.parseLever(spec, String(value));
  return !r.problem && r.value === value;
}

function checkState(state) {
  assert.deepEqual(Object.keys(state.levers).sort(), meta.levers.map((l) => l.key).sort(), 'the state has exactly the levers');
  for (const spec of meta.levers) assert.ok(validLever(spec, state.levers[spec.key]), `lever ${spec.key} = ${state.levers[spec.key]}`);
  assert.ok(meta.presets.some((p) => p.name === state.preset), `preset ${state.preset}`);
  for (const key of ['population', 'years', 'seed', 'urban_share']) {
    assert.ok(!urlState.parseSetting(key, String(state[key])).problem, `${key} = ${state[key]}`);
  }
  for (const e of state.timeline) {
    const spec = meta.levers.find((l) => l.key === e.key);
    assert.ok(spec && validLever(spec, e.value), `timeline ${e.key} = ${e.value}`);
    assert.ok(Number.isInteger(e.month) && e.month >= 1 && e.month <= urlState.TIMELINE_MAX_MONTH, `timeline month ${e.month}`);
  }
}

function checkProblems(query, problems) {
  const keys = new Set([...new URLSearchParams(query).keys()]);
  for (const p of problems) {
    assert.ok(typeof p.key === 'string' && keys.has(p.key), `problem ${JSON.stringify(p)} names a parameter of the query`);
    assert.ok(typeof p.message === 'string' && p.message.length > 0, 'a problem has a message');
    assert.doesNotMatch(p.message, /\{\w+\}|^levers\.link\./, 'the message is filled in');
  }
}

for (const lang of ['en', 'zh-CN']) {
  test(`parseUrl never throws and keeps only valid values (${CASES} random queries, ${lang})`, async () => {
    await i18n.useLanguage(lang);
    const rand = prng(SEED);
    let problems = 0;
    for (let n = 0; n < CASES; n++) {
      const query = randomQuery(rand);
      try {
        const r = urlState.parseUrl(query, meta);
        checkProblems(query, r.problems);
        checkState(r.state);
        problems += r.problems.length;
        // The model takes what the parser keeps (small runs: only the values are at stake).
        if (n % 25 === 0) {
          const scenario = urlState.scenarioOf({ ...r.state, population: 1000, years: 1 });
          new pkg.Simulation(scenario).free();
        }
      } catch (e) {
        assert.fail(`case ${n} (seed ${SEED}), query ${JSON.stringify(query)}: ${e.stack || e}`);
      }
    }
    assert.ok(problems > CASES / 4, `the random queries hold bad values (${problems} problems)`);
    assert.deepEqual([...i18n.missing], [], 'every message key exists');
  });
}
