// Why the referral diagram's flows went where: clicking a band of the Sankey (or picking a
// flow from the list under it, for keyboard users) shows, under the diagram, what the model
// counts about that flow over the last simulated year (sim-worker.js `flowReasons`).
//
// The model decides where a case goes in several places (a doctor's choice, a case beyond
// a centre's capability, a severe case, a chronic complication, a recovering inpatient or a
// chronic patient handed back) and does not count those reasons apart, so this shows what it
// does count (self-referred against referred, referrals by the tiers at both ends, inpatient
// transfers against chronic hand-backs, proposals refused) and says what it cannot tell.

import { t, formatNumber, onLanguageChange } from './i18n.js';
import { LINKS } from './referral-sankey.js';

/** Per 1,000 residents per year, as the diagram draws its flows. */
function perThousand(count, r) {
  return r.days > 0 && r.population > 0 ? (count * 1000 * 365) / (r.population * r.days) : 0;
}

const rate = (v) => formatNumber(v >= 100 ? Math.round(v) : Math.round(v * 10) / 10);
const share = (part, whole) => (whole > 0 ? formatNumber(Math.round((part * 1000) / whole) / 10) : '0');

/** The sentences that explain flow `key` (a `LINKS` key of referral-sankey.js) from the counts `r`. */
export function reasonLines(key, r) {
  const n = (c) => rate(perThousand(c, r));
  const ref = r.referrals;
  const proposals = t('inspect.reasonProposals', { proposed: n(r.downward_proposed), refused: n(r.downward_refused), share: share(r.downward_refused, r.downward_proposed) });
  switch (key) {
    case 'entryPrimary':
      return [t('inspect.reasonEntryPrimary', { visits: n(r.visits[0]), down: n(ref[1][0] + ref[2][0]) })];
    case 'entrySecondary':
      return [t('inspect.reasonEntrySecondary', { visits: n(r.visits[1]), up: n(ref[0][1]) })];
    case 'entryTertiary': {
      const self = r.tertiary_self_referred;
      return [
        t('inspect.reasonTertiarySelf', { self: n(self), share: share(self, r.visits[2]) }),
        t('inspect.reasonTertiaryReferred', { referred: n(Math.max(0, r.visits[2] - self)), up: n(ref[0][2] + ref[1][2]) }),
      ];
    }
    case 'upFromPrimary':
      return [t('inspect.reasonUpFromPrimary', { secondary: n(ref[0][1]), tertiary: n(ref[0][2]) }), t('inspect.reasonUpUnknown')];
    case 'upFromSecondary':
      return [t('inspect.reasonUpFromSecondary', { tertiary: n(ref[1][2]) }), t('inspect.reasonUpUnknown')];
    case 'downFromSecondary':
      return [t('inspect.reasonDownFromSecondary', { down: n(ref[1][0]) }), proposals];
    case 'downFromTertiary': {
      const transfers = r.tertiary_inpatient_transfers;
      return [t('inspect.reasonDownFromTertiary', { transfers: n(transfers), handBacks: n(Math.max(0, ref[2][0] - transfers)) }), proposals];
    }
    default:
      return [];
  }
}

/**
 * Attaches the reasons to the Sankey chart of the board.
 * @param {{ board: object, client: object, run: object }} deps the chart board (its
 *   `charts.get('sankey')`), the current run's model client, and the run
 */
export function createFlowReasons({ board, client, run }) {
  const chart = board.charts.get('sankey');
  const card = chart?.getDom().closest('figure') || document.body;
  const box = document.createElement('div');
  box.className = 'flow-reasons';
  box.innerHTML = `
    <label class="inspector-picker"><span data-flow-pick-label></span> <select data-flow-picker></select></label>
    <div data-flow-reasons role="region" aria-live="polite" hidden>
      <h3 data-flow-title></h3>
      <ul data-flow-lines></ul>
      <p class="inspector-error" data-flow-error role="alert" hidden></p>
    </div>`;
  card.append(box);
  const select = box.querySelector('[data-flow-picker]');
  const region = box.querySelector('[data-flow-reasons]');
  let key = null;
  let reasons = null;
  let shownDay = -1;
  let asking = false;

  function fillSelect() {
    box.querySelector('[data-flow-pick-label]').textContent = t('inspect.flowPick');
    const options = [`<option value="">${t('inspect.pickNone')}</option>`, ...LINKS.map(({ key: k }) => `<option value="${k}">${t(`inspect.flow_${k}`)}</option>`)];
    select.innerHTML = options.join('');
    select.value = key || '';
  }

  function render() {
    region.hidden = !key;
    if (!key) return;
    box.querySelector('[data-flow-title]').textContent = t('inspect.flowTitle', { flow: t(`inspect.flow_${key}`) });
    const lines = reasons ? reasonLines(key, reasons) : [t('inspect.loading')];
    if (reasons) lines.push(t('inspect.flowWindow'));
    box.querySelector('[data-flow-lines]').replaceChildren(
      ...lines.map((text) => {
        const li = document.createElement('li');
        li.textContent = text;
        return li;
      }),
    );
  }

  /** Shows flow `k`, with the counts as of the run's latest day. */
  async function show(k) {
    key = k || null;
    select.value = key || '';
    reasons = null;
    render();
    await fetchReasons();
  }

  /** Asks the worker for the counts as of the run's latest day. */
  async function fetchReasons() {
    if (!key || !run.snapshot || asking) return;
    const error = box.querySelector('[data-flow-error]');
    asking = true;
    const day = run.snapshot.day;
    try {
      reasons = (await client.flowReasons()).reasons;
      shownDay = day;
      error.hidden = true;
    } catch (err) {
      error.hidden = false;
      error.textContent = t('inspect.error', { message: err.message });
      render();
      return;
    } finally {
      asking = false;
    }
    render();
    // A snapshot that came while the worker answered: show it too.
    if (run.snapshot && run.snapshot.day !== shownDay) fetchReasons();
  }

  /** A click on a band: its index is its place in `LINKS` (referral-sankey.js draws them in that order). */
  chart?.on('click', (params) => {
    if (params.dataType === 'edge' && LINKS[params.dataIndex]) show(LINKS[params.dataIndex].key);
  });
  select.addEventListener('change', () => show(select.value));
  onLanguageChange(() => {
    fillSelect();
    render();
  });
  fillSelect();
  return {
    show,
    get flow() {
      return key;
    },
    /** A new snapshot (main.js): a flow on show follows the run. */
    update() {
      if (key && run.snapshot && run.snapshot.day !== shownDay) fetchReasons();
    },
  };
}
