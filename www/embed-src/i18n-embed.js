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
import { createStrings } from '../strings-table.js';

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'zh-CN', name: '中文' },
];
const TABLES = { en, 'zh-CN': zhCN };

let current = 'en';
/** `t`, `has`, `formatNumber`, and `missing`: the keys asked for that neither file has (tests
 * read it through the element's `missingStrings`). */
export const { t, has, formatNumber, missing } = createStrings(() => ({ chosen: TABLES[current], english: en, code: current }));

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

/** The element builds its own text; nothing in it carries `data-i18n` attributes. */
export function applyStrings() {}

/** An element's language is fixed by its `lang` attribute; there is no switch to follow. */
export function onLanguageChange() {}
