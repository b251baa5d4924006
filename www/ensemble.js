// Uncertainty bands (issue 19, item 5): an ensemble of N paired seeds, the scenario and the
// status quo with the same seed each (common random numbers), run in a pool of Web Workers
// (ensemble-worker.js) beside the page's own run, and what the page draws from it: bands of
// every time chart (median, 50% and 90% of seeds) for the scenario or for its effect
// (scenario − status quo), and each key figure's effect with its interval.
//
// Nothing here runs until the user asks for an ensemble (or the link carries `pairs=`).
// The numbers follow contract C2 to the last bit (ensemble-stats.js, the only place they are
// computed), so the CLI's `run --replications` and the page agree. The main thread only passes
// pairs on: they are aggregated in a worker of their own (ensemble-aggregate-worker.js), and
// the bands come back at most every REDRAW_MS to be drawn.
//
// While the page's own run is in flight (Go, a step or a set-up), the ensemble waits: pairs
// already in a worker finish, the next ones start when the page's run stops, so the two never
// fight over the cores. A new ensemble (or Cancel) ends the old one: its busy workers are
// terminated and whatever they would have sent is ignored (generations).

import { scenarioOf } from './url-state.js';
import { TIME_CHARTS, bandSeries, effectChartOption, fitPanels } from './charts.js';
import { renderEffects } from './key-figures.js';
import { seedSet } from './ensemble-stats.js';
import { t, onLanguageChange } from './i18n.js';

export { quantile, interval, seedSet, aggregate } from './ensemble-stats.js';

export const DEFAULT_PAIRS = 20;
export const MIN_PAIRS = 2;
export const MAX_PAIRS = 200;
/** More workers than this gain little (memory, and the page's own two workers need cores). */
const MAX_WORKERS = 8;
/** The bands are recomputed and redrawn at most this often while pairs arrive (ms). */
const REDRAW_MS = 400;
/** How often a waiting ensemble looks whether the page's run has stopped (ms). */
const WAIT_POLL_MS = 200;

// ---------- the pool of workers ----------

/** How many workers: one per logical core, at least 1, at most MAX_WORKERS and `pairs`. */
export function poolSize(pairs, cores = navigator.hardwareConcurrency || 1) {
  return Math.max(1, Math.min(cores, MAX_WORKERS, pairs));
}

/** Workers kept across ensembles; `cancel()` terminates the busy ones (their requests reject). */
function createPool() {
  const slots = [];
  let nextId = 1;

  function start() {
    const worker = new Worker(new URL('./ensemble-worker.js', import.meta.url), { type: 'module' });
    const slot = { worker, pending: null };
    worker.onmessage = (event) => {
      const { id, ok, pair, error } = event.data;
      const pending = slot.pending;
      if (!pending || pending.id !== id) return;
      slot.pending = null;
      if (ok) pending.resolve(pair);
      else pending.reject(Object.assign(new Error(error.message), { key: error.key }));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const pending = slot.pending;
      slot.pending = null;
      pending?.reject(new Error(event.message || 'the ensemble worker could not start'));
    };
    return slot;
  }

  return {
    /** Runs one pair in worker `lane`; resolves with the pair. */
    run(lane, request) {
      if (!slots[lane]) slots[lane] = start();
      const slot = slots[lane];
      const id = nextId++;
      return new Promise((resolve, reject) => {
        slot.pending = { id, resolve, reject };
        slot.worker.postMessage({ id, ...request });
      });
    },
    /** Ends the work in flight: busy workers are terminated (a pair cannot be interrupted). */
    cancel() {
      slots.forEach((slot, i) => {
        if (!slot?.pending) return;
        slot.worker.terminate();
        slot.pending.reject(Object.assign(new Error('cancelled'), { cancelled: true }));
        slots[i] = null;
      });
    },
  };
}

/** The buffers of a pair's arrays, transferred to the aggregator rather than copied. */
function buffersOf(pair) {
  const out = [pair.monthStarts.buffer];
  for (const run of [pair.scenario, pair.statusQuo]) for (const a of Object.values(run.months)) out.push(a.buffer);
  return out;
}

/** The aggregation worker's handle: `add` a pair, ask for the `aggregate` of those added. */
function createAggregator() {
  let worker = null;
  let nextId = 1;
  const waiting = new Map();

  function ensure() {
    if (worker) return worker;
    worker = new Worker(new URL('./ensemble-aggregate-worker.js', import.meta.url), { type: 'module' });
    worker.onmessage = (event) => {
      const entry = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      entry?.resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const failure = new Error(event.message || 'the ensemble aggregation worker could not start');
      for (const entry of waiting.values()) entry.reject(failure);
      waiting.clear();
      worker = null;
    };
    return worker;
  }

  return {
    add(job, index, pair) {
      ensure().postMessage({ type: 'add', job, index, pair }, buffersOf(pair));
    },
    /** Resolves to `{ aggregate, ms }` over job `job`'s pairs added so far. */
    aggregate(job) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        ensure().postMessage({ type: 'aggregate', job, id });
      });
    },
  };
}

// ---------- the ensemble on the page ----------

/** Reads the seed-pairs box: `{ value }` or `{ problem }` (a message for beside it). */
export function parsePairs(raw) {
  const text = String(raw).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < MIN_PAIRS || n > MAX_PAIRS) return { problem: t('ensemble.badPairs', { value: text }) };
  return { value: n };
}

/**
 * @param {object} deps
 * @param {Element} deps.root the ensemble's bar (index.html `[data-ensemble]`)
 * @param {object} deps.state the page's scenario (url-state.js); `state.pairs` is the size
 * @param {string[]} deps.series the outputs whose monthly series are banded (charts.js)
 * @param {() => boolean} deps.busy whether the page's own run is in flight (then pairs wait)
 * @param {(now: boolean) => void} deps.onChange the bands or key figures changed: redraw
 *   (`now`: at the next frame; else at the chart board's pace, while pairs stream in)
 * @param {() => void} [deps.onPairs] `state.pairs` changed (the link keeps it)
 * @param {(option: object) => object} [deps.adjust] the option as drawn (presentation.js)
 */
export function createEnsemble({ root, state, series, busy, onChange, onPairs = () => {}, adjust = (o) => o, warmUp = () => {} }) {
  /** Whether the bands' first draws were rehearsed (`warmUp`, once per page). */
  let warmed = false;
  const ui = {
    pairs: root.querySelector('[data-ensemble-pairs]'),
    run: root.querySelector('[data-action="ensemble-run"]'),
    cancel: root.querySelector('[data-action="ensemble-cancel"]'),
    progress: root.querySelector('[data-ensemble-progress]'),
    status: root.querySelector('[data-ensemble-status]'),
    error: root.querySelector('[data-ensemble-error]'),
    views: root.querySelector('[data-ensemble-views]'),
  };
  const pool = createPool();
  const aggregator = createAggregator();
  let generation = 0;
  let jobs = 0;
  /** The aggregation in flight (one at a time), or null. */
  let aggregating = null;
  /** The ensemble in progress or last run: what it ran, how far, and what it found. */
  let job = null;
  let redrawTimer = null;
  /** Whether the status line was last written for bands that stand for the page's scenario. */
  let shownCurrent = false;

  /** The scenario the bands stand for: the page's scenario and timeline (seed included). */
  const scenarioKey = () => JSON.stringify([scenarioOf(state), state.timeline || []]);

  function showError(message) {
    ui.error.textContent = message || '';
    ui.error.hidden = !message;
    ui.pairs.toggleAttribute('aria-invalid', !!message);
  }

  /** The progress line: how many pairs, and what the ensemble is doing. */
  function showStatus() {
    const running = !!job && job.state === 'running';
    ui.run.disabled = running;
    ui.cancel.hidden = !running;
    ui.progress.hidden = !job || job.state === 'done';
    shownCurrent = !!current();
    ui.views.hidden = !shownCurrent;
    if (!job) {
      ui.status.textContent = '';
      return;
    }
    ui.progress.max = job.pairs;
    ui.progress.value = job.done;
    const vars = { done: job.done, pairs: job.pairs, first: job.seeds[0], last: job.seeds[job.seeds.length - 1] };
    const key = {
      running: job.waiting ? 'ensemble.waiting' : 'ensemble.progress',
      done: job.key === scenarioKey() ? 'ensemble.finished' : 'ensemble.stale',
      cancelled: 'ensemble.cancelled',
      failed: 'ensemble.failed',
    }[job.state];
    ui.status.textContent = t(key, { ...vars, message: job.error || '' });
  }

  /** Aggregates what has arrived and asks for a redraw, at most every REDRAW_MS. */
  function scheduleRedraw() {
    if (redrawTimer !== null) return;
    redrawTimer = setTimeout(() => {
      redrawTimer = null;
      refresh();
    }, REDRAW_MS);
  }

  /**
   * Asks the aggregator for the bands over the pairs arrived so far and, when they come,
   * draws them. One request at a time: a refresh asked for meanwhile runs after it (with the
   * pairs arrived by then). Resolves once the job's latest pairs are drawn.
   */
  function refresh() {
    const target = job;
    if (!target) return Promise.resolve();
    target.again = true;
    if (aggregating) return aggregating;
    aggregating = (async () => {
      while (target.again && job === target) {
        target.again = false;
        const reply = await aggregator.aggregate(target.id);
        if (job !== target) break;
        target.aggregate = reply.aggregate;
        target.aggregateMs = reply.ms;
        showStatus();
        // While pairs stream in, the chart board paces the redraws (chart-board.js); the
        // last bands are drawn at the next frame.
        onChange(target.state !== 'running' || target.finishedAt !== null);
      }
    })().finally(() => {
      aggregating = null;
      // A newer job asked while this one's request was in flight.
      if (job && job !== target && job.again) refresh();
    });
    return aggregating;
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  /** Worker `lane` takes the next pair until none is left or the ensemble is superseded. */
  async function lane(gen, index) {
    while (gen === generation && job.next < job.pairs) {
      while (busy() && gen === generation) {
        if (!job.waiting) {
          job.waiting = true;
          showStatus();
        }
        await sleep(WAIT_POLL_MS);
      }
      if (gen !== generation) return;
      if (job.waiting) {
        job.waiting = false;
        showStatus();
      }
      const k = job.next++;
      const started = performance.now();
      const pair = await pool.run(index, { scenario: { ...job.scenario, seed: job.seeds[k] }, timeline: job.timeline, series });
      if (gen !== generation) return;
      job.pairMs.push(performance.now() - started);
      aggregator.add(job.id, k, pair);
      job.done += 1;
      showStatus();
      scheduleRedraw();
    }
  }

  /**
   * Starts an ensemble of `pairs` pairs from the page's scenario (cancelling one in flight).
   * `workers` overrides the pool's size (the page benchmark times one pair alone).
   */
  async function start({ pairs = state.pairs ?? DEFAULT_PAIRS, workers = null } = {}) {
    stop('cancelled');
    if (!warmed) {
      warmed = true;
      warmUp();
    }
    const gen = ++generation;
    let seeds;
    try {
      seeds = seedSet(state.seed, pairs);
    } catch {
      showError(t('ensemble.badSeed', { seed: String(state.seed) }));
      return false;
    }
    showError('');
    const scenario = scenarioOf(state);
    const size = workers || poolSize(pairs);
    job = {
      id: ++jobs,
      state: 'running',
      key: scenarioKey(),
      scenario,
      timeline: (state.timeline || []).map(({ month, key, value }) => ({ month, key, value })),
      pairs,
      seeds,
      workers: size,
      next: 0,
      done: 0,
      waiting: false,
      aggregate: null,
      again: false,
      aggregateMs: 0,
      pairMs: [],
      startedAt: performance.now(),
      finishedAt: null,
      error: null,
    };
    showStatus();
    onChange();
    try {
      await Promise.all(Array.from({ length: size }, (_, i) => lane(gen, i)));
      if (gen !== generation) return false;
      job.finishedAt = performance.now();
      clearTimeout(redrawTimer);
      redrawTimer = null;
      // Done once the bands over every pair are drawn.
      await refresh();
      if (gen !== generation) return false;
      job.state = 'done';
      showStatus();
      return true;
    } catch (err) {
      if (gen !== generation || err.cancelled) return false;
      generation += 1;
      pool.cancel();
      job.state = 'failed';
      job.error = err.message;
      if (err.key === 'seed') showError(err.message);
      showStatus();
      onChange();
      return false;
    }
  }

  /** Ends the ensemble in flight, keeping what it has found so far. */
  function stop(how) {
    if (!job || job.state !== 'running') return;
    generation += 1;
    pool.cancel();
    job.state = how;
    job.waiting = false;
    clearTimeout(redrawTimer);
    redrawTimer = null;
    // Said at once (the Cancel button goes, the line says so): the bands over the pairs found
    // follow when the aggregator answers, which may take a while.
    showStatus();
    refresh();
  }

  /** The aggregate that stands for the scenario on the page now, or null. */
  function current() {
    return job && job.aggregate && job.key === scenarioKey() ? job.aggregate : null;
  }

  function onRunPressed() {
    const parsed = parsePairs(ui.pairs.value);
    if (parsed.problem) {
      showError(parsed.problem);
      return;
    }
    if (state.pairs !== parsed.value) {
      state.pairs = parsed.value;
      onPairs();
    }
    start({ pairs: parsed.value });
  }

  /** The key beside the view's choice says what the lines and shades of that view are. */
  function onViewChange() {
    const view = ui.views.querySelector('input[name="ensemble-view"]:checked')?.value || 'scenario';
    for (const key of ui.views.querySelectorAll('[data-ensemble-key]')) key.hidden = key.dataset.ensembleKey !== view;
    onChange();
  }

  ui.pairs.value = String(state.pairs ?? DEFAULT_PAIRS);
  ui.run.addEventListener('click', onRunPressed);
  ui.cancel.addEventListener('click', () => stop('cancelled'));
  ui.pairs.addEventListener('input', () => showError(''));
  for (const radio of ui.views.querySelectorAll('input[name="ensemble-view"]')) radio.addEventListener('change', onViewChange);
  onLanguageChange(() => {
    showStatus();
    if (!ui.error.hidden && ui.pairs.hasAttribute('aria-invalid')) showError(parsePairs(ui.pairs.value).problem || '');
  });

  /** The bands to draw now, `{ view: 'scenario'|'effect', aggregate }`, or null. */
  function bands() {
    const aggregate = current();
    if (!aggregate) return null;
    const view = ui.views.querySelector('input[name="ensemble-view"]:checked')?.value === 'effect' ? 'effect' : 'scenario';
    return { view, aggregate };
  }

  /** The timeline's lever changes as chart marks, on the ensemble's month starts. */
  function marksOf(aggregate) {
    return job.timeline
      .filter((e) => e.month - 1 < aggregate.monthStarts.length - 1)
      .map((e) => ({ day: aggregate.monthStarts[e.month - 1], label: `${e.key} = ${e.value}` }));
  }

  return {
    start,
    cancel: () => stop('cancelled'),
    bands,
    /**
     * Draws time chart `name` as the effect (scenario − status quo) with its bands, when
     * that is the view chosen; returns whether it did (then the page's own drawing is not
     * needed: the effect replaces the chart's lines and axis).
     */
    drawInstead(name, chart) {
      const b = bands();
      const spec = b && b.view === 'effect' && TIME_CHARTS.find((c) => c.name === name);
      if (!spec || !chart) return false;
      const t0 = performance.now();
      const option = adjust(effectChartOption(spec, b.aggregate, marksOf(b.aggregate)));
      chart.setOption(fitPanels(option, chart.getDom().clientHeight), { replaceMerge: ['series'] });
      performance.measure(`bands ${name} (effect)`, { start: t0, duration: performance.now() - t0 });
      return true;
    },
    /**
     * Time chart option `option` (as the page builds it, charts.js `timeChartOption`) with
     * the scenario's bands behind its lines, in the scenario view; other options as they are.
     * The bands go into the page's own drawing, so a chart is set once per draw.
     */
    withBands(option) {
      const b = bands();
      if (!b || b.view !== 'scenario') return option;
      const first = option.series?.[0]?.id;
      const spec = TIME_CHARTS.find((c) => c.series[0].key === first);
      if (!spec) return option;
      const { scenario } = b.aggregate.bands;
      return { ...option, series: [...option.series, ...bandSeries(spec, scenario, b.aggregate.monthStarts, b.aggregate.totalDays)] };
    },
    /** Writes the effect with its interval under each key figure (or hides it). */
    drawFigures(kpis) {
      const aggregate = current();
      // The scenario may have changed since the last drawing: the status line says so.
      if (!!aggregate !== shownCurrent) showStatus();
      renderEffects(kpis, aggregate ? aggregate.effect.intervals : null, aggregate ? aggregate.n : 0);
    },
    /** For tests and the page benchmark: how far the ensemble is and what it found. */
    get status() {
      if (!job) return { state: 'idle' };
      const { state: s, pairs, done, seeds, workers, pairMs, startedAt, finishedAt, aggregateMs } = job;
      const a = job.aggregate;
      return {
        state: s,
        pairs,
        done,
        seeds,
        workers,
        pairMs: [...pairMs],
        elapsedMs: (finishedAt ?? performance.now()) - startedAt,
        aggregateMs,
        current: !!current(),
        n: a ? a.n : 0,
        intervals: a ? a.intervals : null,
        effect: a ? a.effect : null,
      };
    },
  };
}
