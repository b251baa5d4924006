// The referral-flow diagram: residents' self-referred visits into each tier, then upward
// and downward referrals, per 1,000 residents per year over the last simulated year.
//
// Visits outnumber referrals about a hundredfold, so band widths are compressed (value to
// the power 0.4) to keep the rare downward referrals visible; labels give the true numbers.

import { COLORS } from './charts.js';

const WIDTH_POWER = 0.4;

/** Flows per 1,000 residents per year derived from a summary. */
export function referralFlows(s) {
  const visits = (s.visits_per_resident || 0) * 1000;
  const tertiaryAdmissions = (s.admissions_per_resident || 0) * 1000 * (s.tertiary_admission_share || 0);
  const downTotal = s.downward_referrals_per_1000 || 0;
  const downFromTertiary = Math.min(downTotal, tertiaryAdmissions * (s.downward_share_of_tertiary_admissions || 0));
  return {
    entryPrimary: visits * (s.primary_visit_share || 0),
    entrySecondary: visits * (s.secondary_visit_share || 0),
    entryTertiary: visits * (s.tertiary_visit_share || 0),
    up: s.upward_referrals_per_1000 || 0,
    downFromSecondary: Math.max(0, downTotal - downFromTertiary),
    downFromTertiary,
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

const LINKS = [
  ['Residents 居民', 'Primary 基层', 'entryPrimary', 'visits starting at primary care'],
  ['Residents 居民', 'Secondary 二级', 'entrySecondary', 'visits at secondary hospitals'],
  ['Residents 居民', 'Tertiary 三级', 'entryTertiary', 'visits at tertiary hospitals'],
  ['Primary 基层', 'Referred up ↑ 上转', 'up', 'upward referrals (from primary and secondary)'],
  ['Secondary 二级', 'Referred down ↓ 下转', 'downFromSecondary', 'downward referrals from secondary hospitals'],
  ['Tertiary 三级', 'Referred down ↓ 下转', 'downFromTertiary', 'downward referrals from tertiary hospitals'],
];

/** The ECharts option for the Sankey; `baselineSummary` may be null. */
export function sankeyOption(summary, baselineSummary) {
  const cur = referralFlows(summary || {});
  const base = baselineSummary ? referralFlows(baselineSummary) : null;
  const links = LINKS.map(([source, target, key, what]) => {
    const value = cur[key];
    const label = base ? `${fmt(value)} (baseline ${fmt(base[key])})` : fmt(value);
    return {
      source,
      target,
      value: Math.max(value, 0.01) ** WIDTH_POWER,
      actual: value,
      label,
      what,
    };
  });
  const inflow = (name) => links.filter((l) => l.target === name).reduce((a, l) => a + l.actual, 0);
  const outflow = (name) => links.filter((l) => l.source === name).reduce((a, l) => a + l.actual, 0);
  const nodes = NODES.map((n) => {
    const total = n.depth === 0 ? outflow(n.name) : inflow(n.name);
    return { name: n.name, depth: n.depth, itemStyle: { color: n.color, borderWidth: 0 }, total };
  });
  return {
    animation: false,
    tooltip: {
      trigger: 'item',
      formatter: (p) =>
        p.dataType === 'edge'
          ? `${p.data.what}<br><b>${p.data.label}</b> per 1,000 residents per year`
          : `${p.name}<br><b>${fmt(p.data.total)}</b> per 1,000 residents per year`,
    },
    series: [
      {
        type: 'sankey',
        left: 8,
        right: 150,
        top: 10,
        bottom: 10,
        nodeWidth: 14,
        nodeGap: 14,
        layoutIterations: 0,
        draggable: false,
        emphasis: { focus: 'adjacency' },
        data: nodes,
        links,
        label: {
          fontSize: 11,
          color: COLORS.ink,
          formatter: (p) => `${p.name}\n${fmt(p.data.total)}`,
        },
        edgeLabel: {
          show: true,
          fontSize: 10,
          color: '#3e4c59',
          formatter: (p) => (p.data.target.startsWith('Referred') ? p.data.label : ''),
        },
        lineStyle: { color: 'target', opacity: 0.4, curveness: 0.5 },
      },
    ],
  };
}
