// Loads a wasm-bindgen package's glue and module in Node and runs a simulated day with it:
// the check that a built (and optimised) package works before it is shipped. Some binaryen
// versions write a module that validates but does not load (Debian's binaryen 108 re-points
// wasm-bindgen's exported externref table at the function table, and init() then throws).
//   node scripts/package-runs.mjs GLUE.js MODULE.wasm   # exit 0 when it runs, else an error
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [glue, wasm] = process.argv.slice(2);
const pkg = await import(pathToFileURL(resolve(glue)).href);
await pkg.default({ module_or_path: readFileSync(wasm) });
const sim = new pkg.Simulation({ population: 1000, years: 1 });
sim.step(1);
if (sim.day !== 1 || typeof sim.summary().primary_visit_share !== 'number') throw new Error('wrong results');
sim.free();
