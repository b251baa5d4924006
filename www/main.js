// Wires the explorer: controls and URL state on one side, the model worker on the other,
// and the charts in between. The model itself never runs on this thread.

import * as echarts from './vendor/echarts.js';
import { createSimClient } from './sim-client.js';
import { buildLeverControls, settingControls } from './controls.js';
import { parseUrl, presetState, toQuery } from './url-state.js';
import { TIME_CHARTS, timeChartOption, seriesNeeded } from './charts.js';
import { sankeyOption } from './referral-sankey.js';
import { mapOption, recentFlows } from './region-map.js';
import { PRESET_LABELS } from './lever-notes.js';
import { renderKpis, setText } from './key-figures.js';
import { createBaselineRun } from './baseline-run.js';
import { createChartBoard } from './chart-board.js';
import { rehearse, rehearsalSnapshot } from './chart-rehearsal.js';
import { MONTH_DAYS, YEAR_DAYS } from './calendar.js';

const MAP_WINDOW_DAYS = 90;
const SPEEDS = [
  { label: 'Slowest', months: 1, delay: 700 },
  { label: 'Slow', months: 1, delay: 300 },
  { label: 'Normal', months: 1, delay: 100 },
  { label: 'Fast', months: 1, delay: 0 },
  { label: 'Fastest', months: 3, delay: 0 },
];
/** Whether the baseline worker may run alongside the current one in large regions, whose
 * long steps would otherwise keep both cores of a small machine busy (needs 3+ cores). */
const PARALLEL = (navigator.hardwareConcurrency || 1) >= 3;
/** Above this many residents the worker reports progress inside each month. */
const LARGE_POPULATION = 300_000;

const $ = (sel) => document.querySelector(sel);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const ui = {
  status: $('[data-status]'),
  day: $('[data-day]'),
  year: $('[data-year]'),
  progress: $('[data-progress]'),
  go: $('[data-action="go"]'),
  step: $('[data-action="step"]'),
  setup: $('[data-action="setup"]'),
  reset: $('[data-action="reset"]'),
  speed: $('[data-speed]'),
  speedLabel: $('[data-speed-label]'),
  preset: $('[data-preset]'),
  presetDesc: $('[data-preset-desc]'),
  presetError: $('#preset-error'),
  baseline: $('[data-baseline]'),
  banner: $('#banner'),
  kpis: $('[data-kpis]'),
  version: $('[data-version]'),
};

let meta = null;
/** Keys whose error line shows a model error from the last setup (cleared on the next). */
const modelErrorKeys = new Set();
let client = null;
let baselineRun = null;
let levers = null;
let settings = null;
/** The scenario the page shows: preset, levers, population, years, seed, urban_share, baseline. */
let state = null;
const run = {
  snapshot: null,
  running: false,
  stepping: false,
  /** Setups in flight: Go and Step wait for the new run rather than step the old one. */
  settingUp: 0,
  generation: 0,
  marks: [],
  flowHistory: [],
  updates: 0,
  setups: 0,
  lastError: null,
  problems: [],
};
/** The charts and their frame-budgeted drawing (chart-board.js). */
let board = null;
/** The rehearsal of the charts' first draws (chart-rehearsal.js), until the first run. */
let rehearsal = null;
/** One chart of each kind: the time charts share their code, the Sankey and the map have their own. */
const REHEARSED = ['visit-shares', 'fund', 'sankey', 'map'];

// ---------- messages ----------

function setStatus(text) {
  ui.status.textContent = text;
}

function showBanner(html, kind = 'warn') {
  ui.banner.querySelector('.banner-body').innerHTML = html;
  ui.banner.dataset.kind = kind;
  ui.banner.hidden = false;
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** The key a model error message names: "... for 'info_sharing': ..." or "unknown preset 'x'". */
function keyOf(message) {
  const m = /for '([A-Za-z0-9_]+)'/.exec(message) || /unknown [a-z ]+ '([A-Za-z0-9_]+)'/.exec(message);
  if (/^unknown preset/.test(message)) return 'preset';
  return m ? m[1] : null;
}

/** Shows an error next to the control it names; returns whether a control was found. */
function showFieldError(key, message) {
  if (key === 'preset') {
    ui.presetError.textContent = message;
    ui.presetError.hidden = false;
    return true;
  }
  const c = levers.controls.get(key) || settings.get(key);
  if (!c) return false;
  c.showError(message);
  return true;
}

/** Clears the error lines of `keys` (all of them when omitted). */
function clearFieldErrors(keys) {
  for (const [key, c] of [...levers.controls, ...settings]) if (!keys || keys.has(key)) c.clearError();
  if (!keys || keys.has('preset')) ui.presetError.hidden = true;
}

function reportModelError(err, fallbackKey) {
  const message = err.message || String(err);
  run.lastError = message;
  const key = keyOf(message) || fallbackKey;
  const placed = key ? showFieldError(key, message) : false;
  if (placed) modelErrorKeys.add(key);
  setStatus(placed ? `Not applied: see the message under “${key}”.` : `Error: ${message}`);
  if (!placed) showBanner(`<b>The model reported a problem.</b> ${escapeHtml(message)}`, 'error');
}

// ---------- state <-> controls <-> URL ----------

function applyStateToControls() {
  ui.preset.value = state.preset;
  ui.presetDesc.textContent = meta.presets.find((p) => p.name === state.preset)?.description || '';
  levers.setValues(state.levers);
  levers.markChanged(presetState(meta, state.preset).levers);
  for (const key of ['population', 'years', 'seed', 'urban_share']) settings.get(key)?.set(state[key]);
  ui.baseline.checked = state.baseline;
}

function writeUrl() {
  const query = toQuery(state, meta);
  if (query !== location.search) history.replaceState(null, '', `${location.pathname}${query}${location.hash}`);
}

function scenarioOf(s) {
  return { preset: s.preset, levers: { ...s.levers }, population: s.population, years: s.years, seed: String(s.seed), urban_share: s.urban_share };
}

// ---------- running ----------

function speed() {
  return SPEEDS[Number(ui.speed.value) - 1] || SPEEDS[3];
}

function chunkDays() {
  return state.population >= LARGE_POPULATION ? 5 : MONTH_DAYS;
}

function finished() {
  return run.snapshot && run.snapshot.day >= run.snapshot.totalDays;
}

function updateButtons() {
  ui.go.textContent = run.running ? 'Pause ❚❚' : finished() ? 'Again ↻' : 'Go ▶';
  ui.go.title = run.running
    ? 'Pause after the month in progress'
    : finished()
      ? 'Set up the same scenario again and run it from day 0'
      : 'Run month after month until the horizon; press again to pause';
  ui.go.setAttribute('aria-pressed', String(run.running));
  ui.go.classList.toggle('running', run.running);
  ui.step.disabled = run.running || !run.snapshot || finished();
  document.body.classList.toggle('is-running', run.running);
  publish();
}

/** Joins the current run's snapshot and the baseline's outputs at the same day. */
function compose(cur, base) {
  return {
    day: cur.day,
    totalDays: cur.totalDays,
    regionSide: cur.regionSide,
    flows: cur.flows,
    scenario: cur.scenario,
    current: { summary: cur.summary, months: cur.months, facilities: cur.facilities },
    baseline: base,
  };
}

/**
 * Runs the current and the baseline request: in parallel when the machine has cores to
 * spare, else one after the other, so a core always stays free for the page itself.
 */
async function both(current, baseline) {
  if (PARALLEL || state.population < LARGE_POPULATION) return Promise.all([current(), baseline()]);
  const cur = await current();
  return [cur, await baseline()];
}

function baselineAt(day, settings = run.settings) {
  return state.baseline ? baselineRun.at(settings, day) : Promise.resolve(null);
}

/** Builds a new run from the page's state; resolves to whether the model accepted it. */
function setup() {
  run.lastSetup = buildRun();
  return run.lastSetup;
}

async function buildRun() {
  run.running = false;
  run.settingUp += 1;
  const generation = ++run.generation;
  // Messages about a link's values stay until their control is used; model errors from
  // the previous attempt go.
  clearFieldErrors(modelErrorKeys);
  modelErrorKeys.clear();
  updateButtons();
  setStatus(`Setting up ${state.population.toLocaleString('en-US')} residents…`);
  ui.progress.removeAttribute('value');
  try {
    const scenario = scenarioOf(state);
    const settingsNext = { population: scenario.population, years: scenario.years, seed: scenario.seed, urban_share: scenario.urban_share };
    const [cur, base] = await both(() => client.setup(scenario, seriesNeeded()), () => baselineAt(0, settingsNext));
    if (generation !== run.generation) return false;
    const snap = compose(cur, base);
    // The settings of the run on screen; a refused scenario leaves the previous run (and
    // these) in place, in the workers too.
    run.settings = settingsNext;
    run.snapshot = snap;
    // A value refused earlier and still typed in a setting's box gives way to the one in force.
    for (const [key, c] of settings) {
      c.set(state[key]);
      c.refused = null;
    }
    run.marks = [];
    run.flowHistory = [{ day: snap.day, flows: snap.flows }];
    run.setups += 1;
    setStatus('Ready. Press Go ▶ (or Step) to run; move any lever at any time.');
    scheduleRender();
    return true;
  } catch (err) {
    if (generation !== run.generation) return false;
    reportModelError(err);
    return false;
  } finally {
    run.settingUp -= 1;
    if (generation === run.generation) ui.progress.value = run.snapshot ? run.snapshot.day / run.snapshot.totalDays : 0;
    updateButtons();
  }
}

async function advance(days) {
  const generation = run.generation;
  const target = Math.min(run.snapshot.day + days, run.snapshot.totalDays);
  const [cur, base] = await both(() => client.step(days, chunkDays()), () => baselineAt(target));
  if (generation !== run.generation) return false;
  const snap = compose(cur, base);
  run.snapshot = snap;
  run.flowHistory.push({ day: snap.day, flows: snap.flows });
  while (run.flowHistory.length > 2 && run.flowHistory[1].day <= snap.day - MAP_WINDOW_DAYS) run.flowHistory.shift();
  scheduleRender();
  return true;
}

/** A run starts: the charts' rehearsal gives the main thread back at once. */
function stopRehearsal() {
  if (rehearsal) rehearsal.stop();
}

async function go() {
  stopRehearsal();
  if (run.running) {
    // The month in progress finishes first; the loop below reports where it paused.
    run.running = false;
    setStatus('Pausing…');
    updateButtons();
    return;
  }
  // Pressed while a new run is being built: start it once it is ready.
  while (run.settingUp) await run.lastSetup;
  if (run.running) return;
  if (!run.snapshot || finished()) await setup();
  if (!run.snapshot || run.running) return;
  run.running = true;
  updateButtons();
  setStatus('Running…');
  const generation = run.generation;
  try {
    while (run.running && generation === run.generation && !finished()) {
      const s = speed();
      const t0 = performance.now();
      if (!(await advance(s.months * MONTH_DAYS))) break;
      const wait = s.delay - (performance.now() - t0);
      if (wait > 0) await sleep(wait);
    }
    if (generation === run.generation && finished()) setStatus(`Finished: ${state.years} years simulated. Again ↻ reruns it; move levers first to compare.`);
    else if (generation === run.generation) setStatus(`Paused at day ${run.snapshot.day}. Go ▶ continues.`);
  } catch (err) {
    reportModelError(err);
  } finally {
    if (generation === run.generation) run.running = false;
    updateButtons();
  }
}

async function stepOnce() {
  stopRehearsal();
  // Busy steps are ignored rather than disabling the button, which would drop keyboard focus.
  if (run.running || run.stepping) return;
  run.stepping = true;
  try {
    // Pressed while a new run is being built: step that one once it is ready.
    while (run.settingUp) await run.lastSetup;
    if (!run.snapshot || finished()) return;
    await advance(MONTH_DAYS);
    setStatus(`Stepped to day ${run.snapshot.day}.`);
  } catch (err) {
    reportModelError(err);
  } finally {
    run.stepping = false;
    updateButtons();
  }
}

async function resetToPreset() {
  Object.assign(state, presetState(meta, state.preset));
  applyStateToControls();
  writeUrl();
  await setup();
}

// ---------- control events ----------

const leverTimers = new Map();

function onLeverInput(key, value) {
  state.levers[key] = value;
  levers.markChanged(presetState(meta, state.preset).levers);
  levers.controls.get(key)?.clearError();
  writeUrl();
  // Sliders fire continuously while dragged: send the value once it settles.
  clearTimeout(leverTimers.get(key));
  leverTimers.set(
    key,
    setTimeout(() => sendLever(key, value), 120),
  );
}

async function sendLever(key, value) {
  if (!run.snapshot) return;
  const day = run.snapshot.day;
  try {
    await client.setLever(key, value);
    const label = `${key} = ${value}`;
    const last = run.marks[run.marks.length - 1];
    if (last && last.day === day) last.label = label;
    else if (day > 0) run.marks.push({ day, label });
    if (day > 0) setStatus(`${key} set to ${value} from day ${day + 1}.`);
    scheduleRender();
  } catch (err) {
    reportModelError(err, key);
  }
}

function onPresetChange() {
  // A preset sets every lever, so no earlier message about a lever still applies.
  clearFieldErrors(new Set(['preset', ...levers.controls.keys()]));
  Object.assign(state, presetState(meta, ui.preset.value));
  applyStateToControls();
  writeUrl();
  setup();
}

/**
 * A setting typed or picked by the user goes to the model as it is: the model validates it
 * and its message, naming the setting and the allowed values, appears beside the control.
 */
async function onSettingChange(key) {
  const c = settings.get(key);
  const raw = c.control.value.trim();
  const value = key === 'seed' || raw === '' || !Number.isFinite(Number(raw)) ? raw : Number(raw);
  // Nothing new: the value in force, or the one just refused (a blur repeats the event).
  if (String(value) === String(state[key]) || raw === c.refused) return;
  c.clearError();
  c.refused = null;
  state[key] = value;
  if (await setup()) {
    writeUrl();
  } else if (run.settings) {
    c.refused = raw;
    // Refused: the state goes back to the run still on screen (the control keeps the
    // typed value beside its message, so it can be corrected).
    state[key] = run.settings[key];
  }
}

async function onBaselineToggle() {
  state.baseline = ui.baseline.checked;
  writeUrl();
  if (!run.snapshot) return;
  const generation = run.generation;
  const day = run.snapshot.day;
  try {
    if (state.baseline) setStatus('Running the status-quo baseline…');
    const base = await baselineAt(day);
    if (generation !== run.generation || run.snapshot.day !== day) return;
    run.snapshot.baseline = base;
    if (state.baseline) setStatus('Baseline shown dashed.');
    scheduleRender();
  } catch (err) {
    reportModelError(err);
  }
}

async function copyLink() {
  const button = $('[data-action="copy-link"]');
  const url = location.href;
  try {
    await navigator.clipboard.writeText(url);
    button.textContent = 'Link copied ✓';
  } catch {
    // Clipboard refused (e.g. no permission): show the link to copy by hand.
    showBanner(`Copy this link: <input class="link-box" readonly value="${escapeHtml(url)}" aria-label="Link to this scenario">`, 'info');
    ui.banner.querySelector('.link-box').select();
    button.textContent = 'Copy link';
  }
  setTimeout(() => {
    button.textContent = 'Copy link';
  }, 2000);
}

// ---------- rendering ----------

function onProgress({ phase, day, totalDays }) {
  if (phase === 'setup') {
    setStatus(`Setting up ${state.population.toLocaleString('en-US')} residents…`);
  } else if (phase === 'baseline') {
    setStatus(`Building the status-quo baseline… day ${day}`);
  } else if (phase === 'run' && totalDays) {
    ui.progress.value = day / totalDays;
    showClock(day, totalDays);
  }
}

function showClock(day, totalDays) {
  const years = Math.round(totalDays / YEAR_DAYS);
  const year = Math.min(years, Math.floor(day / YEAR_DAYS) + 1);
  setText(ui.day, `Day ${day.toLocaleString('en-US')}`);
  setText(ui.year, `Year ${year} of ${years}`);
}

/** A new snapshot (or a change of view): publish it and redraw over the next frames. */
function scheduleRender() {
  run.updates += 1;
  publish();
  board.invalidate();
}

/** The cheap parts of the page, redrawn once per frame: clock, progress, key figures. */
function drawPanel() {
  const snap = run.snapshot;
  if (!snap) return;
  showClock(snap.day, snap.totalDays);
  ui.progress.value = snap.day / snap.totalDays;
  const v = view();
  renderKpis(ui.kpis, meta.outputs, v.summary, v.baselineSummary);
}

function view(snap = run.snapshot) {
  const showBaseline = state.baseline && !!snap.baseline;
  const hasData = snap.day > 0;
  return {
    showBaseline,
    marks: run.marks,
    summary: hasData ? snap.current.summary : null,
    baselineSummary: hasData && showBaseline ? snap.baseline.summary : null,
  };
}

function mapFlows(snap) {
  const target = snap.day - MAP_WINDOW_DAYS;
  let earlier = run.flowHistory[0];
  for (const h of run.flowHistory) if (h.day <= target) earlier = h;
  if (!earlier || earlier.day >= snap.day) return snap.flows;
  return recentFlows(snap.flows, earlier.flows);
}

/** Draws chart `name` from the latest snapshot (or from `snap`; the map from `flows`, by
 * default the snapshot's recent flows). */
function drawChart(name, chart, snap = run.snapshot, flows = null) {
  if (!snap || !chart) return;
  const v = view(snap);
  let option;
  if (name === 'sankey') {
    option = sankeyOption(v.summary, v.baselineSummary);
  } else if (name === 'map') {
    const el = chart.getDom();
    option = mapOption(snap, flows || mapFlows(snap), { width: el.clientWidth, height: el.clientHeight });
  } else {
    const spec = TIME_CHARTS.find((c) => c.name === name);
    if (!spec) return;
    option = timeChartOption(spec, snap, v);
  }
  chart.setOption(option, { replaceMerge: ['series'] });
}

/** The latest state for tests and curious users: `window.__explorer`. */
function publish() {
  const snap = run.snapshot;
  Object.assign(window.__explorer, {
    ready: true,
    day: snap ? snap.day : 0,
    totalDays: snap ? snap.totalDays : 0,
    running: run.running,
    summary: snap ? snap.current.summary : null,
    baselineSummary: snap && snap.baseline ? snap.baseline.summary : null,
    scenario: scenarioOf(state),
    problems: run.problems,
    lastError: run.lastError,
    updates: run.updates,
    setups: run.setups,
    settingUp: run.settingUp,
    render: board.stats,
  });
}

// ---------- start ----------

async function main() {
  board = createChartBoard(echarts, { drawPanel, drawChart });
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
      return (option.series || []).map((s) => ({ id: s.id, name: s.name, data: s.data, links: s.links }));
    },
    /** Redraws chart `name` now and returns the milliseconds it took (page benchmark). */
    drawNow: (name) => board.drawNow(name),
  };
  client = createSimClient(onProgress);
  baselineRun = createBaselineRun(() => createSimClient(() => {}), seriesNeeded());
  try {
    meta = await client.meta();
  } catch (err) {
    setStatus('The model could not be loaded.');
    showBanner(
      `<b>The model could not be loaded.</b> ${escapeHtml(err.message)}. Build it with <code>bash scripts/build-web.sh</code> and reload.`,
      'error',
    );
    window.__explorer.loadError = err.message;
    return;
  }
  ui.version.textContent = `model v${meta.modelVersion}`;
  ui.step.title = `Run one month (${MONTH_DAYS} days)`;
  for (const p of meta.presets) {
    const opt = document.createElement('option');
    opt.value = p.name;
    opt.textContent = PRESET_LABELS[p.name] || p.name;
    ui.preset.append(opt);
  }
  levers = buildLeverControls($('#lever-groups'), meta.levers, onLeverInput);
  settings = settingControls();

  const { state: fromUrl, problems } = parseUrl(location.search, meta);
  state = fromUrl;
  run.problems = problems;
  applyStateToControls();
  for (const p of problems) showFieldError(p.key, p.message);
  if (problems.length) {
    const items = problems.map((p) => `<li>${escapeHtml(p.message)}. The default was used instead.</li>`).join('');
    showBanner(`<b>Some values in this link could not be used:</b><ul>${items}</ul>`, 'warn');
  }
  writeUrl();

  ui.setup.addEventListener('click', () => setup());
  ui.go.addEventListener('click', () => go());
  ui.step.addEventListener('click', () => stepOnce());
  ui.reset.addEventListener('click', () => resetToPreset());
  ui.preset.addEventListener('change', onPresetChange);
  ui.baseline.addEventListener('change', onBaselineToggle);
  ui.speed.addEventListener('input', () => {
    ui.speedLabel.textContent = speed().label;
  });
  ui.speedLabel.textContent = speed().label;
  for (const [key, c] of settings) c.control.addEventListener('change', () => onSettingChange(key));
  $('[data-action="copy-link"]').addEventListener('click', copyLink);
  ui.banner.querySelector('.banner-close').addEventListener('click', () => {
    ui.banner.hidden = true;
  });
  publish();
  if (await setup()) {
    const fake = rehearsalSnapshot(run.snapshot);
    rehearsal = rehearse(echarts, REHEARSED, (name, chart) => drawChart(name, chart, fake, fake.flows));
    window.__explorer.rehearsal = rehearsal;
  }
}

main();
