// Presentation mode (issue 18, item 3): `?present=1` and the header's Present button hide the
// header and the controls, one chart (or a 2×2) fills the screen with text of at least 18 px
// set in the ECharts options, keys run, step and switch charts, and Esc restores the page.
// Then predict, then reveal (predict.js): the results hide while the class predicts them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, runTo, screenshot, setRange } from './browser.mjs';
import { enlargeText, presentRequested } from '../../www/presentation.js';

let browser;
let page;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  page = await browser.open('?population=20000&years=1&seed=3&present=1');
});

after(async () => {
  await browser?.close();
  assert.deepEqual(browser?.problems ?? [], []);
});

const presented = () => page.evaluate(() => window.__explorer.presentedCharts);
const query = async () => new URLSearchParams(await page.evaluate(() => location.search));
const visible = (sel) => page.$eval(sel, (e) => e.getBoundingClientRect().height > 0 && getComputedStyle(e).display !== 'none');

/** The size of chart `name`'s canvas and the font sizes of its option (drawn first if stale). */
function chartText(name) {
  return page.evaluate((n) => {
    window.__explorer.chartData(n);
    const chart = window.__explorer.charts.get(n);
    const o = chart.getOption();
    return {
      width: chart.getWidth(),
      height: chart.getHeight(),
      axis: [...(o.xAxis || []), ...(o.yAxis || [])].filter((a) => a.axisLabel.show !== false).map((a) => a.axisLabel.fontSize),
      legend: (o.legend || []).map((l) => l.textStyle.fontSize),
      title: getComputedStyle(chart.getDom().closest('.card').querySelector('h2')).fontSize,
    };
  }, name);
}

/** Waits until the chart board has resized and redrawn chart `name`. */
async function settle(name) {
  await page.waitForFunction(
    (n) => {
      const chart = window.__explorer.charts.get(n);
      const dom = chart.getDom();
      return Math.abs(chart.getWidth() - dom.clientWidth) < 2 && Math.abs(chart.getHeight() - dom.clientHeight) < 2;
    },
    name,
    { timeout: 5_000 },
  );
}

test('the option transform raises every font size and keeps data and functions', () => {
  const fmt = (v) => `${v}`;
  const data = [1, 2, 3];
  const out = enlargeText({ grid: { left: 46, top: 30, bottom: 24 }, yAxis: [{ axisLabel: { fontSize: 11, formatter: fmt } }], series: [{ data, label: { fontSize: 24 } }] });
  assert.equal(out.yAxis[0].axisLabel.fontSize, 18);
  assert.equal(out.yAxis[0].axisLabel.formatter, fmt);
  assert.equal(out.series[0].data, data);
  assert.equal(out.series[0].label.fontSize, 24);
  assert.equal(out.grid.containLabel, true);
  assert.ok(presentRequested('?present=1') && !presentRequested('?present=0') && !presentRequested(''));
});

test('?present=1 at 1280×720: no header, one chart fills most of the screen, text ≥ 18 px', async () => {
  assert.equal(await page.evaluate(() => window.__explorer.presenting), true);
  assert.equal(await visible('.app-header'), false, 'header hidden');
  assert.equal(await visible('#lever-groups'), false, 'levers hidden');
  assert.equal(await visible('[data-action="go"]'), true, 'Go stays');
  assert.equal(await visible('[data-action="step"]'), true, 'Step stays');
  assert.equal(await visible('[data-action="present-exit"]'), true, 'an exit');
  // No "unknown link parameter" for `present`.
  assert.deepEqual(await page.evaluate(() => window.__explorer.problems), []);
  const [name] = await presented();
  assert.equal((await presented()).length, 1);
  // A month of data, so the axes have labels to measure.
  await page.keyboard.press('s');
  await page.waitForFunction(() => window.__explorer.day > 0 && !window.__explorer.running, null, { timeout: 30_000 });
  await settle(name);
  const t = await chartText(name);
  assert.ok(t.width * t.height > 0.6 * 1280 * 720, `chart ${t.width}×${t.height} fills most of 1280×720`);
  assert.ok(t.axis.length >= 2 && t.axis.every((px) => px >= 18), `axis labels ${t.axis}`);
  assert.ok(t.legend.every((px) => px >= 18), `legend ${t.legend}`);
  assert.ok(parseFloat(t.title) >= 18, `title ${t.title}`);
  assert.equal((await query()).get('present'), '1', 'the share link keeps present=1');
  await screenshot(page, 'present-1280x720-single.png');
});

test('keys switch charts, step the run, and toggle the 2×2 grid', async () => {
  const names = await page.$$eval('.card [data-chart]', (els) => els.map((e) => e.dataset.chart));
  await page.keyboard.press('3');
  assert.deepEqual(await presented(), [names[2]]);
  await page.keyboard.press('ArrowDown');
  assert.deepEqual(await presented(), [names[3]]);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await presented(), [names[1]]);
  assert.equal(await visible(`[data-chart="${names[1]}"]`), true);
  assert.equal(await visible(`[data-chart="${names[2]}"]`), false);

  for (const n of ['map', 'sankey']) {
    await page.keyboard.press(String(names.indexOf(n) + 1));
    await settle(n);
    // Drawn by the board within a few frames.
    await page.waitForTimeout(600);
    await screenshot(page, `present-1280x720-${n}.png`);
  }
  await page.keyboard.press('2');
  assert.deepEqual(await presented(), [names[1]]);

  const day = await page.evaluate(() => window.__explorer.day);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((d) => window.__explorer.day > d && !window.__explorer.running, day, { timeout: 30_000 });

  await page.keyboard.press('g');
  const four = await presented();
  assert.equal(four.length, 4);
  for (const n of four) {
    await settle(n);
    const t = await chartText(n);
    assert.ok(t.width > 500 && t.height > 200, `${n} in the grid: ${t.width}×${t.height}`);
    assert.ok(t.axis.every((px) => px >= 18), `${n} axis labels ${t.axis}`);
  }
  await screenshot(page, 'present-1280x720-grid.png');
  await page.setViewportSize({ width: 1024, height: 768 });
  await settle(four[0]);
  await screenshot(page, 'present-1024x768-grid.png');
  await page.keyboard.press('g');
  await settle(names[1]);
  const t = await chartText(names[1]);
  assert.ok(t.width * t.height > 0.6 * 1024 * 768, `chart ${t.width}×${t.height} fills most of 1024×768`);
  await screenshot(page, 'present-1024x768-single.png');

  await page.keyboard.press('?');
  assert.equal(await visible('[data-present-help]'), true, 'help on ?');
  await page.keyboard.press('Escape');
  assert.equal(await visible('[data-present-help]'), false, 'Esc closes the help first');
  assert.equal(await page.evaluate(() => window.__explorer.presenting), true);
});

test('the run keeps going through leaving and entering; Esc restores the normal page', async () => {
  await page.setViewportSize({ width: 1280, height: 720 });
  // The slowest speed (a month about every 0.7 s), so the run is still going when checked.
  await setRange(page, '[data-speed]', 1);
  // Space with Go focused (as after a click on it) runs, once: not Go's own Space as well.
  await page.$eval('[data-action="go"]', (go) => {
    window.__goClicks = 0;
    go.addEventListener('click', () => window.__goClicks++);
    go.focus();
  });
  await page.keyboard.press(' ');
  await page.waitForFunction(() => window.__explorer.running, null, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => window.__goClicks), 1, 'Space pressed Go once');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => window.__explorer.presenting), false);
  assert.equal(await page.evaluate(() => window.__explorer.running), true, 'still running after leaving');
  assert.equal(await visible('.app-header'), true, 'header back');
  assert.equal(await visible('#lever-groups'), true, 'levers back');
  assert.equal(await visible('[data-chart="map"]'), true, 'every chart back');
  assert.equal(await visible('[data-chart="workload"]'), true, 'every chart back');
  assert.equal((await query()).get('present'), null, 'the link drops present');
  // ECharts learns its new size at the next frame's resize (chart-board.js).
  await settle('visit-shares');
  const t = await chartText('visit-shares');
  assert.ok(t.axis.every((px) => px < 18), `normal axis labels again: ${t.axis}`);
  assert.ok(t.width < 600, `normal chart width again: ${t.width}`);
  await screenshot(page, 'present-left.png');

  await page.click('[data-action="present"]');
  assert.equal(await page.evaluate(() => window.__explorer.presenting), true);
  assert.equal(await page.evaluate(() => window.__explorer.running || window.__explorer.day >= window.__explorer.totalDays), true, 'still running after entering');
  await page.keyboard.press(' ');
  await page.waitForFunction(() => !window.__explorer.running, null, { timeout: 30_000 });
  await page.click('[data-action="present-exit"]');
  assert.equal(await visible('.app-header'), true);
});

// ---------- predict, then reveal ----------

const hidden = (sel) => page.$eval(sel, (e) => getComputedStyle(e).visibility === 'hidden' || e.getBoundingClientRect().height === 0);

test('predict, then reveal: results hide while predicting, and Reveal sets each prediction beside the result', async () => {
  page = await browser.newPage('?preset=gatekeeping&population=20000&years=1&seed=3');
  assert.equal(await hidden('[data-kpis]'), false);
  await page.click('[data-action="predict"]');
  assert.equal(await hidden('[data-kpis]'), true, 'key figures hidden');
  assert.equal(await hidden('[data-chart="visit-shares"]'), true, 'charts hidden');
  await page.fill('[data-predict-primary]', '60');
  await page.selectOption('[data-predict-direction="downward_referrals_per_1000"]', 'down');
  await page.click('[data-action="go"]');
  await runTo(page, 365);
  assert.equal(await hidden('[data-kpis]'), true, 'still hidden after the run');
  await page.click('[data-action="reveal"]');
  assert.equal(await hidden('[data-kpis]'), false, 'key figures back');
  const rows = await page.$$eval('.predict-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const s = await page.evaluate(() => window.__explorer.summary);
  const b = await page.evaluate(() => window.__explorer.baselineSummary);
  assert.deepEqual(rows[0].slice(0, 3), ['Primary visits', '60%', `${(s.primary_visit_share * 100).toFixed(1)}%`]);
  const down = rows.find((r) => r[0] === 'Down-referrals');
  const actual = s.downward_referrals_per_1000 < b.downward_referrals_per_1000;
  assert.equal(down[1], '↓');
  assert.equal(down[4], actual ? '✓ as predicted' : '✗ not as predicted');
  await screenshot(page, 'predict-reveal-1280x720.png');
});
