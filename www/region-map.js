// The region map: facilities as circles (size by beds, colour by tier, fill by bed
// occupancy) and patient flows as lines from each primary centre's catchment to the
// facilities its residents visited recently (width by contacts, from `flows()`).

import { COLORS } from './charts.js';

const TIER_NAMES = ['Primary 基层', 'Secondary 二级', 'Tertiary 三级'];
const TIER_COLORS = [COLORS.primary, COLORS.secondary, COLORS.tertiary];
const MAX_LINES = 260;

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

  const tierSeries = [0, 1, 2].map((tier) => ({
    name: TIER_NAMES[tier],
    type: 'scatter',
    z: 3 + tier,
    data: facs
      .filter((f) => f.tier === tier)
      .map((f) => {
        const occ = f.beds > 0 ? Math.min(1, f.occupied / f.beds) : 0;
        return {
          value: [f.x, f.y],
          symbolSize: Math.max(5, (4 + 1.6 * Math.sqrt(f.beds)) * scale),
          itemStyle: { color: rgba(TIER_COLORS[tier], 0.08 + 0.92 * occ), borderColor: TIER_COLORS[tier], borderWidth: 1.6 },
          tip: facilityTooltip(f, baseFacs && baseFacs[f.id]),
        };
      }),
    tooltip: { formatter: (p) => p.data.tip },
    itemStyle: { color: TIER_COLORS[tier] },
  }));

  return {
    animation: false,
    legend: {
      data: TIER_NAMES,
      top: 0,
      left: 'center',
      itemWidth: 10,
      itemHeight: 10,
      textStyle: { fontSize: 11, color: COLORS.ink },
    },
    tooltip: { trigger: 'item' },
    grid,
    xAxis: {
      type: 'value',
      min: 0,
      max: side,
      show: true,
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#c5ccd6' } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: side,
      axisLabel: { show: false },
      axisTick: { show: false },
      axisLine: { lineStyle: { color: '#c5ccd6' } },
      splitLine: { show: false },
    },
    graphic: [
      {
        type: 'text',
        left: grid.left + 4,
        top: grid.top + px - 16,
        style: { text: `${Math.round(side)} km × ${Math.round(side)} km`, fill: COLORS.muted, fontSize: 10 },
        silent: true,
      },
    ],
    series: [
      {
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
