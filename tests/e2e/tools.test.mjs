// Saved runs, predict-then-reveal and presentation mode, finished (issue 18, items 1-3): their
// texts in Chinese and again in English after the switch; small multiples of one chart per
// run on the same axes, at 1280 px and wrapping at 390 px; the 2×2 grid's charts chosen in
// presentation mode and kept over a reload; predict inside presentation mode; a typed number
// and a sketched line of the primary share shown against the result at the reveal.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, runTo, stepMonths, screenshot } from './browser.mjs';
import { niceAxis, multiplesOptions } from '../../www/small-multiples.js';
import { sketchAt, sketchMean, snapEnds } from '../../www/predict.js';
import { TIME_CHARTS } from '../../www/charts.js';

const SMALL = 'population=20000&years=1&seed=3';
const HAN = /\p{Script=Han}/u;

let browser;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
});

after(async () => {
  await browser?.close();
  assert.deepEqual(browser?.problems ?? [], []);
});

const visible = (page, sel) => page.$eval(sel, (e) => e.getBoundingClientRect().height > 0 && getComputedStyle(e).display !== 'none' && getComputedStyle(e).visibility !== 'hidden');

test('the helpers: nice axis tops, shared axes of small multiples, and a sketch read at a time', () => {
  assert.deepEqual(niceAxis(0, 14.6), { min: 0, max: 15, interval: 5 });
  assert.deepEqual(niceAxis(0, 1), { min: 0, max: 1, interval: 0.5 });
  assert.deepEqual(niceAxis(-0.12, 0.31), { min: -0.2, max: 0.4, interval: 0.2 });
  const spec = TIME_CHARTS.find((c) => c.name === 'referrals');
  const run = (day, v) => ({ day, totalDays: 365, monthStarts: [0, 30, 61], months: { upward_referrals_per_1000: [v, v, v], downward_referrals_per_1000: [1, 1, 1] } });
  const [a, b] = multiplesOptions(spec, [run(91, 3), run(61, 17)]);
  assert.deepEqual([a.yAxis.min, a.yAxis.max, a.xAxis.max], [b.yAxis.min, b.yAxis.max, b.xAxis.max], 'same axes');
  assert.ok(a.yAxis.max >= 17, `the top holds the larger run: ${a.yAxis.max}`);
  assert.equal(a.xAxis.max, 1, 'time spans the horizon, not the days run');
  const sketch = [[0, 0.4], [1, 0.6]];
  assert.equal(sketchAt(sketch, 0.5), 0.5);
  assert.equal(sketchAt(sketch, 1.5), null);
  assert.ok(Math.abs(sketchMean(sketch, 0, 1) - 0.5) < 1e-9);
  assert.deepEqual(snapEnds([[0.02, 0.4], [0.5, 0.5], [0.985, 0.6]], 1), [[0, 0.4], [0.5, 0.5], [1, 0.6]], 'a stroke stopping just short reaches the ends');
  assert.deepEqual(snapEnds([[0.2, 0.4], [0.8, 0.6]], 1), [[0.2, 0.4], [0.8, 0.6]]);
});

test('?lang=zh-CN: the saved-runs box, the predict panel and the presentation help are Chinese, and English after the switch', async () => {
  const page = await browser.newPage(`?lang=zh-CN&${SMALL}`);
  assert.equal(await page.textContent('#saved-title'), '已保存的运行');
  assert.equal(await page.textContent('[data-action="save-run"]'), '保存运行');
  assert.equal(await page.getAttribute('[data-save-name]', 'placeholder'), '为本次运行命名');
  await page.click('[data-action="save-run"]');
  assert.match(await page.textContent('[data-saved-status]'), /还没有可保存的结果/);
  assert.match(await page.textContent('[data-action="open-multiples"]'), /小多图/);

  await page.click('[data-action="predict"]');
  assert.equal(await page.textContent('[data-predict] h2'), '先预测，再揭晓');
  const predictTexts = await page.$eval('[data-predict]', (p) =>
    [...p.querySelectorAll('h2, .predict-ask, .predict-fields label > span, option, .predict-sketch-head, button')].map((e) => e.textContent.trim()).filter((s) => /[A-Za-z]{3,}/.test(s) || s.length > 1),
  );
  assert.ok(predictTexts.length >= 10, `texts of the panel: ${predictTexts}`);
  for (const s of predictTexts) assert.match(s, HAN, `Chinese in the predict panel: "${s}"`);
  assert.deepEqual(await page.$$eval('[data-predict-direction="cooperation_index"] option', (os) => os.map((o) => o.textContent)), ['—', '高于现状 ↑', '低于现状 ↓']);
  assert.match(await page.textContent('[data-action="predict"]'), /预测/);
  await page.click('[data-action="predict"]');

  await page.click('[data-action="present"]');
  await page.keyboard.press('?');
  assert.equal(await visible(page, '[data-present-help]'), true);
  const help = await page.$$eval('[data-present-help] dd', (dds) => dds.map((d) => d.textContent));
  assert.equal(help.length, 9, `every key listed: ${help}`);
  for (const s of help) assert.match(s, HAN, `Chinese in the key list: "${s}"`);
  assert.equal(await page.textContent('[data-present-help] h2'), '快捷键');
  const keys = await page.$$eval('[data-present-help] dt', (dts) => dts.map((d) => d.textContent));
  for (const k of ['G', 'C', 'P', '?', 'Esc']) assert.ok(keys.includes(k), `key ${k} listed`);
  assert.match(await page.textContent('[data-action="present-exit"]'), /退出/);
  assert.match(await page.textContent('[data-action="present-predict"]'), /预测/);
  await screenshot(page, 'tools-zh-present-help.png');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => window.__explorer.presenting), false);
  await screenshot(page, 'tools-zh-1280x720.png');

  await page.selectOption('[data-language]', 'en');
  assert.equal(await page.textContent('#saved-title'), 'Saved runs');
  assert.match(await page.textContent('[data-saved-status]'), /^Nothing to save yet/);
  assert.equal(await page.textContent('[data-predict] h2'), 'Predict, then reveal');
  assert.equal(await page.textContent('[data-present-help] h2'), 'Keys');
  assert.equal(await page.textContent('[data-action="present-exit"]'), 'Exit ✕');
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  await page.close();
});

/** Each small chart's run name, drawn axes and points: `{ name, y: [[min, max]...], xMax, points }`. */
function multiples(page) {
  return page.$$eval('[data-multiple]', (figs) =>
    figs.map((f) => {
      const chart = window.__explorer.echarts.getInstanceByDom(f.querySelector('.multiple-chart'));
      const o = chart.getOption();
      const box = f.getBoundingClientRect();
      // The axes as drawn (ECharts' extents), not as asked for.
      const extent = (kind, n) => Array.from({ length: n }, (_, i) => chart.getModel().getComponent(kind, i).axis.scale.getExtent());
      return {
        kind: f.dataset.multiple,
        name: f.querySelector('[data-multiple-name]').textContent,
        y: extent('yAxis', o.yAxis.length),
        xMax: extent('xAxis', o.xAxis.length).map((e) => e[1]),
        points: o.series.map((s) => s.data.length),
        width: chart.getWidth(),
        box: { left: box.left, right: box.right, top: box.top },
      };
    }),
  );
}

test('small multiples: one chart per run (this run, the status quo, each saved run) with the same axes; closable; wraps at 390 px', async () => {
  const page = await browser.newPage(`?${SMALL}`);
  await stepMonths(page, 2);
  await page.fill('[data-save-name]', 'Early');
  await page.click('[data-action="save-run"]');
  await stepMonths(page, 3);
  await page.fill('[data-save-name]', 'Later');
  await page.click('[data-action="save-run"]');
  await stepMonths(page, 1);
  assert.equal((await page.evaluate(() => window.__explorer.savedRuns)).length, 2);

  await page.click('[data-action="open-multiples"]');
  assert.equal(await visible(page, '[data-multiples]'), true);
  for (const chart of ['visit-shares', 'referrals', 'trust-cooperation']) {
    await page.selectOption('[data-multiples-chart]', chart);
    const m = await multiples(page);
    assert.deepEqual(
      m.map((x) => x.name),
      ['This run', 'Status quo, same seed', 'Early', 'Later'],
      `${chart}: one chart per run, named`,
    );
    for (const x of m) {
      assert.deepEqual(x.y, m[0].y, `${chart}: ${x.name} has the same value axes`);
      assert.deepEqual(x.xMax, m[0].xMax, `${chart}: ${x.name} has the same time axis`);
      assert.ok(x.width > 200, `${chart}: ${x.name} is drawn (${x.width} px)`);
    }
    // Each draws its own run: 2 months saved, 5 months saved, 6 months on screen.
    const months = Object.fromEntries(m.map((x) => [x.name, x.points[0]]));
    assert.deepEqual(months, { 'This run': 6, 'Status quo, same seed': 6, Early: 2, Later: 5 }, `${chart}: months per run`);
  }
  await page.selectOption('[data-multiples-chart]', 'referrals');
  await page.$eval('[data-multiples]', (e) => e.scrollIntoView());
  await screenshot(page, 'tools-multiples-1280x720.png');
  // Side by side at 1280 px.
  const wide = await multiples(page);
  assert.ok(wide.filter((x) => Math.round(x.box.top) === Math.round(wide[0].box.top)).length >= 3, 'three or more side by side at 1280 px');

  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => {
    const box = document.querySelector('.multiple-chart');
    return Math.abs(window.__explorer.echarts.getInstanceByDom(box).getWidth() - box.clientWidth) < 2;
  });
  const narrow = await multiples(page);
  for (const x of narrow) assert.ok(x.box.left >= 0 && x.box.right <= 390, `${x.name} within 390 px: ${x.box.left}-${x.box.right}`);
  assert.ok(new Set(narrow.map((x) => Math.round(x.box.top))).size >= 2, 'wrapped onto several rows');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 390, `no sideways scrolling: ${overflow}`);
  await page.$eval('[data-multiples]', (e) => e.scrollIntoView());
  await screenshot(page, 'tools-multiples-390x844.png');

  await page.click('[data-action="close-multiples"]');
  assert.equal(await page.$eval('[data-multiples]', (e) => e.hidden), true);
  assert.equal(await page.$$eval('[data-multiple]', (f) => f.length), 0, 'closing disposes the small charts');
  await page.close();
});

test('presentation mode: the 2×2 chooser changes the presented charts, and the choice survives a reload', async () => {
  const page = await browser.newPage(`?${SMALL}&present=1`);
  const presented = () => page.evaluate(() => window.__explorer.presentedCharts);
  const onScreen = () => page.$$eval('.card.presented [data-chart]', (els) => els.filter((e) => e.getBoundingClientRect().width > 0).map((e) => e.dataset.chart).sort());
  await page.keyboard.press('g');
  const first = await presented();
  assert.equal(first.length, 4);
  await page.keyboard.press('c');
  assert.equal(await visible(page, '[data-present-chooser]'), true, 'the chooser opens on C');
  assert.deepEqual(await page.$$eval('[data-present-slot]', (s) => s.map((x) => x.value)), first);
  await page.selectOption('[data-present-slot="0"]', 'fund');
  await page.selectOption('[data-present-slot="3"]', 'map');
  const chosen = ['fund', first[1], first[2], 'map'];
  assert.deepEqual(await presented(), chosen);
  assert.deepEqual(await onScreen(), [...chosen].sort(), 'those four cards are on screen');
  await page.keyboard.press('Escape');
  assert.equal(await visible(page, '[data-present-chooser]'), false, 'Esc closes the chooser');
  assert.equal(await page.evaluate(() => window.__explorer.presenting), true, '...and stays presenting');
  // The keys work again at once: P opens predict, and again closes it.
  await page.keyboard.press('p');
  assert.equal(await visible(page, '[data-predict]'), true, 'P after the chooser');
  await page.keyboard.press('p');
  assert.equal(await visible(page, '[data-predict]'), false);
  await stepMonths(page, 2);
  await page.waitForTimeout(400);
  await screenshot(page, 'tools-present-grid-chosen-1280x720.png');

  // A chart chosen that is already in the grid swaps places with the one it replaces.
  await page.click('[data-action="present-choose"]');
  await page.selectOption('[data-present-slot="1"]', 'map');
  assert.deepEqual(await presented(), ['fund', 'map', first[2], first[1]]);
  await page.click('[data-action="present-choose-close"]');

  await page.reload();
  await page.waitForFunction(() => window.__explorer?.ready && window.__explorer.setups > 0);
  assert.equal(await page.evaluate(() => window.__explorer.presenting), true);
  await page.keyboard.press('g');
  assert.deepEqual(await presented(), ['fund', 'map', first[2], first[1]], 'the choice survives a reload');
  await page.close();
});

test('predict inside presentation mode: P opens it, a typed number and a sketched line are shown against the result at the reveal', async () => {
  const page = await browser.newPage(`?${SMALL}&present=1`);
  await page.keyboard.press('p');
  assert.equal(await visible(page, '[data-predict]'), true, 'P opens the predict panel while presenting');
  assert.equal(await page.$eval('.grid', (g) => getComputedStyle(g).visibility), 'hidden', 'the charts are hidden');

  // A number out of range is refused beside its field.
  await page.fill('[data-predict-primary]', '150');
  await page.click('[data-action="reveal"]');
  assert.equal(await visible(page, '[data-predict-error]'), true);
  assert.match(await page.textContent('[data-predict-error]'), /"150" is not a share/);
  assert.equal(await page.$eval('.grid', (g) => getComputedStyle(g).visibility), 'hidden', 'still hidden');

  await page.fill('[data-predict-primary]', '55');
  // The sketch: from 40% at the start to 60% at the end of the run, dragged with the mouse.
  // The pad's plot area, on the screen.
  const area = await page.$eval('.predict-pad-area', (r) => {
    const b = r.getBoundingClientRect();
    return { x: b.left, y: b.top, w: b.width, h: b.height };
  });
  const at = (years, share) => [area.x + area.w * years, area.y + area.h * (1 - share)];
  await page.mouse.move(...at(0, 0.4));
  await page.mouse.down();
  for (let i = 1; i <= 20; i++) await page.mouse.move(...at(i / 20, 0.4 + (0.2 * i) / 20));
  await page.mouse.up();
  await screenshot(page, 'tools-present-predict-1280x720.png');

  await page.click('[data-action="go"]');
  await runTo(page, 365);
  await page.click('[data-action="reveal"]');
  assert.equal(await page.$eval('.grid', (g) => getComputedStyle(g).visibility), 'visible', 'revealed');
  assert.ok((await page.evaluate(() => window.__explorer.presentedCharts)).includes('visit-shares'), 'the chart with the prediction is on screen');

  const series = await page.evaluate(() => window.__explorer.chartData('visit-shares'));
  const sketch = series.find((s) => s.id === 'prediction:sketch');
  assert.ok(sketch, 'the sketch is drawn on the visit-shares chart');
  const [x0, y0] = sketch.data[0];
  const [x1, y1] = sketch.data[sketch.data.length - 1];
  assert.ok(Math.abs(x0) < 0.03 && Math.abs(y0 - 0.4) < 0.02, `sketch starts at year 0, 40%: ${x0}, ${y0}`);
  assert.ok(Math.abs(x1 - 1) < 0.03 && Math.abs(y1 - 0.6) < 0.02, `sketch ends at year 1, 60%: ${x1}, ${y1}`);
  const number = series.find((s) => s.id === 'prediction:number');
  assert.ok(number, 'the number is drawn on the chart');
  assert.deepEqual(number.data.map((p) => p[1]), [0.55, 0.55]);
  assert.ok(series.some((s) => s.id === 'primary_visit_share' && s.data.length === 12), 'beside the result');

  const rows = await page.$$eval('.predict-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
  const s = await page.evaluate(() => window.__explorer.summary);
  const result = `${(s.primary_visit_share * 100).toFixed(1)}%`;
  assert.deepEqual(rows[0].slice(0, 3), ['Primary visits', '55%', result], 'the number beside the result');
  assert.equal(rows[0][4], `${Math.abs(55 - s.primary_visit_share * 100).toFixed(1)} points off`);
  assert.equal(rows[1][0], 'Primary visits, sketched');
  // A one-year run: its last 12 months are the whole sketch, 40% to 60%, a mean of 50%.
  assert.ok(Math.abs(parseFloat(rows[1][1]) - 50) <= 2, `the sketch's last 12 months, about 50%: ${rows[1][1]}`);
  assert.equal(rows[1][2], result);
  await page.waitForTimeout(400);
  await screenshot(page, 'tools-present-reveal-1280x720.png');

  // Outside presentation mode the reveal is drawn the same way, and a new round clears it.
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
  await page.$eval('[data-predict]', (e) => e.scrollIntoView());
  await screenshot(page, 'tools-reveal-1280x720.png');
  await page.click('[data-action="predict"]');
  await page.click('[data-action="predict"]');
  const after = await page.evaluate(() => window.__explorer.chartData('visit-shares'));
  assert.equal(after.filter((x) => x.id.startsWith('prediction:')).length, 0, 'a new round takes the prediction off the chart');
  await page.close();
});
