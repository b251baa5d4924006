// The time-series charts: which outputs each one draws, and how a snapshot becomes an
// ECharts option. Current scenario in colour, the status-quo baseline dashed and faded
// (En-ROADS style), lever changes marked as vertical lines.

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

/** Every time-series chart, by its `data-chart` name. */
export const TIME_CHARTS = [
  {
    name: 'visit-shares',
    series: tiers('_visit_share'),
    format: pct,
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
    yMin: 0,
    yMax: 1,
  },
  {
    name: 'trust-cooperation',
    series: [
      { key: 'trust_primary', label: 'Trust in primary', color: COLORS.primary },
      { key: 'trust_tertiary', label: 'Trust in tertiary', color: COLORS.tertiary },
      { key: 'cooperation_index', label: 'Cooperation', color: COLORS.cooperation },
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

/** Points `[year, value]` of a monthly series: window i ends on day min(30(i+1), day). */
export function monthlyPoints(values, day) {
  const out = [];
  if (!values) return out;
  for (let i = 0; i < values.length; i++) {
    const end = Math.min((i + 1) * 30, day);
    out.push([end / 365, values[i]]);
  }
  return out;
}

function baselineColor(hex) {
  // The baseline keeps its hue (so tiers stay apart) but is faded toward grey.
  const n = parseInt(hex.slice(1), 16);
  const mix = (c) => Math.round(c * 0.55 + 150 * 0.45);
  return `rgb(${mix(n >> 16)}, ${mix((n >> 8) & 255)}, ${mix(n & 255)})`;
}

/**
 * The ECharts option of a time chart for a snapshot.
 * @param {object} spec an entry of TIME_CHARTS
 * @param {object} snap the worker's snapshot
 * @param {{ showBaseline: boolean, marks: {day: number, label: string}[] }} view
 */
export function timeChartOption(spec, snap, view) {
  const years = snap.totalDays / 365;
  const series = [];
  let max = -Infinity;
  for (const s of spec.series) {
    const data = monthlyPoints(snap.current.months[s.key], snap.day);
    for (const [, v] of data) max = Math.max(max, v);
    series.push({
      id: s.key,
      name: s.label,
      type: 'line',
      data,
      showSymbol: false,
      lineStyle: { width: 2.2, color: s.color },
      itemStyle: { color: s.color },
      z: 3,
    });
  }
  if (view.showBaseline && snap.baseline) {
    for (const s of spec.series) {
      const data = monthlyPoints(snap.baseline.months[s.key], snap.day);
      for (const [, v] of data) max = Math.max(max, v);
      series.push({
        id: `${s.key}:baseline`,
        name: `${s.label} · baseline`,
        type: 'line',
        data,
        showSymbol: false,
        lineStyle: { width: 1.6, type: [5, 4], color: baselineColor(s.color) },
        itemStyle: { color: baselineColor(s.color) },
        z: 2,
      });
    }
  }
  const marks = view.marks.filter((m) => m.day > 0).map((m) => ({ xAxis: m.day / 365, name: m.label }));
  if (spec.line !== undefined) marks.push({ yAxis: spec.line, name: '' });
  if (series.length) {
    series[0].markLine = {
      silent: true,
      symbol: 'none',
      label: { show: false },
      lineStyle: { color: '#9aa5b1', type: 'dotted', width: 1 },
      data: marks,
      animation: false,
    };
  }
  const yMax = typeof spec.yMax === 'function' ? spec.yMax(Number.isFinite(max) ? max : 1) : spec.yMax;
  return {
    animation: false,
    grid: { left: 46, right: 12, top: 30, bottom: 24 },
    legend: {
      type: 'scroll',
      data: spec.series.map((s) => s.label),
      top: 0,
      left: 0,
      right: 0,
      itemGap: 8,
      pageIconSize: 10,
      itemWidth: 14,
      itemHeight: 8,
      textStyle: { fontSize: 11, color: COLORS.ink },
      selectedMode: true,
    },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? spec.format(v) : v),
      axisPointer: { type: 'line' },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: years,
      interval: years > 10 ? 5 : 1,
      axisLabel: { formatter: (v) => (v === 0 ? '0' : `Y${v}`), color: COLORS.muted, fontSize: 11 },
      splitLine: { show: false },
      axisTick: { show: false },
    },
    yAxis: {
      type: 'value',
      min: spec.yMin,
      max: yMax,
      scale: spec.yMin === undefined,
      splitNumber: 4,
      interval: yMax === 1 ? 0.25 : undefined,
      axisLabel: { formatter: spec.format, color: COLORS.muted, fontSize: 11 },
      splitLine: { lineStyle: { color: COLORS.grid } },
    },
    series,
  };
}
