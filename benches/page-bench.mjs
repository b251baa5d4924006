// Page benchmark: the explorer (www/) in headless Chromium, driven by playwright-core with
// Debian's /usr/bin/chromium (no browser download), served by scripts/serve.py.
//
//   node benches/page-bench.mjs [--json FILE] [--skip-million] [--million-days 120] [--dir www] [--idle-ms 0]
//   node benches/page-bench.mjs --first-run N [--idle-ms 0] [--dir www] [--json FILE]
//   node benches/page-bench.mjs --ensemble N [--population 100000] [--years 5] [--repeat 2] [--dir www] [--json FILE]
//
// Go is pressed as soon as the page has set up its region, before the rehearsal of the
// charts' first draws (www/chart-rehearsal.js) has finished: the hardest case. `--idle-ms N`
// waits N ms first, as a user reading the page would, so the rehearsal can finish.
//
// 1. The default region (the page's default population and horizon, default speed): Go runs
//    to the horizon while the charts redraw. Reported: simulated years per second of wall
//    time, and the main thread's long tasks (the Long Tasks API: every task of 50 ms or
//    more) from the press of Go to the end.
// 2. 1,000,000 residents: the region is set up, then Go runs for `--million-days` days and
//    is paused. Reported: set-up and run times, long tasks, the largest gap between
//    animation frames and how many distinct progress values the bar showed.
// 3. `--first-run N` instead: N first runs, each in a fresh browser profile (nothing compiled or
//    cached from an earlier run): the page loads, waits `--idle-ms`, Go runs the first simulated
//    year. Reported per run: from Ready to Go, the main thread's long tasks; from Go, the time to
//    the first chart drawn with data and to every chart on screen drawn with data, and the long
//    tasks in the first year (each with the draws inside it).
// 4. `--ensemble N` instead: the uncertainty bands (www/ensemble.js) of the close consortium
//    at `--population` residents and `--years` years, `--repeat` times, each in a fresh
//    profile: one pair alone in one warm worker (T1, the mean of one just before and one just
//    after the N pairs; the very first pair, which starts the worker and compiles the wasm, is
//    reported as cold), and N pairs in the page's pool of W workers (W from
//    navigator.hardwareConcurrency; TN, the other workers starting cold), from the request
//    until the last pair is back. Long tasks count from the request for the N pairs until the
//    pair after them is back (so the last bands' draws are in).
//    Reported: W, N, T1, TN, the issue's bound 1.3 × N × T1 / W and TN's ratio to it, and the
//    main thread's long tasks while the N pairs ran (with the draws inside each).
//
// Needs www/pkg (bash scripts/build-web.sh) and node_modules (bash scripts/setup-web.sh).

import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS } from '../tests/e2e/browser.mjs';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const jsonOut = option('--json', null);
const millionDays = Number(option('--million-days', 120));
const wwwDir = option('--dir', join(ROOT, 'www'));
const idleMs = Number(option('--idle-ms', 0));
const firstRunCount = Number(option('--first-run', 0));
const ensemblePairs = Number(option('--ensemble', 0));
const ensemblePopulation = Number(option('--population', 100000));
const ensembleYears = Number(option('--years', 5));
const ensembleRepeat = Number(option('--repeat', 2));

if (!existsSync(join(wwwDir, 'pkg/consortium_sim.js'))) {
  console.error('page-bench: www/pkg is missing; run: bash scripts/build-web.sh');
  process.exit(1);
}

/** Starts scripts/serve.py on a free port; resolves to { url, stop }. */
function serve() {
  const server = spawn('python3', [join(ROOT, 'scripts/serve.py'), '--port', '0', '--quiet', '--dir', wwwDir], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const url = out.split('\n').find((l) => l.startsWith('http://'));
      if (url) resolve({ url: url.trim(), stop: () => server.kill() });
    });
    server.on('exit', (code) => reject(new Error(`serve.py exited (${code})`)));
  });
}

/** Installs the long-task observer and the frame/progress probes in the page. */
async function installProbes(page) {
  await page.evaluate(() => {
    const probe = { longTasks: [], gaps: [], progress: new Set(), stop: false, last: performance.now() };
    window.__bench = probe;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' });
    const frame = (now) => {
      probe.gaps.push({ at: now, gap: now - probe.last });
      probe.last = now;
      const bar = document.querySelector('[data-progress]');
      if (bar && bar.hasAttribute('value')) probe.progress.add(bar.value);
      if (!probe.stop) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/** Long tasks, frame gaps and progress values between two page times. */
async function window_(page, from, to) {
  return page.evaluate(
    ([a, b]) => {
      const p = window.__bench;
      const tasks = p.longTasks.filter((t) => t.start >= a && t.start <= b);
      const gaps = p.gaps.filter((g) => g.at >= a && g.at <= b).map((g) => g.gap);
      // What ran inside each long task: the chart draws (User Timing entries of the page).
      const draws = performance.getEntriesByType('measure').filter((m) => /^(chart|rehearsal|bands|ensemble) /.test(m.name));
      const inside = tasks.map((t) => {
        const names = draws
          .filter((m) => m.startTime >= t.start && m.startTime < t.start + t.duration)
          .map((m) => `${m.name} ${m.duration.toFixed(0)} ms`);
        return `${t.duration.toFixed(0)} ms: ${names.join(', ') || 'no chart draw'}`;
      });
      return {
        longTasks: tasks.length,
        longTaskContents: inside,
        longestTaskMs: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
        maxFrameGapMs: gaps.reduce((m, g) => Math.max(m, g), 0),
        frames: gaps.length,
        progressValues: p.progress.size,
      };
    },
    [from, to],
  );
}

/** Probes installed before the page's own scripts run: long tasks from the start, and the
 * time of the first frame that shows a simulated day. */
function firstRunProbes() {
  const probe = { longTasks: [], firstDataAt: null };
  window.__bench = probe;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask' });
  const frame = (now) => {
    if (window.__explorer && window.__explorer.day > 0) probe.firstDataAt = now;
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/** Chromium with a fresh profile (nothing compiled or cached from an earlier run) and one
 * page whose errors are collected; `init` runs in the page before its own scripts. */
async function openPage(url, init = null) {
  const profile = mkdtempSync(join(tmpdir(), 'consortium-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1366, height: 768 },
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => errors.push(e.message));
  if (init) await page.addInitScript(init);
  await page.goto(url);
  await page.waitForFunction(() => window.__explorer && window.__explorer.ready && window.__explorer.setups > 0, null, {
    timeout: 60_000,
    polling: 'raf',
  });
  return {
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** One first run in a fresh profile: see 3. in the header. */
async function firstRun(url) {
  const { page, close } = await openPage(url, firstRunProbes);
  try {
    const ready = await now(page);
    if (idleMs > 0) await page.waitForTimeout(idleMs);
    const go = await now(page);
    await page.click('[data-action="go"]');
    await page.waitForFunction(() => window.__explorer.day >= 365, null, { timeout: 300_000 });
    const yearEnd = await now(page);
    await page.click('[data-action="go"]'); // pause
    await page.waitForFunction(() => !window.__explorer.running, null, { timeout: 60_000 });
    const run = await page.evaluate(
      ([ready, go, end]) => {
        const p = window.__bench;
        const draws = performance.getEntriesByType('measure').filter((m) => /^chart /.test(m.name));
        const withData = draws.filter((m) => p.firstDataAt !== null && m.startTime >= p.firstDataAt);
        const firstEnd = new Map();
        for (const m of withData) {
          const name = m.name.split(' ')[1];
          if (!firstEnd.has(name)) firstEnd.set(name, m.startTime + m.duration);
        }
        const tasks = (a, b) =>
          p.longTasks
            .filter((t) => t.start >= a && t.start < b)
            .map((t) => {
              const inside = performance
                .getEntriesByType('measure')
                .filter((m) => m.startTime >= t.start && m.startTime < t.start + t.duration)
                .map((m) => `${m.name} ${m.duration.toFixed(0)}`);
              return `${t.duration.toFixed(0)} ms${inside.length ? ` (${inside.join(', ')})` : ''}`;
            });
        const ends = [...firstEnd.values()];
        const firstDraws = {};
        for (const m of withData) firstDraws[m.name.split(' ')[1]] ??= Math.round(m.duration);
        return {
          idleLongTasks: tasks(ready, go),
          // From Go (this includes simulating the first month) and from the first frame with data.
          firstChartMs: ends.length ? Math.min(...ends) - go : null,
          allChartsMs: ends.length ? Math.max(...ends) - go : null,
          firstChartAfterDataMs: ends.length ? Math.min(...ends) - p.firstDataAt : null,
          allChartsAfterDataMs: ends.length ? Math.max(...ends) - p.firstDataAt : null,
          firstDraws,
          runLongTasks: tasks(go, end),
        };
      },
      [ready, go, yearEnd],
    );
    return { idleMs, ...run };
  } finally {
    await close();
  }
}

const now = (page) => page.evaluate(() => performance.now());
const explorer = (page) =>
  page.evaluate(() => ({ day: window.__explorer.day, totalDays: window.__explorer.totalDays, running: window.__explorer.running, scenario: window.__explorer.scenario }));

/** 3.: `firstRunCount` first runs. */
async function firstRuns(url) {
  results.firstRuns = [];
  for (let i = 0; i < firstRunCount; i++) {
    const r = await firstRun(url);
    results.firstRuns.push(r);
    const ms = (x) => (x === null ? 'none' : `${x.toFixed(0)} ms`);
    console.log(
      `first run ${i + 1} (Go after ${idleMs} ms idle): long tasks before Go ${r.idleLongTasks.length} [${r.idleLongTasks.join('; ')}]; ` +
        `first chart with data ${ms(r.firstChartMs)} after Go (${ms(r.firstChartAfterDataMs)} after the data), ` +
        `every chart on screen ${ms(r.allChartsMs)} (${ms(r.allChartsAfterDataMs)}); first draws ${JSON.stringify(r.firstDraws)}; ` +
        `long tasks in the first year ${r.runLongTasks.length} [${r.runLongTasks.join('; ')}]`,
    );
  }
}

/** 1. and 2.: the default region to the horizon, then a million residents. */
async function defaultAndMillion(url) {
  const { page, close } = await openPage(url);
  try {
    await installProbes(page);

    // 1. The default region, run to the horizon with charts.
    if (idleMs > 0) await page.waitForTimeout(idleMs);
    const before = await explorer(page);
    const t0 = await now(page);
    await page.click('[data-action="go"]');
    await page.waitForFunction(() => window.__explorer.day >= window.__explorer.totalDays && !window.__explorer.running, null, {
      timeout: 600_000,
    });
    const t1 = await now(page);
    const after = await explorer(page);
    const seconds = (t1 - t0) / 1000;
    const years = (after.day - before.day) / 365;
    results.default = {
      population: after.scenario.population,
      idleMs,
      years,
      seconds,
      yearsPerSecond: years / seconds,
      ...(await window_(page, t0, t1)),
      // The page's own account of its drawing: the longest frame and each chart's longest draw.
      render: await page.evaluate(() => window.__explorer.render),
    };
    const d = results.default;
    console.log(
      `page, ${d.population} residents${idleMs > 0 ? ` (Go after ${idleMs} ms idle)` : ''}: ${d.years.toFixed(1)} years in ${d.seconds.toFixed(2)} s = ${d.yearsPerSecond.toFixed(2)} years/s; ` +
        `long tasks ${d.longTasks} (longest ${d.longestTaskMs.toFixed(0)} ms); max frame gap ${d.maxFrameGapMs.toFixed(0)} ms`,
    );
    if (d.render) console.log(`  longest chart draws (ms): ${JSON.stringify(d.render.chartMs)}`);
    for (const t of d.longTaskContents) console.log(`  long task ${t}`);

    // 2. A million residents: set-up and a run of `millionDays` days with progress.
    if (!args.includes('--skip-million')) {
      const s0 = await now(page);
      const setups = await page.evaluate(() => window.__explorer.setups);
      await page.selectOption('[data-setting="population"]', '1000000');
      await page.waitForFunction(
        (n) => window.__explorer.setups > n && window.__explorer.scenario.population === 1000000 && !window.__explorer.settingUp,
        setups,
        { timeout: 300_000 },
      );
      const s1 = await now(page);
      const m0 = await explorer(page);
      const r0 = await now(page);
      await page.click('[data-action="go"]');
      await page.waitForFunction((d) => window.__explorer.day >= d, m0.day + millionDays, { timeout: 600_000 });
      await page.click('[data-action="go"]'); // pause
      await page.waitForFunction(() => !window.__explorer.running, null, { timeout: 300_000 });
      const r1 = await now(page);
      const m1 = await explorer(page);
      results.million = {
        setupSeconds: (s1 - s0) / 1000,
        setup: await window_(page, s0, s1),
        days: m1.day - m0.day,
        seconds: (r1 - r0) / 1000,
        daysPerSecond: (m1.day - m0.day) / ((r1 - r0) / 1000),
        ...(await window_(page, r0, r1)),
        // Each chart's running estimate of its next draw, at the end of the run.
        chartCostMs: await page.evaluate(() => window.__explorer.render.chartCostMs),
      };
      const m = results.million;
      console.log(
        `page, 1000000 residents: set-up ${m.setupSeconds.toFixed(1)} s (long tasks ${m.setup.longTasks}, longest ${m.setup.longestTaskMs.toFixed(0)} ms); ` +
          `${m.days} days in ${m.seconds.toFixed(1)} s (${m.daysPerSecond.toFixed(0)} days/s); long tasks ${m.longTasks} ` +
          `(longest ${m.longestTaskMs.toFixed(0)} ms); max frame gap ${m.maxFrameGapMs.toFixed(0)} ms; ${m.progressValues} progress values`,
      );
      const costs = Object.entries(m.chartCostMs || {}).map(([k, v]) => `${k} ${v.toFixed(1)}`);
      console.log(`  chart draw estimates at the end (ms): ${costs.join(', ')}`);
      for (const t of [...m.setup.longTaskContents, ...m.longTaskContents]) console.log(`  long task ${t}`);
    }
    await page.evaluate(() => (window.__bench.stop = true));
  } finally {
    await close();
  }
}

/** Runs an ensemble of `pairs` pairs (on `workers` workers, else the page's pool) and waits
 * for it; resolves to the page's account of it (ensemble.js `status`). */
async function ensembleRun(page, pairs, workers = null) {
  await page.evaluate(([n, w]) => window.__explorer.ensemble.start({ pairs: n, workers: w }), [pairs, workers]);
  await page.waitForFunction(() => window.__explorer.ensemble.status.state !== 'running', null, { timeout: 3_600_000, polling: 500 });
  const status = await page.evaluate(() => window.__explorer.ensemble.status);
  if (status.state !== 'done') throw new Error(`the ensemble ended as '${status.state}'`);
  return status;
}

/** 4.: `ensembleRepeat` times, T1 and TN in a fresh profile. */
async function ensembles(url) {
  results.ensemble = [];
  const query = `?preset=close_consortium&population=${ensemblePopulation}&years=${ensembleYears}&seed=1`;
  for (let i = 0; i < ensembleRepeat; i++) {
    const { page, close } = await openPage(`${url}${query}`);
    try {
      await installProbes(page);
      const load = (await import('node:os')).loadavg();
      // T1 in a warm worker: the first pair also starts the worker and compiles the wasm.
      const cold = await ensembleRun(page, 1, 1);
      const one = await ensembleRun(page, 1, 1);
      const t0 = await now(page);
      const all = await ensembleRun(page, ensemblePairs);
      // T1 again after: on a shared host the speed moves within minutes, so T1 is the mean of
      // one pair just before and one just after the N pairs.
      const oneAfter = await ensembleRun(page, 1, 1);
      const t1 = await now(page);
      const tasks = await window_(page, t0, t1);
      const r = {
        population: ensemblePopulation,
        years: ensembleYears,
        workers: all.workers,
        pairs: ensemblePairs,
        t1Ms: (one.elapsedMs + oneAfter.elapsedMs) / 2,
        t1BeforeMs: one.elapsedMs,
        t1AfterMs: oneAfter.elapsedMs,
        t1ColdMs: cold.elapsedMs,
        tnMs: all.elapsedMs,
        boundMs: (1.3 * ensemblePairs * one.elapsedMs) / all.workers,
        pairMs: all.pairMs,
        aggregateMs: all.aggregateMs,
        loadAverage: load,
        longTasks: tasks.longTasks,
        longestTaskMs: tasks.longestTaskMs,
        longTaskContents: tasks.longTaskContents,
        maxFrameGapMs: tasks.maxFrameGapMs,
      };
      r.ratio = r.tnMs / r.boundMs;
      results.ensemble.push(r);
      const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
      console.log(
        `ensemble ${i + 1}, ${r.population} residents × ${r.years} years: W ${r.workers}, N ${r.pairs}; T1 ${s(r.t1Ms)} (before ${s(r.t1BeforeMs)}, after ${s(r.t1AfterMs)}, cold ${s(r.t1ColdMs)}), TN ${s(r.tnMs)}; ` +
          `bound 1.3 × N × T1 / W = ${s(r.boundMs)}, TN / bound ${r.ratio.toFixed(2)}; long tasks ${r.longTasks} (longest ${r.longestTaskMs.toFixed(0)} ms); ` +
          `max frame gap ${r.maxFrameGapMs.toFixed(0)} ms; last aggregation ${r.aggregateMs.toFixed(0)} ms (worker); load average at start ${load.map((x) => x.toFixed(1)).join(' ')}`,
      );
      for (const t of r.longTaskContents) console.log(`  long task ${t}`);
    } finally {
      await close();
    }
  }
}

const errors = [];
const results = {};
const { url, stop } = await serve();
try {
  if (ensemblePairs > 0) await ensembles(url);
  else if (firstRunCount > 0) await firstRuns(url);
  else await defaultAndMillion(url);
} finally {
  stop();
}
if (errors.length) console.log(`page errors: ${errors.join('; ')}`);
results.errors = errors;
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results) + '\n');
