// Model 2's outputs on the page (issue 16): cooperation by tier beside trust on the
// trust-and-cooperation chart, and the health commission's spending, adverse events and
// forgone care among the key figures; moving levers moves what a person reads there.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, stepMonths, setRange } from './browser.mjs';

let browser;
let page;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  page = await browser.open('?population=20000&years=3&seed=3');
});

after(async () => {
  await browser?.close();
});

const TRUST = ['trust_primary', 'trust_tertiary'];
const COOPERATION = ['cooperation_primary', 'cooperation_secondary', 'cooperation_tertiary'];

/** The trust-and-cooperation chart as drawn: each series' id, panel and points. */
const trustChart = () =>
  page.evaluate(() => {
    window.__explorer.chartData('trust-cooperation'); // draws it if it is out of date
    const option = window.__explorer.charts.get('trust-cooperation').getOption();
    return {
      series: option.series.map((s) => ({ id: s.id, panel: s.xAxisIndex, data: s.data.map((p) => p[1]) })),
      legend: option.legend[0].data,
      panels: option.yAxis.map((a) => a.name),
    };
  });

/** What a key-figure tile reads: label, Chinese term, value, unit, baseline arrow and value. */
const tile = (key) =>
  page.$eval(`[data-kpi="${key}"]`, (t) => {
    const text = (sel) => t.querySelector(sel).textContent.trim();
    return {
      label: text('.kpi-label'),
      zh: text('.kpi-zh'),
      value: text('.kpi-value'),
      unit: text('.kpi-unit'),
      arrow: text('.kpi-arrow'),
      base: text('.kpi-base-value'),
      baseShown: getComputedStyle(t.querySelector('.kpi-base')).visibility !== 'hidden',
      title: t.title,
    };
  });

const yuan = (text) => Number(text.replace(/[¥,]/g, ''));

test('the trust and cooperation chart draws cooperation by tier below trust', async () => {
  await stepMonths(page, 3);
  const chart = await trustChart();
  assert.deepEqual(chart.legend, ['Primary', 'Secondary', 'Tertiary'], 'one legend entry per tier');
  assert.deepEqual(chart.panels, ['Patient trust 患者信任', 'Cooperation 协作']);
  for (const key of [...TRUST, ...COOPERATION]) {
    const panel = TRUST.includes(key) ? 0 : 1;
    for (const id of [key, `${key}:baseline`]) {
      const s = chart.series.find((x) => x.id === id);
      assert.ok(s, `series ${id} drawn`);
      assert.equal(s.panel, panel, `${id} in panel ${panel}`);
      assert.equal(s.data.length, 3, `${id} has a point per month`);
      assert.ok(s.data.every((v) => v >= 0 && v <= 1), `${id} within 0..1: ${s.data}`);
    }
  }
  // The tier means the chart draws are the model's: their mean is its cooperation index.
  const s = await page.evaluate(() => window.__explorer.summary);
  const mean = (COOPERATION.reduce((sum, k) => sum + s[k], 0)) / 3;
  assert.ok(Math.abs(mean - s.cooperation_index) < 1e-9, `index ${s.cooperation_index} vs tier mean ${mean}`);
  assert.deepEqual(browser.problems, []);
});

test('the key figures show government spending, adverse events and forgone care, in English and Chinese', async () => {
  const s = await page.evaluate(() => window.__explorer.summary);
  const gov = await tile('government_spending_per_capita');
  assert.equal(gov.label, 'Government/resident');
  assert.equal(gov.zh, '政府人均投入');
  assert.equal(gov.value, `¥${Math.round(s.government_spending_per_capita).toLocaleString('en-US')}`);
  assert.match(gov.title, /health commission/);
  const adverse = await tile('adverse_events_per_1000');
  assert.equal(adverse.zh, '不良事件');
  assert.equal(adverse.value, s.adverse_events_per_1000.toFixed(2));
  assert.equal(adverse.unit, '/1,000');
  const forgone = await tile('forgone_care_share');
  assert.equal(forgone.zh, '应就诊未就诊');
  assert.equal(forgone.value, `${(s.forgone_care_share * 100).toFixed(1)}%`);
  assert.ok(s.forgone_care_share > 0 && s.forgone_care_share < 1, `forgone care ${s.forgone_care_share}`);
  // Every tile has its Chinese term.
  const missing = await page.$$eval('[data-kpi]', (ts) => ts.filter((t) => !t.querySelector('.kpi-zh').textContent).map((t) => t.dataset.kpi));
  assert.deepEqual(missing, []);
});

test('primary investment and close integration move government spending and cooperation against the baseline', async () => {
  const before = await trustChart();
  await setRange(page, '[data-lever="primary_investment"]', 150);
  await page.selectOption('[data-lever="integration"]', 'close');
  await page.selectOption('[data-lever="payment_method"]', 'global_budget');
  await page.click('[data-action="setup"]');
  await page.waitForFunction(
    () =>
      window.__explorer.day === 0 &&
      window.__explorer.scenario.levers.integration === 'close' &&
      window.__explorer.scenario.levers.primary_investment === 150,
  );
  await stepMonths(page, 18);
  // The commission pays the investment grant: its spending per resident rises by about the
  // 130 yuan added, which the tile shows above the status quo's.
  const gov = await tile('government_spending_per_capita');
  assert.ok(gov.baseShown, 'baseline value shown');
  assert.equal(gov.arrow, '▲');
  assert.ok(yuan(gov.value) > yuan(gov.base) + 80, `government spending ${gov.value} vs status quo ${gov.base}`);
  // Facilities learn from their new books: cooperation departs from the status quo in some
  // tier, and the baseline is the earlier status-quo run.
  const after = await trustChart();
  const series = (chart, id) => chart.series.find((x) => x.id === id).data;
  for (const key of COOPERATION) {
    assert.deepEqual(series(after, `${key}:baseline`).slice(0, 3), series(before, key), `${key} baseline is the status quo`);
  }
  const moved = COOPERATION.filter((key) => series(after, key).some((v, i) => v !== series(after, `${key}:baseline`)[i]));
  assert.ok(moved.length > 0, 'cooperation of some tier departs from the status quo');
  assert.deepEqual(browser.problems, []);
});

test('kpi_appraisal has its own control among the hospitals levers', async () => {
  const info = await page.$eval('[data-lever="kpi_appraisal"]', (el) => ({
    group: el.closest('fieldset').dataset.group,
    label: document.querySelector(`label[for="${el.id}"]`).textContent.trim(),
    zh: el.closest('.field').querySelector('.unit .label-zh')?.textContent,
    type: el.type,
    range: [el.min, el.max].join(),
    title: el.title,
  }));
  assert.equal(info.group, 'hospitals');
  assert.match(info.label, /KPI appraisal/);
  assert.equal(info.zh, '分级诊疗绩效考核');
  assert.equal(info.type, 'range');
  assert.equal(info.range, '0,1');
  assert.match(info.title, /health commission/);
});
