// One worker of the ensemble's pool (ensemble.js): it runs whole pairs, one at a time. A
// pair is the scenario and the status quo with the same seed (common random numbers), each
// to its horizon, as issue 19 and contract C2 define them. The page's own run keeps its
// workers (sim-worker.js); these never talk to them.
//
// Request: `{ id, scenario, timeline, series }`, where `scenario` is the page's scenario
// (url-state.js `scenarioOf`) with this pair's seed, `timeline` the page's timeline entries
// `{ month, key, value }` and `series` the outputs whose monthly series come back.
// Reply: `{ id, ok: true, pair }` with, for the scenario and the status quo, the summary and
// one Float64Array per series (transferred, not copied), and the month starts; or
// `{ id, ok: false, error: { message, key } }`.

import init, { Simulation, monthStart, monthOf } from './pkg/consortium_sim.js';
import { timelineChanges } from './calendar.js';

const STATUS_QUO = 'status_quo';
let ready = null;

/** Runs `scenario` to its horizon, setting each of the timeline's changes when the model's
 * day reaches it (in spans between change days). */
function runToHorizon(scenario, timeline) {
  const sim = new Simulation(scenario);
  try {
    // Entries past the horizon never apply.
    for (const change of timelineChanges(timeline, monthStart).filter((c) => c.day < sim.totalDays)) {
      if (change.day > sim.day) sim.step(change.day - sim.day);
      sim.setLever(change.lever, change.value);
    }
    sim.run();
    return sim;
  } catch (err) {
    sim.free();
    throw err;
  }
}

/** The summary and monthly series of a finished run, and the buffers to transfer. */
function outputsOf(sim, series, transfer) {
  const months = {};
  for (const name of series) {
    const values = sim.seriesMonthly(name);
    months[name] = values;
    transfer.push(values.buffer);
  }
  return { summary: sim.summary(), months };
}

function runPair({ scenario, timeline, series }) {
  const transfer = [];
  const sim = runToHorizon(scenario, timeline);
  const totalDays = sim.totalDays;
  const scenarioOut = outputsOf(sim, series, transfer);
  sim.free();
  // The status quo: its preset's levers with the scenario's region, horizon and seed.
  const { population, years, seed, urban_share } = scenario;
  const base = runToHorizon({ preset: STATUS_QUO, population, years, seed, urban_share }, []);
  const statusQuo = outputsOf(base, series, transfer);
  base.free();
  const monthStarts = Uint32Array.from({ length: monthOf(totalDays) + 1 }, (_, m) => monthStart(m));
  return { pair: { seed: String(scenario.seed), totalDays, monthStarts, scenario: scenarioOut, statusQuo }, transfer };
}

self.onmessage = async (event) => {
  const { id } = event.data;
  try {
    if (!ready) ready = init();
    await ready;
    const { pair, transfer } = runPair(event.data);
    self.postMessage({ id, ok: true, pair }, transfer);
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    self.postMessage({ id, ok: false, error: { message, key: err?.key ?? null } });
  }
};
