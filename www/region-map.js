// The region map: facilities as circles (size by beds, colour by tier, fill by bed
// occupancy) and patient flows as lines from each primary centre's catchment to the
// facilities its residents visited recently (width by contacts, from `flows()`).

import { COLORS } from './charts.js';
import { monthOf } from './calendar.js';

export const TIER_NAMES = ['Primary 基层', 'Secondary 二级', 'Tertiary 三级'];
const TIER_COLORS = [COLORS.primary, COLORS.secondary, COLORS.tertiary];
const MAX_LINES = 160;
/** How far back the lines look, in the model's months (calendar.js). */
const MAP_WINDOW_MONTHS = 3;

function rgba(hex, alpha) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha.toFixed(3)})`;
}

/**
 * Flows since an earlier snapshot (element-wise difference), or the cumulative flows when
 * there is no earlier one of the same size.
 */
export function recentFlows(latest, earlier) {
  if (!earlier || earlier.length !== latest.length) return latest;
  const out = new Uint32Array(latest.length);
  for (let i = 0; i < latest.length; i++) out[i] = latest[i] - Math.min(earlier[i], latest[i]);
  return out;
}

/**
 * The cumulative flows of a run's snapshots, kept as far back as the map looks (the last
 * MAP_WINDOW_MONTHS months, "the last 3 months" of its caption). `start(snap)` begins a new
 * run, `add(snap)` records a later snapshot, and `recent(snap)` gives the flows since the
 * start of the month MAP_WINDOW_MONTHS before the one `snap` is in (its month starts
 * `snap.monthStarts`, from the worker).
 */
export function createFlowHistory() {
  let history = [];
  const windowStart = (snap) => snap.monthStarts[Math.max(0, monthOf(snap.monthStarts, snap.day) - MAP_WINDOW_MONTHS)];
  return {
    start(snap) {
      history = [{ day: snap.day, flows: snap.flows }];
    },
    add(snap) {
      history.push({ day: snap.day, flows: snap.flows });
      const since = windowStart(snap);
      while (history.length > 2 && history[1].day <= since) history.shift();
    },
    recent(snap) {
      const target = windowStart(snap);
      let earlier = history[0];
      for (const h of history) if (h.day <= target) earlier = h;
      if (!earlier || earlier.day >= snap.day) return snap.flows;
      return recentFlows(snap.flows, earlier.flows);
    },
  };
}

/** Lines from primary centre `r` to facility `c` weighted by contacts, strongest first. */
export function flowLines(facilities, flows) {
  const n = facilities.length;
  const lines = [];
  if (!flows || flows.length !== n * n) return lines;
  for (let r = 0; r < n; r++) {
    if (facilities[r].tier !== 0) continue;
    for (let c = 0; c < n; c++) {
      const w = flows[r * n + c];
      if (c !== r && w > 0) lines.push({ from: r, to: c, w });
    }
  }
  lines.sort((a, b) => b.w - a.w || a.from - b.from || a.to - b.to);
  return lines.slice(0, MAX_LINES);
}

function facilityTooltip(f, base) {
  const occ = f.beds > 0 ? f.occupied / f.beds : 0;
  const rows = [
    `<b>${TIER_NAMES[f.tier]}</b> #${f.id}`,
    `${f.doctors} doctors, ${f.beds} beds`,
    `occupancy ${Math.round(occ * 100)}%` + (base ? ` (baseline ${Math.round((base.occupied / Math.max(1, base.beds)) * 100)}%)` : ''),
    `bed queue ${f.bed_queue}, visit wait ${f.visit_wait.toFixed(1)} d`,
    `cooperation ${f.cooperation.toFixed(2)}, capability ${f.capability.toFixed(2)}`,
    `margin ${Math.round(f.margin * 100)}%`,
  ];
  return rows.join('<br>');
}

/**
 * The square of the region to show: the facilities' extent with a margin (residents live
 * all over the region, but the facilities, and so the flows, cluster in the urban core).
 */
export function viewBox(facilities, side) {
  if (!facilities.length) return { x0: 0, y0: 0, span: side };
  const xs = facilities.map((f) => f.x);
  const ys = facilities.map((f) => f.y);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.min(side, Math.max(side * 0.35, 1.25 * Math.max(maxX - minX, maxY - minY)));
  const clamp = (c) => Math.min(Math.max(c - span / 2, 0), side - span);
  return { x0: clamp((minX + maxX) / 2), y0: clamp((minY + maxY) / 2), span };
}

/** A scale bar of a round number of km, about 70 px long. */
function scaleBar(left, top, kmPerPx) {
  const nice = [0.5, 1, 2, 5, 10, 20, 50, 100];
  const km = nice.find((k) => k / kmPerPx >= 50) || nice[nice.length - 1];
  const w = km / kmPerPx;
  return {
    id: 'scale-bar',
    type: 'group',
    left,
    top,
    silent: true,
    children: [
      { type: 'line', shape: { x1: 0, y1: 8, x2: w, y2: 8 }, style: { stroke: COLORS.muted, lineWidth: 2 } },
      { type: 'line', shape: { x1: 0, y1: 4, x2: 0, y2: 12 }, style: { stroke: COLORS.muted, lineWidth: 1.5 } },
      { type: 'line', shape: { x1: w, y1: 4, x2: w, y2: 12 }, style: { stroke: COLORS.muted, lineWidth: 1.5 } },
      { type: 'text', x: w + 6, y: 1, style: { text: `${km} km`, fill: COLORS.muted, fontSize: 12 } },
    ],
  };
}

/** A small key under the map: how full a circle is drawn at 0%, 50% and 100% occupancy. */
function occupancyKey(left, top) {
  const circle = (x, occ) => ({
    type: 'circle',
    shape: { cx: x, cy: 6, r: 6 },
    style: { fill: rgba(COLORS.muted, 0.08 + 0.92 * occ), stroke: COLORS.muted, lineWidth: 1.4 },
  });
  const text = (x, t) => ({ type: 'text', x, y: -1, style: { text: t, fill: COLORS.muted, fontSize: 12 } });
  return {
    id: 'occupancy-key',
    type: 'group',
    left,
    top,
    silent: true,
    children: [
      text(0, 'Bed occupancy'),
      circle(106, 0),
      text(116, '0%'),
      circle(152, 0.5),
      text(162, '50%'),
      circle(206, 1),
      text(216, '100%'),
    ],
  };
}

/**
 * The ECharts option of the map.
 * @param {object} snap the worker's snapshot
 * @param {Uint32Array} flows contacts to draw (recent or cumulative)
 * @param {{width: number, height: number}} size the chart's pixel size, to keep km square
 */
export function mapOption(snap, flows, size) {
  const side = snap.regionSide;
  const facs = snap.current.facilities.map((f, id) => ({ ...f, id }));
  const baseFacs = snap.baseline ? snap.baseline.facilities : null;
  const legendH = 22;
  const px = Math.max(80, Math.min(size.width - 16, size.height - legendH - 12));
  const grid = { left: (size.width - px) / 2, top: legendH + 4, width: px, height: px };
  const scale = 0.8 * Math.min(1, Math.sqrt(14 / Math.max(1, facs.length))) * Math.min(1.4, px / 260);
  const view = viewBox(facs, side);

  const lines = flowLines(facs, flows);
  const maxW = lines.length ? lines[0].w : 1;
  const lineData = lines.map((l) => {
    const a = facs[l.from];
    const b = facs[l.to];
    return {
      coords: [
        [a.x, a.y],
        [b.x, b.y],
      ],
      value: l.w,
      lineStyle: {
        width: 0.4 + 5 * (l.w / maxW) ** 0.7,
        color: rgba(TIER_COLORS[b.tier], 0.2 + 0.4 * (l.w / maxW)),
      },
    };
  });

  // Each facility is a plain array [x, y, id, occupancy, size] styled by series-level
  // callbacks: per-item style objects would make ECharts build a model for every item on
  // every redraw (the map is the costliest chart of a large region).
  const tierSeries = [0, 1, 2].map((tier) => ({
    id: `tier-${tier}`,
    name: TIER_NAMES[tier],
    type: 'scatter',
    z: 3 + tier,
    data: facs
      .filter((f) => f.tier === tier)
      .map((f) => [f.x, f.y, f.id, f.beds > 0 ? Math.min(1, f.occupied / f.beds) : 0, Math.max(5, (4 + 1.6 * Math.sqrt(f.beds)) * scale)]),
    symbolSize: (value) => value[4],
    // Written on hover only: a large region has hundreds of facilities and redraws often.
    tooltip: { formatter: (p) => facilityTooltip(facs[p.value[2]], baseFacs && baseFacs[p.value[2]]) },
    itemStyle: {
      color: (p) => rgba(TIER_COLORS[tier], 0.08 + 0.92 * p.value[3]),
      borderColor: TIER_COLORS[tier],
      borderWidth: 1.6,
    },
  }));

  return {
    animation: false,
    legend: {
      // Explicit colours: the series colour facilities by a callback, which a legend icon cannot use.
      data: TIER_NAMES.map((name, tier) => ({ name, itemStyle: { color: TIER_COLORS[tier], borderColor: TIER_COLORS[tier] } })),
      top: 0,
      left: 'center',
      itemWidth: 10,
      itemHeight: 10,
      textStyle: { fontSize: 12, color: COLORS.ink },
    },
    tooltip: { trigger: 'item' },
    grid,
    xAxis: {
      type: 'value',
      min: view.x0,
      max: view.x0 + view.span,
      show: true,
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#c5ccd6' } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: view.y0,
      max: view.y0 + view.span,
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#c5ccd6' } },
      splitLine: { show: false },
    },
    graphic: [
      occupancyKey(grid.left, Math.min(grid.top + px + 8, size.height - 38)),
      scaleBar(grid.left, Math.min(grid.top + px + 26, size.height - 18), view.span / px),
    ],
    series: [
      {
        id: 'flows',
        name: 'Patient flows',
        type: 'lines',
        coordinateSystem: 'cartesian2d',
        z: 1,
        silent: true,
        data: lineData,
        lineStyle: { curveness: 0.15 },
      },
      ...tierSeries,
    ],
  };
}
