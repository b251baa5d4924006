// The referral-flow diagram: residents' self-referred visits into each tier, then upward
// and downward referrals, per 1,000 residents per year over the last simulated year.
//
// Visits outnumber referrals about a hundredfold, so band widths are compressed (value to
// the power 0.4) to keep the rare downward referrals visible; labels give the true numbers.

import { COLORS } from './charts.js';

const WIDTH_POWER = 0.4;

/** Flows per 1,000 residents per year from a summary; referrals by the tier that made them. */
export function referralFlows(s) {
  const visits = (s.visits_per_resident || 0) * 1000;
  return {
    entryPrimary: visits * (s.primary_visit_share || 0),
    entrySecondary: visits * (s.secondary_visit_share || 0),
    entryTertiary: visits * (s.tertiary_visit_share || 0),
    upFromPrimary: s.upward_from_primary_per_1000 || 0,
    upFromSecondary: s.upward_from_secondary_per_1000 || 0,
    downFromSecondary: s.downward_from_secondary_per_1000 || 0,
    downFromTertiary: s.downward_from_tertiary_per_1000 || 0,
  };
}

const fmt = (v) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));

const NODES = [
  { name: 'Residents 居民', depth: 0, color: '#8a94a3' },
  { name: 'Primary 基层', depth: 1, color: COLORS.primary },
  { name: 'Secondary 二级', depth: 1, color: COLORS.secondary },
  { name: 'Tertiary 三级', depth: 1, color: COLORS.tertiary },
  { name: 'Referred up ↑ 上转', depth: 2, color: COLORS.up },
  { name: 'Referred down ↓ 下转', depth: 2, color: COLORS.down },
];

/** The flows drawn: source, target, key in `referralFlows`, and what the flow is. */
export const LINKS = [
  ['Residents 居民', 'Primary 基层', 'entryPrimary', 'visits starting at primary care'],
  ['Residents 居民', 'Secondary 二级', 'entrySecondary', 'visits at secondary hospitals'],
  ['Residents 居民', 'Tertiary 三级', 'entryTertiary', 'visits at tertiary hospitals'],
  ['Primary 基层', 'Referred up ↑ 上转', 'upFromPrimary', 'upward referrals from primary centres'],
  ['Secondary 二级', 'Referred up ↑ 上转', 'upFromSecondary', 'upward referrals from secondary hospitals'],
  ['Secondary 二级', 'Referred down ↓ 下转', 'downFromSecondary', 'downward referrals from secondary hospitals'],
  ['Tertiary 三级', 'Referred down ↓ 下转', 'downFromTertiary', 'downward referrals from tertiary hospitals'],
];

/** Before the first simulated day there are no flows: say so instead of drawing zeros. */
function emptyOption() {
  return {
    animation: false,
    graphic: [emptyNote(true)],
    series: [{ id: 'referral-flows', type: 'sankey', data: [], links: [] }],
  };
}

function emptyNote(show) {
  return {
    id: 'empty',
    type: 'text',
    left: 'center',
    top: 'middle',
    invisible: !show,
    silent: true,
    style: { text: 'Flows appear after the first simulated month: press Go ▶ or Step.', fill: COLORS.muted, fontSize: 13 },
  };
}

/** The ECharts option for the Sankey; `baselineSummary` may be null. */
export function sankeyOption(summary, baselineSummary) {
  if (!summary) return emptyOption();
  const cur = referralFlows(summary);
  const base = baselineSummary ? referralFlows(baselineSummary) : null;
  const links = LINKS.map(([source, target, key, what]) => ({
    source,
    target,
    value: Math.max(cur[key], 0.01) ** WIDTH_POWER,
    actual: cur[key],
    baseline: base ? base[key] : null,
    what,
  }));
  const sum = (list, field) => list.reduce((a, l) => a + l[field], 0);
  const nodes = NODES.map((n) => {
    const mine = links.filter((l) => (n.depth === 0 ? l.source === n.name : l.target === n.name));
    return {
      name: n.name,
      depth: n.depth,
      itemStyle: { color: n.color, borderWidth: 0 },
      total: sum(mine, 'actual'),
      baseline: base ? sum(mine, 'baseline') : null,
      label: n.depth === 0 ? { position: 'left' } : undefined,
    };
  });
  const withBase = (v, b) => (b === null ? `{v|${fmt(v)}}` : `{v|${fmt(v)}} {b|status quo ${fmt(b)}}`);
  return {
    animation: false,
    graphic: [emptyNote(false)],
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const d = p.data;
        const value = p.dataType === 'edge' ? d.actual : d.total;
        const b = d.baseline === null || d.baseline === undefined ? '' : ` (status quo ${fmt(d.baseline)})`;
        const title = p.dataType === 'edge' ? d.what : p.name;
        return `${title}<br><b>${fmt(value)}</b>${b} per 1,000 residents per year`;
      },
    },
    series: [
      {
        id: 'referral-flows',
        type: 'sankey',
        left: 112,
        right: 190,
        top: 12,
        bottom: 12,
        nodeWidth: 14,
        nodeGap: 22,
        layoutIterations: 0,
        draggable: false,
        emphasis: { focus: 'adjacency' },
        data: nodes,
        links,
        label: {
          fontSize: 11,
          color: '#1f2933',
          // The left-hand node has little room beside it: its baseline goes on a third line.
          formatter: (p) =>
            `{n|${p.name}}\n${withBase(p.data.total, p.data.baseline).replace('} {b|', p.data.depth === 0 ? '}\n{b|' : '} {b|')}`,
          rich: {
            n: { fontSize: 11.5, fontWeight: 'bold', color: '#1f2933' },
            v: { fontSize: 11, color: '#1f2933' },
            b: { fontSize: 10.5, color: COLORS.muted },
          },
        },
        lineStyle: { color: 'target', opacity: 0.4, curveness: 0.5 },
      },
    ],
  };
}
