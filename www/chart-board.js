// The board of charts: one ECharts instance per `[data-chart]` container, redrawn while a
// run streams snapshots. Three rules keep the page's main thread free for input and for the
// browser's own frames, even on a small, busy machine where the two model workers hold both
// cores:
// - each chart is drawn in a task of its own, after the animation frame that chose it, so a
//   draw never adds to the frame's style, layout and paint work (nor to another chart's);
// - a frame picks out-of-date charts that are on screen while their expected cost fits a
//   small budget (always at least one);
// - charts are redrawn in rounds, no more often than keeps drawing to about a quarter of the
//   thread's time: with the measured cost of the charts on screen, the interval between two
//   rounds grows on a slow machine and shrinks on a fast one (within 150-500 ms).
// A round draws the panel (clock, key figures) and every out-of-date chart on screen from one
// snapshot, taken when the round starts (`capture`): while a run streams snapshots faster
// than charts are redrawn, the clock steps with the charts instead of running ahead of them.
// Charts scrolled out of view are drawn when they come into view.

/** Milliseconds of chart drawing chosen per frame; the browser's own layout and paint come on top. */
const RENDER_BUDGET_MS = 14;
/** Rounds start at most this often (ms), however cheap the charts are: while a run streams
 * snapshots faster than that, each round skips to the latest one. */
const MIN_REDRAW_MS = 150;
/** Share of the main thread's time that drawing may take while snapshots stream in. */
const DRAW_SHARE = 0.25;
/** ...but rounds start at least this often (ms) while a chart on screen is out of date, so
 * that on a slow machine, or right after the costly first draws, no chart looks frozen. */
const MAX_REDRAW_MS = 500;
/** Weight of the newest draw in a chart's running cost estimate. */
const COST_SMOOTHING = 0.3;
/** User Timing entries of chart draws kept before they are cleared (a few minutes' worth). */
const MAX_MEASURES = 5000;

/** Runs `fn` in a task of its own, after the current one (a message to a channel is not
 * throttled the way a zero-delay timer is). */
const channel = new MessageChannel();
const afterFrameQueue = [];
channel.port1.onmessage = () => afterFrameQueue.shift()();
function afterFrame(fn) {
  afterFrameQueue.push(fn);
  channel.port2.postMessage(null);
}

/**
 * @param {object} echarts the ECharts module (vendor/echarts.js)
 * @param {{ drawPanel: (view?: object) => void, drawChart: (name: string, chart: object, view?: object) => void, capture?: () => object }} draw
 *   `capture` returns what a round draws (the latest snapshot); `drawPanel` updates the cheap
 *   DOM parts and `drawChart` sets one chart's option, from that view (from the latest when
 *   `view` is undefined)
 */
export function createChartBoard(echarts, { drawPanel, drawChart, capture = () => undefined }, root = document) {
  const charts = new Map();
  const dirty = new Set();
  /** Per chart, the change (a count of `invalidate` calls) that made it out of date: a draw
   * from a round's view clears only what that view already shows. */
  const dirtyAt = new Map();
  let version = 0;
  /** The current round: when it started, its view and change, and the charts still to draw. */
  let roundAt = -Infinity;
  let roundView;
  let roundVersion = 0;
  const round = new Set();
  /** Whether the round owes the panel a draw, and how many of its charts are being drawn:
   * the panel is drawn once they all are, so it never shows a later day than they do. */
  let roundPanel = false;
  let roundDrawing = 0;

  function finishRound() {
    if (!roundPanel || round.size > 0 || roundDrawing > 0) return;
    roundPanel = false;
    drawPanel(roundView);
  }
  const onScreen = new Set();
  /** Chart names, least recently drawn first (a Set keeps insertion order). */
  const order = new Set();
  /** When each chart was last drawn (performance.now()). */
  const lastDrawn = new Map();
  /** Per chart: the slowest draw so far and a running estimate of the next one (ms). */
  const stats = { frameMs: 0, maxFrameMs: 0, chartMs: {}, chartCostMs: {} };
  /** Charts chosen by a frame whose draw task has not run yet. */
  const pending = new Set();
  let panelDirty = false;
  /** Draws since the User Timing entries were last cleared. */
  let measured = 0;
  let queued = false;

  /** Draws chart `name` from `view` (the latest when undefined), which shows every change up
   * to `shows`. */
  function draw(name, view = undefined, shows = version) {
    const first = !lastDrawn.has(name);
    lastDrawn.set(name, performance.now());
    if ((dirtyAt.get(name) ?? 0) <= shows) dirty.delete(name);
    order.delete(name);
    order.add(name);
    const t0 = performance.now();
    drawChart(name, charts.get(name), view);
    const ms = performance.now() - t0;
    // A User Timing entry per draw: the browser's performance panel shows it, and the page
    // benchmark matches long tasks to the draws inside them. The browser keeps every entry, so
    // the oldest go once there are a few minutes' worth.
    if (++measured > MAX_MEASURES) {
      performance.clearMeasures();
      measured = 1;
    }
    performance.measure(`chart ${name}${first ? ' (first)' : ''}`, { start: t0, duration: ms });
    stats.chartMs[name] = Math.max(stats.chartMs[name] || 0, Math.round(ms));
    // A chart's first draw builds its components and runs ECharts' code cold: several times a
    // later draw, so it does not seed the estimate.
    const cost = stats.chartCostMs[name];
    if (!first) stats.chartCostMs[name] = cost === undefined ? ms : cost + COST_SMOOTHING * (ms - cost);
    return ms;
  }

  /** How long between two rounds: all charts on screen, drawn once each, take at most
   * DRAW_SHARE of that time. */
  function redrawInterval() {
    let round = 0;
    for (const name of onScreen) round += stats.chartCostMs[name] || 0;
    return Math.min(MAX_REDRAW_MS, Math.max(MIN_REDRAW_MS, round / DRAW_SHARE));
  }

  function frame() {
    queued = false;
    const t0 = performance.now();
    const interval = redrawInterval();
    const stale = [...order].filter((name) => dirty.has(name) && onScreen.has(name) && !pending.has(name) && !round.has(name));
    if ((stale.length > 0 || panelDirty) && t0 - roundAt >= interval) {
      // A new round: the panel and every out-of-date chart on screen, from the same view.
      roundAt = t0;
      roundView = capture();
      roundVersion = version;
      for (const name of stale) round.add(name);
      roundPanel = roundPanel || panelDirty;
      panelDirty = false;
    } else {
      // A chart that was not on screen when the round started (scrolled into view) joins it.
      for (const name of stale) if ((lastDrawn.get(name) ?? -Infinity) < roundAt) round.add(name);
    }
    // Least recently drawn first; a chart that would overrun the budget waits for a later
    // frame, unless it is the first of this frame (else an expensive chart would never be drawn).
    const picked = [];
    let cost = 0;
    for (const name of order) {
      if (!round.has(name)) continue;
      const expected = stats.chartCostMs[name] || 0;
      if (picked.length > 0 && cost + expected > RENDER_BUDGET_MS) continue;
      picked.push(name);
      round.delete(name);
      cost += expected;
    }
    for (const name of picked) {
      pending.add(name);
      roundDrawing += 1;
      const view = roundView;
      const shows = roundVersion;
      afterFrame(() => {
        pending.delete(name);
        roundDrawing -= 1;
        // Drawn in the meantime by flush() or drawNow(): nothing left to do.
        if (dirty.has(name)) draw(name, view, shows);
        finishRound();
      });
    }
    finishRound();
    stats.frameMs = performance.now() - t0;
    stats.maxFrameMs = Math.max(stats.maxFrameMs, stats.frameMs);
    // Frames go on while a round is drawn, and while out-of-date charts or the panel wait for
    // the next round.
    if (round.size > 0 || panelDirty || roundPanel || [...dirty].some((name) => onScreen.has(name) && !pending.has(name))) request();
  }

  function request() {
    if (queued) return;
    queued = true;
    requestAnimationFrame(frame);
  }

  for (const node of root.querySelectorAll('[data-chart]')) {
    charts.set(node.dataset.chart, echarts.init(node, null, { renderer: 'canvas' }));
    order.add(node.dataset.chart);
  }
  const resize = new ResizeObserver(() => {
    for (const [name, chart] of charts) {
      chart.resize();
      dirty.add(name);
      dirtyAt.set(name, version);
    }
    request();
  });
  const visibility = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (e.isIntersecting) onScreen.add(e.target.dataset.chart);
      else onScreen.delete(e.target.dataset.chart);
    }
    request();
  });
  for (const chart of charts.values()) {
    resize.observe(chart.getDom());
    visibility.observe(chart.getDom());
  }

  return {
    charts,
    stats,
    /** Everything is out of date (a new snapshot or a change of view). `now`: start a round at
     * the next frame, without waiting for the interval (nothing more is streaming in).
     * `names`: only these charts (and the panel) are out of date (the ensemble's bands). */
    invalidate(now = false, names = null) {
      version += 1;
      if (now) roundAt = -Infinity;
      for (const name of names ? names.filter((n) => charts.has(n)) : charts.keys()) {
        dirty.add(name);
        dirtyAt.set(name, version);
      }
      panelDirty = true;
      request();
    },
    /** Draws chart `name` now if it is out of date (e.g. before reading its option). */
    flush(name) {
      if (dirty.has(name)) draw(name);
    },
    /** Draws chart `name` now, stale or not; returns how long it took (ms). For benchmarks. */
    drawNow(name) {
      return draw(name);
    },
  };
}
