// <consortium-sim>: the explorer's model in someone else's page (a briefing, a course site).
//
// One pinned scenario (the query string of a share link), a chart or two and some key figures,
// run in the element's own model worker, with nothing to set but Play and Replay. Whatever the
// analyst pasted inside the element (the Embed dialog's pre-rendered SVG charts and table) is
// its static fallback: it stays on screen until the live run replaces it, and stays for good
// where there is no wasm or no module workers, for print, and when JavaScript is off (then the
// element is an unknown inline element and its children simply show).
//
// www/build.mjs bundles this file, the page's chart option builders, key figures and link
// parser, ECharts and both strings files into www/embed/consortium-sim.js; the model's worker
// and the wasm are copied beside it and found relative to this module's URL, so the embed/
// folder works wherever it is copied.
//
// Same scenario and seed, same numbers as the explorer: the run is the page's, month by month,
// with the link's timeline applied at month starts as the page's run loop applies it, and the
// status quo from the page's baseline-run.js.

import * as echarts from '../vendor/echarts.js';
import { TIME_CHARTS, fitPanels, timeChartOption } from '../charts.js';
import { KEY_FIGURES } from '../key-figures.js';
import { parseUrl, scenarioOf } from '../url-state.js';
import { leverLabel } from '../lever-notes.js';
import { createSimClient } from '../sim-client.js';
import { createBaselineRun } from '../baseline-run.js';
import { languageCode, setLanguage, t, missing } from './i18n-embed.js';
import { ELEMENT_CSS } from './element-style.js';

/** Charts and figures shown when the attributes do not say. */
const DEFAULT_CHARTS = ['visit-shares'];
const DEFAULT_FIGURES = ['primary_visit_share', 'spending_per_capita'];
const CHART_NAMES = TIME_CHARTS.map((c) => c.name);
const FIGURE_NAMES = KEY_FIGURES.map((f) => f.key);
const OBSERVED = ['scenario', 'charts', 'figures', 'lang', 'autoplay', 'compare'];

/** 'visit-shares' → 'visitShares': the chart's strings under `page.charts`. */
const camel = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());

/** Whether this browser can run the model: wasm, and workers that are ES modules. The worker
 * reads `type` from its options only when it supports module workers; the worker made for the
 * test is this element's own script, fetched anyway for the run, and it is stopped at once. */
function canRunLive(workerUrl) {
  if (typeof WebAssembly !== 'object' || typeof Worker !== 'function') return false;
  let modules = false;
  try {
    const probe = new Worker(workerUrl, {
      get type() {
        modules = true;
        return 'module';
      },
    });
    probe.terminate();
  } catch {
    return false;
  }
  return modules;
}

/** A boolean attribute: absent gives `fallback`; '', on, true, 1 on; off, false, 0 off. */
function readSwitch(value, fallback) {
  if (value === null) return { value: fallback };
  const v = value.trim().toLowerCase();
  if (['', 'on', 'true', '1', 'autoplay', 'compare'].includes(v)) return { value: true };
  if (['off', 'false', '0'].includes(v)) return { value: false };
  return { problem: true };
}

/** A comma-separated list of names: the known ones in order, and the unknown ones. */
function readList(value, known, fallback) {
  if (value === null || value.trim() === '') return { names: fallback, unknown: [] };
  const names = [];
  const unknown = [];
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (known.includes(part)) {
      if (!names.includes(part)) names.push(part);
    } else unknown.push(part);
  }
  return { names, unknown };
}

/** The element's styles as a constructed style sheet, which a Content-Security-Policy without
 * 'unsafe-inline' styles still allows (one sheet shared by every element); a browser without
 * them gets a <style> element (returned as markup to put in the shadow root). */
let sharedSheet = null;
function adoptStyles(root) {
  try {
    if (!sharedSheet) {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(ELEMENT_CSS);
    }
    root.adoptedStyleSheets = [sharedSheet];
    return '';
  } catch {
    return `<style>${ELEMENT_CSS}</style>`;
  }
}

const WORKER_URL = new URL('./sim-worker.js', import.meta.url);
let liveSupport = null;

export class ConsortiumSim extends HTMLElement {
  static get observedAttributes() {
    return OBSERVED;
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.innerHTML = `${adoptStyles(this.shadowRoot)}
      <div class="frame">
        <div class="bar"><button type="button" class="play" part="play"></button><span class="clock" aria-live="off"></span><span class="note" role="status"></span></div>
        <ul class="problems" role="alert" hidden></ul>
        <div class="live" hidden>
          <div class="figures" role="list"></div>
          <div class="charts"></div>
        </div>
        <slot></slot>
      </div>`;
    const $ = (sel) => this.shadowRoot.querySelector(sel);
    this.ui = { frame: $('.frame'), bar: $('.bar'), play: $('.play'), clock: $('.clock'), note: $('.note'), problems: $('.problems'), live: $('.live'), figures: $('.figures'), charts: $('.charts'), slot: $('slot') };
    this.ui.play.addEventListener('click', () => this.play());
    /** 'waiting' (for Play or to scroll into view), 'loading', 'running', 'done', 'static'
     * (no live run in this browser) or 'error'. */
    this.state = 'waiting';
    /** The latest run's composite snapshot: `{ day, totalDays, monthStarts, current, baseline }`. */
    this.snapshot = null;
    this.generation = 0;
    this.charts = new Map();
    this.frame = 0;
  }

  connectedCallback() {
    this.configure();
    this.resizer = new ResizeObserver(() => this.resizeCharts());
    this.resizer.observe(this.ui.live);
    if (liveSupport === null) liveSupport = canRunLive(WORKER_URL);
    if (!liveSupport) {
      this.setState('static');
      this.ui.bar.hidden = true;
      return;
    }
    // Moved in the page (disconnected, then connected again): a run that had begun starts
    // again, since leaving the page stopped its workers.
    if (this.state !== 'waiting') this.play();
    else this.armAutoplay();
  }

  disconnectedCallback() {
    this.stop();
    this.resizer?.disconnect();
    this.viewWatch?.disconnect();
  }

  attributeChangedCallback(name, before, after) {
    if (!this.isConnected || before === after || !this.config) return;
    const wasLive = !this.ui.live.hidden;
    this.configure();
    if (name === 'lang' || name === 'compare' || name === 'charts' || name === 'figures') {
      // What is drawn changes; a run in progress or finished is simply redrawn (a new overlay
      // needs the status quo, so `compare` runs again), at once: a rebuilt chart waiting for
      // the next frame has no option yet, and would show blank (and read as empty) meanwhile.
      if (name === 'compare' && wasLive) this.play();
      else {
        this.buildLive();
        this.draw();
      }
    } else if (wasLive) {
      this.play();
    }
  }

  // ---------- attributes ----------

  /** Reads the attributes into `this.config`, and the problems they have. */
  configure() {
    const problems = [];
    const langAttr = this.getAttribute('lang');
    let code = languageCode(langAttr ?? (document.documentElement.lang || navigator.language));
    setLanguage(code || 'en');
    if (!code) {
      if (langAttr !== null) problems.push(t('embed.problem.lang', { value: langAttr, allowed: 'en, zh-CN' }));
      code = 'en';
    }
    const charts = readList(this.getAttribute('charts'), CHART_NAMES, DEFAULT_CHARTS);
    for (const name of charts.unknown) problems.push(t('embed.problem.chart', { value: name, allowed: CHART_NAMES.join(', ') }));
    const figures = readList(this.getAttribute('figures'), FIGURE_NAMES, DEFAULT_FIGURES);
    for (const name of figures.unknown) problems.push(t('embed.problem.figure', { value: name, allowed: FIGURE_NAMES.join(', ') }));
    const autoplay = readSwitch(this.getAttribute('autoplay'), false);
    if (autoplay.problem) problems.push(t('embed.problem.switch', { key: 'autoplay', value: this.getAttribute('autoplay') }));
    const compare = readSwitch(this.getAttribute('compare'), null);
    if (compare.problem) problems.push(t('embed.problem.switch', { key: 'compare', value: this.getAttribute('compare') }));
    this.config = {
      lang: code,
      scenario: (this.getAttribute('scenario') || '').trim().replace(/^\?/, ''),
      charts: charts.names,
      figures: figures.names,
      autoplay: !!autoplay.value,
      compare: compare.value ?? null,
      problems,
    };
    this.ui.frame.lang = code;
    this.ui.frame.classList.toggle('has-fallback', this.hasFallback());
    this.showProblems();
    this.labelBar();
  }

  hasFallback() {
    // A <noscript> is for browsers without JavaScript: it is not a snapshot to print.
    return [...this.childNodes].some((n) => (n.nodeType === Node.ELEMENT_NODE && n.localName !== 'noscript') || (n.nodeType === Node.TEXT_NODE && n.textContent.trim()));
  }

  /** The attributes' problems and the scenario's, in the element's language, inside it. */
  showProblems() {
    const all = [...this.config.problems, ...(this.scenarioProblems || [])];
    this.ui.problems.replaceChildren(
      ...all.map((message) => {
        const li = document.createElement('li');
        li.textContent = message;
        return li;
      }),
    );
    this.ui.problems.hidden = all.length === 0;
    this.problems = all;
  }

  labelBar() {
    setLanguage(this.config.lang);
    const { play, note } = this.ui;
    play.textContent = t(this.state === 'done' || this.state === 'running' || this.state === 'loading' ? 'embed.replay' : 'embed.play');
    play.title = t(this.state === 'waiting' ? 'embed.playTitle' : 'embed.replayTitle');
    play.disabled = this.state === 'loading';
    note.textContent = this.state === 'loading' ? t('embed.loading') : this.state === 'error' ? t('embed.failed', { message: this.errorMessage || '' }) : '';
    this.showClock();
  }

  showClock() {
    const snap = this.snapshot;
    this.ui.clock.textContent = snap ? t('embed.clock', { day: snap.day, days: snap.totalDays }) : '';
  }

  setState(state) {
    this.state = state;
    this.dataset.state = state;
    this.labelBar();
    this.dispatchEvent(new CustomEvent('consortium-sim-state', { detail: { state } }));
  }

  // ---------- starting ----------

  /** With `autoplay`, the run starts when the element comes into view; else on Play. */
  armAutoplay() {
    this.viewWatch?.disconnect();
    if (!this.config.autoplay) return;
    this.viewWatch = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && this.state === 'waiting') {
        this.viewWatch.disconnect();
        this.play();
      }
    });
    this.viewWatch.observe(this);
  }

  /** Runs the scenario from day 0 (Play, Replay, or coming into view). */
  async play() {
    if (this.state === 'static') return;
    const generation = ++this.generation;
    this.setState('loading');
    try {
      await this.ensureWorkers();
      if (generation !== this.generation) return;
      this.readScenario();
      // Shown before the charts are made, so ECharts measures boxes that have a size.
      this.showLive();
      this.buildLive();
      await this.run(generation);
    } catch (err) {
      if (generation !== this.generation) return;
      this.errorMessage = err && err.message ? err.message : String(err);
      // The live run failed: the analyst's fallback is still the best thing to show.
      this.ui.live.hidden = true;
      this.ui.slot.hidden = false;
      this.setState('error');
    }
  }

  stop() {
    this.generation += 1;
    cancelAnimationFrame(this.frame);
    this.client?.terminate();
    this.baselineClients?.forEach((c) => c.terminate());
    this.client = null;
    this.baseline = null;
    this.meta = null;
    for (const chart of this.charts.values()) chart.dispose();
    this.charts.clear();
  }

  async ensureWorkers() {
    if (!this.client) {
      this.client = createSimClient(() => {});
      this.meta = null;
    }
    if (!this.meta) this.meta = await this.client.meta();
  }

  /** The scenario attribute through the page's link parser: bad values are reported and the
   * defaults used, as when the explorer opens a bad link. */
  readScenario() {
    setLanguage(this.config.lang);
    const { state, problems } = parseUrl(this.config.scenario, this.meta);
    this.scenarioState = state;
    this.scenarioProblems = problems.map((p) => p.message);
    this.showProblems();
  }

  showLive() {
    this.ui.slot.hidden = true;
    this.ui.live.hidden = false;
  }

  /** Whether the status quo is drawn: the attribute, else the link's `baseline`. */
  comparing() {
    return this.config.compare ?? this.scenarioState?.baseline ?? true;
  }

  // ---------- the run ----------

  seriesKeys() {
    return [...new Set(this.config.charts.flatMap((name) => TIME_CHARTS.find((c) => c.name === name).series.map((s) => s.key)))];
  }

  async run(generation) {
    const client = this.client;
    const state = this.scenarioState;
    const scenario = scenarioOf(state);
    const settings = { population: scenario.population, years: scenario.years, seed: scenario.seed, urban_share: scenario.urban_share };
    // The status quo's series: every chart's, so charts added later have them too.
    const series = [...new Set(TIME_CHARTS.flatMap((c) => c.series.map((s) => s.key)))];
    // A status-quo scenario is its own status quo: no second worker for it.
    const self = this.isStatusQuo(state);
    const baseline = this.comparing() && !self ? this.baselineRun(series) : null;
    const at = (day) => (baseline ? baseline.at(settings, day) : Promise.resolve(null));
    const [cur, base] = await Promise.all([client.setup(scenario, series), at(0)]);
    if (generation !== this.generation) return;
    this.marks = [];
    this.compose(cur, base, self);
    await this.applyTimeline(0, generation);
    this.setState('running');
    this.scheduleDraw();
    while (this.snapshot.day < this.snapshot.totalDays) {
      const { day, monthStarts } = this.snapshot;
      const next = monthStarts.find((d) => d > day);
      const [c, b] = await Promise.all([client.step(next - day), at(next)]);
      if (generation !== this.generation) return;
      this.compose(c, b, self);
      await this.applyTimeline(monthStarts.indexOf(next), generation);
      this.scheduleDraw();
    }
    // 'done' means drawn: the last month's charts are drawn before the state says so.
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.draw();
    this.setState('done');
  }

  /** The status quo's run (page's baseline-run.js), in a worker of its own, kept across replays. */
  baselineRun(series) {
    if (!this.baseline) {
      this.baselineClients = [];
      this.baseline = createBaselineRun(() => {
        const c = createSimClient(() => {});
        this.baselineClients.push(c);
        return c;
      }, series);
    }
    return this.baseline;
  }

  /** Whether the scenario is the status quo itself: its preset and levers, no timeline (the
   * status quo run of baseline-run.js would repeat it to the last bit). */
  isStatusQuo(state) {
    const preset = this.meta.presets.find((p) => p.name === 'status_quo');
    if (!preset || state.preset !== 'status_quo' || (state.timeline || []).length) return false;
    return Object.entries(preset.levers).every(([key, value]) => state.levers[key] === value);
  }

  /** The snapshot drawn: the run, and the status quo beside it (`selfBaseline`: the run itself). */
  compose(cur, base, selfBaseline = false) {
    const current = { summary: cur.summary, months: cur.months };
    this.snapshot = {
      day: cur.day,
      totalDays: cur.totalDays,
      monthStarts: cur.monthStarts,
      current,
      baseline: selfBaseline && this.comparing() ? current : base,
    };
  }

  /** The link's timeline entries for month `index + 1`, which starts on the day the run is at
   * (run-loop.js applies them the same way, in the same order). */
  async applyTimeline(index, generation) {
    const due = (this.scenarioState.timeline || []).filter((e) => e.month === index + 1);
    for (const entry of due) {
      await this.client.setLever(entry.key, entry.value);
      if (generation !== this.generation) return;
      this.marks.push({ day: this.snapshot.day, key: entry.key, value: entry.value });
    }
  }

  // ---------- drawing ----------

  /** One tile per figure and one card per chart, labelled in the element's language. */
  buildLive() {
    setLanguage(this.config.lang);
    const { figures, charts } = this.ui;
    figures.replaceChildren(
      ...this.config.figures.map((key) => {
        const f = KEY_FIGURES.find((k) => k.key === key);
        const tile = document.createElement('div');
        tile.className = 'figure';
        tile.setAttribute('role', 'listitem');
        tile.dataset.figure = key;
        tile.title = f.about;
        tile.innerHTML = '<span class="label"></span><span class="value">–</span><span class="base"></span>';
        tile.querySelector('.label').textContent = f.label;
        return tile;
      }),
    );
    const wanted = new Set(this.config.charts);
    for (const [name, chart] of this.charts) {
      if (!wanted.has(name)) {
        chart.dispose();
        this.charts.delete(name);
      }
    }
    const cards = this.config.charts.map((name) => {
      const key = camel(name);
      const card = document.createElement('figure');
      card.className = 'card';
      card.dataset.chart = name;
      const caption = document.createElement('figcaption');
      caption.textContent = t(`page.charts.${key}.title`);
      const box = document.createElement('div');
      box.className = 'chart';
      box.setAttribute('role', 'img');
      box.setAttribute('aria-label', t(`page.charts.${key}.label`));
      card.append(caption, box);
      return card;
    });
    for (const chart of this.charts.values()) chart.dispose();
    this.charts.clear();
    charts.replaceChildren(...cards);
    if (!this.ui.live.hidden || this.state !== 'waiting') {
      for (const card of cards) this.charts.set(card.dataset.chart, echarts.init(card.querySelector('.chart'), null, { renderer: 'canvas' }));
    }
  }

  scheduleDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const snap = this.snapshot;
    if (!snap) return;
    setLanguage(this.config.lang);
    this.labelBar();
    const compare = this.comparing() && !!snap.baseline;
    const view = {
      showBaseline: compare,
      marks: (this.marks || []).map((m) => ({ day: m.day, label: `${leverLabel(m.key)}: ${m.value}` })),
      saved: [],
    };
    for (const [name, chart] of this.charts) {
      const spec = TIME_CHARTS.find((c) => c.name === name);
      const option = timeChartOption(spec, snap, view);
      chart.setOption(fitPanels(option, chart.getDom().clientHeight), { replaceMerge: ['series'] });
    }
    for (const tile of this.ui.figures.children) {
      const f = KEY_FIGURES.find((k) => k.key === tile.dataset.figure);
      const v = snap.current.summary[f.key];
      const b = compare ? snap.baseline.summary[f.key] : undefined;
      const unit = f.unit ? ` ${f.unit}` : '';
      tile.querySelector('.value').textContent = typeof v === 'number' ? `${f.format(v)}${unit}` : '–';
      tile.querySelector('.base').textContent = typeof b === 'number' ? t('embed.statusQuo', { value: `${f.format(b)}${unit}` }) : '';
    }
  }

  resizeCharts() {
    for (const chart of this.charts.values()) chart.resize();
    if (this.snapshot) this.scheduleDraw();
  }

  /** The series chart `name` draws now, `{ id, name, points }` (tests, curious users). */
  chartData(name) {
    const chart = this.charts.get(name);
    if (!chart) return null;
    return (chart.getOption()?.series || []).filter(Boolean).map((s) => ({ id: s.id, name: s.name, points: s.data.length }));
  }

  /** Strings keys this element asked for that the strings files lack (tests require none). */
  get missingStrings() {
    return [...missing];
  }
}

if (!customElements.get('consortium-sim')) customElements.define('consortium-sim', ConsortiumSim);
