/*
 * Cross-origin isolation for static hosts that cannot send headers (GitHub Pages and the like).
 * The wasm backend needs SharedArrayBuffer for its threads, and a page only gets it when its
 * responses carry COOP and COEP headers. Loaded as a page script, this file registers itself as
 * a service worker and reloads the page once, so the page comes back through it; as the
 * service worker it adds those two headers to every response of this folder. Where the page is
 * already isolated (a server that sends the headers, `npm run dev`, `npm run preview`) it does
 * nothing; where service workers are unavailable the studio trains on one wasm thread and says so.
 * The known way to do this; written here rather than vendored because it is this small.
 */
/* global self, window, navigator, sessionStorage, location, document */
if (typeof window === 'undefined') {
  self.addEventListener('install', () => self.skipWaiting());
  self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
  self.addEventListener('fetch', (event) => {
    const request = event.request;
    // a request the service worker cannot repeat (DevTools' only-if-cached outside same-origin)
    if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
    event.respondWith(
      fetch(request).then((response) => {
        // opaque and error responses cannot be rewritten
        if (response.status === 0) return response;
        const headers = new Headers(response.headers);
        headers.set('Cross-Origin-Opener-Policy', 'same-origin');
        headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
        return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
      }),
    );
  });
} else {
  (() => {
    const KEY = 'nas-studio.coi-reloaded';
    if (window.crossOriginIsolated) {
      sessionStorage.removeItem(KEY);
      return;
    }
    if (!window.isSecureContext || !('serviceWorker' in navigator)) return;
    // once per tab session: a browser that stays unisolated under the worker must not reload for ever
    const reloadOnce = () => {
      if (sessionStorage.getItem(KEY)) return;
      sessionStorage.setItem(KEY, '1');
      location.reload();
    };
    const script = document.currentScript && document.currentScript.src;
    if (!script) return;
    navigator.serviceWorker.register(script).then(
      (registration) => {
        if (navigator.serviceWorker.controller) {
          // controlled but not isolated: this page was loaded before the worker took over
          reloadOnce();
          return;
        }
        const worker = registration.installing || registration.waiting || registration.active;
        if (!worker) return;
        if (worker.state === 'activated') reloadOnce();
        else worker.addEventListener('statechange', () => worker.state === 'activated' && reloadOnce());
      },
      (error) => console.warn(`NAS Studio: the cross-origin isolation service worker did not register (${error && error.message}); wasm trains on one thread`),
    );
  })();
}
