// The golden check on the module the page ships. tests/web.rs replays the golden runs in
// Chromium through a test build of the wasm; the page loads www/pkg instead, built in release
// mode with LTO and optimised by wasm-opt (scripts/build-web.sh), and an optimiser may change
// floating-point results where a test build would not show it. So the same runs are replayed
// here through the shipped package, in the page's own origin, and every bit is compared with
// tests/golden/small.json: summaries by their f64 bit patterns, series and flows by the
// FNV-1a fingerprints of tests/golden/digest.rs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch } from './browser.mjs';

const GOLDEN = JSON.parse(readFileSync(new URL('../golden/small.json', import.meta.url), 'utf8'));

let browser;

before(async () => {
  browser = await launch({ width: 800, height: 600 });
});

after(async () => {
  await browser?.close();
});

/** Replays the golden cases in the page with the shipped package; returns what each gave. */
async function replayInPage(page, golden) {
  return page.evaluate(async (golden) => {
    const wasm = await import('./pkg/consortium_sim.js');
    await wasm.default();
    // FNV-1a over the little-endian bytes of 64-bit words, as digest.rs computes it.
    const fnv1a = (words) => {
      let h = 0xcbf29ce484222325n;
      for (const w of words) {
        for (let i = 0n; i < 64n; i += 8n) {
          h ^= (w >> i) & 0xffn;
          h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
        }
      }
      return h.toString(16).padStart(16, '0');
    };
    const bitsOf = (x) => new BigUint64Array(new Float64Array([x]).buffer)[0];
    const bits = (x) => bitsOf(x).toString(16).padStart(16, '0');
    return golden.cases.map((c) => {
      const sim = new wasm.Simulation(c.scenario);
      for (const action of c.script) {
        if ('step' in action) sim.step(action.step);
        else sim.setLever(action.set_lever[0], action.set_lever[1]);
      }
      const summary = sim.summary();
      const out = {
        name: c.name,
        day: sim.day,
        summary: Object.fromEntries(Object.keys(c.summary).map((k) => [k, bits(summary[k])])),
        series: Object.fromEntries(Object.keys(c.series).map((k) => [k, fnv1a([...sim.series(k)].map(bitsOf))])),
        flows: fnv1a([...sim.flows()].map(BigInt)),
      };
      sim.free();
      return out;
    });
  }, golden);
}

test('the shipped module (www/pkg, release + wasm-opt) reproduces every golden bit', async () => {
  const page = await browser.newPage('');
  const version = await page.evaluate(async () => {
    const wasm = await import('./pkg/consortium_sim.js');
    await wasm.default();
    return wasm.modelVersion();
  });
  assert.equal(version, GOLDEN.model_version, 'the golden file was written by this model version');
  const got = await replayInPage(page, GOLDEN);
  assert.equal(got.length, GOLDEN.cases.length);
  for (const [i, c] of GOLDEN.cases.entries()) {
    const g = got[i];
    assert.equal(g.day, c.day, `${c.name}: day`);
    assert.deepEqual(g.summary, Object.fromEntries(Object.entries(c.summary).map(([k, v]) => [k, v.bits])), `${c.name}: summary bits`);
    assert.deepEqual(g.series, c.series, `${c.name}: series fingerprints`);
    assert.equal(g.flows, c.flows, `${c.name}: flows fingerprint`);
  }
  assert.deepEqual(browser.problems, []);
});
