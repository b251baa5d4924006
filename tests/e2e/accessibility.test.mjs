// Accessibility (issue 18, item 9): every chart has a "Show data" table of what it shows,
// key figures read as one sentence, charts are reachable by keyboard, and axe-core finds no
// serious or critical WCAG 2.1 A/AA violation after Ready and after a short run. Also the
// trust/cooperation legend shows all its entries on a projector and on a phone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, CHARTS, stepMonths, screenshot, injectAxe } from './browser.mjs';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** axe-core's serious and critical violations of WCAG 2.1 A/AA on the page as it is now. */
async function seriousViolations(page) {
  await injectAxe(page);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG_TAGS);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
}

/** The table under chart `name`, opened with its button: caption, column heads, rows. */
async function openTable(page, name) {
  const button = page.locator(`[data-show-data="${name}"]`);
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  return readTable(page, name);
}

/** The table under chart `name` once it shows the page's current day (an open table is
 * rebuilt a moment after each snapshot, at most every 250 ms). */
async function currentTable(page, name) {
  await page.waitForFunction(
    (n) => document.querySelector(`[data-table="${n}"] caption`)?.textContent.includes(`day ${window.__explorer.day.toLocaleString('en-US')}.`),
    name,
  );
  return readTable(page, name);
}

function readTable(page, name) {
  return page.$eval(`[data-table="${name}"]`, (box) => {
    const table = box.querySelector('table');
    if (!table || box.hidden) return null;
    return {
      caption: table.caption?.textContent || '',
      heads: [...table.tHead.rows[0].cells].map((c) => [c.tagName, c.scope, c.textContent]),
      rows: [...table.tBodies[0].rows].map((r) => [...r.cells].map((c) => [c.tagName, c.scope, c.textContent])),
    };
  });
}

/** Chart `name`'s legend entries, where ECharts drew each (pixels in the chart), whether
 * the legend pages its entries behind arrows (a 'scroll' legend that does not fit), and the
 * chart's size. Reads ECharts' legend view (its group of drawn elements). */
function legendLayout(page, name) {
  return page.evaluate((n) => {
    const chart = window.__explorer.charts.get(n);
    window.__explorer.drawNow(n);
    const view = chart._componentsViews.find((v) => v && v.__model && v.__model.mainType === 'legend');
    const controller = view._controllerGroup;
    const items = [];
    view.group.traverse((el) => {
      if (el.type !== 'text' || !el.style || !el.style.text) return;
      for (let p = el.parent; p; p = p.parent) if (p === controller) return;
      const r = el.getBoundingRect().clone();
      r.applyTransform(el.getComputedTransform());
      items.push({ text: el.style.text, x: r.x, y: r.y, w: r.width, h: r.height, hidden: !!(el.ignore || el.invisible) });
    });
    return { items, paged: !!view._showController, width: chart.getWidth(), height: chart.getHeight() };
  }, name);
}

let browser;
let page;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  page = await browser.open('');
});

after(async () => {
  await browser?.close();
});

test('axe-core finds no serious or critical violation after Ready', async () => {
  assert.deepEqual(await seriousViolations(page), []);
});

test('every chart is focusable by keyboard, named, and shows a focus ring', async () => {
  for (const name of CHARTS) {
    const el = page.locator(`[data-chart="${name}"]`);
    assert.equal(await el.getAttribute('tabindex'), '0', `${name} in the tab order`);
    assert.ok(((await el.getAttribute('aria-label')) || '').length > 15, `${name} has a name`);
  }
  // Tab from the "Compare" checkbox reaches the first chart, and the browser draws its outline.
  await page.focus('[data-baseline]');
  let focused = '';
  for (let i = 0; i < 5 && !focused; i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement.dataset.chart || '');
  }
  assert.equal(focused, 'map', 'Tab reaches the first chart');
  const outline = await page.$eval('[data-chart="map"]', (e) => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth);
  assert.match(outline, /^solid [1-9]/, 'focus visible');
  // The next Tab goes to its "Show data" button.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.showData), 'map');
});

test('every chart has a named "Show data" button that opens a table with caption and headers', async () => {
  for (const name of CHARTS) {
    const button = page.locator(`[data-show-data="${name}"]`);
    assert.equal(await button.count(), 1, `one button for ${name}`);
    const label = await page.$eval(`[data-show-data="${name}"]`, (b) => b.textContent);
    const title = await page.$eval(`[data-chart="${name}"]`, (c) => c.closest('figure').querySelector('h2').firstChild.textContent.trim());
    assert.equal(label, `Show data: ${title}`, 'accessible name says which chart');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.equal(await page.$eval(`[data-table="${name}"]`, (b) => b.hidden), true, 'closed at first');
  }
  // Before the first month: the time charts' tables say there is nothing yet, with headers.
  const empty = await openTable(page, 'visit-shares');
  assert.match(empty.caption, /Outpatient visits by tier/);
  assert.deepEqual(
    empty.heads.map((h) => h[1]),
    ['col', 'col', 'col', 'col', 'col', 'col', 'col'],
  );
});

test('the tables show the numbers the charts show, and follow the run', async () => {
  // Strict gatekeeping, so that the current run and the status quo differ.
  await page.selectOption('[data-lever="gatekeeping"]', 'strict');
  await page.click('[data-action="setup"]');
  await page.waitForFunction(() => window.__explorer.day === 0 && window.__explorer.scenario.levers.gatekeeping === 'strict');
  await stepMonths(page, 2);
  const snap = await page.evaluate(() => {
    const data = window.__explorer.chartData('visit-shares');
    return data.map((s) => ({ id: s.id, values: s.data.map((p) => p[1]) }));
  });
  let t = await currentTable(page, 'visit-shares');
  assert.equal(t.rows.length, 2, 'one row per month');
  assert.deepEqual(
    t.heads.map((h) => h[2]),
    ['Month (day it ends)', 'Primary', 'Secondary', 'Tertiary', 'Primary, status quo', 'Secondary, status quo', 'Tertiary, status quo'],
  );
  for (const row of t.rows) {
    assert.deepEqual(row[0].slice(0, 2), ['TH', 'row']);
    assert.ok(row.slice(1).every((c) => c[0] === 'TD'));
  }
  // Each cell is the chart's point, in percent with one decimal.
  const primary = snap.find((s) => s.id === 'primary_visit_share').values;
  const base = snap.find((s) => s.id === 'tertiary_visit_share:baseline').values;
  assert.equal(primary.length, 2);
  primary.forEach((v, i) => assert.equal(t.rows[i][1][2], `${(v * 100).toFixed(1)}%`));
  base.forEach((v, i) => assert.equal(t.rows[i][6][2], `${(v * 100).toFixed(1)}%`));
  assert.notEqual(t.rows[1][1][2], t.rows[1][4][2], 'current and status quo differ under strict gatekeeping');
  assert.match(t.rows[1][0][2], /^Month 2 \(day 6[01]\)$/);

  // One more month: the open table grows without being reopened.
  await stepMonths(page, 1);
  await page.waitForFunction(() => document.querySelectorAll('[data-table="visit-shares"] tbody tr').length === 3);
  t = await readTable(page, 'visit-shares');
  assert.ok(t.caption.endsWith(`to day ${(await page.evaluate(() => window.__explorer.day)).toLocaleString('en-US')}.`), t.caption);

  // Without the status quo overlaid, its columns go.
  await page.click('[data-baseline]');
  await page.waitForFunction(() => document.querySelectorAll('[data-table="visit-shares"] thead th').length === 4);
  await page.click('[data-baseline]');
  await page.waitForFunction(() => document.querySelectorAll('[data-table="visit-shares"] thead th').length === 7);

  // The two-panel chart names each column by its panel.
  const tc = await openTable(page, 'trust-cooperation');
  assert.deepEqual(
    tc.heads.slice(1, 6).map((h) => h[2]),
    ['Patient trust: Primary', 'Patient trust: Tertiary', 'Cooperation: Primary', 'Cooperation: Secondary', 'Cooperation: Tertiary'],
  );

  // The Sankey: its seven flows with the status quo, numbers as its labels give them.
  const flows = await openTable(page, 'sankey');
  assert.equal(flows.rows.length, 7);
  assert.deepEqual(flows.heads.map((h) => h[2]), ['Flow', 'From', 'To', 'Per 1,000 residents per year', 'Status quo']);
  assert.ok(flows.rows.every((r) => /^[\d,.]+$/.test(r[3][2]) && /^[\d,.]+$/.test(r[4][2])), JSON.stringify(flows.rows[0]));
  const visits = await page.evaluate(() => {
    // Drawn first if the board has not drawn the last month yet (it draws charts on screen).
    window.__explorer.chartData('sankey');
    const s = window.__explorer.charts.get('sankey').getOption().series[0];
    return s.links.map((l) => l.actual);
  });
  visits.forEach((v, i) => assert.equal(flows.rows[i][3][2], v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1)));

  // The map: one row per facility.
  const facilities = await openTable(page, 'map');
  const n = await page.evaluate(() => window.__explorer.chartData('map') && window.__explorer.charts.get('map').getOption().series.filter((s) => s.type === 'scatter').reduce((a, s) => a + s.data.length, 0));
  assert.equal(facilities.rows.length, n);
  assert.ok(n > 3);
  assert.match(facilities.rows[0][1][2], /Primary|Secondary|Tertiary/);

  // Closing hides and empties the table; the button says so.
  await page.click('[data-show-data="map"]');
  assert.equal(await page.$eval('[data-table="map"]', (b) => b.hidden), true);
  assert.equal(await page.getAttribute('[data-show-data="map"]', 'aria-expanded'), 'false');
});

test('key figures read as one sentence: name, value, status quo', async () => {
  const tiles = await page.$$eval('[data-kpi]', (ts) =>
    ts.map((t) => ({
      key: t.dataset.kpi,
      spoken: t.querySelector('.kpi-spoken').textContent,
      value: t.querySelector('.kpi-value').textContent,
      base: t.querySelector('.kpi-base-value').textContent,
      hidden: [...t.children].filter((c) => !c.classList.contains('kpi-spoken')).every((c) => c.getAttribute('aria-hidden') === 'true'),
    })),
  );
  const primary = tiles.find((t) => t.key === 'primary_visit_share');
  assert.match(primary.value, /^\d+\.\d%$/);
  assert.equal(primary.spoken, `Primary share of visits: ${primary.value}, status quo ${primary.base}`);
  const down = tiles.find((t) => t.key === 'downward_referrals_per_1000');
  assert.equal(down.spoken, `Downward referrals: ${down.value} per 1,000, status quo ${down.base} per 1,000`);
  assert.ok(tiles.every((t) => t.hidden), 'the visual parts are hidden from screen readers');
  // What the accessibility tree gives for a tile is that sentence, not its separate numbers.
  const tree = await page.locator('[data-kpi="primary_visit_share"]').ariaSnapshot();
  assert.ok(tree.includes(primary.spoken), tree);
  assert.ok(!tree.includes('基层'), tree);
});

test('axe-core finds no serious or critical violation after a short run with tables open', async () => {
  await openTable(page, 'waits');
  await openTable(page, 'map');
  assert.deepEqual(await seriousViolations(page), []);
  await page.$eval('[data-chart="waits"]', (e) => e.closest('figure').scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(300);
  await screenshot(page, 'a11y-table-1280.png');
});

for (const [width, height] of [
  [1280, 720],
  [390, 844],
]) {
  test(`the trust/cooperation legend shows every entry at ${width}x${height}`, async () => {
    const b = await launch({ width, height });
    try {
      const p = await b.open('');
      await stepMonths(p, 1);
      const layout = await legendLayout(p, 'trust-cooperation');
      assert.equal(layout.paged, false, 'no paging arrows');
      assert.deepEqual(
        layout.items.map((i) => i.text),
        ['Primary', 'Secondary', 'Tertiary'],
      );
      for (const item of layout.items) {
        assert.ok(!item.hidden && item.x >= 0 && item.x + item.w <= layout.width && item.y >= 0, `${item.text} drawn inside the chart: ${JSON.stringify(item)}`);
      }
      // Every time chart's legend fits too (none pages its entries away).
      for (const name of CHARTS.filter((c) => c !== 'sankey' && c !== 'map')) {
        const l = await legendLayout(p, name);
        assert.ok(!l.paged && l.items.every((i) => i.x + i.w <= l.width), `${name}'s legend at ${width}px`);
      }
      await p.$eval('[data-chart="trust-cooperation"]', (e) => e.closest('figure').scrollIntoView({ block: 'start' }));
      await p.waitForTimeout(300);
      await screenshot(p, `a11y-trust-legend-${width}.png`);
      // And with its data table open (the table follows the chart).
      await openTable(p, 'trust-cooperation');
      await p.$eval('[data-show-data="trust-cooperation"]', (e) => e.scrollIntoView({ block: 'start' }));
      await p.waitForTimeout(300);
      await screenshot(p, `a11y-trust-table-${width}.png`);
      assert.deepEqual(b.problems, []);
    } finally {
      await b.close();
    }
  });
}

test('no page errors, console errors or outside requests', () => {
  assert.deepEqual(browser.problems, []);
});
