// The Python worker's files: its bundles checked by sha256 and unpacked into Pyodide's file
// system, its extension modules compiled and preloaded, and a look for missing Pyodide files.
// Every URL is relative to this folder (the app folder), as the worker's own are.
const base = new URL(".", import.meta.url);

export class BootError extends Error {
  constructor(phase, message) { super(message); this.phase = phase; }
}

export async function sha256(bytes) {
  const d = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// A bundle whose hash does not match (a copy cut short by an upload, a cache that kept a broken
// one) is fetched once more past every cache before it is reported.
export async function fetchBundle([path, want, , label]) {
  const failed = `${label} could not be loaded: ${path}`;
  for (const cache of ["default", "reload"]) {
    let r;
    try { r = await fetch(new URL(path, base), { cache }); } catch (e) {
      throw new BootError("packages", `${failed} could not be downloaded${offline()} (${e.message}).`);
    }
    if (!r.ok) throw new BootError("packages", `${failed} is missing on the server (HTTP ${r.status}).${UPDATING}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    if ((await sha256(bytes)) === want) return bytes;
  }
  throw new BootError("packages", `${failed} is corrupt (its sha256 does not match this build, even fetched afresh).${UPDATING}`);
}

export const UPDATING = " If the site is being updated, try again in a minute.";
export const offline = () => (navigator.onLine === false ? " while offline" : "");

export async function compileLib([path, rel]) {
  let r;
  try { r = await fetch(new URL(path, base)); } catch (e) {
    throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${path} could not be downloaded${offline()} (${e.message}).`);
  }
  if (!r.ok) throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${path} is missing on the server (HTTP ${r.status}).${UPDATING}`);
  try {
    return { rel, module: await WebAssembly.compileStreaming(r) };
  } catch (e) {
    throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${path} could not be compiled (${e.message}).`);
  }
}

// Instantiate each compiled extension module the way Pyodide's loadDynlib does (local symbols,
// never unloaded) and leave it where Emscripten's dlopen looks first, so Python's import finds
// it loaded. The files themselves exist in site-packages (written empty) for the import finder.
export function preloadLibs(py, site, libs) {
  const M = py._module;
  for (const { rel, module } of libs) {
    const path = `${site}/${rel}`;
    M.preloadedWasm[path] = M.loadWebAssemblyModule(module, { loadAsync: false, nodelete: true, allowUndefined: true, global: false }, path, {});
  }
}

// A tar.gz (USTAR, as buildtools/pyodide_site.py writes it) into Pyodide's file system.
export async function untar(gz, FS, dest) {
  const stream = new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"));
  const buf = new Uint8Array(await new Response(stream).arrayBuffer());
  const text = (b) => { const i = b.indexOf(0); return new TextDecoder().decode(i < 0 ? b : b.subarray(0, i)); };
  for (let off = 0; off + 512 <= buf.length;) {
    const h = buf.subarray(off, off + 512);
    if (h[0] === 0) break;
    const prefix = text(h.subarray(345, 500)), name = text(h.subarray(0, 100));
    const size = parseInt(text(h.subarray(124, 136)).trim() || "0", 8);
    const path = `${dest}/${prefix ? prefix + "/" : ""}${name}`.replace(/\/$/, "");
    off += 512;
    if (h[156] === 0x35) FS.mkdirTree(path);                        // '5': a directory
    else FS.writeFile(path, buf.subarray(off, off + size));
    off += Math.ceil(size / 512) * 512;
  }
}

// Pyodide never settles its promise when its .wasm is missing, so look for its files if it has
// not started after a few seconds (a normal start sends no extra request). Offline the service
// worker has them, and a network error is not a 404.
export async function missingFiles(files, settled) {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  if (settled()) return new Promise(() => {});
  const missing = [];
  await Promise.all(files.map(async (f) => {
    const url = new URL(f, base);
    try {   // a 404 the browser keeps (a host's max-age covers errors too), or one the server sends now
      const cached = await fetch(url, { cache: "only-if-cached", mode: "same-origin" }).catch(() => null);
      if (cached && cached.body) cached.body.cancel();
      const r = cached && cached.status === 404 ? cached : await fetch(url, { method: "HEAD", cache: "no-store" });
      if (r.status === 404) missing.push(f);
    } catch { /* offline */ }
  }));
  if (missing.length) throw new BootError("runtime", `Python (Pyodide) could not start: ${missing.join(", ")} missing on the server (HTTP 404).${UPDATING}`);
  return new Promise(() => {});     // nothing missing: never settles, the race is loadPyodide's
}

