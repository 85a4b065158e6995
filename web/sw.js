// Service worker: precache this build's files (the list is baked in by build.py), serve them
// offline, and never mix files of two builds: each build has its own cache.
// The ORT wasm binary (14 MB) is cached when first used, not precached: the page waits for this
// worker's control before it loads anything, so that first use passes through here.
const SCOPE = new URL("./", self.location).href;
const M = __PRECACHE__;   // written by build.py: {build, files: [[path, sha256]], runtime}
const CACHE = `digitpad-${M.build}`;

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Revalidate (a 304 costs no download), then check every file against this build's hash:
    // a stale copy from an HTTP cache is fetched again, so two builds are never mixed.
    await Promise.all(M.files.map(async ([path, sha]) => {
      let res = await fetch(path, { cache: "no-cache" });
      if (res.ok && (await hash(res.clone())) !== sha) res = await fetch(path, { cache: "reload" });
      if (!res.ok || (await hash(res.clone())) !== sha) throw new Error(`${path} does not match build ${M.build}`);
      await cache.put(path, res);
    }));
  })());
});

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
