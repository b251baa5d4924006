// Small multiples (issue 18, item 1): one chosen time chart drawn once per run, side by side
// with the same axes: the run on screen, the status quo beside it, and every saved run
// (saved-runs.js). Where the overlay draws all runs on one chart, this draws each on its own,
// which reads better once three or four runs cross one another.
//
// Each small chart is charts.js's own option for that chart (`timeChartOption`), given a
// snapshot-shaped object built from the run's monthly series, then set to the shared axes:
// time from 0 to the longest run, values over the range of every run drawn. The panel is a
// picture taken when it is opened (and again when the chart, the saved runs or the language
// change, or on Redraw): it does not follow a run month by month.

import { TIME_CHARTS, timeChartOption } from './charts.js';
import { YEAR_DAYS } from './calendar.js';
import { t, onLanguageChange } from './i18n.js';

/** Value-axis steps per small chart, about: three steps leave room for the labels. */
const STEPS = 3;

/** The smallest step of 1, 2, 2.5 or 5 × a power of ten that is at least `v`. */
export function niceStep(v) {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v - 1e-12 * p) return m * p;
  return 10 * p;
}

/** A value axis from `lo` (or below, to a whole step) to `hi` (or above), in whole steps. */
export function niceAxis(lo, hi) {
  const step = niceStep((hi - lo) / STEPS);
  const min = Math.floor(lo / step + 1e-9) * step;
  return { min, max: Math.ceil(hi / step - 1e-9) * step, interval: step };
}

/**
 * The small charts' options, one per run, all on the same axes.
 * @param {object} spec an entry of TIME_CHARTS
 * @param {{ name: string, day: number, monthStarts: number[], months: object, marks?: object[] }[]} runs
 */
export function multiplesOptions(spec, runs) {
  // The time axis spans the longest horizon (a run part-way shows where it stands in it).
  const days = Math.max(...runs.map((r) => Math.max(r.totalDays || 0, r.day)), 1);
  const options = runs.map((r) =>
    timeChartOption(spec, { totalDays: days, day: r.day, monthStarts: r.monthStarts, current: { months: r.months } }, { showBaseline: false, marks: r.marks || [] }),
  );
  // The range of every run drawn, per panel (the trust-and-cooperation chart has two).
  const panels = spec.panels ? spec.panels.length : 1;
  const range = Array.from({ length: panels }, () => ({ min: Infinity, max: -Infinity }));
  for (const o of options) {
    for (const s of o.series) {
      for (const [, v] of s.data) {
        if (typeof v !== 'number') continue;
        const r = range[s.yAxisIndex || 0];
        r.min = Math.min(r.min, v);
        r.max = Math.max(r.max, v);
      }
    }
  }
  const axisFor = (i) => {
    const { min, max } = range[i];
    const seen = Number.isFinite(max);
    const lo = spec.yMin ?? (seen ? Math.min(0, min) : 0);
    const top = typeof spec.yMax === 'number' ? spec.yMax : typeof spec.yMax === 'function' ? spec.yMax(seen ? max : 1) : seen ? max : 1;
    return niceAxis(lo, Math.max(top, lo + 1e-9));
  };
  const xMax = days / YEAR_DAYS;
  return options.map((o) => {
    const y = [o.yAxis].flat().map((a, i) => ({ ...a, ...axisFor(i), scale: false }));
    const x = [o.xAxis].flat().map((a) => ({ ...a, max: xMax }));
    return {
      ...o,
      // The run's name stands above each chart, and the tiers' colours are those of the big
      // chart: a legend in every small chart would take half of it.
      legend: { ...o.legend, show: false },
      grid: [o.grid].flat().map((g) => ({ ...g, top: typeof g.top === 'number' ? 12 : g.top })),
      yAxis: Array.isArray(o.yAxis) ? y : y[0],
      xAxis: Array.isArray(o.xAxis) ? x : x[0],
    };
  });
}

/**
 * @param {object} deps
 * @param {object} deps.echarts the ECharts module
 * @param {Element} deps.before the element the panel goes before (the charts' grid)
 * @param {() => { name: string, day: number, monthStarts: number[], months: object, marks?: object[], kind: string }[]} deps.runs
 *   the runs to draw now: the current run, the status quo, then each saved run
 * @param {Document} [root]
 */
export function createSmallMultiples({ echarts, before, runs }, root = document) {
  const panel = root.createElement('section');
  panel.className = 'multiples';
  panel.dataset.multiples = '';
  panel.hidden = true;
  panel.innerHTML = `<div class="multiples-head">
      <h2 data-multiples-title></h2>
      <label class="multiples-pick"><span data-multiples-pick-label></span> <select data-multiples-chart></select></label>
      <button type="button" data-action="multiples-redraw"></button>
      <button type="button" data-action="close-multiples" class="multiples-close"></button>
    </div>
    <p class="multiples-note" data-multiples-note></p>
    <p class="multiples-key" data-multiples-key></p>
    <div class="multiples-grid" data-multiples-grid></div>`;
  before.before(panel);
  const select = panel.querySelector('[data-multiples-chart]');
  const gridEl = panel.querySelector('[data-multiples-grid]');
  let charts = [];
  let chartName = TIME_CHARTS[0].name;

  /** A time chart's name as its card's title says it (in the page's language). */
  const titleOf = (name) => root.querySelector(`[data-chart="${name}"]`)?.closest('.card')?.querySelector('h2')?.textContent.trim() || name;

  function writeTexts() {
    panel.setAttribute('aria-label', t('saved.multiplesTitle'));
    panel.querySelector('[data-multiples-title]').textContent = t('saved.multiplesHeading');
    panel.querySelector('[data-multiples-pick-label]').textContent = t('saved.multiplesChart');
    panel.querySelector('[data-action="multiples-redraw"]').textContent = t('saved.multiplesRedraw');
    const close = panel.querySelector('[data-action="close-multiples"]');
    close.textContent = t('saved.multiplesClose');
    close.setAttribute('aria-label', t('saved.multiplesCloseLabel'));
    panel.querySelector('[data-multiples-note]').textContent = t('saved.multiplesNote');
    select.replaceChildren(
      ...TIME_CHARTS.map((spec) => {
        const opt = root.createElement('option');
        opt.value = spec.name;
        opt.textContent = titleOf(spec.name);
        return opt;
      }),
    );
    select.value = chartName;
  }

  function dispose() {
    for (const c of charts) c.dispose();
    charts = [];
    gridEl.replaceChildren();
  }

  /** The run's name as shown above its chart. */
  const label = (r) => (r.kind === 'current' ? t('saved.multiplesCurrent') : r.kind === 'baseline' ? t('saved.multiplesBaseline') : r.name);

  /** One key for every small chart: the series' colours and names (the legend each would repeat). */
  function drawKey(spec) {
    const key = panel.querySelector('[data-multiples-key]');
    key.replaceChildren(
      ...(spec.legend ? spec.legend() : spec.series.map((s) => s.label)).map((label) => {
        const s = spec.series.find((x) => x.label === label);
        const entry = root.createElement('span');
        entry.className = 'multiples-key-entry';
        const swatch = root.createElement('i');
        swatch.style.background = s.color;
        entry.append(swatch, label);
        return entry;
      }),
    );
  }

  function draw() {
    dispose();
    if (panel.hidden) return;
    const spec = TIME_CHARTS.find((c) => c.name === chartName);
    drawKey(spec);
    const list = runs().filter((r) => r.day > 0);
    if (!list.length) {
      const empty = root.createElement('p');
      empty.className = 'multiples-empty';
      empty.textContent = t('saved.multiplesEmpty');
      gridEl.append(empty);
      return;
    }
    const options = multiplesOptions(spec, list);
    list.forEach((r, i) => {
      const fig = root.createElement('figure');
      fig.className = 'multiple';
      fig.dataset.multiple = r.kind;
      const cap = root.createElement('figcaption');
      cap.dataset.multipleName = '';
      cap.textContent = label(r);
      const box = root.createElement('div');
      box.className = 'multiple-chart';
      box.setAttribute('role', 'img');
      box.setAttribute('aria-label', t('saved.multipleLabel', { chart: titleOf(chartName), run: label(r) }));
      fig.append(cap, box);
      gridEl.append(fig);
      const chart = echarts.init(box, null, { renderer: 'canvas' });
      chart.setOption(options[i]);
      charts.push(chart);
    });
  }

  const resize = new ResizeObserver(() => {
    for (const c of charts) c.resize();
  });
  resize.observe(gridEl);

  select.addEventListener('change', () => {
    chartName = select.value;
    draw();
  });
  panel.querySelector('[data-action="multiples-redraw"]').addEventListener('click', draw);
  panel.querySelector('[data-action="close-multiples"]').addEventListener('click', () => multiples.close());
  onLanguageChange(() => {
    writeTexts();
    draw();
  });
  writeTexts();

  const multiples = {
    get isOpen() {
      return !panel.hidden;
    },
    /** Opens the panel (on chart `name`, else the last one chosen) and draws it. */
    open(name) {
      if (name && TIME_CHARTS.some((c) => c.name === name)) chartName = name;
      select.value = chartName;
      panel.hidden = false;
      draw();
      panel.scrollIntoView({ block: 'nearest' });
    },
    close() {
      panel.hidden = true;
      dispose();
    },
    toggle() {
      if (panel.hidden) multiples.open();
      else multiples.close();
    },
    /** Redraws when open (saved runs changed). */
    refresh() {
      if (!panel.hidden) draw();
    },
    /** For tests: each small chart's run and ECharts instance. */
    get charts() {
      return charts;
    },
  };
  return multiples;
}
