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

  // Measure the main thread while Go runs: animation-frame gaps and click latency.
  await page.evaluate(() => {
    window.__probe = { maxGap: 0, frames: 0, clicks: [], progress: new Set() };
    let last = performance.now();
    const tick = (now) => {
      window.__probe.maxGap = Math.max(window.__probe.maxGap, now - last);
      window.__probe.frames += 1;
      last = now;
      window.__probe.progress.add(document.querySelector('[data-progress]').value);
      if (!window.__probe.stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.click('[data-action="go"]');
  const start = Date.now();
  // While it runs, the page answers at once: a round trip to the main thread that waits
  // for the next animation frame, and a click on the speed slider.
  for (let i = 0; i < 5; i++) {
    await page.waitForTimeout(300);
    const t0 = performance.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
    const ms = performance.now() - t0;
    assert.ok(ms < 200, `animation frame answered in ${ms.toFixed(0)} ms`);
  }
  const t1 = performance.now();
  await page.click('[data-speed]');
  assert.ok(performance.now() - t1 < 1000, 'a click is handled while the worker runs');
  await page.waitForFunction(() => window.__explorer.day >= 90, null, { timeout: 120_000 });
  await page.click('[data-action="go"]'); // pause
  await page.waitForFunction(() => !window.__explorer.running, null, { timeout: 60_000 });
  const probe = await page.evaluate(() => {
    window.__probe.stop = true;
    return { maxGap: window.__probe.maxGap, frames: window.__probe.frames, progress: window.__probe.progress.size };
  });
  await screenshot(page, 'explorer-million.png');
  console.log(`1M residents: ${await page.evaluate(() => window.__explorer.day)} days in ${Date.now() - start} ms; ` +
    `max frame gap ${probe.maxGap.toFixed(0)} ms over ${probe.frames} frames; ${probe.progress} progress values`);
  assert.ok(probe.maxGap < 200, `longest animation-frame gap ${probe.maxGap} ms`);
  assert.ok(probe.progress >= 3, 'progress moved while running');
  assert.deepEqual(browser.problems, []);
});
