// Types of the package's main entry, `consortium-sim`: the same in Node (node.js) and in
// browsers and bundlers (browser.js). The model's API is wasm-bindgen's declarations of the
// bindings, shipped unchanged in pkg/.

export * from './pkg/consortium_sim.js';

import type { InitInput } from './pkg/consortium_sim.js';

/**
 * Loads the model's wasm; call and await it once before anything else in a browser.
 *
 * - Browsers and bundlers: with no argument it fetches `pkg/consortium_sim_bg.wasm` beside
 *   the bindings (`new URL(..., import.meta.url)`); or pass the wasm's URL (for instance of
 *   `consortium-sim/wasm`), a `Response`, its bytes or a compiled `WebAssembly.Module`.
 *   Later calls return at once.
 * - Node: the model is already loaded when the package is imported; `init()` resolves at
 *   once, so the same code runs in both.
 *
 * ```js
 * import { init, Simulation } from 'consortium-sim';
 * await init();
 * const sim = new Simulation({ preset: 'close_consortium', population: 20000, years: 1, seed: 7 });
 * sim.run();
 * sim.summary().primary_visit_share;
 * ```
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;

export default init;
