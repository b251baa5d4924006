// The results in both languages, readable on a projector and a phone: every chart's legend,
// series, axis and panel names, the key figures and the data tables are Chinese with
// ?lang=zh-CN; the switch in the header relabels them without a reload or a new run; chart
// text is at least 13 px (axes, legends) and the Sankey's and the map's at least 12 px at
// 1280×720; the Sankey's labels overlap neither each other nor other nodes, and its bands stay
// visible, at 1280×720, 1024×768, 390×844 and in the 2×2 presentation grid.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, stepMonths, screenshot, CHARTS } from './browser.mjs';

const TIME_CHARTS = CHARTS.filter((c) => c !== 'sankey' && c !== 'map');
const HAN = /\p{Script=Han}/u;
/** English left in a Chinese text: a word of three letters or more. */
const ENGLISH = /[A-Za-z]{3,}/;
const QUERY = 'population=20000&years=2';

/**
 * Everything the charts of the page say, read from their options as drawn (each drawn first
 * if it is out of date): per time chart its series names, legend, panel names and year
 * labels; the Sankey's node names and flows; the map's legend, series names and key texts.
 */
function chartTexts(page) {
  return page.evaluate((names) => {
    const ex = window.__explorer;
    const option = (name) => {
      ex.chartData(name);
      return ex.charts.get(name).getOption();
    };
    const out = {};
    for (const name of names) {
      const o = option(name);
      const x = o.xAxis.find((a) => a.axisLabel.show !== false);
      const first = o.series[0];
      // The tooltip as pointing at mid-year 1 on the first series shows it (markup dropped).
      const tip = o.tooltip[0].formatter([{ value: [0.5, 0.25], seriesId: first.id, seriesName: first.name, marker: '' }]);
      out[name] = {
        tooltip: tip.replace(/<[^>]+>/g, ' '),
        series: o.series.filter(Boolean).map((s) => s.name),
        legend: o.legend[0].data.map((d) => (typeof d === 'string' ? d : d.name)),
        panels: o.yAxis.map((a) => a.name).filter(Boolean),
        years: [1, 2].map((v) => x.axisLabel.formatter(v)),
      };
    }
    const sankey = option('sankey').series[0];
    out.sankey = {
      nodes: sankey.data.map((n) => n.name),
      labels: sankey.data.map((n) => sankey.label.formatter({ data: n, name: n.name }).replace(/\{\w+\||\}/g, '')),
      flows: sankey.links.map((l) => l.what),
      tooltip: ex.charts.get('sankey').getOption().tooltip[0].formatter({ dataType: 'edge', data: sankey.links[0] }),
    };
    const map = option('map');
    // getOption() lists the graphic groups' children as elements of their own.
    out.map = {
      legend: map.legend[0].data.map((d) => d.name),
      series: map.series.map((s) => s.name),
      key: map.graphic[0].elements.filter((e) => e.type === 'text').map((e) => e.style.text).filter((s) => ENGLISH_OR_HAN(s)),
    };
    return out;
    function ENGLISH_OR_HAN(s) {
      return /[A-Za-z\p{Script=Han}]/u.test(s);
    }
  }, TIME_CHARTS);
}

/** The key-figure tiles as a person sees them: label, Chinese term (and whether it shows), unit, tooltip. */
function tiles(page) {
  return page.$$eval('[data-kpi]', (ts) =>
    ts.map((t) => ({
      key: t.dataset.kpi,
      label: t.querySelector('.kpi-label').textContent,
      zh: t.querySelector('.kpi-zh').textContent,
      zhShown: t.querySelector('.kpi-zh').getBoundingClientRect().height > 0,
      unit: t.querySelector('.kpi-unit').textContent,
      title: t.title,
      spoken: t.querySelector('.kpi-spoken').textContent,
    })),
  );
}

/** Opens chart `name`'s data table (if closed) and reads its button, caption and column heads. */
async function table(page, name) {
  if (await page.$eval(`[data-table="${name}"]`, (b) => b.hidden)) await page.click(`[data-show-data="${name}"]`);
  return page.evaluate((n) => {
    const box = document.querySelector(`[data-table="${n}"]`);
    // The card's heading opens the caption: index.html's, not this module's text.
    const title = box.closest('figure').querySelector('h2').firstChild.textContent.trim();
    return {
      button: document.querySelector(`[data-show-data="${n}"] .show-data-verb`).textContent,
      caption: box.querySelector('caption').textContent.replace(title, ''),
      heads: [...box.querySelectorAll('thead th')].map((th) => th.textContent),
      firstRow: [...(box.querySelector('tbody tr')?.children || [])].map((c) => c.textContent),
    };
  }, name);
}

/** Switches the page's language with the header's switch and waits until the key figures follow. */
async function switchTo(page, lang, probe) {
  await page.selectOption('[data-language]', lang);
  await page.waitForFunction(
    ([l, p]) => window.__explorer.lang === l && document.querySelector('[data-kpi="primary_visit_share"] .kpi-label').textContent === p,
    [lang, probe],
    { timeout: 5_000 },
  );
}

/**
 * The Sankey as ECharts drew it: each label's box and each node's box (canvas pixels, from
 * zrender's display list), and the canvas size. A label's host is the node it labels.
 */
function sankeyBoxes(page) {
  return page.evaluate(() => {
    window.__explorer.chartData('sankey');
    const chart = window.__explorer.charts.get('sankey');
    const list = chart.getZr().storage.getDisplayList(true);
    const box = (el) => {
      const r = el.getBoundingRect().clone();
      if (el.transform) r.applyTransform(el.transform);
      return { x: r.x, y: r.y, w: r.width, h: r.height };
    };
    const nodes = list.filter((el) => el.type === 'rect' && !el.invisible && el.getTextContent && el.getTextContent());
    const labels = nodes.map((n) => ({ text: n.getTextContent().style.text, box: box(n.getTextContent()), host: nodes.indexOf(n) }));
    const style = chart.getOption().series[0].labelStyle;
    return { width: chart.getWidth(), height: chart.getHeight(), nodes: nodes.map(box), labels, style };
  });
}

const meet = (a, b) => a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1;

/** What is wrong with the Sankey's drawing: labels meeting labels or other nodes, labels off
 * the canvas, bands with no room between columns. An empty list when all is well. */
function sankeyProblems(s) {
  const problems = [];
  if (s.labels.length !== 6) problems.push(`${s.labels.length} labels, not 6`);
  s.labels.forEach((a, i) => {
    const { x, y, w, h } = a.box;
    if (x < -1 || y < -1 || x + w > s.width + 1 || y + h > s.height + 1) problems.push(`${a.text} off the canvas ${JSON.stringify(a.box)}`);
    s.labels.slice(i + 1).forEach((b) => meet(a.box, b.box) && problems.push(`${a.text} meets ${b.text}`));
    s.nodes.forEach((n, j) => j !== a.host && meet(a.box, n) && problems.push(`${a.text} meets node ${j}`));
  });
  // The columns, left to right: each gap between two columns leaves room for the bands.
  const columns = [...new Set(s.nodes.map((n) => Math.round(n.x)))].sort((a, b) => a - b);
  if (columns.length !== 3) problems.push(`columns at ${columns}`);
  const width = Math.min(...s.nodes.map((n) => n.w));
  for (let i = 1; i < columns.length; i++) if (columns[i] - columns[i - 1] - width < 20) problems.push(`bands squeezed between columns ${i - 1} and ${i}`);
  if (s.nodes.some((n) => n.h < 1)) problems.push('a node without height');
  return problems;
}

let browser;
let page;
before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  page = await browser.newPage(`?lang=zh-CN&${QUERY}`);
  await stepMonths(page, 2);
});
after(async () => {
  await browser?.close();
});

test('?lang=zh-CN: charts, key figures and data tables are Chinese', async () => {
  const charts = await chartTexts(page);
  for (const name of TIME_CHARTS) {
    const c = charts[name];
    const words = [...c.series, ...c.legend, ...c.panels, ...c.years, c.tooltip];
    assert.match(c.tooltip, /第 183 天/, `${name} tooltip names the day`);
    assert.ok(c.series.length >= c.legend.length && c.legend.length > 0, `${name}: ${JSON.stringify(c)}`);
    for (const w of words) assert.ok(HAN.test(w) && !ENGLISH.test(w), `${name}: '${w}' is not Chinese`);
  }
  assert.ok(charts['visit-shares'].series.some((s) => s.endsWith('· 现状')), 'the status quo is named');
  for (const w of [...charts.sankey.nodes, ...charts.sankey.labels, ...charts.sankey.flows, charts.sankey.tooltip.replace(/<[^>]+>/g, '')]) {
    assert.ok(HAN.test(w) && !ENGLISH.test(w), `Sankey: '${w}' is not Chinese`);
  }
  for (const w of [...charts.map.legend, ...charts.map.series, ...charts.map.key]) assert.ok(HAN.test(w) && !ENGLISH.test(w), `map: '${w}' is not Chinese`);

  for (const t of await tiles(page)) {
    assert.ok(HAN.test(t.label) && !ENGLISH.test(t.label), `${t.key} label '${t.label}'`);
    assert.equal(t.zhShown, false, `${t.key}: the Chinese term is not shown twice`);
    assert.ok(HAN.test(t.title) && !ENGLISH.test(t.title), `${t.key} tooltip '${t.title}'`);
    assert.ok(!ENGLISH.test(t.spoken) && HAN.test(t.spoken), `${t.key} spoken '${t.spoken}'`);
    assert.ok(!ENGLISH.test(t.unit), `${t.key} unit '${t.unit}'`);
  }

  for (const name of ['visit-shares', 'trust-cooperation', 'sankey', 'map']) {
    const tb = await table(page, name);
    for (const w of [tb.button, tb.caption, ...tb.heads]) assert.ok(HAN.test(w) && !ENGLISH.test(w), `${name} table: '${w}' is not Chinese`);
    assert.ok(tb.heads.length > 2, `${name} table has headers`);
  }
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  await page.$eval('[data-kpis]', (e) => e.scrollIntoView());
  await screenshot(page, 'i18n-results-zh-1280x720.png');
  assert.deepEqual(browser.problems, []);
});

test('switching to English and back relabels everything without a reload or a new run', async () => {
  const before = await page.evaluate(() => ({ setups: window.__explorer.setups, day: window.__explorer.day, marker: (window.__marker = Math.random()) }));
  const zhSeries = (await chartTexts(page))['visit-shares'].series;

  await switchTo(page, 'en', 'Primary visits');
  const en = await chartTexts(page);
  assert.deepEqual(en['visit-shares'].legend, ['Primary', 'Secondary', 'Tertiary']);
  assert.deepEqual(en['trust-cooperation'].panels, ['Patient trust 患者信任', 'Cooperation 协作']);
  assert.deepEqual(en.referrals.years, ['Y1', 'Y2']);
  assert.match(en.referrals.tooltip, /^Day 183 /);
  assert.ok(en['visit-shares'].series.includes('Primary · baseline'), en['visit-shares'].series.join());
  assert.ok(en.sankey.nodes.includes('Residents 居民'));
  assert.ok(en.map.key.includes('Bed occupancy'), en.map.key.join());
  const enTiles = await tiles(page);
  const gov = enTiles.find((t) => t.key === 'government_spending_per_capita');
  assert.equal(gov.label, 'Government/resident');
  assert.equal(gov.zh, '政府人均投入');
  assert.equal(gov.zhShown, true, 'in English the Chinese term shows under the label');
  assert.match(gov.title, /health commission/);
  assert.match(enTiles.find((t) => t.key === 'primary_visit_share').spoken, /^Primary share of visits: [\d.]+%, status quo [\d.]+%$/);
  // The open tables were rebuilt in English, and their buttons relabelled.
  const flows = await table(page, 'sankey');
  assert.equal(flows.button, 'Hide data');
  assert.deepEqual(flows.heads, ['Flow', 'From', 'To', 'Per 1,000 residents per year', 'Status quo']);
  assert.match(flows.caption, /last 12 months/);
  assert.equal(await page.$eval('[data-show-data="referrals"] .show-data-verb', (e) => e.textContent), 'Show data');

  await switchTo(page, 'zh-CN', '基层门诊占比');
  const zh = await chartTexts(page);
  assert.deepEqual(zh['visit-shares'].series, zhSeries, 'the same Chinese names as before the switch');
  assert.deepEqual(zh['visit-shares'].legend, ['基层', '二级', '三级']);
  assert.equal((await table(page, 'sankey')).heads[0], '流向');
  const after = await page.evaluate(() => ({ setups: window.__explorer.setups, day: window.__explorer.day, marker: window.__marker }));
  assert.deepEqual(after, before, 'no reload, no new run');
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  assert.deepEqual(browser.problems, []);
});

test('at 1280×720 chart text is at least 13 px, the Sankey and map labels at least 12 px', async () => {
  await switchTo(page, 'en', 'Primary visits');
  const sizes = await page.evaluate((names) => {
    const ex = window.__explorer;
    const out = {};
    for (const name of [...names, 'sankey', 'map']) {
      ex.chartData(name);
      const o = ex.charts.get(name).getOption();
      const axes = [...(o.xAxis || []), ...(o.yAxis || [])];
      out[name] = {
        axis: axes.filter((a) => a.axisLabel.show !== false).map((a) => a.axisLabel.fontSize),
        names: axes.filter((a) => a.name).map((a) => a.nameTextStyle.fontSize),
        legend: (o.legend || []).map((l) => l.textStyle.fontSize),
        label: o.series.filter((s) => s && s.type === 'sankey').flatMap((s) => [s.label.fontSize, ...Object.values(s.label.rich).map((r) => r.fontSize)]),
        graphic: (o.graphic?.[0]?.elements || []).filter((e) => e.type === 'text' && e.style.text).map((e) => e.style.fontSize),
      };
    }
    return out;
  }, TIME_CHARTS);
  for (const name of TIME_CHARTS) {
    const s = sizes[name];
    assert.ok(s.axis.length >= 2 && s.axis.every((px) => px >= 13), `${name} axis labels ${s.axis}`);
    assert.ok(s.legend.length === 1 && s.legend.every((px) => px >= 13), `${name} legend ${s.legend}`);
    assert.ok(s.names.every((px) => px >= 13), `${name} panel names ${s.names}`);
  }
  assert.ok(sizes.sankey.label.length === 4 && sizes.sankey.label.every((px) => px >= 12), `Sankey labels ${sizes.sankey.label}`);
  assert.ok(sizes.map.legend.every((px) => px >= 12), `map legend ${sizes.map.legend}`);
  assert.ok(sizes.map.graphic.length >= 5 && sizes.map.graphic.every((px) => px >= 12), `map key and scale ${sizes.map.graphic}`);
  const s = await sankeyBoxes(page);
  assert.deepEqual(sankeyProblems(s), [], `1280×720 (${s.style})`);
  await page.$eval('[data-chart="sankey"]', (e) => e.scrollIntoView());
  await screenshot(page, 'i18n-results-sankey-1280x720.png');
});

for (const [width, height, lang] of [
  [1024, 768, 'en'],
  [390, 844, 'en'],
  [390, 844, 'zh-CN'],
]) {
  test(`the Sankey's labels do not overlap and its bands show at ${width}×${height} (${lang})`, async () => {
    const b = await launch({ width, height });
    try {
      const p = await b.newPage(`?lang=${lang}&${QUERY}`);
      await stepMonths(p, 1);
      await p.$eval('[data-chart="sankey"]', (e) => e.scrollIntoView());
      const s = await sankeyBoxes(p);
      assert.deepEqual(sankeyProblems(s), [], `${width}×${height} (${s.style}): ${JSON.stringify(s.labels.map((l) => l.box))}`);
      await screenshot(p, `i18n-results-sankey-${width}x${height}-${lang}.png`);
      assert.deepEqual(b.problems, []);
    } finally {
      await b.close();
    }
  });
}

test('in the 2×2 presentation grid the Sankey keeps text ≥ 18 px and its labels apart', async () => {
  const b = await launch({ width: 1280, height: 720 });
  try {
    const p = await b.newPage(`?present=1&${QUERY}`);
    await p.keyboard.press('s');
    await p.waitForFunction(() => window.__explorer.day > 0 && !window.__explorer.running, null, { timeout: 30_000 });
    await p.keyboard.press('g');
    // The grid's four charts are chosen (C opens the chooser): the Sankey in the first place.
    await p.keyboard.press('c');
    await p.selectOption('[data-present-slot="0"]', 'sankey');
    await p.keyboard.press('Escape');
    await p.waitForFunction(() => window.__explorer.presentedCharts.includes('sankey') && window.__explorer.presentedCharts.length === 4);
    await p.waitForFunction(() => {
      const c = window.__explorer.charts.get('sankey');
      return Math.abs(c.getWidth() - c.getDom().clientWidth) < 2 && c.getWidth() > 300;
    });
    const s = await sankeyBoxes(p);
    const fonts = await p.evaluate(() => Object.values(window.__explorer.charts.get('sankey').getOption().series[0].label.rich).map((r) => r.fontSize));
    assert.ok(fonts.every((px) => px >= 18), `Sankey text ${fonts}`);
    assert.deepEqual(sankeyProblems(s), [], `2×2 grid (${s.style})`);
    await screenshot(p, 'i18n-results-present-grid-1280x720.png');
    assert.deepEqual(b.problems, []);
  } finally {
    await b.close();
  }
});
