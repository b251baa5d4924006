// The page's structure: a control per lever, every chart, labelled controls, keyboard use,
// and a screenshot of a run on a 1366x768 projector.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, BRIEF_LEVERS, CHARTS, screenshot } from './browser.mjs';

let browser;
let page;

before(async () => {
  browser = await launch({ width: 1366, height: 768 });
  page = await browser.open('');
});

after(async () => {
  await browser?.close();
});

test('every lever of the brief has exactly one control with data-lever', async () => {
  for (const key of BRIEF_LEVERS) {
    const n = await page.locator(`[data-lever="${key}"]`).count();
    assert.equal(n, 1, `controls for ${key}`);
  }
  // Selects for choices, a checkbox for the switch, sliders for numbers.
  assert.equal(await page.$eval('[data-lever="payment_method"]', (e) => e.tagName), 'SELECT');
  assert.equal(await page.$eval('[data-lever="gatekeeping"]', (e) => e.tagName), 'SELECT');
  assert.equal(await page.$eval('[data-lever="unified_drug_list"]', (e) => e.type), 'checkbox');
  assert.equal(await page.$eval('[data-lever="referral_bonus"]', (e) => [e.type, e.max].join()), 'range,500');
  assert.equal(await page.$eval('[data-lever="tertiary_capacity"]', (e) => [e.min, e.max].join()), '0.5,2');
});

test('levers are grouped by stakeholder, with label, unit and tooltip', async () => {
  const groups = await page.$$eval('fieldset[data-group]', (fs) => fs.map((f) => f.dataset.group));
  assert.deepEqual(groups, ['insurer', 'hospitals', 'doctors', 'patients']);
  for (const key of BRIEF_LEVERS) {
    const info = await page.$eval(`[data-lever="${key}"]`, (el) => {
      const label = document.querySelector(`label[for="${el.id}"]`);
      const described = (el.getAttribute('aria-describedby') || '')
        .split(' ')
        .map((id) => document.getElementById(id)?.textContent || '')
        .join(' ');
      return { label: label ? label.textContent.trim() : '', title: el.title, described };
    });
    assert.ok(info.label.length > 3, `visible label for ${key}`);
    assert.ok(info.title.length > 20, `tooltip for ${key}`);
    assert.ok(info.described.includes('Allowed:'), `accessible description for ${key}`);
  }
  const unit = await page.$eval('[data-field="primary_investment"] .unit', (e) => e.textContent);
  assert.match(unit, /yuan/);
});

test('every chart container exists and draws', async () => {
  for (const name of CHARTS) {
    const n = await page.locator(`[data-chart="${name}"]`).count();
    assert.equal(n, 1, `chart ${name}`);
    const size = await page.$eval(`[data-chart="${name}"]`, (e) => [e.clientWidth, e.clientHeight]);
    assert.ok(size[0] > 150 && size[1] > 150, `chart ${name} has room: ${size}`);
    const drawn = await page.evaluate((n) => !!window.__explorer.echarts.getInstanceByDom(document.querySelector(`[data-chart="${n}"]`)), name);
    assert.ok(drawn, `ECharts instance for ${name}`);
    const lookFor = await page.$eval(`[data-chart="${name}"]`, (e) => e.closest('figure')?.querySelector('.look-for')?.textContent ?? '');
    assert.match(lookFor, /^Look for: .{30,}/, `chart ${name} says what to look for`);
  }
  for (const action of ['setup', 'go', 'step', 'reset']) {
    assert.equal(await page.$eval(`[data-action="${action}"]`, (e) => e.tagName), 'BUTTON');
  }
});

test("the charts' rehearsal draws every kind of chart out of sight, then leaves nothing behind", async () => {
  // Left alone after loading, the page rehearses 4 kinds of chart, 4 draws each.
  await page.waitForFunction(() => window.__explorer.rehearsal && window.__explorer.rehearsal.finished, null, { timeout: 30_000 });
  assert.equal(await page.evaluate(() => window.__explorer.rehearsal.drawn), 16);
  // Its hidden charts are disposed and removed: only the page's own charts remain.
  const instances = await page.evaluate(() =>
    [...document.querySelectorAll('div')].filter((d) => window.__explorer.echarts.getInstanceByDom(d)).map((d) => d.dataset.chart || 'hidden'),
  );
  assert.deepEqual(instances.sort(), [...CHARTS].sort());
  assert.equal(await page.locator('body > div[aria-hidden="true"]').count(), 0);
  // The page's charts still show the region as set up (day 0), not the rehearsal's made-up run.
  const shares = await page.evaluate(() => window.__explorer.chartData('visit-shares'));
  assert.ok(shares.every((s) => s.data.length === 0), 'no made-up points on the real chart');
});

test("the rehearsal's hidden charts leave the page's layout alone", async () => {
  // Issue 18: the hidden charts once took room in the page's column (ECharts made them
  // position: relative), and everything below the run buttons went blank while they lived.
  await browser.context.addInitScript(() => {
    const heights = (window.__layoutHeights = []);
    const frame = () => {
      const layout = document.querySelector('.layout');
      const rehearsal = window.__explorer && window.__explorer.rehearsal;
      if (rehearsal && layout) heights.push(Math.round(layout.getBoundingClientRect().height));
      if (!rehearsal || !rehearsal.finished) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const fresh = await browser.newPage('');
  await fresh.waitForFunction(() => window.__explorer.rehearsal && window.__explorer.rehearsal.finished, null, { timeout: 30_000 });
  const heights = await fresh.evaluate(() => window.__layoutHeights);
  assert.ok(heights.length > 3, `frames seen during the rehearsal: ${heights.length}`);
  assert.deepEqual([...new Set(heights)], [heights[0]], 'the layout kept its height');
  await fresh.close();
  assert.deepEqual(browser.problems, []);
});

test('every form control has a label, and the run buttons work from the keyboard', async () => {
  const unlabelled = await page.$$eval('input, select', (els) =>
    els.filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).map((el) => el.outerHTML.slice(0, 80)),
  );
  assert.deepEqual(unlabelled, []);
  await page.focus('[data-action="step"]');
  const before = await page.evaluate(() => window.__explorer.day);
  await page.keyboard.press('Enter');
  await page.waitForFunction((b) => window.__explorer.day > b, before);
  // Tab moves on to the next run button.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'reset');
});

test('a run fills every chart; screenshot at 1366x768', async () => {
  await page.click('[data-action="setup"]');
  await page.waitForFunction(() => window.__explorer.day === 0 && window.__explorer.setups >= 2);
  await page.click('[data-action="go"]');
  await page.waitForFunction(() => window.__explorer.day >= 180, null, { timeout: 60_000 });
  await screenshot(page, 'explorer-running.png');
  await page.waitForFunction(() => window.__explorer.day >= 450, null, { timeout: 90_000 });
  await page.click('[data-action="go"]'); // pause
  await page.waitForFunction(() => !window.__explorer.running, null, { timeout: 30_000 });
  for (const name of CHARTS.filter((n) => n !== 'sankey' && n !== 'map')) {
    const series = await page.evaluate((n) => window.__explorer.chartData(n), name);
    const current = series.filter((s) => !String(s.id).endsWith(':baseline'));
    const baseline = series.filter((s) => String(s.id).endsWith(':baseline'));
    assert.ok(current.length >= 1 && current.every((s) => s.data.length >= 15), `${name} has 15 months`);
    assert.equal(baseline.length, current.length, `${name} overlays the baseline`);
  }
  const sankey = await page.evaluate(() => window.__explorer.chartData('sankey')[0]);
  assert.ok(sankey.links.every((l) => l.actual >= 0) && sankey.links.some((l) => l.actual > 0));
  const map = await page.evaluate(() => window.__explorer.chartData('map'));
  assert.ok(map.find((s) => s.id === 'flows').data.length > 0, 'flow lines on the map');
  await page.evaluate(() => document.querySelector('.results').scrollTo(0, 0));
  await screenshot(page, 'explorer.png');
  assert.deepEqual(browser.problems, []);
});

test('the style sheet: every section starts at the top level (no block left open above it)', () => {
  // A merge once dropped the brace closing a @media block, and every rule after it silently
  // applied only inside that media query.
  const css = readFileSync(new URL('../../www/style.css', import.meta.url), 'utf8').replace(/\/\*(?!\s*-{10})[\s\S]*?\*\//g, '');
  let depth = 0;
  const open = [];
  for (const line of css.split('\n')) {
    if (/^\/\*\s*-{10}/.test(line) && depth !== 0) open.push(line.trim());
    depth += (line.match(/\{/g) || []).length - (line.match(/\}/g) || []).length;
  }
  assert.deepEqual(open, [], 'sections that begin inside an open block');
  assert.equal(depth, 0, 'braces balance');
});
