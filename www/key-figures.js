// The strip of key figures above the charts (NetLogo's "monitors"): the last 12 simulated
// months of the current scenario, with the status-quo baseline beside each when shown.

const pct = (v) => `${(v * 100).toFixed(1)}%`;
const fixed = (d) => (v) => v.toFixed(d);
const yuan = (v) => `¥${Math.round(v).toLocaleString('en-US')}`;

/**
 * The figures shown, in order (where patients go; referral and cooperation; trust and
 * safety; money), each with its Chinese term and, for rates, the unit beside the value.
 * `spoken` names the figure in the sentence a screen reader reads for its tile.
 */
export const KEY_FIGURES = [
  { key: 'primary_visit_share', spoken: 'Primary share of visits', label: 'Primary visits', zh: '基层门诊占比', format: pct },
  { key: 'tertiary_visit_share', spoken: 'Tertiary share of visits', label: 'Tertiary visits', zh: '三级门诊占比', format: pct },
  { key: 'forgone_care_share', spoken: 'Forgone care', label: 'Forgone care', zh: '应就诊未就诊', format: pct },
  { key: 'downward_referrals_per_1000', spoken: 'Downward referrals', label: 'Down-referrals', zh: '下转', unit: '/1,000', format: fixed(1) },
  { key: 'up_down_ratio', spoken: 'Upward to downward referrals', label: 'Up : down', zh: '上转 : 下转', format: fixed(1) },
  { key: 'cooperation_index', spoken: 'Cooperation index', label: 'Cooperation', zh: '协作指数', format: fixed(2) },
  { key: 'trust_primary', spoken: 'Trust in primary care', label: 'Trust, primary', zh: '基层信任度', format: fixed(2) },
  { key: 'adverse_events_per_1000', spoken: 'Adverse events', label: 'Adverse events', zh: '不良事件', unit: '/1,000', format: fixed(2) },
  { key: 'spending_per_capita', spoken: 'Spending per resident', label: 'Spending/resident', zh: '人均医疗费用', format: yuan },
  { key: 'government_spending_per_capita', spoken: 'Government spending per resident', label: 'Government/resident', zh: '政府人均投入', format: yuan },
  { key: 'insurer_balance_ratio', spoken: 'Fund income over payments', label: 'Fund ratio', zh: '医保基金收支比', format: fixed(2) },
];

/** Sets a node's text only when it changes: the panel is refreshed with every snapshot, many
 * times a second during a run, and each real change costs the page a layout and a paint. */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** The sentence a screen reader reads for figure `f`: its name, value and unit, and the
 * status quo's value when `b` is a number. */
export function spokenFigure(f, v, b) {
  const unit = f.unit ? ` ${f.unit.replace('/', 'per ')}` : '';
  const value = typeof v === 'number' ? `${f.format(v)}${unit}` : 'not yet simulated';
  return typeof b === 'number' ? `${f.spoken}: ${value}, status quo ${f.format(b)}${unit}` : `${f.spoken}: ${value}`;
}

/**
 * Renders the figures into `root` (built once, then updated in place).
 * @param {{name: string, description: string}[]} outputs the model's output descriptions
 * @param {object|null} summary current summary, or null before the first simulated day
 * @param {object|null} baseline baseline summary, or null when not shown
 * @param {{id: string, name: string, summary: object}[]} [saved] saved runs overlaid
 *   (saved-runs.js), each shown under the tile's value with its name
 */
export function renderKpis(root, outputs, summary, baseline, saved = []) {
  if (!root.childElementCount) {
    for (const f of KEY_FIGURES) {
      const desc = outputs.find((o) => o.name === f.key)?.description || f.label;
      const tile = document.createElement('div');
      tile.className = 'kpi';
      tile.dataset.kpi = f.key;
      tile.title = `${desc} (last 12 simulated months)`;
      // The tile's parts are laid out for the eye; a screen reader reads one sentence instead
      // ("Primary share of visits: 53.9%, status quo 51.5%"), kept in a visually hidden span.
      tile.setAttribute('role', 'listitem');
      tile.innerHTML =
        '<span class="kpi-spoken visually-hidden"></span>' +
        '<span class="kpi-label" aria-hidden="true"></span><span class="kpi-zh" lang="zh-CN" aria-hidden="true"></span>' +
        '<span class="kpi-figure" aria-hidden="true"><span class="kpi-value">–</span><span class="kpi-unit"></span></span>' +
        '<span class="kpi-base" aria-hidden="true"><span class="kpi-arrow"></span> <i class="key-dashed"></i> <span class="kpi-base-value"></span></span>' +
        '<span class="kpi-saved" aria-hidden="true"></span>';
      tile.querySelector('.kpi-label').textContent = f.label;
      tile.querySelector('.kpi-zh').textContent = f.zh || '';
      tile.querySelector('.kpi-unit').textContent = f.unit ? ` ${f.unit}` : '';
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
    const savedEl = tile.querySelector('.kpi-saved');
    const rows = saved.map((r) => ({ id: r.id, name: r.name, value: typeof r.summary?.[f.key] === 'number' ? f.format(r.summary[f.key]) : '–' }));
    const rowsKey = JSON.stringify(rows);
    if (savedEl.dataset.rows !== rowsKey) {
      savedEl.dataset.rows = rowsKey;
      savedEl.replaceChildren(
        ...rows.map((r) => {
          const row = document.createElement('span');
          row.className = 'kpi-saved-row';
          row.dataset.savedKpi = r.id;
          row.title = `${r.name} (saved run): ${r.value}`;
          const name = document.createElement('span');
          name.className = 'kpi-saved-name';
          name.textContent = r.name;
          const value = document.createElement('b');
          value.className = 'kpi-saved-value';
          value.textContent = r.value;
          row.append(name, ' ', value);
          return row;
        }),
      );
    }
    const savedSpoken = rows.map((r) => `, ${r.name} ${r.value}`).join('');
    setText(tile.querySelector('.kpi-spoken'), spokenFigure(f, v, shown ? b : undefined) + savedSpoken);
    if (shown) {
      const diff = v - b;
      setText(baseEl.querySelector('.kpi-arrow'), Math.abs(diff) < 1e-9 ? '=' : diff > 0 ? '▲' : '▼');
      setText(baseEl.querySelector('.kpi-base-value'), f.format(b));
      const title = `status quo with the same seed: ${f.format(b)}`;
      if (baseEl.title !== title) baseEl.title = title;
    }
  }
}
