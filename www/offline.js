// Offline after the first visit: registers the service worker (sw.js), which caches the page,
// its modules, the wasm package and the chart bundle; see sw.js for what it caches and how a
// new build reaches the page. Only over http(s) where the browser offers service workers
// (they need a secure context: https, or http on localhost); elsewhere the page runs as
// before, online only.

/** Registers sw.js once the page has loaded, so its caching never competes with the load. */
export function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return;
  const register = () =>
    navigator.serviceWorker.register(new URL('./sw.js', import.meta.url), { scope: './' }).catch((err) => {
      // Offline use is a convenience: the page works without it.
      console.warn(`Offline use is unavailable: ${err.message}`);
    });
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
