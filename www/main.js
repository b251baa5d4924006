// The explorer page's entry point: it loads the model's tables from a worker, builds the
// controls from them and the scenario from the URL, and wires controls, URL, run and charts
// together. The model itself never runs on this thread.
//
// The other parts, each in a module of its own:
// - run-loop.js: set-up, Go and Pause, Step and levers moved mid-run, with the model workers
//   (sim-client.js and sim-worker.js; baseline-run.js for the status quo beside the run);
// - presentation.js: presentation mode for a projector (`?present=1`); predict.js: predict, then reveal;
// - page-messages.js: the status line, the banner, and errors beside their controls;
// - results-view.js: the panel and the charts drawn from a snapshot; chart-board.js: when;
// - controls.js and url-state.js: the controls, and the scenario in the URL;
// - lever-history.js: Undo and Redo of lever changes (what they cover is documented there);
// - tour.js: the first-visit tour; info-panel.js: the Info panel and the Things to try.

import * as echarts from './vendor/echarts.js';
import { createSimClient } from './sim-client.js';
import { createBaselineRun } from './baseline-run.js';
import { buildLeverControls, settingControls, presetChoice } from './controls.js';
import { parseUrl, presetState, toQuery, scenarioOf, DEFAULT_SETTINGS } from './url-state.js';
import { seriesNeeded, TIME_CHARTS, effectChartOption } from './charts.js';
import { leverLabel, leverAllowed, settingAllowed } from './lever-notes.js';
import { createChartBoard } from './chart-board.js';
import { rehearse, rehearsalSnapshot, rehearsalAggregate } from './chart-rehearsal.js';
import { createMessages, escapeHtml } from './page-messages.js';
import { createRun, SPEEDS } from './run-loop.js';
import { createResultsView } from './results-view.js';
import { createLeverHistory } from './lever-history.js';
import { registerServiceWorker } from './offline.js';
import { createPresentation, presentRequested } from './presentation.js';
import { createPrediction } from './predict.js';
import { createSavedRuns } from './saved-runs.js';
import { createSmallMultiples } from './small-multiples.js';
import { YEAR_DAYS } from './calendar.js';
import { createPolicyTimeline } from './policy-timeline.js';
import { createTour } from './tour.js';
import { createThingsToTry } from './info-panel.js';
import { createPhoneBar } from './phone-bar.js';
import { createFacilityInspector } from './facility-inspector.js';
import { createFlowReasons } from './flow-reasons.js';
import { createEmbedDialog } from './embed-dialog.js';
import { createVersionNotice } from './pinned-version.js';
import { createExports } from './chart-export.js';
import { createEnsemble } from './ensemble.js';
import { LANGUAGES, chooseLanguage, useLanguage, switchLanguage, applyStrings, onLanguageChange, lang, t, missing } from './i18n.js';

/** One chart of each kind: the time charts share their code, the Sankey and the map have their own. */
const REHEARSED = ['visit-shares', 'fund', 'sankey', 'map'];
/** A slider's value goes to the model once it has rested this long (ms): sliders fire
 * continuously while dragged. */
const LEVER_SETTLE_MS = 120;

const $ = (sel) => document.querySelector(sel);

const ui = {
  status: $('[data-status]'),
  day: $('[data-day]'),
  year: $('[data-year]'),
  progress: $('[data-progress]'),
  go: $('[data-action="go"]'),
  step: $('[data-action="step"]'),
  setup: $('[data-action="setup"]'),
  reset: $('[data-action="reset"]'),
  undo: $('[data-action="undo"]'),
  redo: $('[data-action="redo"]'),
  copyLink: $('[data-action="copy-link"]'),
  speed: $('[data-speed]'),
  speedLabel: $('[data-speed-label]'),
  preset: $('[data-preset]'),
  presetDesc: $('[data-preset-desc]'),
  presetError: $('#preset-error'),
  leverGroups: $('#lever-groups'),
  baseline: $('[data-baseline]'),
  banner: $('#banner'),
  kpis: $('[data-kpis]'),
  version: $('[data-version]'),
  language: $('[data-language]'),
};

/** The page's parts. Those that need the model's tables stay null until main() has them. */
const page = {
  /** The model's tables: levers, presets, outputs, settings, modelVersion. */
  meta: null,
  /** The scenario the page shows: preset, levers, population, years, seed, urban_share, baseline. */
  state: null,
  /** What was wrong with the link the page was opened with: `{ key, message }`. */
  problems: [],
  /** The lever controls (controls.js: `controls` by key, setValues, markChanged). */
  levers: null,
  /** The setting controls, by key. */
  settings: null,
  /** The preset select and its explanation (controls.js). */
  presetChoice: null,
  messages: createMessages(ui),
  /** The run (run-loop.js). */
  run: null,
  /** The panel and charts drawn from a snapshot (results-view.js). */
  results: null,
  /** The charts and their frame-budgeted drawing (chart-board.js). */
  board: null,
  /** The rehearsal of the charts' first draws (chart-rehearsal.js), until the first run. */
  rehearsal: null,
  /** New snapshots (or changes of view) so far, for tests. */
  updates: 0,
  /** Per lever, the timer that sends a moved slider's value once it settles. */
  leverTimers: new Map(),
  /** Lever changes that Undo and Redo step through (lever-history.js). */
  history: createLeverHistory(),
  /** Presentation mode (presentation.js). */
  presentation: null,
  /** Predict, then reveal (predict.js), and small multiples (small-multiples.js). */
  prediction: null,
  multiples: null,
  /** Saved runs, overlaid on the charts and key figures (saved-runs.js). */
  saved: null,
  /** Whether the language was chosen (by the link or the switch) rather than taken from the
   * browser: then the link keeps it. */
  langChosen: false,
};

/** The shortcuts as this platform writes them, for tooltips. */
const MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
const SHORTCUT = MAC ? { undo: '⌘Z', redo: '⇧⌘Z' } : { undo: 'Ctrl+Z', redo: 'Ctrl+Shift+Z' };

// ---------- state <-> controls <-> URL ----------

function applyStateToControls() {
  const { state, meta } = page;
  ui.preset.value = state.preset;
  page.presetChoice.show(state.preset);
  page.levers.setValues(state.levers);
  page.levers.markChanged(presetState(meta, state.preset).levers);
  for (const key of ['population', 'years', 'seed', 'urban_share']) page.settings.get(key)?.set(state[key]);
  ui.baseline.checked = state.baseline;
  page.timeline?.refresh();
}

function writeUrl() {
  let query = toQuery(page.state, page.meta);
  if (page.langChosen) query += `&lang=${encodeURIComponent(lang())}`;
  if (page.presentation) query = page.presentation.query(query);
  if (query !== location.search) history.replaceState(null, '', `${location.pathname}${query}${location.hash}`);
}

// ---------- the run on screen ----------

function updateButtons() {
  const { run } = page;
  const finished = run.finished();
  ui.go.textContent = t(run.running ? 'run.pause' : finished ? 'run.again' : 'run.go');
  const pending = run.leversPending();
  ui.go.title = t(run.running ? 'run.pauseTitle' : pending ? 'run.againPendingTitle' : finished ? 'run.againTitle' : 'run.goTitle');
  // Levers changed after the run finished wait for Again (style hook, and for tests).
  ui.go.toggleAttribute('data-levers-pending', pending);
  ui.go.setAttribute('aria-pressed', String(run.running));
  ui.go.classList.toggle('running', run.running);
  ui.step.disabled = run.running || !run.snapshot || finished;
  document.body.classList.toggle('is-running', run.running);
  publish();
}

/** A new snapshot (or a change of view): publish it and redraw over the next frames. */
function scheduleRender() {
  page.updates += 1;
  publish();
  page.inspector?.update();
  page.flowReasons?.update();
  // While Go streams snapshots the board redraws in rounds at its own pace; otherwise (a
  // step, a set-up, the run's last month, a change of view) at the next frame.
  page.board.invalidate(!page.run?.running);
}

/** A set-up was accepted: a value refused earlier and still typed in a setting's box gives
 * way to the one in force. */
function onSetUp() {
  for (const [key, c] of page.settings) {
    c.set(page.state[key]);
    c.refused = null;
  }
}

/** Progress inside a month, from the worker (large regions only). */
function onWorkerProgress({ phase, day, totalDays }) {
  if (phase === 'setup') {
    // Only while a set-up is in flight: a late message must not cover the outcome of one.
    if (page.run.settingUp) page.messages.say('status.settingUp', { residents: page.state.population });
  } else if (phase === 'run' && totalDays) {
    // The bar shows how far the model has run; the clock, the day the charts show (chart-board.js).
    page.results.showProgress(day / totalDays);
  }
}

/** A run starts: the charts' rehearsal gives the main thread back at once. */
function stopRehearsal() {
  if (page.rehearsal) page.rehearsal.stop();
}

/** The latest state for tests and curious users: `window.__explorer`. */
function publish() {
  const { run } = page;
  const snap = run.snapshot;
  Object.assign(window.__explorer, {
    ready: true,
    day: snap ? snap.day : 0,
    totalDays: snap ? snap.totalDays : 0,
    running: run.running,
    summary: snap ? snap.current.summary : null,
    baselineSummary: snap && snap.baseline ? snap.baseline.summary : null,
    scenario: scenarioOf(page.state),
    /** The levers in force in the model's worker, as it last reported them. */
    modelLevers: snap && snap.levers ? { ...snap.levers } : null,
    leversPending: run.leversPending(),
    history: page.history.sizes,
    problems: page.problems,
    lastError: page.messages.lastError,
    updates: page.updates,
    setups: run.setups,
    settingUp: run.settingUp,
    render: page.board.stats,
    savedRuns: page.saved ? page.saved.list() : [],
    lang: lang(),
    /** Strings keys the page asked for that the strings files lack (tests require none). */
    missingStrings: [...missing],
  });
}

// ---------- control events ----------

function onLeverInput(key, value) {
  // The value the control showed before the move: mid-run, the one in force (run-loop.js).
  page.history.record(key, page.run.shown[key] ?? page.state.levers[key], value);
  applyLever(key, value);
  showHistory();
}

/** A lever control is let go: the move is one step of the history. */
function onLeverCommit() {
  page.history.commit();
  showHistory();
}

/**
 * Lever `key` takes `value` in the page's state, the URL and the model, the same way for a
 * move, an undo or a redo (`how`): from the next day mid-run, in the set-up before a run,
 * for Again after it.
 */
function applyLever(key, value, how) {
  // Mid-run the start value stays: the run records the move in the timeline (run-loop.js).
  if (page.run.movesStart()) page.state.levers[key] = value;
  page.levers.markChanged(presetState(page.meta, page.state.preset).levers);
  page.levers.controls.get(key)?.clearError();
  writeUrl();
  clearTimeout(page.leverTimers.get(key));
  if (how) {
    // Undo and redo are single steps: they go to the model at once.
    page.leverTimers.delete(key);
    page.run.setLever(key, value, how);
    return;
  }
  // A slider fires as it is dragged: send the value once it settles.
  page.leverTimers.set(
    key,
    setTimeout(() => page.run.setLever(key, value), LEVER_SETTLE_MS),
  );
}

/** Undo (`how` 'undo') or Redo ('redo') of the latest lever change; false when there was none. */
function stepHistory(how) {
  const entry = how === 'undo' ? page.history.undo() : page.history.redo();
  if (entry) {
    const value = how === 'undo' ? entry.from : entry.to;
    page.levers.controls.get(entry.key)?.set(value);
    applyLever(entry.key, value, how);
  }
  showHistory();
  return !!entry;
}

/** The Undo and Redo buttons: enabled when there is a step to take, and what it would do. */
function showHistory() {
  const { history } = page;
  const u = history.canUndo ? history.nextUndo : null;
  const r = history.canRedo ? history.nextRedo : null;
  ui.undo.disabled = !u;
  ui.redo.disabled = !r;
  ui.undo.title = u ? t('history.undoTitle', { lever: leverLabel(u.key), value: u.from, shortcut: SHORTCUT.undo }) : t('history.undoNoneTitle', { shortcut: SHORTCUT.undo });
  ui.redo.title = r ? t('history.redoTitle', { lever: leverLabel(r.key), value: r.to, shortcut: SHORTCUT.redo }) : t('history.redoNoneTitle', { shortcut: SHORTCUT.redo });
  if (window.__explorer.ready) publish();
}

/** Ctrl+Z / Ctrl+Shift+Z (⌘ on macOS; Ctrl+Y too), except in a text field, which keeps the
 * browser's own undo of typing. */
function onHistoryKey(event) {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || !page.levers) return;
  const k = event.key.toLowerCase();
  const how = k === 'z' ? (event.shiftKey ? 'redo' : 'undo') : k === 'y' && !event.shiftKey ? 'redo' : null;
  if (!how) return;
  const t = event.target;
  const typing =
    t instanceof Element &&
    (t.isContentEditable || t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && !['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'color'].includes(t.type)));
  if (typing) return;
  event.preventDefault();
  stepHistory(how);
}

function onPresetChange() {
  // A preset sets every lever, so no earlier message about a lever still applies.
  page.messages.clearFieldErrors(new Set(['preset', ...page.levers.controls.keys()]));
  Object.assign(page.state, presetState(page.meta, ui.preset.value));
  page.run.dropHandMoves();
  // A new starting point: the lever history begins again (lever-history.js says why).
  page.history.clear();
  showHistory();
  applyStateToControls();
  writeUrl();
  page.run.setup();
}

async function resetToPreset() {
  Object.assign(page.state, presetState(page.meta, page.state.preset));
  page.run.dropHandMoves();
  page.history.clear();
  showHistory();
  applyStateToControls();
  writeUrl();
  await page.run.setup();
}

/**
 * A setting typed or picked by the user goes to the model as it is: the model validates it
 * and its message, naming the setting and the allowed values, appears beside the control.
 */
async function onSettingChange(key) {
  const { state, run } = page;
  const c = page.settings.get(key);
  const raw = c.control.value.trim();
  const value = key === 'seed' || raw === '' || !Number.isFinite(Number(raw)) ? raw : Number(raw);
  // Nothing new: the value in force, or the one just refused (a blur repeats the event).
  if (String(value) === String(state[key]) || raw === c.refused) return;
  c.clearError();
  c.refused = null;
  state[key] = value;
  if (await run.setup()) {
    writeUrl();
  } else if (run.settings) {
    c.refused = raw;
    // Refused: the state goes back to the run still on screen (the control keeps the
    // typed value beside its message, so it can be corrected).
    state[key] = run.settings[key];
  }
}

function onBaselineToggle() {
  page.state.baseline = ui.baseline.checked;
  writeUrl();
  page.run.refreshBaseline();
}

async function copyLink() {
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    ui.copyLink.textContent = t('link.copied');
  } catch {
    // Clipboard refused (e.g. no permission): show the link to copy by hand.
    page.messages.banner(`${escapeHtml(t('link.copyByHand'))} <input class="link-box" readonly value="${escapeHtml(url)}" aria-label="${escapeHtml(t('link.boxLabel'))}">`, 'info');
    ui.banner.querySelector('.link-box').select();
    ui.copyLink.textContent = t('link.copy');
  }
  setTimeout(() => {
    ui.copyLink.textContent = t('link.copy');
  }, 2000);
}

/** Go's speed from the slider, and its name beside it (in the page's language). */
function showSpeed() {
  page.run.speed = SPEEDS[Number(ui.speed.value) - 1] || SPEEDS[3];
  ui.speedLabel.textContent = page.run.speed.label;
}

/** The clock before the first snapshot: day 0 of the default horizon (results-view.js draws
 * it from each snapshot on). */
function showStartClock() {
  ui.day.textContent = t('page.clock.day', { day: 0 });
  ui.year.textContent = t('page.clock.year', { year: 1, years: DEFAULT_SETTINGS.years });
}

function wireControls() {
  const { run } = page;
  ui.setup.addEventListener('click', () => {
    // A new region from the levers as shown: moves by hand become start values (run-loop.js).
    run.foldHandMoves();
    run.setup();
  });
  ui.go.addEventListener('click', () => {
    stopRehearsal();
    run.go();
  });
  ui.step.addEventListener('click', () => {
    stopRehearsal();
    run.step();
  });
  ui.reset.addEventListener('click', () => resetToPreset());
  ui.undo.addEventListener('click', () => stepHistory('undo'));
  ui.redo.addEventListener('click', () => stepHistory('redo'));
  document.addEventListener('keydown', onHistoryKey);
  showHistory();
  ui.preset.addEventListener('change', onPresetChange);
  ui.baseline.addEventListener('change', onBaselineToggle);
  ui.speed.addEventListener('input', showSpeed);
  showSpeed();
  for (const [key, c] of page.settings) c.control.addEventListener('change', () => onSettingChange(key));
  ui.copyLink.addEventListener('click', copyLink);
  ui.banner.querySelector('.banner-close').addEventListener('click', () => {
    ui.banner.hidden = true;
  });
}

// ---------- guidance: the tour, the Info panel, Things to try ----------

/**
 * Applies a scenario given as a link's query (a thing to try), the way opening that link
 * would: a new starting point, so the lever history begins again and the run is set up.
 * Run settings the query does not name (residents, years, seed, the status-quo comparison)
 * stay as the user chose them. Resolves to whether the model accepted the set-up.
 */
function loadScenario(query) {
  const params = new URLSearchParams(query);
  const { state, problems } = parseUrl(query, page.meta);
  for (const key of ['population', 'years', 'seed', 'baseline']) if (!params.has(key)) state[key] = page.state[key];
  for (const timer of page.leverTimers.values()) clearTimeout(timer);
  page.leverTimers.clear();
  page.messages.clearFieldErrors(new Set(['preset', ...page.levers.controls.keys(), ...page.settings.keys()]));
  Object.assign(page.state, state);
  for (const p of problems) page.messages.showFieldError(p.key, p.message);
  page.history.clear();
  showHistory();
  applyStateToControls();
  writeUrl();
  return page.run.setup();
}

/** The tour (its button, and by itself on a first visit) and the Things-to-try buttons. */
function startGuidance() {
  const tourButton = $('[data-action="tour"]');
  const tour = createTour({
    button: tourButton,
    onChange: (state) => {
      window.__explorer.tour = { ...state, steps: tour.steps };
    },
  });
  window.__explorer.tour = { open: false, step: -1, id: null, steps: tour.steps };
  // Presentation mode hides the parts the tour points at.
  $('[data-action="present"]').addEventListener('click', () => tour.end());
  createThingsToTry({
    card: $('.card-try'),
    infoPart: $('[data-info-part="try"]'),
    load: loadScenario,
    next: ui.go,
  });
  tour.startIfFirstVisit();
}

// ---------- start ----------

/** `window.__explorer` before the model is loaded: the charts, and ways to read them. */
function createExplorerHandle() {
  const { board } = page;
  window.__explorer = {
    ready: false,
    echarts,
    charts: board.charts,
    /** The data of every series of chart `name`, as `{ id, name, data }` (drawn first if stale). */
    chartData(name) {
      const chart = board.charts.get(name);
      if (!chart) return null;
      board.flush(name);
      const option = chart.getOption();
      // Series removed by a later draw (replaceMerge) are left as holes in the option.
      // `marks`: the lever marks a series carries (markLine), as `{ xAxis (years), name }`.
      return (option.series || [])
        .filter(Boolean)
        .map((s) => ({ id: s.id, name: s.name, data: s.data, links: s.links, marks: s.markLine?.data?.map((m) => ({ xAxis: m.xAxis, yAxis: m.yAxis, name: m.name })) }));
    },
    /** Redraws chart `name` now and returns the milliseconds it took (page benchmark). */
    drawNow: (name) => board.drawNow(name),
  };
}

/** A lever's or setting's name and allowed values in the page's language, for the messages
 * that retell a model error (page-messages.js); null for other keys. */
function describeKey(key) {
  const spec = page.meta.levers.find((l) => l.key === key);
  if (spec) return { label: leverLabel(key), allowed: leverAllowed(spec) };
  const labels = { population: 'page.settings.population', years: 'page.settings.years', seed: 'page.settings.seed', urban_share: 'page.settings.urbanShare' };
  if (!labels[key]) return null;
  const model = page.meta.settings?.find((s) => s.name === key)?.description || '';
  return { label: t(labels[key]), allowed: settingAllowed(key, model) };
}

/** Shows the problems of the link the page was opened with, beside their controls and in the banner. */
function showLinkProblems() {
  const { problems, messages } = page;
  for (const p of problems) messages.showFieldError(p.key, p.message);
  if (problems.length) {
    const items = problems.map((p) => `<li>${escapeHtml(t('link.problem', { message: p.message }))}</li>`).join('');
    messages.banner(`<b>${escapeHtml(t('link.problemsTitle'))}</b><ul>${items}</ul>`, 'warn');
  }
}

/** The language switch in the header: one option per language, the page's selected. */
function buildLanguageSwitch() {
  for (const { code, name } of LANGUAGES) {
    const opt = document.createElement('option');
    opt.value = code;
    opt.lang = code;
    opt.textContent = name;
    ui.language.append(opt);
  }
  ui.language.value = lang();
  ui.language.addEventListener('change', async () => {
    page.langChosen = true;
    await switchLanguage(ui.language.value);
    if (page.meta) writeUrl();
  });
}

/** After a language switch: what the page wrote from code is written again. */
function onLanguageSwitched() {
  ui.language.value = lang();
  page.messages.sayAgain();
  if (!page.run?.snapshot) showStartClock();
  if (!page.meta) return;
  ui.version.textContent = t('page.version', { version: page.meta.modelVersion });
  showSpeed();
  updateButtons();
  showHistory();
  page.board.invalidate();
}

// ---------- presentation mode, predict then reveal, small multiples (tools) ----------

/** The runs small multiples draw: the run on screen, the status quo beside it, each saved run. */
function multiplesRuns() {
  const snap = page.run?.snapshot;
  const out = [];
  if (snap) {
    const { day, totalDays, monthStarts } = snap;
    out.push({ kind: 'current', name: 'current', day, totalDays, monthStarts, months: snap.current.months, marks: page.run.marks });
    if (snap.baseline) out.push({ kind: 'baseline', name: 'baseline', day, totalDays, monthStarts, months: snap.baseline.months });
  }
  for (const r of page.saved ? page.saved.all() : []) out.push({ kind: 'saved', ...r });
  return out;
}

/** Presentation mode (with predict inside it), predict then reveal, and small multiples. */
function wireTools() {
  page.prediction = createPrediction({
    button: $('[data-action="predict"]'),
    before: ui.kpis,
    results: () => ({ summary: window.__explorer.summary, baseline: window.__explorer.baselineSummary }),
    horizonYears: () => (page.run?.snapshot ? page.run.snapshot.totalDays / YEAR_DAYS : page.state?.years || 5),
    onReveal: () => {
      // A prediction is drawn on the visit-shares chart: presenting, it comes on screen.
      page.presentation.bringIn('visit-shares');
      page.board.invalidate();
    },
  });
  page.presentation = createPresentation({
    button: $('[data-action="present"]'),
    bar: $('.run-box'),
    actions: { go: ui.go, step: ui.step },
    onPredict: () => page.prediction.toggle(),
    onChange: () => {
      if (page.meta) writeUrl();
      page.board.invalidate();
      window.__explorer.presenting = page.presentation.active;
      window.__explorer.presentedCharts = page.presentation.charts;
    },
  });
  page.multiples = createSmallMultiples({ echarts, before: $('#results .grid'), runs: multiplesRuns });
}

async function main() {
  const { messages } = page;
  // The model's worker starts loading the wasm at once, while the strings load.
  const client = createSimClient(onWorkerProgress);
  const metaLoad = client.meta();
  metaLoad.catch(() => {}); // awaited below, where a failure is reported
  // The strings first: everything the page writes is in the chosen language.
  const language = chooseLanguage(location.search);
  page.langChosen = language.fromUrl;
  try {
    await useLanguage(language.lang);
  } catch (err) {
    // Without strings the page would show keys: say so plainly, in both languages.
    ui.status.textContent = `The page's texts could not be loaded (${err.message}). 页面文字无法加载。`;
    return;
  }
  applyStrings();
  messages.say('status.loading');
  showStartClock();
  buildLanguageSwitch();
  onLanguageChange(onLanguageSwitched);
  // The charts exist (empty) while the model loads; they draw once there is a run.
  page.board = createChartBoard(echarts, {
    capture: () => page.run?.snapshot,
    drawPanel: (view) => {
      page.ensemble?.drawFigures(ui.kpis);
      page.results?.drawPanel(view);
    },
    drawChart: (name, chart, view) => {
      // The ensemble's effect view replaces a time chart's lines (its scenario view adds bands
      // to the page's own option: see `adjust` below).
      if (page.ensemble?.drawInstead(name, chart)) return;
      page.results?.drawChart(name, chart, view);
      page.prediction?.drawOverlay(name, chart);
    },
  });
  wireTools();
  createExplorerHandle();
  if (presentRequested(location.search)) page.presentation.enter();
  try {
    page.meta = await metaLoad;
  } catch (err) {
    messages.say('status.loadFailed');
    messages.banner(`<b>${escapeHtml(t('status.loadFailed'))}</b> ${escapeHtml(err.message)}. ${t('status.loadFailedHowHtml')}`, 'error');
    window.__explorer.loadError = err.message;
    return;
  }
  const { meta } = page;
  ui.version.textContent = t('page.version', { version: meta.modelVersion });
  page.presetChoice = presetChoice(ui.preset, ui.presetDesc, meta.presets);
  page.levers = buildLeverControls(ui.leverGroups, meta.levers, onLeverInput, onLeverCommit);
  page.settings = settingControls();
  messages.addFields(page.levers.controls);
  messages.addFields(page.settings);
  messages.describeKey = describeKey;

  const { state, problems, version: linkVersion } = parseUrl(location.search, meta);
  // Pinned links (issue 19): a link made with another model version says so, and offers the
  // archived version (pinned-version.js).
  createVersionNotice({ after: ui.banner, linkVersion, modelVersion: meta.modelVersion, search: location.search });
  if (language.problem) {
    const { value, allowed } = language.problem;
    problems.push({ key: 'lang', message: t('link.badLang', { value, allowed }) });
  }
  page.state = state;
  page.problems = problems;
  page.run = createRun({
    client,
    baselineRun: createBaselineRun(() => createSimClient(() => {}), seriesNeeded()),
    state,
    meta,
    series: seriesNeeded(),
    messages,
    onChange: updateButtons,
    onSnapshot: scheduleRender,
    onSetUp,
    // Pinned links (issue 19): a lever moved by hand mid-run is a timeline entry (run-loop.js).
    onScenarioChange: () => {
      writeUrl();
      page.timeline?.refresh();
    },
    onLeversShown: (levers) => {
      page.levers.setValues(levers);
      page.levers.markChanged(presetState(meta, state.preset).levers);
    },
    onProgress: (fraction) => page.results.showProgress(fraction),
  });
  page.saved = createSavedRuns({
    root: $('[data-saved-box]'),
    key: $('[data-saved-key]'),
    meta,
    current: () => ({ snap: page.run.snapshot, state: page.state }),
    onChange: () => {
      scheduleRender();
      page.multiples.refresh();
    },
    onMultiples: () => page.multiples.toggle(),
  });
  page.results = createResultsView({ ui, outputs: meta.outputs, state, run: page.run, saved: () => page.saved.overlays(), adjust: (option) => page.presentation.adjust(page.ensemble ? page.ensemble.withBands(option) : option) });
  // The policy timeline box (policy-timeline.js): its entries are in `state.timeline`, the run
  // applies them (run-loop.js) and the link keeps them; a link's bad entries show beside it.
  page.timeline = createPolicyTimeline({
    root: $('[data-timeline]'),
    meta,
    state,
    runDay: () => page.run.snapshot?.day ?? null,
    monthStarts: () => page.run.snapshot?.monthStarts ?? null,
    onChange: writeUrl,
  });
  messages.addFields([['at', page.timeline.field]]);
  // ---------- uncertainty bands (ensemble.js, issue 19) ----------
  // Pairs wait while the page's own run is in flight; the bands redraw with the board.
  page.ensemble = createEnsemble({
    root: $('[data-ensemble]'),
    state,
    series: seriesNeeded(),
    busy: () => page.run.running || page.run.stepping || page.run.settingUp > 0,
    onChange: (now = true) => page.board.invalidate(now, TIME_CHARTS.map((c) => c.name)),
    onPairs: writeUrl,
    adjust: page.presentation.adjust,
    // The bands' first draws are slow (ECharts' stacked areas not yet compiled): rehearse them
    // out of sight while the first pairs compute, as the charts' first draws are at load.
    warmUp: () => {
      if (!page.run.snapshot) return;
      const fake = rehearsalAggregate(page.run.snapshot);
      const specs = new Map(TIME_CHARTS.map((c) => [c.name, c]));
      rehearse(echarts, ['visit-shares', 'trust-cooperation'], (name, chart) =>
        chart.setOption(effectChartOption(specs.get(name), fake, []), { replaceMerge: ['series'] }),
      );
    },
  });
  window.__explorer.ensemble = page.ensemble;
  // A link with `pairs=` (url-state.js, after H5) asks for the ensemble. Started once the
  // set-up below has begun, so its pairs wait for it.
  if (state.pairs != null) queueMicrotask(() => page.ensemble.start());
  // On a phone: the key figures, the primary share's line, Go and Step stay on screen (phone-bar.js).
  createPhoneBar({ kpis: ui.kpis, go: ui.go, step: ui.step, snapshot: () => page.run.snapshot, baselineShown: () => page.state.baseline });
  // "Why did it happen?": click a facility on the map, or a band of the Sankey.
  page.inspector = createFacilityInspector({ echarts, board: page.board, client, run: page.run });
  page.flowReasons = createFlowReasons({ board: page.board, client, run: page.run });
  window.__explorer.inspector = page.inspector;
  window.__explorer.flowReasons = page.flowReasons;
  // ---------- Embed (issue 19): the scenario as a <consortium-sim> snippet or an iframe ----------
  page.embed = createEmbedDialog({
    button: $('[data-action="embed"]'),
    dialog: $('[data-embed-dialog]'),
    current: () => ({ snap: page.run.snapshot, state: page.state, meta, query: toQuery(page.state, meta), marks: page.run.marks }),
  });
  // ---------- export (issue 19, chart-export.js): PNG and SVG per chart; the header's menu
  // downloads the scenario file and the monthly CSV, and opens a scenario file as a link would.
  page.exports = createExports({
    board: page.board,
    meta,
    state: () => page.state,
    snapshot: () => page.run.snapshot,
    savedRuns: () => page.saved.all(),
    load: loadScenario,
  });
  window.__explorer.exports = page.exports;
  applyStateToControls();
  showLinkProblems();
  writeUrl();
  wireControls();
  publish();

  if (await page.run.setup()) {
    const fake = rehearsalSnapshot(page.run.snapshot);
    page.rehearsal = rehearse(echarts, REHEARSED, (name, chart) => page.results.drawChart(name, chart, fake, fake.flows));
    window.__explorer.rehearsal = page.rehearsal;
  }
  startGuidance();
}

main();
registerServiceWorker();
