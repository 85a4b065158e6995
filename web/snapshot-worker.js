// Makes the interpreter snapshot that return visits restore (snapshot.js says why and what).
// A Pyodide of its own, started as the page's is, imports the standard library modules the page
// uses, is snapshotted before any extension module is loaded, and the bytes are stored with their
// sha256; snapshots of other builds are deleted.
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";
import { CACHE, sha256, url } from "./snapshot.js";

self.onmessage = async ({ data: { key, modules } }) => {
  try {
    const py = await loadPyodide({
      indexURL: new URL("./vendor/pyodide/", import.meta.url).href,
      lockFileURL: new URL("./vendor/pyodide/pyodide-lock.json", import.meta.url).href,
      env: { PYTHONOPTIMIZE: "2" },       // as the page's Python: the same interpreter state
      _makeSnapshot: true,
    });
    let imported = 0;
    for (const name of modules) {
      try { py.pyimport(name).destroy(); imported++; } catch { /* not importable on its own: left to the page */ }
    }
    const bytes = py.makeMemorySnapshot();
    const cache = await caches.open(CACHE);
    for (const req of await cache.keys()) if (req.url !== url(key)) await cache.delete(req);
    await cache.put(url(key), new Response(bytes, { headers: { "x-sha256": await sha256(bytes) } }));
    self.postMessage({ state: "made", imported, bytes: bytes.length });
  } catch (e) {
    self.postMessage({ state: "failed", error: String(e.message || e) });
  }
};
