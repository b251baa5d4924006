// Presentation mode, for a projector (`data-action="present"` in the header, or `?present=1`):
// the header and the controls give way to a slim bar (Go, Step, the clock and an exit), one
// chart, or a 2×2 of four, fills the rest of the screen, and chart text is at least 18 px.
// The run is not touched: entering and leaving only change the layout and the charts' text.
//
// Keys while presenting: Space run/pause, → or S step, 1-9 pick a chart (shown alone), ← or ↑
// the previous chart, ↓ the next, G the 2×2 grid on and off, C choose the grid's four charts,
// P predict, then reveal (predict.js), ? the list of keys, Esc close a box or leave.
//
// The grid's four charts are the user's choice (the chooser, C), kept in localStorage under
// GRID_STORAGE_KEY so a reload or the next lesson on this browser shows the same four.
//
// Chart text is enlarged in each chart's ECharts option (`enlargeText`), not by scaling the
// canvas: every `fontSize` below PRESENT_FONT_PX is raised to it as the option is drawn.

/** The smallest chart text while presenting (px): legible from the back of a classroom. */
export const PRESENT_FONT_PX = 18;
/** The URL parameter that opens (and, while presenting, keeps) presentation mode. */
export const PRESENT_PARAM = 'present';
import { t, onLanguageChange } from './i18n.js';

/** Charts shown together in the grid. */
const GRID_SIZE = 4;
/** Where the grid's chosen charts are remembered. */
export const GRID_STORAGE_KEY = 'consortium-sim.present-grid.v1';
/** The grid's charts until the user chooses: where patients go, referrals, money, cooperation. */
const DEFAULT_GRID = ['visit-shares', 'referrals', 'spending', 'trust-cooperation'];
/** The keys listed in the help, in order: `[key shown, strings key of what it does]`. */
const KEYS_HELP = [
  ['Space', 'present.keyGo'],
  ['→ / S', 'present.keyStep'],
  ['1–9', 'present.keyPick'],
  ['← ↑ / ↓', 'present.keyPrevNext'],
  ['G', 'present.keyGrid'],
  ['C', 'present.keyChoose'],
  ['P', 'present.keyPredict'],
  ['?', 'present.keyHelp'],
  ['Esc', 'present.keyEsc'],
];
/** Option keys that hold data, not styling: never walked (they can be long). */
const DATA_KEYS = new Set(['data', 'links', 'edges', 'nodes']);
/** Option keys left as they are: graphic elements are laid out in pixels by their modules. */
const KEEP_KEYS = new Set(['graphic']);
/** The font size the Sankey's margins are set for (referral-sankey.js). */
const SANKEY_FONT_PX = 11;

/** Whether a query string asks for presentation mode. */
export function presentRequested(search) {
  const v = new URLSearchParams(search).get(PRESENT_PARAM);
  return v === '1' || v === 'on' || v === 'true';
}

/**
 * A copy of an ECharts option with every `fontSize` at least `px` (but for `graphic`
 * elements), the cartesian grids given room for the larger axis labels, and the Sankey's
 * margins and gaps widened for its labels. Functions and data arrays are shared, not copied.
 */
export function enlargeText(option, px = PRESENT_FONT_PX) {
  // Only grids with labelled axes need the room (the map's grid has none).
  const axes = [option.xAxis, option.yAxis].flat().filter(Boolean);
  const labelled = axes.some((a) => a.axisLabel?.show !== false);
  const walk = (value, key) => {
    if (Array.isArray(value)) return DATA_KEYS.has(key) ? value : value.map((v) => walk(v, key));
    if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'fontSize' && typeof v === 'number') out[k] = Math.max(v, px);
      else if (DATA_KEYS.has(k) || KEEP_KEYS.has(k)) out[k] = v;
      else out[k] = walk(v, k);
    }
    if (key === 'grid' && labelled) {
      // Axis labels of 18 px overflow a margin set for 11 px: let ECharts fit them.
      out.containLabel = true;
      if (typeof out.left === 'number') out.left = 8;
      if (typeof out.top === 'number') out.top = Math.round(out.top * 1.6);
      if (typeof out.bottom === 'number') out.bottom = Math.round(out.bottom * 0.5);
    }
    if (out.type === 'sankey') {
      // Node labels beside the bands, and two lines of them between two nodes, at the larger size.
      const scale = px / SANKEY_FONT_PX;
      for (const side of ['left', 'right']) if (typeof out[side] === 'number') out[side] = Math.round(out[side] * scale);
      out.nodeGap = Math.max(out.nodeGap || 0, Math.round(2.6 * px));
    }
    return out;
  };
  return walk(option, '');
}

/** The grid's four charts from storage, when they are all charts of the page; else null. */
function loadGrid(storage, names) {
  try {
    const v = JSON.parse(storage?.getItem(GRID_STORAGE_KEY) || 'null');
    if (Array.isArray(v) && v.length === GRID_SIZE && v.every((n) => names.includes(n))) return v;
  } catch {
    // A damaged entry: the default grid.
  }
  return null;
}

/**
 * Wires presentation mode to the page.
 * @param {object} deps
 * @param {Element} deps.button the header's `data-action="present"` button
 * @param {Element} deps.bar the run controls that become the slim bar (`.run-box`)
 * @param {{ go: Element, step: Element }} deps.actions the run buttons the keys press
 * @param {() => void} deps.onChange called after entering, leaving or a change of chart
 *   (the page redraws the charts and rewrites its URL)
 * @param {() => void} [deps.onPredict] opens or closes predict, then reveal
 * @param {Storage} [deps.storage] where the grid's charts are remembered (localStorage)
 * @param {Document} [root]
 */
export function createPresentation({ button, bar, actions, onChange, onPredict = null, storage = globalThis.localStorage }, root = document) {
  const body = root.body;
  /** The figures that hold a chart, in page order (the order 1-9 pick from). */
  const cards = [...root.querySelectorAll('.card')].filter((c) => c.querySelector('[data-chart]'));
  const names = cards.map((c) => c.querySelector('[data-chart]').dataset.chart);
  let active = false;
  let index = Math.max(0, names.indexOf('visit-shares'));
  let grid = false;
  let gridCharts = loadGrid(storage, names) || DEFAULT_GRID.filter((n) => names.includes(n));
  while (gridCharts.length < GRID_SIZE) gridCharts.push(names.find((n) => !gridCharts.includes(n)));

  const navButton = (action, onClick) => {
    const b = root.createElement('button');
    b.type = 'button';
    b.dataset.action = action;
    b.addEventListener('click', onClick);
    return b;
  };
  const predictButton = onPredict ? navButton('present-predict', () => onPredict()) : null;
  const chooseButton = navButton('present-choose', () => toggleChooser());
  const helpButton = navButton('present-help', () => (help.hidden = !help.hidden));
  const exit = navButton('present-exit', () => presentation.leave());
  const nav = root.createElement('div');
  nav.className = 'present-nav present-only';
  nav.append(...[predictButton, chooseButton, helpButton, exit].filter(Boolean));
  bar.append(nav);

  /** A box over the charts (hidden until opened): class `className`, hook `data-<hook>`. */
  function dialogBox(className, hook) {
    const box = root.createElement('div');
    box.className = className;
    box.setAttribute(`data-${hook}`, '');
    box.hidden = true;
    box.setAttribute('role', 'dialog');
    body.append(box);
    return box;
  }
  /** The key list (?). */
  const help = dialogBox('present-help', 'present-help');
  /** The chooser of the grid's four charts: one list per place in the grid. */
  const chooser = dialogBox('present-help present-chooser', 'present-chooser');

  /** Hides box `box` (the key list or the chooser); focus inside it goes back to the bar, so
   * the keys work again at once (a hidden select would keep them). */
  function closeBox(box) {
    const hadFocus = box.contains(root.activeElement);
    box.hidden = true;
    if (hadFocus) (box === chooser ? chooseButton : helpButton).focus();
  }

  /** A chart's name as its card's title says it (in the page's language). */
  const title = (name) => cards[names.indexOf(name)].querySelector('h2')?.textContent.trim() || name;

  function writeHelp() {
    help.setAttribute('aria-label', t('present.keysTitle'));
    help.replaceChildren();
    const h = root.createElement('h2');
    h.textContent = t('present.keysTitle');
    const dl = root.createElement('dl');
    for (const [key, what] of KEYS_HELP) {
      const dt = root.createElement('dt');
      dt.textContent = key === 'Space' ? t('present.spaceKey') : key;
      const dd = root.createElement('dd');
      dd.textContent = t(what);
      dl.append(dt, dd);
    }
    const close = root.createElement('button');
    close.type = 'button';
    close.textContent = t('present.close');
    close.addEventListener('click', () => closeBox(help));
    help.append(h, dl, close);
  }

  function writeChooser() {
    chooser.setAttribute('aria-label', t('present.chooseTitle'));
    chooser.replaceChildren();
    const h = root.createElement('h2');
    h.textContent = t('present.chooseTitle');
    const note = root.createElement('p');
    note.textContent = t('present.chooseNote');
    const slots = root.createElement('div');
    slots.className = 'present-slots';
    gridCharts.forEach((current, slot) => {
      const label = root.createElement('label');
      const text = root.createElement('span');
      text.textContent = t(['present.slot1', 'present.slot2', 'present.slot3', 'present.slot4'][slot]);
      const select = root.createElement('select');
      select.dataset.presentSlot = String(slot);
      for (const n of names) {
        const opt = root.createElement('option');
        opt.value = n;
        opt.textContent = title(n);
        select.append(opt);
      }
      select.value = current;
      select.addEventListener('change', () => chooseGridChart(slot, select.value));
      label.append(text, select);
      slots.append(label);
    });
    const close = root.createElement('button');
    close.type = 'button';
    close.dataset.action = 'present-choose-close';
    close.textContent = t('present.close');
    close.addEventListener('click', () => closeBox(chooser));
    chooser.append(h, note, slots, close);
  }

  function writeTexts() {
    if (predictButton) {
      predictButton.textContent = t('present.predict');
      predictButton.title = t('present.predictTitle');
    }
    chooseButton.textContent = t('present.choose');
    chooseButton.title = t('present.chooseButtonTitle');
    helpButton.textContent = '?';
    helpButton.setAttribute('aria-label', t('present.keysTitle'));
    helpButton.title = t('present.keysTitle');
    exit.textContent = t('present.exit');
    exit.title = t('present.exitTitle');
    writeHelp();
    writeChooser();
  }

  /** Place `slot` of the grid shows chart `name` (a chart already in the grid swaps places). */
  function chooseGridChart(slot, name) {
    const next = [...gridCharts];
    const there = next.indexOf(name);
    if (there >= 0 && there !== slot) next[there] = next[slot];
    next[slot] = name;
    gridCharts = next;
    try {
      storage?.setItem(GRID_STORAGE_KEY, JSON.stringify(gridCharts));
    } catch {
      // Not remembered; the grid still shows the choice.
    }
    grid = true;
    writeChooser();
    chooser.querySelector(`[data-present-slot="${slot}"]`)?.focus();
    layout();
  }

  function toggleChooser() {
    if (!chooser.hidden) return closeBox(chooser);
    chooser.hidden = false;
    help.hidden = true;
    writeChooser();
    chooser.querySelector('select')?.focus();
  }

  /** The names of the charts on screen. */
  function shown() {
    return grid ? [...gridCharts] : [names[index]];
  }

  function layout() {
    const on = new Set(active ? shown() : []);
    cards.forEach((card, i) => {
      card.classList.toggle('presented', on.has(names[i]));
      card.style.order = active && grid ? String(shown().indexOf(names[i])) : '';
    });
    body.classList.toggle('presenting', active);
    body.classList.toggle('presenting-grid', active && grid);
    button.setAttribute('aria-pressed', String(active));
    if (!active) {
      help.hidden = true;
      chooser.hidden = true;
    }
    onChange();
  }

  /** Chart `i` (page order) alone on the screen. */
  function show(i) {
    index = (i + names.length) % names.length;
    grid = false;
    layout();
  }

  /** Keys typed into a field are its own. */
  const typing = (el) => el instanceof Element && (el.tagName === 'INPUT' || el.tagName === 'SELECT' || el.tagName === 'TEXTAREA');

  function onKey(event) {
    if (!active || event.ctrlKey || event.metaKey || event.altKey) return;
    const k = event.key;
    // Esc still closes a box (or leaves) from a field of the chooser.
    if (typing(event.target) && k !== 'Escape') return;
    if (k === ' ') actions.go.click();
    else if (k === 'ArrowRight' || k === 's' || k === 'S') {
      if (!actions.step.disabled) actions.step.click();
    } else if (/^[1-9]$/.test(k)) {
      if (Number(k) <= names.length) show(Number(k) - 1);
    } else if (k === 'ArrowLeft' || k === 'ArrowUp') show(index - 1);
    else if (k === 'ArrowDown') show(index + 1);
    else if (k === 'g' || k === 'G') {
      grid = !grid;
      layout();
    } else if (k === 'c' || k === 'C') toggleChooser();
    else if ((k === 'p' || k === 'P') && onPredict) onPredict();
    else if (k === '?') {
      help.hidden = !help.hidden;
      if (!help.hidden) chooser.hidden = true;
    } else if (k === 'Escape') {
      if (!help.hidden) closeBox(help);
      else if (!chooser.hidden) closeBox(chooser);
      else presentation.leave();
    } else return;
    // Also keeps Space from pressing a focused button (or scrolling) besides Go/Pause.
    event.preventDefault();
  }

  const presentation = {
    get active() {
      return active;
    },
    /** The charts on screen while presenting (page order), else an empty list. */
    get charts() {
      return active ? shown() : [];
    },
    get grid() {
      return grid;
    },
    /** The grid's four charts, as chosen. */
    get gridCharts() {
      return [...gridCharts];
    },
    enter() {
      if (active) return;
      active = true;
      layout();
    },
    leave() {
      if (!active) return;
      active = false;
      layout();
      button.focus();
    },
    /** Shows chart `name` if it is not on screen (alone), e.g. for a reveal drawn on it. */
    bringIn(name) {
      if (!active || shown().includes(name) || !names.includes(name)) return;
      show(names.indexOf(name));
    },
    /** `option` as chart `name` should be drawn now (enlarged text while presenting). */
    adjust(option) {
      if (active) return enlargeText(option);
      // Options merge into the chart's last one: the grid fitted to large labels is undone.
      const plain = (g) => ({ containLabel: false, ...g });
      if (Array.isArray(option.grid)) return { ...option, grid: option.grid.map(plain) };
      return option.grid ? { ...option, grid: plain(option.grid) } : option;
    },
    /** The page's query string with the presentation parameter while presenting. */
    query(search) {
      const params = new URLSearchParams(search);
      if (active) params.set(PRESENT_PARAM, '1');
      else params.delete(PRESENT_PARAM);
      const q = params.toString();
      return q ? `?${q}` : '';
    },
  };

  button.addEventListener('click', () => (active ? presentation.leave() : presentation.enter()));
  root.addEventListener('keydown', onKey);
  onLanguageChange(writeTexts);
  writeTexts();
  return presentation;
}
