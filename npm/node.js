// Entry of the package for Node (the "node" condition of its exports map). The same bindings
// as browser.js, but the wasm module is compiled and instantiated synchronously from the
// package's own file when this module is imported, so that
//   import { Simulation } from 'consortium-sim';
//   const sim = new Simulation({ population: 3000, years: 1 });
// works with no init call. init() is still exported, as a no-op, so that code written for
// browsers (await init(); ...) runs unchanged in Node, e.g. in a server-side render.
import { readFileSync } from 'node:fs';
import { initSync } from './pkg/consortium_sim.js';

initSync({ module: readFileSync(new URL('./pkg/consortium_sim_bg.wasm', import.meta.url)) });

export * from './pkg/consortium_sim.js';

/** The model is ready when this module has loaded; resolves at once. */
export function init() {
  return Promise.resolve();
}

export default init;
