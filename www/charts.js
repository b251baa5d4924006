// The time-series charts: which outputs each one draws, and how a snapshot becomes an
// ECharts option. Current scenario in colour, the status-quo baseline dashed and faded
// (En-ROADS style), lever changes marked as vertical lines.

import { YEAR_DAYS, monthEnd } from './calendar.js';

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

const pct = (v) => `${Math.round(v * 100)}%`;
/** Shares in the "Show data" tables (data-tables.js): one decimal more than the axis. */
const pct1 = (v) => `${(v * 100).toFixed(1)}%`;
const num1 = (v) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));
const num2 = (v) => v.toFixed(2);

// Legends stay short so three entries fit a laptop-sized card; card titles carry the Chinese.
const tiers = (stem) => [
  { key: `primary${stem}`, label: 'Primary', color: COLORS.primary },
  { key: `secondary${stem}`, label: 'Secondary', color: COLORS.secondary },
  { key: `tertiary${stem}`, label: 'Tertiary', color: COLORS.tertiary },
];
const byTier = (prefix) => [
  { key: `${prefix}_primary`, label: 'Primary', color: COLORS.primary },
  { key: `${prefix}_secondary`, label: 'Secondary', color: COLORS.secondary },
  { key: `${prefix}_tertiary`, label: 'Tertiary', color: COLORS.tertiary },
];

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
      { key: 'upward_referrals_per_1000', label: 'Upward ↑', color: COLORS.up },
      { key: 'downward_referrals_per_1000', label: 'Downward ↓', color: COLORS.down },
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
    panels: ['Patient trust 患者信任', 'Cooperation 协作'],
    legend: ['Primary', 'Secondary', 'Tertiary'],
    series: [
      { key: 'trust_primary', label: 'Primary', color: COLORS.primary },
      { key: 'trust_tertiary', label: 'Tertiary', color: COLORS.tertiary },
      ...byTier('cooperation').map((s) => ({ ...s, panel: 1 })),
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
    series: [{ key: 'spending_per_capita', label: 'Spending per resident', color: COLORS.fund }],
    format: (v) => `¥${Math.round(v).toLocaleString('en-US')}`,
    yMin: 0,
  },
  {
    name: 'fund',
    series: [{ key: 'insurer_balance_ratio', label: 'Fund income ÷ payments', color: COLORS.fund }],
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
      { key: 'doctor_visits_per_day_primary', label: 'Primary doctor', color: COLORS.primary },
      { key: 'doctor_visits_per_day_tertiary', label: 'Tertiary doctor', color: COLORS.tertiary },
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

/** The tooltip of a chart with panels: the day, then each panel's name and its values. */
function panelTooltip(spec, panels) {
  const panelOf = new Map(spec.series.map((s) => [s.key, s.panel || 0]));
  return (params) => {
    const list = Array.isArray(params) ? params : [params];
    if (!list.length) return '';
    const day = Math.round(list[0].value[0] * YEAR_DAYS);
    const rows = [`Day ${day.toLocaleString('en-US')}`];
    panels.forEach((name, i) => {
      const here = list.filter((p) => panelOf.get(String(p.seriesId).replace(/:(baseline|saved:.*)$/, '')) === i);
      if (!here.length) return;
      rows.push(`<b>${name}</b>`);
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
  const panels = spec.panels || [null];
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
        line(s, `${s.key}:baseline`, `${s.label} · baseline`, data, {
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
        line(s, `${s.key}:saved:${run.id}`, `${s.label} · ${run.name}`, data, {
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
  const grid = stacked
    ? panels.map((_, i) => ({
        left: 46,
        right: 12,
        height: share,
        ...(i === 0 ? { top: 40 } : i === panels.length - 1 ? { bottom: 24 } : { top: `${(100 * i) / panels.length + 6}%` }),
      }))
    : { left: 46, right: 12, top: 30, bottom: 24 };
  const axisLabel = { color: COLORS.muted, fontSize: 11 };
  const xAxis = panels.map((_, i) => ({
    type: 'value',
    gridIndex: i,
    min: 0,
    max: years,
    interval: years > 10 ? 5 : 1,
    axisLabel: { ...axisLabel, show: i === panels.length - 1, formatter: (v) => (v === 0 ? '0' : `Y${v}`) },
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
          nameTextStyle: { align: 'left', color: COLORS.ink, fontSize: 11, fontWeight: 600 },
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
      data: spec.legend || spec.series.map((s) => s.label),
      top: 0,
      left: 0,
      right: 0,
      itemGap: 8,
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { fontSize: 11, color: COLORS.ink },
      selectedMode: true,
    },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? spec.format(v) : v),
      axisPointer: { type: 'line' },
      // Stacked panels name their series alike (one legend entry per tier), so the tooltip
      // heads each panel's values with the panel's name.
      ...(stacked ? { formatter: panelTooltip(spec, panels) } : {}),
    },
    // Pointing at one panel shows the same moment in the other.
    ...(stacked ? { axisPointer: { link: [{ xAxisIndex: 'all' }] } } : {}),
    xAxis: stacked ? xAxis : xAxis[0],
    yAxis: stacked ? yAxis : yAxis[0],
    series,
  };
}
