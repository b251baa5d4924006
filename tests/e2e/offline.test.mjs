// Offline after the first visit (www/sw.js): once the service worker controls the page, a
// reload with the network cut reaches Ready, and Setup and Step run the model (in its Web
// Workers, from the cached wasm package). Online, a changed file on the server is used at
// once, not an older cached copy.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, waitReady, stepMonths, BASE_URL, screenshot } from './browser.mjs';

const ORIGIN = new URL(BASE_URL).origin;
/** A change "deployed" to the server for the second online load: a new build's page. */
const NEW_BUILD = '<meta name="test-build" content="second">';

let browser;

before(async () => {
  browser = await launch({ width: 1280, height: 720 });
});

after(async () => {
  await browser?.close();
});

/** Runs `body` with the network cut: the context offline, and any request that still tries
 * to leave the browser (the service worker's included) fails; `body` gets those URLs. */
async function offline(context, body) {
  const reachedNetwork = [];
  const cut = (route) => {
    reachedNetwork.push(route.request().url());
    return route.abort('internetdisconnected');
  };
  await context.route('**/*', cut);
  await context.setOffline(true);
  try {
    await body(reachedNetwork);
  } finally {
    await context.setOffline(false);
    await context.unroute('**/*', cut);
  }
}

/** Waits until the service worker has cached the page's files and controls the page. */
async function waitControlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, { timeout: 30_000 });
}

test('after one visit, a reload with the network cut runs the model', async () => {
  const { context } = browser;
  // Every same-origin file the page and its model workers ask for on the first visit.
  const requested = new Set();
  const onRequest = (request) => {
    const url = request.url();
    if (url.startsWith(ORIGIN) && !request.serviceWorker()) requested.add(url.split('#')[0]);
  };
  context.on('request', onRequest);
  const page = await browser.open('?seed=7');
  await waitControlled(page);
  context.off('request', onRequest);
  assert.ok([...requested].some((u) => u.endsWith('.wasm')), 'the model workers fetched the wasm');

  // Every file of the first visit is in the cache (the crawl missed none), the wasm included.
  const missing = await page.evaluate(async (urls) => {
    const out = [];
    for (const url of urls) {
      const key = new URL(url);
      if (key.pathname.endsWith('/')) key.search = '';
      if (!(await caches.match(key.href))) out.push(url);
    }
    return out;
  }, [...requested]);
  assert.deepEqual(missing, [], 'files of the first visit missing from the offline cache');

  // Cut the network and reload: the page runs from the cache, the model included.
  await offline(context, async (reachedNetwork) => {
    await page.reload();
    await waitReady(page, 30_000);
    assert.ok(reachedNetwork.length > 0, 'the network was tried first and failed');
    const setups = await page.evaluate(() => window.__explorer.setups);
    await page.click('[data-action="setup"]');
    await page.waitForFunction((s) => window.__explorer.setups > s && window.__explorer.day === 0, setups, {
      timeout: 30_000,
    });
    await stepMonths(page, 1);
    assert.ok((await page.evaluate(() => window.__explorer.day)) > 0, 'Step advanced the day');
    await stepMonths(page, 2); // three months, so the time charts draw lines in the picture
    await page.waitForTimeout(500);
    await screenshot(page, 'offline-reload-1280x720.png');
    // The other language's strings were cached too (the first visit was in English), and
    // Chinese renders with the system's fonts: nothing to download.
    await page.selectOption('[data-language]', 'zh-CN');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    assert.equal(await page.textContent('[data-action="go"]'), '运行 ▶');
    assert.deepEqual(await page.evaluate(() => window.__explorer.missingStrings), []);
    await screenshot(page, 'offline-reload-zh-CN-1280x720.png');
  });

  assert.deepEqual(browser.problems, []);
});

test('online, a new build on the server is used at once and replaces the cached copy', async () => {
  const { context } = browser;
  const page = context.pages()[0];
  const isPage = (url) => url.origin === ORIGIN && (url.pathname === '/' || url.pathname.endsWith('/index.html'));
  await context.route(isPage, async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('<head>', `<head>\n  ${NEW_BUILD}`);
    await route.fulfill({ response, body });
  });
  await page.reload();
  await waitReady(page);
  assert.equal(await page.locator('meta[name="test-build"]').count(), 1, 'online, the new build is used');
  await context.unroute(isPage);
  await offline(context, async () => {
    await page.reload();
    await waitReady(page, 30_000);
    assert.equal(await page.locator('meta[name="test-build"]').count(), 1, 'offline, the build last seen online');
  });

  assert.deepEqual(browser.problems, []);
});
