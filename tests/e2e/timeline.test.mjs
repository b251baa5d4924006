// The policy timeline: a lever change scheduled at a month start is set in the model from
// that month's first day, marked on the charts, kept in the share link, and a page opened
// from the link reproduces the run; bad months and values are named beside the box.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { launch, stepMonths, runTo, setRange, screenshot, ARTIFACTS } from './browser.mjs';

let browser;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
});

after(async () => {
  await browser?.close();
});

/** Fills the box's month, lever and value and presses Add. */
async function addEntry(page, month, lever, value) {
  await page.fill('[data-timeline-month]', String(month));
  await page.selectOption('[data-timeline-lever]', lever);
  const tag = await page.$eval('[data-timeline-value]', (e) => e.tagName);
  if (tag === 'SELECT') await page.selectOption('[data-timeline-value]', String(value));
  else await page.fill('[data-timeline-value]', String(value));
  await page.click('[data-action="timeline-add"]');
}

/** The days of the lever marks on the first time chart (drawn first if stale). */
async function markDays(page) {
  return page.evaluate(() => {
    window.__explorer.chartData('visit-shares');
    const series = window.__explorer.charts.get('visit-shares').getOption().series.filter(Boolean);
    const marks = (series[0].markLine && series[0].markLine.data) || [];
    return marks.filter((m) => m.xAxis !== undefined).map((m) => ({ day: Math.round(m.xAxis * 365), name: m.name }));
  });
}

/** The page's link parameter `at` (the timeline), or null. */
function atParam(page) {
  return new URL(page.url()).searchParams.get('at');
}

/** The lever entries in the box's list, as the page writes them. */
async function listed(page) {
  return page.$$eval('[data-timeline-list] li', (items) => items.map((li) => li.dataset.entry));
}

test('a scheduled referral bonus applies from the first day of month 3, is marked, and the link reproduces the run', async () => {
  const page = await browser.newPage('?population=20000&years=1&seed=5');
  const before = await page.evaluate(() => window.__explorer.modelLevers.referral_bonus);
  assert.notEqual(before, 250);
  await addEntry(page, 3, 'referral_bonus', 250);
  assert.deepEqual(await listed(page), ['3:referral_bonus']);
  assert.match(await page.locator('[data-timeline-list] li').textContent(), /Month 3: Downward-referral bonus = 250/);
  assert.equal(atParam(page), '3:referral_bonus:250');
  // The page's own lever (the run's start) is not changed by the schedule.
  assert.equal(await page.$eval('[data-lever="referral_bonus"]', (e) => Number(e.value)), before);

  // Month 1 and month 2 run with the old value; at the start of month 3 the model has 250.
  await stepMonths(page, 1);
  const monthStart1 = await page.evaluate(() => window.__explorer.day);
  assert.equal(await page.evaluate(() => window.__explorer.modelLevers.referral_bonus), before, `day ${monthStart1}`);
  await stepMonths(page, 1);
  const monthStart2 = await page.evaluate(() => window.__explorer.day);
  assert.ok(monthStart2 === 59 || monthStart2 === 60 || monthStart2 === 61, `month 3 starts on day ${monthStart2}`);
  assert.equal(await page.evaluate(() => window.__explorer.modelLevers.referral_bonus), 250, `from day ${monthStart2}`);
  assert.deepEqual(await markDays(page), [{ day: monthStart2, name: 'referral_bonus = 250' }]);
  await stepMonths(page, 1);
  assert.equal(await page.evaluate(() => window.__explorer.modelLevers.referral_bonus), 250);

  // To the horizon; the status-quo baseline never saw the change.
  await page.click('[data-action="go"]');
  await runTo(page, 365);
  const summary = await page.evaluate(() => window.__explorer.summary);
  const baseline = await page.evaluate(() => window.__explorer.baselineSummary);
  assert.deepEqual(await markDays(page), [{ day: monthStart2, name: 'referral_bonus = 250' }]);
  // The schedule is not a lever waiting for Again.
  assert.equal(await page.evaluate(() => window.__explorer.leversPending), false);
  const link = page.url();

  // A fresh page from the link: the entry is listed, and Go gives the same numbers, even at
  // the fastest speed, whose updates of three months must stop at the entry's month.
  const again = await browser.newPage(link.slice(link.indexOf('?')));
  assert.deepEqual(await listed(again), ['3:referral_bonus']);
  assert.equal(await again.evaluate(() => window.__explorer.modelLevers.referral_bonus), before);
  await setRange(again, '[data-speed]', 5);
  await again.click('[data-action="go"]');
  await runTo(again, 365);
  assert.deepEqual(await again.evaluate(() => window.__explorer.summary), summary);
  assert.deepEqual(await markDays(again), [{ day: monthStart2, name: 'referral_bonus = 250' }]);

  // The same run without the schedule: the baseline is the same, the run is not.
  const plain = await browser.newPage('?population=20000&years=1&seed=5');
  await plain.click('[data-action="go"]');
  await runTo(plain, 365);
  assert.deepEqual(await plain.evaluate(() => window.__explorer.baselineSummary), baseline);
  assert.notDeepEqual(await plain.evaluate(() => window.__explorer.summary), summary);
  await plain.close();

  // Again runs the schedule from day 0 once more: the same numbers, the same single mark.
  // Waits for Again's set-up by its count: a short run may be over before a poll sees it going.
  const setups = await again.evaluate(() => window.__explorer.setups);
  await again.click('[data-action="go"]');
  await again.waitForFunction((n) => window.__explorer.setups > n, setups, { polling: 50 });
  await runTo(again, 365);
  assert.deepEqual(await again.evaluate(() => window.__explorer.summary), summary);
  assert.deepEqual(await markDays(again), [{ day: monthStart2, name: 'referral_bonus = 250' }]);
  await again.close();
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('a bad month or value is named beside the box, and removing an entry removes it from the link', async () => {
  const page = await browser.newPage('?population=20000&years=1');
  const monthError = page.locator('#timeline-month-error');
  const valueError = page.locator('#timeline-value-error');
  await addEntry(page, 13, 'referral_bonus', 250);
  assert.ok(await monthError.isVisible());
  assert.match(await monthError.textContent(), /'13'.*1 to 12/);
  assert.equal(await page.getAttribute('[data-timeline-month]', 'aria-invalid'), 'true');
  assert.deepEqual(await listed(page), []);

  await addEntry(page, 2, 'referral_bonus', -5);
  assert.ok(!(await monthError.isVisible()), 'the corrected month is no longer named');
  assert.ok(await valueError.isVisible());
  assert.match(await valueError.textContent(), /'-5' for 'referral_bonus'/);
  assert.deepEqual(await listed(page), []);
  assert.equal(atParam(page), null);

  await addEntry(page, 6, 'gatekeeping', 'strict');
  await addEntry(page, 2, 'referral_bonus', 100);
  assert.ok(!(await valueError.isVisible()));
  assert.deepEqual(await listed(page), ['2:referral_bonus', '6:gatekeeping'], 'in month order');
  assert.equal(atParam(page), '2:referral_bonus:100,6:gatekeeping:strict');
  await page.click('[data-entry="2:referral_bonus"] [data-action="timeline-remove"]');
  assert.deepEqual(await listed(page), ['6:gatekeeping']);
  assert.equal(atParam(page), '6:gatekeeping:strict');
  await page.click('[data-entry="6:gatekeeping"] [data-action="timeline-remove"]');
  assert.deepEqual(await listed(page), []);
  assert.equal(atParam(page), null);

  // Mid-run, at the start of month 3: an entry for month 3 applies from today; one for month
  // 2, already run, waits for the next set-up, and the box says so.
  await stepMonths(page, 2);
  const day = await page.evaluate(() => window.__explorer.day);
  await addEntry(page, 3, 'referral_bonus', 100);
  await addEntry(page, 2, 'gatekeeping', 'strict');
  const note = page.locator('[data-timeline-note]');
  assert.ok(await note.isVisible());
  assert.match(await note.textContent(), /Month 2 has already begun/);
  await stepMonths(page, 1);
  const levers = await page.evaluate(() => window.__explorer.modelLevers);
  assert.equal(levers.referral_bonus, 100);
  assert.equal(levers.gatekeeping, 'none');
  assert.deepEqual(await markDays(page), [{ day, name: 'referral_bonus = 100' }]);

  // The list and the note follow the language switch.
  await page.selectOption('[data-language]', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  assert.match(await page.locator('[data-entry="3:referral_bonus"]').textContent(), /第3个月起：下转奖励 = 100/);
  assert.match(await note.textContent(), /第2个月/);
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test("a link's bad timeline entries are named beside the box; its good ones are kept", async () => {
  const page = await browser.newPage('?population=20000&years=1&at=3:referral_bonus:-5,0:gatekeeping:strict,4:gatekeeping:strict');
  const error = page.locator('#timeline-error');
  assert.ok(await error.isVisible());
  const text = await page.locator('#banner').textContent();
  assert.match(text, /'-5' for 'referral_bonus'/);
  assert.match(text, /'0:gatekeeping:strict' for 'at'/);
  assert.deepEqual(await listed(page), ['4:gatekeeping']);
  assert.equal(atParam(page), '4:gatekeeping:strict');
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('the box at 1280×720 and 390×844, in English and Chinese', async () => {
  for (const [width, height] of [
    [1280, 720],
    [390, 844],
  ]) {
    for (const lang of ['en', 'zh-CN']) {
      const page = await browser.newPage(`?population=20000&years=1&lang=${lang}&at=3:referral_bonus:250,6:gatekeeping:strict`);
      await page.setViewportSize({ width, height });
      await addEntry(page, 99, 'referral_bonus', 250);
      const box = page.locator('[data-timeline]');
      await box.scrollIntoViewIfNeeded();
      if (lang === 'zh-CN') assert.match(await box.textContent(), /政策时间表.*第3个月起/s);
      assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
      await screenshot(page, `timeline-${width}x${height}-${lang}.png`);
      await box.screenshot({ path: join(ARTIFACTS, `timeline-box-${width}-${lang}.png`) });
      await page.close();
    }
  }
  assert.deepEqual(browser.problems, []);
});
