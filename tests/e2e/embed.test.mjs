// The embeddable <consortium-sim> (issue 19): the demo briefing page's two elements run and
// draw, the second only once it is scrolled into view; with JavaScript off the static
// snapshot shows; the explorer's Embed dialog writes a snippet that upgrades and runs in a
// blank page; the iframe page speaks Chinese and reports bad values inside the element; and
// the element's figures are the explorer's for the same scenario and seed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { launch, runTo, BASE_URL, CHROMIUM_FLAGS, screenshot } from './browser.mjs';

/** The scenario of the demo page's first element (status quo) and second (close consortium). */
const STATUS_QUO = 'preset=status_quo&population=20000&years=3&seed=1';

let browser;
/** A second Chromium for fresh contexts: JavaScript off, and a blank page that no service
 * worker of the explorer's (registered in `browser`'s profile) answers for. */
let plain;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  plain = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  await plain?.close();
});

/** Opens a page that is not the explorer (no `__explorer` to wait for), with the guards. */
async function openPlain(path) {
  const page = await browser.context.newPage();
  page.on('pageerror', (err) => browser.problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') browser.problems.push(`console error: ${msg.text()}`);
  });
  await page.goto(new URL(path, BASE_URL).href);
  return page;
}

/** Waits until element number `i` on the page is in state `state`. */
function waitState(page, i, state, timeout = 60_000) {
  return page.waitForFunction(([n, s]) => document.querySelectorAll('consortium-sim')[n]?.state === s, [i, state], { timeout });
}

/** What element `i` shows: its state, figures as text, the points of each chart's series, and
 * whether its snapshot (light DOM) is still on screen. */
function shown(page, i = 0) {
  return page.evaluate((n) => {
    const el = document.querySelectorAll('consortium-sim')[n];
    const root = el.shadowRoot;
    const figures = Object.fromEntries([...root.querySelectorAll('.figure')].map((f) => [f.dataset.figure, f.querySelector('.value').textContent]));
    const charts = Object.fromEntries([...root.querySelectorAll('.card')].map((c) => [c.dataset.chart, el.chartData(c.dataset.chart)]));
    const snapshotShown = [...el.children].some((c) => c.getClientRects().length > 0);
    return {
      state: el.state,
      day: el.snapshot?.day ?? null,
      summary: el.snapshot?.current.summary ?? null,
      figures,
      charts,
      snapshotShown,
      problems: [...root.querySelectorAll('.problems li')].map((li) => li.textContent),
      bar: root.querySelector('.bar').textContent,
      labels: [...root.querySelectorAll('.figure .label, .card figcaption')].map((e) => e.textContent),
      missing: el.missingStrings,
    };
  }, i);
}

/** The explorer's key figure `key` as shown, after running `query` to its end. */
async function explorerFigure(query, key) {
  const page = await browser.newPage(`index.html?${query}`);
  await page.evaluate(() => document.querySelector('[data-action="go"]').click());
  const total = await page.evaluate(() => window.__explorer.totalDays);
  await runTo(page, total, 120_000);
  const figure = await page.evaluate((k) => ({ text: document.querySelector(`[data-kpi="${k}"] .kpi-value`).textContent, value: window.__explorer.summary[k] }), key);
  return { page, figure };
}

test('the demo page: two elements run and draw, the second only once scrolled into view', async () => {
  const page = await openPlain('embed-demo.html');
  await waitState(page, 0, 'done');
  const first = await shown(page, 0);
  assert.equal(first.day, 3 * 365, 'the first element ran to its horizon');
  assert.equal(first.snapshotShown, false, 'the live run replaced the snapshot');
  for (const [name, series] of Object.entries(first.charts)) {
    assert.ok(series.length >= 2, `${name}: the run and the status quo are drawn`);
    for (const s of series) assert.ok(s.points >= 35, `${name}: ${s.id} has a point per month (${s.points})`);
  }
  // The second is below the fold: still waiting, its snapshot on screen, no run started.
  const waiting = await shown(page, 1);
  assert.equal(waiting.state, 'waiting');
  assert.equal(waiting.day, null);
  assert.equal(waiting.snapshotShown, true);
  await screenshot(page, 'embed-demo-1280.png');

  await page.evaluate(() => document.querySelectorAll('consortium-sim')[1].scrollIntoView());
  await waitState(page, 1, 'done');
  const second = await shown(page, 1);
  assert.equal(second.snapshotShown, false);
  assert.ok(Object.values(second.charts).every((s) => s.length && s.every((x) => x.points >= 35)), 'the second element draws');
  assert.notEqual(first.figures.primary_visit_share, second.figures.primary_visit_share, 'different scenarios, different figures');
  assert.ok(second.summary.primary_visit_share > first.summary.primary_visit_share, 'the close consortium sends more visits to primary care');
  assert.deepEqual(second.missing, []);

  // Replay runs the scenario again from day 0, to the same numbers.
  await page.evaluate(() => document.querySelectorAll('consortium-sim')[1].shadowRoot.querySelector('.play').click());
  await waitState(page, 1, 'done');
  assert.deepEqual((await shown(page, 1)).figures, second.figures);

  // Printed, the page shows the snapshots (drawn for paper), not the live canvases.
  await page.emulateMedia({ media: 'print' });
  const printed = await shown(page, 1);
  assert.equal(printed.snapshotShown, true, 'print shows the snapshot');
  assert.equal(await page.evaluate(() => document.querySelectorAll('consortium-sim')[1].shadowRoot.querySelector('.live').getClientRects().length), 0, 'and not the live run');
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(browser.problems, []);
  await page.close();
});

test("the element's figures are the explorer's for the same scenario and seed", async () => {
  const { page: explorer, figure } = await explorerFigure(STATUS_QUO, 'primary_visit_share');
  await explorer.close();
  const page = await openPlain(`embed.html?${STATUS_QUO}&figures=primary_visit_share`);
  await waitState(page, 0, 'done');
  const el = await shown(page, 0);
  assert.equal(el.summary.primary_visit_share, figure.value, 'to the last bit');
  assert.equal(el.figures.primary_visit_share, figure.text);
  await page.close();
});

test('with JavaScript off the snapshot (SVG charts and the figures table) is what shows', async () => {
  {
    const context = await plain.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(new URL('embed-demo.html', BASE_URL).href);
    const first = page.locator('consortium-sim').first();
    assert.ok(await first.locator('svg').first().isVisible(), 'a chart of the snapshot is visible');
    assert.equal(await first.locator('svg').count(), 2);
    assert.ok(await first.locator('table[data-figures]').isVisible(), 'the figures table is visible');
    assert.match(await first.locator('table[data-figures] tr[data-figure="primary_visit_share"]').textContent(), /\d+\.\d%/);
    const box = await first.locator('svg').first().boundingBox();
    assert.ok(box.width > 300 && box.height > 100, `the chart has a size (${box.width}×${box.height})`);
    await page.screenshot({ path: 'tests/e2e/artifacts/embed-demo-no-js.png' });
    await context.close();
  }
});

test("the Embed dialog's snippet, pasted into a blank page, upgrades and runs", async () => {
  const query = 'preset=close_consortium&population=20000&years=2&seed=5';
  const { page: explorer, figure } = await explorerFigure(query, 'downward_referrals_per_1000');
  await explorer.evaluate(() => document.querySelector('[data-action="embed"]').click());
  // Two charts and two figures.
  await explorer.evaluate(() => {
    const pick = (group, values) => {
      for (const box of document.querySelectorAll(`[data-embed-${group}] input`)) if (box.checked !== values.includes(box.value)) box.click();
    };
    pick('charts', ['visit-shares', 'referrals']);
    pick('figures', ['primary_visit_share', 'downward_referrals_per_1000']);
  });
  const snippet = await explorer.$eval('[data-embed-element]', (t) => t.value);
  const iframe = await explorer.$eval('[data-embed-iframe]', (t) => t.value);
  const size = await explorer.$eval('[data-embed-size]', (t) => t.textContent);
  await screenshot(explorer, 'embed-dialog.png');
  await explorer.close();

  // The scenario is the share link's query, pinned to the model version that made it (v=).
  const version = readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8').match(/^version = "([^"]+)"/m)[1];
  assert.ok(snippet.includes(`seed=5&amp;v=${version}"`), 'the scenario names the model version');
  assert.match(snippet, /^<consortium-sim scenario="preset=close_consortium&amp;population=20000&amp;years=2&amp;seed=5&amp;v=[0-9.]+" charts="visit-shares,referrals" figures="primary_visit_share,downward_referrals_per_1000" lang="en" autoplay>/);
  assert.match(snippet, /<script type="module" src="[^"]+\/embed\/consortium-sim\.js"><\/script>\n$/);
  assert.equal((snippet.match(/<svg /g) || []).length, 2, 'two pre-rendered charts');
  assert.match(snippet, /<details>\n<summary>Monthly series<\/summary>/);
  const kb = new TextEncoder().encode(snippet).length / 1024;
  assert.ok(kb < 60, `the snippet stays small (${kb.toFixed(1)} KB; the dialog says ${size})`);
  assert.match(iframe, /^<iframe src="[^"]+\/embed\.html\?preset=close_consortium&amp;population=20000&amp;years=2&amp;seed=5&amp;v=[0-9.]+&amp;charts=visit-shares%2Creferrals&amp;figures=primary_visit_share%2Cdownward_referrals_per_1000&amp;lang=en" title="[^"]+" width="100%" height="\d+" loading="lazy"><\/iframe>\n$/);

  // The snippet alone is a page: served from the same root, the element upgrades and runs.
  const context = await plain.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  page.on('pageerror', (err) => browser.problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') browser.problems.push(`console error: ${msg.text()}`);
  });
  const origin = new URL(BASE_URL).origin;
  await context.route('**/*', (route) => {
    if (route.request().url().startsWith(origin)) return route.continue();
    browser.problems.push(`request to a non-localhost URL: ${route.request().url()}`);
    return route.abort();
  });
  const blank = new URL('embed-snippet-test.html', BASE_URL).href;
  await page.route(blank, (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Blank</title></head><body>${snippet}</body></html>` }));
  await page.goto(blank);
  // The snapshot's table holds the explorer's figure as it was when the snippet was written.
  assert.equal(await page.locator('consortium-sim tr[data-figure="downward_referrals_per_1000"] td').first().textContent(), `${figure.text} /1,000`);
  await waitState(page, 0, 'done');
  const el = await shown(page, 0);
  assert.equal(el.snapshotShown, false);
  assert.equal(el.summary.downward_referrals_per_1000, figure.value);
  assert.ok(el.charts.referrals.every((s) => s.points >= 23));
  await context.close();
  assert.deepEqual(browser.problems, []);
});

test('lang=zh-CN: the iframe page speaks Chinese, and reports bad values inside the element in Chinese', async () => {
  const page = await openPlain(`embed.html?${STATUS_QUO}&years=1&charts=visit-shares,nope&figures=primary_visit_share&lang=zh-CN`);
  await waitState(page, 0, 'done');
  const el = await shown(page, 0);
  const han = /\p{Script=Han}/u;
  assert.ok(han.test(el.bar), `the bar is Chinese: ${el.bar}`);
  for (const label of el.labels) assert.ok(han.test(label), `Chinese label: ${label}`);
  assert.equal(el.problems.length, 1);
  assert.ok(han.test(el.problems[0]) && el.problems[0].includes('nope'), el.problems[0]);
  assert.deepEqual(el.missing, []);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  // The element's own `lang` wins over the document's, and a change relabels it.
  // The charts are rebuilt in the new language and drawn at once, never left blank for a frame.
  const drawnAtOnce = await page.evaluate(() => {
    const el = document.querySelector('consortium-sim');
    el.setAttribute('lang', 'en');
    return [...el.shadowRoot.querySelectorAll('.card')].map((c) => (el.chartData(c.dataset.chart) || []).length);
  });
  assert.ok(drawnAtOnce.length > 0 && drawnAtOnce.every((n) => n > 0), `series right after the change: ${drawnAtOnce}`);
  await page.waitForFunction(() => document.querySelector('consortium-sim').shadowRoot.querySelector('.play').textContent.includes('Replay'));
  const english = await shown(page, 0);
  for (const label of english.labels) assert.ok(!han.test(label), `English label: ${label}`);
  assert.match(english.problems[0], /unknown chart 'nope'/);
  await page.close();
});

test('a bad scenario value is reported inside the element and the default used; the charts follow the width', async () => {
  const page = await openPlain(`embed.html?${STATUS_QUO}&years=1&seed=abc&autoplay=off`);
  await page.waitForFunction(() => document.querySelector('consortium-sim')?.state === 'waiting');
  // autoplay=off: a Play button, the run waits for it.
  await page.waitForTimeout(300);
  assert.equal((await shown(page, 0)).day, null);
  await page.evaluate(() => document.querySelector('consortium-sim').shadowRoot.querySelector('.play').click());
  await waitState(page, 0, 'done');
  const el = await shown(page, 0);
  assert.equal(el.problems.length, 1);
  assert.match(el.problems[0], /invalid value 'abc' for 'seed'/);
  const width = () => page.evaluate(() => document.querySelector('consortium-sim').shadowRoot.querySelector('.chart canvas').getBoundingClientRect().width);
  const wide = await width();
  await page.setViewportSize({ width: 420, height: 720 });
  await page.waitForFunction((w) => document.querySelector('consortium-sim').shadowRoot.querySelector('.chart canvas').getBoundingClientRect().width < w - 100, wide);
  assert.ok((await width()) <= 420);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.close();
});
