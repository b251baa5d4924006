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

import init, { Simulation, levers, presets, outputs, settings, modelVersion } from './pkg/consortium_sim.js';
import { MONTH_DAYS } from './calendar.js';

let ready = null;
let sim = null;
let seriesNames = [];

function progress(phase, day, totalDays) {
  self.postMessage({ type: 'progress', phase, day, totalDays });
}

/** Everything the page draws from one simulation; typed arrays are transferred. */
function snapshot() {
  const transfer = [];
  const months = {};
  for (const name of seriesNames) {
    const a = sim.seriesBy(name, MONTH_DAYS);
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
    return snapshot();
  },

  step({ days, chunk }) {
    if (!sim) throw new Error('press Setup first: there is no simulation yet');
    let left = Math.max(0, Math.min(days, sim.totalDays - sim.day));
    const size = Math.max(1, chunk || left);
    while (left > 0) {
      const d = Math.min(size, left);
      sim.step(d);
      left -= d;
      if (left > 0) progress('run', sim.day, sim.totalDays);
    }
    return snapshot();
  },

  setLever({ key, value }) {
    if (!sim) return {};
    sim.setLever(key, value);
    return { levers: sim.levers() };
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
