// Uncertainty bands (issue 19, item 5; www/ensemble.js): an ensemble of paired seeds draws
// bands on the time charts, in both views (the scenario, and its effect against the status
// quo), and each key figure's effect with the range of 90% of seeds; its intervals equal, to
// the last bit, those computed from independent single runs of the same seeds (contract C2);
// Cancel stops it; a bad number of pairs is refused beside the box; its pairs wait while the
// run on screen is in progress; and while it runs the main thread has no task of 50 ms or more.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, screenshot, setRange, cliPath } from './browser.mjs';

// A scenario with an effect (close consortium) and a lever change mid-run (month 7, from the
// link's timeline), so the pairs exercise contract C3's day-based changes.
const SCENARIO = '?preset=close_consortium&population=20000&years=2&seed=7&at=7:referral_bonus:300';

let browser;
let page;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  page = await browser.open(SCENARIO);
});

after(async () => {
  await browser?.close();
});

const status = () => page.evaluate(() => window.__explorer.ensemble.status);

/** Types `pairs` in the box and presses the button; waits until the ensemble stops. */
async function runEnsemble(pairs) {
  await page.fill('[data-ensemble-pairs]', String(pairs));
  await page.click('[data-action="ensemble-run"]');
  await page.waitForFunction(() => window.__explorer.ensemble.status.state !== 'running', null, { timeout: 120_000 });
  const s = await status();
  assert.equal(s.state, 'done', `the ensemble ended as '${s.state}'`);
  return s;
}

// ---------- the reference: independent single runs (contract C2) ----------
//
// These functions do not touch the ensemble's code: each seed's scenario and status quo run
// to the horizon in the page's main thread straight from the wasm, and the intervals are
// computed here with C2's arithmetic written again. When the CLI prints
// `effect.intervals` (`consortium-sim run --replications N`, H1), its JSON is compared with
// the page's by `assertSameIntervals` the same way.

/** Per seed, the summaries of the scenario (with its timeline's changes, by day) and of the
 * status quo, from single runs in the page. */
async function singleRuns(scenario, timeline, seeds) {
  return page.evaluate(
    async ({ scenario, timeline, seeds }) => {
      const wasm = await import(new URL('pkg/consortium_sim.js', location.href).href);
      await wasm.default();
      const runOne = (sc, changes) => {
        const sim = new wasm.Simulation(sc);
        for (const c of changes) {
          sim.step(c.day - sim.day);
          sim.setLever(c.lever, c.value);
        }
        sim.run();
        const summary = sim.summary();
        const months = Array.from(sim.seriesMonthly('primary_visit_share'));
        sim.free();
        return { summary, months };
      };
      const changes = timeline.map((e) => ({ day: wasm.monthStart(e.month - 1), lever: e.key, value: e.value }));
      return seeds.map((seed) => ({
        scenario: runOne({ ...scenario, seed }, changes),
        statusQuo: runOne({ preset: 'status_quo', population: scenario.population, years: scenario.years, urban_share: scenario.urban_share, seed }, []),
      }));
    },
    { scenario, timeline, seeds },
  );
}

/** C2's quantile (type 7) of ascending `x`. */
function q7(x, p) {
  const h = p * (x.length - 1);
  const i = Math.floor(h);
  return i + 1 < x.length ? x[i] + (h - i) * (x[i + 1] - x[i]) : x[i];
}

/** C2's intervals of each output over the seeds: of the scenario, and of the effect. */
function referenceIntervals(runs) {
  const of = (values) => {
    const x = [...values].sort((a, b) => a - b);
    return { median: q7(x, 0.5), p5: q7(x, 0.05), p25: q7(x, 0.25), p75: q7(x, 0.75), p95: q7(x, 0.95) };
  };
  const intervals = {};
  const effect = {};
  for (const name of Object.keys(runs[0].scenario.summary)) {
    intervals[name] = of(runs.map((r) => r.scenario.summary[name]));
    effect[name] = of(runs.map((r) => r.scenario.summary[name] - r.statusQuo.summary[name]));
  }
  // The primary share's monthly bands, of the scenario and of the effect.
  const months = runs[0].scenario.months.map((_, m) => ({
    scenario: of(runs.map((r) => r.scenario.months[m])),
    effect: of(runs.map((r) => r.scenario.months[m] - r.statusQuo.months[m])),
  }));
  return { intervals, effect: { intervals: effect }, months };
}

/** Every quantile of every output the same f64 (Object.is: even the sign of a zero). */
function assertSameIntervals(actual, expected, what) {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: outputs`);
  for (const [name, e] of Object.entries(expected)) {
    for (const q of ['median', 'p5', 'p25', 'p75', 'p95']) {
      assert.ok(Object.is(actual[name][q], e[q]), `${what} ${name}.${q}: page ${actual[name][q]}, single runs ${e[q]}`);
    }
  }
}

// ---------- the tests ----------

test('a bad number of pairs is refused beside the box, and nothing runs', async () => {
  for (const bad of ['1', '201', '2.5', 'ten']) {
    await page.fill('[data-ensemble-pairs]', bad);
    await page.click('[data-action="ensemble-run"]');
    const error = await page.textContent('[data-ensemble-error]');
    assert.match(error, /whole number from 2 to 200/, `for '${bad}'`);
    assert.ok(error.includes(bad), `the message names '${bad}'`);
    assert.equal((await status()).state, 'idle');
  }
  // Nothing of the ensemble on the charts or the figures before it is asked for.
  assert.equal(await page.isVisible('.kpi-effect'), false);
  const ids = await page.evaluate(() => window.__explorer.chartData('visit-shares').map((s) => s.id));
  assert.ok(!ids.some((id) => id.includes(':band')), `no band series yet: ${ids}`);
});

test('the ensemble draws bands on the charts and the effect with its interval under the figures, equal to single runs to the last bit', async () => {
  const s = await runEnsemble(6);
  assert.equal(s.done, 6);
  assert.deepEqual(s.seeds, ['7', '8', '9', '10', '11', '12']);
  assert.match(await page.textContent('[data-ensemble-status]'), /6 pairs, seeds 7 to 12/);

  // The intervals equal those of independent single runs of the same seeds.
  const scenario = await page.evaluate(() => window.__explorer.scenario);
  const runs = await singleRuns(scenario, [{ month: 7, key: 'referral_bonus', value: 300 }], s.seeds);
  const reference = referenceIntervals(runs);
  assertSameIntervals(s.intervals, reference.intervals, 'scenario');
  assertSameIntervals(s.effect.intervals, reference.effect.intervals, 'effect');

  // And those the command line prints for the same seeds: the page's scenario file (its
  // seeds are the ensemble's, `pairs=6`) through `consortium-sim run --scenario`.
  const file = await page.evaluate(() => window.__explorer.exports.scenarioFile());
  assert.deepEqual(JSON.parse(file).seeds, [7, 8, 9, 10, 11, 12], "the file holds the ensemble's seeds");
  const scratch = mkdtempSync(join(tmpdir(), 'ensemble-cli-'));
  try {
    writeFileSync(join(scratch, 'scenario.json'), file);
    const cli = JSON.parse(execFileSync(cliPath(), ['run', '--scenario', join(scratch, 'scenario.json')], { encoding: 'utf8' }));
    assert.equal(cli.effect.baseline, 'status_quo');
    assertSameIntervals(s.intervals, cli.intervals, 'scenario against the CLI');
    assertSameIntervals(s.effect.intervals, cli.effect.intervals, 'effect against the CLI');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  // The key figure: the median effect in points, and the range of 90% of seeds.
  const e = reference.effect.intervals.primary_visit_share;
  const pts = (v) => `${v > 0 ? '+' : v < 0 ? '−' : '±'}${(Math.abs(v) * 100).toFixed(1)} pts`;
  const tile = page.locator('[data-kpi="primary_visit_share"] .kpi-effect');
  await tile.waitFor({ state: 'visible' });
  assert.equal(await tile.locator('.kpi-effect-value').textContent(), `Effect ${pts(e.median)}`);
  assert.equal(await tile.locator('.kpi-effect-interval').textContent(), `90% of seeds: ${pts(e.p5)} to ${pts(e.p95)}`);
  assert.equal(
    await tile.getAttribute('title'),
    `Effect of the scenario against the status quo with the same seed, over 6 seeds: Primary share of visits ${pts(e.median)}, 90% of seeds between ${pts(e.p5)} and ${pts(e.p95)}`,
  );
  // Spending is in yuan, not points.
  assert.match(await page.textContent('[data-kpi="spending_per_capita"] .kpi-effect-value'), /^Effect [+−±]¥[\d,]+$/);

  // The scenario's bands on the visit shares chart, behind the run on screen: month by month
  // the quantiles of the single runs' monthly primary shares.
  const drawn = await page.evaluate(() => {
    window.__explorer.chartData('visit-shares');
    const series = window.__explorer.charts.get('visit-shares').getOption().series.filter(Boolean);
    return series.map((x) => ({ id: x.id, type: x.type, data: x.data, bands: x.bands }));
  });
  const byId = new Map(drawn.map((x) => [x.id, x]));
  assert.ok(byId.has('primary_visit_share'), 'the run on screen stays drawn');
  const band = byId.get('primary_visit_share:band');
  assert.ok(band, 'the bands are drawn');
  for (const piece of ['outer-low', 'inner', 'outer-high', 'median']) {
    assert.equal(byId.get(`primary_visit_share:band:${piece}`)?.data.length, 24, `${piece}: one point per month`);
  }
  const inner = byId.get('primary_visit_share:band:inner').data;
  inner.forEach(([, width], m) => assert.equal(width, band.bands.p75[m] - band.bands.p25[m], `the 50% band's width in month ${m + 1}`));
  for (const q of ['p5', 'p25', 'median', 'p75', 'p95']) {
    assert.equal(band.bands[q].length, 24);
    band.bands[q].forEach((v, m) => assert.ok(Object.is(v, reference.months[m].scenario[q]), `month ${m + 1} ${q}: drawn ${v}, single runs ${reference.months[m].scenario[q]}`));
  }
  assert.ok(band.bands.p95.some((v, m) => v > band.bands.p5[m]), 'the seeds differ: the band has a width');
  await screenshot(page, 'ensemble-scenario.png');

  // The effect view: the chart's lines become the median effect, over the same months.
  await page.check('input[name="ensemble-view"][value="effect"]');
  await page.waitForFunction(() => window.__explorer.chartData('visit-shares').some((x) => x.id === 'primary_visit_share' && x.data.at(-1)[1] < 0.3));
  const effect = await page.evaluate(() => window.__explorer.chartData('visit-shares'));
  const median = effect.find((x) => x.id === 'primary_visit_share').data;
  assert.deepEqual(
    median.map(([, v]) => v),
    reference.months.map((m) => m.effect.median),
    'the lines are the median effect',
  );
  assert.ok(!effect.some((x) => x.id.endsWith(':baseline')), 'no status quo line in the effect view');
  assert.ok(effect.some((x) => x.id === 'primary_visit_share:band'));
  assert.equal(await page.isVisible('[data-ensemble-key="effect"]'), true);
  await screenshot(page, 'ensemble-effect.png');

  // In Chinese: the figure's effect in 个百分点.
  await page.selectOption('[data-language]', 'zh-CN');
  await page.waitForFunction(() => document.querySelector('[data-kpi="primary_visit_share"] .kpi-effect-value').textContent.startsWith('效应'));
  assert.match(await tile.locator('.kpi-effect-interval').textContent(), /^90% 的种子：[+−±]\d+\.\d 个百分点 至 [+−±]\d+\.\d 个百分点$/);
  assert.match(await page.textContent('[data-ensemble-status]'), /6 对，随机种子 7 至 12/);
  await page.selectOption('[data-language]', 'en');
  await page.check('input[name="ensemble-view"][value="scenario"]');
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
});

test('a changed scenario puts the bands away until the ensemble runs again', async () => {
  await page.selectOption('[data-preset]', 'county_community');
  await page.waitForFunction(() => !window.__explorer.settingUp && window.__explorer.scenario.preset === 'county_community');
  await page.waitForFunction(() => document.querySelector('[data-kpi="primary_visit_share"] .kpi-effect').hidden);
  assert.match(await page.textContent('[data-ensemble-status]'), /scenario changed/);
  const ids = await page.evaluate(() => window.__explorer.chartData('visit-shares').map((s) => s.id));
  assert.ok(!ids.some((id) => id.includes(':band')), `no bands of another scenario: ${ids}`);
});

test('Cancel stops the ensemble and keeps what it found; a new one starts afresh', async () => {
  await page.fill('[data-ensemble-pairs]', '40');
  await page.click('[data-action="ensemble-run"]');
  await page.waitForFunction(() => window.__explorer.ensemble.status.done >= 2, null, { timeout: 60_000 });
  assert.match(await page.textContent('[data-ensemble-status]'), /^\d+ of 40 pairs$/);
  await page.click('[data-action="ensemble-cancel"]');
  const stopped = await status();
  assert.equal(stopped.state, 'cancelled');
  assert.ok(stopped.done < 40);
  assert.equal(await page.textContent('[data-ensemble-status]'), `Cancelled after ${stopped.done} of 40 pairs`);
  assert.equal(await page.isVisible('[data-action="ensemble-cancel"]'), false);
  // No pair arrives after Cancel: the workers in flight were stopped.
  await page.waitForTimeout(1500);
  assert.equal((await status()).done, stopped.done);
  // What was found stays drawn (from two pairs on), once the aggregator has answered.
  await page.waitForSelector('[data-kpi="primary_visit_share"] .kpi-effect', { state: 'visible', timeout: 15_000 });
  const again = await runEnsemble(3);
  assert.equal(again.done, 3);
  assert.equal(again.n, 3);
});

test('pairs wait while the run on screen is in progress, then run', async () => {
  // The slowest speed (a month every 0.7 s), so the run is still going when the pairs are asked for.
  await setRange(page, '[data-speed]', 1);
  await page.click('[data-action="go"]');
  await page.waitForFunction(() => window.__explorer.running);
  await page.fill('[data-ensemble-pairs]', '2');
  await page.click('[data-action="ensemble-run"]');
  await page.waitForFunction(() => /waiting while the run on screen is in progress/.test(document.querySelector('[data-ensemble-status]').textContent));
  await page.waitForTimeout(1000);
  assert.equal((await status()).done, 0, 'no pair ran beside the run on screen');
  assert.equal(await page.evaluate(() => window.__explorer.running), true);
  // Pause: the pairs run.
  await page.click('[data-action="go"]');
  await page.waitForFunction(() => window.__explorer.ensemble.status.state === 'done', null, { timeout: 120_000 });
  assert.equal(await page.evaluate(() => window.__explorer.running), false, 'the pairs ran once the run on screen had stopped');
  await setRange(page, '[data-speed]', 4);
  assert.match(await page.textContent('[data-ensemble-status]'), /^2 pairs, seeds 7 to 8$/);
});

test('no main-thread task of 50 ms or more while 8 pairs run (20,000 residents, 2 years)', async () => {
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
  });
  // Polled rarely: each poll is a task of the test's own on the page's main thread.
  await page.fill('[data-ensemble-pairs]', '8');
  await page.click('[data-action="ensemble-run"]');
  await page.waitForFunction(() => window.__explorer.ensemble.status.state !== 'running', null, { timeout: 120_000, polling: 1000 });
  const s = await status();
  assert.equal(s.state, 'done');
  assert.equal(s.done, 8);
  // The last redraw after the last pair.
  await page.waitForTimeout(800);
  const tasks = await page.evaluate(() => window.__longTasks);
  assert.deepEqual(tasks, [], `long tasks (ms) on the main thread: ${tasks}`);
});
