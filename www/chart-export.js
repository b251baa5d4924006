// Export (issue 19, item 3): what a briefing needs out of the page. Under every chart, beside
// "Show data", PNG and SVG buttons download the chart as drawn now; the header's Export menu
// downloads the scenario in the command line's format (scenario-file.js), the monthly series of
// the runs on the page as one CSV, and opens a scenario file (also when one is dropped on the
// page).
//
// Images: PNG from the live chart at twice its pixels (sharp on a slide), SVG from the chart's
// current option drawn off screen (chart-svg.js), so the vector image shows what the canvas
// shows. File names say the chart, the scenario's preset and the day: `visit-shares_
// close_consortium_day-365.png`. Every download is a Blob behind an `<a download>`.
//
// The CSV is wide, one row per run and model month and one column per output: a spreadsheet
// user filters the runs and charts a column at once, which the long format (a row per value)
// would make them pivot first. Numbers keep full precision (`String(x)`: the shortest text
// that reads back as the same double); run names are quoted as RFC 4180 says.
//
// Buttons, titles and messages come from the `export` strings and are written again when the
// language changes.

import { chartSvg } from './chart-svg.js';
import { seriesNeeded } from './charts.js';
import { monthEnd } from './calendar.js';
import { scenarioFileText, readScenarioFile } from './scenario-file.js';
import { toQuery } from './url-state.js';
import { t, onLanguageChange } from './i18n.js';

/** How long a download's Blob URL lives: the browser must have started reading it by then. */
const REVOKE_AFTER_MS = 40_000;
/** The background of exported images (the cards' white; a transparent PNG is grey on slides). */
const BACKGROUND = '#ffffff';

/** Saves `blob` as a file called `name`. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/** The bytes of a `data:…;base64,` URL as a Blob. */
function dataUrlBlob(url) {
  const [head, body] = url.split(',');
  const bytes = Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type: head.slice(5).split(';')[0] });
}

/** A name safe in a file name on every system: letters, digits, `_`, `-` and `.` only. */
const fileSafe = (text) => String(text).replace(/[^\p{L}\p{N}_.-]+/gu, '-');

/** A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break. */
export function csvField(value) {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A number as the CSV writes it: the shortest text that reads back as the same double; an
 * empty field for a value the run does not have. */
const csvNumber = (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : '');

/**
 * The monthly series of `runs` as CSV text: header `run,month,day,<outputs…>`, then one row per
 * run and model month begun, `day` being the day the month's value ends on (days simulated).
 * Each run: `{ name, months, monthStarts, day }` (a snapshot's or a saved run's). Lines end in
 * CRLF (RFC 4180).
 */
export function monthlyCsv(runs, outputs = seriesNeeded()) {
  const lines = [['run', 'month', 'day', ...outputs].map(csvField).join(',')];
  for (const run of runs) {
    const months = Math.max(0, ...outputs.map((key) => run.months[key]?.length || 0));
    for (let i = 0; i < months; i++) {
      const values = outputs.map((key) => csvNumber(run.months[key]?.[i]));
      lines.push([csvField(run.name), i + 1, monthEnd(run.monthStarts, i, run.day), ...values].join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * Puts a chart's export buttons on the line of its "Show data" button (data-tables.js), which
 * moves into a row with them: the card grows by no line, and the ways to take the chart's
 * content away sit together. Without that button, the buttons go right under the chart.
 */
function placeUnder(chart, group) {
  const showData = chart.parentElement.querySelector(`[data-show-data="${chart.dataset.chart}"]`);
  if (!showData) {
    chart.after(group);
    return;
  }
  const row = document.createElement('div');
  row.className = 'chart-actions';
  showData.before(row);
  row.append(showData, group);
}

/** Whether a drag carries files (not text or a link dragged within the page). */
const carriesFile = (event) => [...(event.dataTransfer?.types || [])].includes('Files');

/** The card title of a chart element, as the page shows it now. */
function cardTitle(chart) {
  return chart.closest('figure')?.querySelector('h2')?.firstChild?.textContent.trim() || chart.dataset.chart;
}

/**
 * @param {object} deps
 * @param {object} deps.board the chart board (chart-board.js): its charts, and `flush` to draw
 *   one that is out of date before it is exported
 * @param {object} deps.meta the model's tables (levers, presets, modelVersion)
 * @param {() => object} deps.state the scenario on the page (url-state.js)
 * @param {() => object|null} deps.snapshot the run on screen (run-loop.js)
 * @param {() => object[]} deps.savedRuns every saved run (saved-runs.js `all`)
 * @param {(query: string) => Promise<boolean>} deps.load sets up a scenario given as a link's
 *   query, as opening that link would
 * @param {Element} [deps.menu] the header's Export menu (`[data-export-menu]`)
 */
export function createExports({ board, meta, state, snapshot, savedRuns, load, menu = document.querySelector('[data-export-menu]') }) {
  /** The message beside the menu, as a strings key's text maker, so a switch says it again. */
  let said = null;
  const message = menu?.querySelector('[data-export-message]');

  function say(text, kind) {
    said = { text, kind };
    if (!message) return;
    message.textContent = text();
    message.dataset.kind = kind;
    message.hidden = false;
    // The message is inside the menu: it stays open to show it.
    menu.open = true;
  }

  function clearMessage() {
    said = null;
    if (!message) return;
    message.hidden = true;
    message.textContent = '';
  }

  /** `chart_preset_day-N`, the stem of an exported image's name. */
  function fileStem(name) {
    const snap = snapshot();
    return `${name}_${fileSafe(state().preset)}_day-${snap ? snap.day : 0}`;
  }

  // ---------- per chart: PNG and SVG ----------

  const images = {
    png(name) {
      const chart = board.charts.get(name);
      board.flush(name);
      const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: BACKGROUND });
      download(dataUrlBlob(url), `${fileStem(name)}.png`);
    },
    svg(name) {
      const chart = board.charts.get(name);
      board.flush(name);
      const svg = chartSvg({ ...chart.getOption(), backgroundColor: BACKGROUND }, { width: chart.getWidth(), height: chart.getHeight() });
      download(new Blob([svg], { type: 'image/svg+xml' }), `${fileStem(name)}.svg`);
    },
  };

  /** Each chart's buttons, to relabel them after a language switch. */
  const buttons = [];
  for (const chart of board.charts.values()) {
    const el = chart.getDom();
    const name = el.dataset.chart;
    const group = document.createElement('div');
    group.className = 'chart-export';
    group.dataset.chartExport = name;
    group.setAttribute('role', 'group');
    for (const type of ['png', 'svg']) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.export = type;
      button.addEventListener('click', () => images[type](name));
      group.append(button);
      buttons.push({ button, type, el });
    }
    placeUnder(el, group);
  }

  function labelButtons() {
    for (const { button, type, el } of buttons) {
      const title = cardTitle(el);
      button.textContent = type === 'png' ? t('export.png') : t('export.svg');
      const label = type === 'png' ? t('export.pngLabel', { chart: title }) : t('export.svgLabel', { chart: title });
      button.setAttribute('aria-label', label);
      button.title = label;
      button.parentElement.setAttribute('aria-label', t('export.groupLabel', { chart: title }));
    }
  }

  // ---------- the header's menu: scenario file, CSV, open a file ----------

  /** The runs on the page: this run, the status quo when it is computed, each saved run. */
  function pageRuns() {
    const snap = snapshot();
    const runs = [];
    if (snap) {
      const { monthStarts, day } = snap;
      runs.push({ name: 'current', months: snap.current.months, monthStarts, day });
      if (snap.baseline) runs.push({ name: 'status_quo', months: snap.baseline.months, monthStarts, day });
    }
    for (const r of savedRuns()) runs.push({ name: `saved: ${r.name}`, months: r.months, monthStarts: r.monthStarts, day: r.day });
    return runs;
  }

  function exportScenario() {
    const snap = snapshot();
    if (!snap) return say(() => t('export.noRun'), 'error');
    const s = state();
    const text = scenarioFileText(s, meta, snap.monthStarts);
    download(new Blob([text], { type: 'application/json' }), `scenario_${fileSafe(s.preset)}_seed-${s.seed}.json`);
    clearMessage();
  }

  function exportCsv() {
    const snap = snapshot();
    if (!snap) return say(() => t('export.noRun'), 'error');
    download(new Blob([monthlyCsv(pageRuns())], { type: 'text/csv' }), `monthly_${fileSafe(state().preset)}_day-${snap.day}.csv`);
    clearMessage();
  }

  /** The text of a problem that readScenarioFile reported. */
  function problemText({ key, vars }) {
    const texts = {
      notJson: () => t('export.file.notJson', vars),
      noScenario: () => t('export.file.noScenario', vars),
      badPreset: () => t('export.file.badPreset', vars),
      badLever: () => t('export.file.badLever', vars),
      badValue: () => t('export.file.badValue', vars),
      badChanges: () => t('export.file.badChanges', vars),
      badDay: () => t('export.file.badDay', vars),
      notMonthStart: () => t('export.file.notMonthStart', vars),
      badSeeds: () => t('export.file.badSeeds', vars),
    };
    return texts[key]();
  }

  /** Opens scenario file `file`: sets its scenario up, or says beside the menu what is wrong. */
  async function openFile(file) {
    const snap = snapshot();
    if (!snap) return say(() => t('export.noRun'), 'error');
    const text = await file.text();
    const read = readScenarioFile(text, meta, snap.monthStarts);
    if (read.problem) return say(() => t('export.file.notOpened', { file: file.name, problem: problemText(read.problem) }), 'error');
    const fileVersion = read.modelVersion;
    const accepted = await load(toQuery(read.state, meta));
    if (!accepted) return say(() => t('export.file.refused', { file: file.name }), 'error');
    if (fileVersion && fileVersion !== meta.modelVersion) {
      say(() => t('export.file.otherVersion', { file: file.name, fileVersion, version: meta.modelVersion }), 'warn');
    } else {
      say(() => t('export.file.opened', { file: file.name }), 'ok');
    }
  }

  if (menu) {
    menu.querySelector('[data-action="export-scenario"]').addEventListener('click', exportScenario);
    menu.querySelector('[data-action="export-csv"]').addEventListener('click', exportCsv);
    const input = menu.querySelector('[data-export-open]');
    input.addEventListener('change', async () => {
      const [file] = input.files;
      input.value = '';
      if (file) await openFile(file);
    });
    // A menu closes with Escape (back to its button) and when the page is clicked elsewhere.
    menu.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !menu.open) return;
      menu.open = false;
      menu.querySelector('summary').focus();
    });
    // A scenario file dropped anywhere on the page opens as if chosen in the menu.
    document.addEventListener('dragover', (event) => {
      if (carriesFile(event)) event.preventDefault();
    });
    document.addEventListener('drop', (event) => {
      if (!carriesFile(event)) return;
      event.preventDefault();
      const [file] = event.dataTransfer.files;
      if (file) openFile(file);
    });
    // Only a person's click: a download's own click on its link (elsewhere) must not close it.
    document.addEventListener('click', (event) => {
      if (event.isTrusted && menu.open && !menu.contains(event.target)) menu.open = false;
    });
  }

  function writeTexts() {
    labelButtons();
    if (said && message) message.textContent = said.text();
  }
  onLanguageChange(writeTexts);
  writeTexts();

  return { monthlyCsv: () => monthlyCsv(pageRuns()), scenarioFile: () => scenarioFileText(state(), meta, snapshot().monthStarts), openFile };
}
