// Bundles the tree-shaken ECharts build the page imports (www/vendor/echarts.js).
// Run by scripts/build-web.sh after the wasm build, or on its own: node www/build.mjs
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { statSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, 'vendor', 'echarts.js');
const started = Date.now();

await build({
  entryPoints: [join(here, 'echarts-entry.js')],
  outfile,
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  legalComments: 'eof',
  logLevel: 'warning',
});

const kb = Math.round(statSync(outfile).size / 1024);
console.log(`www/build.mjs: wrote www/vendor/echarts.js (${kb} KiB) in ${Date.now() - started} ms`);
