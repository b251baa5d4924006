// The board of charts: one ECharts instance per `[data-chart]` container, redrawn over
// animation frames. Each frame draws out-of-date charts that are on screen while their
// expected cost fits a small budget (always at least one), so even with a dozen charts
// (or a busy machine) no single task blocks the page: a frame's work stays well under the
// 50 ms of a "long task". Charts scrolled out of view are drawn when they come into view.

/** Milliseconds of chart drawing per frame; the browser's own layout and paint come on top. */
const RENDER_BUDGET_MS = 14;
/** A chart is redrawn at most this often (ms): while a run streams snapshots faster than
 * that, each chart skips to the latest one, which leaves the page's thread idle time. */
const MIN_REDRAW_MS = 150;
/** Weight of the newest draw in a chart's running cost estimate. */
const COST_SMOOTHING = 0.3;

/**
 * @param {object} echarts the ECharts module (vendor/echarts.js)
 * @param {{ drawPanel: () => void, drawChart: (name: string, chart: object) => void }} draw
 *   `drawPanel` updates the cheap DOM parts once per frame; `drawChart` sets one chart's option
 */
export function createChartBoard(echarts, { drawPanel, drawChart }, root = document) {
  const charts = new Map();
  const dirty = new Set();
  const onScreen = new Set();
  /** Chart names, least recently drawn first (a Set keeps insertion order). */
  const order = new Set();
  /** When each chart was last drawn (performance.now()). */
  const lastDrawn = new Map();
  /** Per chart: the slowest draw so far and a running estimate of the next one (ms). */
  const stats = { frameMs: 0, maxFrameMs: 0, chartMs: {}, chartCostMs: {} };
  let panelDirty = false;
  let queued = false;

  function draw(name) {
    lastDrawn.set(name, performance.now());
    dirty.delete(name);
    order.delete(name);
    order.add(name);
    const t0 = performance.now();
    drawChart(name, charts.get(name));
    const ms = performance.now() - t0;
    stats.chartMs[name] = Math.max(stats.chartMs[name] || 0, Math.round(ms));
    const cost = stats.chartCostMs[name];
    stats.chartCostMs[name] = cost === undefined ? ms : cost + COST_SMOOTHING * (ms - cost);
    return ms;
  }

  function frame() {
    queued = false;
    const t0 = performance.now();
    if (panelDirty) {
      panelDirty = false;
      drawPanel();
    }
    let drawn = 0;
    // Least recently drawn first, so that while snapshots arrive faster than the board can
    // draw, every chart still takes its turn.
    for (const name of [...order]) {
      if (!dirty.has(name) || !onScreen.has(name)) continue;
      if (t0 - (lastDrawn.get(name) ?? -Infinity) < MIN_REDRAW_MS) continue;
      // A chart that would overrun the budget waits for the next frame, unless it is the
      // first of this frame (else an expensive chart would never be drawn).
      if (drawn > 0 && performance.now() - t0 + (stats.chartCostMs[name] || 0) > RENDER_BUDGET_MS) continue;
      draw(name);
      drawn += 1;
    }
    stats.frameMs = performance.now() - t0;
    stats.maxFrameMs = Math.max(stats.maxFrameMs, stats.frameMs);
    if ([...dirty].some((n) => onScreen.has(n))) request();
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
    /** Everything is out of date (a new snapshot or a change of view). */
    invalidate() {
      for (const name of charts.keys()) dirty.add(name);
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
