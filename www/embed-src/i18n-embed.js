// The strings of the <consortium-sim> element: the page's i18n.js API (t, formatNumber, lang,
// has, …) over both strings files bundled into the element, so an embed fetches no strings and
// never touches the host page's `<html lang>`.
//
// www/build.mjs puts this module in place of ../i18n.js when it bundles the element, so the
// page's chart option builders, key figures and link parser run unchanged. Several elements
// with different languages can share one page: each calls `setLanguage` before it builds
// text, and building is synchronous, so the language never changes in the middle of a chart.

import en from '../strings/en.json';
import zhCN from '../strings/zh-CN.json';

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'zh-CN', name: '中文' },
];
const TABLES = { en, 'zh-CN': zhCN };

let current = 'en';
/** Keys asked for that neither file has (tests read it through the element's `missingStrings`). */
export const missing = new Set();

/** The language code for a `lang` value, or null when it is not one of the element's. */
export function languageCode(value) {
  const v = String(value || '').trim().toLowerCase();
  if (v === 'en' || v.startsWith('en-')) return 'en';
  if (v === 'zh' || v.startsWith('zh')) return 'zh-CN';
  return null;
}

/** Makes `code` the language of what is built next. */
export function setLanguage(code) {
  current = TABLES[code] ? code : 'en';
}

export function lang() {
  return current;
}

function lookup(table, key) {
  let node = table;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || !(part in node)) return undefined;
    node = node[part];
  }
  return node;
}

export function has(key) {
  return typeof lookup(TABLES[current], key) === 'string' || typeof lookup(en, key) === 'string';
}

export function t(key, vars = {}) {
  let text = lookup(TABLES[current], key);
  if (typeof text !== 'string') text = lookup(en, key);
  if (typeof text !== 'string') {
    missing.add(key);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => {
    if (!(name in vars)) return whole;
    const v = vars[name];
    return typeof v === 'number' ? formatNumber(v) : String(v);
  });
}

export function formatNumber(n, options) {
  return n.toLocaleString(current === 'zh-CN' ? 'zh-CN' : 'en-US', options);
}

/** The element builds its own text; nothing in it carries `data-i18n` attributes. */
export function applyStrings() {}

/** An element's language is fixed by its `lang` attribute; there is no switch to follow. */
export function onLanguageChange() {}
