// The ensemble's aggregation, off the main thread (ensemble.js): it keeps the pairs of the
// ensemble in progress and, when asked, computes their intervals and monthly bands with
// ensemble-stats.js. Sorting every month of every series over up to 200 seeds would otherwise
// take the page's main thread for tens of milliseconds each time the bands are redrawn.
//
// Messages (one ensemble at a time, told apart by `job`):
// - `{ type: 'add', job, index, pair }`: pair number `index` (seed order) has arrived; an add
//   for a new `job` drops the pairs of the old one;
// - `{ type: 'aggregate', job, id }`: replies `{ id, job, aggregate, ms }` over the pairs
//   added so far (null below two pairs), the bands' arrays transferred.

import { aggregate } from './ensemble-stats.js';

let current = null;
let pairs = [];

/** The Float64Arrays of an aggregate's bands, to transfer rather than copy. */
function buffersOf(result) {
  const out = [];
  for (const kind of Object.values(result.bands)) for (const band of Object.values(kind)) for (const a of Object.values(band)) out.push(a.buffer);
  return out;
}

self.onmessage = (event) => {
  const msg = event.data;
  if (msg.job !== current) {
    current = msg.job;
    pairs = [];
  }
  if (msg.type === 'add') {
    pairs[msg.index] = msg.pair;
    return;
  }
  if (msg.type === 'aggregate') {
    const t0 = performance.now();
    const arrived = pairs.filter(Boolean);
    const result = arrived.length >= 2 ? aggregate(arrived) : null;
    self.postMessage({ id: msg.id, job: current, aggregate: result, ms: performance.now() - t0 }, result ? buffersOf(result) : []);
  }
};
