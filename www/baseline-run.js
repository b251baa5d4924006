// The status-quo baseline that every chart can overlay (En-ROADS style): preset
// `status_quo` with the same seed, residents, years and urban share as the current run.
//
// It runs in its own worker, so it advances in parallel with the current scenario on a
// second core, and it is cached at the model's month ends (calendar.js): the baseline depends
// only on those four settings, so changing a lever or pressing Setup again reuses what was
// already simulated.

import { monthEndAfter, monthsBegun } from './calendar.js';

const BASELINE_PRESET = 'status_quo';

/**
 * @param {() => object} createClient makes a sim client (a worker) on first use
 * @param {string[]} series output names whose monthly series the charts draw
 */
export function createBaselineRun(createClient, series) {
  let client = null;
  let key = null;
  let day = 0;
  let months = null;
  let monthStarts = null;
  let byDay = new Map();
  let queue = Promise.resolve();

  async function prepare(settings) {
    const k = JSON.stringify([settings.population, settings.years, String(settings.seed), settings.urban_share]);
    if (k === key) return;
    client = client || createClient();
    const snap = await client.setup(
      {
        preset: BASELINE_PRESET,
        population: settings.population,
        years: settings.years,
        seed: String(settings.seed),
        urban_share: settings.urban_share,
      },
      series,
    );
    key = k;
    record(snap);
  }

  function record(snap) {
    day = snap.day;
    months = snap.months;
    monthStarts = snap.monthStarts;
    if (day === 0) byDay = new Map();
    byDay.set(day, { summary: snap.summary, facilities: snap.facilities });
  }

  async function advanceTo(target) {
    // Month by month, so every day the current run can stop at (month ends, the horizon
    // among them) is cached.
    while (day < target) {
      const before = day;
      record(await client.step(Math.min(monthEndAfter(monthStarts, day), target) - day));
      if (day === before) break;
    }
  }

  function view(target) {
    const entry = byDay.get(target);
    if (!entry) return null;
    const windows = monthsBegun(monthStarts, target);
    const cut = {};
    for (const [name, values] of Object.entries(months)) cut[name] = values.subarray(0, windows);
    return { summary: entry.summary, facilities: entry.facilities, months: cut };
  }

  return {
    /**
     * The baseline's outputs at `target` days for these settings, simulating only what is
     * not cached yet. Calls are queued, so they never interleave.
     */
    at(settings, target) {
      const job = queue.then(async () => {
        await prepare(settings);
        await advanceTo(target);
        return view(target);
      });
      queue = job.catch(() => {});
      return job;
    },
  };
}
