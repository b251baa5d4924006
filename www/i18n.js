// The page's languages: English and Simplified Chinese (zh-CN).
//
// Every string a person sees lives in one file per language, strings/en.json and
// strings/zh-CN.json, so translators edit data, not code. Keys are dotted paths into those
// files ("status.ready"); values may hold `{name}` placeholders, filled by `t(key, vars)`.
// Keys whose last part ends in `Html` hold trusted markup from those files (bold words, lists)
// and go in with innerHTML; every other value goes in as text.
//
// Which language: `?lang=zh-CN` or `?lang=en` in the page's URL, else the first of the
// browser's languages (`navigator.languages`) that is Chinese or English, else English.
// The switch on the page sets it (and the link keeps it). `<html lang>` follows.
//
// In the page's HTML, `data-i18n="key"` sets an element's text, `data-i18n-html="key"` its
// markup, and `data-i18n-attr="title:key; aria-label:key2"` its attributes; `applyStrings`
// fills them, again after every switch. A key missing from the chosen language falls back to
// English; a key missing from English shows as the key itself and is recorded in `missing`
// (the page tests fail on it).

import { createStrings } from './strings-table.js';

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'zh-CN', name: '中文' },
];
const CODES = LANGUAGES.map((l) => l.code);

// Literal URLs, so the service worker's crawl (sw.js) finds and caches both files.
const FILES = {
  en: new URL('./strings/en.json', import.meta.url),
  'zh-CN': new URL('./strings/zh-CN.json', import.meta.url),
};

let current = 'en';
let chosen = {};
let english = null;
/** `t`, `has`, `formatNumber`, and `missing`: the keys asked for that neither file has, for
 * the tests (`window.__explorer.missingStrings`). */
export const { t, has, formatNumber, missing } = createStrings(() => ({ chosen, english, code: current }));

/**
 * The language a page with this query string should show, and whether the URL chose it:
 * `{ lang, fromUrl, problem }`, where `problem` is `{ key: 'lang', message }` for a value
 * that is not a language of the page (English is used then).
 */
export function chooseLanguage(search, preferred = navigator.languages || [navigator.language]) {
  const asked = new URLSearchParams(search).get('lang');
  if (asked !== null) {
    const code = CODES.find((c) => c.toLowerCase() === asked.trim().toLowerCase());
    if (code) return { lang: code, fromUrl: true, problem: null };
    const fallback = chooseLanguage('', preferred);
    return { lang: fallback.lang, fromUrl: false, problem: { key: 'lang', value: asked, allowed: CODES.join(', ') } };
  }
  for (const tag of preferred || []) {
    const t = String(tag).toLowerCase();
    if (t.startsWith('zh')) return { lang: 'zh-CN', fromUrl: false, problem: null };
    if (t.startsWith('en')) return { lang: 'en', fromUrl: false, problem: null };
  }
  return { lang: 'en', fromUrl: false, problem: null };
}

async function fetchStrings(lang) {
  const response = await fetch(FILES[lang]);
  if (!response.ok) throw new Error(`strings/${lang}.json could not be loaded (HTTP ${response.status})`);
  return response.json();
}

/** Loads `lang` (and English, the fallback) and makes it the page's language. */
export async function useLanguage(lang) {
  if (!CODES.includes(lang)) throw new Error(`unknown language '${lang}': allowed languages are ${CODES.join(', ')}`);
  if (!english) english = await fetchStrings('en');
  chosen = lang === 'en' ? english : await fetchStrings(lang);
  current = lang;
  document.documentElement.lang = lang;
}

/** The page's language code. */
export function lang() {
  return current;
}

/** Fills the `data-i18n*` elements under `root` from the page's language. */
export function applyStrings(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-html]')) el.innerHTML = t(el.dataset.i18nHtml);
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((s) => s.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

const listeners = [];
/** Calls `fn` after every language switch (to redraw what is not in the HTML). */
export function onLanguageChange(fn) {
  listeners.push(fn);
}

/** Switches the page to `lang`: loads its strings, refills the HTML, tells the listeners. */
export async function switchLanguage(lang) {
  await useLanguage(lang);
  applyStrings();
  for (const fn of listeners) fn(lang);
}
