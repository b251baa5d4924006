// Guidance up front: the first-visit tour (tour.js), the Info panel and the Things to try
// that load their scenario (info-panel.js, loadScenario in main.js).
//
// The tour does not open by itself in a browser driven by automation (navigator.webdriver)
// unless the page is opened with `?tour=1`: these tests use it to see what a person sees.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitReady, stepMonths, screenshot, setRange, injectAxe } from './browser.mjs';
import { tourWanted } from '../../www/tour.js';


/** axe-core's serious and critical WCAG 2.1 A/AA violations inside `selectors`. */
async function seriousViolations(page, selectors) {
  await injectAxe(page);
  const result = await page.evaluate(
    ([include, tags]) => window.axe.run({ include: include.map((s) => [s]) }, { runOnly: { type: 'tag', values: tags } }),
    [selectors, ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']],
  );
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const RUN = 'population=20000&years=1&seed=3';

/** Waits until the guidance is wired (it comes after the first set-up). */
async function guidanceReady(page) {
  await page.waitForFunction(() => window.__explorer.tour && typeof window.__explorer.tour.steps === 'number');
}

async function openGuided(browser, query) {
  const page = await browser.newPage(query);
  await guidanceReady(page);
  return page;
}

/** page.waitForFunction, failing with what was awaited and the page's state. */
async function waitFor(page, what, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: 30_000 });
  } catch (err) {
    const state = await page.evaluate(() => {
      const e = window.__explorer;
      return { day: e.day, running: e.running, setups: e.setups, settingUp: e.settingUp, status: document.querySelector('[data-status]').textContent, lastError: e.lastError };
    });
    throw new Error(`${what}: ${err.message.split('\n')[0]}; page state ${JSON.stringify(state)}`);
  }
}

const tourState = (page) => page.evaluate(() => window.__explorer.tour);

/** The popover and the step's target: both shown, inside the window; and whether the
 * focus is in the popover. */
function stepView(page) {
  return page.evaluate(() => {
    const pop = document.querySelector('[data-tour]');
    const targets = [...document.querySelectorAll('.tour-target')];
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height };
    };
    const vw = document.documentElement.clientWidth;
    const vh = window.innerHeight;
    const inWindow = (b) => b.width > 0 && b.height > 0 && b.bottom > 0 && b.top < vh && b.right > 0 && b.left < vw;
    const p = box(pop);
    return {
      popShown: !pop.hidden && inWindow(p) && p.top >= 0 && p.bottom <= vh && p.left >= 0 && p.right <= vw,
      targets: targets.length,
      targetShown: targets.length === 1 && inWindow(box(targets[0])) && getComputedStyle(targets[0]).visibility === 'visible',
      focusInside: pop.contains(document.activeElement),
      title: pop.querySelector('.tour-title').textContent,
      count: pop.querySelector('[data-tour-count]').textContent,
      next: pop.querySelector('[data-tour-next]').textContent,
    };
  });
}

test('when the tour opens by itself: a first visit, not presenting, not under automation without ?tour=1', () => {
  assert.equal(tourWanted('?preset=status_quo', { webdriver: false, seen: false }), true);
  assert.equal(tourWanted('?preset=status_quo', { webdriver: false, seen: true }), false);
  // A storage that cannot be read cannot remember the tour: it is not forced on every visit.
  assert.equal(tourWanted('', { webdriver: false, seen: null }), false);
  assert.equal(tourWanted('?present=1', { webdriver: false, seen: false }), false);
  assert.equal(tourWanted('?present=1&tour=1', { webdriver: true, seen: false }), false);
  assert.equal(tourWanted('', { webdriver: true, seen: false }), false);
  assert.equal(tourWanted('?tour=1', { webdriver: true, seen: false }), true);
});

for (const size of [
  { width: 1280, height: 720, name: '1280x720' },
  { width: 390, height: 844, name: '390x844' },
]) {
  test(`tour at ${size.name}: first visit, every step beside a visible target, Skip remembered, Tour brings it back, Esc`, async () => {
    const browser = await launch(size);
    try {
      // Automation without ?tour=1: no tour (the other page tests rely on it).
      let page = await openGuided(browser, `?${RUN}`);
      assert.equal((await tourState(page)).open, false);
      assert.equal(await page.isVisible('[data-tour]'), false);

      // A first visit, as a person's browser.
      await page.goto(new URL(`?${RUN}&tour=1`, page.url()).href);
      await waitReady(page);
      await guidanceReady(page);
      await page.waitForFunction(() => window.__explorer.tour.open);
      const steps = (await tourState(page)).steps;
      assert.ok(steps >= 4 && steps <= 6, `${steps} steps`);
      // The link the page writes does not keep ?tour, and the link problems are none.
      assert.doesNotMatch(await page.evaluate(() => location.search), /tour/);
      assert.deepEqual(await page.evaluate(() => window.__explorer.problems), []);

      const seen = new Set();
      for (let i = 0; i < steps; i++) {
        const view = await stepView(page);
        assert.equal((await tourState(page)).step, i);
        assert.ok(view.popShown, `step ${i + 1}: the popover is inside the window`);
        assert.ok(view.targetShown, `step ${i + 1} (${view.title}): its target is shown`);
        assert.ok(view.focusInside, `step ${i + 1}: the focus is in the popover`);
        assert.equal(view.count, `${i + 1} of ${steps}`);
        seen.add((await tourState(page)).id);
        if (i === 2) await screenshot(page, `guidance-tour-step3-${size.name}.png`);
        if (i === 0) assert.deepEqual(await seriousViolations(page, ['[data-tour]', '.tour-target']), []);
        if (i === steps - 1) assert.equal(view.next, 'Done');
        if (i === 1) {
          // Back goes back, keyboard works.
          await page.click('[data-tour-back]');
          assert.equal((await tourState(page)).step, 0);
          await page.focus('[data-tour-next]');
          await page.keyboard.press('Enter');
          assert.equal((await tourState(page)).step, 1);
        }
        if (i < steps - 1) await page.click('[data-tour-next]');
      }
      assert.deepEqual([...seen], ['levers', 'run', 'baseline', 'kpis', 'lookFor', 'link']);

      // Skip hides it; the focus comes back (to the Tour button: nothing had it before).
      await page.click('[data-tour-skip]');
      assert.equal((await tourState(page)).open, false);
      assert.equal(await page.isVisible('[data-tour]'), false);
      assert.equal(await page.evaluate(() => document.querySelectorAll('.tour-target').length), 0);
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'tour');

      // A new visit, again as a person's browser: remembered, no tour.
      await page.goto(new URL(`?${RUN}&tour=1`, page.url()).href);
      await waitReady(page);
      await guidanceReady(page);
      await page.waitForTimeout(300);
      assert.equal((await tourState(page)).open, false, 'the tour came back after Skip');

      // The Tour button brings it back; Esc skips and gives the focus back.
      await page.click('[data-action="tour"]');
      assert.equal((await tourState(page)).open, true);
      assert.equal((await tourState(page)).step, 0);
      assert.ok((await stepView(page)).focusInside);
      await page.keyboard.press('Escape');
      assert.equal((await tourState(page)).open, false);
      assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'tour');
      await page.close();
      assert.deepEqual(browser.problems, []);
    } finally {
      await browser.close();
    }
  });
}

test('the tour never opens by itself in presentation mode, and a blocked storage breaks nothing', async () => {
  const browser = await launch({ width: 1280, height: 720 });
  try {
    const presenting = await openGuided(browser, `?${RUN}&present=1&tour=1`);
    await presenting.waitForTimeout(300);
    assert.equal((await tourState(presenting)).open, false);
    await presenting.close();

    // Every read and write of localStorage throws (a storage the browser refuses).
    await browser.context.addInitScript(() => {
      const refuse = () => {
        throw new DOMException('refused', 'SecurityError');
      };
      Storage.prototype.getItem = refuse;
      Storage.prototype.setItem = refuse;
    });
    const page = await openGuided(browser, `?${RUN}&tour=1`);
    await page.waitForTimeout(300);
    assert.equal((await tourState(page)).open, false, 'not forced on every visit when it cannot be remembered');
    await page.click('[data-action="tour"]');
    assert.equal((await tourState(page)).open, true);
    await page.click('[data-tour-skip]');
    assert.equal((await tourState(page)).open, false);
    await stepMonths(page, 1);
    await page.close();
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

const PARTS = ['what', 'how', 'use', 'notice', 'try', 'extend'];

/** The Info panel's parts: heading and text of each. */
function infoParts(page) {
  return page.$$eval('#about [data-info-part]', (els) =>
    els.map((el) => ({ part: el.dataset.infoPart, heading: el.querySelector('h3').textContent, text: el.textContent, visible: el.getBoundingClientRect().height > 0 })),
  );
}

let browser;
before(async () => {
  browser = await launch({ width: 1280, height: 720 });
});
after(async () => {
  await browser?.close();
  assert.deepEqual(browser?.problems ?? [], []);
});

test('the Info panel has its six parts, in English and in Chinese, reached from the header link', async () => {
  const page = await openGuided(browser, `?${RUN}`);
  const en = await infoParts(page);
  assert.deepEqual(en.map((p) => p.part), PARTS);
  assert.deepEqual(en.map((p) => p.heading), ['What is it?', 'How it works', 'How to use it', 'Things to notice', 'Things to try', 'Extending the model · credits and references']);
  for (const p of en) {
    assert.ok(p.visible, `${p.part} shown`);
    assert.ok(p.text.length > 120, `${p.part} has its text`);
  }
  // The facts kept from the About text, and where the full description is.
  const how = en.find((p) => p.part === 'how').text;
  for (const who of ['Residents', 'Doctors', 'Facilities', 'insurer', 'health commission']) assert.match(how, new RegExp(who));
  assert.match(en.find((p) => p.part === 'extend').text, /docs\/MODEL\.md/);
  assert.deepEqual(await seriousViolations(page, ['#about', '.card-try']), []);
  // Its Things to try are the card's, with their buttons.
  assert.equal(await page.locator('[data-info-part="try"] [data-try]').count(), await page.locator('.card-try [data-try]').count());
  // The header link lands on it.
  await page.click('a.header-link[href="#about"]');
  assert.equal(await page.evaluate(() => location.hash), '#about');
  const top = await page.$eval('#about', (el) => el.getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 400, `the Info panel is in view (top ${top})`);

  // The switch to Chinese rewrites it.
  await page.selectOption('[data-language]', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  const switched = await infoParts(page);
  assert.equal(switched[0].heading, '这是什么？');
  assert.match(switched[4].text, /载入基层首诊/);
  await page.close();

  const zhPage = await openGuided(browser, `?${RUN}&lang=zh-CN`);
  const zh = await infoParts(zhPage);
  assert.deepEqual(zh.map((p) => p.part), PARTS);
  for (const p of zh) {
    assert.match(p.heading, /\p{Script=Han}/u, `${p.part}: Chinese heading`);
    const han = (p.text.match(/\p{Script=Han}/gu) || []).length;
    assert.ok(han > 60, `${p.part}: Chinese text (${han} characters)`);
  }
  assert.deepEqual(await zhPage.evaluate(() => window.__explorer.missingStrings), []);
  await zhPage.evaluate(() => document.querySelector('#about').scrollIntoView());
  await screenshot(zhPage, 'guidance-info-zh-CN.png');
  await zhPage.close();
});

/** What each thing to try loads: the preset and the levers that differ from the status quo. */
const TRIES = [
  { preset: 'gatekeeping', levers: { gatekeeping: 'strict', family_doctor_coverage: 0.8, awareness_campaign: 0.5 }, controls: { gatekeeping: 'strict' } },
  { preset: 'status_quo', levers: { referral_bonus: 0 }, controls: { referral_bonus: '0' } },
  { preset: 'status_quo', levers: { integration: 'close', payment_method: 'global_budget' }, controls: { integration: 'close', payment_method: 'global_budget' } },
  { preset: 'status_quo', levers: { tertiary_capacity: 2 }, controls: { tertiary_capacity: '2' } },
  { preset: 'status_quo', levers: { kpi_appraisal: 1 }, controls: { kpi_appraisal: '1' } },
];

test('each Things-to-try button loads its scenario, keeps the run settings, and a run can start', async () => {
  // Start from another scenario, with a lever moved, so each load has something to change.
  const page = await openGuided(browser, `?${RUN}&preset=outreach_only&info_sharing=0.5`);
  // The slowest speed (a month about every 0.7 s): a run started is still going when checked.
  await setRange(page, '[data-speed]', 1);
  const buttons = page.locator('.card-try [data-try]');
  assert.equal(await buttons.count(), TRIES.length);
  for (let i = 0; i < TRIES.length; i++) {
    const want = TRIES[i];
    const setups = await page.evaluate(() => window.__explorer.setups);
    await buttons.nth(i).click();
    await waitFor(page, 'the load set up', (n) => window.__explorer.setups > n && !window.__explorer.settingUp, setups);
    const got = await page.evaluate(() => ({ scenario: window.__explorer.scenario, day: window.__explorer.day, history: window.__explorer.history }));
    assert.equal(got.scenario.preset, want.preset, `item ${i + 1}: preset`);
    for (const [key, value] of Object.entries(want.levers)) assert.equal(got.scenario.levers[key], value, `item ${i + 1}: ${key}`);
    // Nothing of the scenario before stays: the outreach preset's outreach and the moved lever.
    if (want.preset === 'status_quo') {
      assert.equal(got.scenario.levers.specialist_outreach, 0.05, `item ${i + 1}: outreach back to the status quo`);
      assert.equal(got.scenario.levers.info_sharing, 0.2, `item ${i + 1}: info sharing back to the status quo`);
    }
    assert.equal(got.scenario.population, 20000, `item ${i + 1}: residents kept`);
    assert.equal(got.scenario.years, 1, `item ${i + 1}: years kept`);
    assert.equal(got.scenario.seed, '3', `item ${i + 1}: seed kept`);
    assert.equal(got.day, 0, `item ${i + 1}: set up at day 0`);
    // What a person sees: the preset and the levers in the controls, the URL, the note, Go focused.
    assert.equal(await page.inputValue('[data-preset]'), want.preset);
    for (const [key, value] of Object.entries(want.controls)) assert.equal(await page.inputValue(`[data-lever="${key}"]`), value, `item ${i + 1}: control ${key}`);
    assert.match(await page.evaluate(() => location.search), new RegExp(`preset=${want.preset}`));
    assert.match(await page.textContent('.card-try [data-try-note]'), /^Loaded: .+ Press Go/);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.action), 'go');
    // A run starts from it with Go, the focused button (the next load stops it).
    await page.keyboard.press('Enter');
    await waitFor(page, 'Go ran', () => window.__explorer.day > 0);
  }

  // The same buttons in the Info panel, and a load mid-run stops that run and sets up anew.
  await waitFor(page, 'the last run is going', () => window.__explorer.running);
  const setups = await page.evaluate(() => window.__explorer.setups);
  await page.locator('[data-info-part="try"] [data-try]').nth(0).click();
  await waitFor(page, 'the load set up', (n) => window.__explorer.setups > n && !window.__explorer.settingUp, setups);
  const after = await page.evaluate(() => ({ preset: window.__explorer.scenario.preset, day: window.__explorer.day, running: window.__explorer.running }));
  assert.deepEqual(after, { preset: 'gatekeeping', day: 0, running: false });
  assert.match(await page.textContent('[data-info-part="try"] [data-try-note]'), /Gatekeeping/);
  await page.close();
});
