// The strip of key figures above the charts (NetLogo's "monitors"): the last 12 simulated
// months of the current scenario, with the status-quo baseline beside each when shown.

const pct = (v) => `${(v * 100).toFixed(1)}%`;
const fixed = (d) => (v) => v.toFixed(d);
const yuan = (v) => `¥${Math.round(v).toLocaleString('en-US')}`;

/** The figures shown, in order. */
export const KEY_FIGURES = [
  { key: 'primary_visit_share', label: 'Primary visits', format: pct },
  { key: 'tertiary_visit_share', label: 'Tertiary visits', format: pct },
  { key: 'downward_referrals_per_1000', label: 'Down-referrals', format: fixed(1) },
  { key: 'up_down_ratio', label: 'Up : down', format: fixed(1) },
  { key: 'cooperation_index', label: 'Cooperation', format: fixed(2) },
  { key: 'trust_primary', label: 'Trust, primary', format: fixed(2) },
  { key: 'spending_per_capita', label: 'Spending/resident', format: yuan },
  { key: 'insurer_balance_ratio', label: 'Fund ratio', format: fixed(2) },
];

/** Sets a node's text only when it changes: the panel is refreshed with every snapshot, many
 * times a second during a run, and each real change costs the page a layout and a paint. */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * Renders the figures into `root` (built once, then updated in place).
 * @param {{name: string, description: string}[]} outputs the model's output descriptions
 * @param {object|null} summary current summary, or null before the first simulated day
 * @param {object|null} baseline baseline summary, or null when not shown
 */
export function renderKpis(root, outputs, summary, baseline) {
  if (!root.childElementCount) {
    for (const f of KEY_FIGURES) {
      const desc = outputs.find((o) => o.name === f.key)?.description || f.label;
      const tile = document.createElement('div');
      tile.className = 'kpi';
      tile.dataset.kpi = f.key;
      tile.title = `${desc} (last 12 simulated months)`;
      tile.innerHTML =
        '<span class="kpi-label"></span><span class="kpi-value">–</span>' +
        '<span class="kpi-base"><span class="kpi-arrow"></span> <i class="key-dashed"></i> <span class="kpi-base-value"></span></span>';
      tile.querySelector('.kpi-label').textContent = f.label;
      root.append(tile);
    }
  }
  for (const f of KEY_FIGURES) {
    const tile = root.querySelector(`[data-kpi="${f.key}"]`);
    const v = summary ? summary[f.key] : undefined;
    setText(tile.querySelector('.kpi-value'), typeof v === 'number' ? f.format(v) : '–');
    const b = baseline ? baseline[f.key] : undefined;
    const baseEl = tile.querySelector('.kpi-base');
    const shown = typeof v === 'number' && typeof b === 'number';
    // Hidden rather than emptied, so the tile keeps its height and nothing below it moves.
    const visibility = shown ? '' : 'hidden';
    if (baseEl.style.visibility !== visibility) baseEl.style.visibility = visibility;
    if (shown) {
      const diff = v - b;
      setText(baseEl.querySelector('.kpi-arrow'), Math.abs(diff) < 1e-9 ? '=' : diff > 0 ? '▲' : '▼');
      setText(baseEl.querySelector('.kpi-base-value'), f.format(b));
      const title = `status quo with the same seed: ${f.format(b)}`;
      if (baseEl.title !== title) baseEl.title = title;
    }
  }
}
