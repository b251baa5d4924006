// Saved runs, compared (issue 18, item 1): the run on screen is saved under a name, the saved
// runs are listed with their levers (what differs from the status quo), and any of them can
// be overlaid on every time chart and key figure beside the current run and the status quo.
//
// A saved run keeps what the overlays need and nothing more: the monthly series the time
// charts draw (charts.js `seriesNeeded`), the month starts and day they end at, and the key
// figures' values, with the model version and the scenario (its start levers and the lever
// changes during the run, scheduled or by hand, that the saved day reached). They live in
// localStorage under STORAGE_KEY, so they survive a reload; a full storage refuses the save
// with a message and leaves the earlier saved runs as they were.
//
// Every text the box shows comes from the `saved` strings (a change during the run is written
// as the timeline box writes it) and is written again when the language changes. "Small multiples" beside the list opens small-multiples.js (main.js wires it).

import { seriesNeeded } from './charts.js';
import { KEY_FIGURES } from './key-figures.js';
import { presetState } from './url-state.js';
import { leverLabel, presetLabel, choiceLabel } from './lever-notes.js';
import { t, formatNumber, onLanguageChange } from './i18n.js';

export const STORAGE_KEY = 'consortium-sim.saved-runs.v1';
/** The preset a saved run's levers are described against. */
const REFERENCE_PRESET = 'status_quo';
/** How saved runs are told apart on the charts: a dash pattern each (in saving order, then
 * again), in the tiers' own hues darkened (charts.js), so a line still says its tier. */
export const SAVED_DASHES = [
  [10, 3, 2, 3],
  [2, 3],
  [14, 4],
  [6, 2, 2, 2, 2, 2],
];

/** The dash of the saved run at position `i` among those saved. */
export const savedDash = (i) => SAVED_DASHES[i % SAVED_DASHES.length];

/** The levers of `levers` that differ from the status quo's, as `{ key, label, value }`. */
export function leverChanges(meta, levers) {
  const base = presetState(meta, REFERENCE_PRESET).levers;
  return meta.levers
    .filter((spec) => levers[spec.key] !== undefined && levers[spec.key] !== base[spec.key])
    .map((spec) => ({ key: spec.key, label: leverLabel(spec.key), value: levers[spec.key], text: valueText(spec, levers[spec.key]) }));
}

/** A lever's value as a person reads it: a choice by its label, a switch as on or off. */
function valueText(spec, value) {
  if (spec.kind === 'choice') return choiceLabel(spec.key, value);
  if (spec.kind === 'switch') return t(value ? 'timeline.on' : 'timeline.off');
  return String(value);
}

/** The record saved for snapshot `snap` of scenario `state`. */
export function recordOf(name, snap, state, meta) {
  const months = {};
  for (const key of seriesNeeded()) if (snap.current.months[key]) months[key] = Array.from(snap.current.months[key]);
  const figures = {};
  for (const f of KEY_FIGURES) {
    const v = snap.current.summary?.[f.key];
    if (typeof v === 'number') figures[f.key] = v;
  }
  return {
    id: `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`,
    name,
    savedAt: new Date().toISOString(),
    modelVersion: meta.modelVersion,
    scenario: {
      preset: state.preset,
      levers: { ...state.levers },
      population: state.population,
      years: state.years,
      seed: String(state.seed),
      urban_share: state.urban_share,
      // The lever changes during the run (scheduled and by hand) that the saved day reached:
      // the levers above are the start values.
      timeline: (state.timeline || [])
        .filter((e) => e.month - 1 < snap.monthStarts.length && snap.monthStarts[e.month - 1] <= snap.day)
        .map(({ month, key, value, hand }) => (hand ? { month, key, value, hand: true } : { month, key, value })),
    },
    day: snap.day,
    totalDays: snap.totalDays,
    monthStarts: Array.from(snap.monthStarts),
    months,
    summary: figures,
    overlaid: true,
  };
}

const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};

/** A short line in dash `dash` (an SVG, for the list and the key above the charts). */
function dashKey(dash) {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', '22');
  svg.setAttribute('height', '8');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'saved-dash');
  svg.innerHTML = `<line x1="0" y1="4" x2="22" y2="4" stroke="currentColor" stroke-width="2" stroke-dasharray="${dash.join(' ')}"/>`;
  return svg;
}

/**
 * @param {object} deps
 * @param {Element} deps.root where the saved runs' box is built
 * @param {Element} deps.key the key above the charts, one entry per overlaid run
 * @param {object} deps.meta the model's tables (levers, presets, modelVersion)
 * @param {() => {snap: object|null, state: object}} deps.current the run on screen
 * @param {() => void} deps.onChange the overlays changed: redraw
 * @param {Storage} [deps.storage] localStorage by default
 */
export function createSavedRuns({ root, key, meta, current, onChange, onMultiples = null, storage = globalThis.localStorage }) {
  let runs = load();

  root.innerHTML = '';
  const title = el('h2', { id: 'saved-title', class: 'saved-title' });
  const form = el('form', { class: 'save-row', 'data-save-form': '' });
  const nameLabel = el('label', { for: 'save-name', class: 'visually-hidden' });
  const nameInput = el('input', { id: 'save-name', type: 'text', 'data-save-name': '', maxlength: '40', autocomplete: 'off' });
  const saveButton = el('button', { type: 'submit', 'data-action': 'save-run' });
  form.append(nameLabel, nameInput, saveButton);
  const status = el('p', { class: 'saved-status', 'data-saved-status': '', role: 'status', 'aria-live': 'polite' });
  const list = el('ul', { class: 'saved-runs', 'data-saved-runs': '', 'aria-labelledby': 'saved-title' });
  const multiplesButton = onMultiples ? el('button', { type: 'button', class: 'saved-multiples', 'data-action': 'open-multiples' }) : null;
  if (multiplesButton) multiplesButton.addEventListener('click', () => onMultiples());
  root.setAttribute('aria-labelledby', 'saved-title');
  root.append(...[title, form, status, list, multiplesButton].filter(Boolean));
  /** The last message, as a strings key and its values, so a language switch says it again. */
  let said = null;

  function writeTexts() {
    title.textContent = t('saved.title');
    nameLabel.textContent = t('saved.nameLabel');
    nameInput.placeholder = t('saved.namePlaceholder');
    saveButton.textContent = t('saved.save');
    saveButton.title = t('saved.saveTitle');
    if (multiplesButton) {
      multiplesButton.textContent = t('saved.multiples');
      multiplesButton.title = t('saved.multiplesTitle');
    }
    if (said) status.textContent = t(said.key, said.vars);
    render();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    saved.save(nameInput.value);
  });

  function load() {
    try {
      const parsed = JSON.parse(storage?.getItem(STORAGE_KEY) || '[]');
      return Array.isArray(parsed) ? parsed.filter((r) => r && r.id && r.months && r.monthStarts) : [];
    } catch {
      return [];
    }
  }

  /** Writes the runs; false (and nothing written) when the storage refuses them. */
  function store(next) {
    try {
      storage.setItem(STORAGE_KEY, JSON.stringify(next));
      return true;
    } catch {
      return false;
    }
  }

  /** Shows the message at strings key `key` (kept, to be said again in another language). */
  function say(key, vars = {}) {
    said = { key, vars };
    status.textContent = t(key, vars);
  }

  function defaultName() {
    const used = new Set(runs.map((r) => r.name));
    for (let i = runs.length + 1; ; i++) if (!used.has(t('saved.defaultName', { n: i }))) return t('saved.defaultName', { n: i });
  }

  function render() {
    list.innerHTML = '';
    runs.forEach((r, i) => {
      const li = el('li', { class: 'saved-run', 'data-saved-run': '', 'data-id': r.id });
      const head = el('div', { class: 'saved-head' });
      const toggle = el('label', { class: 'saved-overlay', title: t('saved.overlayTitle') });
      const box = el('input', { type: 'checkbox', 'data-overlay': '' });
      box.checked = !!r.overlaid;
      box.addEventListener('change', () => saved.setOverlay(r.id, box.checked));
      toggle.append(box, dashKey(savedDash(i)), el('span', { class: 'saved-name', 'data-saved-name': '' }, r.name));
      const remove = el('button', { type: 'button', class: 'saved-remove', 'data-action': 'remove-saved-run', 'aria-label': t('saved.removeLabel', { name: r.name }), title: t('saved.removeTitle') }, '×');
      remove.addEventListener('click', () => saved.remove(r.id));
      head.append(toggle, remove);
      const changes = leverChanges(meta, r.scenario.levers);
      const levers = el(
        'p',
        { class: 'saved-levers', 'data-saved-levers': '' },
        changes.length ? changes.map((c) => `${c.label}: ${c.text}`).join(t('inspect.listSeparator')) : t('saved.statusQuoLevers'),
      );
      // Older saved runs (before the timeline was kept) have none.
      const during = (r.scenario.timeline || []).map((e) => {
        const spec = meta.levers.find((l) => l.key === e.key);
        const text = t('timeline.entry', { month: e.month, lever: leverLabel(e.key), value: spec ? valueText(spec, e.value) : String(e.value) });
        return e.hand ? t('saved.handEntry', { entry: text, byHand: t('pinned.byHand') }) : text;
      });
      const timeline = el('p', { class: 'saved-timeline', 'data-saved-timeline': '' }, during.join(t('inspect.listSeparator')));
      timeline.hidden = !during.length;
      const years = (r.day / 365).toFixed(r.day % 365 ? 1 : 0);
      const versionNote = r.modelVersion === meta.modelVersion ? '' : t('saved.otherVersion', { version: r.modelVersion });
      const about = el(
        'p',
        { class: 'saved-about' },
        t('saved.about', {
          preset: presetLabel(r.scenario.preset),
          residents: formatNumber(Number(r.scenario.population)),
          seed: r.scenario.seed,
          years,
          horizon: r.scenario.years,
        }) + versionNote,
      );
      li.append(head, levers, timeline, about);
      list.append(li);
    });
    renderKey();
  }

  function renderKey() {
    key.innerHTML = '';
    for (const o of saved.overlays()) {
      const entry = el('span', { class: 'saved-key-entry', 'data-saved-key-entry': o.id });
      entry.append(dashKey(o.dash), document.createTextNode(o.name));
      key.append(entry);
    }
    key.hidden = !key.childElementCount;
  }

  function changed() {
    render();
    onChange();
  }

  const saved = {
    /** Saves the run on screen under `name` (a default name when blank); false when not saved. */
    save(name) {
      const { snap, state } = current();
      if (!snap || snap.day <= 0) {
        say('saved.nothingYet');
        return false;
      }
      const record = recordOf(name.trim() || defaultName(), snap, state, meta);
      const next = [...runs, record];
      if (!store(next)) {
        say('saved.storageFull', { name: record.name });
        return false;
      }
      runs = next;
      nameInput.value = '';
      say('saved.saved', { name: record.name, day: record.day });
      changed();
      return true;
    },

    remove(id) {
      const gone = runs.find((r) => r.id === id);
      const next = runs.filter((r) => r.id !== id);
      // Removing only frees space, but a storage that refuses even that keeps the run on screen.
      if (!store(next)) {
        say('saved.notUpdated');
        return;
      }
      runs = next;
      if (gone) say('saved.removed', { name: gone.name });
      changed();
    },

    setOverlay(id, on) {
      const next = runs.map((r) => (r.id === id ? { ...r, overlaid: on } : r));
      // The choice applies on screen even when it cannot be stored.
      store(next);
      runs = next;
      changed();
    },

    /** The overlaid runs, in saving order, each with its dash: `{ id, name, dash, day,
     * monthStarts, months, summary }`. */
    overlays() {
      const out = [];
      runs.forEach((r, i) => {
        if (r.overlaid) out.push({ id: r.id, name: r.name, dash: savedDash(i), day: r.day, monthStarts: r.monthStarts, months: r.months, summary: r.summary });
      });
      return out;
    },

    /** Every saved run in saving order, with what small multiples draw: `{ id, name, day,
     * totalDays, monthStarts, months }`. */
    all() {
      return runs.map((r) => ({ id: r.id, name: r.name, day: r.day, totalDays: r.totalDays, monthStarts: r.monthStarts, months: r.months }));
    },

    /** The saved runs, for tests: `{ id, name, overlaid, levers, timeline, day, modelVersion }`. */
    list() {
      return runs.map((r) => ({ id: r.id, name: r.name, overlaid: !!r.overlaid, levers: { ...r.scenario.levers }, timeline: (r.scenario.timeline || []).map((e) => ({ ...e })), day: r.day, modelVersion: r.modelVersion }));
    },
  };

  onLanguageChange(writeTexts);
  writeTexts();
  return saved;
}
