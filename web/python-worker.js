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
import { openStore } from "./store.js";
import { photoInput } from "./photo-input.js";
import { BootError, compileLib, fetchBundle, missingFiles, offline, preloadLibs, untar, UPDATING } from "./python-files.js";

// Written by build.py: {"paths": {"pyodide": "../vendor/pyodide-<hash>/", ...}, "bundles": [[path,
// sha256, where it unpacks, what it is], ...] (the standard library, numpy + Pillow, digitpad),
// "libs": [[path, site path], ...]}. Every folder is named by its contents' hash.
const BOOT = __BOOT__;
const pyodideDir = new URL(BOOT.paths.pyodide, import.meta.url).href;
const pyodideModule = import(`${pyodideDir}pyodide.mjs`);   // at once, as a static import would
pyodideModule.catch(() => {});                             // reported by loadPython
const base = new URL(".", import.meta.url);
let app = null;          // digitpad.browser.App (a PyProxy)
let pyodide = null;
let model = null;        // MessagePort to the model worker
let meta = null;         // resolves to models.json, sent by the model worker
const waiting = new Map();
let nextRun = 1;
const queue = [];
let busy = false;
let dead = null;         // set once Python has failed for good: every later action is answered at once
let store = null;        // the IndexedDB sample store (store.js), opened on first use

const post = (msg, transfer = []) => self.postMessage(msg, transfer);
const mark = (name) => performance.mark(name);
const now = () => performance.timeOrigin + performance.now();   // comparable across threads
const progress = (phase, fraction, label) => post({ type: "progress", phase, fraction, label });

async function loadPython() {
  mark("python:start");
  const bundles = BOOT.bundles.map(fetchBundle);
  const libs = Promise.all(BOOT.libs.map(compileLib));
  [...bundles, libs].forEach((b) => b.catch(() => {}));        // reported after Pyodide's own errors
  const dir = pyodideDir;
  let loadPyodide;
  try { ({ loadPyodide } = await pyodideModule); } catch (e) {
    throw new BootError("runtime", `Python (Pyodide) could not start: ${BOOT.paths.pyodide}pyodide.mjs could not be loaded${offline()} (${e.message || e}).${UPDATING}`);
  }
  let unpacked = Promise.resolve(), site = null;
  const started = loadPyodide({
    indexURL: dir,
    lockFileURL: `${dir}pyodide-lock.json`,
    // as `python -OO`: the build compiled every module without docstrings (a third fewer bytes),
    // and numpy adds its C functions' docstrings only when this flag says they are wanted
    env: { PYTHONOPTIMIZE: "2" },
    fsInit: async (FS, { sitePackages }) => {       // runs before Python starts
      mark("python:runtime");
      site = sitePackages;
      unpacked = (async () => {
        for (const [i, b] of bundles.entries()) await untar(await b, FS, BOOT.bundles[i][2]);
        for (const [, rel] of BOOT.libs) FS.writeFile(`${sitePackages}/${rel}`, new Uint8Array(0));
      })();
      await unpacked.catch(() => {});
      mark("python:unpacked");
    },
  });
  let settled = false;
  started.then(() => { settled = true; }, () => { settled = true; });
  try {
    // a bundle that fails (the standard library's too, without which Python cannot start) is
    // reported with its own name, before whatever Pyodide makes of its absence
    const bundleFailed = Promise.all(bundles).then(() => new Promise(() => {}));
    pyodide = await Promise.race([bundleFailed, started, missingFiles(["pyodide.asm.wasm", "pyodide.asm.js",
      "python_stdlib.zip", "pyodide-lock.json"].map((f) => BOOT.paths.pyodide + f), () => settled)]);
  } catch (e) {
    throw e instanceof BootError ? e : new BootError("runtime", `Python (Pyodide) could not start: ${e.message || e}`);
  }
  await unpacked;                                   // a bundle's own error, with its name
  mark("python:started");
  pyodide._api.on_fatal = died;                     // Pyodide calls this on any fatal error
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
  // The same for Python while the person reaches for the pad, unless work has come in already
  setTimeout(() => { if (!busy && !queue.length && !dead) try { browser.rehearse(app); } catch { /* only a rehearsal */ } }, 0);
}

// features: whether the outputs should carry the features too (personal heads on, or a fit):
// otherwise 4 KB an image that nobody reads (a heat map's batch is hundreds of images).
// layers: every layer's output too (the inside view; one image).
function runModel(batch, features = false, layers = false) {
  const data = batch instanceof Float32Array ? batch : Float32Array.from(batch);
  return askModel({ type: "run", batch: data, n: data.length / 784, features, layers }, [data.buffer]);
}

// One message to the model worker; its answer, matched by id.
function askModel(msg, transfer = []) {
  return new Promise((resolve) => {
    const id = nextRun++;
    waiting.set(id, resolve);
    model.postMessage({ ...msg, id }, transfer);
  });
}

// A Python that failed for good (Pyodide's fatal errors: a stack overflow, out of memory) is
// reported once, with a reload offered, instead of leaving every later action unanswered.
function died(e) {
  if (!dead) {
    dead = `Python stopped working (${String(e && e.message || e).trim().split("\n").pop()}).`;
    post({ type: "dead", message: dead });
  }
  return { error: `${dead} Reload the page to start again; your stored samples are kept.` };
}

function failed(e) {
  const text = String(e && e.message || e);
  if (dead || e && e.pyodide_fatal_error || /fatally failed|already exited|can no longer be used/.test(text)) return died(e);
  return { error: `Python error: ${text.trim().split("\n").pop()}` };
}

// Python's half of an action (begin, the model run, end) is one at a time: a stroke's answer never
// starts while a teaching action waits for its networks, nor the other way round. The waits for
// storage are outside it, so a stroke is answered while teaching reads IndexedDB.
let pythonFree = Promise.resolve();
function exclusive(fn) {
  const run = pythonFree.then(fn);
  pythonFree = run.then(() => {}, () => {});
  return run;
}

// A Python action without the networks (the Collect panel's): its reply as an object.
function python(action, payload, progress) {
  return exclusive(() => {
    app.begin(action, payload, progress);
    return JSON.parse(app.end());
  });
}

function joinOutputs(outs) {
  const bad = outs.find((o) => o.error);
  if (bad) return bad;
  const join = (arrays) => {
    const all = new Float32Array(arrays.reduce((n, a) => n + a.length, 0));
    let at = 0;
    for (const a of arrays) { all.set(a, at); at += a.length; }
    return all;
  };
  const all = (k) => (outs[0][k] ? join(outs.map((o) => o[k])) : null);
  return { digits: all("digits"), digitOrNot: all("digitOrNot"), h: all("h"), g: all("g"), layers: outs[0].layers || null };
}

// One action: Python does it and hands out a batch, the model worker runs the batch, Python
// turns the outputs into the reply. A stroke followed at once by another stroke skips its own
// model run: the next one answers for the drawing as it will be.
async function act(msg, next) {
  let reply;
  // Where the time goes (build.py bench): clock readings on the one clock all threads share.
  const timing = { python_in: now() };
  let shown = null;
  if (msg.action === "photo") {
    try {
      ({ payload: msg.payload, shown } = await photoInput(msg.payload || {}, () => unpack("photo", "Photos cannot be read")));
      timing.photo_in = now();
    } catch (e) {
      post({ type: "result", id: msg.id, result: { error: String(e.message || e), timing } });
      return;
    }
  }
  if (msg.action === "inside" && !insideHeld) {
    try { msg.payload = { ...msg.payload, load: await loadInside() }; } catch (e) {
      post({ type: "result", id: msg.id, result: { error: String(e.message || e), timing } });
      return;
    }
  }
  if (TEACHING.has(msg.action) && personalReady) await personalReady.written();   // after the last fit's write
  if (msg.action === "personal_fit" || msg.action === "personal_restore") {
    try { msg.payload = { ...msg.payload, ...(await (await personal()).payload(msg.action)) }; } catch (e) {
      post({ type: "result", id: msg.id, result: { error: String(e.message || e), timing } });
      return;
    }
  }
  await exclusive(async () => { try {
    let batch = app.begin(msg.action, msg.payload || {});
    timing.batch_out = now();
    let out = null;
    if (batch && next && next.type === "act" && next.action === msg.action) {
      batch = null;
    }
    if (batch) {
      // a batch in chunks: the model worker runs each while Python prepares the next
      const features = app.wants_features(), layers = app.wants_layers();
      const runs = [runModel(batch, features, layers)];
      for (let more = app.next_chunk(); more; more = app.next_chunk()) runs.push(runModel(more, features));
      const outs = await Promise.all(runs);
      timing.outputs_in = now();
      if (outs.every((o) => o.model_in)) {
        timing.model_in = Math.min(...outs.map((o) => o.model_in));
        timing.model_out = Math.max(...outs.map((o) => o.model_out));
        timing.images = outs.reduce((n, o) => n + o.n, 0);
      }
      out = joinOutputs(outs);
    }
    reply = JSON.parse(out && !out.error ? app.end(out.digits, out.digitOrNot, out.h, out.g, out.layers) : app.end());
    if (msg.action === "inside" && !reply.error) insideHeld = true;     // Python keeps the table and weights
    if (out && out.error) reply.error = out.error;
  } catch (e) {
    reply = failed(e);
  } });
  timing.python_out = now();
  reply.timing = timing;
  // loaded: its payload came first. Its answer ("on") comes once its heads are kept: a reload then finds them
  if (msg.action === "personal_fit" && personalReady) await personalReady.keep(reply);
  const bitmap = shown && (await shown);
  if (bitmap) reply.bitmap = bitmap;
  post({ type: "result", id: msg.id, result: reply }, bitmap ? [bitmap] : []);
}

// Bundles fetched, checked by sha256 and unpacked the first time they are needed: the photo reader
// (digitpad.photo, Pillow's file plugins, the WebP codec) and the inside view (digitpad.inside).
// The service worker keeps them offline; one that fails is tried again the next time.
const lazy = {};
function unpack(key, what) {
  lazy[key] ||= (async () => {
    let bytes;
    try { bytes = await fetchBundle(BOOT[key]); } catch (e) {
      throw new Error(`${what} now: ${String(e.message || e).replace(/^.*? could not be loaded: /, "")}`);
    }
    await untar(bytes, pyodide.FS, BOOT[key][2]);
    pyodide.pyimport("digitpad.browser").unpacked();       // new files in folders Python has already listed
  })();
  lazy[key].catch(() => { delete lazy[key]; });
  return lazy[key];
}

// The inside view also needs the layer table and the graph's weights, from the model worker, once:
// Python keeps them after.
let insideHeld = false;
async function loadInside() {
  await unpack("inside", "The inside view cannot be shown");
  const r = await askModel({ type: "inside-load" });
  if (r.error) throw new Error(r.error);
  return { table: r.table, weights: r.weights };
}

function samples() {
  if (!store) { store = openStore(); store.catch(() => {}); }
  return store;
}

// Teaching's storage (personal.bin, the kept heads and features, the samples a fit needs), loaded
// the first time it is needed: a first visit does without it. Its actions wait for storage (reads,
// and the last fit's write) outside Python's turn, so strokes are answered meanwhile.
const TEACHING = new Set(["personal_fit", "personal_restore", "personal_set"]);
let personalSide = null, personalReady = null;
function personal() {
  personalSide ||= import("./personal-worker.js").then((m) => (personalReady = m.setupPersonal({
    python, post, modelsJson: () => meta, url: (file) => new URL(BOOT.paths.models + file, base),
    samples,
  })));
  personalSide.catch(() => { personalSide = null; });
  return personalSide;
}

// The Collect panel's storage side (collect-worker.js), imported with its first operation.
let collectSide = null;
async function collect(msg) {
  collectSide ||= import("./collect-worker.js");
  try {
    await (await collectSide).collect(msg, { python, post, samples, failed });
  } catch (e) {
    collectSide = null;
    post({ type: "result", id: msg.id, result: failed(e) });
  }
}

// What follows each answer (the heat map, the inside view): dropped when newer work is queued,
// which asks again, but not for each other.
const FOLLOW_UPS = new Set(["explain", "inside"]);

async function pump() {
  if (busy) return;
  busy = true;
  while (queue.length) {
    const msg = queue.shift();
    if (msg.type === "boot") {
      try { await boot(msg); } catch (e) {
        post({ type: "fatal", phase: e.phase || "runtime", message: e.message || String(e) });
      }
    } else if (msg.type === "act" || msg.type === "collect") {
      if (dead) post({ type: "result", id: msg.id, result: { error: dead } });
      else if (FOLLOW_UPS.has(msg.action) && queue.some((m) => m.type === "act" && (m.action === msg.action || !FOLLOW_UPS.has(m.action)))) {
        post({ type: "result", id: msg.id, result: { skipped: true } });   // newer work first: it will ask again
      }
      else if (!app) post({ type: "result", id: msg.id, result: { error: "Still loading." } });
      else if (TEACHING.has(msg.action)) act(msg, null);   // its waits for storage hold no stroke back
      else await (msg.type === "act" ? act(msg, queue[0]) : collect(msg));
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
self.linalgCallError = () => {
  try { pyodide.runPython("import numpy; numpy.linalg.inv(numpy.eye(2))"); return "no error"; } catch (e) { return String(e.message); }
};
self.loadedModules = () => pyodide.runPython("import sys; sorted(sys.modules)").toJs();
self.sourceModules = () => pyodide.pyimport("digitpad.browser").compiled_from_source().toJs();
// ... and for the test that a Python which fails for good is reported, not left hanging: the
// very path Pyodide takes on a fatal error (a stack overflow, running out of memory).
self.failPythonForTest = () => {
  try { pyodide._api.fatal_error(new Error("a fatal error made by the test")); } catch { /* it rethrows */ }
  return true;
};
