// Saved runs, compared (issue 18, item 1): two runs with different levers are saved, both are
// overlaid on every time chart and key figure with the values the runs showed, they survive a
// reload, one is hidden and one removed, and a full storage refuses a save with a message.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, runTo, screenshot, stepMonths } from './browser.mjs';
import { TIME_CHARTS } from '../../www/charts.js';
import { readFileSync } from 'node:fs';

const EN = JSON.parse(readFileSync(new URL('../../www/strings/en.json', import.meta.url), 'utf8'));

const SETTINGS = 'population=20000&years=3&seed=7';
const STRICT = `?preset=status_quo&gatekeeping=strict&${SETTINGS}`;
const CLOSE = `?preset=close_consortium&payment_method=global_budget&${SETTINGS}`;

let browser;
let page;
/** What each run showed when it was saved: per time chart, its current series by key; and
 * the key figures' texts. */
const shown = {};

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  page = await browser.open(STRICT);
});

after(async () => {
  await browser?.close();
});

const savedRuns = () => page.evaluate(() => window.__explorer.savedRuns);

/** Runs the page's scenario to its horizon and records what the charts and figures show. */
async function runAndRecord(name) {
  await page.click('[data-action="go"]');
  const total = await page.evaluate(() => window.__explorer.totalDays);
  await runTo(page, total);
  // The figures and the clock are drawn with the charts' round (chart-board.js): wait until
  // they show the horizon.
  await page.waitForFunction((t) => Number(document.querySelector('[data-day]').textContent.replace(/\D/g, '')) === t, total);
  const charts = {};
  for (const spec of TIME_CHARTS) {
    const series = await page.evaluate((n) => window.__explorer.chartData(n), spec.name);
    charts[spec.name] = Object.fromEntries(series.filter((s) => !s.id.includes(':')).map((s) => [s.id, s.data]));
    for (const s of spec.series) assert.ok(charts[spec.name][s.key]?.length > 0, `${name}: ${spec.name} draws ${s.key}`);
  }
  const figures = await page.$$eval('[data-kpi]', (tiles) => Object.fromEntries(tiles.map((t) => [t.dataset.kpi, t.querySelector('.kpi-value').textContent])));
  shown[name] = { charts, figures };
}

async function save(name) {
  await page.fill('[data-save-name]', name);
  await page.click('[data-action="save-run"]');
  await page.waitForFunction((n) => window.__explorer.savedRuns.some((r) => r.name === n), name, { timeout: 5_000 });
}

/** Every time chart draws each of `names` (saved runs) with the values its run showed, named
 * "<series> · <run>", and none of the saved runs not in `names`. */
async function expectOverlaid(names, where) {
  const runs = await savedRuns();
  for (const spec of TIME_CHARTS) {
    const series = await page.evaluate((n) => window.__explorer.chartData(n), spec.name);
    for (const run of runs) {
      const mine = series.filter((s) => s.id.endsWith(`:saved:${run.id}`));
      if (!names.includes(run.name)) {
        assert.equal(mine.length, 0, `${where}: ${spec.name} does not draw "${run.name}"`);
        continue;
      }
      assert.equal(mine.length, spec.series.length, `${where}: ${spec.name} draws every series of "${run.name}"`);
      for (const s of spec.series) {
        const drawn = series.find((x) => x.id === `${s.key}:saved:${run.id}`);
        assert.ok(drawn, `${where}: ${spec.name} has ${s.key} of "${run.name}"`);
        // The series' name as the page labels it (in its language), then the run's name.
        const label = series.find((x) => x.id === s.key)?.name;
        assert.equal(drawn.name, `${label} · ${run.name}`, `${where}: ${spec.name} names its series`);
        assert.deepEqual(drawn.data, shown[run.name].charts[spec.name][s.key], `${where}: ${spec.name} ${s.key} of "${run.name}" is what the run showed`);
      }
    }
  }
  // The key figures: one row per overlaid run, in saving order, with the value the run showed.
  // The tiles are redrawn with the charts' round (chart-board.js), a few frames after the change:
  // wait until they name the runs expected (the check below says what differs, if they never do).
  const overlaid = runs.filter((r) => names.includes(r.name)).map((r) => r.name);
  await page
    .waitForFunction(
      (want) => [...document.querySelectorAll('[data-kpi]')].every((t) => [...t.querySelectorAll('.kpi-saved-name')].map((n) => n.textContent).join('\n') === want.join('\n')),
      overlaid,
      { timeout: 10_000 },
    )
    .catch(() => {});
  const rows = await page.$$eval('[data-kpi]', (tiles) =>
    Object.fromEntries(
      tiles.map((t) => [
        t.dataset.kpi,
        [...t.querySelectorAll('.kpi-saved-row')].map((r) => ({ name: r.querySelector('.kpi-saved-name').textContent, value: r.querySelector('.kpi-saved-value').textContent })),
      ]),
    ),
  );
  for (const [key, list] of Object.entries(rows)) {
    assert.deepEqual(
      list,
      runs.filter((r) => names.includes(r.name)).map((r) => ({ name: r.name, value: shown[r.name].figures[key] })),
      `${where}: key figure ${key}`,
    );
  }
  // The key above the charts names each overlaid run.
  const key = await page.$$eval('[data-saved-key-entry]', (es) => es.map((e) => e.textContent));
  assert.deepEqual(key, runs.filter((r) => names.includes(r.name)).map((r) => r.name), `${where}: the key above the charts`);
}

test('nothing to save before a run: a message, and no saved run', async () => {
  await page.click('[data-action="save-run"]');
  assert.match(await page.$eval('[data-saved-status]', (e) => e.textContent), /Nothing to save yet/);
  assert.equal((await savedRuns()).length, 0);
});

test('two runs with different levers are saved and listed with their levers', async () => {
  await runAndRecord('Strict gatekeeping');
  await save('Strict gatekeeping');
  await page.goto(new URL(CLOSE, page.url()).href);
  await page.waitForFunction(() => window.__explorer?.ready && window.__explorer.setups > 0);
  await runAndRecord('Close + global budget');
  await save('Close + global budget');

  const runs = await savedRuns();
  assert.deepEqual(runs.map((r) => r.name), ['Strict gatekeeping', 'Close + global budget']);
  assert.equal(runs[0].levers.gatekeeping, 'strict');
  assert.equal(runs[1].levers.payment_method, 'global_budget');
  const items = await page.$$eval('[data-saved-runs] [data-saved-run]', (lis) =>
    lis.map((li) => ({ name: li.querySelector('[data-saved-name]').textContent, levers: li.querySelector('[data-saved-levers]').textContent })),
  );
  assert.equal(items.length, 2);
  assert.equal(items[0].name, 'Strict gatekeeping');
  // Choices read as the lever's own select names them.
  assert.equal(items[0].levers, `Gatekeeping: ${EN.levers.choice.gatekeeping.strict}`, 'the first run differs from the status quo in gatekeeping only');
  assert.ok(items[1].levers.includes(`Payment method: ${EN.levers.choice.payment_method.global_budget}`), items[1].levers);
  assert.match(items[1].levers, /Consortium integration/);
});

test('both saved runs are overlaid on every time chart and key figure, beside the run and the status quo', async () => {
  await expectOverlaid(['Strict gatekeeping', 'Close + global budget'], 'both overlaid');
  // The current run and the status quo are still drawn.
  const series = await page.evaluate(() => window.__explorer.chartData('visit-shares'));
  assert.ok(series.some((s) => s.id === 'primary_visit_share'), 'the current run');
  assert.ok(series.some((s) => s.id === 'primary_visit_share:baseline'), 'the status quo');
  // "Show data" of a time chart has a column per series of each saved run, with its values.
  await page.click('[data-show-data="visit-shares"]');
  await page.waitForSelector('[data-table="visit-shares"] table');
  const table = await page.$eval('[data-table="visit-shares"] table', (t) => ({
    heads: [...t.querySelectorAll('thead th')].map((th) => th.textContent),
    first: [...t.querySelectorAll('tbody tr:first-child td')].map((td) => td.textContent),
  }));
  const col = table.heads.indexOf('Primary, Strict gatekeeping');
  assert.ok(col > 0, `the table has the saved run's columns: ${table.heads.join(' | ')}`);
  assert.ok(table.heads.includes('Tertiary, Close + global budget'));
  const firstMonth = shown['Strict gatekeeping'].charts['visit-shares'].primary_visit_share[0][1];
  assert.equal(table.first[col - 1], `${(firstMonth * 100).toFixed(1)}%`, 'month 1 of the saved run');
  await page.click('[data-show-data="visit-shares"]');
  await screenshot(page, 'saved-runs-1280x720.png');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await screenshot(page, 'saved-runs-390x844.png');
  await page.$eval('[data-saved-box]', (e) => e.scrollIntoView());
  await screenshot(page, 'saved-runs-list-390x844.png');
  await page.$eval('[data-kpis]', (e) => e.scrollIntoView());
  await screenshot(page, 'saved-runs-figures-390x844.png');
  await page.setViewportSize({ width: 1280, height: 720 });
});

test('a saved run can be taken off the charts and put back', async () => {
  await page.click('[data-saved-run]:nth-child(1) [data-overlay]');
  await expectOverlaid(['Close + global budget'], 'first hidden');
  await page.click('[data-saved-run]:nth-child(1) [data-overlay]');
  await expectOverlaid(['Strict gatekeeping', 'Close + global budget'], 'first shown again');
});

test('saved runs survive a reload, drawn on the charts before any run', async () => {
  await page.reload();
  await page.waitForFunction(() => window.__explorer?.ready && window.__explorer.setups > 0);
  assert.deepEqual((await savedRuns()).map((r) => r.name), ['Strict gatekeeping', 'Close + global budget']);
  assert.equal(await page.$$eval('[data-saved-run]', (l) => l.length), 2);
  await expectOverlaid(['Strict gatekeeping', 'Close + global budget'], 'after a reload');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('consortium-sim.saved-runs.v1')));
  const version = await page.$eval('[data-version]', (e) => e.textContent.replace('model v', ''));
  assert.ok(stored.every((r) => r.modelVersion === version), 'each saved run records the model version');
});

test('a saved run is removed from the list, the charts and the storage', async () => {
  await page.click('[data-saved-run]:nth-child(1) [data-action="remove-saved-run"]');
  assert.deepEqual((await savedRuns()).map((r) => r.name), ['Close + global budget']);
  await expectOverlaid(['Close + global budget'], 'after removing one');
  // The removed run's series are gone from every chart.
  for (const spec of TIME_CHARTS) {
    const series = await page.evaluate((n) => window.__explorer.chartData(n), spec.name);
    assert.equal(series.filter((s) => s.id.includes(':saved:')).length, spec.series.length, `${spec.name}: one saved run left`);
  }
  await page.reload();
  await page.waitForFunction(() => window.__explorer?.ready && window.__explorer.setups > 0);
  assert.deepEqual((await savedRuns()).map((r) => r.name), ['Close + global budget'], 'the removal is stored');
});

test('a saved run lists the lever changes during it, scheduled and by hand, up to the day it was saved', async () => {
  // Months 2 (scheduled) and 3 (by hand) are reached after four months; month 20 is not.
  const at = encodeURIComponent('2:referral_bonus:300,3:gatekeeping:strict:hand,20:referral_bonus:100');
  await page.goto(new URL(`?preset=status_quo&${SETTINGS}&at=${at}`, page.url()).href);
  await page.waitForFunction(() => window.__explorer?.ready && window.__explorer.setups > 0);
  await stepMonths(page, 4);
  await save('With a timeline');
  const run = (await savedRuns()).find((r) => r.name === 'With a timeline');
  assert.deepEqual(
    run.timeline.map((e) => `${e.month}:${e.key}:${e.value}${e.hand ? ':hand' : ''}`),
    ['2:referral_bonus:300', '3:gatekeeping:strict:hand'],
  );
  const listed = await page.$$eval('[data-saved-run] [data-saved-timeline]', (ps) => ps.map((p) => ({ hidden: p.hidden, text: p.textContent })));
  assert.equal(listed.length, 2);
  assert.deepEqual(listed[0], { hidden: true, text: '' }, 'a run without changes lists none');
  assert.equal(listed[1].hidden, false);
  const bonus = EN.levers.lever.referral_bonus.label;
  const gatekeeping = EN.levers.lever.gatekeeping.label;
  assert.equal(listed[1].text, `Month 2: ${bonus} = 300; Month 3: ${gatekeeping} = ${EN.levers.choice.gatekeeping.strict} (${EN.pinned.byHand})`);
  // Back to the one saved run the next test expects.
  await page.click('[data-saved-run]:last-child [data-action="remove-saved-run"]');
  await page.waitForFunction(() => window.__explorer.savedRuns.length === 1);
});

test('a full storage refuses a save with a message and keeps the saved runs', async () => {
  await page.click('[data-action="step"]');
  await page.waitForFunction(() => window.__explorer.day > 0 && !window.__explorer.running);
  await page.evaluate(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await page.fill('[data-save-name]', 'Too many');
  await page.click('[data-action="save-run"]');
  assert.match(await page.$eval('[data-saved-status]', (e) => e.textContent), /"Too many" was not saved: .*storage .* is full/);
  assert.deepEqual((await savedRuns()).map((r) => r.name), ['Close + global budget']);
  assert.equal(await page.$$eval('[data-saved-run]', (l) => l.length), 1);
  assert.deepEqual(browser.problems, []);
});
