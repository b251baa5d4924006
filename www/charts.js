// The time-series charts: which outputs each one draws, and how a snapshot becomes an
// ECharts option. Current scenario in colour, the status-quo baseline dashed and faded
// (En-ROADS style), lever changes marked as vertical lines.
//
// Every name a chart shows (series, legend, panels, axis, tooltip) is looked up in the page's
// language when the option is built, so a language switch relabels the charts at their next
// draw without touching the run.

import { YEAR_DAYS, monthEnd } from './calendar.js';
import { t, formatNumber } from './i18n.js';

export const COLORS = {
  primary: '#1b9e77',
  secondary: '#d95f02',
  tertiary: '#7570b3',
  up: '#d6336c',
  down: '#2b8a3e',
  cooperation: '#b08900',
  fund: '#1c6fb5',
  ink: '#1f2933',
  muted: '#6b7785',
  grid: '#e4e8ee',
};

/** Chart text at 1280×720 and below (px): axis labels, legends, panel names. Presentation mode
 * raises it further (presentation.js). */
export const CHART_FONT_PX = 13;

const pct = (v) => `${Math.round(v * 100)}%`;
/** Shares in the "Show data" tables (data-tables.js): one decimal more than the axis. */
const pct1 = (v) => `${(v * 100).toFixed(1)}%`;
const num1 = (v) => (Math.abs(v) >= 100 ? formatNumber(Math.round(v)) : v.toFixed(1));
const num2 = (v) => v.toFixed(2);

// Legends stay short so three entries fit a laptop-sized card; card titles carry the Chinese.
// Labels are getters: read when a chart is drawn, in the language of that moment.
const TIER_LABELS = {
  primary: () => t('results.tier.primary'),
  secondary: () => t('results.tier.secondary'),
  tertiary: () => t('results.tier.tertiary'),
};
/** A series drawn by the tier `tier`, labelled with the tier's name (a getter: never spread
 * such an object, which would freeze the label in the language of that moment). */
const tierSeries = (key, tier, panel = 0) => ({
  key,
  get label() {
    return TIER_LABELS[tier]();
  },
  color: COLORS[tier],
  panel,
});
/** A series with a label from `label()`. */
const named = (key, label, color) => ({
  key,
  get label() {
    return label();
  },
  color,
});
const TIERS = ['primary', 'secondary', 'tertiary'];
const tiers = (stem) => TIERS.map((tier) => tierSeries(`${tier}${stem}`, tier));
const byTier = (prefix, panel = 0) => TIERS.map((tier) => tierSeries(`${prefix}_${tier}`, tier, panel));

/** Every time-series chart, by its `data-chart` name. `format` labels the axis and the
 * tooltip; `tableFormat`, when given, the chart's data table (else `format`). */
export const TIME_CHARTS = [
  {
    name: 'visit-shares',
    series: tiers('_visit_share'),
    format: pct,
    tableFormat: pct1,
    yMin: 0,
    yMax: 1,
  },
  {
    name: 'referrals',
    series: [
      named('upward_referrals_per_1000', () => t('results.series.upward'), COLORS.up),
      named('downward_referrals_per_1000', () => t('results.series.downward'), COLORS.down),
    ],
    format: num1,
    yMin: 0,
  },
  {
    name: 'admission-shares',
    series: tiers('_admission_share'),
    format: pct,
    tableFormat: pct1,
    yMin: 0,
    yMax: 1,
  },
  {
    // Two panels over one time axis, one legend by tier (clicking a tier hides it in both):
    // patients' trust on top, the facilities' cooperation below. Cooperation is drawn by tier
    // because the mean (`cooperation_index`, a key figure) hides that primary centres and
    // tertiary hospitals can move in opposite directions.
    name: 'trust-cooperation',
    // Each panel: its name above it, and its short name in the data table's columns.
    panels: [
      { title: () => t('results.panel.trust'), short: () => t('results.panel.trustShort') },
      { title: () => t('results.panel.cooperation'), short: () => t('results.panel.cooperationShort') },
    ],
    legend: () => TIERS.map((tier) => TIER_LABELS[tier]()),
    series: [
      tierSeries('trust_primary', 'primary'),
      tierSeries('trust_tertiary', 'tertiary'),
      ...byTier('cooperation', 1),
    ],
    format: num2,
    yMin: 0,
    yMax: 1,
  },
  {
    name: 'waits',
    series: byTier('wait_days'),
    format: num1,
    yMin: 0,
  },
  {
    name: 'occupancy',
    series: byTier('occupancy'),
    format: pct,
    tableFormat: pct1,
    yMin: 0,
    yMax: (max) => Math.max(1, Math.ceil(max * 10) / 10),
  },
  {
    name: 'spending',
    series: [named('spending_per_capita', () => t('results.series.spending'), COLORS.fund)],
    format: (v) => `¥${formatNumber(Math.round(v))}`,
    yMin: 0,
  },
  {
    name: 'fund',
    series: [named('insurer_balance_ratio', () => t('results.series.fund'), COLORS.fund)],
    format: num2,
    yMin: 0,
    line: 1,
  },
  {
    name: 'margins',
    series: byTier('margin'),
    format: pct,
    tableFormat: pct1,
    line: 0,
  },
  {
    name: 'workload',
    series: [
      named('doctor_visits_per_day_primary', () => t('results.series.primaryDoctor'), COLORS.primary),
      named('doctor_visits_per_day_tertiary', () => t('results.series.tertiaryDoctor'), COLORS.tertiary),
    ],
    format: num1,
    yMin: 0,
  },
];

/** Every output a snapshot must carry for the charts, the Sankey and the key figures. */
export function seriesNeeded() {
  return [...new Set(TIME_CHARTS.flatMap((c) => c.series.map((s) => s.key)))];
}

/** Points `[year, value]` of a series by the model's months: month i's value drawn at its
 * end (the next month's start, or `day` inside it), from the snapshot's `monthStarts`. */
export function monthlyPoints(values, monthStarts, day) {
  const out = [];
  if (!values) return out;
  for (let i = 0; i < values.length; i++) out.push([monthEnd(monthStarts, i, day) / YEAR_DAYS, values[i]]);
  return out;
}

/** Series names may carry a saved run's name, typed by the user. */
const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** A time chart's tooltip: the day (in the page's language, not the axis's fraction of
 * years), then the values; on a chart with panels, each panel's name over its values. */
function timeTooltip(spec, panels) {
  const panelOf = new Map(spec.series.map((s) => [s.key, s.panel || 0]));
  return (params) => {
    const list = Array.isArray(params) ? params : [params];
    if (!list.length) return '';
    const day = Math.round(list[0].value[0] * YEAR_DAYS);
    const rows = [escapeHtml(t('results.tooltip.day', { day }))];
    panels.forEach((name, i) => {
      const here = list.filter((p) => panelOf.get(String(p.seriesId).replace(/:(baseline|saved:.*)$/, '')) === i);
      if (!here.length) return;
      if (name) rows.push(`<b>${escapeHtml(name)}</b>`);
      for (const p of here) {
        const v = typeof p.value[1] === 'number' ? spec.format(p.value[1]) : '–';
        rows.push(`${p.marker}${escapeHtml(p.seriesName)} <b style="float:right;margin-left:16px">${v}</b>`);
      }
    });
    return rows.join('<br>');
  };
}

function baselineColor(hex) {
  // The baseline keeps its hue (so tiers stay apart) but is faded toward grey.
  const n = parseInt(hex.slice(1), 16);
  const mix = (c) => Math.round(c * 0.55 + 150 * 0.45);
  return `rgb(${mix(n >> 16)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})`;
}

/** A saved run's lines (saved-runs.js) keep the tier's hue, darkened. */
function savedColor(hex) {
  const n = parseInt(hex.slice(1), 16);
  const mix = (c) => Math.round(c * 0.72);
  return `rgb(${mix(n >> 16)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})`;
}

/**
 * The ECharts option of a time chart for a snapshot. A chart with `panels` stacks one grid
 * per panel (series choose theirs with `panel`, default 0) over the same time axis.
 * @param {object} spec an entry of TIME_CHARTS
 * @param {object} snap the worker's snapshot
 * @param {{ showBaseline: boolean, marks: {day: number, label: string}[], saved?: object[] }} view
 *   `saved`: the saved runs overlaid (saved-runs.js `overlays`), each drawn in its dash
 */
export function timeChartOption(spec, snap, view) {
  // A saved run with a longer horizon than the run on screen widens the time axis to show it all.
  const years = Math.max(snap.totalDays, ...(view.saved || []).map((r) => r.day)) / YEAR_DAYS;
  // Panel names in the page's language now.
  const panels = spec.panels ? spec.panels.map((p) => p.title()) : [null];
  const series = [];
  let max = -Infinity;
  const line = (s, id, name, data, style) => {
    const panel = s.panel || 0;
    return { id, name, type: 'line', data, showSymbol: false, xAxisIndex: panel, yAxisIndex: panel, ...style };
  };
  for (const s of spec.series) {
    const data = monthlyPoints(snap.current.months[s.key], snap.monthStarts, snap.day);
    for (const [, v] of data) max = Math.max(max, v);
    series.push(
      line(s, s.key, s.label, data, {
        lineStyle: { width: 2.2, color: s.color },
        itemStyle: { color: s.color },
        z: 3,
      }),
    );
  }
  if (view.showBaseline && snap.baseline) {
    for (const s of spec.series) {
      const data = monthlyPoints(snap.baseline.months[s.key], snap.monthStarts, snap.day);
      for (const [, v] of data) max = Math.max(max, v);
      series.push(
        line(s, `${s.key}:baseline`, t('results.series.baseline', { series: s.label }), data, {
          lineStyle: { width: 1.6, type: [5, 4], color: baselineColor(s.color) },
          itemStyle: { color: baselineColor(s.color) },
          z: 2,
        }),
      );
    }
  }
  for (const run of view.saved || []) {
    for (const s of spec.series) {
      const data = monthlyPoints(run.months[s.key], run.monthStarts, run.day);
      for (const [, v] of data) max = Math.max(max, v);
      series.push(
        line(s, `${s.key}:saved:${run.id}`, t('results.series.saved', { series: s.label, run: run.name }), data, {
          lineStyle: { width: 1.8, type: run.dash, color: savedColor(s.color) },
          itemStyle: { color: savedColor(s.color) },
          z: 2,
        }),
      );
    }
  }
  const marks = view.marks.filter((m) => m.day > 0).map((m) => ({ xAxis: m.day / YEAR_DAYS, name: m.label }));
  if (spec.line !== undefined) marks.push({ yAxis: spec.line, name: '' });
  // Lever marks on every panel: carried by the first series drawn in each.
  panels.forEach((_, i) => {
    const first = series.find((s) => s.xAxisIndex === i);
    if (!first) return;
    first.markLine = {
      silent: true,
      symbol: 'none',
      label: { show: false },
      lineStyle: { color: '#9aa5b1', type: 'dotted', width: 1 },
      data: marks,
      animation: false,
    };
  });
  const yMax = typeof spec.yMax === 'function' ? spec.yMax(Number.isFinite(max) ? max : 1) : spec.yMax;
  const stacked = panels.length > 1;
  // Stacked panels share the height below the legend: the first starts under the legend and
  // its name, the last ends above the years, and the gap between them holds the next name
  // (only the last panel labels the years: the time axis is the same).
  const share = `${(72 / panels.length).toFixed(1)}%`;
  // The grids contain their axis labels (`containLabel`): at CHART_FONT_PX a label such as
  // "¥1,234" is wider than a fixed margin, and its width depends on the run and the language.
  const grid = stacked
    ? panels.map((_, i) => ({
        left: 6,
        right: 12,
        height: share,
        containLabel: true,
        ...(i === 0 ? { top: 46 } : i === panels.length - 1 ? { bottom: 4 } : { top: `${(100 * i) / panels.length + 6}%` }),
      }))
    : { left: 6, right: 12, top: 32, bottom: 4, containLabel: true };
  const axisLabel = { color: COLORS.muted, fontSize: CHART_FONT_PX };
  const xAxis = panels.map((_, i) => ({
    type: 'value',
    gridIndex: i,
    min: 0,
    max: years,
    interval: years > 10 ? 5 : 1,
    axisLabel: { ...axisLabel, show: i === panels.length - 1, formatter: (v) => (v === 0 ? '0' : t('results.axis.year', { year: v })) },
    splitLine: { show: false },
    axisTick: { show: false },
  }));
  const yAxis = panels.map((name, i) => ({
    type: 'value',
    gridIndex: i,
    min: spec.yMin,
    max: yMax,
    scale: spec.yMin === undefined,
    splitNumber: stacked ? 2 : 4,
    interval: yMax === 1 ? (stacked ? 0.5 : 0.25) : undefined,
    axisLabel: { ...axisLabel, formatter: spec.format },
    splitLine: { lineStyle: { color: COLORS.grid } },
    ...(name
      ? {
          name,
          nameLocation: 'end',
          nameGap: 6,
          nameTextStyle: { align: 'left', color: COLORS.ink, fontSize: CHART_FONT_PX, fontWeight: 600 },
        }
      : {}),
  }));
  return {
    animation: false,
    grid,
    // A plain legend, never 'scroll': a scrolling legend pages its entries and hides the
    // later ones behind arrows (it hid the cooperation tiers on a narrow card).
    legend: {
      type: 'plain',
      data: spec.legend ? spec.legend() : spec.series.map((s) => s.label),
      top: 0,
      left: 0,
      right: 0,
      itemGap: 8,
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { fontSize: CHART_FONT_PX, color: COLORS.ink },
      selectedMode: true,
    },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line' },
      // Stacked panels name their series alike (one legend entry per tier), so the tooltip
      // heads each panel's values with the panel's name.
      formatter: timeTooltip(spec, panels),
    },
    // Pointing at one panel shows the same moment in the other.
    ...(stacked ? { axisPointer: { link: [{ xAxisIndex: 'all' }] } } : {}),
    xAxis: stacked ? xAxis : xAxis[0],
    yAxis: stacked ? yAxis : yAxis[0],
    series,
  };
}

/**
 * Lays out the stacked panels of a chart with panels (`option.grid` a list) in pixels for a
 * chart `height` px high, at the text sizes the option holds now (after presentation mode's
 * enlargement): the legend, then each panel's name above it, the panels equally tall, the
 * years under the last. Percentages cannot do it: the room that names and labels need does not
 * grow with the chart. Other options are returned unchanged.
 */
export function fitPanels(option, height) {
  if (!Array.isArray(option.grid) || !(height > 0)) return option;
  const axes = [option.yAxis].flat();
  const labelPx = axes[0].axisLabel.fontSize;
  const namePx = Math.max(...axes.map((a) => a.nameTextStyle?.fontSize || 0));
  const legendPx = [option.legend].flat()[0]?.textStyle?.fontSize || labelPx;
  const n = option.grid.length;
  // A grid that contains its labels holds half the top value label above the plot, and the
  // last one the years below it.
  const legend = Math.ceil(legendPx * 1.4) + 4;
  const name = Math.ceil(namePx * 1.3) + 6;
  const between = name + 4 - Math.ceil(labelPx / 2);
  const years = Math.ceil(labelPx * 1.3) + 8;
  const first = legend + name - Math.ceil(labelPx / 2);
  const plot = Math.max(20, (height - first - 4 - years - (n - 1) * between) / n);
  let top = first;
  const grid = option.grid.map((g, i) => {
    const h = plot + (i === n - 1 ? years : 0);
    const out = { ...g, top, height: h, bottom: undefined };
    top += h + between;
    return out;
  });
  return { ...option, grid };
}

// ---------- uncertainty bands (ensemble.js, issue 19) ----------
//
// An ensemble's bands over the seeds: the 90% band (p5..p95) lightly shaded, the 50% band
// (p25..p75) darker, the median a thin dotted line. A series' bands are one stack of lines:
// its lower edge p5 (invisible), then the widths p25 − p5, p75 − p25 and p95 − p75, each
// shaded. Band series are named like the series they band, so the legend hides them with it;
// their ids have no tooltip panel (timeTooltip skips them). `stackStrategy: 'all'` stacks a
// width on a negative edge too (an effect's bands cross zero).

/** The shading of each piece of the stack, bottom up: the 90% band's, the 50% band's. */
const BAND_PIECES = [
  { id: 'outer-low', from: 'p5', to: 'p25', opacity: 0.14 },
  { id: 'inner', from: 'p25', to: 'p75', opacity: 0.32 },
  { id: 'outer-high', from: 'p75', to: 'p95', opacity: 0.14 },
];

/** `[year, value]` points of two monthly arrays' difference `hi − lo` (a piece's width). */
function widthPoints(hi, lo, xs) {
  const out = [];
  for (let i = 0; i < xs.length; i++) out.push([xs[i], hi[i] - lo[i]]);
  return out;
}

/**
 * The band series of chart `spec` from `bands` (by output: `{ median, p5, p25, p75, p95 }`,
 * monthly Float64Arrays), on a horizon of `totalDays` with month starts `monthStarts`.
 * `withMedian`: also draw each median as a thin dotted line. The stack's first series keeps
 * the quantiles as `bands` (for tests: the drawn edges are sums, rounded).
 */
export function bandSeries(spec, bands, monthStarts, totalDays, { withMedian = true } = {}) {
  const series = [];
  for (const s of spec.series) {
    const b = bands[s.key];
    if (!b || !b.median.length) continue;
    const xs = Array.from(b.median, (_, i) => monthEnd(monthStarts, i, totalDays) / YEAR_DAYS);
    const panel = s.panel || 0;
    const stack = `${s.key}:band`;
    const common = { type: 'line', name: s.label, stack, stackStrategy: 'all', showSymbol: false, silent: true, animation: false, xAxisIndex: panel, yAxisIndex: panel, z: 1, lineStyle: { opacity: 0 }, itemStyle: { color: s.color } };
    series.push({
      ...common,
      id: stack,
      data: xs.map((x, i) => [x, b.p5[i]]),
      bands: { p5: Array.from(b.p5), p25: Array.from(b.p25), median: Array.from(b.median), p75: Array.from(b.p75), p95: Array.from(b.p95) },
    });
    for (const piece of BAND_PIECES) {
      series.push({ ...common, id: `${stack}:${piece.id}`, data: widthPoints(b[piece.to], b[piece.from], xs), areaStyle: { color: s.color, opacity: piece.opacity } });
    }
    if (withMedian) {
      series.push({
        ...common,
        id: `${stack}:median`,
        stack: undefined,
        data: xs.map((x, i) => [x, b.median[i]]),
        lineStyle: { width: 1.2, color: s.color, type: [2, 2] },
        z: 2,
      });
    }
  }
  return series;
}

/** An effect on a share axis reads in points ("+5 pts"), others in the chart's own format. */
function effectFormat(spec) {
  const signed = (format) => (v) => (v > 0 ? `+${format(v)}` : v < 0 ? `−${format(-v)}` : format(0));
  if (spec.format === pct) return signed((v) => `${Math.round(v * 100)} ${t('ensemble.pointsAxis')}`);
  return signed(spec.format);
}

/**
 * The option of chart `spec` drawn as the effect (scenario − status quo) over an ensemble's
 * seeds: the median effect as the chart's lines (their tooltips give its values), its 50% and
 * 90% bands, and a line at zero (no effect). The axes fit the bands.
 * @param {object} aggregate ensemble.js `aggregate`
 * @param {{day: number, label: string}[]} marks the days levers change (the timeline)
 */
export function effectChartOption(spec, aggregate, marks) {
  const { monthStarts, totalDays } = aggregate;
  const bands = aggregate.bands.effect;
  const months = {};
  for (const s of spec.series) if (bands[s.key]) months[s.key] = bands[s.key].median;
  const format = effectFormat(spec);
  const effectSpec = { ...spec, yMin: undefined, yMax: undefined, line: 0, format, tableFormat: format };
  const snap = { day: totalDays, totalDays, monthStarts, current: { months }, baseline: null };
  const option = timeChartOption(effectSpec, snap, { showBaseline: false, marks, saved: [] });
  option.series.push(...bandSeries(spec, bands, monthStarts, totalDays, { withMedian: false }));
  return option;
}
