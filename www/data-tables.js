// "Show data": under every chart, a button that opens a real table of what the chart shows,
// for screen-reader users and for anyone who wants the numbers (WCAG 1.1.1: a chart drawn on
// a canvas needs a text alternative that carries its data). Time charts give one row per
// model month and one column per series (the current run, then the status quo where it is
// overlaid); the Sankey gives its flows; the map its facilities. A table is built when it is
// opened and rebuilt with each new snapshot while it stays open, so it shows the numbers the
// chart shows; closed tables cost nothing. Buttons, captions and headers are in the page's
// language: a switch relabels the buttons and rebuilds the open tables.

import { LINKS, referralFlows, nodeName } from './referral-sankey.js';
import { tierName } from './region-map.js';
import { monthEnd } from './calendar.js';
import { t, formatNumber, onLanguageChange } from './i18n.js';

/** An open table is rebuilt at most this often (ms) while snapshots stream in. */
const REFRESH_MS = 250;

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const fmt = (v) => (v >= 100 ? formatNumber(Math.round(v)) : v.toFixed(1));
const cell = (v, format) => (typeof v === 'number' && Number.isFinite(v) ? esc(format(v)) : '–');

/** A table's HTML from a caption, column heads and rows (first cell of each row is its head). */
function tableHtml(caption, heads, rows) {
  const head = heads.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map(([first, ...rest]) => `<tr><th scope="row">${esc(first)}</th>${rest.map((c) => `<td>${c}</td>`).join('')}</tr>`);
  // The caption names the table for screen readers; sighted users read the same line above
  // the table, where it stays in view while a wide table scrolls sideways.
  return `<p class="data-table-title" aria-hidden="true">${esc(caption)}</p><table><caption class="visually-hidden">${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body.join('')}</tbody></table>`;
}

/** The series' column name: on a chart with panels, the panel's short name first. */
function seriesName(spec, s) {
  if (!spec.panels) return s.label;
  return t('results.table.panelCol', { panel: spec.panels[s.panel || 0].short(), series: s.label });
}

/**
 * The table of time chart `spec`: one row per model month begun (numbered, with the day
 * it ends on as drawn), one column per series, then the status quo's when `showBaseline`,
 * then each saved run's in `saved` (saved-runs.js `overlays`).
 */
export function timeTable(spec, snap, showBaseline, title, saved = []) {
  const withBase = showBaseline && !!snap.baseline;
  const heads = [t('results.table.monthHead'), ...spec.series.map((s) => seriesName(spec, s))];
  if (withBase) heads.push(...spec.series.map((s) => t('results.table.statusQuoCol', { series: seriesName(spec, s) })));
  for (const run of saved) heads.push(...spec.series.map((s) => t('results.table.savedCol', { series: seriesName(spec, s), run: run.name })));
  const begun = Math.max(0, ...spec.series.map((s) => (snap.current.months[s.key] || []).length));
  // A saved run may reach further than the run on screen (before a run, say): its months
  // are listed too, ending where the saved run's ended.
  const runMonths = (run) => Math.max(0, ...spec.series.map((s) => (run.months[s.key] || []).length));
  const months = Math.max(begun, ...saved.map(runMonths));
  const format = spec.tableFormat || spec.format;
  const rows = [];
  for (let i = 0; i < months; i++) {
    const from = i < begun ? snap : saved.find((run) => i < runMonths(run));
    const row = [t('results.table.month', { month: i + 1, day: monthEnd(from.monthStarts, i, from.day) })];
    for (const s of spec.series) row.push(cell(snap.current.months[s.key]?.[i], format));
    if (withBase) for (const s of spec.series) row.push(cell(snap.baseline.months[s.key]?.[i], format));
    for (const run of saved) for (const s of spec.series) row.push(cell(run.months[s.key]?.[i], format));
    rows.push(row);
  }
  const caption = rows.length ? t('results.table.monthly', { title, day: snap.day }) : t('results.table.monthlyEmpty', { title, day: snap.day });
  return tableHtml(caption, heads, rows);
}

/** The Sankey's flows over the last 12 months, per 1,000 residents per year. */
export function flowTable(summary, baselineSummary, title) {
  if (!summary) return tableHtml(t('results.table.flowsEmpty', { title }), [t('results.table.flow'), t('results.table.perThousandYear')], []);
  const cur = referralFlows(summary);
  const base = baselineSummary ? referralFlows(baselineSummary) : null;
  const heads = [t('results.table.flow'), t('results.table.from'), t('results.table.to'), t('results.table.perThousandYear')];
  if (base) heads.push(t('results.table.statusQuo'));
  const rows = LINKS.map(({ from, to, key, what }) => {
    const row = [what(), esc(nodeName(from)), esc(nodeName(to)), cell(cur[key], fmt)];
    if (base) row.push(cell(base[key], fmt));
    return row;
  });
  return tableHtml(t('results.table.flows', { title }), heads, rows);
}

/** The map's facilities: tier, staff, beds and occupancy (the status quo's beside it). */
export function facilityTable(snap, showBaseline, title) {
  const base = showBaseline && snap.baseline ? snap.baseline.facilities : null;
  const pct = (f) => (f && f.beds > 0 ? `${Math.round((100 * f.occupied) / f.beds)}%` : '–');
  const heads = ['facility', 'tier', 'doctors', 'beds', 'occupied', 'occupancy'].map(facilityHead);
  if (base) heads.push(t('results.table.occupancyStatusQuo'));
  const rows = snap.current.facilities.map((f, id) => {
    const row = [`#${id}`, esc(tierName(f.tier)), formatNumber(f.doctors), formatNumber(f.beds), formatNumber(f.occupied), pct(f)];
    if (base) row.push(pct(base[id]));
    return row;
  });
  return tableHtml(t('results.table.facilities', { title, day: snap.day }), heads, rows);
}

/** The facility table's column heads. */
function facilityHead(column) {
  const heads = {
    facility: () => t('results.table.facility'),
    tier: () => t('results.table.tier'),
    doctors: () => t('results.table.doctors'),
    beds: () => t('results.table.beds'),
    occupied: () => t('results.table.occupied'),
    occupancy: () => t('results.table.occupancy'),
  };
  return heads[column]();
}

/** The title of the card holding `chart`: its heading's first text, as the page shows it now
 * (the heading follows the language: it is read each time, not kept). */
function cardTitle(chart) {
  return chart.closest('figure')?.querySelector('h2')?.firstChild?.textContent.trim() || chart.dataset.chart;
}

/**
 * Adds a "Show data" button and a hidden table box after every `[data-chart]` in `root`.
 * @param {(name: string, title: string) => string|null} build the table's HTML for chart
 *   `name` (whose card is headed `title`) now
 * @returns {{ refresh: () => void }} rebuilds the open tables (call with each new snapshot)
 */
export function createDataTables(root, build) {
  /** Open tables by chart name, with the HTML last written into each. */
  const open = new Map();
  /** Each chart's button and table box, to relabel them after a language switch. */
  const parts = new Map();
  for (const chart of root.querySelectorAll('[data-chart]')) {
    const name = chart.dataset.chart;
    if (chart.parentElement.querySelector('[data-show-data]')) continue;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'show-data';
    button.dataset.showData = name;
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-controls', `data-${name}`);
    button.innerHTML = '<span class="show-data-verb"></span><span class="visually-hidden"></span>';
    const box = document.createElement('div');
    box.className = 'data-table';
    box.id = `data-${name}`;
    box.dataset.table = name;
    box.hidden = true;
    // A wide table scrolls inside its box; the box is focusable so keyboard users can scroll it.
    box.tabIndex = 0;
    box.setAttribute('role', 'region');
    chart.after(button, box);
    parts.set(name, { chart, button, box });
    label(name);
    button.addEventListener('click', () => {
      const show = box.hidden;
      box.hidden = !show;
      button.setAttribute('aria-expanded', String(show));
      label(name);
      if (show) {
        const html = build(name, cardTitle(chart)) || '';
        open.set(name, { box, html });
        box.innerHTML = html;
      } else {
        open.delete(name);
        box.innerHTML = '';
      }
    });
  }
  /** Writes chart `name`'s button and box labels in the page's language. */
  function label(name) {
    const { chart, button, box } = parts.get(name);
    const title = cardTitle(chart);
    button.querySelector('.show-data-verb').textContent = t(box.hidden ? 'results.table.show' : 'results.table.hide');
    button.querySelector('.visually-hidden').textContent = `: ${title}`;
    box.setAttribute('aria-label', t('results.table.region', { title }));
  }
  /** Rebuilds the open tables now. */
  function rebuild() {
    last = performance.now();
    for (const [name, table] of open) {
      const html = build(name, cardTitle(parts.get(name).chart)) || '';
      if (html === table.html) continue;
      table.html = html;
      table.box.innerHTML = html;
    }
  }
  // After a switch (the headings are already in the new language): new labels, and the open
  // tables rebuilt at once in the new language.
  onLanguageChange(() => {
    for (const name of parts.keys()) label(name);
    rebuild();
  });
  // A long run's table (600 months) or a large region's (hundreds of facilities) costs a few
  // milliseconds to rebuild, and snapshots stream in many times a second: an open table is
  // rebuilt at most every REFRESH_MS, the last snapshot always included.
  let last = -Infinity;
  let timer = null;
  return {
    refresh() {
      if (!open.size || timer !== null) return;
      const wait = last + REFRESH_MS - performance.now();
      if (wait <= 0) rebuild();
      else
        timer = setTimeout(() => {
          timer = null;
          rebuild();
        }, wait);
    },
  };
}
