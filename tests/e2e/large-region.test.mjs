// A 1,000,000-resident region runs in the worker: progress shows and the page stays
// responsive (clicks and animation frames answered within 200 ms) while it runs.
// The worker's progress and the page's frames are measured inside the page; clicks are real
// input events sent by the browser, timed from their own time stamps.

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

  // Probes inside the page while Go runs: the gap between animation frames, and how long
  // a real click waits before its handler runs (the event's own time stamp to the handler).
  await page.evaluate(() => {
    const probe = { gaps: [], clicks: [], progress: new Set(), stop: false };
    window.__probe = probe;
    let last = performance.now();
    const frame = (now) => {
      probe.gaps.push(now - last);
      last = now;
      probe.progress.add(document.querySelector('[data-progress]').value);
      if (!probe.stop) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    document.querySelector('[data-status]').addEventListener('click', (e) => probe.clicks.push(performance.now() - e.timeStamp));
  });
  await page.click('[data-action="go"]');
  const start = Date.now();
  // A click on a control is handled while the worker runs.
  await page.waitForTimeout(500);
  await page.click('[data-speed]');
  assert.ok(await page.evaluate(() => window.__explorer.running), 'still running after the click');
  // Clicks at random moments of the run, each answered before the next is sent: at least 12
  // and until day 150, but stopping by day 330 so that the pause below comes before the
  // year ends however fast the model runs (a faster model once left time for only 4).
  for (let sent = 0; ; sent++) {
    const day = await page.evaluate(() => window.__explorer.day);
    if (day >= 330 || (day >= 150 && sent >= 12)) break;
    await page.click('[data-status]');
    await page.waitForTimeout(Math.random() * 100);
  }
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
      clicks: p.clicks.length,
      click50: q(p.clicks, 0.5),
      clickMax: Math.max(...p.clicks),
      progress: p.progress.size,
    };
  });
  await screenshot(page, 'explorer-million.png');
  const f = (x) => x.toFixed(0);
  console.log(
    `1M residents: ${await page.evaluate(() => window.__explorer.day)} days in ${Date.now() - start} ms; ` +
      `frame gaps p95 ${f(probe.gap95)} ms, max ${f(probe.gapMax)} ms over ${probe.frames} frames; ` +
      `${probe.clicks} clicks answered after median ${f(probe.click50)} ms, max ${f(probe.clickMax)} ms; ` +
      `${probe.progress} progress values`,
  );
  // The requirement: the page answers within 200 ms while the worker runs (a month of a
  // million residents on the page's own thread would stall it for a second or more). The
  // maximum frame gap is allowed more, because other load on a shared 2-core machine shows
  // up there too; benches/page-bench.mjs reports the long tasks themselves.
  assert.ok(probe.clicks >= 5, `enough clicks were measured (${probe.clicks})`);
  assert.ok(probe.gap95 < 200 && probe.click50 < 200, 'answers within 200 ms');
  assert.ok(probe.gapMax < 1000 && probe.clickMax < 1000, 'never freezes for a second');
  assert.ok(probe.progress >= 3, 'progress moved while running');
  assert.deepEqual(browser.problems, []);
});
