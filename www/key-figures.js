// The strip of key figures above the charts (NetLogo's "monitors"): the last 12 simulated
// months of the current scenario, with the status-quo baseline beside each when shown.
// Labels, units and tooltips are in the page's language; after a switch the next refresh
// (the board's `invalidate`) writes them again.

import { t, formatNumber, lang } from './i18n.js';

const pct = (v) => `${(v * 100).toFixed(1)}%`;
const fixed = (d) => (v) => v.toFixed(d);
const yuan = (v) => `¥${formatNumber(Math.round(v))}`;
const perThousand = { unit: () => t('results.figure.perThousand'), spokenUnit: () => t('results.figure.perThousandSpoken') };

/** A figure whose `label`, `spoken` and `about` are read in the page's language when used,
 * from the strings `results.figure.<name>.label`, `.spoken` and `.about`. */
function figure(key, zh, format, name, unit = null) {
  const text = (part) => t(`results.figure.${name}.${part}`);
  return {
    key,
    zh,
    format,
    /** The figure's strings, under `results.figure.<strings>`. */
    strings: name,
    get label() {
      return text('label');
    },
    get spoken() {
      return text('spoken');
    },
    get about() {
      return text('about');
    },
    get unit() {
      return unit ? unit.unit() : '';
    },
    get spokenUnit() {
      return unit ? unit.spokenUnit() : '';
    },
  };
}

/**
 * The figures shown, in order (where patients go; referral and cooperation; trust and
 * safety; money), each with its Chinese term (`zh`, shown under the English label and as the
 * label itself in Chinese) and, for rates, the unit beside the value. `spoken` names the
 * figure in the sentence a screen reader reads for its tile; `about` is its tooltip.
 */
export const KEY_FIGURES = [
  figure('primary_visit_share', '基层门诊占比', pct, 'primaryVisits'),
  figure('tertiary_visit_share', '三级门诊占比', pct, 'tertiaryVisits'),
  figure('forgone_care_share', '应就诊未就诊', pct, 'forgoneCare'),
  figure('downward_referrals_per_1000', '下转', fixed(1), 'downReferrals', perThousand),
  figure('up_down_ratio', '上转 : 下转', fixed(1), 'upDown'),
  figure('cooperation_index', '协作指数', fixed(2), 'cooperation'),
  figure('trust_primary', '基层信任度', fixed(2), 'trustPrimary'),
  figure('adverse_events_per_1000', '不良事件', fixed(2), 'adverseEvents', perThousand),
  figure('spending_per_capita', '人均医疗费用', yuan, 'spending'),
  figure('government_spending_per_capita', '政府人均投入', yuan, 'government'),
  figure('insurer_balance_ratio', '医保基金收支比', fixed(2), 'fundRatio'),
];

/** Sets a node's text only when it changes: the panel is refreshed with every snapshot, many
 * times a second during a run, and each real change costs the page a layout and a paint. */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/** The sentence a screen reader reads for figure `f`: its name, value and unit, and the
 * status quo's value when `b` is a number. */
export function spokenFigure(f, v, b) {
  const unit = f.spokenUnit ? ` ${f.spokenUnit}` : '';
  const value = typeof v === 'number' ? `${f.format(v)}${unit}` : t('results.figure.notYet');
  return typeof b === 'number'
    ? t('results.figure.spokenWithBase', { figure: f.spoken, value, base: `${f.format(b)}${unit}` })
    : t('results.figure.spoken', { figure: f.spoken, value });
}

/** Writes the tile's names in the page's language: in English the label with the Chinese term
 * under it; in Chinese the label is the term, so the duplicate is hidden. */
function labelTile(tile, f) {
  setText(tile.querySelector('.kpi-label'), f.label);
  const zh = tile.querySelector('.kpi-zh');
  setText(zh, f.zh || '');
  zh.hidden = lang() === 'zh-CN';
  setText(tile.querySelector('.kpi-unit'), f.unit ? ` ${f.unit}` : '');
  const title = t('results.figure.tileTitle', { about: f.about });
  if (tile.title !== title) tile.title = title;
}

/**
 * Renders the figures into `root` (built once, then updated in place).
 * @param {object|null} summary current summary, or null before the first simulated day
 * @param {object|null} baseline baseline summary, or null when not shown
 * @param {{id: string, name: string, summary: object}[]} [saved] saved runs overlaid
 *   (saved-runs.js), each shown under the tile's value with its name
 */
export function renderKpis(root, summary, baseline, saved = []) {
  if (!root.childElementCount) {
    for (const f of KEY_FIGURES) {
      const tile = document.createElement('div');
      tile.className = 'kpi';
      tile.dataset.kpi = f.key;
      // The tile's parts are laid out for the eye; a screen reader reads one sentence instead
      // ("Primary share of visits: 53.9%, status quo 51.5%"), kept in a visually hidden span.
      tile.setAttribute('role', 'listitem');
      tile.innerHTML =
        '<span class="kpi-spoken visually-hidden"></span>' +
        '<span class="kpi-label" aria-hidden="true"></span><span class="kpi-zh" lang="zh-CN" aria-hidden="true"></span>' +
        '<span class="kpi-figure" aria-hidden="true"><span class="kpi-value">–</span><span class="kpi-unit"></span></span>' +
        '<span class="kpi-base" aria-hidden="true"><span class="kpi-arrow"></span> <i class="key-dashed"></i> <span class="kpi-base-value"></span></span>' +
        '<span class="kpi-saved" aria-hidden="true"></span>' +
        '<span class="kpi-effect" aria-hidden="true" hidden><span class="kpi-effect-value"></span><span class="kpi-effect-interval"></span></span>';
      root.append(tile);
    }
  }
  // Names are rewritten when the language has changed since the tiles were last labelled.
  const relabel = root.dataset.lang !== lang();
  root.dataset.lang = lang();
  for (const f of KEY_FIGURES) {
    const tile = root.querySelector(`[data-kpi="${f.key}"]`);
    if (relabel) labelTile(tile, f);
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
    const rowsKey = JSON.stringify([lang(), rows]);
    if (savedEl.dataset.rows !== rowsKey) {
      savedEl.dataset.rows = rowsKey;
      savedEl.replaceChildren(
        ...rows.map((r) => {
          const row = document.createElement('span');
          row.className = 'kpi-saved-row';
          row.dataset.savedKpi = r.id;
          row.title = t('results.figure.savedTitle', { run: r.name, value: r.value });
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
    const savedSpoken = rows.map((r) => t('results.figure.spokenSaved', { run: r.name, value: r.value })).join('');
    const effectSpoken = tile.dataset.effectSentence ? ` ${tile.dataset.effectSentence}` : '';
    setText(tile.querySelector('.kpi-spoken'), spokenFigure(f, v, shown ? b : undefined) + savedSpoken + effectSpoken);
    if (shown) {
      const diff = v - b;
      setText(baseEl.querySelector('.kpi-arrow'), Math.abs(diff) < 1e-9 ? '=' : diff > 0 ? '▲' : '▼');
      setText(baseEl.querySelector('.kpi-base-value'), f.format(b));
      const title = t('results.figure.baseTitle', { value: f.format(b) });
      if (baseEl.title !== title) baseEl.title = title;
    }
  }
}

// ---------- the ensemble's effect (ensemble.js, issue 19) ----------

/** Whether figure `f` is a share: its effect is in percentage points. */
const isShare = (f) => f.format === pct;

/** An effect (a difference) of figure `f` as a person reads it, with its sign: points for
 * shares ("+20.3 pts"), the figure's own units otherwise ("−¥12", "+0.4 /1,000"). */
export function effectText(f, d) {
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  if (isShare(f)) return `${sign}${(Math.abs(d) * 100).toFixed(1)} ${t('ensemble.points')}`;
  const unit = f.unit ? ` ${f.unit}` : '';
  return `${sign}${f.format(Math.abs(d))}${unit}`;
}

/** The sentence for figure `f`'s effect interval `e` ({ median, p5, p95 }): "primary share
 * +20.3 pts, 90% of seeds between +19.8 and +20.9". */
export function effectSentence(f, e) {
  return t('ensemble.figureSentence', { figure: f.spoken, value: effectText(f, e.median), low: effectText(f, e.p5), high: effectText(f, e.p95) });
}

/**
 * Writes under each tile the effect of the scenario (scenario − status quo, the median over
 * the ensemble's seeds) and the range of 90% of seeds; `intervals` null hides them all. The
 * screen reader's sentence gains it at the next renderKpis (called right after).
 * @param {Element} root the tiles' container (built by renderKpis)
 * @param {object|null} intervals the effect's interval by output (ensemble.js `aggregate`)
 * @param {number} n how many pairs the intervals are over
 */
export function renderEffects(root, intervals, n = 0) {
  for (const f of KEY_FIGURES) {
    const tile = root.querySelector(`[data-kpi="${f.key}"]`);
    if (!tile) continue;
    const el = tile.querySelector('.kpi-effect');
    const e = intervals ? intervals[f.key] : null;
    if (!e) {
      el.hidden = true;
      delete tile.dataset.effectSentence;
      continue;
    }
    el.hidden = false;
    setText(el.querySelector('.kpi-effect-value'), t('ensemble.figureEffect', { value: effectText(f, e.median) }));
    setText(el.querySelector('.kpi-effect-interval'), t('ensemble.figureInterval', { low: effectText(f, e.p5), high: effectText(f, e.p95) }));
    const sentence = effectSentence(f, e);
    tile.dataset.effectSentence = sentence;
    const title = t('ensemble.figureTitle', { sentence, pairs: n });
    if (el.title !== title) el.title = title;
  }
}
