// "Why did it happen?": the facility inspector. Clicking a facility on the map (or picking
// one from the list under the map, for keyboard users) opens a side panel with what the
// facility saw and did, month by month: its revenue by source and its costs, the
// cooperation and admission stances it chose at each month's end, and what it learned (a
// change tried, kept or dropped, a peer copied, with the margins it compared), in sentences.
//
// The facility learns from its own books (the model's rule), so the three parts read
// together answer "why": a stance moved when a trial paid or a peer did better. The panel
// asks the model's worker for the facility's history (sim-worker.js `facilityHistory`) when
// it opens and, while it is open, with each new snapshot (`update`, called by main.js), one
// request at a time, so it follows the run.

import { t, formatNumber, lang, onLanguageChange } from './i18n.js';
import { COLORS } from './charts.js';

/** Learning events listed, newest first (the rest are counted). */
const MAX_EVENTS = 40;

const SOURCES = [
  { key: 'insurer', color: COLORS.fund },
  { key: 'oop', color: '#e8a33d' },
  { key: 'government', color: COLORS.primary },
  { key: 'pooled', color: COLORS.tertiary },
];
const TIER_KEYS = ['inspect.tier0', 'inspect.tier1', 'inspect.tier2'];
const STANCE_KEYS = { '-1': 'inspect.stanceLow', 0: 'inspect.stanceNeutral', 1: 'inspect.stanceHigh' };
const DAY_KEYS = { '-1': 'inspect.dayLow', 0: 'inspect.stanceNeutral', 1: 'inspect.dayHigh' };

/** A facility's name as the page writes it: "Primary centre #3". */
export function facilityName(tier, id) {
  return t('inspect.facilityName', { tier: t(TIER_KEYS[tier]), id });
}

const pct = (v) => `${formatNumber(Math.round(v * 1000) / 10, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
const coop = (v) => formatNumber(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** Yuan in the language's way of grouping large amounts (万 in Chinese). */
function money(v) {
  if (lang() === 'zh-CN') return Math.abs(v) >= 10_000 ? `${formatNumber(Math.round(v / 1000) / 10)}万` : formatNumber(Math.round(v));
  return Math.abs(v) >= 1e6 ? `${formatNumber(Math.round(v / 1e5) / 10)}M` : Math.abs(v) >= 1e3 ? `${formatNumber(Math.round(v / 100) / 10)}k` : formatNumber(Math.round(v));
}

/** The value of part `part` of strategy `s`, as words. */
function partValue(part, s) {
  if (part === 'cooperation') return coop(s.cooperation);
  if (part === 'case') return t(STANCE_KEYS[s.case]);
  if (part === 'day') return t(DAY_KEYS[s.day]);
  return t(s.invest ? 'inspect.investYes' : 'inspect.investNo');
}

/** The change from `a` to `b` of part `part`: "more cooperation (0.25 → 0.50)". */
function changeText(part, a, b) {
  const up = part === 'invest' ? b.invest : part === 'cooperation' ? b.cooperation > a.cooperation : b[part] > a[part];
  const key = {
    cooperation: up ? 'inspect.moreCooperation' : 'inspect.lessCooperation',
    case: up ? 'inspect.moreAdmissions' : 'inspect.fewerAdmissions',
    day: up ? 'inspect.longerStays' : 'inspect.shorterStays',
    invest: up ? 'inspect.startInvesting' : 'inspect.stopInvesting',
  }[part];
  return t(key, { from: partValue(part, a), to: partValue(part, b) });
}

/** How the margin moved from `a` to `b`: "rose from 3.1% to 3.4%". */
function marginMove(a, b) {
  const key = Math.abs(b - a) < 0.0005 ? 'inspect.marginHeld' : b > a ? 'inspect.marginRose' : 'inspect.marginFell';
  return t(key, { from: pct(a), to: pct(b) });
}

/** One learning event as a sentence. */
export function eventSentence(e) {
  const month = e.month + 1;
  if (e.kind === 'started') return t('inspect.eventStarted', { month, change: changeText(e.part, e.from, e.to), margin: pct(e.before) });
  if (e.kind === 'kept') return t('inspect.eventKept', { month, change: changeText(e.part, e.from, e.to), move: marginMove(e.before, e.after) });
  if (e.kind === 'dropped') return t('inspect.eventDropped', { month, change: changeText(e.part, e.to, e.from), move: marginMove(e.before, e.after) });
  const parts = ['cooperation', 'case', 'day', 'invest'].filter((p) => e.from[p] !== e.to[p]);
  return t('inspect.eventCopied', { month, changes: parts.map((p) => changeText(p, e.from, e.to)).join(t('inspect.listSeparator')), margin: pct(e.before) });
}

/** The ECharts option of the books: revenue by source stacked, cost as a line. */
function booksOption(h) {
  const months = h.insurer.map((_, i) => i + 1);
  const source = (s) => ({
    id: s.key,
    name: t(`inspect.source_${s.key}`),
    type: 'line',
    stack: 'revenue',
    areaStyle: { opacity: 0.75 },
    lineStyle: { width: 0.5 },
    symbol: 'none',
    color: s.color,
    data: h[s.key],
  });
  return {
    animation: false,
    grid: { left: 48, right: 10, top: 34, bottom: 24 },
    legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 10.5 } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${money(v)} ${t('inspect.yuan')}` },
    xAxis: { type: 'category', data: months, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: money }, splitLine: { lineStyle: { color: COLORS.grid } } },
    series: [
      ...SOURCES.map(source),
      { id: 'cost', name: t('inspect.cost'), type: 'line', symbol: 'none', color: COLORS.ink, lineStyle: { width: 1.8, type: 'dashed' }, data: h.cost },
    ],
  };
}

/** The ECharts option of the stances: cooperation (0–1) above, the two stances (−1, 0, 1)
 * below, on separate grids so that a stance at "neutral" never hides cooperation at 0.5. */
function stanceOption(h) {
  const months = h.cooperation.map((_, i) => i + 1);
  const stanceLabel = (v) => t({ '-1': 'inspect.axisLow', 0: 'inspect.stanceNeutral', 1: 'inspect.axisHigh' }[v] || 'inspect.stanceNeutral');
  const axis = (gridIndex, show) => ({ type: 'category', gridIndex, data: months, axisLabel: { show, fontSize: 10 } });
  const words = (keys) => ({ valueFormatter: (v) => t(keys[Math.round(v)]) });
  const step = (id, name, color, y, data, type = 'solid', tooltip = { valueFormatter: coop }) => ({
    id,
    name,
    type: 'line',
    step: 'end',
    symbol: 'none',
    xAxisIndex: y,
    yAxisIndex: y,
    color,
    lineStyle: { width: id === 'cooperation' ? 2.2 : 1.6, type },
    tooltip,
    data,
  });
  return {
    animation: false,
    grid: [
      { left: 52, right: 12, top: 28, height: 70 },
      { left: 52, right: 12, top: 118, bottom: 22 },
    ],
    legend: { top: 0, itemWidth: 12, itemHeight: 8, textStyle: { fontSize: 10.5 } },
    tooltip: { trigger: 'axis' },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    xAxis: [axis(0, false), axis(1, true)],
    yAxis: [
      { type: 'value', gridIndex: 0, min: 0, max: 1, interval: 0.5, axisLabel: { fontSize: 10 }, splitLine: { lineStyle: { color: COLORS.grid } } },
      { type: 'value', gridIndex: 1, min: -1, max: 1, interval: 1, axisLabel: { fontSize: 10, formatter: stanceLabel }, splitLine: { lineStyle: { color: COLORS.grid } } },
    ],
    series: [
      step('cooperation', t('inspect.cooperation'), COLORS.cooperation, 0, h.cooperation),
      // The two stances are drawn a hair apart, so that both show where they agree.
      step('case', t('inspect.caseStance'), COLORS.up, 1, h.case_stance.map((v) => 0.95 * v + 0.04), 'solid', words(STANCE_KEYS)),
      step('day', t('inspect.dayStance'), COLORS.down, 1, h.day_stance.map((v) => 0.95 * v - 0.04), 'dashed', words(DAY_KEYS)),
    ],
  };
}

/** The panel's markup; every text is filled by `render`. */
function panelHtml() {
  return `
    <div class="inspector-head">
      <h2 id="inspector-title" data-inspector-title></h2>
      <button type="button" class="inspector-close" data-inspector-close></button>
    </div>
    <p class="inspector-now" data-inspector-now></p>
    <p class="inspector-error" data-inspector-error role="alert" hidden></p>
    <h3 data-inspector-books-title></h3>
    <div class="inspector-chart" data-inspector-books role="img"></div>
    <h3 data-inspector-stance-title></h3>
    <div class="inspector-chart" data-inspector-stance role="img"></div>
    <h3 data-inspector-events-title></h3>
    <ol class="inspector-events" data-inspector-events></ol>
    <p class="inspector-note" data-inspector-note></p>`;
}

/**
 * Creates the inspector and attaches it to the map.
 * @param {{ echarts: object, board: object, client: object, run: object }} deps the ECharts
 *   module, the chart board (its `charts.get('map')`), the current run's model client, and
 *   the run (its `snapshot` says which facilities exist and how far the run is)
 */
export function createFacilityInspector({ echarts, board, client, run }) {
  const panel = document.createElement('aside');
  panel.className = 'inspector';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-labelledby', 'inspector-title');
  panel.dataset.inspector = '';
  panel.hidden = true;
  panel.innerHTML = panelHtml();
  document.body.append(panel);
  const $ = (sel) => panel.querySelector(sel);
  const picker = createPicker();

  let id = null;
  let history = null;
  let shownDay = -1;
  let asking = false;
  let opener = null;
  let booksChart = null;
  let stanceChart = null;

  /** Keyboard users pick a facility from a list under the map. */
  function createPicker() {
    const mapCard = document.querySelector('[data-chart="map"]')?.closest('figure');
    const label = document.createElement('label');
    label.className = 'inspector-picker';
    label.innerHTML = '<span data-picker-label></span> <select data-inspector-picker></select>';
    // Named from the start: the list is filled once there is a region.
    label.querySelector('[data-picker-label]').textContent = t('inspect.pick');
    // Under the map's "Show data" button, before the table it opens.
    const showData = mapCard?.querySelector('[data-show-data]');
    if (showData) showData.after(label);
    else (mapCard || document.body).append(label);
    const select = label.querySelector('select');
    select.addEventListener('change', () => {
      if (select.value !== '') open(Number(select.value), select);
    });
    return { label, select, snap: null, tiers: null };
  }

  function facilities() {
    return run.snapshot?.current?.facilities || [];
  }

  /** The list under the map: one option per facility, by tier, rebuilt when the region changes. */
  function fillPicker(force = false) {
    const snap = run.snapshot;
    if (!force && snap === picker.snap) return;
    picker.snap = snap;
    const facs = facilities();
    const tiers = facs.map((f) => f.tier).join('');
    if (!force && tiers === picker.tiers) return;
    picker.tiers = tiers;
    picker.label.querySelector('[data-picker-label]').textContent = t('inspect.pick');
    const options = [`<option value="">${t('inspect.pickNone')}</option>`];
    for (const tier of [2, 1, 0]) {
      facs.forEach((f, i) => {
        if (f.tier === tier) options.push(`<option value="${i}">${facilityName(tier, i)}</option>`);
      });
    }
    picker.select.innerHTML = options.join('');
    picker.select.value = id === null ? '' : String(id);
  }

  /** Opens the panel on facility `facility`; `from` gets the focus back when it closes. */
  function open(facility, from) {
    if (!Number.isInteger(facility) || facility < 0 || facility >= facilities().length) return;
    opener = from || document.activeElement;
    id = facility;
    history = null;
    shownDay = -1;
    panel.hidden = false;
    document.body.classList.add('inspector-open');
    picker.select.value = String(id);
    // The map's tooltip would otherwise stay over the panel (on a phone it covers it).
    board.charts.get('map')?.dispatchAction({ type: 'hideTip' });
    if (!booksChart) booksChart = echarts.init($('[data-inspector-books]'));
    if (!stanceChart) stanceChart = echarts.init($('[data-inspector-stance]'));
    render();
    $('[data-inspector-close]').focus();
    refresh();
  }

  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    document.body.classList.remove('inspector-open');
    id = null;
    picker.select.value = '';
    if (opener && document.contains(opener)) opener.focus();
  }

  /** Asks the worker for the facility's history when the run has moved since it was shown. */
  async function refresh() {
    const snap = run.snapshot;
    if (id === null || !snap || asking) return;
    if (id >= facilities().length) return close();
    if (snap.day === shownDay && history) return;
    asking = true;
    const asked = id;
    try {
      const reply = await client.facilityHistory(asked);
      if (asked !== id) return;
      history = reply.history;
      shownDay = snap.day;
      showError(null);
      render();
    } catch (err) {
      showError(err.message);
      return;
    } finally {
      asking = false;
    }
    // A snapshot that came while the worker answered: show it too.
    if (run.snapshot && run.snapshot.day !== shownDay) refresh();
  }

  function showError(message) {
    const el = $('[data-inspector-error]');
    el.hidden = !message;
    el.textContent = message ? t('inspect.error', { message }) : '';
  }

  /** Writes every text and chart of the panel from the history shown (none yet: names only). */
  function render() {
    if (id === null) return;
    const f = facilities()[id];
    $('[data-inspector-title]').textContent = f ? facilityName(f.tier, id) : '';
    const closeButton = $('[data-inspector-close]');
    closeButton.textContent = '✕';
    closeButton.title = t('inspect.close');
    closeButton.setAttribute('aria-label', t('inspect.close'));
    $('[data-inspector-books-title]').textContent = t('inspect.booksTitle');
    $('[data-inspector-stance-title]').textContent = t('inspect.stanceTitle');
    $('[data-inspector-events-title]').textContent = t('inspect.eventsTitle');
    $('[data-inspector-books]').setAttribute('aria-label', t('inspect.booksLabel'));
    $('[data-inspector-stance]').setAttribute('aria-label', t('inspect.stanceLabel'));
    $('[data-inspector-note]').textContent = t('inspect.note');
    const h = history;
    const now = $('[data-inspector-now]');
    const list = $('[data-inspector-events]');
    if (!h) {
      now.textContent = t('inspect.loading');
      list.innerHTML = '';
      return;
    }
    const last = h.closed_months - 1;
    now.textContent =
      last < 0
        ? t('inspect.noMonthYet')
        : t('inspect.now', {
            month: last + 1,
            cooperation: coop(h.cooperation[last]),
            admissions: t(STANCE_KEYS[h.case_stance[last]]),
            stays: t(DAY_KEYS[h.day_stance[last]]),
            margin: pct(h.margin[last]),
          }) + (h.on_trial[last] ? ` ${t('inspect.onTrial')}` : '');
    booksChart.setOption(booksOption(h), { notMerge: true });
    stanceChart.setOption(stanceOption(h), { notMerge: true });
    const events = h.events.slice().reverse();
    const items = events.slice(0, MAX_EVENTS).map((e) => {
      const li = document.createElement('li');
      li.dataset.kind = e.kind;
      li.textContent = eventSentence(e);
      return li;
    });
    if (!events.length) {
      const li = document.createElement('li');
      li.className = 'inspector-quiet';
      li.textContent = t('inspect.noEvents');
      items.push(li);
    } else if (events.length > MAX_EVENTS) {
      const li = document.createElement('li');
      li.className = 'inspector-quiet';
      li.textContent = t('inspect.moreEvents', { count: events.length - MAX_EVENTS });
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  /** A click on a facility's circle: its data is `[x, y, id, occupancy, size]` (region-map.js). */
  function onMapClick(params) {
    if (params.componentType !== 'series' || !String(params.seriesId || '').startsWith('tier-')) return;
    const facility = Array.isArray(params.value) ? params.value[2] : null;
    if (Number.isInteger(facility)) open(facility, board.charts.get('map')?.getDom());
  }

  board.charts.get('map')?.on('click', onMapClick);
  $('[data-inspector-close]').addEventListener('click', close);
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !panel.hidden) close();
  });
  window.addEventListener('resize', () => {
    booksChart?.resize();
    stanceChart?.resize();
  });
  onLanguageChange(() => {
    fillPicker(true);
    render();
  });
  fillPicker();

  return {
    open,
    close,
    get facility() {
      return id;
    },
    /** A new snapshot (main.js): the list follows a new region, the open panel the run. */
    update() {
      fillPicker();
      if (id !== null) refresh();
    },
  };
}
