// A rehearsal of the charts' first draws, out of sight, before the first run.
//
// The first draws of a chart with data are several times slower than later ones: V8 still
// runs ECharts' code for lines, the Sankey and the map in its interpreter and compiles it as
// it gets hot, and ECharts builds the elements for the first time. The region drawn at
// set-up has no data yet, so without a rehearsal those draws come in the first second of a
// run, while both model workers hold both cores of a small machine: on the project's machine
// each was a long task of 50-80 ms. So once the first region is set up, the page draws each
// kind of chart a few times into hidden charts, from a made-up snapshot of the real one's
// shape, one draw per task while the page is idle. Pressing Go stops the rehearsal.
//
// It pays, a little: in 20 first runs each with and without it (`node benches/page-bench.mjs
// --first-run 1`, fresh browser profiles, Go at once or after 1.5 s, alternated on a busy
// 2-core host), the first simulated year had long tasks in 3 runs with it (8 tasks) and in
// 10 without (18 tasks, 51-100 ms); from the first data to every chart on screen drawn took
// a median 181 and 129 ms with it, 305 and 177 ms without. It costs about half a second of
// idle time after Ready (16 draws of 4-47 ms).

import { monthsBegun } from './calendar.js';

/** How many times each kind of chart is drawn. */
const ROUNDS = 4;

/**
 * A snapshot with the shape of `snap` (same series, facilities and summary keys) and made-up
 * values for every month of the horizon, a baseline, and flows between every pair of
 * facilities.
 */
export function rehearsalSnapshot(snap) {
  const windows = monthsBegun(snap.monthStarts, snap.totalDays);
  const wave = (k) => Float64Array.from({ length: windows }, (_, i) => 0.3 + 0.2 * Math.sin(i / 4 + k));
  const months = Object.fromEntries(Object.keys(snap.current.months).map((name, k) => [name, wave(k)]));
  const summary = Object.fromEntries(
    Object.entries(snap.current.summary).map(([key, v], k) => [key, typeof v === 'number' ? 1 + (k % 7) : v]),
  );
  const n = snap.current.facilities.length;
  const flows = Uint32Array.from({ length: n * n }, (_, i) => (i * 7919) % 101);
  const side = { summary, months, facilities: snap.current.facilities };
  return { ...snap, day: snap.totalDays, flows, current: side, baseline: side };
}

/**
 * A made-up ensemble aggregate (ensemble.js) of `snap`'s shape: quantile bands of every series
 * for every month of the horizon. The bands' first draws (stacked areas: code ECharts has not
 * run yet) are rehearsed from it when an ensemble starts, while its first pairs compute.
 */
export function rehearsalAggregate(snap) {
  const windows = monthsBegun(snap.monthStarts, snap.totalDays);
  const wave = (k, d) => Float64Array.from({ length: windows }, (_, i) => 0.3 + 0.2 * Math.sin(i / 4 + k) + d);
  const bands = Object.fromEntries(
    Object.keys(snap.current.months).map((name, k) => [name, { p5: wave(k, -0.1), p25: wave(k, -0.05), median: wave(k, 0), p75: wave(k, 0.05), p95: wave(k, 0.1) }]),
  );
  return { monthStarts: snap.monthStarts, totalDays: snap.totalDays, bands: { effect: bands, scenario: bands } };
}

/**
 * Draws each chart of `names` ROUNDS times into a hidden chart of its own, with
 * `draw(name, chart)`, one draw per task. Returns `{ stop, drawn, finished }`: `stop()` ends
 * it early (the hidden charts are disposed either way); `drawn` (draws so far) and `finished`
 * are kept up to date, for tests.
 */
export function rehearse(echarts, names, draw) {
  const boxes = [];
  const charts = new Map();
  for (const name of names) {
    const box = document.createElement('div');
    box.setAttribute('aria-hidden', 'true');
    // Laid out (ECharts needs a size) but off the screen, and out of the page's flow. Not
    // `position: fixed`: ECharts' tooltip turns any box that is not absolute into a relative
    // one, which put these in the body's column and squeezed the page out of sight (issue 18).
    box.style.cssText = 'position:absolute;left:-10000px;top:0;width:420px;height:300px;';
    document.body.append(box);
    boxes.push(box);
    charts.set(name, echarts.init(box, null, { renderer: 'canvas' }));
  }
  const queue = [];
  for (let r = 0; r < ROUNDS; r++) queue.push(...names);
  let stopped = false;
  const status = {
    stop() {
      stopped = true;
    },
    drawn: 0,
    finished: false,
  };
  const later = (fn) => (window.requestIdleCallback ? requestIdleCallback(fn, { timeout: 500 }) : setTimeout(fn, 30));

  function next() {
    if (!stopped && queue.length) {
      const name = queue.shift();
      const t0 = performance.now();
      draw(name, charts.get(name));
      performance.measure(`rehearsal ${name}`, { start: t0, duration: performance.now() - t0 });
      status.drawn += 1;
      later(next);
      return;
    }
    for (const chart of charts.values()) chart.dispose();
    for (const box of boxes) box.remove();
    status.finished = true;
  }
  later(next);
  return status;
}
