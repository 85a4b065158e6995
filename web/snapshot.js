// A memory snapshot of the started interpreter, for return visits (measured: ready 1425 → 1100 ms,
// median of 8 return visits each way; docs/performance.md). Made once, after a visit, by
// snapshot-worker.js; restored by the Python worker before anything else runs.
//
// It holds Python with the standard library modules the page uses already imported, and no
// extension module (a snapshot cannot hold one; numpy and Pillow load after the restore). It is
// kept in Cache Storage under a key of everything it depends on (the build's Pyodide runtime,
// standard library and module list: BOOT.snapshot.key) with its sha256; a snapshot of another
// build, or one whose bytes do not match, is deleted and the start is a normal one, silently.
export const CACHE = "digitpad.snapshot";   // not "digitpad-…": the service worker's clean-up leaves it
const IDLE_MS = 4000;                       // made only once the person has paused this long

export const url = (key) => new URL(`./snapshot/${key}`, self.location.href).href;

export async function sha256(bytes) {
  const d = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// Pyodide 0.27.7's snapshot header: magic, header length, JSON length, 0, its build id. Bytes of
// another shape would make Pyodide size its memory from them and hang on a failed instantiation.
const MAGIC = 1886286592, MIN_BYTES = 1 << 20;
function looksLikeSnapshot(bytes) {
  if (bytes.length < MIN_BYTES || bytes.length % 4) return false;
  const h = new Uint32Array(bytes.buffer, bytes.byteOffset, 4);
  return h[0] === MAGIC && h[1] < bytes.length && h[2] <= h[1];
}

// {bytes, state: "found"}, or {bytes: null, state: "none" | "stale" | "damaged" | "unavailable"}
export async function readSnapshot(key) {
  let cache;
  try { cache = await caches.open(CACHE); } catch { return { bytes: null, state: "unavailable" }; }
  try {
    const r = await cache.match(url(key));
    if (!r) return { bytes: null, state: (await cache.keys()).length ? "stale" : "none" };
    const bytes = new Uint8Array(await r.arrayBuffer());
    if ((await sha256(bytes)) === r.headers.get("x-sha256") && looksLikeSnapshot(bytes)) return { bytes, state: "found" };
    await cache.delete(url(key));
    return { bytes: null, state: "damaged" };
  } catch {
    return { bytes: null, state: "damaged" };
  }
}

export async function dropSnapshot(key) {
  try { await (await caches.open(CACHE)).delete(url(key)); } catch { /* nothing to drop */ }
}

// Once the person has paused, a worker of its own makes the snapshot: `onDone(state)` with
// "made" or "failed". `touch()` (every action) puts it off again.
export function makeSnapshotWhenIdle(boot, onDone) {
  let timer = null, started = false;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      started = true;
      const w = new Worker(new URL("./snapshot-worker.js", import.meta.url), { type: "module" });
      w.onmessage = (e) => { onDone(e.data.state); w.terminate(); };
      w.onerror = () => { onDone("failed"); w.terminate(); };
      w.postMessage(boot);
    }, IDLE_MS);
  };
  arm();
  return { touch: () => { if (!started) arm(); } };
}
