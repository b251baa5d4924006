// The key-figure bar of a phone: on a narrow screen the results begin far below the run
// buttons, so a slim bar fixed to the bottom of the screen keeps the figures that matter
// most (the primary share of visits, with its monthly line, and three more) and Go and Step
// in reach while the page scrolls through the levers or the charts. The stylesheet
// shows it on narrow screens only (style.css, "phones: touch targets and the key-figure bar").
//
// It writes no words of its own: the figures' names and values are copied from the key-figure
// tiles (key-figures.js), and the buttons mirror the run buttons, so both follow the page's
// language and state as they change.

/** The figures in the bar: the first is shown large, with its line over the run. */
const MAIN_FIGURE = 'primary_visit_share';
const MINOR_FIGURES = ['tertiary_visit_share', 'up_down_ratio', 'cooperation_index'];
const SVG = 'http://www.w3.org/2000/svg';

/**
 * Builds the bar at the end of `<body>` and keeps it up to date.
 * @param {object} deps
 * @param {Element} deps.kpis the key-figure tiles' container (copied from)
 * @param {HTMLButtonElement} deps.go the page's Go button (mirrored and pressed)
 * @param {HTMLButtonElement} deps.step the page's Step button (mirrored and pressed)
 * @param {() => object|null} deps.snapshot the run's latest snapshot (run-loop.js), for the line
 * @param {() => boolean} deps.baselineShown whether the status quo is drawn beside the run
 */
export function createPhoneBar({ kpis, go, step, snapshot, baselineShown }) {
  const bar = document.createElement('div');
  bar.className = 'phone-bar';
  bar.dataset.phoneBar = '';

  // The figures repeat the tiles, which a screen reader reads already: hidden from it here.
  const main = figureNode(MAIN_FIGURE, 'phone-main');
  const spark = sparkline();
  const minor = document.createElement('div');
  minor.className = 'phone-minor';
  for (const key of MINOR_FIGURES) minor.append(figureNode(key, 'phone-figure'));
  for (const node of [main, spark.svg, minor]) node.setAttribute('aria-hidden', 'true');

  const buttons = document.createElement('div');
  buttons.className = 'phone-buttons';
  buttons.append(mirrorButton(go), mirrorButton(step));
  bar.append(main, spark.svg, buttons, minor);
  document.body.append(bar);

  /** Copies the tiles' names and values, and redraws the line. */
  function refresh() {
    for (const node of bar.querySelectorAll('[data-phone-figure]')) {
      const tile = kpis.querySelector(`[data-kpi="${node.dataset.phoneFigure}"]`);
      if (!tile) continue;
      copyText(node.querySelector('.phone-label'), tile.querySelector('.kpi-label'));
      copyText(node.querySelector('.phone-value'), tile.querySelector('.kpi-figure'));
    }
    spark.draw(snapshot(), baselineShown());
  }

  // The tiles change in place with every snapshot (and with the language; the status quo's
  // line shows or hides with the tiles' status-quo figures, a style change): follow them, at
  // most once a frame.
  let queued = false;
  const schedule = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      refresh();
    });
  };
  const watch = new MutationObserver(schedule);
  watch.observe(kpis, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['style'] });

  refresh();
  return { element: bar, refresh };
}

/** A figure of the bar: its name and its value, filled from tile `key`. */
function figureNode(key, className) {
  const node = document.createElement('span');
  node.className = className;
  node.dataset.phoneFigure = key;
  const label = document.createElement('span');
  label.className = 'phone-label';
  const value = document.createElement('b');
  value.className = 'phone-value';
  node.append(label, ' ', value);
  return node;
}

function copyText(to, from) {
  const text = from ? from.textContent.trim() : '';
  if (to.textContent !== text) to.textContent = text;
}

/**
 * A button that stands for `real`: it shows what `real` shows (text, tooltip, disabled,
 * pressed, running) and presses it, so the run has one set of handlers.
 */
function mirrorButton(real) {
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.dataset.phoneAction = real.dataset.action;
  const sync = () => {
    copy.textContent = real.textContent;
    copy.title = real.title;
    copy.disabled = real.disabled;
    copy.className = real.className;
    if (real.hasAttribute('aria-pressed')) copy.setAttribute('aria-pressed', real.getAttribute('aria-pressed'));
  };
  sync();
  new MutationObserver(sync).observe(real, { attributes: true, childList: true, subtree: true, characterData: true });
  copy.addEventListener('click', () => real.click());
  return copy;
}

/** The primary share month by month across the whole horizon, the status quo dashed. */
function sparkline() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'phone-spark');
  svg.setAttribute('viewBox', '0 0 100 40');
  svg.setAttribute('preserveAspectRatio', 'none');
  const base = document.createElementNS(SVG, 'polyline');
  base.setAttribute('class', 'phone-spark-base');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('class', 'phone-spark-line');
  svg.append(base, line);

  /** `values` month by month as SVG points: the horizon across, `lo` to `hi` up. */
  function points(values, months, lo, hi) {
    if (!values || !values.length) return '';
    const step = 100 / Math.max(1, months - 1);
    const y = (v) => (38 - (36 * (v - lo)) / (hi - lo)).toFixed(2);
    let out = '';
    for (let i = 0; i < values.length; i++) out += `${(i * step).toFixed(2)},${y(values[i])} `;
    return out.trim();
  }

  /** The range drawn: the values', widened to at least 10 points of share so that noise
   * does not look like a trend. */
  function range(...series) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const values of series) {
      for (const v of values || []) {
        if (!Number.isFinite(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (!Number.isFinite(lo)) return [0, 1];
    const pad = Math.max(0, 0.1 - (hi - lo)) / 2;
    return [lo - pad, hi + pad];
  }

  return {
    svg,
    draw(snap, withBaseline) {
      if (!snap || !snap.day) {
        line.setAttribute('points', '');
        base.setAttribute('points', '');
        return;
      }
      // The horizon's months (calendar.js: the month starts end with the horizon itself).
      const months = snap.monthStarts ? snap.monthStarts.length - 1 : snap.current.months[MAIN_FIGURE].length;
      const current = snap.current.months[MAIN_FIGURE];
      const baseline = withBaseline && snap.baseline ? snap.baseline.months[MAIN_FIGURE] : null;
      const [lo, hi] = range(current, baseline);
      line.setAttribute('points', points(current, months, lo, hi));
      base.setAttribute('points', points(baseline, months, lo, hi));
    },
  };
}
