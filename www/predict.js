// Predict, then reveal (`data-action="predict"` above the charts, or P in presentation mode):
// the key figures and the charts are hidden while the class writes down what it expects: a
// number for the headline figure (the primary share of visits over the last 12 months), a
// sketch of the primary-share line over the run, and whether a few figures end above or below
// the status quo. Reveal shows the results with each prediction beside its result, and draws
// the sketch (and the number, over the last 12 months) on the visit-shares chart.
// The run is not touched: it may go on while hidden.
//
// The sketch is drawn on a pad of its own, with the visit-shares chart's axes (0-100 %, the
// run's years), not on the chart itself: the chart would show the answer while the class draws.

import { t, onLanguageChange } from './i18n.js';
import { KEY_FIGURES } from './key-figures.js';

/** The figures whose direction against the status quo the class predicts. */
const DIRECTIONS = ['cooperation_index', 'downward_referrals_per_1000', 'spending_per_capita'];
const HEADLINE = 'primary_visit_share';
/** The chart the sketch and the number are drawn on at the reveal. */
export const SKETCH_CHART = 'visit-shares';
/** The pad's drawing (SVG user units, one per CSS pixel: its labels keep their size on a
 * phone): its height, the width it takes when it cannot be measured, and the margins that
 * hold its axis labels. */
const PAD = { width: 600, height: 200, left: 44, right: 14, top: 10, bottom: 26 };

const figure = (key) => KEY_FIGURES.find((f) => f.key === key);
/** Each figure's name, from the predict namespace (literal keys, for the strings test). */
const FIGURE_NAME = {
  primary_visit_share: () => t('predict.figurePrimary'),
  cooperation_index: () => t('predict.figureCooperation'),
  downward_referrals_per_1000: () => t('predict.figureDown'),
  spending_per_capita: () => t('predict.figureSpending'),
};

/** The sketch's value at time `x` (years), by straight lines between its points; null
 * outside the sketched span. */
export function sketchAt(points, x) {
  if (!points.length || x < points[0][0] || x > points[points.length - 1][0]) return null;
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return points[points.length - 1][1];
}

/** The sketch's mean over `[from, to]` (years), sampled, or null when it does not cover it. */
export function sketchMean(points, from, to, samples = 48) {
  let sum = 0;
  for (let i = 0; i <= samples; i++) {
    const v = sketchAt(points, from + ((to - from) * i) / samples);
    if (v === null) return null;
    sum += v;
  }
  return sum / (samples + 1);
}

/** How close to either end of the pad (share of its width) a stroke counts as reaching it:
 * a hand on a trackpad stops a few pixels short. */
const END_SNAP = 0.03;

/** A copy of the sketch with ends near the start or the end of the run moved onto them. */
export function snapEnds(points, years) {
  const out = points.map((p) => [...p]);
  if (out.length && out[0][0] <= END_SNAP * years) out[0][0] = 0;
  const last = out[out.length - 1];
  if (last && last[0] >= (1 - END_SNAP) * years) last[0] = years;
  return out;
}

const svgEl = (tag, attrs = {}) => {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
};

/**
 * @param {object} deps
 * @param {Element} deps.button the `data-action="predict"` button
 * @param {Element} deps.before the element the prediction panel goes before
 * @param {() => { summary: object|null, baseline: object|null }} deps.results the latest
 *   summaries of the run and of the status quo (null before the first month)
 * @param {() => number} deps.horizonYears the run's length in years (the pad's time axis)
 * @param {(opening: boolean) => void} [deps.onToggle] the panel opened or closed
 * @param {() => void} [deps.onReveal] revealed: the visit-shares chart should be redrawn
 * @param {Document} [root]
 */
export function createPrediction({ button, before, results, horizonYears, onToggle = () => {}, onReveal = () => {} }, root = document) {
  const panel = root.createElement('section');
  panel.className = 'predict';
  panel.dataset.predict = '';
  panel.hidden = true;
  panel.innerHTML = `<h2 data-predict-title></h2>
    <p class="predict-ask" data-predict-ask></p>
    <div class="predict-fields">
      <label><span data-predict-label="primary"></span>
        <input type="number" data-predict-primary min="0" max="100" step="1" inputmode="numeric"></label>
      ${DIRECTIONS.map((key) => `<label><span data-predict-label="${key}"></span>
        <select data-predict-direction="${key}"><option value=""></option><option value="up"></option><option value="down"></option></select></label>`).join('')}
    </div>
    <p class="field-error" data-predict-error role="alert" hidden></p>
    <div class="predict-sketch">
      <p class="predict-sketch-head"><span data-predict-sketch-label></span>
        <button type="button" data-action="predict-clear-sketch"></button></p>
      <div class="predict-pad-wrap"></div>
    </div>
    <button type="button" data-action="reveal" class="primary"></button>
    <div data-predict-result></div>`;
  before.before(panel);
  const out = panel.querySelector('[data-predict-result]');
  const primaryInput = panel.querySelector('[data-predict-primary]');
  const error = panel.querySelector('[data-predict-error]');
  const body = root.body;

  // ---------- the sketch pad ----------
  /** The sketch as `[years, share]` points, time increasing. */
  let sketch = [];
  /** What the reveal draws on the chart: `{ sketch, number, years }`, or null before a reveal. */
  let revealed = null;
  const pad = svgEl('svg', { class: 'predict-pad', 'data-predict-pad': '', role: 'img' });
  const wrap = panel.querySelector('.predict-pad-wrap');
  wrap.append(pad);
  const axes = svgEl('g', { class: 'predict-pad-axes' });
  const line = svgEl('polyline', { class: 'predict-pad-line', fill: 'none' });
  pad.append(axes, line);
  let width = PAD.width;
  let plotW = width - PAD.left - PAD.right;
  const plotH = PAD.height - PAD.top - PAD.bottom;

  function drawAxes() {
    width = wrap.clientWidth || PAD.width;
    plotW = width - PAD.left - PAD.right;
    pad.setAttribute('viewBox', `0 0 ${width} ${PAD.height}`);
    axes.replaceChildren();
    const years = horizonYears();
    axes.append(svgEl('rect', { x: PAD.left, y: PAD.top, width: plotW, height: plotH, class: 'predict-pad-area' }));
    for (const share of [0, 0.25, 0.5, 0.75, 1]) {
      const y = PAD.top + plotH * (1 - share);
      axes.append(svgEl('line', { x1: PAD.left, x2: PAD.left + plotW, y1: y, y2: y, class: 'predict-pad-grid' }));
      const label = svgEl('text', { x: PAD.left - 6, y: y + 4, 'text-anchor': 'end' });
      label.textContent = `${share * 100}%`;
      axes.append(label);
    }
    const step = years > 10 ? 5 : 1;
    for (let yr = 0; yr <= years; yr += step) {
      const label = svgEl('text', { x: PAD.left + (plotW * yr) / years, y: PAD.height - 8, 'text-anchor': yr + step > years && yr > 0 ? 'end' : 'middle' });
      label.textContent = yr === 0 ? '0' : t('predict.yearTick', { year: yr });
      axes.append(label);
    }
  }

  /** A pointer's position on the pad as `[years, share]`, clamped to the axes. */
  function toValue(event) {
    const box = pad.getBoundingClientRect();
    const x = ((event.clientX - box.left) / box.width) * width;
    const y = ((event.clientY - box.top) / box.height) * PAD.height;
    const clamp = (v) => Math.min(1, Math.max(0, v));
    return [clamp((x - PAD.left) / plotW) * horizonYears(), clamp(1 - (y - PAD.top) / plotH)];
  }

  function drawSketch() {
    const years = horizonYears();
    line.setAttribute('points', sketch.map(([x, y]) => `${PAD.left + (plotW * x) / years},${PAD.top + plotH * (1 - y)}`).join(' '));
  }

  let drawing = false;
  pad.addEventListener('pointerdown', (event) => {
    drawing = true;
    pad.setPointerCapture(event.pointerId);
    sketch = [toValue(event)];
    drawSketch();
    event.preventDefault();
  });
  pad.addEventListener('pointermove', (event) => {
    if (!drawing) return;
    const p = toValue(event);
    // A line over time: a stroke that goes back in time is not followed.
    if (p[0] > sketch[sketch.length - 1][0]) sketch.push(p);
    drawSketch();
  });
  // The pad follows its box's width (a phone turned, a window resized); the sketch is kept
  // in months and shares, so it is drawn again on the new axes.
  new ResizeObserver(() => {
    if (wrap.clientWidth && wrap.clientWidth !== width) {
      drawAxes();
      drawSketch();
    }
  }).observe(wrap);
  const stop = () => (drawing = false);
  pad.addEventListener('pointerup', stop);
  pad.addEventListener('pointercancel', stop);
  panel.querySelector('[data-action="predict-clear-sketch"]').addEventListener('click', () => {
    sketch = [];
    drawSketch();
  });

  // ---------- texts ----------
  function writeTexts() {
    panel.setAttribute('aria-label', t('predict.title'));
    panel.querySelector('[data-predict-title]').textContent = t('predict.title');
    panel.querySelector('[data-predict-ask]').textContent = t('predict.ask');
    panel.querySelector('[data-predict-label="primary"]').textContent = t('predict.primaryLabel');
    for (const key of DIRECTIONS) {
      panel.querySelector(`[data-predict-label="${key}"]`).textContent = FIGURE_NAME[key]();
      const [none, up, down] = panel.querySelector(`[data-predict-direction="${key}"]`).options;
      none.textContent = '—';
      up.textContent = t('predict.up');
      down.textContent = t('predict.down');
    }
    panel.querySelector('[data-predict-sketch-label]').textContent = t('predict.sketchLabel');
    panel.querySelector('[data-action="predict-clear-sketch"]').textContent = t('predict.clearSketch');
    panel.querySelector('[data-action="reveal"]').textContent = t('predict.reveal');
    pad.setAttribute('aria-label', t('predict.padLabel'));
    button.textContent = t('predict.button');
    button.title = t('predict.buttonTitle');
    drawAxes();
    drawSketch();
    if (!out.hidden && out.childElementCount) writeTable();
  }

  /** The typed number (0-100) as a share, null when blank; an error (shown beside the field)
   * when it is not a percentage. */
  function typedShare() {
    const raw = primaryInput.value.trim();
    if (raw === '') return { share: null };
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0 || n > 100) return { error: t('predict.badNumber', { value: raw }) };
    return { share: n / 100 };
  }

  function writeTable() {
    const { summary, baseline } = results();
    const fmtOf = (key, v) => (typeof v === 'number' ? figure(key).format(v) : '—');
    const guess = typedShare().share ?? null;
    const lines = [];
    lines.push([FIGURE_NAME[HEADLINE](), guess === null ? '—' : `${(guess * 100).toFixed(0)}%`, fmtOf(HEADLINE, summary?.[HEADLINE]), fmtOf(HEADLINE, baseline?.[HEADLINE]), verdictOfNumber(guess, summary?.[HEADLINE])]);
    if (revealed?.sketch) {
      const years = revealed.years;
      const mean = sketchMean(revealed.sketch, Math.max(0, years - 1), years);
      lines.push([t('predict.sketchRow'), mean === null ? t('predict.sketchShort') : `${(mean * 100).toFixed(0)}%`, fmtOf(HEADLINE, summary?.[HEADLINE]), fmtOf(HEADLINE, baseline?.[HEADLINE]), verdictOfNumber(mean, summary?.[HEADLINE])]);
    }
    for (const key of DIRECTIONS) {
      const said = panel.querySelector(`[data-predict-direction="${key}"]`).value;
      const v = summary?.[key];
      const b = baseline?.[key];
      const actual = typeof v === 'number' && typeof b === 'number' ? (v > b ? 'up' : v < b ? 'down' : 'same') : null;
      const verdict = !said || !actual ? '' : said === actual ? t('predict.right') : t('predict.wrong');
      lines.push([FIGURE_NAME[key](), said === 'up' ? '↑' : said === 'down' ? '↓' : '—', fmtOf(key, v), fmtOf(key, b), verdict]);
    }
    const table = root.createElement('table');
    table.className = 'predict-table';
    const head = table.createTHead().insertRow();
    for (const h of [t('predict.colFigure'), t('predict.colPrediction'), t('predict.colResult'), t('predict.colStatusQuo'), '']) {
      const th = root.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      head.append(th);
    }
    const tbody = table.createTBody();
    for (const r of lines) {
      const tr = tbody.insertRow();
      r.forEach((c, i) => {
        const cell = root.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) cell.scope = 'row';
        cell.textContent = c;
        tr.append(cell);
      });
    }
    const note = root.createElement('p');
    note.className = 'predict-note';
    note.textContent = revealed?.sketch || revealed?.number !== null ? t('predict.onChart') : '';
    out.replaceChildren(table, note);
  }

  /** How far a predicted share was from the result, in percentage points. */
  function verdictOfNumber(guess, actual) {
    if (typeof guess !== 'number' || typeof actual !== 'number') return '';
    return t('predict.off', { points: (Math.abs(guess - actual) * 100).toFixed(1) });
  }

  function reveal() {
    const typed = typedShare();
    error.hidden = !typed.error;
    error.textContent = typed.error || '';
    if (typed.error) return false;
    body.classList.remove('predicting');
    // The questions give way to the answers: the table, and the lines on the chart.
    panel.classList.add('predict-revealed');
    revealed = { sketch: sketch.length > 1 ? snapEnds(sketch, horizonYears()) : null, number: typed.share, years: horizonYears() };
    writeTable();
    onReveal();
    return true;
  }

  function toggle() {
    const opening = panel.hidden;
    panel.hidden = !opening;
    body.classList.toggle('predicting', opening);
    button.setAttribute('aria-pressed', String(opening));
    if (opening) {
      // A new round: the last reveal leaves the chart.
      out.replaceChildren();
      panel.classList.remove('predict-revealed');
      revealed = null;
      drawAxes();
      onReveal();
    }
    onToggle(opening);
  }

  button.addEventListener('click', toggle);
  panel.querySelector('[data-action="reveal"]').addEventListener('click', reveal);
  onLanguageChange(writeTexts);
  writeTexts();

  return {
    reveal,
    toggle,
    get open() {
      return !panel.hidden;
    },
    /** Adds the revealed prediction to chart `name` (drawn after the page's own option). */
    drawOverlay(name, chart) {
      if (name !== SKETCH_CHART || !revealed || !chart) return;
      const series = [];
      const style = (type) => ({ type: 'line', showSymbol: false, z: 4, lineStyle: { width: 3, type, color: '#111' }, itemStyle: { color: '#111' } });
      if (revealed.sketch) series.push({ id: 'prediction:sketch', name: t('predict.sketchSeries'), data: revealed.sketch, ...style([8, 5]) });
      if (revealed.number !== null) {
        const y = revealed.years;
        series.push({ id: 'prediction:number', name: t('predict.numberSeries'), data: [[Math.max(0, y - 1), revealed.number], [y, revealed.number]], ...style('solid') });
      }
      if (series.length) chart.setOption({ series });
    },
    /** For tests: the sketch as `[years, share]` points. */
    get sketch() {
      return sketch.map((p) => [...p]);
    },
  };
}
