// The board of charts: one ECharts instance per `[data-chart]` container, redrawn over
// animation frames. Each frame draws the out-of-date charts that are on screen until a
// small time budget is spent, so even with a dozen charts (or a busy machine) no single
// task blocks the page. Charts scrolled out of view are drawn when they come into view.

const RENDER_BUDGET_MS = 24;

/**
 * @param {object} echarts the ECharts module (vendor/echarts.js)
 * @param {{ drawPanel: () => void, drawChart: (name: string, chart: object) => void }} draw
 *   `drawPanel` updates the cheap DOM parts once per frame; `drawChart` sets one chart's option
 */
export function createChartBoard(echarts, { drawPanel, drawChart }, root = document) {
  const charts = new Map();
  const dirty = new Set();
  const onScreen = new Set();
  const stats = { frameMs: 0, maxFrameMs: 0, chartMs: {} };
  let panelDirty = false;
  let queued = false;

  function draw(name) {
    dirty.delete(name);
    const t0 = performance.now();
    drawChart(name, charts.get(name));
    stats.chartMs[name] = Math.max(stats.chartMs[name] || 0, Math.round(performance.now() - t0));
  }

  function frame() {
    queued = false;
    const t0 = performance.now();
    if (panelDirty) {
      panelDirty = false;
      drawPanel();
    }
    for (const name of charts.keys()) {
      if (!dirty.has(name) || !onScreen.has(name)) continue;
      draw(name);
      if (performance.now() - t0 > RENDER_BUDGET_MS) break;
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
  };
}
