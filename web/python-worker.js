// The Python worker: Pyodide and digitpad (the app's logic). The networks run in the model
// worker, reached over a MessagePort. Every URL is relative to this file (any sub-path works).
//
// Start-up, each step measured by `build.py bench` (README: where the time goes):
//   * the two site-packages bundles (numpy + Pillow, digitpad: trimmed and precompiled at build
//     time) download while Pyodide's runtime starts, and are unpacked into its file system by
//     plain JavaScript before Python runs, instead of by Python through loadPackage;
//   * the standard library is precompiled too, so Python compiles no source at all;
//   * the extension modules (numpy's, Pillow's .so) are compiled by WebAssembly.compileStreaming,
//     which Chromium caches (compiled and optimized code) across visits, then handed to
//     Emscripten's loader as modules: Emscripten would compile them from bytes on every visit.
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";

const BOOT = __BOOT__;   // written by build.py: {"bundles": [[path, sha256], ...], "libs": [[path, site path], ...]}
const base = new URL(".", import.meta.url);
let app = null;          // digitpad.browser.App (a PyProxy)
let pyodide = null;
let model = null;        // MessagePort to the model worker
let meta = null;         // resolves to models.json, sent by the model worker
const waiting = new Map();
let nextRun = 1;
const queue = [];
let busy = false;

const post = (msg) => self.postMessage(msg);
const mark = (name) => performance.mark(name);
const progress = (phase, fraction, label) => post({ type: "progress", phase, fraction, label });

class BootError extends Error {
  constructor(phase, message) { super(message); this.phase = phase; }
}

async function sha256(bytes) {
  const d = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function fetchBundle([path, want]) {
  let r;
  try { r = await fetch(new URL(path, base)); } catch (e) {
    throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${path} could not be downloaded (${e.message}).`);
  }
  if (!r.ok) throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${path} is missing on the server (HTTP ${r.status}).`);
  const bytes = new Uint8Array(await r.arrayBuffer());
  if ((await sha256(bytes)) !== want) {
    throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${path} is corrupt (its sha256 does not match this build).`);
  }
  return bytes;
}

async function compileLib([path, rel]) {
  let r;
  try { r = await fetch(new URL(path, base)); } catch (e) {
    throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${path} could not be downloaded (${e.message}).`);
  }
  if (!r.ok) throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${path} is missing on the server (HTTP ${r.status}).`);
  try {
    return { rel, module: await WebAssembly.compileStreaming(r) };
  } catch (e) {
    throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${path} could not be compiled (${e.message}).`);
  }
}

// Instantiate each compiled extension module the way Pyodide's loadDynlib does (local symbols,
// never unloaded) and leave it where Emscripten's dlopen looks first, so Python's import finds
// it loaded. The files themselves exist in site-packages (written empty) for the import finder.
function preloadLibs(py, site, libs) {
  const M = py._module;
  for (const { rel, module } of libs) {
    const path = `${site}/${rel}`;
    M.preloadedWasm[path] = M.loadWebAssemblyModule(module, { loadAsync: false, nodelete: true, allowUndefined: true, global: false }, path, {});
  }
}

// A tar.gz (USTAR, as buildtools/pyodide_site.py writes it) into Pyodide's file system.
async function untar(gz, FS, dest) {
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

// Pyodide never settles its promise when its .wasm is missing, so look for its files alongside
// (not before) loading. Offline the service worker has them, and a network error is not a 404.
async function missingFiles(files) {
  const missing = [];
  await Promise.all(files.map(async (f) => {
    try {
      const r = await fetch(new URL(f, base), { method: "HEAD", cache: "no-store" });
      if (r.status === 404) missing.push(f);
    } catch { /* offline */ }
  }));
  if (missing.length) throw new BootError("runtime", `Python (Pyodide) could not start: ${missing.join(", ")} missing on the server (HTTP 404).`);
  return new Promise(() => {});     // nothing missing: never settles, the race is loadPyodide's
}

async function loadPython() {
  mark("python:start");
  const bundles = BOOT.bundles.map(fetchBundle);
  const libs = Promise.all(BOOT.libs.map(compileLib));
  [...bundles, libs].forEach((b) => b.catch(() => {}));        // reported after Pyodide's own errors
  let unpacked = Promise.resolve(), site = null;
  const started = loadPyodide({
    indexURL: new URL("./vendor/pyodide/", base).href,
    lockFileURL: new URL("./vendor/pyodide/pyodide-lock.json", base).href,
    fsInit: async (FS, { sitePackages }) => {       // runs before Python starts
      mark("python:runtime");
      site = sitePackages;
      unpacked = (async () => {
        for (const b of bundles) await untar(await b, FS, sitePackages);
        for (const [, rel] of BOOT.libs) FS.writeFile(`${sitePackages}/${rel}`, new Uint8Array(0));
      })();
      await unpacked.catch(() => {});
      mark("python:unpacked");
    },
  });
  try {
    pyodide = await Promise.race([started, missingFiles(["vendor/pyodide/pyodide.asm.wasm", "vendor/pyodide/pyodide.asm.js",
      "vendor/pyodide/python_stdlib.zip", "vendor/pyodide/pyodide-lock.json"])]);
  } catch (e) {
    throw e instanceof BootError ? e : new BootError("runtime", `Python (Pyodide) could not start: ${e.message || e}`);
  }
  await unpacked;                                   // a bundle's own error, with its name
  mark("python:started");
  preloadLibs(pyodide, site, await libs);
  mark("python:libs");
  progress("packages", 0.6, "Importing numpy and Pillow");
  let browser;
  try {
    browser = pyodide.pyimport("digitpad.browser");
  } catch (e) {
    throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded: ${String(e.message || e).trim().split("\n").pop()}`);
  }
  mark("python:imported");
  return browser;
}

async function boot(msg) {
  mark("boot");
  model = msg.port;
  meta = new Promise((resolve) => {
    model.onmessage = (e) => {
      if (e.data.type === "meta") resolve(e.data.meta);
      else if (e.data.type === "result" && waiting.has(e.data.id)) { waiting.get(e.data.id)(e.data); waiting.delete(e.data.id); }
    };
  });
  progress("runtime", 0.1, "Starting Python (Pyodide)");
  const browser = await loadPython();
  const m = await meta;
  app = browser.create_app(JSON.stringify(m));      // also warms up: the first stroke pays no first-call costs
  mark("python:ready");
  const marks = performance.getEntriesByType("mark").map((k) => [k.name, performance.timeOrigin + k.startTime]);
  post({ type: "ready", marks });
}

function runModel(batch) {
  return new Promise((resolve) => {
    const id = nextRun++;
    waiting.set(id, resolve);
    const data = batch instanceof Float32Array ? batch : Float32Array.from(batch);
    model.postMessage({ type: "run", id, batch: data, n: data.length / 784 }, [data.buffer]);
  });
}

// One action: Python does it and hands out a batch, the model worker runs the batch, Python
// turns the outputs into the reply. A stroke followed at once by another stroke skips its own
// model run: the next one answers for the drawing as it will be.
async function act(msg, next) {
  const t0 = performance.now();
  let reply;
  try {
    let batch = app.begin(msg.action, msg.payload || {});
    let out = null;
    if (batch && next && next.type === "act" && next.action === msg.action) {
      batch = null;
    }
    if (batch) out = await runModel(batch);
    reply = JSON.parse(out && !out.error ? app.end(out.digits, out.gate) : app.end());
    if (out && out.error) reply.error = out.error;
  } catch (e) {
    reply = { error: `Python error: ${String(e.message || e).trim().split("\n").pop()}` };
  }
  reply.ms = performance.now() - t0;
  post({ type: "result", id: msg.id, result: reply });
}

async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const msg = queue.shift();
    if (msg.type === "boot") {
      try { await boot(msg); } catch (e) {
        post({ type: "fatal", phase: e.phase || "runtime", message: e.message || String(e) });
      }
    } else if (msg.type === "act") {
      if (!app) post({ type: "result", id: msg.id, result: { error: "Still loading." } });
      else await act(msg, queue[0]);
    }
  }
  busy = false;
}

self.onmessage = (ev) => { queue.push(ev.data); pump(); };

// For the browser test that imports every module the page uses (the bundles are trimmed):
// the names that fail to import here.
self.failedImports = (names) => names.filter((name) => {
  try { pyodide.pyimport(name); return false; } catch { return true; }
});
self.sourceModules = () => pyodide.pyimport("digitpad.browser").compiled_from_source().toJs();
