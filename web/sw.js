// Service worker: precache this build's files (the list is baked in by build.py), serve them
// offline, and never mix files of two builds: each build has its own cache, and every file but
// index.html lives in a folder named by its contents' hash.
//
// A new build takes over only with a complete cache: its own files, plus the runtime files
// (the 14 MB ORT wasm binary, a fallback network) that an older build's cache shows this device
// uses, each checked by sha256. Files already held, by this build's earlier try or by an older
// build under the same immutable URL, are copied, not downloaded. Only then are old caches deleted.
const SCOPE = new URL("./", self.location).href;
const M = __PRECACHE__;   // written by build.py: {build, version, files: [[path, sha256]], runtime: [[path, sha256, role]]}
const CACHE = `digitpad-${M.build}`;
const RUNTIME = new Map(M.runtime.map(([path, sha]) => [path, sha]));
const role = (path) => path.replace(/-[0-9a-f]{10}(?=\/)/g, "");   // app-1a2b3c4d5e/x.js -> app/x.js
const NUDGE = "update-nudge";   // see sw-client.js: a navigation that makes Chromium retry an activation
const pathOf = (url) => (url.startsWith(SCOPE) ? url.slice(SCOPE.length).split(/[?#]/)[0] : null);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    const older = await olderCaches();
    const used = new Set();
    for (const c of older) for (const req of await c.keys()) used.add(role(pathOf(req.url) || ""));
    const wanted = [...M.files, ...M.runtime.filter(([, , r]) => used.has(r))];
    try {
      await Promise.all(wanted.map(([path, sha]) => keep(cache, path, sha, older)));
    } catch (e) {
      // the page stays on the build it has, and says why (a later visit tries again)
      tell({ type: "install-failed", build: M.build, error: String(e.message || e) });
      throw e;
    }
  })());
});

async function olderCaches() {
  const names = (await caches.keys()).filter((k) => k.startsWith("digitpad-") && k !== CACHE);
  return Promise.all(names.map((k) => caches.open(k)));
}

async function tell(msg) {
  for (const c of await self.clients.matchAll({ includeUncontrolled: true, type: "window" })) c.postMessage(msg);
}

// Already held (an earlier try, or an older build under the same immutable URL) and intact:
// copied. Otherwise revalidated (a 304 costs no download) and checked against this build's hash;
// a stale or cut-short copy from an HTTP cache is fetched once more past it.
async function keep(cache, path, sha, older = []) {
  const held = await cache.match(path);
  if (held && (await hash(held)) === sha) return;
  for (const c of older) {
    const r = await c.match(path);
    if (r && (await hash(r.clone())) === sha) { await cache.put(path, r); return; }
  }
  let res = await fetch(path, { cache: "no-cache" });
  if (res.ok && (await hash(res.clone())) !== sha) res = await fetch(path, { cache: "reload" });
  if (!res.ok) throw new Error(`${path} is missing on the server (HTTP ${res.status})`);
  if ((await hash(res.clone())) !== sha) throw new Error(`${path} does not match build ${M.build}`);
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
  const reply = event.ports[0];
  if (type === "skip-waiting") self.skipWaiting();
  if (type === "build" && reply) reply.postMessage({ build: M.build, version: M.version });
  if (type === "cache-runtime" && reply) {
    event.waitUntil((async () => {
      try {
        const cache = await caches.open(CACHE);
        for (const path of (event.data.files || []).map(pathOf)) {
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
  const path = pathOf(req.url);
  if (req.method !== "GET" || path === null) return;
  if (path === NUDGE) { event.respondWith(new Response(null, { status: 204 })); return; }
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const key = req.mode === "navigate" ? "index.html" : path;
    const hit = await cache.match(key);
    if (hit) return hit;
    const res = await fetch(req);
    if (res.ok && RUNTIME.has(path)) await cache.put(key, res.clone());
    return res;
  })());
});
