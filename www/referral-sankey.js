// The referral-flow diagram: residents' self-referred visits into each tier, then upward
// and downward referrals, per 1,000 residents per year over the last simulated year.
//
// Visits outnumber referrals about a hundredfold, so band widths are compressed (value to
// the power 0.4) to keep the rare downward referrals visible; labels give the true numbers.
//
// Labels are laid out for the chart's size and the text size it is drawn at (`fitSankey`,
// after presentation mode has enlarged the text): the widest labels that leave room for the
// bands, measured, with the columns placed so that each column's labels fit in the gap
// beside it and nodes in a column sit far enough apart for their labels. On a narrow chart
// (a phone) the labels lose the Chinese term and then the status quo's value (both stay in
// the tooltip and the data table) rather than overlap the bands or each other.

import { COLORS } from './charts.js';
import { t, formatNumber } from './i18n.js';

const WIDTH_POWER = 0.4;
/** Label text (px) outside presentation mode: node names, values and status-quo values. */
export const SANKEY_FONT_PX = 12;
/** The width of the bands' stretch between two columns, at the least (px). */
const MIN_BAND_PX = 28;
/** Gap between a node and its label (ECharts' default label distance) and a margin (px). */
const LABEL_GAP_PX = 5;
const MARGIN_PX = 4;

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

const fmt = (v) => (v >= 100 ? formatNumber(Math.round(v)) : v.toFixed(1));

/** The nodes, with their names (full, and short for narrow charts) in the page's language. */
const NODES = [
  { id: 'residents', depth: 0, color: '#8a94a3', name: () => t('results.sankey.node.residents'), short: () => t('results.sankey.short.residents') },
  { id: 'primary', depth: 1, color: COLORS.primary, name: () => t('results.sankey.node.primary'), short: () => t('results.sankey.short.primary') },
  { id: 'secondary', depth: 1, color: COLORS.secondary, name: () => t('results.sankey.node.secondary'), short: () => t('results.sankey.short.secondary') },
  { id: 'tertiary', depth: 1, color: COLORS.tertiary, name: () => t('results.sankey.node.tertiary'), short: () => t('results.sankey.short.tertiary') },
  { id: 'up', depth: 2, color: COLORS.up, name: () => t('results.sankey.node.up'), short: () => t('results.sankey.short.up') },
  { id: 'down', depth: 2, color: COLORS.down, name: () => t('results.sankey.node.down'), short: () => t('results.sankey.short.down') },
];

/** Node `id`'s full name in the page's language. */
export function nodeName(id) {
  return NODES.find((n) => n.id === id).name();
}

/** The flows drawn: source and target node, key in `referralFlows`, and what the flow is. */
export const LINKS = [
  { from: 'residents', to: 'primary', key: 'entryPrimary', what: () => t('results.sankey.link.entryPrimary') },
  { from: 'residents', to: 'secondary', key: 'entrySecondary', what: () => t('results.sankey.link.entrySecondary') },
  { from: 'residents', to: 'tertiary', key: 'entryTertiary', what: () => t('results.sankey.link.entryTertiary') },
  { from: 'primary', to: 'up', key: 'upFromPrimary', what: () => t('results.sankey.link.upFromPrimary') },
  { from: 'secondary', to: 'up', key: 'upFromSecondary', what: () => t('results.sankey.link.upFromSecondary') },
  { from: 'secondary', to: 'down', key: 'downFromSecondary', what: () => t('results.sankey.link.downFromSecondary') },
  { from: 'tertiary', to: 'down', key: 'downFromTertiary', what: () => t('results.sankey.link.downFromTertiary') },
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
    style: { text: show ? t('results.sankey.empty') : '', fill: COLORS.muted, fontSize: 13 },
  };
}

/** The tooltip of a node or a flow: what it is, its number, and the status quo's. */
function tooltip(p) {
  const d = p.data;
  const value = p.dataType === 'edge' ? d.actual : d.total;
  const b = d.baseline === null || d.baseline === undefined ? '' : t('results.sankey.statusQuoParen', { value: fmt(d.baseline) });
  const title = p.dataType === 'edge' ? d.what : p.name;
  return `${title}<br><b>${fmt(value)}</b>${b} ${t('results.sankey.perYear')}`;
}

/**
 * The ECharts option for the Sankey; `baselineSummary` may be null. Its labels are laid out
 * by `fitSankey` for the chart's size (results-view.js calls it as the option is drawn).
 */
export function sankeyOption(summary, baselineSummary) {
  if (!summary) return emptyOption();
  const cur = referralFlows(summary);
  const base = baselineSummary ? referralFlows(baselineSummary) : null;
  const names = Object.fromEntries(NODES.map((n) => [n.id, n.name()]));
  const links = LINKS.map(({ from, to, key, what }) => ({
    source: names[from],
    target: names[to],
    value: Math.max(cur[key], 0.01) ** WIDTH_POWER,
    actual: cur[key],
    baseline: base ? base[key] : null,
    what: what(),
  }));
  const sum = (list, field) => list.reduce((a, l) => a + l[field], 0);
  const nodes = NODES.map((n) => {
    const mine = links.filter((l) => (n.depth === 0 ? l.source === names[n.id] : l.target === names[n.id]));
    return {
      name: names[n.id],
      short: n.short(),
      depth: n.depth,
      itemStyle: { color: n.color, borderWidth: 0 },
      total: sum(mine, 'actual'),
      baseline: base ? sum(mine, 'baseline') : null,
      label: n.depth === 0 ? { position: 'left' } : undefined,
    };
  });
  return {
    animation: false,
    graphic: [emptyNote(false)],
    tooltip: { trigger: 'item', formatter: tooltip },
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
          fontSize: SANKEY_FONT_PX,
          color: COLORS.ink,
          rich: {
            n: { fontSize: SANKEY_FONT_PX + 1, fontWeight: 'bold', color: COLORS.ink },
            v: { fontSize: SANKEY_FONT_PX, color: COLORS.ink },
            b: { fontSize: SANKEY_FONT_PX, color: COLORS.muted },
          },
        },
        lineStyle: { color: 'target', opacity: 0.4, curveness: 0.5 },
      },
    ],
  };
}

/** How much a label says, widest first: `fitSankey` takes the first that fits. */
const LABEL_STYLES = [
  { short: false, base: 'inline' },
  { short: false, base: 'line' },
  { short: true, base: 'line' },
  { short: true, base: 'none' },
];

/** A label's lines, each a list of [rich style, text] parts. The left-hand node (residents)
 * has its status quo on a line of its own: its margin is the chart's. */
function labelLines(node, style) {
  const name = [['n', style.short ? node.short : node.name]];
  const value = ['v', fmt(node.total)];
  if (node.baseline === null || style.base === 'none') return [name, [value]];
  const base = ['b', t('results.sankey.statusQuo', { value: fmt(node.baseline) })];
  if (style.base === 'inline' && node.depth > 0) return [name, [value, ['b', ` ${base[1]}`]]];
  return [name, [value], [base]];
}

const richText = (lines) => lines.map((parts) => parts.map(([s, text]) => `{${s}|${text}}`).join('')).join('\n');

let measureContext = null;
/** The width of `text` in the canvas font of rich style `s` (px). */
function textWidth(text, s) {
  if (!measureContext) measureContext = document.createElement('canvas').getContext('2d');
  measureContext.font = `${s.fontWeight === 'bold' ? 'bold ' : ''}${s.fontSize}px sans-serif`;
  return measureContext.measureText(text).width;
}

/** A rich style's line height: a little more than its font size. */
const lineHeight = (s) => Math.ceil(s.fontSize * 1.25);

/** The width and height of a label's lines drawn in the rich styles `rich`. */
function labelSize(lines, rich) {
  const width = Math.max(...lines.map((parts) => parts.reduce((w, [s, text]) => w + textWidth(text, rich[s]), 0)));
  const height = lines.reduce((h, parts) => h + Math.max(...parts.map(([s]) => lineHeight(rich[s]))), 0);
  return { width: Math.ceil(width), height };
}

/** Node heights (px) as ECharts lays them out in a box `height` high with `gap` between the
 * nodes of a column: a node's value is the larger of its flows in and out, and the fullest
 * column sets the scale. */
function nodeHeights(series, height, gap) {
  const sum = (list) => list.reduce((a, l) => a + l.value, 0);
  const values = series.data.map((n) =>
    Math.max(sum(series.links.filter((l) => l.source === n.name)), sum(series.links.filter((l) => l.target === n.name))),
  );
  let ky = Infinity;
  for (const depth of [0, 1, 2]) {
    const column = values.filter((_, i) => series.data[i].depth === depth);
    if (column.length) ky = Math.min(ky, (height - (column.length - 1) * gap) / column.reduce((a, v) => a + v, 0));
  }
  return values.map((v) => v * ky);
}

/**
 * Lays the Sankey of `option` out for a chart of `size` ({width, height} in px) at the text
 * size the option holds now (after presentation mode's enlargement): picks the fullest labels
 * that fit beside the bands, sets the margins, the columns (`localX`), the gap between the
 * tiers and the referral nodes' heights (`localY`) so that no two labels meet. Returns the
 * option (changed in place); `series[0].labelStyle` names the labels chosen.
 */
export function fitSankey(option, size) {
  const series = option.series[0];
  if (!series.data.length) return option;
  // A chart not laid out (its card hidden) is drawn at a typical card's size until it shows.
  if (!(size.width > 0 && size.height > 0)) size = { width: 600, height: 260 };
  const rich = series.label.rich;
  for (const s of Object.values(rich)) s.lineHeight = lineHeight(s);
  const nodeWidth = size.width < 480 ? 12 : 14;
  let chosen = null;
  for (const style of LABEL_STYLES) {
    const sizes = series.data.map((node) => labelSize(labelLines(node, style), rich));
    const widest = (depth) => Math.max(...series.data.map((n, i) => (n.depth === depth ? sizes[i].width : 0)));
    const left = widest(0) + LABEL_GAP_PX + MARGIN_PX;
    const right = widest(2) + LABEL_GAP_PX + MARGIN_PX;
    const inner = size.width - left - right;
    // Between the residents and the tiers: bands only. Between the tiers and the referrals:
    // the tiers' labels, then bands.
    const spare = inner - 3 * nodeWidth - (widest(1) + LABEL_GAP_PX + MARGIN_PX) - 2 * MIN_BAND_PX;
    chosen = { style, sizes, left, right, inner, spare };
    if (spare >= 0) break;
  }
  const { style, sizes, left, right, inner } = chosen;
  const spare = Math.max(0, chosen.spare);
  series.left = left;
  series.right = right;
  series.nodeWidth = nodeWidth;
  series.labelStyle = `${style.short ? 'short' : 'full'}/${style.base}`;
  const x = [0, nodeWidth + MIN_BAND_PX + spare / 2, inner - nodeWidth];
  for (const node of series.data) node.localX = x[node.depth] / inner;
  series.label.formatter = (p) => richText(labelLines(p.data, style));

  // Heights. Labels sit centred on their nodes, so a node thinner than its label has the rest
  // above and below it. First a cautious layout (margins and gaps of a whole label), then the
  // margins and the gap between tiers cut to what the labels need at the heights it gives:
  // smaller gaps only make nodes taller, so the labels still clear each other.
  const tallest = Math.max(...sizes.map((s) => s.height));
  const index = (depth) => series.data.map((n, i) => (n.depth === depth ? i : -1)).filter((i) => i >= 0);
  const tiers = index(1);
  let h = nodeHeights(series, size.height - tallest - 4, tallest + 4);
  const overhang = (i) => Math.max(0, (sizes[i].height - h[i]) / 2);
  let gap = 10;
  for (let k = 1; k < tiers.length; k++) gap = Math.max(gap, overhang(tiers[k - 1]) + overhang(tiers[k]) + 4);
  const top = Math.ceil(2 + Math.max(overhang(index(0)[0]), overhang(tiers[0])));
  const bottom = Math.ceil(2 + overhang(tiers[tiers.length - 1]));
  series.top = top;
  series.bottom = bottom;
  series.nodeGap = Math.ceil(gap);
  // The referral nodes are thin: placed one under the other, a label apart, from the top.
  const height = size.height - top - bottom;
  h = nodeHeights(series, height, series.nodeGap);
  let y = 0;
  for (const i of index(2)) {
    const node = series.data[i];
    const above = Math.max(0, sizes[i].height / 2 - h[i] / 2);
    y = Math.max(y + above, above - top + 2);
    node.localY = y / height;
    y += h[i] + Math.max(0, sizes[i].height / 2 - h[i] / 2) + 4;
  }
  return option;
}
