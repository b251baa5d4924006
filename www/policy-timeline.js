// The policy timeline box: lever changes scheduled at month starts ("referral bonus 250 from
// month 24"), listed in month order, each removable.
//
// The entries live in the page's state (`state.timeline`, `{ month, key, value }`), so the
// share link carries them (url-state.js, the `at` parameter) and a page opened from it runs
// them again; run-loop.js applies them to the model as a run reaches their months and marks
// them on the charts. Months count from 1, as people count them: month 1 starts on day 0,
// month m on the model's `monthStart(m - 1)` (calendar.js). A value is checked the way a
// link's lever value is (`parseLever`), so the box and the link accept the same values and
// say the same thing about a bad one.
//
// Levers moved by hand during a run are entries too (`hand: true`, run-loop.js says when),
// listed here marked "moved by hand" and removable like planned ones: the link keeps them and
// Again replays them, so both reproduce the run on screen. The box says so in its second
// paragraph. Removing an entry the run on screen has already passed changes the link and
// Again, not that run: the box says that too.

import { parseLever, parseTimelineMonth, withTimelineEntry } from './url-state.js';
import { leverLabel, choiceLabel, leverAllowed } from './lever-notes.js';
import { applyStrings, onLanguageChange, lang, t } from './i18n.js';

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

/** A lever's name in the page's language. */
const leverName = leverLabel;

/** A value as a person reads it: a switch as on/off, a choice by its label in the page's
 * language, numbers as written. */
function valueText(spec, value) {
  if (spec && spec.kind === 'switch') return t(value ? 'timeline.on' : 'timeline.off');
  return spec && spec.kind === 'choice' ? choiceLabel(spec.key, value) : String(value);
}

/** A line for an error, hidden until there is one; `showError` and `clearError` like a lever's. */
function errorLine(id, control) {
  const line = el('p', { id, class: 'field-error', role: 'alert', hidden: true });
  return {
    line,
    showError(message) {
      line.textContent = message;
      line.hidden = false;
      control?.setAttribute('aria-invalid', 'true');
    },
    clearError() {
      line.textContent = '';
      line.hidden = true;
      control?.removeAttribute('aria-invalid');
    },
  };
}

/**
 * Builds the box into `root` and returns it; `box.field` is the error line for the link's
 * `at` parameter (for page-messages.js).
 * @param {object} deps
 * @param {Element} deps.root the box's fieldset (`[data-timeline]` in index.html)
 * @param {object} deps.meta the model's tables (`levers`: key, kind, choices, allowed)
 * @param {object} deps.state the page's scenario: `timeline` is read and replaced here, `years`
 *   bounds the months, `levers` gives a new entry's first value
 * @param {() => number|null} deps.runDay the day of the run on screen (null before one)
 * @param {() => number[]|null} deps.monthStarts the run's month starts (null before one)
 * @param {() => void} deps.onChange the timeline changed (write the link)
 */
export function createPolicyTimeline({ root, meta, state, runDay, monthStarts, onChange }) {
  const specs = new Map(meta.levers.map((s) => [s.key, s]));
  const month = el('input', { type: 'text', inputmode: 'numeric', id: 'timeline-month', 'data-timeline-month': true, 'aria-describedby': 'timeline-month-error', autocomplete: 'off', spellcheck: 'false', value: '' });
  const lever = el('select', { id: 'timeline-lever', 'data-timeline-lever': true });
  const valueWrap = el('span', { class: 'timeline-value' });
  const add = el('button', { type: 'button', 'data-action': 'timeline-add', 'data-i18n': 'timeline.add' });
  const monthError = errorLine('timeline-month-error', month);
  const valueError = errorLine('timeline-value-error', null);
  const linkError = errorLine('timeline-error', null);
  const note = el('p', { class: 'timeline-note', 'data-timeline-note': true, role: 'status', hidden: true });
  const list = el('ol', { class: 'timeline-list', 'data-timeline-list': true });
  const empty = el('p', { class: 'timeline-empty', 'data-i18n': 'timeline.empty' });
  /** The value control of the lever picked: a select for choices and switches, else text. */
  let value = null;
  /** The note's message, `{ key, vars }`, said again after a language switch. */
  let noted = null;

  root.append(
    el('legend', {}, el('span', { 'data-i18n': 'timeline.title' })),
    el('p', { class: 'group-blurb', 'data-i18n': 'timeline.blurb' }),
    el('p', { class: 'group-blurb timeline-rule', 'data-i18n': 'pinned.timelineRule' }),
    el(
      'div',
      { class: 'timeline-form' },
      el('label', { for: 'timeline-lever', class: 'timeline-lever' }, el('span', { 'data-i18n': 'timeline.lever' }), lever),
      el('label', { for: 'timeline-month' }, el('span', { 'data-i18n': 'timeline.month' }), month),
      el('label', { for: 'timeline-value' }, el('span', { 'data-i18n': 'timeline.value' }), valueWrap),
      add,
    ),
    monthError.line,
    valueError.line,
    linkError.line,
    note,
    list,
    empty,
  );

  function fillLevers() {
    const picked = lever.value;
    lever.replaceChildren(...meta.levers.map((s) => el('option', { value: s.key, text: leverName(s.key) })));
    lever.value = picked || meta.levers[0].key;
  }

  /** A value control for the lever picked, starting at the page's value of that lever. */
  function fillValue() {
    const spec = specs.get(lever.value);
    const current = state.levers[spec.key];
    const attrs = { id: 'timeline-value', 'data-timeline-value': true, 'aria-describedby': 'timeline-value-error' };
    if (spec.kind === 'choice' || spec.kind === 'switch') {
      const options = spec.kind === 'switch' ? [true, false] : spec.choices;
      value = el('select', attrs, ...options.map((v) => el('option', { value: String(v), text: valueText(spec, v) })));
      value.value = String(current);
    } else {
      value = el('input', { ...attrs, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false', value: String(current ?? '') });
    }
    value.title = leverAllowed(spec);
    valueWrap.replaceChildren(value);
  }

  function say(key, vars) {
    noted = key ? { key, vars } : null;
    note.hidden = !key;
    note.textContent = key ? t(key, vars) : '';
  }

  function renderList() {
    const horizon = state.years * 12;
    list.replaceChildren(
      ...state.timeline.map((entry) => {
        const spec = specs.get(entry.key);
        const text = t('timeline.entry', { month: entry.month, lever: leverName(entry.key), value: valueText(spec, entry.value) });
        const remove = el('button', { type: 'button', class: 'timeline-remove', 'data-action': 'timeline-remove', 'aria-label': t('timeline.removeLabel', { entry: text }), text: t('timeline.remove') });
        remove.addEventListener('click', () => removeEntry(entry));
        const item = el('li', { 'data-entry': `${entry.month}:${entry.key}`, 'data-hand': entry.hand }, el('span', { class: 'timeline-entry', text }));
        if (entry.hand) item.append(el('span', { class: 'timeline-hand', text: t('pinned.byHand') }));
        if (entry.month > horizon) item.append(el('span', { class: 'timeline-beyond', text: t('timeline.beyond', { months: horizon }) }));
        item.append(remove);
        return item;
      }),
    );
    empty.hidden = state.timeline.length > 0;
  }

  function clearErrors() {
    monthError.clearError();
    valueError.clearError();
    linkError.clearError();
  }

  function addEntry() {
    clearErrors();
    say(null);
    const horizon = state.years * 12;
    const m = parseTimelineMonth(month.value, horizon);
    if (m.problem) monthError.showError(t('timeline.badMonth', { value: month.value.trim(), months: horizon }));
    const v = parseLever(specs.get(lever.value), value.value);
    if (v.problem) valueError.showError(v.problem.message);
    value.toggleAttribute('aria-invalid', !!v.problem);
    if (m.problem || v.problem) return;
    const entry = { month: m.value, key: lever.value, value: v.value };
    state.timeline = withTimelineEntry(state.timeline, entry, meta);
    renderList();
    onChange();
    // A month the run on screen has passed: the entry waits for the next set-up (run-loop.js).
    const starts = monthStarts();
    const day = runDay();
    if (starts && day !== null && starts[entry.month - 1] < day) say('timeline.passed', { month: entry.month });
  }

  function removeEntry(entry) {
    clearErrors();
    say(null);
    state.timeline = state.timeline.filter((e) => e !== entry);
    renderList();
    onChange();
    // The run on screen is past the entry's month: it keeps the change until Again.
    const starts = monthStarts();
    const day = runDay();
    if (starts && day && starts[entry.month - 1] < day) say('pinned.removedPassed', { month: entry.month });
  }

  lever.addEventListener('change', () => {
    valueError.clearError();
    fillValue();
  });
  add.addEventListener('click', addEntry);
  month.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') addEntry();
  });
  valueWrap.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target.tagName === 'INPUT') addEntry();
  });

  fillLevers();
  fillValue();
  applyStrings(root);
  renderList();
  onLanguageChange(() => {
    fillLevers();
    const typed = value.value;
    fillValue();
    value.value = typed;
    renderList();
    if (noted) say(noted.key, noted.vars);
  });

  return {
    /** The error line the link's `at` problems go to. */
    field: linkError,
    /** Lists `state.timeline` again (after the scenario was replaced, e.g. by a thing to try). */
    refresh: renderList,
  };
}
