// What the page draws from a snapshot: the panel beside the run buttons (clock, progress bar,
// key figures) and each chart's ECharts option, with the status-quo baseline when it is shown
// and the levers moved mid-run marked. chart-board.js decides when each is drawn.

import { TIME_CHARTS, fitPanels, timeChartOption } from './charts.js';
import { fitSankey, sankeyOption } from './referral-sankey.js';
import { mapOption } from './region-map.js';
import { renderKpis, setText } from './key-figures.js';
import { YEAR_DAYS } from './calendar.js';
import { t } from './i18n.js';
import { createDataTables, facilityTable, flowTable, timeTable } from './data-tables.js';

/**
 * @param {object} deps
 * @param {{ day: Element, year: Element, progress: Element, kpis: Element }} deps.ui
 * @param {object} deps.state the scenario on the page (its `baseline` switch)
 * @param {object} deps.run the run (run-loop.js): its snapshot, marks and flows
 * @param {() => object[]} [deps.saved] the saved runs overlaid (saved-runs.js `overlays`)
 * @param {(option: object) => object} [deps.adjust] the option as drawn (presentation.js
 *   enlarges its text)
 */
export function createResultsView({ ui, state, run, saved = () => [], adjust = (o) => o }) {
  /** What every drawing of `snap` shares. */
  function view(snap) {
    const showBaseline = state.baseline && !!snap.baseline;
    const hasData = snap.day > 0;
    return {
      showBaseline,
      marks: run.marks,
      saved: saved(),
      summary: hasData ? snap.current.summary : null,
      baselineSummary: hasData && showBaseline ? snap.baseline.summary : null,
    };
  }

  /** The "Show data" table of chart `name` for the latest snapshot (data-tables.js). */
  function table(name, title) {
    const snap = run.snapshot;
    if (!snap) return null;
    const v = view(snap);
    if (name === 'sankey') return flowTable(v.summary, v.baselineSummary, title);
    if (name === 'map') return facilityTable(snap, v.showBaseline, title);
    const spec = TIME_CHARTS.find((c) => c.name === name);
    return spec ? timeTable(spec, snap, v.showBaseline, title, v.saved) : null;
  }
  const tables = createDataTables(document, table);

  const results = {
    showClock(day, totalDays) {
      const years = Math.round(totalDays / YEAR_DAYS);
      const year = Math.min(years, Math.floor(day / YEAR_DAYS) + 1);
      setText(ui.day, t('page.clock.day', { day }));
      setText(ui.year, t('page.clock.year', { year, years }));
    },

    /** The share of the horizon simulated; null shows a busy bar. */
    showProgress(fraction) {
      if (fraction === null) ui.progress.removeAttribute('value');
      else ui.progress.value = fraction;
    },

    /** The cheap parts of the page: clock, progress, key figures, from `snap` (the latest by
     * default; the chart board passes the snapshot its charts are drawn from). */
    drawPanel(snap = run.snapshot) {
      if (!snap) return;
      results.showClock(snap.day, snap.totalDays);
      ui.progress.value = snap.day / snap.totalDays;
      const v = view(snap);
      renderKpis(ui.kpis, v.summary, v.baselineSummary, v.saved);
      tables.refresh();
    },

    /** Draws chart `name` from the latest snapshot (or from `snap`; the map from `flows`, by
     * default the snapshot's recent flows). */
    drawChart(name, chart, snap = run.snapshot, flows = null) {
      if (!snap || !chart) return;
      const v = view(snap);
      let option;
      if (name === 'sankey') {
        // Laid out after `adjust`: its labels are fitted at the text size they are drawn at.
        const el = chart.getDom();
        chart.setOption(fitSankey(adjust(sankeyOption(v.summary, v.baselineSummary)), { width: el.clientWidth, height: el.clientHeight }), {
          replaceMerge: ['series'],
        });
        return;
      } else if (name === 'map') {
        const el = chart.getDom();
        option = mapOption(snap, flows || run.flows.recent(snap), { width: el.clientWidth, height: el.clientHeight });
      } else {
        const spec = TIME_CHARTS.find((c) => c.name === name);
        if (!spec) return;
        // Panels are laid out after `adjust`, for the text size they are drawn at.
        chart.setOption(fitPanels(adjust(timeChartOption(spec, snap, v)), chart.getDom().clientHeight), { replaceMerge: ['series'] });
        return;
      }
      chart.setOption(adjust(option), { replaceMerge: ['series'] });
    },
  };
  return results;
}
