// Presentation mode, for a projector (`data-action="present"` in the header, or `?present=1`):
// the header and the controls give way to a slim bar (Go, Step, the clock and an exit), one
// chart, or a 2×2 of four, fills the rest of the screen, and chart text is at least 18 px.
// The run is not touched: entering and leaving only change the layout and the charts' text.
//
// Keys while presenting: Space run/pause, → or S step, 1-9 pick a chart, ← or ↑ the previous
// chart, ↓ the next, G the 2×2 grid on and off, ? this list, Esc leave.
//
// Chart text is enlarged in each chart's ECharts option (`enlargeText`), not by scaling the
// canvas: every `fontSize` below PRESENT_FONT_PX is raised to it as the option is drawn.

/** The smallest chart text while presenting (px): legible from the back of a classroom. */
export const PRESENT_FONT_PX = 18;
/** The URL parameter that opens (and, while presenting, keeps) presentation mode. */
export const PRESENT_PARAM = 'present';
/** Charts shown together in the grid. */
const GRID_SIZE = 4;
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

/**
 * Wires presentation mode to the page.
 * @param {object} deps
 * @param {Element} deps.button the header's `data-action="present"` button
 * @param {Element} deps.bar the run controls that become the slim bar (`.run-box`)
 * @param {{ go: Element, step: Element }} deps.actions the run buttons the keys press
 * @param {() => void} deps.onChange called after entering, leaving or a change of chart
 *   (the page redraws the charts and rewrites its URL)
 * @param {Document} [root]
 */
export function createPresentation({ button, bar, actions, onChange }, root = document) {
  const body = root.body;
  /** The figures that hold a chart, in page order (the order 1-9 pick from). */
  const cards = [...root.querySelectorAll('.card')].filter((c) => c.querySelector('[data-chart]'));
  const names = cards.map((c) => c.querySelector('[data-chart]').dataset.chart);
  let active = false;
  let index = Math.max(0, names.indexOf('visit-shares'));
  let grid = false;

  const exit = root.createElement('button');
  exit.type = 'button';
  exit.dataset.action = 'present-exit';
  exit.textContent = 'Exit ✕';
  exit.title = 'Leave presentation mode (Esc)';
  const helpButton = root.createElement('button');
  helpButton.type = 'button';
  helpButton.textContent = '?';
  helpButton.setAttribute('aria-label', 'Keyboard shortcuts');
  const nav = root.createElement('div');
  nav.className = 'present-nav present-only';
  nav.append(helpButton, exit);
  bar.append(nav);

  const help = root.createElement('div');
  help.className = 'present-help';
  help.dataset.presentHelp = '';
  help.hidden = true;
  help.setAttribute('role', 'dialog');
  help.setAttribute('aria-label', 'Keyboard shortcuts');
  help.innerHTML = `<h2>Keys</h2><dl>
    <dt>Space</dt><dd>Go / Pause</dd><dt>→ or S</dt><dd>Step one month</dd>
    <dt>1–9</dt><dd>Pick a chart</dd><dt>← ↑ / ↓</dt><dd>Previous / next chart</dd>
    <dt>G</dt><dd>One chart / 2×2 grid</dd><dt>?</dt><dd>This list</dd><dt>Esc</dt><dd>Leave</dd></dl>`;
  body.append(help);

  /** The names of the charts on screen. */
  function shown() {
    if (!grid) return [names[index]];
    return Array.from({ length: GRID_SIZE }, (_, i) => names[(index + i) % names.length]);
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
    if (!active) help.hidden = true;
    onChange();
  }

  function show(i) {
    index = (i + names.length) % names.length;
    layout();
  }

  /** Keys typed into a field are its own. */
  const typing = (t) => t instanceof Element && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA');

  function onKey(event) {
    if (!active || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    const k = event.key;
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
    } else if (k === '?') help.hidden = !help.hidden;
    else if (k === 'Escape') {
      if (!help.hidden) help.hidden = true;
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
  exit.addEventListener('click', () => presentation.leave());
  helpButton.addEventListener('click', () => (help.hidden = !help.hidden));
  root.addEventListener('keydown', onKey);
  return presentation;
}
