// Service worker: precache this build's files (the list is baked in by build.py), serve them
// offline, and never mix files of two builds: each build has its own cache.
// The backend's runtime files (the 14 MB ORT wasm binary, the fallback models) are not
// precached: the page asks for the ones it used ("cache-runtime"), and a controlled page's
// first use of one is cached on its way through.
const SCOPE = new URL("./", self.location).href;
const M = __PRECACHE__;   // written by build.py: {build, files: [[path, sha256]], runtime: [[path, sha256]]}
const CACHE = `digitpad-${M.build}`;
const RUNTIME = new Map(M.runtime);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(M.files.map(([path, sha]) => keep(cache, path, sha)));
  })());
});

// Revalidate (a 304 costs no download), then check the body against this build's hash: a stale
// copy from an HTTP cache is fetched again, so two builds are never mixed.
async function keep(cache, path, sha) {
  let res = await fetch(path, { cache: "no-cache" });
  if (res.ok && (await hash(res.clone())) !== sha) res = await fetch(path, { cache: "reload" });
  if (!res.ok || (await hash(res.clone())) !== sha) throw new Error(`${path} does not match build ${M.build}`);
  await cache.put(path, res);
}

async function hash(res) {
  const d = await crypto.subtle.digest("SHA-256", await res.arrayBuffer());
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("digitpad-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  if (type === "skip-waiting") self.skipWaiting();
  if (type === "cache-runtime") {
    const reply = event.ports[0];
    event.waitUntil((async () => {
      try {
        const cache = await caches.open(CACHE);
        for (const path of event.data.files || []) {
          if (RUNTIME.has(path) && !(await cache.match(path))) await keep(cache, path, RUNTIME.get(path));
        }
        reply.postMessage({ ok: true });
      } catch (e) {
        reply.postMessage({ ok: false, error: String(e.message || e) });
      }
    })());
  }
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
    if (res.ok && RUNTIME.has(path)) await cache.put(key, res.clone());
    return res;
  })());
});
