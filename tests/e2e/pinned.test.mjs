// Pinned, complete links (issue 19): a lever moved by hand mid-run is kept in the link as a
// timeline entry, so the link (and Again) reproduce the run to the last digit; the link names
// the model version and warns when opened by another one, offering the archived version
// (www/v/<version>/, scripts/build-versions.sh); `v=` and `pairs=` survive Copy link.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch, stepMonths, runTo, setRange, screenshot } from './browser.mjs';

const ARCHIVED = '0.1.0';
const archiveBuilt = existsSync(fileURLToPath(new URL(`../../www/v/${ARCHIVED}/pkg/consortium_sim_bg.wasm`, import.meta.url)));

let browser;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write']);
});

after(async () => {
  await browser?.close();
});

/** Presses Copy link and returns what it put on the clipboard. */
async function copyLink(page) {
  await page.click('[data-action="copy-link"]');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** The model version the page runs, as its header shows it. */
async function modelVersion(page) {
  const text = await page.textContent('[data-version]');
  return text.match(/\d+\.\d+\.\d+/)[0];
}

/** Presses Go (or Again) and waits for the end of a one-year run. */
async function runYear(page) {
  const setups = await page.evaluate(() => window.__explorer.setups);
  const finished = await page.evaluate(() => window.__explorer.day >= window.__explorer.totalDays);
  await page.click('[data-action="go"]');
  if (finished) await page.waitForFunction((n) => window.__explorer.setups > n, setups);
  await runTo(page, 365);
  return page.evaluate(() => window.__explorer.summary);
}

const START = '?population=3000&years=1&seed=11';

test('a lever moved by hand at month 3: the link names it, and it and Again reproduce the run to the last digit', async () => {
  const page = await browser.newPage(START);
  const startBonus = await page.evaluate(() => window.__explorer.modelLevers.referral_bonus);
  assert.notEqual(startBonus, 300);
  await stepMonths(page, 2);
  const day = await page.evaluate(() => window.__explorer.day);
  await setRange(page, '[data-lever="referral_bonus"]', 300);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('at') === '3:referral_bonus:300:hand');
  assert.equal(await page.evaluate(() => window.__explorer.modelLevers.referral_bonus), 300, 'the model has it');
  assert.equal(await page.evaluate(() => window.__explorer.scenario.levers.referral_bonus), startBonus, 'the start value stays');
  assert.equal(new URL(page.url()).searchParams.get('referral_bonus'), null, 'the link starts the run with the preset value');
  const item = page.locator('[data-entry="3:referral_bonus"]');
  assert.equal(await item.getAttribute('data-hand'), '');
  assert.match(await item.textContent(), /Month 3: Downward-referral bonus = 300.*moved by hand/);
  assert.match(await page.textContent('[data-status]'), new RegExp(`from day ${day + 1}`));

  const summary = await runYear(page);
  const copied = await copyLink(page);
  const params = new URL(copied).searchParams;
  assert.equal(params.get('at'), '3:referral_bonus:300:hand', 'the link names the move');
  assert.equal(params.get('v'), await modelVersion(page), 'and the model version');
  assert.equal(params.get('seed'), '11');

  // The link in a new page: the lever starts where the run started, moves at month 3, and
  // every summary figure is the same, bit for bit.
  const again = await browser.newPage(copied.slice(copied.indexOf('?')));
  assert.equal(Number(await again.$eval('[data-lever="referral_bonus"]', (e) => e.value)), startBonus);
  assert.equal(await again.getAttribute('[data-entry="3:referral_bonus"]', 'data-hand'), '');
  assert.deepEqual(await runYear(again), summary);
  assert.equal(Number(await again.$eval('[data-lever="referral_bonus"]', (e) => e.value)), 300, 'the control shows the value in force');
  assert.deepEqual(browser.problems, []);

  // Again on the first page replays the move: the same figures once more.
  assert.deepEqual(await runYear(page), summary);
  assert.equal(new URL(page.url()).searchParams.get('at'), '3:referral_bonus:300:hand');

  // Without the move the figures differ: the test above compares something that matters.
  const plain = await browser.newPage(START);
  assert.notDeepEqual(await runYear(plain), summary);
  await Promise.all([plain.close(), again.close(), page.close()]);
  assert.deepEqual(browser.problems, []);
});

test('a move undone in the same month leaves no entry; a move at day 0 or after the run is a start value', async () => {
  const page = await browser.newPage(START);
  // Day 0: a start value, no timeline entry.
  await page.selectOption('[data-lever="gatekeeping"]', 'soft');
  await page.waitForFunction(() => window.__explorer.modelLevers.gatekeeping === 'soft');
  let params = new URL(page.url()).searchParams;
  assert.equal(params.get('gatekeeping'), 'soft');
  assert.equal(params.get('at'), null);

  await stepMonths(page, 1);
  await page.selectOption('[data-lever="gatekeeping"]', 'strict');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('at') === '2:gatekeeping:strict:hand');
  await page.click('[data-action="undo"]');
  await page.waitForFunction(() => window.__explorer.modelLevers.gatekeeping === 'soft');
  params = new URL(page.url()).searchParams;
  assert.equal(params.get('at'), null, 'undone in the same month: no entry');
  assert.equal(params.get('gatekeeping'), 'soft');
  assert.equal(await page.$eval('[data-lever="gatekeeping"]', (e) => e.value), 'soft');

  // Moved in month 2, the entry is removed in the box: the box says the run keeps it.
  await page.selectOption('[data-lever="gatekeeping"]', 'strict');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('at') === '2:gatekeeping:strict:hand');
  await stepMonths(page, 1);
  await page.click('[data-entry="2:gatekeeping"] [data-action="timeline-remove"]');
  assert.equal(new URL(page.url()).searchParams.get('at'), null);
  assert.match(await page.textContent('[data-timeline-note]'), /past month 2 and keeps this change/);

  // After the run: a start value for Again.
  await runYear(page);
  await page.selectOption('[data-lever="gatekeeping"]', 'none');
  await page.waitForFunction(() => window.__explorer.leversPending);
  params = new URL(page.url()).searchParams;
  assert.equal(params.get('gatekeeping'), null);
  assert.equal(params.get('at'), null);
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('Setup after a move by hand starts a new region with the levers as shown', async () => {
  const page = await browser.newPage(`${START}&at=6:referral_bonus:100`);
  await stepMonths(page, 2);
  await setRange(page, '[data-lever="referral_bonus"]', 300);
  await page.waitForFunction(() => new URL(location.href).searchParams.get('at') === '3:referral_bonus:300:hand,6:referral_bonus:100');
  await page.click('[data-action="setup"]');
  await page.waitForFunction(() => window.__explorer.day === 0 && window.__explorer.settingUp === 0);
  const params = new URL(page.url()).searchParams;
  assert.equal(params.get('referral_bonus'), '300', 'the move is the new start value');
  assert.equal(params.get('at'), '6:referral_bonus:100', 'the planned entry stays');
  assert.equal(await page.evaluate(() => window.__explorer.modelLevers.referral_bonus), 300);
  assert.equal(Number(await page.$eval('[data-lever="referral_bonus"]', (e) => e.value)), 300);
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('a link from a version the archive lacks warns with both versions, in English and Chinese', async () => {
  const page = await browser.newPage('?population=3000&years=1&v=0.0.9');
  const notice = page.locator('[data-version-notice]');
  await page.waitForSelector('[data-version-notice][data-archived]');
  const current = await modelVersion(page);
  assert.notEqual(current, '0.0.9');
  const text = await notice.textContent();
  assert.match(text, /made with model 0\.0\.9/);
  assert.ok(text.includes(`runs model ${current}`), text);
  assert.match(text, /0\.0\.9 is not in this site's archive/);
  assert.equal(await page.locator('[data-action="open-archived"]').count(), 0);
  // The page still runs, and its own link names its own version.
  await stepMonths(page, 1);
  assert.equal(new URL(page.url()).searchParams.get('v'), current);
  await page.selectOption('[data-language]', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  const zh = await notice.textContent();
  assert.match(zh, /此链接由模型 0\.0\.9 生成/);
  assert.ok(zh.includes(`本页运行的是模型 ${current}`), zh);
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  await screenshot(page, 'pinned-other-version-zh.png');
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test(`a link made with model ${ARCHIVED} offers the archived version, which loads and runs`, async (t) => {
  if (!archiveBuilt) {
    t.skip(`www/v/${ARCHIVED}/ is not built (bash scripts/build-versions.sh builds it)`);
    return;
  }
  const page = await browser.newPage(`?population=3000&years=1&seed=4&v=${ARCHIVED}`);
  await page.waitForSelector('[data-version-notice][data-archived="true"]');
  const text = await page.textContent('[data-version-notice]');
  assert.match(text, new RegExp(`made with model ${ARCHIVED.replace(/\./g, '\\.')}`));
  assert.ok(text.includes(`runs model ${await modelVersion(page)}`));
  const open = page.locator('[data-action="open-archived"]');
  assert.equal(await open.textContent(), `Open with model ${ARCHIVED}`);
  const href = new URL(await open.getAttribute('href'), page.url());
  assert.equal(href.pathname, `/v/${ARCHIVED}/index.html`);
  assert.equal(href.search, '?population=3000&years=1&seed=4', 'the same scenario, without v=');
  await screenshot(page, 'pinned-other-version-en.png');

  await open.click();
  await page.waitForURL(/\/v\/0\.1\.0\/index\.html/);
  await page.waitForFunction(() => window.__explorer && window.__explorer.ready && window.__explorer.setups > 0, null, { timeout: 30_000 });
  assert.match(await page.textContent('[data-version]'), new RegExp(ARCHIVED.replace(/\./g, '\\.')));
  assert.equal(await page.evaluate(() => window.__explorer.totalDays), 365);
  await page.click('[data-action="step"]');
  await page.waitForFunction(() => window.__explorer.day > 0, null, { timeout: 30_000 });
  assert.ok((await page.evaluate(() => window.__explorer.summary.primary_visit_share)) > 0);
  await screenshot(page, 'pinned-archived-0.1.0.png');
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('v= and pairs= round-trip through Copy link; bad values are named', async () => {
  const page = await browser.newPage('?population=3000&years=1&pairs=12&v=0.2.0');
  assert.equal(await page.locator('[data-version-notice]').count(), 0, 'the same version: no warning');
  assert.ok(await page.locator('#banner').isHidden());
  const copied = await copyLink(page);
  const params = new URL(copied).searchParams;
  assert.equal(params.get('pairs'), '12');
  assert.equal(params.get('v'), await modelVersion(page));
  const again = await browser.newPage(copied.slice(copied.indexOf('?')));
  assert.ok(await again.locator('#banner').isHidden());
  const reread = new URL(again.url()).searchParams;
  assert.equal(reread.get('pairs'), '12');
  assert.equal(reread.get('v'), params.get('v'));
  await again.close();

  const bad = await browser.newPage('?population=3000&years=1&pairs=1&v=new');
  await bad.locator('#banner').waitFor({ state: 'visible' });
  const text = await bad.textContent('#banner');
  assert.match(text, /'1' for 'pairs'.*2 to 200/);
  assert.match(text, /'new' for 'v'/);
  assert.equal(new URL(bad.url()).searchParams.get('pairs'), null, 'a bad size is left out');
  await bad.close();
  await page.close();
  assert.deepEqual(browser.problems, []);
});
