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
//
// Levers moved by hand, and what the lever controls show (issue 19: a link reproduces the run
// it was copied from). The controls show the levers in force in the run on screen: its start
// (`state.levers`, day 0) after a set-up, then each change as the run reaches it. Where a move
// goes depends on the day the worker applied it, which its reply carries:
// - day 0 (before the run starts), or after the run has finished: a start value, in
//   `state.levers` (after the run, it waits for Again), as before;
// - mid-run: a timeline entry `{ month, key, value, hand: true }` for the month that starts on
//   that day. The worker sets levers only between month steps, so that day is a month start;
//   one that is not is a bug, reported as an error and never rounded. `state.levers` keeps the
//   start values, so the link holds the day-0 levers and every change, and a page opened from
//   it runs the same days with the same levers: the same numbers to the last digit.
// A move back to the value the lever would have that month anyway leaves no entry for that
// month (an Undo in the same month leaves no trace). Again reruns the whole scenario from day
// 0, the start values and every timeline entry, hand moves included: it too reproduces the
// run. Setup instead sets up a new region from the levers as the controls show them: each
// lever moved by hand starts where the run on screen has it, and its hand entries go
// (`foldHandMoves`). To run without a hand move, remove it in the timeline box; picking a
// preset or Reset drops the hand moves (`dropHandMoves`), being a new starting point.

import { monthEndAfter } from './calendar.js';
import { scenarioOf, withTimelineEntry } from './url-state.js';
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
 * @param {object} deps.state the scenario on the page (url-state.js), read at each set-up;
 *   moves by hand change its `levers` (start values) or `timeline` (mid-run)
 * @param {object} deps.meta the model's tables (the lever order of the timeline)
 * @param {string[]} deps.series the outputs whose monthly series a snapshot carries
 * @param {object} deps.messages the status line and error reports (page-messages.js)
 * @param {() => void} deps.onChange the run's state changed (running, set-up in flight, day)
 * @param {() => void} deps.onSnapshot there is something new to draw
 * @param {() => void} deps.onSetUp a new region was accepted and set up
 * @param {() => void} deps.onScenarioChange a move by hand changed `state` (write the link,
 *   list the timeline again)
 * @param {(levers: object) => void} deps.onLeversShown the lever controls should show these
 *   values (key to value): the run's start at a set-up, a timeline entry when it applies
 * @param {(fraction: number|null) => void} deps.onProgress share of the horizon simulated
 *   (null while a set-up is in flight)
 */
export function createRun({ client, baselineRun, state, meta, series, messages, onChange, onSnapshot, onSetUp, onScenarioChange, onLeversShown, onProgress }) {
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
    /** The start values of this run: the set-up's levers, then each move made at day 0, to
     * tell whether Again would run with other levers. */
    pageLevers: {},
    /** The levers the controls show: the start values, then each change the run reached. */
    shown: {},
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

    /** Whether a lever moved now goes to the run's start (`state.levers`): before a run has
     * stepped, or after it has finished. Otherwise the worker's reply decides (setLever). */
    movesStart() {
      if (!run.snapshot || run.settingUp) return true;
      if (run.finished()) return true;
      return run.snapshot.day === 0 && !run.running && !run.stepping;
    },

    /** Removes the levers moved by hand from the timeline (a preset picked, Reset). */
    dropHandMoves() {
      state.timeline = (state.timeline || []).filter((e) => !e.hand);
    },

    /** Before Setup: the hand moves the run on screen has reached become start values (the
     * latest for each lever), and leave the timeline. */
    foldHandMoves() {
      if (!run.snapshot) return;
      const day = run.snapshot.day;
      const reached = (state.timeline || []).filter((e) => e.hand && entryStart(e.month) <= day);
      if (!reached.length) return;
      for (const e of reached) state.levers[e.key] = e.value;
      state.timeline = state.timeline.filter((e) => !reached.includes(e));
      onScenarioChange();
    },
  };

  /** Moves by hand on their way to the worker. The timeline waits for them before it applies
   * a month's entries, so an entry replaced by a move is never set after it. */
  const handMoves = new Set();

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
      run.shown = { ...scenario.levers };
      onLeversShown(run.shown);
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
   * Sends a lever to the worker and records the move where the worker applied it: a start
   * value at day 0 or after the run, else a timeline entry for the month (see the top).
   * @param {string} [how] where the value came from: 'undo', 'redo', or a move (omitted)
   */
  async function setLever(key, value, how) {
    // What was done, as the start of a status message: `lever.<how>.<when>`.
    const said = how === 'undo' ? 'undone' : how === 'redo' ? 'redone' : 'set';
    const vars = { lever: leverLabel(key), value };
    run.shown[key] = value;
    // No run yet: the set-up will read the value from the page's state.
    if (!run.snapshot && !run.settingUp) {
      state.levers[key] = value;
      return;
    }
    // A finished run has no next day: the value waits in the page's state, and Again sets up
    // a new run with it from day 0. (During a set-up, the value goes to the worker after the
    // set-up, into the new run, at day 0.)
    if (run.finished() && !run.settingUp) {
      state.levers[key] = value;
      onScenarioChange();
      messages.say(run.leversPending() ? `lever.${said}.afterRun` : `lever.${said}.backToRun`, vars);
      onChange();
      return;
    }
    const generation = run.generation;
    let settled;
    const moving = new Promise((resolve) => (settled = resolve));
    handMoves.add(moving);
    let stale = false;
    try {
      const reply = await client.setLever(key, value);
      // A set-up began after the move was sent: it belongs to the new run (sent again below).
      if (generation !== run.generation) {
        stale = true;
        return;
      }
      if (reply.levers) run.snapshot.levers = reply.levers;
      const day = reply.day;
      if (day === 0 || day >= run.snapshot.totalDays) {
        state.levers[key] = value;
        if (day === 0) run.pageLevers[key] = value;
        if (day === 0 && how) messages.say(`lever.${said}.beforeRun`, vars);
        else if (day > 0) messages.say(run.leversPending() ? `lever.${said}.afterRun` : `lever.${said}.backToRun`, vars);
      } else {
        recordHandMove(monthOfStart(day), key, value);
        const label = `${key} = ${value}`;
        const last = run.marks[run.marks.length - 1];
        if (last && last.day === day) last.label = label;
        else run.marks.push({ day, label });
        messages.say(`lever.${said}.fromDay`, { ...vars, day: day + 1 });
      }
      onScenarioChange();
      onSnapshot();
    } catch (err) {
      messages.reportModelError(err);
    } finally {
      handMoves.delete(moving);
      settled();
      onChange();
    }
    if (stale) await setLever(key, value, how);
  }

  /** The timeline month (from 1) that starts on `day`. The worker sets levers only between
   * month steps: any other day is a bug, and throws rather than being rounded. */
  function monthOfStart(day) {
    const index = Array.prototype.indexOf.call(run.snapshot.monthStarts, day);
    if (index < 0) {
      const message = `bug: the worker applied a lever on day ${day}, which is not the first day of a month; the link cannot record this change`;
      console.error(message);
      throw new Error(message);
    }
    return index + 1;
  }

  /**
   * Records lever `key` moved by hand to `value` from timeline month `month`: an entry marked
   * `hand`, replacing any entry for the same month and lever, or none when the lever would
   * have `value` that month anyway. The start value stays as it was.
   */
  function recordHandMove(month, key, value) {
    state.levers[key] = run.pageLevers[key];
    const others = (state.timeline || []).filter((e) => !(e.month === month && e.key === key));
    let before = state.levers[key];
    for (const e of others) if (e.key === key && e.month < month) before = e.value;
    state.timeline = before === value ? others : withTimelineEntry(others, { month, key, value, hand: true }, meta);
    run.applied.add(`${month}:${key}`);
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
    while (handMoves.size) await Promise.all([...handMoves]);
    if (generation !== run.generation) return false;
    const day = run.snapshot.day;
    const due = (state.timeline || []).filter((e) => entryStart(e.month) === day && !run.applied.has(`${e.month}:${e.key}`));
    const labels = [];
    for (const entry of due) {
      const reply = await client.setLever(entry.key, entry.value);
      if (generation !== run.generation) return false;
      run.applied.add(`${entry.month}:${entry.key}`);
      if (reply.levers) run.snapshot.levers = reply.levers;
      labels.push(`${entry.key} = ${entry.value}`);
      run.shown[entry.key] = entry.value;
      onLeversShown({ [entry.key]: entry.value });
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
