// A model Web Worker: the only module that imports the wasm package (./pkg/).
//
// Each worker owns one `Simulation`. The page runs two of them, the current scenario and
// the status-quo baseline, so the two advance in parallel on two cores. All model work
// happens here, in chunks, with progress messages in between, so the page never freezes.
//
// Protocol: each request is `{ id, type, ... }` and gets exactly one reply
// `{ id, ok: true, ...result }` or `{ id, ok: false, error: { message, key } }`, where `key`
// is the lever, setting or field the model's error is about (the `key` of the Error the wasm
// boundary throws), or null. Progress is posted as `{ type: 'progress', phase, day,
// totalDays }` without an id.
//
// Months are the model's (calendar.js): a snapshot's series are by month (`seriesMonthly`),
// and it carries the first day of every month of the horizon (`monthStarts`), which the page
// uses to step to month ends and to place chart points.

import init, { Simulation, levers, presets, outputs, settings, modelVersion, monthStart, monthOf } from './pkg/consortium_sim.js';

let ready = null;
let sim = null;
let seriesNames = [];
/** The first day of each month of the run's horizon, then the horizon (calendar.js). */
let monthStarts = new Uint32Array(1);

function progress(phase, day, totalDays) {
  self.postMessage({ type: 'progress', phase, day, totalDays });
}

/** Everything the page draws from one simulation; typed arrays are transferred. */
function snapshot() {
  const transfer = [];
  const months = {};
  for (const name of seriesNames) {
    const a = sim.seriesMonthly(name);
    months[name] = a;
    transfer.push(a.buffer);
  }
  const flows = sim.flows();
  transfer.push(flows.buffer);
  return {
    snapshot: {
      day: sim.day,
      totalDays: sim.totalDays,
      regionSide: sim.regionSide,
      scenario: sim.scenario(),
      levers: sim.levers(),
      summary: sim.summary(),
      months,
      monthStarts,
      facilities: sim.facilities(),
      flows,
    },
    transfer,
  };
}

const handlers = {
  meta() {
    return {
      meta: { levers: levers(), presets: presets(), outputs: outputs(), settings: settings(), modelVersion: modelVersion() },
    };
  },

  setup({ scenario, series }) {
    progress('setup', 0, 0);
    // Build the new run before dropping the old one, so a refused scenario (the
    // constructor throws) leaves the previous run in place.
    const next = new Simulation(scenario);
    if (sim) sim.free();
    sim = next;
    seriesNames = series || [];
    monthStarts = Uint32Array.from({ length: monthOf(sim.totalDays) + 1 }, (_, m) => monthStart(m));
    return snapshot();
  },

  /** Runs `days` days (to the horizon at most) in pieces of `chunk` days, or else month by
   * month, with a progress message after each piece but the last. */
  step({ days, chunk }) {
    if (!sim) throw new Error('press Setup first: there is no simulation yet');
    const target = sim.day + Math.max(0, Math.min(days, sim.totalDays - sim.day));
    while (sim.day < target) {
      const next = chunk > 0 ? sim.day + chunk : monthStart(monthOf(sim.day) + 1);
      sim.step(Math.min(next, target) - sim.day);
      if (sim.day < target) progress('run', sim.day, sim.totalDays);
    }
    return snapshot();
  },

  /** One facility's months, strategies and learning (facility-inspector.js). */
  facilityHistory({ facility }) {
    if (!sim) throw new Error('press Setup first: there is no simulation yet');
    return { history: sim.facilityHistory(facility), day: sim.day };
  },

  /** What the model counts about why the referral diagram's flows went where (flow-reasons.js). */
  flowReasons() {
    if (!sim) throw new Error('press Setup first: there is no simulation yet');
    return { reasons: sim.flowReasons(), day: sim.day };
  },

  /** Sets a lever from the next simulated day; the reply's `day` is the day it applies from
   * (days done), so the page can record the change where it really landed (run-loop.js). */
  setLever({ key, value }) {
    if (!sim) return {};
    sim.setLever(key, value);
    return { levers: sim.levers(), day: sim.day };
  },
};

self.onmessage = async (event) => {
  const { id, type } = event.data;
  try {
    if (!ready) ready = init();
    await ready;
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request '${type}'`);
    const { transfer = [], ...result } = handler(event.data) || {};
    self.postMessage({ id, ok: true, ...result }, transfer);
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    self.postMessage({ id, ok: false, error: { message, key: err?.key ?? null } });
  }
};
