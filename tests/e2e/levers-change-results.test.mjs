// Moving a lever changes what the charts show, against the same run without the change.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, stepMonths, setRange } from './browser.mjs';

let browser;
let page;

before(async () => {
  browser = await launch();
  page = await browser.open('?population=20000&years=2&seed=3');
});

after(async () => {
  await browser?.close();
});

const currentPrimary = () =>
  page.evaluate(() => window.__explorer.chartData('visit-shares').find((s) => s.id === 'primary_visit_share').data.map((p) => p[1]));
const baselinePrimary = () =>
  page.evaluate(() =>
    window.__explorer.chartData('visit-shares').find((s) => s.id === 'primary_visit_share:baseline').data.map((p) => p[1]),
  );

test('status quo: the current run equals its baseline', async () => {
  await stepMonths(page, 4);
  const cur = await currentPrimary();
  assert.equal(cur.length, 4);
  assert.deepEqual(cur, await baselinePrimary());
});

test('strict gatekeeping raises the primary share of visits above the baseline', async () => {
  const plain = await currentPrimary();
  await page.selectOption('[data-lever="gatekeeping"]', 'strict');
  await page.click('[data-action="setup"]');
  await page.waitForFunction(() => window.__explorer.day === 0 && window.__explorer.scenario.levers.gatekeeping === 'strict');
  assert.match(await page.evaluate(() => location.search), /gatekeeping=strict/);
  await stepMonths(page, 4);
  const strict = await currentPrimary();
  const base = await baselinePrimary();
  assert.notDeepEqual(strict, plain, 'the chart changed');
  assert.deepEqual(base, plain, 'the baseline is the earlier status-quo run');
  const mean = (a) => a.reduce((x, y) => x + y, 0) / a.length;
  assert.ok(mean(strict) > mean(base) + 0.05, `primary share ${mean(strict)} vs baseline ${mean(base)}`);
  const s = await page.evaluate(() => window.__explorer.summary);
  const b = await page.evaluate(() => window.__explorer.baselineSummary);
  assert.ok(s.primary_visit_share > b.primary_visit_share);
});

test('a slider moved mid-run takes effect and is marked on the charts', async () => {
  await page.click('[data-action="reset"]');
  await page.waitForFunction(() => window.__explorer.day === 0 && window.__explorer.scenario.levers.gatekeeping === 'none');
  await stepMonths(page, 2);
  const movedOn = await page.evaluate(() => window.__explorer.day);
  await setRange(page, '[data-lever="reimbursement_primary"]', 0.95);
  await page.waitForFunction(() => window.__explorer.chartData('visit-shares')[0].data.length === 2);
  await page.waitForFunction(() => document.querySelector('[data-field="reimbursement_primary"] output').textContent === '0.95');
  // The move has reached the model once the link holds it (a timeline entry for the month that
  // starts on the day it applies); pressing Step before then would apply it a month later.
  await page.waitForFunction(() => new URLSearchParams(location.search).get('at') === '3:reimbursement_primary:0.95:hand');
  assert.ok(await page.$eval('[data-field="reimbursement_primary"]', (e) => e.classList.contains('changed')));
  await stepMonths(page, 3);
  const cur = await currentPrimary();
  const base = await baselinePrimary();
  assert.deepEqual(cur.slice(0, 2), base.slice(0, 2), 'identical before the change');
  assert.notDeepEqual(cur.slice(2), base.slice(2), 'different after the change');
  // The mark: a vertical line at the day the lever moved, named after it, on every time chart.
  for (const chart of ['visit-shares', 'referrals']) {
    const series = await page.evaluate((name) => window.__explorer.chartData(name), chart);
    const marks = series.flatMap((s) => s.marks || []).filter((m) => m.xAxis !== undefined);
    assert.deepEqual(
      marks.map((m) => ({ day: Math.round(m.xAxis * 365), name: m.name })),
      [{ day: movedOn, name: 'reimbursement_primary = 0.95' }],
      `${chart}: one mark, at day ${movedOn}`,
    );
  }
  assert.deepEqual(browser.problems, []);
});

test('the baseline overlay can be switched off and on', async () => {
  await page.uncheck('[data-baseline]');
  await page.waitForFunction(() => window.__explorer.chartData('referrals').length === 2);
  assert.match(await page.evaluate(() => location.search), /baseline=off/);
  await page.check('[data-baseline]');
  await page.waitForFunction(() => window.__explorer.chartData('referrals').length === 4);
  assert.deepEqual(browser.problems, []);
});
