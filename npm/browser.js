// Entry of the package for browsers and bundlers (the "browser" and "default" conditions of
// its exports map): wasm-bindgen's web bindings, plus init(), which must be awaited once before
// anything else is called, because a browser can only fetch and compile the wasm
// asynchronously.
//
// With no argument, init() fetches pkg/consortium_sim_bg.wasm beside the bindings through
// new URL('consortium_sim_bg.wasm', import.meta.url): served as files (no build step) that is
// the file next to them, and Vite, webpack 5 and Parcel recognise the pattern and emit the
// wasm as an asset. A bundler that does not can be given the URL of 'consortium-sim/wasm'
// (or its bytes, a Response or a compiled WebAssembly.Module) instead.
import initBindings from './pkg/consortium_sim.js';

export * from './pkg/consortium_sim.js';

/**
 * Loads the model's wasm once; later calls return at once. `input` is optional: a URL, a
 * Response, the bytes or a WebAssembly.Module (a promise of one of them is accepted too).
 */
export async function init(input) {
  await initBindings(input === undefined ? undefined : { module_or_path: input });
}

export default init;
