// The run: set-up, Go and Pause, Step, levers moved mid-run, and the snapshots these bring
// back from the two model workers, the current scenario (sim-client.js) and the status-quo
// baseline beside it (baseline-run.js).
//
// A new set-up may begin while an earlier one, or a run, is still in flight. Each set-up
// starts a new generation, and whatever comes back for an older generation is dropped; Go and
// Step pressed during a set-up wait for it and then run the new region. The run knows nothing
// of the page's elements: it reports through `messages` (page-messages.js) and the hooks it
// is given.
//
// The policy timeline (policy-timeline.js, `state.timeline`) is applied here: an entry for
// month m sets its lever in the model on the first day of that month, `monthStarts[m - 1]`.
// Runs stop at month ends, which are month starts, so an entry is applied when the run
// arrives at its month (after a set-up for month 1, after a step for the others) and before
// the run steps into it; a long Go update is cut short at the next entry's month. The
// baseline never sees the timeline.

import { monthEndAfter } from './calendar.js';
import { scenarioOf } from './url-state.js';
import { leverLabel } from './lever-notes.js';
import { createFlowHistory } from './region-map.js';
import { t } from './i18n.js';

/** Go's speeds, slowest first: the model's months per update, and the pause after each
 * update (ms). `label` is read when shown, so it is in the page's language of the moment. */
export const SPEEDS = [
  { get label() { return t('page.speeds.slowest'); }, months: 1, delay: 700 },
  { get label() { return t('page.speeds.slow'); }, months: 1, delay: 300 },
  { get label() { return t('page.speeds.normal'); }, months: 1, delay: 100 },
  { get label() { return t('page.speeds.fast'); }, months: 1, delay: 0 },
  { get label() { return t('page.speeds.fastest'); }, months: 3, delay: 0 },
];
/** Whether the baseline worker may run alongside the current one in large regions, whose
 * long steps would otherwise keep both cores of a small machine busy (needs 3+ cores). */
const PARALLEL = (navigator.hardwareConcurrency || 1) >= 3;
/** Above this many residents the worker reports progress inside each month. */
const LARGE_POPULATION = 300_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {object} deps
 * @param {object} deps.client the current scenario's worker (sim-client.js)
 * @param {object} deps.baselineRun the status-quo baseline (baseline-run.js)
 * @param {object} deps.state the scenario on the page (url-state.js), read at each set-up
 * @param {string[]} deps.series the outputs whose monthly series a snapshot carries
 * @param {object} deps.messages the status line and error reports (page-messages.js)
 * @param {() => void} deps.onChange the run's state changed (running, set-up in flight, day)
 * @param {() => void} deps.onSnapshot there is something new to draw
 * @param {() => void} deps.onSetUp a new region was accepted and set up
 * @param {(fraction: number|null) => void} deps.onProgress share of the horizon simulated
 *   (null while a set-up is in flight)
 */
export function createRun({ client, baselineRun, state, series, messages, onChange, onSnapshot, onSetUp, onProgress }) {
  const run = {
    /** The latest snapshot: the current run and the baseline at the same day (see compose). */
    snapshot: null,
    /** The settings (population, years, seed, urban_share) of the run on screen. */
    settings: null,
    /** Go's speed, one of SPEEDS. */
    speed: SPEEDS[3],
    running: false,
    stepping: false,
    /** Set-ups in flight: Go and Step wait for the new run rather than step the old one. */
    settingUp: 0,
    /** The latest set-up (a promise of whether the model accepted it). */
    lastSetup: null,
    generation: 0,
    /** Levers moved during this run, by hand or by the timeline, `{ day, label }`, marked on
     * the charts. */
    marks: [],
    /** The levers as the page set them in this run: the set-up's, then each move by hand (not
     * the timeline's), to tell whether Again would run with other levers. */
    pageLevers: {},
    /** The timeline entries applied in this run, as `month:lever`. */
    applied: new Set(),
    /** The flows of this run's snapshots, for the map's recent flows. */
    flows: createFlowHistory(),
    /** Regions set up so far. */
    setups: 0,

    finished() {
      return !!run.snapshot && run.snapshot.day >= run.snapshot.totalDays;
    },

    /** Builds a new run from the page's state; resolves to whether the model accepted it. */
    setup() {
      run.lastSetup = buildRun();
      return run.lastSetup;
    },

    /** Runs month after month until the horizon; pressed while running, pauses instead. */
    go,

    /** Runs to the end of the month in progress (the model's months: 30 or 31 days). */
    step,

    /** Sends a lever to the current run, from the next simulated day, and marks the change;
     * after the run has finished, leaves it for Again. */
    setLever,

    /** Whether the run has finished and the page's levers differ from the levers it ran with:
     * Again will run with the new ones. */
    leversPending() {
      if (!run.finished() || run.settingUp || !run.snapshot.levers) return false;
      const ran = run.pageLevers;
      return Object.keys(ran).some((key) => key in state.levers && state.levers[key] !== ran[key]);
    },

    /** Brings the baseline up to the current day (after it was switched on). */
    refreshBaseline,
  };

  /** Joins the current run's snapshot and the baseline's outputs at the same day. */
  function compose(cur, base) {
    return {
      day: cur.day,
      totalDays: cur.totalDays,
      regionSide: cur.regionSide,
      flows: cur.flows,
      scenario: cur.scenario,
      monthStarts: cur.monthStarts,
      /** The levers in force in the model (updated by setLever). */
      levers: cur.levers,
      current: { summary: cur.summary, months: cur.months, facilities: cur.facilities },
      baseline: base,
    };
  }

  /**
   * Runs the current and the baseline request: in parallel when the machine has cores to
   * spare, else one after the other, so a core always stays free for the page itself.
   */
  async function both(current, baseline) {
    if (PARALLEL || state.population < LARGE_POPULATION) return Promise.all([current(), baseline()]);
    const cur = await current();
    return [cur, await baseline()];
  }

  function baselineAt(day, settings = run.settings) {
    return state.baseline ? baselineRun.at(settings, day) : Promise.resolve(null);
  }

  /** Days per piece of a request to the worker: large regions report progress inside each
   * month; others after each month (the worker's default). */
  function chunkDays() {
    return state.population >= LARGE_POPULATION ? 5 : undefined;
  }

  async function buildRun() {
    run.running = false;
    run.settingUp += 1;
    const generation = ++run.generation;
    // Messages about a link's values stay until their control is used; model errors from
    // the previous attempt go.
    messages.clearModelErrors();
    onChange();
    messages.say('status.settingUp', { residents: state.population });
    onProgress(null);
    try {
      const scenario = scenarioOf(state);
      const settingsNext = { population: scenario.population, years: scenario.years, seed: scenario.seed, urban_share: scenario.urban_share };
      const [cur, base] = await both(() => client.setup(scenario, series), () => baselineAt(0, settingsNext));
      if (generation !== run.generation) return false;
      const snap = compose(cur, base);
      // The settings of the run on screen; a refused scenario leaves the previous run (and
      // these) in place, in the workers too.
      run.settings = settingsNext;
      run.snapshot = snap;
      onSetUp();
      run.marks = [];
      run.pageLevers = { ...scenario.levers };
      run.applied = new Set();
      if (!(await applyTimeline(generation))) return false;
      run.flows.start(snap);
      run.setups += 1;
      messages.say('status.ready');
      onSnapshot();
      return true;
    } catch (err) {
      if (generation !== run.generation) return false;
      messages.reportModelError(err);
      return false;
    } finally {
      run.settingUp -= 1;
      if (generation === run.generation) onProgress(run.snapshot ? run.snapshot.day / run.snapshot.totalDays : 0);
      onChange();
    }
  }

  /** Runs to the end of the month in progress, and `months - 1` months more (not past the
   * horizon), the baseline alongside. */
  async function advance(months) {
    const generation = run.generation;
    // Entries added while the run waited at the start of their month.
    if (!(await applyTimeline(generation))) return false;
    const { day, monthStarts } = run.snapshot;
    const target = Math.min(monthEndAfter(monthStarts, day, months), nextEntryStart(day));
    const [cur, base] = await both(() => client.step(target - day, chunkDays()), () => baselineAt(target));
    if (generation !== run.generation) return false;
    const snap = compose(cur, base);
    run.snapshot = snap;
    if (!(await applyTimeline(generation))) return false;
    run.flows.add(snap);
    onSnapshot();
    return true;
  }

  async function go() {
    if (run.running) {
      // The month in progress finishes first; the loop below reports where it paused.
      run.running = false;
      messages.say('status.pausing');
      onChange();
      return;
    }
    // Pressed while a new run is being built: start it once it is ready.
    while (run.settingUp) await run.lastSetup;
    if (run.running) return;
    if (!run.snapshot || run.finished()) await run.setup();
    if (!run.snapshot || run.running) return;
    run.running = true;
    onChange();
    messages.say('status.running');
    const generation = run.generation;
    try {
      while (run.running && generation === run.generation && !run.finished()) {
        const s = run.speed;
        const t0 = performance.now();
        if (!(await advance(s.months))) break;
        const wait = s.delay - (performance.now() - t0);
        if (wait > 0) await sleep(wait);
      }
      if (generation === run.generation && run.finished()) {
        messages.say(state.years === 1 ? 'status.finishedOneYear' : 'status.finished', { years: state.years });
      } else if (generation === run.generation) {
        messages.say('status.paused', { day: run.snapshot.day });
      }
    } catch (err) {
      messages.reportModelError(err);
    } finally {
      if (generation === run.generation) run.running = false;
      onChange();
    }
  }

  async function step() {
    // Busy steps are ignored rather than disabling the button, which would drop keyboard focus.
    if (run.running || run.stepping) return;
    run.stepping = true;
    try {
      // Pressed while a new run is being built: step that one once it is ready.
      while (run.settingUp) await run.lastSetup;
      if (!run.snapshot || run.finished()) return;
      await advance(1);
      messages.say('status.stepped', { day: run.snapshot.day });
    } catch (err) {
      messages.reportModelError(err);
    } finally {
      run.stepping = false;
      onChange();
    }
  }

  /**
   * @param {string} [how] where the value came from: 'undo', 'redo', or a move (omitted)
   */
  async function setLever(key, value, how) {
    if (!run.snapshot) return;
    // What was done, as the start of a status message: `lever.<how>.<when>`.
    const said = how === 'undo' ? 'undone' : how === 'redo' ? 'redone' : 'set';
    const vars = { lever: leverLabel(key), value };
    // A finished run has no next day: the value waits in the page's state, and Again sets up
    // a new run with it from day 0. (During a set-up, the value goes to the worker, after
    // the set-up, into the new run.)
    if (run.finished() && !run.settingUp) {
      messages.say(run.leversPending() ? `lever.${said}.afterRun` : `lever.${said}.backToRun`, vars);
      onChange();
      return;
    }
    const generation = run.generation;
    const day = run.snapshot.day;
    try {
      const reply = await client.setLever(key, value);
      if (generation !== run.generation) return;
      if (reply.levers) run.snapshot.levers = reply.levers;
      run.pageLevers[key] = value;
      const label = `${key} = ${value}`;
      const last = run.marks[run.marks.length - 1];
      if (last && last.day === day) last.label = label;
      else if (day > 0) run.marks.push({ day, label });
      if (day > 0) messages.say(`lever.${said}.fromDay`, { ...vars, day: day + 1 });
      else if (how) messages.say(`lever.${said}.beforeRun`, vars);
      onSnapshot();
    } catch (err) {
      messages.reportModelError(err);
    } finally {
      onChange();
    }
  }

  /** The first day of timeline month `month` (from 1) in this run, or Infinity past its horizon. */
  function entryStart(month) {
    const starts = run.snapshot.monthStarts;
    return month - 1 < starts.length - 1 ? starts[month - 1] : Infinity;
  }

  /** The first day after `day` on which a timeline entry applies (Infinity when none does). */
  function nextEntryStart(day) {
    return Math.min(Infinity, ...(state.timeline || []).map((e) => entryStart(e.month)).filter((start) => start > day));
  }

  /**
   * Sets in the model the timeline entries whose month starts on the run's day and that are
   * not applied yet, and marks them on the charts. Entries for months the run has passed
   * wait for the next set-up: applied late, they would give a run no link reproduces.
   * Resolves to false when a newer set-up took over meanwhile.
   */
  async function applyTimeline(generation) {
    const day = run.snapshot.day;
    const due = (state.timeline || []).filter((e) => entryStart(e.month) === day && !run.applied.has(`${e.month}:${e.key}`));
    const labels = [];
    for (const entry of due) {
      const reply = await client.setLever(entry.key, entry.value);
      if (generation !== run.generation) return false;
      run.applied.add(`${entry.month}:${entry.key}`);
      if (reply.levers) run.snapshot.levers = reply.levers;
      labels.push(`${entry.key} = ${entry.value}`);
    }
    if (labels.length) {
      const last = run.marks[run.marks.length - 1];
      if (last && last.day === day) last.label = `${last.label}; ${labels.join('; ')}`;
      else run.marks.push({ day, label: labels.join('; ') });
    }
    return true;
  }

  async function refreshBaseline() {
    if (!run.snapshot) return;
    const generation = run.generation;
    const day = run.snapshot.day;
    try {
      if (state.baseline) messages.say('status.baselineRunning');
      const base = await baselineAt(day);
      if (generation !== run.generation || run.snapshot.day !== day) return;
      run.snapshot.baseline = base;
      if (state.baseline) messages.say('status.baselineShown');
      onSnapshot();
    } catch (err) {
      messages.reportModelError(err);
    }
  }

  return run;
}
