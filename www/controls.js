// Lever and setting controls, built from the model's lever metadata, and the preset choice.
//
// Every lever control has a visible label, its unit, an ⓘ button that shows its help below it
// (a toggletip: a tooltip cannot be read on a phone), the same help as the control's tooltip
// (`title`) and accessible description (`aria-describedby`), an error line beside it, and
// `data-lever="<key>"` (or `data-setting="<key>"`) so tests and people can find it.
// Texts come from the strings files through lever-notes.js; after a language switch every
// text is written again in place, so values, changed-marks, error lines and focus stay.

import { t, onLanguageChange, formatNumber } from './i18n.js';
import {
  GROUP_ORDER,
  KIND_RANGES,
  LEVER_RANGES,
  SETTING_KEYS,
  POPULATION_CHOICES,
  leverLabel,
  leverTerm,
  leverHelp,
  leverUnit,
  leverAllowed,
  choiceLabel,
  groupTexts,
  settingHelp,
  presetLabel,
  presetDescription,
} from './lever-notes.js';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function roundTo(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

// ---------- help on tap (toggletips) ----------

/** The ⓘ button whose help is open, if any: one at a time. */
let openTip = null;

function closeTip({ focusButton = false } = {}) {
  if (!openTip) return;
  const button = openTip;
  openTip = null;
  button.setAttribute('aria-expanded', 'false');
  document.getElementById(button.getAttribute('aria-controls')).hidden = true;
  if (focusButton) button.focus();
}

function toggleTip(button) {
  const wasOpen = openTip === button;
  closeTip();
  if (wasOpen) return;
  openTip = button;
  button.setAttribute('aria-expanded', 'true');
  document.getElementById(button.getAttribute('aria-controls')).hidden = false;
}

/** Escape, or a tap anywhere but the open help and its button, closes it. Wired once. */
let tipListeners = false;
function listenForTipClosers() {
  if (tipListeners) return;
  tipListeners = true;
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !openTip) return;
    // Focus goes back to the button only if it was in the help's field (not elsewhere on the page).
    const inField = openTip.closest('.field').contains(document.activeElement);
    closeTip({ focusButton: inField });
  });
  document.addEventListener('pointerdown', (event) => {
    if (!openTip) return;
    const panel = document.getElementById(openTip.getAttribute('aria-controls'));
    if (openTip.contains(event.target) || panel.contains(event.target)) return;
    closeTip();
  });
}

/** The ⓘ button and the help panel it opens below the control. */
function helpTip(id) {
  const panel = el('p', { id: `${id}-help`, class: 'lever-help', hidden: true });
  const button = el('button', { type: 'button', class: 'info', 'aria-expanded': 'false', 'aria-controls': panel.id, text: 'ⓘ' });
  button.addEventListener('click', () => toggleTip(button));
  listenForTipClosers();
  return { button, panel };
}

// ---------- lever controls ----------

/**
 * A field: a label row (label, ⓘ button, value), then the control, then a line with the
 * Chinese term and the unit, the help panel, a hidden description and an error line.
 * `relabel()` writes its texts in the page's language.
 */
function field(spec, id) {
  const isSwitch = spec.kind === 'switch';
  const wrap = el('div', { class: 'field', 'data-field': spec.key });
  const labelText = el('span', { class: 'label-text' });
  const labelTerm = el('span', { class: 'label-zh', lang: 'zh-CN' });
  const labelEl = el('label', { for: id }, labelText);
  if (isSwitch) labelEl.append(' ', labelTerm);
  const tip = helpTip(id);
  const head = el('div', { class: 'field-head' }, labelEl, tip.button);
  const unitEl = el('span', { class: 'unit' });
  const desc = el('span', { id: `${id}-desc`, class: 'visually-hidden' });
  const error = el('p', { id: `${id}-error`, class: 'field-error', role: 'alert', hidden: true });
  wrap.append(head);

  function relabel(control) {
    const label = leverLabel(spec.key);
    const term = leverTerm(spec.key);
    const help = leverHelp(spec);
    const unit = leverUnit(spec);
    labelText.textContent = label;
    labelTerm.textContent = term;
    labelTerm.hidden = !term;
    labelEl.title = help;
    control.title = help;
    tip.button.title = help;
    tip.button.setAttribute('aria-label', t('levers.helpButton', { label }));
    tip.panel.textContent = help;
    desc.textContent = `${help} ${t('levers.allowedNote', { allowed: leverAllowed(spec) })}`;
    const termInUnit = !isSwitch && term;
    unitEl.replaceChildren();
    if (termInUnit) unitEl.append(el('span', { class: 'label-zh', lang: 'zh-CN', text: term }));
    if (termInUnit && unit) unitEl.append(' · ');
    if (unit) unitEl.append(unit);
    unitEl.hidden = !termInUnit && !unit;
  }
  return { wrap, head, desc, error, unitEl, helpPanel: tip.panel, relabel };
}

function describe(control, id) {
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-desc ${id}-error`);
}

/** A select of the lever's choices; `relabel()` names them in the page's language. */
function choiceControl(spec) {
  const control = el('select', { 'data-lever': spec.key });
  for (const name of spec.choices) control.append(el('option', { value: name }));
  const relabel = () => {
    for (const option of control.options) option.textContent = choiceLabel(spec.key, option.value);
  };
  return { control, get: () => control.value, set: (v) => (control.value = v), relabel };
}

/** Builds one lever control; returns `{ key, root, control, get, set, relabel, showError, clearError }`. */
function leverControl(spec) {
  const id = `lever-${spec.key}`;
  const f = field(spec, id);
  let control;
  let get;
  let set;
  let relabelControl = () => {};
  if (spec.kind === 'choice') {
    ({ control, get, set, relabel: relabelControl } = choiceControl(spec));
    f.wrap.append(control);
  } else if (spec.kind === 'switch') {
    control = el('input', { type: 'checkbox', 'data-lever': spec.key });
    get = () => control.checked;
    set = (v) => {
      control.checked = v === true || v === 'true';
    };
    // The checkbox sits inside the label row, where a switch belongs.
    f.head.prepend(control);
    f.wrap.classList.add('field-switch');
  } else {
    const range = { ...(KIND_RANGES[spec.kind] || KIND_RANGES.share), ...(LEVER_RANGES[spec.key] || {}) };
    control = el('input', {
      type: 'range',
      'data-lever': spec.key,
      min: range.min,
      max: range.max,
      step: range.step,
    });
    const out = el('output', { for: id, class: 'value' });
    const show = () => {
      out.textContent = Number(control.value).toFixed(range.digits);
    };
    control.addEventListener('input', show);
    get = () => roundTo(Number(control.value), range.digits + 2);
    set = (v) => {
      const x = Number(v);
      // A link may hold a valid value beyond the slider's usual range: widen it.
      if (x > Number(control.max)) control.max = String(x);
      if (x < Number(control.min)) control.min = String(x);
      control.value = String(x);
      show();
    };
    f.head.append(out);
    f.wrap.append(control);
  }
  describe(control, id);
  f.wrap.append(f.unitEl, f.helpPanel, f.desc, f.error);
  const relabel = () => {
    f.relabel(control);
    relabelControl();
  };
  relabel();
  return { key: spec.key, root: f.wrap, control, get, set, relabel, ...errorFns(f.error, control) };
}

function errorFns(errorEl, control) {
  return {
    /** `original`: the model's own wording when `message` retells it (as the line's tooltip). */
    showError(message, original = '') {
      errorEl.textContent = message;
      errorEl.title = original;
      errorEl.hidden = false;
      control.setAttribute('aria-invalid', 'true');
    },
    clearError() {
      errorEl.textContent = '';
      errorEl.hidden = true;
      control.removeAttribute('aria-invalid');
    },
  };
}

/** A group's fieldset with its legend and blurb; `relabel()` writes them again. */
function groupFieldset(id) {
  const title = el('span');
  const term = el('span', { class: 'label-zh', lang: 'zh-CN' });
  const blurb = el('p', { class: 'group-blurb' });
  const fs = el('fieldset', { class: 'group', 'data-group': id }, el('legend', {}, title, ' ', term), blurb);
  const relabel = () => {
    const texts = groupTexts(id);
    title.textContent = texts.title;
    term.textContent = texts.term;
    term.hidden = !texts.term;
    blurb.textContent = texts.blurb;
    blurb.hidden = !texts.blurb;
  };
  relabel();
  return { fs, relabel };
}

/**
 * Builds the lever fieldsets into `root`, grouped by stakeholder.
 * @param {(key: string, value: unknown) => void} onChange called as the user moves a control
 * @param {(key: string) => void} [onCommit] called when the user is done with it: a slider
 *   released (or stepped with the keyboard), a choice or switch changed (after `onChange`)
 */
export function buildLeverControls(root, leverSpecs, onChange, onCommit = () => {}) {
  const controls = new Map();
  const groups = [...GROUP_ORDER];
  for (const spec of leverSpecs) if (!groups.includes(spec.group)) groups.push(spec.group);
  const relabels = [];
  for (const id of groups) {
    const specs = leverSpecs.filter((s) => s.group === id);
    if (!specs.length) continue;
    const g = groupFieldset(id);
    relabels.push(g.relabel);
    for (const spec of specs) {
      const c = leverControl(spec);
      const fire = () => onChange(spec.key, c.get());
      c.control.addEventListener(spec.kind === 'choice' || spec.kind === 'switch' ? 'change' : 'input', fire);
      c.control.addEventListener('change', () => onCommit(spec.key));
      controls.set(spec.key, c);
      relabels.push(c.relabel);
      g.fs.append(c.root);
    }
    root.append(g.fs);
  }
  onLanguageChange(() => {
    for (const relabel of relabels) relabel();
  });
  return {
    controls,
    /** Sets every control from `{ key: value }`. */
    setValues(values) {
      for (const [key, value] of Object.entries(values)) controls.get(key)?.set(value);
    },
    values() {
      return Object.fromEntries([...controls].map(([k, c]) => [k, c.get()]));
    },
    /** Marks levers whose value differs from the preset's. */
    markChanged(presetLevers) {
      for (const [key, c] of controls) {
        const changed = c.get() !== presetLevers[key];
        c.root.classList.toggle('changed', changed);
      }
    },
  };
}

// ---------- settings and presets ----------

/** Population `n` as the page's language writes it. */
function populationOption(n) {
  return el('option', { value: n, text: formatNumber(Number(n)) });
}

/** Wires the static setting controls in the page (population, years, seed, urban share). */
export function settingControls(doc = document) {
  const controls = new Map();
  for (const key of SETTING_KEYS) {
    const control = doc.querySelector(`[data-setting="${key}"]`);
    if (!control) continue;
    describe(control, `setting-${key}`);
    const errorEl = doc.getElementById(`setting-${key}-error`);
    const c = { key, control, ...errorFns(errorEl, control) };
    if (key === 'population') for (const n of POPULATION_CHOICES) control.append(populationOption(n));
    c.relabel = () => {
      control.title = settingHelp(key);
      if (key === 'population') for (const option of control.options) option.textContent = formatNumber(Number(option.value));
    };
    c.relabel();
    c.get = () => {
      if (key === 'seed') return control.value.trim();
      return Number(control.value);
    };
    c.set = (v) => {
      if (key === 'population' && ![...control.options].some((o) => Number(o.value) === Number(v))) {
        const after = [...control.options].find((o) => Number(o.value) > Number(v));
        control.insertBefore(populationOption(v), after || null);
      }
      control.value = String(v);
      if (key === 'urban_share') doc.querySelector('output[for="setting-urban_share"]').textContent = Number(v).toFixed(2);
    };
    if (key === 'urban_share') {
      control.addEventListener('input', () => {
        doc.querySelector('output[for="setting-urban_share"]').textContent = Number(control.value).toFixed(2);
      });
    }
    controls.set(key, c);
  }
  onLanguageChange(() => {
    for (const c of controls.values()) c.relabel();
  });
  return controls;
}

/**
 * Fills the preset select with the model's presets and shows the chosen one's explanation;
 * both are written again after a language switch. Returns `{ show(name) }`.
 */
export function presetChoice(select, descEl, presets) {
  let shown = null;
  for (const p of presets) select.append(el('option', { value: p.name }));
  const relabel = () => {
    for (const option of select.options) option.textContent = presetLabel(option.value);
    descEl.textContent = presetDescription(presets.find((p) => p.name === shown));
  };
  relabel();
  onLanguageChange(relabel);
  return {
    /** Shows preset `name`'s explanation. */
    show(name) {
      shown = name;
      relabel();
    },
  };
}
