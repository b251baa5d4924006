// A 1,000,000-resident region runs in the worker: progress shows and the page stays
// responsive (clicks and animation frames answered within 200 ms) while it runs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, screenshot } from './browser.mjs';

let browser;
let page;

before(async () => {
  browser = await launch();
  page = await browser.open('?population=20000&years=1');
});

after(async () => {
  await browser?.close();
});

test('one million residents: the main thread stays responsive while the worker runs', { timeout: 150_000 }, async () => {
  await page.selectOption('[data-setting="population"]', '1000000');
  await page.waitForFunction(() => window.__explorer.setups >= 2 && window.__explorer.scenario.population === 1000000, null, {
    timeout: 90_000,
  });
  assert.equal(await page.evaluate(() => window.__explorer.totalDays), 365);

  // Probes inside the page while Go runs: the gap between animation frames, and how late
  // a 50 ms timer fires (event-loop lag, i.e. how long a click would wait).
  await page.evaluate(() => {
    const probe = { gaps: [], lags: [], progress: new Set(), stop: false };
    window.__probe = probe;
    let last = performance.now();
    const frame = (now) => {
      probe.gaps.push(now - last);
      last = now;
      probe.progress.add(document.querySelector('[data-progress]').value);
      if (!probe.stop) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    const schedule = () => {
      const expected = performance.now() + 50;
      setTimeout(() => {
        probe.lags.push(performance.now() - expected);
        if (!probe.stop) schedule();
      }, 50);
    };
    schedule();
  });
  await page.click('[data-action="go"]');
  const start = Date.now();
  // A click on a control is handled while the worker runs.
  await page.waitForTimeout(1000);
  await page.click('[data-speed]');
  assert.ok(await page.evaluate(() => window.__explorer.running), 'still running after the click');
  await page.waitForFunction(() => window.__explorer.day >= 90, null, { timeout: 120_000 });
  await page.click('[data-action="go"]'); // pause
  await page.waitForFunction(() => !window.__explorer.running, null, { timeout: 60_000 });
  const probe = await page.evaluate(() => {
    const p = window.__probe;
    p.stop = true;
    const q = (a, f) => [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(f * a.length))];
    return {
      frames: p.gaps.length,
      gap95: q(p.gaps, 0.95),
      gapMax: Math.max(...p.gaps),
      lag95: q(p.lags, 0.95),
      lagMax: Math.max(...p.lags),
      progress: p.progress.size,
    };
  });
  await screenshot(page, 'explorer-million.png');
  const f = (x) => x.toFixed(0);
  console.log(
    `1M residents: ${await page.evaluate(() => window.__explorer.day)} days in ${Date.now() - start} ms; ` +
      `frame gaps p95 ${f(probe.gap95)} ms, max ${f(probe.gapMax)} ms over ${probe.frames} frames; ` +
      `timer lag p95 ${f(probe.lag95)} ms, max ${f(probe.lagMax)} ms; ${probe.progress} progress values`,
  );
  // The requirement: the page answers within 200 ms while the worker runs. The maximum is
  // allowed more, because other load on a shared 2-core machine shows up there too.
  assert.ok(probe.gap95 < 200 && probe.lag95 < 200, 'answers within 200 ms');
  assert.ok(probe.gapMax < 500 && probe.lagMax < 500, 'never freezes');
  assert.ok(probe.progress >= 3, 'progress moved while running');
  assert.deepEqual(browser.problems, []);
});
