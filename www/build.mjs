// The page's bundle steps, run by scripts/build-web.sh after the wasm build, or on its own:
// node www/build.mjs
// 1. The tree-shaken ECharts build the page imports (www/vendor/echarts.js).
// 2. The embeddable component (www/embed/, git-ignored): consortium-sim.js, one ES module
//    holding the <consortium-sim> element (www/embed-src/), the page's chart option builders,
//    key figures and link parser, ECharts and both strings files; beside it the model's worker
//    (sim-worker.js) and the wasm package it imports (pkg/). The element finds the worker
//    relative to its own URL, so the folder works wherever an analyst copies it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { statSync, mkdirSync, rmSync, copyFileSync, existsSync, renameSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
/** How both bundles are built: one minified ES module each, licences kept at the end. */
const BUNDLE = { bundle: true, format: 'esm', minify: true, target: 'es2020', legalComments: 'eof', logLevel: 'warning' };

const kb = (file) => Math.round(statSync(file).size / 1024);

async function buildEcharts() {
  const outfile = join(here, 'vendor', 'echarts.js');
  const started = Date.now();
  await build({
    entryPoints: [join(here, 'echarts-entry.js')],
    outfile,
    ...BUNDLE,
  });
  console.log(`www/build.mjs: wrote www/vendor/echarts.js (${kb(outfile)} KiB) in ${Date.now() - started} ms`);
}

/** The page's modules import ./i18n.js, which fetches the strings and sets the page's
 * `<html lang>`; inside the element they get embed-src/i18n-embed.js instead (same API,
 * strings bundled, one language per element). */
const embedStrings = {
  name: 'embed-strings',
  setup(b) {
    b.onResolve({ filter: /(^|\/)i18n\.js$/ }, (args) =>
      dirname(args.importer) === here ? { path: join(here, 'embed-src', 'i18n-embed.js') } : undefined,
    );
  },
};

async function buildEmbed() {
  const pkg = join(here, 'pkg');
  if (!existsSync(join(pkg, 'consortium_sim_bg.wasm'))) {
    console.log('www/build.mjs: www/pkg is not built yet; www/embed/ skipped (bash scripts/build-web.sh builds both)');
    return;
  }
  const started = Date.now();
  // Built beside the old folder and swapped in whole, so a page being served never meets half
  // of one.
  const out = join(here, 'embed');
  const stage = join(here, '.embed-stage');
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(join(stage, 'pkg'), { recursive: true });
  await build({
    entryPoints: [join(here, 'embed-src', 'consortium-sim.js')],
    outfile: join(stage, 'consortium-sim.js'),
    ...BUNDLE,
    plugins: [embedStrings],
  });
  copyFileSync(join(here, 'sim-worker.js'), join(stage, 'sim-worker.js'));
  for (const file of ['consortium_sim.js', 'consortium_sim_bg.wasm', 'consortium_sim.d.ts', 'consortium_sim_bg.wasm.d.ts']) {
    if (existsSync(join(pkg, file))) copyFileSync(join(pkg, file), join(stage, 'pkg', file));
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(stage, out);
  console.log(
    `www/build.mjs: wrote www/embed/ (consortium-sim.js ${kb(join(out, 'consortium-sim.js'))} KiB, ` +
      `wasm ${kb(join(out, 'pkg', 'consortium_sim_bg.wasm'))} KiB) in ${Date.now() - started} ms`,
  );
}

await buildEcharts();
await buildEmbed();
