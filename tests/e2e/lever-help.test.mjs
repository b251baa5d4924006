// Lever help on tap, lever texts in both languages, and touch targets on a phone.
//
// A phone (390×844, touch, mobile) taps ⓘ to read a lever's help, which a tooltip never
// shows there; in Chinese every lever, choice and preset is named in Chinese, and a bad link
// value is reported in Chinese; switching language rewrites the texts and keeps the values.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE_URL, ARTIFACTS, CHROMIUM_FLAGS, BRIEF_LEVERS, waitReady, setRange } from './browser.mjs';

const PHONE = { width: 390, height: 844 };
const HAN = /\p{Script=Han}/u;

let chromiumBrowser;
let phone;
const problems = [];

/** A phone: touch, mobile viewport, no request leaving localhost, no page or console error. */
async function phoneContext(locale = 'en-US') {
  const context = await chromiumBrowser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 2, locale });
  const origin = new URL(BASE_URL).origin;
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    problems.push(`request to a non-localhost URL: ${url}`);
    return route.abort();
  });
  return context;
}

async function open(context, query) {
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  await page.goto(new URL(query, BASE_URL).href);
  await waitReady(page);
  return page;
}

async function shot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name) });
}

/** What a person sees of lever `key`'s help: the ⓘ button's state and the panel under it. */
async function help(page, key) {
  return page.evaluate((k) => {
    const field = document.querySelector(`[data-field="${k}"]`);
    const button = field.querySelector('button.info');
    const panel = document.getElementById(button.getAttribute('aria-controls'));
    const r = panel.getBoundingClientRect();
    return { expanded: button.getAttribute('aria-expanded'), visible: !panel.hidden && r.height > 0, text: panel.textContent, inField: field.contains(panel) };
  }, key);
}

before(async () => {
  chromiumBrowser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_FLAGS });
  phone = await phoneContext();
});

after(async () => {
  await chromiumBrowser?.close();
});

test('on a phone, tapping ⓘ shows the lever help below it; a second tap, Escape or a tap elsewhere hides it', async () => {
  const page = await open(phone, '?population=20000&years=1');
  const info = page.locator('[data-field="info_sharing"] button.info');
  assert.equal(await info.getAttribute('aria-expanded'), 'false');
  assert.equal((await help(page, 'info_sharing')).visible, false, 'closed at first');

  await info.tap();
  let h = await help(page, 'info_sharing');
  assert.equal(h.expanded, 'true');
  assert.ok(h.visible, 'the help shows after a tap');
  assert.ok(h.inField, 'below its lever');
  assert.match(h.text, /mutual recognition of test results/);
  // The same help is the control's accessible description.
  const described = await page.$eval('[data-lever="info_sharing"]', (c) =>
    c.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id).textContent).join(' '),
  );
  assert.ok(described.includes(h.text), 'the help is the accessible description');
  await shot(page, 'lever-help-phone-en.png');

  await info.tap();
  h = await help(page, 'info_sharing');
  assert.equal(h.expanded, 'false');
  assert.equal(h.visible, false, 'a second tap hides it');

  await info.tap();
  assert.ok((await help(page, 'info_sharing')).visible);
  await page.keyboard.press('Escape');
  assert.equal((await help(page, 'info_sharing')).visible, false, 'Escape hides it');

  await info.tap();
  await page.locator('.preset-box label').tap();
  assert.equal((await help(page, 'info_sharing')).visible, false, 'a tap elsewhere hides it');

  // One at a time: opening another lever's help closes the first.
  await info.tap();
  await page.locator('[data-field="gatekeeping"] button.info').tap();
  assert.equal((await help(page, 'info_sharing')).visible, false);
  assert.ok((await help(page, 'gatekeeping')).visible);
  await page.keyboard.press('Escape');
  await page.close();
  assert.deepEqual(problems, []);
});

test('ⓘ works from the keyboard: Enter opens, Space closes, Escape closes and keeps focus on it', async () => {
  const page = await open(phone, '?population=20000&years=1');
  const info = page.locator('[data-field="referral_bonus"] button.info');
  await info.focus();
  await page.keyboard.press('Enter');
  assert.ok((await help(page, 'referral_bonus')).visible, 'Enter opens');
  await page.keyboard.press(' ');
  assert.equal((await help(page, 'referral_bonus')).visible, false, 'Space closes');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Escape');
  assert.equal((await help(page, 'referral_bonus')).visible, false, 'Escape closes');
  assert.equal(await page.evaluate(() => document.activeElement.closest('[data-field]')?.dataset.field), 'referral_bonus');
  assert.match(await info.getAttribute('aria-label'), /Downward-referral bonus/);
  await page.close();
});

test('at 390×844 every lever control, ⓘ button, setting control and the preset are at least 44×44 px', async () => {
  const page = await open(phone, '?population=20000&years=1');
  const boxes = await page.evaluate(() =>
    [...document.querySelectorAll('[data-lever], .field button.info, [data-setting], [data-preset]')].map((e) => {
      const r = e.getBoundingClientRect();
      const name = e.dataset.lever || e.dataset.setting || (e.dataset.preset !== undefined ? 'preset' : `ⓘ ${e.closest('[data-field]').dataset.field}`);
      return { name, width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
    }),
  );
  assert.equal(boxes.filter((b) => b.name.startsWith('ⓘ')).length, BRIEF_LEVERS.length, 'one ⓘ per lever');
  const small = boxes.filter((b) => b.width < 44 || b.height < 44);
  assert.deepEqual(small, [], 'controls smaller than 44×44');
  await page.close();
});

test('?lang=zh-CN: every lever label, choice, unit, help, group, preset option and description is Chinese', async () => {
  const zh = await phoneContext('zh-CN');
  const page = await open(zh, '?lang=zh-CN&population=20000&years=1');
  const texts = await page.evaluate(() => {
    const q = (sel) => [...document.querySelectorAll(sel)];
    return {
      labels: q('#lever-groups label').map((l) => l.textContent.trim()),
      choices: q('#lever-groups select option').map((o) => o.textContent),
      units: q('#lever-groups .unit:not([hidden])').map((u) => u.textContent),
      help: q('#lever-groups .lever-help').map((p) => p.textContent),
      titles: q('[data-lever]').map((c) => c.title),
      groups: q('#lever-groups legend, #lever-groups .group-blurb').map((e) => e.textContent.trim()),
      presets: q('[data-preset] option').map((o) => o.textContent),
      description: document.querySelector('[data-preset-desc]').textContent,
      infoNames: q('.field button.info').map((b) => b.getAttribute('aria-label')),
    };
  });
  assert.equal(texts.labels.length, 15);
  assert.equal(texts.choices.length, 10);
  assert.equal(texts.presets.length, 5);
  for (const [what, list] of Object.entries(texts)) {
    for (const s of [list].flat()) assert.match(s, HAN, `${what}: "${s}" is not Chinese`);
  }
  // The official terms.
  assert.ok(texts.choices.includes('按项目付费') && texts.choices.includes('总额预付') && texts.choices.includes('按人头付费'));
  assert.ok(texts.labels.includes('基层首诊') && texts.labels.includes('下转奖励'));
  assert.deepEqual(texts.presets, ['现状', '紧密型医联体', '县域医共体', '基层首诊', '仅专家下沉']);
  await page.locator('[data-field="integration"] button.info').tap();
  await shot(page, 'lever-help-phone-zh.png');
  await page.close();
  await zh.close();
  assert.deepEqual(problems, []);
});

test('?lang=zh-CN: a bad link value is named in Chinese in the banner and beside its control', async () => {
  const page = await open(phone, '?lang=zh-CN&info_sharing=7&preset=utopia&years=1&population=20000');
  const banner = page.locator('#banner');
  await banner.waitFor({ state: 'visible' });
  const text = await banner.textContent();
  assert.match(text, /“info_sharing”的值“7”无效，允许的值：0 到 1 之间的数/);
  assert.match(text, /没有名为“utopia”的情景预设/);
  assert.match(await page.textContent('#lever-info_sharing-error'), /“info_sharing”的值“7”无效/);
  await page.close();
});

test('in English the link messages keep the model wording', async () => {
  const page = await open(phone, '?info_sharing=7&years=1&population=20000&colour=red');
  const text = await page.locator('#banner').textContent();
  assert.ok(text.includes("invalid value '7' for 'info_sharing': allowed values are a number from 0 to 1"), text);
  assert.ok(text.includes("unknown link parameter 'colour': allowed parameters are preset,"), text);
  await page.close();
});

test('switching language relabels the levers in place: a moved lever keeps its value, mark, error line and focus', async () => {
  const page = await open(phone, '?payment_method=cash&years=1&population=20000');
  await setRange(page, '[data-lever="reimbursement_primary"]', 0.95);
  await page.selectOption('[data-lever="gatekeeping"]', 'soft');
  const before = await page.evaluate(() => {
    const c = document.querySelector('[data-lever="reimbursement_primary"]');
    c.__marked = true;
    return { label: document.querySelector('label[for="lever-gatekeeping"]').textContent.trim() };
  });
  assert.match(before.label, /Gatekeeping/);
  await page.focus('[data-language]');
  await page.selectOption('[data-language]', 'zh-CN');
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  const after = await page.evaluate(() => {
    const c = document.querySelector('[data-lever="reimbursement_primary"]');
    const g = document.querySelector('[data-lever="gatekeeping"]');
    return {
      same: c.__marked === true,
      value: c.value,
      shown: c.closest('.field').querySelector('output').textContent,
      changed: c.closest('.field').classList.contains('changed'),
      gate: g.value,
      gateShown: g.selectedOptions[0].textContent,
      label: document.querySelector('label[for="lever-gatekeeping"]').textContent.trim(),
      error: document.querySelector('#lever-payment_method-error').hidden,
      focus: document.activeElement.matches('[data-language]'),
      preset: document.querySelector('[data-preset]').selectedOptions[0].textContent,
      desc: document.querySelector('[data-preset-desc]').textContent,
      state: window.__explorer.scenario.levers.reimbursement_primary,
    };
  });
  assert.ok(after.same, 'the same control, not a rebuilt one');
  assert.equal(after.value, '0.95');
  assert.equal(after.shown, '0.95');
  assert.equal(after.state, 0.95);
  assert.ok(after.changed, 'still marked as changed');
  assert.equal(after.gate, 'soft');
  assert.match(after.gateShown, /^软约束/);
  assert.equal(after.label, '基层首诊');
  assert.equal(after.error, false, 'the link problem stays beside its control');
  assert.ok(after.focus, 'focus stays on the language switch');
  assert.equal(after.preset, '现状');
  assert.match(after.desc, /松散型医联体/);
  // Undo names the lever in Chinese, in its tooltip and in the status line.
  await setRange(page, '[data-lever="referral_bonus"]', 200);
  assert.match(await page.$eval('[data-action="undo"]', (b) => b.title), /下转奖励/);
  await page.click('[data-action="undo"]');
  await page.waitForFunction(() => /下转奖励/.test(document.querySelector('[data-status]').textContent));
  // And back.
  await page.selectOption('[data-language]', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assert.equal(await page.$eval('label[for="lever-gatekeeping"]', (l) => l.textContent.trim()), before.label);
  assert.match(await page.$eval('[data-preset-desc]', (d) => d.textContent), /^A loose consortium/);
  await page.close();
  assert.deepEqual(problems, []);
});
