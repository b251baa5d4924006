// What the page tells the user: the status line under the run buttons, the banner at the top,
// and the error line beside a control.
//
// An error from the model arrives as an Error whose `key` names the lever, setting or field it
// is about ("preset" for an unknown preset): the wasm boundary sets it, and sim-worker.js and
// sim-client.js carry it over. The message goes beside the control of that key when the page
// has one, and into the banner otherwise.

import { t, lang } from './i18n.js';

/** `s` with the characters HTML gives a meaning to escaped. */
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/**
 * @param {{ status: Element, banner: Element, presetError: Element }} ui the status line, the
 *   banner (with `.banner-body`) and the preset's error line
 */
export function createMessages(ui) {
  /** Controls with an error line (`showError`, `clearError`), by lever or setting key. */
  const fields = new Map();
  /** Keys whose error line shows a model error from the last set-up (cleared on the next). */
  const modelErrorKeys = new Set();
  /** The status line's message as `{ key, vars }`. */
  let said = null;

  const messages = {
    /** The message of the last model error, for `window.__explorer`. */
    lastError: null,

    /** Adds controls whose error lines messages may use: `[key, control]` pairs. */
    addFields(controls) {
      for (const [key, c] of controls) fields.set(key, c);
    },

    /** The status line's message, by strings key and values (said again after a language switch). */
    say(key, vars = {}) {
      said = { key, vars };
      ui.status.textContent = t(key, vars);
    },

    /** Says the last message again, in the language now in use. */
    sayAgain() {
      if (said) ui.status.textContent = t(said.key, said.vars);
    },

    /** Shows the banner with `html` (escape what came from outside); `kind`: warn, error or info. */
    banner(html, kind = 'warn') {
      ui.banner.querySelector('.banner-body').innerHTML = html;
      ui.banner.dataset.kind = kind;
      ui.banner.hidden = false;
    },

    /** Shows an error next to the control `key` names; returns whether there was one. */
    showFieldError(key, message, original = '') {
      if (key === 'preset') {
        ui.presetError.textContent = message;
        ui.presetError.title = original;
        ui.presetError.hidden = false;
        return true;
      }
      const c = fields.get(key);
      if (!c) return false;
      c.showError(message, original);
      return true;
    },

    /** Clears the error lines of `keys` (all of them when omitted). */
    clearFieldErrors(keys) {
      for (const [key, c] of fields) if (!keys || keys.has(key)) c.clearError();
      if (!keys || keys.has('preset')) ui.presetError.hidden = true;
    },

    /** Clears what the last set-up's model errors showed (a link's problems stay until their
     * control is used). */
    clearModelErrors() {
      messages.clearFieldErrors(modelErrorKeys);
      modelErrorKeys.clear();
    },

    /** Names a lever or setting for messages: `{ label, allowed }` in the page's language, or
     * null for a key the page has no control for (main.js sets it once the model's tables load). */
    describeKey: () => null,

    /**
     * Shows an error from the model beside the control its `key` names, else in the banner.
     * The model words its errors in English (as the CLI does); in another language the page
     * says the same in its own words, from the key's label and allowed values, and keeps the
     * model's message as the line's tooltip.
     */
    reportModelError(err) {
      const message = err.message || String(err);
      messages.lastError = message;
      const key = err.key;
      const about = key && lang() !== 'en' ? messages.describeKey(key) : null;
      const shown = about ? t('status.refusedValue', about) : message;
      const placed = key ? messages.showFieldError(key, shown, message) : false;
      if (placed) modelErrorKeys.add(key);
      messages.say(placed ? 'status.notApplied' : 'status.error', { key: about ? about.label : key, message: shown });
      if (!placed) messages.banner(`<b>${escapeHtml(t('status.modelProblem'))}</b> ${escapeHtml(message)}`, 'error');
    },
  };
  return messages;
}
