// The page's own texts in Chinese and back (the "page" strings: title, header, run box,
// settings, results toolbar, chart captions and chart names): with ?lang=zh-CN no English
// word is left in them, and the header's language switch brings the English back without a
// reload, including what the page writes from code (speed, clock, version).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, stepMonths, setRange, CHARTS } from './browser.mjs';

const html = readFileSync(new URL('../../www/index.html', import.meta.url), 'utf8');
const en = JSON.parse(readFileSync(new URL('../../www/strings/en.json', import.meta.url), 'utf8'));
const english = (key) => key.split('.').reduce((node, part) => node?.[part], en);

/** Latin words allowed in the Chinese page: the program's name, abbreviations Chinese
 * policy texts use as they are, key names as printed on keyboards, and the name of the
 * English language in the switch. */
const ALLOWED = new Set(['DRG', 'DIP', 'KPI', 'Ctrl', 'Shift', 'Esc', 'English']);

/** The parts of the page whose texts are the "page" strings (not the levers, key figures,
 * saved runs, Things to try or About, which other parts of the page write). */
const ROOTS = ['.skip-link', '.app-header', '.run-box', 'label[for="preset"]', 'fieldset.settings', '.chart-toolbar', 'figure.card figcaption'];

/** English words (3+ Latin letters, not allowed above) in `text`. */
function englishWords(text) {
  const words = text.replace(/consortium-sim/g, '').match(/[A-Za-z]{3,}/g) || [];
  return words.filter((w) => !ALLOWED.has(w));
}

/** What a person sees and hears of those parts, per root: the text shown (hidden elements
 * left out, visually hidden descriptions kept) and the titles and aria-labels of the elements
 * shown. */
function readTexts(roots) {
  const shown = (el) => !el.closest('[hidden]') && el.checkVisibility({ visibilityProperty: true });
  const out = [];
  for (const selector of roots) {
    for (const root of document.querySelectorAll(selector)) {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const texts = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        // The options of a select have no box of their own; their select shows them.
        if (el.closest('option') ? shown(el.closest('select')) : shown(el)) texts.push(node.textContent);
      }
      const attrs = [root, ...root.querySelectorAll('[title], [aria-label]')].filter(shown).flatMap((el) =>
        ['title', 'aria-label'].filter((a) => el.hasAttribute(a)).map((a) => ({ where: el.outerHTML.slice(0, 60), attr: a, value: el.getAttribute(a) })),
      );
      out.push({ selector, text: texts.join(' ').replace(/\s+/g, ' ').trim(), attrs });
    }
  }
  return out;
}

/** The chart names read out for each chart. */
const chartLabels = (page) => page.$$eval('[data-chart]', (els) => els.map((e) => [e.dataset.chart, e.getAttribute('aria-label')]));

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('?lang=zh-CN: header, run box, settings, toolbar and chart captions have no English word; the title and chart names are Chinese', async () => {
  const page = await browser.newPage('?lang=zh-CN&population=20000&years=1');
  // The clock is written from the first snapshot, a frame after Ready.
  await page.waitForFunction(() => document.querySelector('[data-day]').textContent.startsWith('第'));
  const parts = await page.evaluate(readTexts, ROOTS);
  assert.equal(parts.filter((p) => p.selector === 'figure.card figcaption').length, CHARTS.length, 'one caption per chart');
  for (const { selector, text } of parts) {
    assert.deepEqual(englishWords(text), [], `English words in ${selector}: ${text}`);
    assert.match(text, /\p{Script=Han}/u, `${selector} shows Chinese`);
  }
  // Titles (tooltips) of the header, run box and toolbar; the settings' come from the levers' notes.
  const titled = parts.filter((p) => ['.app-header', '.run-box', '.chart-toolbar'].includes(p.selector));
  for (const { where, attr, value } of titled.flatMap((p) => p.attrs)) {
    assert.deepEqual(englishWords(value), [], `${attr} of ${where}: ${value}`);
    assert.match(value, /\p{Script=Han}/u, `${attr} of ${where} is Chinese`);
  }
  const title = await page.title();
  assert.match(title, /\p{Script=Han}/u);
  assert.deepEqual(englishWords(title), [], `title: ${title}`);
  const description = await page.$eval('meta[name="description"]', (m) => m.content);
  assert.deepEqual(englishWords(description), [], `description: ${description}`);
  for (const [name, label] of await chartLabels(page)) {
    assert.match(label, /\p{Script=Han}/u, `aria-label of ${name}`);
    assert.deepEqual(englishWords(label), [], `aria-label of ${name}: ${label}`);
  }
  // What code writes: the speed's name, the clock after a step, the year of the horizon.
  assert.equal(await page.textContent('[data-speed-label]'), '快');
  await setRange(page, '[data-speed]', 1);
  assert.equal(await page.textContent('[data-speed-label]'), '最慢');
  await stepMonths(page, 1);
  await page.waitForFunction(() => document.querySelector('[data-day]').textContent !== '第 0 天');
  assert.match(await page.textContent('[data-day]'), /^第 3[01] 天$/);
  assert.equal(await page.textContent('[data-year]'), '第 1 年（共 1 年）');
  // The Chinese subtitles are still in the titles (hidden in Chinese), and the English labels beside them are Chinese.
  const heading = await page.$eval('[data-chart="visit-shares"]', (c) => {
    const h2 = c.closest('figure').querySelector('h2');
    return { label: h2.firstChild.textContent, zh: h2.querySelector('.label-zh').textContent, zhShown: h2.querySelector('.label-zh').checkVisibility() };
  });
  assert.deepEqual(heading, { label: '各级门诊分布', zh: '门诊分布', zhShown: false });
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('the header switch from Chinese to English gives every English text back, without a reload', async () => {
  const query = 'population=20000&years=1';
  const english = await browser.newPage(`?lang=en&${query}`);
  await english.waitForFunction(() => document.querySelector('[data-day]').textContent === 'Day 0');
  const expected = { parts: await english.evaluate(readTexts, ROOTS), title: await english.title(), labels: await chartLabels(english) };
  await english.close();
  // Sanity: the English page is English (the HTML's own texts, which the strings repeat).
  assert.equal(expected.title, 'consortium-sim · Medical consortium explorer 医联体');
  assert.ok(expected.labels.some(([name, label]) => name === 'visit-shares' && label === 'Chart of outpatient visit shares by tier'));

  const page = await browser.newPage(`?lang=zh-CN&${query}`);
  await page.waitForFunction(() => document.querySelector('[data-day]').textContent === '第 0 天');
  await page.evaluate(() => {
    window.__beforeSwitch = 'kept';
  });
  await page.selectOption('[data-language]', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en' && document.querySelector('[data-day]').textContent === 'Day 0');
  assert.equal(await page.evaluate(() => window.__beforeSwitch), 'kept', 'no reload');
  const parts = await page.evaluate(readTexts, ROOTS);
  // The language switch shows the language chosen; the rest is as on a page opened in English.
  assert.deepEqual(parts, expected.parts);
  assert.equal(await page.title(), expected.title);
  assert.deepEqual(await chartLabels(page), expected.labels);
  assert.equal(await page.textContent('[data-speed-label]'), 'Fast');
  assert.match(await page.textContent('.version'), /^model v/);
  // The English label and its Chinese subtitle, both shown.
  const heading = await page.$eval('[data-chart="referrals"]', (c) => {
    const h2 = c.closest('figure').querySelector('h2');
    return { text: h2.textContent, zhShown: h2.querySelector('.label-zh').checkVisibility() };
  });
  assert.deepEqual(heading, { text: 'Referrals 上转与下转', zhShown: true });
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test("the page's HTML holds the English of en.json (what shows before the strings load)", () => {
  const texts = [...html.matchAll(/data-i18n="(page\.[\w.]+)"[^>]*>([^<]*)</g)];
  const htmlTexts = [...html.matchAll(/data-i18n-html="(page\.[\w.]+)"[^>]*>(.*?)<\/p>/g)];
  const attrs = [...html.matchAll(/<[^>]*data-i18n-attr="([^"]+)"[^>]*>/g)].flatMap((m) =>
    m[1].split(';').map((pair) => {
      const [attr, key] = pair.split(':').map((x) => x.trim());
      return [key, m[0].match(new RegExp(`\\s${attr}="([^"]*)"`))?.[1]];
    }),
  );
  assert.ok(texts.length > 50 && htmlTexts.length === 1 && attrs.length > 20, 'the scan finds the page strings');
  for (const [, key, text] of [...texts, ...htmlTexts]) assert.equal(text, english(key), key);
  for (const [key, value] of attrs) assert.equal(value, english(key), key);
});

test('?lang=zh-CN, the whole page after a month: no English word in any text, title or label shown', async () => {
  const page = await browser.newPage('?lang=zh-CN&population=20000&years=1');
  await stepMonths(page, 1);
  // Open one data table and one lever's help, so their texts are read too.
  await page.click('.card:has([data-chart="visit-shares"]) [data-show-data]');
  await page.click('.field .info');
  const parts = await page.evaluate(readTexts, ['body']);
  // Program text shown as code (commands, file names) is not translated.
  const code = await page.$$eval('code', (els) => els.map((e) => e.textContent));
  let text = parts[0].text;
  for (const c of code) text = text.replace(c, '');
  // Also left in their own form: the values a link holds (allowed values name them), names
  // (languages and tools, authors and journals cited), and the evidence file the presets cite.
  const linkValues = new Set(Object.values(en.levers.choice).flatMap((c) => Object.keys(c)).concat(['true', 'false']));
  text = text.replace(/\b[a-z]+(?:_[a-z]+)+\b/g, '').replace(/domain-evidence/g, '');
  const NAMES = new Set(['Rust', 'WebAssembly', 'ODD', 'WHO', 'BMJ', 'IJIC', 'Glob', 'Health', 'Bull', 'Wang', 'Powell', 'Jackson', 'Mills', 'agent', 'based']);
  const left = englishWords(text).filter((w) => !linkValues.has(w) && !NAMES.has(w));
  assert.deepEqual(left, [], 'English words in the page');
  const attrs = parts[0].attrs.filter((a) => englishWords(a.value).length);
  assert.deepEqual(attrs, [], 'English titles or labels');
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  await page.close();
});

test("?lang=zh-CN: the model's refusal of a typed setting is retold in Chinese beside it, the model's words as its tooltip", async () => {
  const page = await browser.newPage('?lang=zh-CN&population=20000&years=1');
  await page.fill('[data-setting="years"]', '99');
  await page.dispatchEvent('[data-setting="years"]', 'change');
  const err = page.locator('#setting-years-error');
  await err.waitFor({ state: 'visible' });
  assert.equal(await err.textContent(), '模型未接受“模拟年数”的这个取值：允许的值为 1 到 50 之间的整数。');
  assert.match(await err.getAttribute('title'), /'years'.*1 to 50/);
  assert.match(await page.evaluate(() => window.__explorer.lastError), /'years'/, 'the model message is kept');
  await page.waitForFunction(() => /模拟年数/.test(document.querySelector('[data-status]').textContent));
  assert.deepEqual(englishWords(await page.textContent('[data-status]')), []);
  await page.close();
});
