// The Embed dialog (a button beside Copy link): the scenario on the page as a snippet for
// someone else's page. The user picks charts and key figures and gets
// (a) a <consortium-sim> element (www/embed-src/) whose children are a static snapshot of the
//     page's current results — the charts as SVG (chart-svg.js, the same option builders as
//     the page) and a table of the figures, scenario against status quo, with the charts'
//     monthly series folded in a <details> — followed by the module script that upgrades it
//     into a live run; the snapshot is what print, screen readers and browsers without
//     JavaScript, wasm or module workers show;
// (b) an iframe of embed.html for sites that do not take scripts.
// Both are standalone HTML with every attribute value escaped.

import { TIME_CHARTS, fitPanels, timeChartOption } from './charts.js';
import { KEY_FIGURES } from './key-figures.js';
import { chartSvg } from './chart-svg.js';
import { presetLabel } from './lever-notes.js';
import { t, lang, onLanguageChange } from './i18n.js';

/** The snapshot's charts: drawn at this size and scaled to the page's width by their viewBox. */
const SVG_SIZE = { width: 640, height: 300 };
const DEFAULT_CHARTS = ['visit-shares'];
const DEFAULT_FIGURES = ['primary_visit_share', 'spending_per_capita'];
/** The iframe's height: the element's bar, figures and one row of charts per chart. */
const FRAME_BASE_PX = 150;
const FRAME_CHART_PX = 310;

/** Text for HTML text and attribute values (quotes included). */
export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const camel = (name) => name.replace(/-(\w)/g, (_, c) => c.toUpperCase());
const chartTitle = (name) => t(`page.charts.${camel(name)}.title`);

/**
 * ECharts' SVG with the fixed size replaced by the width of its container (the viewBox keeps
 * the proportions), and a name for screen readers.
 */
function scalableSvg(svg, label) {
  return svg.replace(/^<svg\b([^>]*)>/, (whole, attrs) => {
    const kept = attrs
      .replace(/\s(width|height)="[^"]*"/g, '')
      .replace(/\sstyle="[^"]*"/g, '');
    return `<svg${kept} width="100%" role="img" aria-label="${escapeHtml(label)}">`;
  });
}

/** The charts of the snapshot, one <figure> each. */
function snapshotCharts(snap, charts, showBaseline, marks) {
  const view = { showBaseline, marks, saved: [] };
  return charts
    .map((name) => {
      const spec = TIME_CHARTS.find((c) => c.name === name);
      const option = fitPanels(timeChartOption(spec, snap, view), SVG_SIZE.height);
      const svg = scalableSvg(chartSvg(option, SVG_SIZE), t('embed.snapshot.chartAlt', { chart: chartTitle(name), day: snap.day }));
      return `<figure data-chart="${escapeHtml(name)}">\n<figcaption>${escapeHtml(chartTitle(name))}</figcaption>\n${svg}\n</figure>`;
    })
    .join('\n');
}

/** The figures table: one row per figure, the scenario's value and the status quo's. */
function figuresTable(snap, figures) {
  if (!figures.length) return '';
  const base = snap.baseline?.summary;
  const head = `<tr><th scope="col">${escapeHtml(t('embed.snapshot.figure'))}</th><th scope="col">${escapeHtml(t('embed.snapshot.scenario'))}</th>${base ? `<th scope="col">${escapeHtml(t('embed.snapshot.statusQuo'))}</th>` : ''}</tr>`;
  const cell = (f, v) => `<td>${typeof v === 'number' ? escapeHtml(`${f.format(v)}${f.unit ? ` ${f.unit}` : ''}`) : '–'}</td>`;
  const rows = figures.map((key) => {
    const f = KEY_FIGURES.find((k) => k.key === key);
    return `<tr data-figure="${escapeHtml(key)}"><th scope="row">${escapeHtml(f.label)}</th>${cell(f, snap.current.summary[key])}${base ? cell(f, base[key]) : ''}</tr>`;
  });
  return `<table data-figures>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

/** The chosen charts' monthly series, scenario and status quo, folded in a <details>. */
function seriesTable(snap, charts) {
  const columns = [];
  for (const name of charts) {
    const spec = TIME_CHARTS.find((c) => c.name === name);
    const format = spec.tableFormat || spec.format;
    for (const s of spec.series) {
      columns.push({ label: t('embed.snapshot.seriesColumn', { series: s.label, run: t('embed.snapshot.scenario') }), values: snap.current.months[s.key], format });
      if (snap.baseline) columns.push({ label: t('embed.snapshot.seriesColumn', { series: s.label, run: t('embed.snapshot.statusQuo') }), values: snap.baseline.months[s.key], format });
    }
  }
  if (!columns.length) return '';
  const months = Math.max(...columns.map((c) => c.values?.length || 0));
  const head = `<tr><th scope="col">${escapeHtml(t('embed.snapshot.month'))}</th>${columns.map((c) => `<th scope="col">${escapeHtml(c.label)}</th>`).join('')}</tr>`;
  const rows = [];
  for (let m = 0; m < months; m++) {
    const cells = columns.map((c) => `<td>${typeof c.values?.[m] === 'number' ? escapeHtml(c.format(c.values[m])) : '–'}</td>`).join('');
    rows.push(`<tr><th scope="row">${m + 1}</th>${cells}</tr>`);
  }
  return `<details>\n<summary>${escapeHtml(t('embed.snapshot.series'))}</summary>\n<table data-series>\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>\n</details>`;
}

/**
 * The element snippet: `<consortium-sim>` with the static snapshot inside, then the script.
 * @param {object} o
 * @param {string} o.query the scenario's link query (url-state.js toQuery), with its '?'
 * @param {object} o.snap the page's snapshot (run-loop.js: current, baseline, months, day)
 * @param {object} o.state the page's scenario (preset, seed) for the caption
 * @param {string} o.version the model's version
 * @param {string[]} o.charts chart names; @param {string[]} o.figures figure keys
 * @param {boolean} o.autoplay run when scrolled into view
 * @param {string} o.scriptUrl where embed/consortium-sim.js is served
 * @param {{day: number, label: string}[]} o.marks lever changes marked on the charts
 */
export function elementSnippet({ query, snap, state, version, charts, figures, autoplay, scriptUrl, marks = [] }) {
  const caption = t('embed.snapshot.caption', { scenario: presetLabel(state.preset), day: snap.day, days: snap.totalDays, version, seed: String(state.seed) });
  const attrs = [
    `scenario="${escapeHtml(query.replace(/^\?/, ''))}"`,
    `charts="${escapeHtml(charts.join(','))}"`,
    `figures="${escapeHtml(figures.join(','))}"`,
    `lang="${escapeHtml(lang())}"`,
    ...(autoplay ? ['autoplay'] : []),
  ];
  const body = [
    `<p>${escapeHtml(caption)}</p>`,
    figuresTable(snap, figures),
    snapshotCharts(snap, charts, !!snap.baseline, marks),
    seriesTable(snap, charts),
  ].filter(Boolean);
  return `<consortium-sim ${attrs.join(' ')}>\n${body.join('\n')}\n</consortium-sim>\n<script type="module" src="${escapeHtml(scriptUrl)}"></script>\n`;
}

/** The iframe snippet: embed.html with the scenario and the element's attributes in its query. */
export function iframeSnippet({ query, charts, figures, autoplay, frameUrl }) {
  const params = new URLSearchParams(query);
  if (charts.length) params.set('charts', charts.join(','));
  if (figures.length) params.set('figures', figures.join(','));
  params.set('lang', lang());
  if (!autoplay) params.set('autoplay', 'off');
  const src = `${frameUrl}?${params.toString()}`;
  const height = FRAME_BASE_PX + Math.max(1, charts.length) * FRAME_CHART_PX;
  return `<iframe src="${escapeHtml(src)}" title="${escapeHtml(t('embed.frameTitle'))}" width="100%" height="${height}" loading="lazy"></iframe>\n`;
}

/**
 * Wires the dialog in index.html.
 * @param {object} deps
 * @param {HTMLButtonElement} deps.button the Embed button
 * @param {HTMLDialogElement} deps.dialog the dialog
 * @param {() => {snap: object|null, state: object, meta: object, query: string, marks: object[]}} deps.current
 *   the page's run and scenario now
 */
export function createEmbedDialog({ button, dialog, current }) {
  const $ = (sel) => dialog.querySelector(sel);
  const ui = {
    charts: $('[data-embed-charts]'),
    figures: $('[data-embed-figures]'),
    autoplay: $('[data-embed-autoplay]'),
    error: $('[data-embed-error]'),
    element: $('[data-embed-element]'),
    iframe: $('[data-embed-iframe]'),
    size: $('[data-embed-size]'),
  };
  const chosen = { charts: new Set(DEFAULT_CHARTS), figures: new Set(DEFAULT_FIGURES) };

  function checkbox(group, value) {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.value = value;
    box.checked = chosen[group].has(value);
    box.addEventListener('change', () => {
      if (box.checked) chosen[group].add(value);
      else chosen[group].delete(value);
      refresh();
    });
    const text = document.createElement('span');
    label.append(box, ' ', text);
    return label;
  }

  /** The check boxes, named in the page's language (again after a switch). */
  function labelChoices() {
    for (const label of ui.charts.querySelectorAll('label')) label.querySelector('span').textContent = chartTitle(label.querySelector('input').value);
    for (const label of ui.figures.querySelectorAll('label')) label.querySelector('span').textContent = KEY_FIGURES.find((f) => f.key === label.querySelector('input').value).label;
  }

  function buildChoices() {
    ui.charts.append(...TIME_CHARTS.map((c) => checkbox('charts', c.name)));
    ui.figures.append(...KEY_FIGURES.map((f) => checkbox('figures', f.key)));
    labelChoices();
  }

  const inOrder = (group, all) => all.filter((name) => chosen[group].has(name));

  function showError(key) {
    ui.error.hidden = !key;
    ui.error.textContent = key ? t(key) : '';
  }

  /** Writes both snippets for the page's results now. */
  function refresh() {
    if (!dialog.open) return;
    const { snap, state, meta, query, marks } = current();
    const charts = inOrder('charts', TIME_CHARTS.map((c) => c.name));
    const figures = inOrder('figures', KEY_FIGURES.map((f) => f.key));
    const autoplay = ui.autoplay.checked;
    const frameUrl = new URL('embed.html', location.href).href;
    if (!snap || snap.day === 0) {
      showError('embed.dialog.noRun');
      ui.element.value = '';
      ui.size.textContent = '';
    } else if (!charts.length && !figures.length) {
      showError('embed.dialog.noCharts');
      ui.element.value = '';
      ui.size.textContent = '';
    } else {
      showError(null);
      const scriptUrl = new URL('embed/consortium-sim.js', location.href).href;
      ui.element.value = elementSnippet({ query, snap, state, version: meta.modelVersion, charts, figures, autoplay, scriptUrl, marks });
      const kb = new Blob([ui.element.value]).size / 1024;
      ui.size.textContent = t('embed.dialog.size', { kb: Math.round(kb * 10) / 10 });
    }
    ui.iframe.value = iframeSnippet({ query, charts, figures, autoplay, frameUrl });
  }

  async function copy(which, copyButton) {
    const box = which === 'element' ? ui.element : ui.iframe;
    try {
      await navigator.clipboard.writeText(box.value);
      copyButton.textContent = t('embed.dialog.copied');
      setTimeout(() => {
        copyButton.textContent = t('embed.dialog.copy');
      }, 2000);
    } catch {
      box.select();
      showError('embed.dialog.copyFailed');
    }
  }

  buildChoices();
  ui.autoplay.addEventListener('change', refresh);
  for (const b of dialog.querySelectorAll('[data-embed-copy]')) b.addEventListener('click', () => copy(b.dataset.embedCopy, b));
  button.addEventListener('click', () => {
    dialog.showModal();
    refresh();
  });
  onLanguageChange(() => {
    labelChoices();
    refresh();
  });
  return { refresh };
}
