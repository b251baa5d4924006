// The explorer's service worker: after one visit the page works offline, model and charts
// included. Registered by offline.js; it handles only GET requests to this origin under its
// scope (www/), so nothing here reaches another origin, and pages served over plain
// file:// or without service workers simply run without it.
//
// What is cached: everything the page needs to run, found by following the page itself at
// install rather than from a hand-kept list (which would go stale as modules are added).
// From index.html: its `src`/`href` resources; from each JavaScript module: its static and
// literal dynamic imports and its `new URL('…', import.meta.url)` assets (the model worker
// sim-worker.js, and the wasm package's glue pkg/consortium_sim.js with its
// consortium_sim_bg.wasm); from each style sheet: its `@import`s and `url(…)`s (fonts). The
// chart bundle vendor/echarts.js is a static import of main.js. A file the crawl finds but
// cannot fetch is skipped (it may be a false match); the page's own URL must load. This
// file itself is left out: the browser fetches it afresh to look for updates.
// Anything else the page or its workers fetch while this worker controls them is cached as
// it passes, so a file loaded some other way is offline from the next visit on.
//
// Cache-busting: network first. Online, every request goes to the server, its answer is
// used and replaces the cached copy; the cache is read only when the network fails. (The
// browser's HTTP cache applies as it would without this worker; scripts/serve.py sends
// `Cache-Control: no-store`.) So a new build (wasm package, modules, page) is in use
// on the first online load after it is deployed and is never hidden behind an old cache,
// whatever this file's version; and offline, the page runs the build last seen online.
// The wasm glue and its .wasm are fetched together on every model start, so the cached pair
// matches unless the network broke between the two requests. Any change to this file
// installs a new worker, which crawls the page again; CACHE carries the version of the
// cache's layout, and a new CACHE is filled afresh while, on activation, every older cache
// of this page is deleted. The worker takes over open pages at
// once (skipWaiting and clients.claim); being network first, that can never swap a page's
// files under it for older ones.
//
// Share links (`?preset=…`) are one page: a navigation is cached and looked up without its
// query. Limitation: a network that hangs rather than fails is waited for, as without this
// worker.

const CACHE_PREFIX = 'consortium-sim-offline-';
const CACHE = `${CACHE_PREFIX}v1`;
/** Where the crawl starts: the page (the scope's index). */
const ENTRY = './';
/** Files the crawl reads for references to more files, by how their name ends. */
const CRAWLED = /\.(?:html|js|mjs|css)$|\/$/;

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !inScope(request.url) || request.headers.has('range')) return;
  event.respondWith(networkFirst(event, request));
});

/** The server's answer, stored for later; the stored copy when the network fails. */
async function networkFirst(event, request) {
  const key = cacheKey(request);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      const copy = response.clone();
      // Kept alive until stored; a copy that fails to store leaves the older one in place.
      event.waitUntil(
        caches
          .open(CACHE)
          .then((cache) => cache.put(key, copy))
          .catch(() => {}),
      );
    }
    return response;
  } catch (networkError) {
    const cached = (await caches.match(key)) || (request.mode === 'navigate' && (await caches.match(entryUrl())));
    if (cached) return cached;
    throw networkError;
  }
}

/** The cache key of a request: a navigation's URL without query or fragment. */
function cacheKey(request) {
  if (request.mode !== 'navigate') return request;
  const url = new URL(request.url);
  url.search = '';
  url.hash = '';
  return url.href;
}

function entryUrl() {
  return new URL(ENTRY, self.registration.scope).href;
}

function inScope(url) {
  return url.startsWith(self.registration.scope);
}

/** Fetches the page and, transitively, every same-scope file it refers to into CACHE. */
async function precache() {
  const cache = await caches.open(CACHE);
  const seen = new Set();
  const queue = [entryUrl()];
  while (queue.length) {
    const batch = queue.splice(0);
    await Promise.all(
      batch.map(async (url) => {
        if (seen.has(url)) return;
        seen.add(url);
        let response;
        try {
          response = await fetch(url, { cache: 'no-store' });
        } catch (err) {
          if (url === entryUrl()) throw err;
          return;
        }
        if (!response.ok) {
          if (url === entryUrl()) throw new Error(`offline cache: ${url} answered ${response.status}`);
          return;
        }
        if (CRAWLED.test(new URL(url).pathname)) {
          const text = await response.clone().text();
          for (const ref of references(text, url)) if (!seen.has(ref)) queue.push(ref);
        }
        await cache.put(url, response);
      }),
    );
  }
}

/** Same-scope URLs that a page, module or style sheet at `base` refers to. */
function references(text, base) {
  const patterns = [
    /\b(?:src|href)\s*=\s*["']([^"'#?]+)/g, // HTML: scripts, style sheets, icons, images
    /\b(?:import|export)\b[^"'`;()]*?\bfrom\s*["']([^"']+)["']/g, // static imports and re-exports
    /\bimport\s*["']([^"']+)["']/g, // side-effect imports
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, // literal dynamic imports
    /\bnew\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url/g, // workers, wasm, assets
    /@import\s+(?:url\()?\s*["']([^"']+)["']/g, // style sheets
    /\burl\(\s*["']?([^"')]+?)["']?\s*\)/g, // fonts and images in style sheets
  ];
  const found = new Set();
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) {
      const ref = match[1].trim();
      if (!ref || /^(?:data|blob|javascript|mailto):/i.test(ref)) continue;
      let url;
      try {
        url = new URL(ref, base);
      } catch {
        continue;
      }
      url.hash = '';
      if (inScope(url.href) && url.href !== self.location.href) found.add(url.href);
    }
  }
  return found;
}
