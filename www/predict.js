// Predict, then reveal (`data-action="predict"` above the charts): the key figures and the
// charts are hidden while the class writes down what it expects (the primary share of visits,
// and whether a few figures end above or below the status quo); Reveal shows the results with
// each prediction beside the result. The run is not touched: it may go on while hidden.

import { KEY_FIGURES } from './key-figures.js';

/** The figures whose direction against the status quo the class predicts. */
const DIRECTIONS = ['cooperation_index', 'downward_referrals_per_1000', 'spending_per_capita'];

const figure = (key) => KEY_FIGURES.find((f) => f.key === key);

/**
 * @param {object} deps
 * @param {Element} deps.button the `data-action="predict"` button
 * @param {Element} deps.before the element the prediction panel goes before
 * @param {() => { summary: object|null, baseline: object|null }} deps.results the latest
 *   summaries of the run and of the status quo (null before the first month)
 * @param {Document} [root]
 */
export function createPrediction({ button, before, results }, root = document) {
  const panel = root.createElement('section');
  panel.className = 'predict';
  panel.dataset.predict = '';
  panel.hidden = true;
  panel.setAttribute('aria-label', 'Predict, then reveal');
  const rows = DIRECTIONS.map((key) => {
    const f = figure(key);
    return `<label>${f.label} <span lang="zh-CN" class="label-zh">${f.zh}</span>
      <select data-predict-direction="${key}"><option value="">—</option><option value="up">above the status quo ↑</option><option value="down">below the status quo ↓</option></select></label>`;
  }).join('');
  panel.innerHTML = `<h2>Predict, then reveal <span lang="zh-CN" class="label-zh">先预测，再揭晓</span></h2>
    <p class="predict-ask">The results are hidden. What do you expect over the last 12 months of the run?</p>
    <div class="predict-fields">
      <label>Primary share of visits (%) <span lang="zh-CN" class="label-zh">基层门诊占比</span>
        <input type="number" data-predict-primary min="0" max="100" step="1" inputmode="numeric"></label>
      ${rows}
    </div>
    <button type="button" data-action="reveal" class="primary">Reveal</button>
    <div data-predict-result></div>`;
  before.before(panel);
  const out = panel.querySelector('[data-predict-result]');
  const body = root.body;

  function reveal() {
    body.classList.remove('predicting');
    const { summary, baseline } = results();
    const fmtOf = (key, v) => (typeof v === 'number' ? figure(key).format(v) : '—');
    const guess = panel.querySelector('[data-predict-primary]').value;
    const lines = [];
    const share = 'primary_visit_share';
    lines.push([figure(share).label, guess === '' ? '—' : `${Number(guess).toFixed(0)}%`, fmtOf(share, summary?.[share]), fmtOf(share, baseline?.[share]), '']);
    for (const key of DIRECTIONS) {
      const said = panel.querySelector(`[data-predict-direction="${key}"]`).value;
      const v = summary?.[key];
      const b = baseline?.[key];
      const actual = typeof v === 'number' && typeof b === 'number' ? (v > b ? 'up' : v < b ? 'down' : 'same') : null;
      const verdict = !said || !actual ? '' : said === actual ? '✓ as predicted' : '✗ not as predicted';
      lines.push([figure(key).label, said === 'up' ? '↑' : said === 'down' ? '↓' : '—', fmtOf(key, v), fmtOf(key, b), verdict]);
    }
    const cells = (r) => r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('');
    out.innerHTML = `<table class="predict-table"><thead><tr><th scope="col">Figure</th><th scope="col">Prediction</th><th scope="col">Result</th><th scope="col">Status quo</th><th scope="col"></th></tr></thead>
      <tbody>${lines.map((r) => `<tr>${cells(r)}</tr>`).join('')}</tbody></table>`;
  }

  button.addEventListener('click', () => {
    const opening = panel.hidden;
    panel.hidden = !opening;
    body.classList.toggle('predicting', opening);
    button.setAttribute('aria-pressed', String(opening));
    if (opening) out.replaceChildren();
  });
  panel.querySelector('[data-action="reveal"]').addEventListener('click', reveal);
  return { reveal };
}
