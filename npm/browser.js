// Entry of the package for browsers and bundlers (the "browser" and "default" conditions of
// its exports map): wasm-bindgen's web bindings, plus init(), which must be awaited once before
// anything else is called, because in a browser the wasm has to be fetched first.
//
// With no argument, init() fetches pkg/consortium_sim_bg.wasm beside the bindings through
// new URL('consortium_sim_bg.wasm', import.meta.url): served as files (no build step) that is
// the file next to them, and Vite and webpack 5 recognise the pattern and emit the wasm as an
// asset. A bundler that does not (esbuild) needs the file 'consortium-sim/wasm' copied and its
// URL given (or its bytes, a Response or a compiled WebAssembly.Module).
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
