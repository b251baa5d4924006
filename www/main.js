// Wires the explorer: controls and URL state on one side, the model worker on the other,
// and the charts in between. The model itself never runs on this thread.

import * as echarts from './vendor/echarts.js';
import { createSimClient } from './sim-client.js';
import { buildLeverControls, settingControls } from './controls.js';
import { parseUrl, parseSetting, presetState, toQuery } from './url-state.js';
import { TIME_CHARTS, timeChartOption, seriesNeeded } from './charts.js';
import { sankeyOption } from './referral-sankey.js';
import { mapOption, recentFlows } from './region-map.js';
import { PRESET_LABELS } from './lever-notes.js';
import { renderKpis } from './key-figures.js';

const MONTH = 30;
const MAP_WINDOW_DAYS = 90;
const SPEEDS = [
  { label: 'Slowest', months: 1, delay: 700 },
  { label: 'Slow', months: 1, delay: 300 },
  { label: 'Normal', months: 1, delay: 100 },
  { label: 'Fast', months: 1, delay: 0 },
  { label: 'Fastest', months: 3, delay: 0 },
];
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
let client = null;
let levers = null;
let settings = null;
/** The scenario the page shows: preset, levers, population, years, seed, urban_share, baseline. */
let state = null;
const run = {
  snapshot: null,
  running: false,
  stepping: false,
  generation: 0,
  marks: [],
  flowHistory: [],
  renderQueued: false,
  updates: 0,
  setups: 0,
  lastError: null,
  problems: [],
};
const charts = new Map();

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

function clearFieldErrors() {
  for (const c of levers.controls.values()) c.clearError();
  for (const c of settings.values()) c.clearError();
  ui.presetError.hidden = true;
}

function reportModelError(err, fallbackKey) {
  const message = err.message || String(err);
  run.lastError = message;
  const key = keyOf(message) || fallbackKey;
  const placed = key ? showFieldError(key, message) : false;
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
  return state.population >= LARGE_POPULATION ? 5 : MONTH;
}

function finished() {
  return run.snapshot && run.snapshot.day >= run.snapshot.totalDays;
}

function updateButtons() {
  ui.go.textContent = run.running ? 'Pause ❚❚' : 'Go ▶';
  ui.go.setAttribute('aria-pressed', String(run.running));
  ui.go.classList.toggle('running', run.running);
  ui.step.disabled = run.running || !run.snapshot || finished();
  document.body.classList.toggle('is-running', run.running);
}

async function setup() {
  run.running = false;
  const generation = ++run.generation;
  clearFieldErrors();
  updateButtons();
  setStatus(`Setting up ${state.population.toLocaleString('en-US')} residents…`);
  ui.progress.removeAttribute('value');
  try {
    const snap = await client.setup(scenarioOf(state), state.baseline, seriesNeeded());
    if (generation !== run.generation) return;
    run.snapshot = snap;
    run.marks = [];
    run.flowHistory = [{ day: snap.day, flows: snap.flows }];
    run.setups += 1;
    setStatus('Ready. Press Go ▶ (or Step) to run; move any lever at any time.');
    scheduleRender();
  } catch (err) {
    if (generation !== run.generation) return;
    reportModelError(err);
  } finally {
    if (generation === run.generation) ui.progress.value = run.snapshot ? run.snapshot.day / run.snapshot.totalDays : 0;
    updateButtons();
  }
}

async function advance(days) {
  const generation = run.generation;
  const snap = await client.step(days, chunkDays());
  if (generation !== run.generation) return false;
  run.snapshot = snap;
  run.flowHistory.push({ day: snap.day, flows: snap.flows });
  while (run.flowHistory.length > 2 && run.flowHistory[1].day <= snap.day - MAP_WINDOW_DAYS) run.flowHistory.shift();
  scheduleRender();
  return true;
}

async function go() {
  if (run.running) {
    run.running = false;
    setStatus(`Paused at day ${run.snapshot.day}.`);
    updateButtons();
    return;
  }
  if (!run.snapshot || finished()) await setup();
  if (!run.snapshot) return;
  run.running = true;
  updateButtons();
  setStatus('Running…');
  const generation = run.generation;
  try {
    while (run.running && generation === run.generation && !finished()) {
      const s = speed();
      const t0 = performance.now();
      if (!(await advance(s.months * MONTH))) break;
      const wait = s.delay - (performance.now() - t0);
      if (wait > 0) await sleep(wait);
    }
    if (generation === run.generation && finished()) setStatus(`Finished: ${state.years} years simulated. Press Setup or Go to run again.`);
  } catch (err) {
    reportModelError(err);
  } finally {
    if (generation === run.generation) run.running = false;
    updateButtons();
  }
}

async function stepOnce() {
  // Busy steps are ignored rather than disabling the button, which would drop keyboard focus.
  if (run.running || run.stepping || !run.snapshot || finished()) return;
  run.stepping = true;
  try {
    await advance(MONTH);
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
  Object.assign(state, presetState(meta, ui.preset.value));
  applyStateToControls();
  writeUrl();
  setup();
}

function onSettingChange(key) {
  const c = settings.get(key);
  const r = parseSetting(key, c.control.value);
  if (r.problem) {
    c.showError(r.problem.message);
    return;
  }
  c.clearError();
  state[key] = r.value;
  writeUrl();
  setup();
}

async function onBaselineToggle() {
  state.baseline = ui.baseline.checked;
  writeUrl();
  if (!run.snapshot) return;
  const generation = run.generation;
  try {
    const snap = await client.baseline(state.baseline);
    if (generation !== run.generation || !snap) return;
    run.snapshot = snap;
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
  const years = Math.round(totalDays / 365);
  const year = Math.min(years, Math.floor(day / 365) + 1);
  ui.day.textContent = `Day ${day.toLocaleString('en-US')}`;
  ui.year.textContent = `Year ${year} of ${years}`;
}

function scheduleRender() {
  if (run.renderQueued) return;
  run.renderQueued = true;
  requestAnimationFrame(() => {
    run.renderQueued = false;
    render();
  });
}

function mapFlows(snap) {
  const target = snap.day - MAP_WINDOW_DAYS;
  let earlier = run.flowHistory[0];
  for (const h of run.flowHistory) if (h.day <= target) earlier = h;
  if (!earlier || earlier.day >= snap.day) return snap.flows;
  return recentFlows(snap.flows, earlier.flows);
}

function render() {
  const snap = run.snapshot;
  if (!snap) return;
  const showBaseline = state.baseline && !!snap.baseline;
  const view = { showBaseline, marks: run.marks };
  showClock(snap.day, snap.totalDays);
  ui.progress.value = snap.day / snap.totalDays;
  for (const spec of TIME_CHARTS) {
    charts.get(spec.name).setOption(timeChartOption(spec, snap, view), { replaceMerge: ['series'] });
  }
  const hasData = snap.day > 0;
  charts.get('sankey').setOption(sankeyOption(hasData ? snap.current.summary : {}, hasData && showBaseline ? snap.baseline.summary : null), { replaceMerge: ['series'] });
  const mapEl = charts.get('map').getDom();
  charts.get('map').setOption(mapOption(snap, mapFlows(snap), { width: mapEl.clientWidth, height: mapEl.clientHeight }), { replaceMerge: ['series'] });
  renderKpis(ui.kpis, meta.outputs, hasData ? snap.current.summary : null, hasData && showBaseline ? snap.baseline.summary : null);
  run.updates += 1;
  publish();
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
  });
}

function initCharts() {
  for (const node of document.querySelectorAll('[data-chart]')) {
    const chart = echarts.init(node, null, { renderer: 'canvas' });
    charts.set(node.dataset.chart, chart);
  }
  const ro = new ResizeObserver(() => {
    for (const c of charts.values()) c.resize();
    scheduleRender();
  });
  for (const node of document.querySelectorAll('[data-chart]')) ro.observe(node);
}

// ---------- start ----------

async function main() {
  window.__explorer = {
    ready: false,
    echarts,
    charts,
    /** The data of every series of chart `name`, as `{ id, name, data }`. */
    chartData(name) {
      const chart = charts.get(name);
      if (!chart) return null;
      const option = chart.getOption();
      return (option.series || []).map((s) => ({ id: s.id, name: s.name, data: s.data, links: s.links }));
    },
  };
  initCharts();
  client = createSimClient(onProgress);
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
  await setup();
}

main();
