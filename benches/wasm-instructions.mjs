// Instructions of one simulated year, function by function, in WebAssembly (V8's code in Node)
// and natively: where V8's compiled code does more work than LLVM's.
//
//   node benches/wasm-instructions.mjs                    # www/pkg and target/release, 30,000 residents
//   node benches/wasm-instructions.mjs --population 10000 --pkg DIR --native BIN
//
// Both runs go through valgrind's callgrind, which counts the instructions the processor
// executes, V8's generated code included (`--smc-check` lets it follow code written at run
// time). V8 compiles every wasm function with its optimising compiler up front
// (`--no-liftoff`) on the main thread (`--single-threaded`), so the count does not depend on
// when tiering happens, and logs where each function's code lies (`--log-code`); the
// instruction addresses callgrind reports are then attributed to those functions. Natively,
// callgrind names the functions itself. Each count is a function's own instructions
// (inlined callees included, calls to other functions not). Counts repeat to about 0.3% in
// WebAssembly (V8's own start-up varies) and exactly natively.
//
// Needs valgrind (apt package valgrind), www/pkg (bash scripts/build-web.sh) and the release
// CLI (cargo build --release). Takes about a minute at 30,000 residents.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const population = Number(option('--population', 30_000));
const pkg = resolve(option('--pkg', 'www/pkg'));

// The measured program itself: build the region and run one year in wasm.
if (args.includes('--child')) {
  const glue = await import(pathToFileURL(join(pkg, 'consortium_sim.js')).href);
  await glue.default({ module_or_path: readFileSync(join(pkg, 'consortium_sim_bg.wasm')) });
  const sim = new glue.Simulation({ preset: 'status_quo', population, years: 1 });
  sim.run();
  sim.free();
  process.exit(0);
}

const nativeBin = resolve(option('--native', 'target/release/consortium-sim'));
const work = mkdtempSync(join(tmpdir(), 'wasm-instructions-'));

function callgrind(out, command) {
  const r = spawnSync('valgrind', ['--tool=callgrind', '--dump-instr=yes', '--smc-check=all-non-file', `--callgrind-out-file=${out}`, ...command], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.error || r.status !== 0) throw new Error(`valgrind ${command[0]} failed: ${r.error || r.stderr.slice(-400)}`);
}

/**
 * Self cost per key from a callgrind file written with --dump-instr=yes. `key(fn, address)`
 * names what an instruction's cost counts toward (null: not counted). Call lines carry the
 * callee's inclusive cost and are skipped.
 */
function selfCosts(file, key) {
  const names = new Map();
  const totals = new Map();
  let fn = '';
  let address = 0;
  let callLine = false;
  const number = (t) => (t.startsWith('0x') ? parseInt(t, 16) : Number(t));
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('fn=') || line.startsWith('cfn=')) {
      // "fn=(12) name" where id 12 first appears (as a function or as a callee), "fn=(12)" after.
      const m = /^c?fn=\((\d+)\)(?: (.*))?$/.exec(line);
      if (m) {
        if (m[2] !== undefined) names.set(m[1], m[2]);
        if (line[0] === 'f') fn = names.get(m[1]) || '';
      }
      continue;
    }
    if (line.startsWith('calls=')) {
      callLine = true;
      continue;
    }
    const first = line[0];
    if (!(first === '+' || first === '-' || first === '*' || line.startsWith('0x'))) continue;
    const parts = line.split(' ');
    const a = parts[0];
    if (a.startsWith('0x')) address = parseInt(a, 16);
    else if (first === '+') address += number(a.slice(1));
    else if (first === '-') address -= number(a.slice(1));
    if (callLine) {
      callLine = false;
      continue;
    }
    const cost = Number(parts[parts.length - 1]);
    const k = key(fn, address);
    if (k !== null) totals.set(k, (totals.get(k) || 0) + cost);
  }
  return totals;
}

/** Rust symbol without its hash suffix. */
const plain = (name) => name.replace(/::h[0-9a-f]{16}$/, '').replace(/ \[.*\]$/, '');

try {
  // WebAssembly, with V8's code map.
  const v8log = join(work, 'v8.log');
  const wasmOut = join(work, 'wasm.cg');
  const self = fileURLToPath(import.meta.url);
  callgrind(wasmOut, [
    process.execPath,
    '--no-liftoff',
    '--single-threaded',
    '--log-code',
    '--no-logfile-per-isolate',
    `--logfile=${v8log}`,
    self,
    '--child',
    '--pkg',
    pkg,
    '--population',
    String(population),
  ]);
  const ranges = [];
  for (const line of readFileSync(v8log, 'utf8').split('\n')) {
    // code-creation,<kind>,<tier>,<time>,<address>,<size>,<name>,...
    if (!line.startsWith('code-creation,')) continue;
    const p = line.split(',');
    const start = parseInt(p[4], 16);
    const size = Number(p[5]);
    if (Number.isFinite(start) && size > 0 && p[6].includes('::')) ranges.push([start, start + size, plain(p[6])]);
  }
  ranges.sort((x, y) => x[0] - y[0]);
  const find = (address) => {
    let lo = 0;
    let hi = ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid][0] <= address) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && address < ranges[hi][1] ? ranges[hi][2] : null;
  };
  const wasm = selfCosts(wasmOut, (_fn, address) => find(address));

  // Natively, the same year through the release CLI.
  const nativeOut = join(work, 'native.cg');
  callgrind(nativeOut, [nativeBin, 'run', '--population', String(population), '--years', '1', '--format', 'json']);
  const native = selfCosts(nativeOut, (fn) => (fn.includes('consortium_sim') || fn.includes('chacha') || fn.includes('libm') ? plain(fn) : null));

  const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
  const rows = [...new Set([...wasm.keys(), ...native.keys()])]
    .map((name) => [name, wasm.get(name) || 0, native.get(name) || 0])
    .filter(([, w, n]) => w + n > 0.005 * (sum(wasm) + sum(native)))
    .sort((x, y) => y[1] + y[2] - (x[1] + x[2]));
  const m = (v) => `${(v / 1e6).toFixed(1)}M`.padStart(9);
  console.log(`one status_quo year at ${population.toLocaleString('en-US')} residents, building the region included: instructions by function`);
  console.log(`${'wasm (V8)'.padStart(9)} ${'native'.padStart(9)}  function`);
  for (const [name, w, n] of rows) console.log(`${m(w)} ${m(n)}  ${name.slice(0, 100)}`);
  console.log(`${m(sum(wasm))} ${m(sum(native))}  all functions of the model (wasm/native x${(sum(wasm) / sum(native)).toFixed(2)})`);
  console.log('(a function inlined into its caller in one build and not in the other counts toward the caller there)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
