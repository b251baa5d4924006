// The page's months are the model's: Step runs to the end of the model month in progress, Go
// stops only at month ends, and each chart point is one model month's value drawn at the
// month's end, so a year has exactly twelve points. The expected month starts and values come
// from the wasm package itself, loaded into the test page (the page's own thread never loads
// it; its workers do).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, stepMonths, CHARTS } from './browser.mjs';

const TIME_CHARTS = CHARTS.filter((n) => n !== 'sankey' && n !== 'map');

let browser;
let page;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  page = await browser.open('?population=20000&years=2&seed=3');
});

after(async () => {
  await browser?.close();
});

/** The core's first day of months 0..n (`monthStart` of the wasm package). */
const monthStarts = (n) =>
  page.evaluate(async (n) => {
    const pkg = await import(new URL('pkg/consortium_sim.js', location.href).href);
    await pkg.default();
    return Array.from({ length: n + 1 }, (_, m) => pkg.monthStart(m));
  }, n);

/** Every time chart's series: id and points as [day, value]. */
const chartPoints = () =>
  page.evaluate((names) => {
    const out = [];
    for (const name of names) {
      for (const s of window.__explorer.chartData(name)) {
        out.push({ chart: name, id: s.id, days: s.data.map((p) => Math.round(p[0] * 365)), values: s.data.map((p) => p[1]) });
      }
    }
    return out;
  }, TIME_CHARTS);

const waitIdle = () => page.waitForFunction(() => !window.__explorer.running, null, { timeout: 120_000 });

test('Step runs to the end of each model month, and each point sits at its month end', async () => {
  const starts = await monthStarts(24);
  // The model's months: twelve a year, 30 or 31 days each (so a 30-day month cannot be it).
  assert.equal(starts[12], 365);
  assert.equal(starts[24], 730);
  assert.ok(starts.slice(1).every((s, m) => s - starts[m] >= 30 && s - starts[m] <= 31), `month starts ${starts}`);
  assert.ok(starts.slice(1, 13).some((s, m) => s - starts[m] === 31), 'some months have 31 days');

  const days = [];
  for (let i = 0; i < 3; i++) {
    await stepMonths(page, 1);
    days.push(await page.evaluate(() => window.__explorer.day));
  }
  assert.deepEqual(days, starts.slice(1, 4), 'each Step ends where the model ends a month');
  const series = await chartPoints();
  assert.ok(series.length >= 2 * TIME_CHARTS.length, 'current and baseline series drawn');
  for (const s of series) assert.deepEqual(s.days, starts.slice(1, 4), `${s.chart} ${s.id}: a point at each month end`);
  assert.match(await page.$eval('[data-action="step"]', (e) => e.title), /end of the month/);
  assert.deepEqual(browser.problems, []);
});

/** Records every day the page publishes (each snapshot's), from now on, in `window.__days`. */
const recordDays = () =>
  page.evaluate(() => {
    const explorer = window.__explorer;
    let day = explorer.day;
    window.__days = [];
    Object.defineProperty(explorer, 'day', {
      configurable: true,
      enumerable: true,
      get: () => day,
      set(v) {
        if (v !== day) window.__days.push(v);
        day = v;
      },
    });
  });

test('Go at the fastest speed runs three model months per update and pauses at a month end', async () => {
  const starts = await monthStarts(24);
  assert.equal(await page.evaluate(() => window.__explorer.day), starts[3]);
  await recordDays();
  await page.$eval('[data-speed]', (el) => {
    el.value = '5'; // Fastest: three months per update
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // Go, then Pause at once: the update in progress finishes, and the run stops there.
  await page.$eval('[data-action="go"]', (go) => {
    go.click();
    go.click();
  });
  await page.waitForFunction(() => /Paused at day/.test(document.querySelector('[data-status]').textContent), null, {
    timeout: 60_000,
  });
  assert.deepEqual(await page.evaluate(() => window.__days), [starts[6]], 'three months, to a month end');
  // One point per month, each at its month end; the baseline has as many, at the same days.
  for (const s of await chartPoints()) assert.deepEqual(s.days, starts.slice(1, 7), `${s.chart} ${s.id}`);
  assert.deepEqual(browser.problems, []);
});

test('a year has exactly twelve points, each the model\u2019s value for that month', async () => {
  const starts = await monthStarts(24);
  await page.click('[data-action="go"]');
  await page.waitForFunction(() => window.__explorer.day === window.__explorer.totalDays, null, { timeout: 120_000 });
  await waitIdle();
  assert.deepEqual(
    await page.evaluate(() => window.__days),
    [6, 9, 12, 15, 18, 21, 24].map((m) => starts[m]),
    'every update ended three model months later',
  );
  const series = await chartPoints();
  for (const s of series) {
    assert.equal(s.days.length, 24, `${s.chart} ${s.id}: 12 points a year`);
    assert.deepEqual(s.days, starts.slice(1), `${s.chart} ${s.id}: at the month ends`);
  }
  // The same scenario run here, by the wasm package: its series by month, bit for bit.
  const keys = [...new Set(series.map((s) => s.id.replace(/:baseline$/, '')))];
  const expected = await page.evaluate(async (keys) => {
    const pkg = await import(new URL('pkg/consortium_sim.js', location.href).href);
    await pkg.default();
    const sim = new pkg.Simulation(window.__explorer.scenario);
    sim.run();
    const out = Object.fromEntries(keys.map((k) => [k, Array.from(sim.seriesMonthly(k))]));
    sim.free();
    return out;
  }, keys);
  for (const s of series) assert.deepEqual(s.values, expected[s.id.replace(/:baseline$/, '')], `${s.chart} ${s.id}`);
  assert.deepEqual(browser.problems, []);
});

test('the baseline, cached further than the run, is cut at the same month ends', async () => {
  const starts = await monthStarts(24);
  // Set up the same region again: the status-quo baseline is cached to the horizon already.
  await page.click('[data-action="setup"]');
  await page.waitForFunction(() => window.__explorer.day === 0 && !window.__explorer.settingUp, null, { timeout: 60_000 });
  for (let months = 1; months <= 2; months++) {
    await stepMonths(page, 1);
    const series = await chartPoints();
    for (const s of series) assert.deepEqual(s.days, starts.slice(1, months + 1), `${s.chart} ${s.id} after ${months} steps`);
    // The status quo against itself: the baseline is the current run, month by month.
    for (const s of series.filter((x) => x.id.endsWith(':baseline'))) {
      const current = series.find((x) => x.chart === s.chart && x.id === s.id.replace(/:baseline$/, ''));
      assert.deepEqual(s.values, current.values, `${s.chart} ${s.id}`);
    }
  }
  assert.deepEqual(browser.problems, []);
});

test('mid-run the charts keep up with the clock: the clock never shows a month the charts on screen have not drawn', async () => {
  const page = await browser.newPage('?population=100000&years=3&seed=2');
  await page.evaluate(() => {
    const s = document.querySelector('[data-speed]');
    s.value = s.max;
    s.dispatchEvent(new Event('input'));
  });
  // Every frame while Go runs: the month the clock shows against the months the visit-shares
  // chart (on screen at the top of the results) has drawn.
  const samples = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const out = [];
        const chart = window.__explorer.charts.get('visit-shares');
        const tick = () => {
          const day = Number(document.querySelector('[data-day]').textContent.replace(/\D/g, ''));
          const drawn = (chart.getOption().series || []).filter(Boolean)[0]?.data?.length ?? 0;
          out.push({ day, month: Math.ceil((day * 12) / 365), drawn, modelDay: window.__explorer.day });
          if (window.__explorer.day >= window.__explorer.totalDays && !window.__explorer.running) resolve(out);
          else requestAnimationFrame(tick);
        };
        document.querySelector('[data-action="go"]').click();
        requestAnimationFrame(tick);
      }),
  );
  const running = samples.filter((s) => s.modelDay > 0);
  assert.ok(running.length > 20, `frames sampled while running: ${running.length}`);
  assert.ok(running.some((s) => s.day > 0 && s.day < 1095), 'the clock moved mid-run');
  // One month of slack: the charts on screen are drawn over a few frames after the clock moves.
  const ahead = running.filter((s) => s.month > s.drawn + 1);
  console.log(`# clock against the chart: ${running.length} frames, ${ahead.length} with the clock more than a month ahead`);
  assert.deepEqual(ahead.slice(0, 5), [], `${ahead.length} of ${running.length} frames show the clock more than a month ahead of the chart`);
});
