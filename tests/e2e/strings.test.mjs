// The strings files (www/strings/*.json): the same keys and placeholders in every language,
// every key the page asks for present, Chinese where it should be, and the page in Chinese.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { launch } from './browser.mjs';
import { KEY_FIGURES } from '../../www/key-figures.js';

const WWW = new URL('../../www/', import.meta.url);
const read = (name) => JSON.parse(readFileSync(new URL(`strings/${name}.json`, WWW), 'utf8'));

/** Every leaf as `[dotted key, value]`. */
function leaves(node, prefix = '') {
  return Object.entries(node).flatMap(([k, v]) => (typeof v === 'string' ? [[prefix + k, v]] : leaves(v, `${prefix}${k}.`)));
}
const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

const en = new Map(leaves(read('en')));
const zh = new Map(leaves(read('zh-CN')));

test('both languages have the same keys, with the same placeholders', () => {
  assert.deepEqual([...zh.keys()].filter((k) => !en.has(k)), [], 'keys only in zh-CN');
  assert.deepEqual([...en.keys()].filter((k) => !zh.has(k)), [], 'keys only in en');
  for (const [k, v] of en) assert.deepEqual(placeholders(zh.get(k)), placeholders(v), `placeholders of ${k}`);
  for (const [k, v] of en) {
    if (k.endsWith('Html')) assert.equal((zh.get(k).match(/</g) || []).length, (v.match(/</g) || []).length, `tags of ${k}`);
  }
});

test('Chinese strings are Chinese: every one with English words has Chinese characters', () => {
  const untranslated = [...zh].filter(([k, v]) => /[A-Za-z]{3,}/.test(en.get(k).replace(/\{\w+\}|<[^>]+>/g, '')) && !/\p{Script=Han}/u.test(v));
  assert.deepEqual(untranslated, []);
});

test('every key the page names exists in English', () => {
  const used = new Set();
  // i18n.js only describes the attributes; its examples are not keys.
  for (const file of readdirSync(WWW).filter((f) => (f.endsWith('.js') || f.endsWith('.html')) && f !== 'i18n.js')) {
    const text = readFileSync(new URL(file, WWW), 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([\w.]+)'/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n(?:-html)?="([\w.]+)"/g)) used.add(m[1]);
    for (const m of text.matchAll(/data-i18n-attr="([^"]+)"/g)) for (const pair of m[1].split(';')) used.add(pair.split(':')[1].trim());
  }
  // Keys built from a name: each key figure's label, spoken name and tooltip.
  for (const f of KEY_FIGURES) for (const part of ['label', 'spoken', 'about']) used.add(`results.figure.${f.strings}.${part}`);
  assert.ok(used.size > 10, 'the scan finds the keys');
  assert.deepEqual([...used].filter((k) => !en.has(k)), []);
});

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('?lang=zh-CN: the page, <html lang> and the status line are Chinese, the link keeps it, the switch goes back', async () => {
  const page = await browser.newPage('?lang=zh-CN&population=20000&years=1');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.match(await page.textContent('[data-status]'), /准备就绪/);
  assert.equal(await page.textContent('[data-action="go"]'), '运行 ▶');
  assert.match(await page.evaluate(() => location.search), /lang=zh-CN/);
  await page.selectOption('[data-language]', 'en');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.textContent('[data-action="go"]'), 'Go ▶');
  assert.match(await page.textContent('[data-status]'), /^Ready/);
  assert.match(await page.evaluate(() => location.search), /lang=en/);
  assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
  await page.close();
  assert.deepEqual(browser.problems, []);
});

test('a bad ?lang= is named in the banner and the page runs in English', async () => {
  const page = await browser.newPage('?lang=fr&population=20000&years=1');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.match(await page.textContent('#banner'), /'fr' for 'lang'.*en, zh-CN/);
  await page.close();
});

test("a browser set to Chinese gets the Chinese page, and no lang in its link", async () => {
  const zhBrowser = await launch({ locale: 'zh-CN' });
  try {
    const page = await zhBrowser.newPage('?population=20000&years=1');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    assert.equal(await page.$eval('[data-language]', (e) => e.value), 'zh-CN');
    assert.doesNotMatch(await page.evaluate(() => location.search), /lang=/);
  } finally {
    await zhBrowser.close();
  }
});
