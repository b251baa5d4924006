// Tests the npm package for embedders (issue 19, item 6) the way a developer meets it:
// scripts/pack.sh packs it, the tarball is installed offline into an empty folder with its own
// package.json, and child Node processes there import 'consortium-sim' by name. They check
// that the model computes the golden runs of tests/golden/small.json to the bit (the native
// results, checked natively by tests/golden.rs), with no init call in Node, after init()
// through the browser entry, and in headless Chromium on a page that serves the installed
// folder as files and imports the package by name through an import map; that the element,
// served from there too, runs to the figures Node computes, with the package's one wasm; that
// the exports map resolves what it promises and refuses the rest; that the tarball holds
// exactly the package's files, the same bytes on every pack; and that the TypeScript
// declarations parse (esbuild's parser: tsc is not installed, so types are not checked) and
// name exactly what the entries export at run time.
// Run: node --test tests/package/package.test.mjs (needs www/pkg from
// bash scripts/build-web.sh, and Debian's Chromium from scripts/setup-web.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServer } from 'node:http';
import { build, transform } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../e2e/browser.mjs';

// The <consortium-sim> element (www/embed/) is built by scripts/build-web.sh once the embed
// component (issue 19, item 1) is on the branch; until then the package is packed without it
// (--no-embed). With the element built, set this to true: the package must then hold it.
const WITH_EMBED = true;

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const golden = join(root, 'tests', 'golden', 'small.json');
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "(.+)"$/m)[1];
const packArgs = WITH_EMBED ? [] : ['--no-embed'];

let work; // the empty folder the package is installed into
let installed; // its node_modules/consortium-sim
let packed; // { tarball, output } of the first pack

/** Runs scripts/pack.sh; returns its status, its output and the tarball's path (named on its
 * last line, relative to the project or absolute, as CARGO_TARGET_DIR is). */
function pack(args) {
  const run = spawnSync('bash', [join(root, 'scripts', 'pack.sh'), ...args], { cwd: root, encoding: 'utf8' });
  const output = run.stdout + run.stderr;
  if (run.status !== 0) return { status: run.status, output };
  const tarball = output.match(/^pack: wrote (\S+\.tgz):/m)?.[1];
  assert.ok(tarball, `pack.sh names the tarball it wrote:\n${output}`);
  return { status: 0, output, tarball: resolve(root, tarball) };
}

/** Runs an ES module `code` in a child Node in the install folder; returns its JSON output. */
function nodeIn(code, ...args) {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code, ...args], {
    cwd: work,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, `child node failed:\n${run.stderr}`);
  return JSON.parse(run.stdout);
}

before(() => {
  packed = pack(packArgs);
  assert.equal(packed.status, 0, `scripts/pack.sh ${packArgs.join(' ')} failed:\n${packed.output}`);
  work = mkdtempSync(join(tmpdir(), 'consortium-sim-package-'));
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'embedder', private: true, type: 'module' }));
  const npm = spawnSync(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, '.npm-cache'), packed.tarball],
    { cwd: work, encoding: 'utf8' },
  );
  assert.equal(npm.status, 0, `npm install of the tarball failed:\n${npm.stdout}${npm.stderr}`);
  installed = join(work, 'node_modules', 'consortium-sim');
});

after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Every file under `dir`, as paths relative to `base` with forward slashes. */
function filesUnder(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path, base) : [relative(base, path).split('\\').join('/')];
  });
}

test('the tarball holds the entries, the bindings, the wasm and the types, nothing else, and is small', () => {
  const list = spawnSync('tar', ['-tzf', packed.tarball], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  const files = list.stdout.trim().split('\n').map((path) => path.replace(/^package\//, '')).sort();
  const expected = [
    'README.md',
    'browser.js',
    'index.d.ts',
    'node.js',
    'package.json',
    'pkg/consortium_sim.d.ts',
    'pkg/consortium_sim.js',
    'pkg/consortium_sim_bg.wasm',
    'pkg/consortium_sim_bg.wasm.d.ts',
  ];
  if (WITH_EMBED) {
    // The element without its own copy of the bindings: its worker imports the package's pkg/.
    const element = filesUnder(join(root, 'www', 'embed')).filter((path) => !path.startsWith('pkg/'));
    expected.push('embed.d.ts', ...element.map((path) => `embed/${path}`));
  }
  assert.deepEqual(files, expected.sort());
  const bytes = statSync(packed.tarball).size;
  assert.ok(bytes < 3 * 1024 * 1024, `the tarball is ${bytes} bytes`);
  const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'consortium-sim');
  assert.equal(manifest.version, version, 'the package has the version of Cargo.toml');
});

test('packing again gives the same tarball byte for byte', () => {
  const first = createHash('sha256').update(readFileSync(packed.tarball)).digest('hex');
  const again = pack(packArgs);
  assert.equal(again.status, 0, again.output);
  assert.equal(createHash('sha256').update(readFileSync(again.tarball)).digest('hex'), first);
});

test('without --no-embed, pack.sh refuses to pack when the element is not built, and names the build', {
  skip: WITH_EMBED && 'www/embed is built: the package holds the element',
}, () => {
  if (existsSync(join(root, 'www', 'embed', 'consortium-sim.js'))) {
    assert.fail('www/embed/consortium-sim.js exists: set WITH_EMBED to true in this file');
  }
  const refused = pack([]);
  assert.notEqual(refused.status, 0, 'pack.sh packed without the element');
  assert.match(refused.output, /www\/embed\/consortium-sim\.js is missing/);
  assert.match(refused.output, /scripts\/build-web\.sh/);
  assert.match(refused.output, /--no-embed/);
});

// Defines replay(model, cases): the golden runs of `cases` done with the module namespace
// `model`, each run's day and summary as f64 bit patterns in summary order. Module code for a
// child Node and for a page alike.
const REPLAY = `
  const bits = (x) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    return view.getBigUint64(0).toString(16).padStart(16, '0');
  };
  const replay = (model, cases) => cases.map(({ name, scenario, script }) => {
    const sim = new model.Simulation(scenario);
    for (const action of script) {
      if ('step' in action) sim.step(action.step);
      else sim.setLever(...action.set_lever);
    }
    const summary = Object.entries(sim.summary()).map(([key, value]) => [key, bits(value)]);
    const run = { name, day: sim.day, summary };
    sim.free();
    return run;
  });`;

// A child Node's module that replays the golden file (its first argument) with the module
// `entry`, after `init` (module code) when given, and prints the model version and the runs.
function replayGolden(entry, init = '') {
  return `
    import { readFileSync } from 'node:fs';
    import * as model from ${JSON.stringify(entry)};
    ${REPLAY}
    ${init}
    const { cases } = JSON.parse(readFileSync(process.argv[1], 'utf8'));
    console.log(JSON.stringify({ version: model.modelVersion(), runs: replay(model, cases) }));`;
}

/** Asserts that `runs` are the golden runs to the bit, every output in the golden order. */
function assertGolden(runs) {
  const { cases } = JSON.parse(readFileSync(golden, 'utf8'));
  assert.deepEqual(runs.map((run) => run.name), cases.map((c) => c.name));
  for (const [i, run] of runs.entries()) {
    assert.equal(run.day, cases[i].day, `${run.name}: day`);
    const expected = Object.entries(cases[i].summary).map(([key, { bits }]) => [key, bits]);
    assert.deepEqual(run.summary, expected, `${run.name}: summary bits`);
  }
}

test("import { Simulation } from 'consortium-sim' works in Node with no init call, to the bit", () => {
  const { version: model, runs } = nodeIn(replayGolden('consortium-sim'), golden);
  assert.equal(model, version, 'modelVersion() is the package version');
  assertGolden(runs);
});

test('the browser entry needs init(), then computes the same bits', () => {
  // Node picks the "node" condition, so the browser entry is imported by its file, as a page
  // serving the package's folder would. Node's fetch reads no file: URLs, so init() gets the
  // bytes of the wasm; a page's init() with no argument fetches the same file.
  const entry = './node_modules/consortium-sim/browser.js';
  const init = `
    const wasm = readFileSync(new URL(import.meta.resolve('consortium-sim/wasm')));
    let before = 'ran';
    try { new model.Simulation({ population: 1000, years: 1 }); } catch { before = 'threw'; }
    if (before !== 'threw') throw new Error('the browser entry ran a simulation before init()');
    await model.init(wasm);
    await model.default(); // a second call resolves at once, with nothing to load`;
  const { version: model, runs } = nodeIn(replayGolden(entry, init), golden);
  assert.equal(model, version);
  assertGolden(runs);
});

/** Serves folder `dir` on a free localhost port; returns its origin, the paths asked for and close(). */
async function serve(dir) {
  const types = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.json': 'application/json',
    '.wasm': 'application/wasm',
  };
  const asked = [];
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://localhost').pathname);
    asked.push(path);
    const file = join(dir, path);
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404).end();
      return;
    }
    const type = types[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
    response.writeHead(200, { 'content-type': type }).end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, asked, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** Serves the install folder, opens its page `path` in headless Chromium and runs
 * `check(page, complaints, server)`, `complaints` being the console's errors and warnings and
 * the page's uncaught errors so far; closes both after. */
async function inChromium(path, check) {
  const server = await serve(work);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_FLAGS,
  });
  try {
    const page = await browser.newPage();
    const complaints = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') complaints.push(message.text());
    });
    page.on('pageerror', (error) => complaints.push(error.message));
    await page.goto(`${server.origin}${path}`);
    await check(page, complaints, server);
  } finally {
    await browser.close();
    await server.close();
  }
}

test("a page imports 'consortium-sim' through an import map, awaits init() and gets the same bits", async () => {
  // The installed folder served as files, as an analyst's site would serve it: init() with no
  // argument must find the wasm beside the bindings (new URL(..., import.meta.url)).
  writeFileSync(join(work, 'golden.json'), readFileSync(golden));
  writeFileSync(join(work, 'check.js'), `
    import * as model from 'consortium-sim';
    ${REPLAY}
    await model.init();
    const { cases } = await (await fetch('/golden.json')).json();
    window.packageCheck = { version: model.modelVersion(), runs: replay(model, cases) };`);
  writeFileSync(join(work, 'check.html'), `<!doctype html><meta charset="utf-8"><title>package check</title>
    <link rel="icon" href="data:,">
    <script type="importmap">{ "imports": { "consortium-sim": "/node_modules/consortium-sim/browser.js" } }</script>
    <script type="module" src="/check.js"></script>`);
  await inChromium('/check.html', async (page, complaints, server) => {
    await page.waitForFunction(() => window.packageCheck || null, null, { timeout: 30_000 }).catch(() => {});
    assert.deepEqual(complaints, [], `no error or warning on the console (fetched: ${server.asked.join(', ')})`);
    const result = await page.evaluate(() => window.packageCheck ?? null);
    assert.ok(result, `the page finished its check (fetched: ${server.asked.join(', ')})`);
    const { version: model, runs } = result;
    assert.equal(model, version);
    assertGolden(runs);
    const wasm = '/node_modules/consortium-sim/pkg/consortium_sim_bg.wasm';
    assert.ok(server.asked.includes(wasm), `fetched: ${server.asked.join(', ')}`);
  });
});

test('the element from the package runs in a page, its worker loading the package\'s one wasm', { skip: !WITH_EMBED && 'packed without the element' }, async () => {
  // An analyst's page that imports the installed element by path; the run's figures must be
  // those of the same scenario run in Node through the package's own entry.
  const query = 'preset=close_consortium&population=2000&years=1&seed=3';
  writeFileSync(join(work, 'element.html'), `<!doctype html><meta charset="utf-8"><title>element check</title>
    <link rel="icon" href="data:,">
    <script type="module" src="/node_modules/consortium-sim/embed/consortium-sim.js"></script>
    <consortium-sim scenario="${query}" charts="visit-shares" figures="primary_visit_share" autoplay></consortium-sim>`);
  const expected = nodeIn(`
    import { Simulation } from 'consortium-sim';
    const sim = new Simulation({ preset: 'close_consortium', population: 2000, years: 1, seed: 3 });
    sim.run();
    console.log(JSON.stringify(sim.summary()));`);
  await inChromium('/element.html', async (page, complaints, server) => {
    await page
      .waitForFunction(() => ['done', 'error', 'static'].includes(document.querySelector('consortium-sim')?.state), null, { timeout: 60_000 })
      .catch(() => {});
    const shown = await page.evaluate(() => {
      const el = document.querySelector('consortium-sim');
      return { state: el.state, summary: el.snapshot?.current.summary ?? null, series: el.chartData('visit-shares')?.length ?? 0 };
  });
  assert.deepEqual(complaints, [], `no error or warning on the console (fetched: ${server.asked.join(', ')})`);
  assert.equal(shown.state, 'done', `the element ran (fetched: ${server.asked.join(', ')})`);
  assert.ok(shown.series > 0, 'the element drew its chart');
  assert.deepEqual(shown.summary, expected, 'the element shows the figures Node computes for the same scenario');
  // Each worker (the run, the status quo beside it) fetches it; it is the one file.
  const wasm = new Set(server.asked.filter((path) => path.endsWith('.wasm')));
  assert.deepEqual([...wasm], ['/node_modules/consortium-sim/pkg/consortium_sim_bg.wasm'], 'the element loads the package\'s wasm');
  });
});

test('the exports map resolves the entries it promises and refuses deep paths', () => {
  const specifiers = [
    'consortium-sim',
    'consortium-sim/wasm',
    'consortium-sim/package.json',
    'consortium-sim/embed',
    'consortium-sim/pkg/consortium_sim.js',
    'consortium-sim/pkg/consortium_sim_bg.wasm',
    'consortium-sim/browser.js',
    'consortium-sim/node.js',
  ];
  const resolved = nodeIn(`
    const out = {};
    for (const specifier of ${JSON.stringify(specifiers)}) {
      try { out[specifier] = import.meta.resolve(specifier); } catch (error) { out[specifier] = error.code; }
    }
    try { await import('consortium-sim/pkg/consortium_sim.js'); out.deepImport = 'imported'; }
    catch (error) { out.deepImport = error.code; }
    console.log(JSON.stringify(out));`);
  const file = (path) => pathToFileURL(join(installed, path)).href;
  assert.equal(resolved['consortium-sim'], file('node.js'));
  assert.equal(resolved['consortium-sim/wasm'], file('pkg/consortium_sim_bg.wasm'));
  assert.equal(resolved['consortium-sim/package.json'], file('package.json'));
  if (WITH_EMBED) {
    assert.equal(resolved['consortium-sim/embed'], file('embed/consortium-sim.js'));
    assert.ok(existsSync(join(installed, 'embed', 'consortium-sim.js')));
  } else {
    assert.equal(resolved['consortium-sim/embed'], 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'no element, no export');
  }
  for (const deep of specifiers.slice(4)) {
    assert.equal(resolved[deep], 'ERR_PACKAGE_PATH_NOT_EXPORTED', `${deep} is not exported`);
  }
  assert.equal(resolved.deepImport, 'ERR_PACKAGE_PATH_NOT_EXPORTED');
  const wasm = readFileSync(join(installed, 'pkg', 'consortium_sim_bg.wasm'));
  assert.deepEqual([...wasm.subarray(0, 4)], [0, 0x61, 0x73, 0x6d], 'consortium-sim/wasm is a wasm module');
  assert.ok(wasm.equals(readFileSync(join(root, 'www', 'pkg', 'consortium_sim_bg.wasm'))), 'the wasm of www/pkg');
});

test('every entry has types, given first among its conditions, in a file of the package', () => {
  const { exports } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  const entries = Object.entries(exports).filter(([subpath]) => subpath !== './package.json');
  const subpaths = WITH_EMBED ? ['.', './embed', './wasm'] : ['.', './wasm'];
  assert.deepEqual(entries.map(([subpath]) => subpath).sort(), subpaths);
  for (const [subpath, conditions] of entries) {
    // TypeScript takes the first condition that matches; "types" after "default" is never read.
    assert.equal(Object.keys(conditions)[0], 'types', `${subpath}: "types" comes first`);
    assert.ok(existsSync(join(installed, conditions.types)), `${subpath}: ${conditions.types} is in the package`);
    for (const target of Object.values(conditions)) {
      assert.ok(existsSync(join(installed, target)), `${subpath}: ${target} is in the package`);
    }
  }
  assert.deepEqual(exports['.'], {
    types: './index.d.ts',
    node: './node.js',
    browser: './browser.js',
    default: './browser.js',
  });
});

/** Names of the run-time (not type-only) exports a declaration file declares, following `export *`. */
function declaredExports(path) {
  const text = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const names = new Set();
  const declaration = /^export (?:declare )?(?:abstract )?(?:function|class|const|let|var|enum) +([\w$]+)/gm;
  for (const [, name] of text.matchAll(declaration)) names.add(name);
  if (/^export default /m.test(text)) names.add('default');
  for (const [, from] of text.matchAll(/^export \* from '([^']+)'/gm)) {
    const inner = declaredExports(join(dirname(path), from.replace(/\.js$/, '.d.ts')));
    inner.delete('default'); // export * does not pass on a default export
    for (const name of inner) names.add(name);
  }
  return names;
}

test('the declaration files parse and declare exactly what the entries export at run time', async () => {
  // The package's, and npm/'s: embed.d.ts is parsed even while the package is packed without it.
  const declarations = [
    ...filesUnder(installed).filter((path) => path.endsWith('.d.ts')).map((path) => join(installed, path)),
    ...readdirSync(join(root, 'npm')).filter((path) => path.endsWith('.d.ts')).map((path) => join(root, 'npm', path)),
  ];
  assert.ok(declarations.includes(join(installed, 'pkg', 'consortium_sim.d.ts')));
  assert.ok(declarations.includes(join(root, 'npm', 'embed.d.ts')));
  for (const path of declarations) {
    // esbuild parses TypeScript syntax (it throws on an error) without checking types. It
    // reads a file as .ts, where `export const x: T;` needs a value; inside an ambient module
    // declaration, as in a .d.ts, it does not.
    const text = readFileSync(path, 'utf8');
    await transform(`declare module 'check' {\n${text}\n}`, { loader: 'ts', sourcefile: relative(root, path) });
  }
  const declared = [...declaredExports(join(installed, 'index.d.ts'))].sort();
  assert.ok(declared.includes('Simulation') && declared.includes('init') && declared.includes('default'));
  const atRunTime = nodeIn(`
    const node = await import('consortium-sim');
    const browser = await import('./node_modules/consortium-sim/browser.js');
    console.log(JSON.stringify({ node: Object.keys(node).sort(), browser: Object.keys(browser).sort() }));`);
  assert.deepEqual(atRunTime.node, declared, 'node.js exports what index.d.ts declares');
  assert.deepEqual(atRunTime.browser, declared, 'browser.js exports what index.d.ts declares');
  if (WITH_EMBED) {
    // The element's module cannot run in Node (no HTMLElement): esbuild follows its imports
    // and lists its exports. Everything it imports must be in the package's embed/ folder.
    const { metafile } = await build({
      entryPoints: ['embed/consortium-sim.js'],
      absWorkingDir: installed,
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      outdir: work,
      logLevel: 'silent',
    });
    const outside = Object.keys(metafile.inputs).filter((input) => !input.startsWith('embed/'));
    assert.deepEqual(outside, [], 'the element imports only files of embed/');
    const exported = Object.values(metafile.outputs).find((output) => output.entryPoint).exports.sort();
    const declaredByElement = [...declaredExports(join(installed, 'embed.d.ts'))].sort();
    assert.deepEqual(exported, declaredByElement, 'embed.d.ts declares what the element exports');
  }
});
