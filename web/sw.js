// Service worker: precache this build's files (the list is baked in by build.py), serve them
// offline, and never mix files of two builds: each build has its own cache.
// The ORT wasm binary (14 MB) is cached when first used, not precached.
const SCOPE = new URL("./", self.location).href;
const M = __PRECACHE__;   // written by build.py: {build, files, runtime}
const CACHE = `digitpad-${M.build}`;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // cache: "reload" bypasses the HTTP cache so that this build's bytes are what we store
    await cache.addAll(M.files.map((f) => new Request(f, { cache: "reload" })));
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("digitpad-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "skip-waiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || !req.url.startsWith(SCOPE)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const url = new URL(req.url);
    const path = url.pathname.slice(new URL(SCOPE).pathname.length) || "index.html";
    const key = req.mode === "navigate" ? "index.html" : path;
    const hit = await cache.match(key, { ignoreSearch: true });
    if (hit) return hit;
    const res = await fetch(req);
    if (res.ok && M.runtime.some((p) => path === p)) await cache.put(key, res.clone());
    return res;
  })());
});
