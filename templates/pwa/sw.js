// StakeEasy's service worker, drawn by app/pwa/routes.py and served at /sw.js so its scope is the whole site.
// It keeps exactly two kinds of thing: the fingerprinted static files and the offline page (drawn without a
// session, the same for everyone). Pages and API answers carry a player's money: they always go to the
// network and are never stored. A page the network cannot answer gets the offline page, which labels the
// figures it shows as the last ones this browser saw, not current ones. POSTs are never touched.
const VERSION = {{ version|tojson }};
const CACHE = `stakeeasy-static-${VERSION}`;
const OFFLINE_URL = {{ offline_url|tojson }};
const PRECACHE = {{ precache|tojson }};
const PRECACHED = new Set(PRECACHE);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Without cookies: what is stored must not depend on who is logged in.
    await cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "omit" })));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // A deploy brings a new version: the caches of earlier ones go.
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("stakeeasy-") && name !== CACHE).map((name) => caches.delete(name)));
    if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
    await self.clients.claim();
  })());
});

async function navigate(event) {
  try {
    const preloaded = await event.preloadResponse;
    return preloaded || await fetch(event.request);
  } catch (_error) {
    // No network: the offline page, under the address that was asked for.
    const cache = await caches.open(CACHE);
    return (await cache.match(OFFLINE_URL, { ignoreVary: true })) || Response.error();
  }
}

async function precached(request) {
  const cache = await caches.open(CACHE);
  return (await cache.match(request, { ignoreVary: true })) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(event));  // network first; never stored
  } else if (PRECACHED.has(url.pathname + url.search) && url.pathname !== OFFLINE_URL) {
    event.respondWith(precached(request));
  }
  // Anything else (htmx requests, /api/, downloads) goes to the network as if there were no worker.
});
