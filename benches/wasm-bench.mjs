// WebAssembly benchmark: the same runs as `cargo bench --bench sim` ("year": build a
// status_quo region, then run one simulated year), through the browser package in Node.
//
//   node benches/wasm-bench.mjs                        # www/pkg, 100,000 and 1,000,000 residents
//   node benches/wasm-bench.mjs --pkg DIR --population 250000 --runs 3 --json FILE
//   node benches/wasm-bench.mjs --native target/release/consortium-sim   # wasm / native ratio
//
// The package is what `bash scripts/build-web.sh` writes to www/pkg (V8 is the engine of
// both Node and Chromium, so this is the page worker's speed without the page). Each
// figure is the median over runs, after one warm-up run (which also pays V8's compilation);
// "cpu" is the process's processor time for the same run.
//
// With `--native BIN` (the release CLI), every wasm run is paired with the same year run
// natively just before it (`BIN run --population N --years 1`, timed from spawn to exit),
// and the ratio reported is the median of the pairs' ratios. On a shared machine whose speed
// drifts, pairs measured seconds apart compare like with like; two medians taken minutes
// apart do not. `--native` may be given more than once (bash scripts/bench.sh passes the
// PGO build, then the plain one): each wasm run is then paired with a run of each, and the
// first binary's ratio is the headline one.

import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const populations = [];
args.forEach((a, i) => {
  if (a === '--population') populations.push(Number(args[i + 1]));
});
if (populations.length === 0) populations.push(100_000, 1_000_000);
const pkg = resolve(option('--pkg', 'www/pkg'));
const quick = args.includes('--quick');
const jsonOut = option('--json', null);
const nativeBins = args.flatMap((a, i) => (a === '--native' && i + 1 < args.length ? [args[i + 1]] : []));

const glue = await import(pathToFileURL(join(pkg, 'consortium_sim.js')).href);
await glue.default({ module_or_path: readFileSync(join(pkg, 'consortium_sim_bg.wasm')) });
const { Simulation } = glue;

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
};

function once(population) {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const sim = new Simulation({ preset: 'status_quo', population, years: 1 });
  const built = performance.now();
  sim.run();
  const end = performance.now();
  const check = sim.summary().primary_visit_share;
  sim.free();
  if (!(check > 0 && check < 1)) throw new Error(`implausible result ${check}`);
  const cpu = process.cpuUsage(cpu0);
  return { year: (end - start) / 1e3, build: (built - start) / 1e3, cpu: (cpu.user + cpu.system) / 1e6 };
}

/** Wall time of one native year through the CLI, in seconds. */
function nativeOnce(nativeBin, population) {
  const start = performance.now();
  const r = spawnSync(nativeBin, ['run', '--population', String(population), '--years', '1', '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const seconds = (performance.now() - start) / 1e3;
  if (r.status !== 0) throw new Error(`${nativeBin} failed: ${r.error || r.stderr}`);
  return seconds;
}

const rows = [];
for (const population of populations) {
  const runs = Number(option('--runs', quick ? (population >= 500_000 ? 2 : 3) : population >= 500_000 ? 5 : 9));
  once(population); // warm-up
  const year = [];
  const build = [];
  const cpu = [];
  const natives = nativeBins.map((bin) => ({ bin, year: [], ratios: [] }));
  for (let i = 0; i < runs; i++) {
    const n = natives.map((nat) => nativeOnce(nat.bin, population));
    const r = once(population);
    natives.forEach((nat, j) => {
      nat.year.push(n[j]);
      nat.ratios.push(r.year / n[j]);
    });
    year.push(r.year);
    build.push(r.build);
    cpu.push(r.cpu);
  }
  const row = { population, year_s: median(year), year_min_s: Math.min(...year), cpu_s: median(cpu), init_s: median(build), runs };
  if (natives.length) {
    // over_first: this binary's time over the first one's in the same round (the pairs again).
    row.native = natives.map((nat) => ({
      bin: nat.bin,
      year_s: median(nat.year),
      ratio: median(nat.ratios),
      over_first: median(nat.year.map((t, i) => t / natives[0].year[i])),
    }));
    Object.assign(row, { native_year_s: row.native[0].year_s, ratio: row.native[0].ratio });
  }
  rows.push(row);
  console.log(
    `${String(population).padStart(9)} residents (wasm, Node ${process.versions.node}): year ${row.year_s.toFixed(3)} s ` +
      `(min ${row.year_min_s.toFixed(3)}, cpu ${row.cpu_s.toFixed(3)}), build ${row.init_s.toFixed(3)} s  [${runs} runs]` +
      (row.native || []).map((nat) => `; paired ${nat.bin} ${nat.year_s.toFixed(3)} s, wasm/native x${nat.ratio.toFixed(2)}`).join(''),
  );
}
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows) + '\n');
