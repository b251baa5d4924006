// The model's Web Worker: the only module that imports the wasm package (./pkg/).
//
// It owns two `Simulation` handles, the current scenario and an optional `status_quo`
// baseline with the same seed, population, horizon and urban share, and steps them in
// lockstep so every chart can overlay the baseline. The page never blocks: all model work
// happens here, in chunks, with progress messages in between.
//
// Protocol: each request is `{ id, type, ... }` and gets exactly one reply
// `{ id, ok: true, ...result }` or `{ id, ok: false, error }`. Progress is posted as
// `{ type: 'progress', phase, day, totalDays }` without an id.

import init, { Simulation, levers, presets, outputs, settings, modelVersion } from './pkg/consortium_sim.js';

const BASELINE_PRESET = 'status_quo';
const MONTH = 30;

let ready = null;
let current = null;
let baseline = null;
let scenario = null;
let seriesNames = [];

function post(message, transfer = []) {
  self.postMessage(message, transfer);
}

function progress(phase, day, totalDays) {
  post({ type: 'progress', phase, day, totalDays });
}

function freeAll() {
  if (current) current.free();
  if (baseline) baseline.free();
  current = null;
  baseline = null;
}

function baselineScenario(s) {
  return { preset: BASELINE_PRESET, population: s.population, seed: s.seed, years: s.years, urban_share: s.urban_share };
}

function buildBaseline() {
  progress('baseline', 0, current.totalDays);
  baseline = new Simulation(baselineScenario(scenario));
  // A baseline switched on mid-run catches up with the current run.
  let day = 0;
  const target = current.day;
  while (day < target) {
    const days = Math.min(MONTH * 3, target - day);
    baseline.step(days);
    day += days;
    progress('baseline', day, current.totalDays);
  }
}

/** Monthly series, summary and facility states of one simulation, as transferable data. */
function outputsOf(sim, transfer) {
  const months = {};
  for (const name of seriesNames) {
    const a = sim.seriesBy(name, MONTH);
    months[name] = a;
    transfer.push(a.buffer);
  }
  return { summary: sim.summary(), months, facilities: sim.facilities() };
}

function snapshot() {
  const transfer = [];
  const flows = current.flows();
  transfer.push(flows.buffer);
  return {
    snapshot: {
      day: current.day,
      totalDays: current.totalDays,
      regionSide: current.regionSide,
      scenario: current.scenario(),
      levers: current.levers(),
      flows,
      current: outputsOf(current, transfer),
      baseline: baseline ? outputsOf(baseline, transfer) : null,
    },
    transfer,
  };
}

const handlers = {
  async meta() {
    return {
      meta: { levers: levers(), presets: presets(), outputs: outputs(), settings: settings(), modelVersion: modelVersion() },
    };
  },

  async setup({ scenario: s, withBaseline, series }) {
    seriesNames = series || [];
    freeAll();
    scenario = s;
    progress('setup', 0, 0);
    current = new Simulation(s);
    // Report the resolved settings (e.g. a preset's urban share) to the baseline.
    const resolved = current.scenario();
    scenario = { ...s, urban_share: resolved.urban_share, seed: String(resolved.seed) };
    if (withBaseline) buildBaseline();
    return snapshot();
  },

  async step({ days, chunk }) {
    if (!current) throw new Error('press Setup first: there is no simulation yet');
    const remaining = current.totalDays - current.day;
    let left = Math.max(0, Math.min(days, remaining));
    const size = Math.max(1, chunk || left);
    while (left > 0) {
      const d = Math.min(size, left);
      current.step(d);
      if (baseline) baseline.step(d);
      left -= d;
      if (left > 0) progress('run', current.day, current.totalDays);
    }
    return snapshot();
  },

  async setLever({ key, value }) {
    if (!current) return {};
    current.setLever(key, value);
    return { levers: current.levers() };
  },

  async baseline({ on }) {
    if (!current) return {};
    if (on && !baseline) buildBaseline();
    if (!on && baseline) {
      baseline.free();
      baseline = null;
    }
    return snapshot();
  },

  async snapshot() {
    if (!current) throw new Error('press Setup first: there is no simulation yet');
    return snapshot();
  },
};

self.onmessage = async (event) => {
  const { id, type } = event.data;
  try {
    if (!ready) ready = init();
    await ready;
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request '${type}'`);
    const result = (await handler(event.data)) || {};
    const { transfer = [], ...rest } = result;
    post({ id, ok: true, ...rest }, transfer);
  } catch (err) {
    post({ id, ok: false, error: err && err.message ? err.message : String(err) });
  }
};
