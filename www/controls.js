// Lever and setting controls, built from the model's lever metadata.
//
// Every control has a visible label, its unit, a tooltip (`title`) and an accessible
// description (`aria-describedby`), an error line beside it, and `data-lever="<key>"`
// (or `data-setting="<key>"`) so tests and people can find it.

import { GROUPS, KIND_RANGES, LEVER_NOTES, SETTING_NOTES, POPULATION_CHOICES } from './lever-notes.js';

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

/**
 * A field: a label row (English label, tooltip marker, value), then the control, then a
 * line with the Chinese term and the unit, a hidden description and an error line.
 */
function field({ id, key, label, zh, unit, help, allowed, zhInLabel = false }) {
  const wrap = el('div', { class: 'field', 'data-field': key });
  const labelEl = el('label', { for: id, title: help });
  labelEl.append(el('span', { class: 'label-en', text: label }));
  if (zh && zhInLabel) labelEl.append(' ', el('span', { class: 'label-zh', lang: 'zh-CN', text: zh }));
  labelEl.append(el('span', { class: 'info', 'aria-hidden': 'true', text: 'ⓘ' }));
  const head = el('div', { class: 'field-head' }, labelEl);
  const desc = el('span', { id: `${id}-desc`, class: 'visually-hidden', text: `${help} Allowed: ${allowed}.` });
  const error = el('p', { id: `${id}-error`, class: 'field-error', role: 'alert', hidden: true });
  let meta = null;
  if ((zh && !zhInLabel) || unit) {
    meta = el('span', { class: 'unit' });
    if (zh && !zhInLabel) meta.append(el('span', { class: 'label-zh', lang: 'zh-CN', text: zh }));
    if (zh && !zhInLabel && unit) meta.append(' · ');
    if (unit) meta.append(unit);
  }
  wrap.append(head);
  return { wrap, head, desc, error, unitEl: meta };
}

function describe(control, id, help) {
  control.id = id;
  control.title = help;
  control.setAttribute('aria-describedby', `${id}-desc ${id}-error`);
}

/** Builds one lever control; returns `{ key, root, get, set, showError, clearError }`. */
function leverControl(spec) {
  const notes = LEVER_NOTES[spec.key] || {};
  const id = `lever-${spec.key}`;
  const help = notes.help || spec.meaning;
  const f = field({
    id,
    key: spec.key,
    label: notes.label || spec.key.replaceAll('_', ' '),
    zh: notes.zh,
    unit: notes.unit || spec.unit,
    help,
    allowed: spec.allowed,
    zhInLabel: spec.kind === 'switch',
  });
  let control;
  let get;
  let set;
  if (spec.kind === 'choice') {
    control = el('select', { 'data-lever': spec.key });
    for (const name of spec.choices) {
      control.append(el('option', { value: name, text: (notes.choices && notes.choices[name]) || name }));
    }
    get = () => control.value;
    set = (v) => {
      control.value = v;
    };
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
    const range = { ...(KIND_RANGES[spec.kind] || KIND_RANGES.share), ...(notes.range || {}) };
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
  describe(control, id, help);
  if (f.unitEl) f.wrap.append(f.unitEl);
  f.wrap.append(f.desc, f.error);
  return { key: spec.key, root: f.wrap, control, get, set, ...errorFns(f.error, control) };
}

function errorFns(errorEl, control) {
  return {
    showError(message) {
      errorEl.textContent = message;
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

/**
 * Builds the lever fieldsets into `root`, grouped by stakeholder.
 * @param {(key: string, value: unknown) => void} onChange called as the user moves a control
 * @param {(key: string) => void} [onCommit] called when the user is done with it: a slider
 *   released (or stepped with the keyboard), a choice or switch changed (after `onChange`)
 */
export function buildLeverControls(root, leverSpecs, onChange, onCommit = () => {}) {
  const controls = new Map();
  const known = new Set(GROUPS.map((g) => g.id));
  const groups = [...GROUPS];
  for (const spec of leverSpecs) {
    if (!known.has(spec.group)) {
      groups.push({ id: spec.group, title: spec.group, zh: '', blurb: '' });
      known.add(spec.group);
    }
  }
  for (const g of groups) {
    const specs = leverSpecs.filter((s) => s.group === g.id);
    if (!specs.length) continue;
    const fs = el('fieldset', { class: 'group', 'data-group': g.id });
    const legend = el('legend', {}, el('span', { text: g.title }));
    if (g.zh) legend.append(' ', el('span', { class: 'label-zh', lang: 'zh-CN', text: g.zh }));
    fs.append(legend);
    if (g.blurb) fs.append(el('p', { class: 'group-blurb', text: g.blurb }));
    for (const spec of specs) {
      const c = leverControl(spec);
      const fire = () => onChange(spec.key, c.get());
      c.control.addEventListener(spec.kind === 'choice' || spec.kind === 'switch' ? 'change' : 'input', fire);
      c.control.addEventListener('change', () => onCommit(spec.key));
      controls.set(spec.key, c);
      fs.append(c.root);
    }
    root.append(fs);
  }
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

/** Wires the static setting controls in the page (population, years, seed, urban share). */
export function settingControls(doc = document) {
  const controls = new Map();
  for (const key of Object.keys(SETTING_NOTES)) {
    const control = doc.querySelector(`[data-setting="${key}"]`);
    if (!control) continue;
    const notes = SETTING_NOTES[key];
    describe(control, `setting-${key}`, notes.help);
    const errorEl = doc.getElementById(`setting-${key}-error`);
    const c = { key, control, ...errorFns(errorEl, control) };
    if (key === 'population') {
      for (const n of POPULATION_CHOICES) control.append(el('option', { value: n, text: n.toLocaleString('en-US') }));
    }
    c.get = () => {
      if (key === 'seed') return control.value.trim();
      return Number(control.value);
    };
    c.set = (v) => {
      if (key === 'population' && ![...control.options].some((o) => Number(o.value) === Number(v))) {
        const opt = el('option', { value: v, text: Number(v).toLocaleString('en-US') });
        const after = [...control.options].find((o) => Number(o.value) > Number(v));
        control.insertBefore(opt, after || null);
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
  return controls;
}
