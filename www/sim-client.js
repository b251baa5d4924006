// Main-thread handle on one model worker (one simulation): promise-based requests and
// progress events. It never touches the wasm package itself; sim-worker.js does.

/**
 * Starts the module worker and returns a small client.
 * @param {(progress: {phase: string, day: number, totalDays: number}) => void} onProgress
 */
export function createSimClient(onProgress) {
  const worker = new Worker(new URL('./sim-worker.js', import.meta.url), { type: 'module' });
  const pending = new Map();
  let nextId = 1;
  let failure = null;

  worker.onmessage = (event) => {
    const msg = event.data;
    if (msg.type === 'progress') {
      onProgress(msg);
      return;
    }
    const entry = pending.get(msg.id);
    if (!entry) return;
    pending.delete(msg.id);
    if (msg.ok) entry.resolve(msg);
    else entry.reject(Object.assign(new Error(msg.error.message), { key: msg.error.key }));
  };
  // A worker that fails to load (e.g. www/pkg/ was never built) reports it here.
  worker.onerror = (event) => {
    event.preventDefault();
    failure = new Error(event.message || 'the model worker could not start');
    for (const entry of pending.values()) entry.reject(failure);
    pending.clear();
  };

  /** Sends a request; resolves with the reply, or rejects with an Error carrying the model's
   * message and, as `key`, the lever, setting or field it is about (null if none). */
  function request(type, payload = {}) {
    if (failure) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, type, ...payload });
    });
  }

  return {
    meta: () => request('meta').then((r) => r.meta),
    setup: (scenario, series) => request('setup', { scenario, series }).then((r) => r.snapshot),
    step: (days, chunk) => request('step', { days, chunk }).then((r) => r.snapshot),
    /** `{ levers, day }`: the levers in force, and the day (days done) the change applies from. */
    setLever: (key, value) => request('setLever', { key, value }),
    /** `{ history, day }`: facility `facility`'s history as of day `day` (facility-inspector.js). */
    facilityHistory: (facility) => request('facilityHistory', { facility }),
    /** `{ reasons, day }`: the counts behind the referral diagram's flows (flow-reasons.js). */
    flowReasons: () => request('flowReasons'),
    terminate: () => worker.terminate(),
    get busy() {
      return pending.size > 0;
    },
  };
}
