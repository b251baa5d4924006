// Undo and Redo of lever changes (buttons and Ctrl+Z / Ctrl+Shift+Z), and a lever moved after
// a run has finished (it waits for Again instead of claiming a day past the horizon).
//
// Each check reads three places: the control, the share link (the URL) and the levers the
// model's worker reports (`window.__explorer.modelLevers`).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, setRange, stepMonths, runTo, screenshot } from './browser.mjs';
import { createLeverHistory } from '../../www/lever-history.js';

let browser;
let page;
/** The status quo's value of the two levers moved here, read from the page at the start. */
let start;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
  page = await browser.open('?population=20000&years=1&seed=3');
  start = await page.evaluate(() => ({ ...window.__explorer.scenario.levers }));
});

after(async () => {
  await browser?.close();
});

const REIMB = '[data-lever="reimbursement_primary"]';
const GATE = '[data-lever="gatekeeping"]';

const disabled = (action) => page.$eval(`[data-action="${action}"]`, (e) => e.disabled);
const query = async () => new URLSearchParams(await page.evaluate(() => location.search));
const status = () => page.$eval('[data-status]', (e) => e.textContent);

/** The control, the URL and the model all show `reimb` and `gate`. Mid-run (`month`, the
 * month in progress) a move is a timeline entry in the URL (`at`) and the start values stay
 * (pinned links, issue 19). */
async function expectLevers(reimb, gate, where, month) {
  assert.equal(Number(await page.$eval(REIMB, (e) => e.value)), reimb, `${where}: slider`);
  assert.equal(await page.$eval(GATE, (e) => e.value), gate, `${where}: select`);
  await page
    .waitForFunction(
      ([r, g]) => {
        const m = window.__explorer.modelLevers;
        return m && m.reimbursement_primary === r && m.gatekeeping === g;
      },
      [reimb, gate],
      { timeout: 5_000 },
    )
    .catch(async () => {
      const m = await page.evaluate(() => window.__explorer.modelLevers);
      assert.fail(`${where}: the model has reimbursement_primary ${m.reimbursement_primary}, gatekeeping ${m.gatekeeping}`);
    });
  const [startReimb, startGate] = month ? [start.reimbursement_primary, start.gatekeeping] : [reimb, gate];
  const q = await query();
  assert.equal(q.get('reimbursement_primary'), startReimb === start.reimbursement_primary ? null : String(startReimb), `${where}: URL`);
  assert.equal(q.get('gatekeeping'), startGate === start.gatekeeping ? null : startGate, `${where}: URL`);
  const moves = [reimb !== startReimb && `${month}:reimbursement_primary:${reimb}:hand`, gate !== startGate && `${month}:gatekeeping:${gate}:hand`];
  assert.equal(q.get('at'), moves.filter(Boolean).join(',') || null, `${where}: URL timeline`);
  const s = await page.evaluate(() => window.__explorer.scenario.levers);
  assert.equal(s.reimbursement_primary, startReimb, `${where}: page state`);
  assert.equal(s.gatekeeping, startGate, `${where}: page state`);
}

test('the history on its own: gestures, the redo dropped by a new move, the limit, clear', () => {
  const h = createLeverHistory(3);
  assert.equal(h.canUndo, false);
  h.record('a', 1, 2);
  h.record('a', 2, 3); // the same drag
  h.commit();
  assert.deepEqual(h.undo(), { key: 'a', from: 1, to: 3 });
  assert.equal(h.canUndo, false);
  assert.deepEqual(h.redo(), { key: 'a', from: 1, to: 3 });
  h.record('b', 'x', 'y'); // a new gesture (another lever) without a commit in between
  h.record('a', 3, 4);
  assert.deepEqual(h.sizes, { undo: 3, redo: 0 });
  h.undo();
  assert.equal(h.canRedo, true);
  h.record('c', true, false);
  assert.equal(h.canRedo, false, 'a new move drops the redo');
  h.record('d', 0, 1);
  h.commit();
  assert.deepEqual(h.sizes, { undo: 3, redo: 0 }, 'at most the limit');
  assert.equal(h.nextUndo.key, 'd');
  // A drag that ends where it began is no step.
  h.record('e', 5, 6);
  h.record('e', 6, 5);
  assert.equal(h.nextUndo.key, 'd', 'the drag back where it began is skipped');
  h.commit();
  assert.equal(h.nextUndo.key, 'd');
  assert.equal(h.record('f', 1, 1), undefined);
  assert.equal(h.nextUndo.key, 'd', 'no change, no step');
  h.clear();
  assert.deepEqual(h.sizes, { undo: 0, redo: 0 });
  assert.equal(h.undo(), null);
  assert.equal(h.redo(), null);
});

test('the buttons have names and shortcut tooltips, and start disabled', async () => {
  for (const [action, name, key] of [
    ['undo', 'Undo', 'Ctrl+Z'],
    ['redo', 'Redo', 'Ctrl+Shift+Z'],
  ]) {
    const b = await page.$(`[data-action="${action}"]`);
    assert.equal(await b.evaluate((e) => e.tagName), 'BUTTON');
    // The accessible name is the word alone (the arrow is hidden from screen readers).
    assert.equal(await page.getByRole('button', { name, exact: true }).count(), 1, `a button named ${name}`);
    assert.equal((await b.innerText()).replace(/[^A-Za-z]/g, ''), name);
    assert.ok((await b.getAttribute('title')).includes(key), `${action} tooltip names ${key}`);
    assert.ok(await b.getAttribute('aria-keyshortcuts'));
    assert.equal(await b.isDisabled(), true, `${action} disabled with no history`);
  }
  assert.notEqual(start.reimbursement_primary, 0.95);
  assert.notEqual(start.gatekeeping, 'strict');
});

test('before a run: move two levers, undo twice, redo once (buttons)', async () => {
  await setRange(page, REIMB, 0.95);
  await page.selectOption(GATE, 'strict');
  await expectLevers(0.95, 'strict', 'after two moves');
  assert.equal(await disabled('undo'), false);
  assert.equal(await disabled('redo'), true);

  await page.click('[data-action="undo"]');
  await expectLevers(0.95, start.gatekeeping, 'after one undo');
  assert.equal(await disabled('redo'), false);
  await page.click('[data-action="undo"]');
  await expectLevers(start.reimbursement_primary, start.gatekeeping, 'after two undos');
  assert.equal(await disabled('undo'), true, 'nothing left to undo');
  assert.equal(await disabled('redo'), false);
  assert.match(await status(), /Undone: Reimbursement, primary back to/);

  await page.click('[data-action="redo"]');
  await expectLevers(0.95, start.gatekeeping, 'after one redo');
  assert.equal(await disabled('undo'), false);
  assert.equal(await disabled('redo'), false, 'one more to redo');
  await page.click('[data-action="redo"]');
  await expectLevers(0.95, 'strict', 'after two redos');
  assert.equal(await disabled('redo'), true, 'nothing left to redo');
  assert.deepEqual(await page.evaluate(() => window.__explorer.history), { undo: 2, redo: 0 });
  // Still day 0: undo changed the set-up, not a run.
  assert.equal(await page.evaluate(() => window.__explorer.day), 0);
  assert.deepEqual(browser.problems, []);
});

test('a slider drag is one step, and a new move drops the redo', async () => {
  // A drag: several inputs, one change at the end.
  await page.$eval(REIMB, (el) => {
    for (const v of [0.9, 0.85, 0.8]) {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expectLevers(0.8, 'strict', 'after a drag');
  await page.click('[data-action="undo"]');
  await expectLevers(0.95, 'strict', 'the drag undone in one step');
  await setRange(page, '[data-lever="referral_bonus"]', 150);
  assert.equal(await disabled('redo'), true, 'a new move drops what could be redone');
  await page.click('[data-action="undo"]');
  await page.click('[data-action="undo"]');
  await page.click('[data-action="undo"]');
  await expectLevers(start.reimbursement_primary, start.gatekeeping, 'all undone');
  assert.equal(await page.evaluate(() => window.__explorer.scenario.levers.referral_bonus), start.referral_bonus);
  assert.equal(await disabled('undo'), true);
});

test('keyboard: Ctrl+Z and Ctrl+Shift+Z mid-run, from the next day; not in a text field', async () => {
  // Back to a clean history at the preset's values.
  await page.click('[data-action="reset"]');
  await page.waitForFunction(() => window.__explorer.settingUp === 0 && window.__explorer.history.undo === 0);
  await stepMonths(page, 2);
  const day = await page.evaluate(() => window.__explorer.day);
  const month = 3;
  await setRange(page, REIMB, 0.95);
  await page.selectOption(GATE, 'strict');
  await expectLevers(0.95, 'strict', 'mid-run moves', month);
  await page.focus(REIMB);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  await expectLevers(start.reimbursement_primary, start.gatekeeping, 'Ctrl+Z twice', month);
  assert.equal(await status(), `Undone: Reimbursement, primary back to ${start.reimbursement_primary} from day ${day + 1}.`);
  assert.equal(await disabled('undo'), true);
  await page.keyboard.press('Control+Shift+Z');
  await expectLevers(0.95, start.gatekeeping, 'Ctrl+Shift+Z once', month);
  assert.match(await status(), new RegExp(`Redone: Reimbursement, primary set to 0.95 from day ${day + 1}`));
  await page.keyboard.press('Meta+z');
  await expectLevers(start.reimbursement_primary, start.gatekeeping, 'Cmd+Z', month);
  await page.keyboard.press('Control+y');
  await expectLevers(0.95, start.gatekeeping, 'Ctrl+Y', month);

  // In the seed box, Ctrl+Z is the browser's undo of typing, not a lever's.
  await page.focus('[data-setting="seed"]');
  await page.keyboard.press('Control+z');
  await page.waitForTimeout(200);
  await expectLevers(0.95, start.gatekeeping, 'Ctrl+Z in a text field', month);
  assert.equal(await page.evaluate(() => window.__explorer.day), day, 'still mid-run, not set up again');
  assert.deepEqual(browser.problems, []);
});

test('a preset change starts the history afresh', async () => {
  await page.selectOption('[data-preset]', { index: 1 });
  await page.waitForFunction(() => window.__explorer.settingUp === 0 && window.__explorer.day === 0);
  assert.equal(await disabled('undo'), true);
  assert.equal(await disabled('redo'), true);
  await page.selectOption('[data-preset]', { index: 0 });
  await page.waitForFunction(() => window.__explorer.settingUp === 0 && window.__explorer.day === 0);
});

test('a lever moved after the run has finished waits for Again, and says so', async () => {
  await page.click('[data-action="go"]');
  await runTo(page, 365);
  const ran = await page.evaluate(() => window.__explorer.modelLevers);
  const mine = await page.evaluate(() => window.__explorer.scenario.levers);
  assert.deepEqual(ran, mine, 'the model ran with the levers on the page');
  assert.equal(await page.$eval('[data-action="go"]', (e) => e.hasAttribute('data-levers-pending')), false);

  await setRange(page, REIMB, 0.95);
  // The status follows once the slider has settled.
  await page.waitForFunction(() => !document.querySelector('[data-status]').textContent.startsWith('Finished'));
  const said = await status();
  assert.doesNotMatch(said, /from day [1-9]/, 'no day past the horizon');
  assert.equal(await page.evaluate(() => window.__explorer.leversPending), true);
  assert.match(said, /the run has finished, so this applies when you press Again ↻/);
  assert.equal(await page.$eval('[data-action="go"]', (e) => e.hasAttribute('data-levers-pending')), true);
  assert.match(await page.$eval('[data-action="go"]', (e) => e.title), /levers you changed/);
  assert.equal((await query()).get('reimbursement_primary'), '0.95', 'the link has it');
  assert.deepEqual(await page.evaluate(() => window.__explorer.modelLevers), ran, 'the finished run is as it ran');

  // Undone after the run: back to the finished run's levers, nothing pending.
  await page.click('[data-action="undo"]');
  await page.waitForFunction(() => !window.__explorer.leversPending);
  assert.match(await status(), /again those of the finished run/);
  await page.click('[data-action="redo"]');
  await page.waitForFunction(() => window.__explorer.leversPending);

  // Again runs with it from day 0.
  const setups = await page.evaluate(() => window.__explorer.setups);
  await page.click('[data-action="go"]');
  await page.waitForFunction((n) => window.__explorer.setups > n, setups);
  const scenario = await page.evaluate(() => window.__explorer.modelLevers);
  assert.equal(scenario.reimbursement_primary, 0.95, 'the new run has the lever from day 0');
  assert.equal(await page.evaluate(() => window.__explorer.leversPending), false);
  await runTo(page, 365);
  assert.deepEqual(browser.problems, []);
});

test('screenshots of the buttons at 1280x720 and 390x844', async () => {
  await page.click('[data-action="undo"]');
  await page.waitForFunction(() => window.__explorer.history.redo === 1);
  await screenshot(page, 'undo-1280x720.png');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.$eval('[data-action="undo"]', (e) => e.scrollIntoView({ block: 'center' }));
  await screenshot(page, 'undo-390x844.png');
  const boxes = await page.$$eval('[data-action]', (els) =>
    els.filter((e) => e.closest('.run-buttons')).map((e) => ({ a: e.dataset.action, ...e.getBoundingClientRect().toJSON() })),
  );
  for (const b of boxes) assert.ok(b.right <= 390, `${b.a} fits the phone's width`);
});
