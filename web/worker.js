// The worker: Pyodide (the app's logic, in digitpad) and onnxruntime-web (the networks).
// Running here keeps the page's main thread free for drawing while Python and the models load.
// Every URL is relative to this file, so the site works under any sub-path.
import { loadPyodide } from "./vendor/pyodide/pyodide.mjs";

const base = new URL(".", import.meta.url);
let app = null;          // digitpad.browser.App (a PyProxy)
let ort = null;
let backend = null;      // "webgl" | "wasm"
let modelBytes = {};     // name -> Uint8Array (kept so we can rebuild sessions on fallback)
const sessions = new Map();
let queue = Promise.resolve();

const post = (msg) => self.postMessage(msg);
const progress = (phase, fraction, label) => post({ type: "progress", phase, fraction, label });

class BootError extends Error {
  constructor(phase, message) { super(message); this.phase = phase; }
}

async function fetchBytes(path, what) {
  let r;
  try { r = await fetch(new URL(path, base)); } catch (e) {
    throw new BootError("models", `${what} (${path}) could not be downloaded: ${e.message}`);
  }
  if (!r.ok) throw new BootError("models", `${what} (${path}) is missing on the server (HTTP ${r.status}).`);
  return new Uint8Array(await r.arrayBuffer());
}

async function sha256(bytes) {
  const d = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// Hardware WebGL only: a software renderer runs these networks ~50x slower than wasm.
function webglInfo() {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext("webgl2") || new OffscreenCanvas(1, 1).getContext("webgl");
    if (!gl) return { ok: false, why: "this browser has no WebGL" };
    const ext = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    const software = /swiftshader|llvmpipe|software|basic render/i.test(renderer);
    return { ok: true, software, renderer };
  } catch (e) {
    return { ok: false, why: `WebGL failed: ${e.message}` };
  }
}

function chooseBackend(requested) {
  const info = webglInfo();
  if (requested === "wasm") return { backend: "wasm", note: "wasm (chosen)" };
  if (requested === "webgl") {
    if (info.ok) return { backend: "webgl", note: `webgl (chosen${info.software ? ", software renderer" : ""})` };
    return { backend: "wasm", note: `wasm: ${info.why}, so WebGL could not be used`, fallback: true };
  }
  if (!info.ok) return { backend: "wasm", note: `wasm: ${info.why}` };
  if (info.software) return { backend: "wasm", note: `wasm: WebGL is a software renderer (${info.renderer})` };
  return { backend: "webgl", note: `webgl (${info.renderer})` };
}

async function loadOrt(which) {
  const mod = await import(which === "webgl" ? "./vendor/ort/ort.webgl.min.mjs" : "./vendor/ort/ort.wasm.min.mjs");
  const o = mod.default && mod.default.InferenceSession ? mod.default : mod;
  if (which === "wasm") {
    o.env.wasm.wasmPaths = new URL("./vendor/ort/", base).href;
    o.env.wasm.numThreads = 1;   // threads need cross-origin isolation, which a plain host lacks
    o.env.wasm.proxy = false;    // we are already in a worker
  }
  return o;
}

// onnxruntime-web's WebGL backend takes fixed shapes only: it reads a symbolic batch dimension
// as null and refuses every input. So for WebGL we pin the batch size in the model bytes, one
// session per batch size. The rewrite keeps the length, so no enclosing protobuf changes:
//   dim_param "batch"  = 12 05 'b' 'a' 't' 'c' 'h'
//   dim_value n + denotation "fix" = 08 n 1a 03 'f' 'i' 'x'
// models.json's exporter names the batch axis "batch" (tests/test_export.py checks both sides).
const BATCH_PARAM = [0x12, 0x05, 0x62, 0x61, 0x74, 0x63, 0x68];
export function pinBatch(bytes, n, axes = 2) {
  if (!(n >= 1 && n < 128)) throw new Error(`batch ${n} cannot be pinned`);
  const out = bytes.slice();
  let hits = 0;
  outer: for (let i = 0; i + BATCH_PARAM.length <= out.length; i++) {
    for (let j = 0; j < BATCH_PARAM.length; j++) if (out[i + j] !== BATCH_PARAM[j]) continue outer;
    out.set([0x08, n, 0x1a, 0x03, 0x66, 0x69, 0x78], i);
    hits++;
  }
  if (hits !== axes) throw new Error(`expected the batch axis ${axes} times (input and outputs), found ${hits}`);
  return out;
}

async function session(name, n) {
  const key = backend === "webgl" ? `${name}:${n}` : name;
  if (!sessions.has(key)) {
    const opts = { executionProviders: [backend], graphOptimizationLevel: "all" };
    const bytes = backend === "webgl" ? pinBatch(modelBytes[name], n, name === "combined" ? 3 : 2) : modelBytes[name];
    const created = ort.InferenceSession.create(bytes, opts);
    created.catch(() => sessions.delete(key));   // a failure is not remembered: a retry may work
    sessions.set(key, created);
  }
  return sessions.get(key);
}

async function runOnce(name, bytes, n) {
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const s = await session(name, n);
  return await s.run({ image: new ort.Tensor("float32", data, [n, 1, 28, 28]) });
}

// Called from Python (digitpad.browser) through the FFI: both networks in one call, so Python
// awaits once per prediction. Returns [digits, gate] (gate null when it is not loaded).
async function classify(bytes, n, withGate) {
  if (modelBytes.combined) {
    const out = await runModel("combined", bytes, n);
    return [out.probabilities.data, out.digit_or_not.data];
  }
  const digits = (await runModel("digits", bytes, n)).probabilities.data;
  const gate = withGate ? (await runModel("gate", bytes, n)).probabilities.data : null;
  return [digits, gate];
}

let fallbackNote = null;
async function switchToWasm(reason) {
  sessions.clear();
  backend = "wasm";
  ort = await loadOrt("wasm");
  fallbackNote = `wasm: ${reason}`;
  post({ type: "backend", backend, note: fallbackNote, fallback: true });
}

async function runModel(name, bytes, n) {
  try {
    return await runOnce(name, bytes, n);
  } catch (e) {
    if (backend !== "webgl") throw e;
    await switchToWasm(`WebGL failed while predicting (${e.message || e}), switched to wasm`);
    return await runOnce(name, bytes, n);
  }
}

// Pyodide never settles its promise when its .wasm is missing, so look before loading. A HEAD
// costs nothing; offline (served by the service worker) a network error is simply not a 404.
async function preflight(files) {
  const missing = [];
  await Promise.all(files.map(async (f) => {
    try {
      const r = await fetch(new URL(f, base), { method: "HEAD", cache: "no-store" });
      if (r.status === 404) missing.push(f);
    } catch { /* offline: the service worker has them */ }
  }));
  if (missing.length) throw new BootError("runtime", `Python (Pyodide) could not start: ${missing.join(", ")} missing on the server (HTTP 404).`);
}

async function loadModel(name, m, label = name) {
  const bytes = await fetchBytes(`models/${m.file}`, `The ${label} model`);
  if (m.sha256 && (await sha256(bytes)) !== m.sha256) {
    throw new BootError("models", `The ${label} model (models/${m.file}) is corrupt: its sha256 does not match models.json.`);
  }
  modelBytes[name] = bytes;
  try {
    await session(name, 1);
  } catch (e) {
    if (backend !== "webgl") throw e;
    // The same fallback as a failure while predicting (a lost context, an operator WebGL lacks)
    await switchToWasm(`WebGL could not run the ${label} model (${e.message || e}), switched to wasm`);
    await session(name, 1);
  }
}

// Models and onnxruntime-web load while Python starts: the two do not depend on each other.
async function loadModels(opts) {
  const meta = JSON.parse(new TextDecoder().decode(await fetchBytes("models/models.json", "The model list")));
  const choice = chooseBackend(opts.backend);
  backend = choice.backend;
  ort = await loadOrt(backend).catch((e) => {
    throw new BootError("models", `onnxruntime-web (${backend}) could not be loaded: ${e.message || e}`);
  });
  const warnings = [];
  const combined = meta.models && meta.models.combined;
  if (combined) {       // both networks in one graph: the convolutions run once per prediction
    try {
      await loadModel("combined", combined);
      return { meta, choice, hasGate: true, warnings };
    } catch (e) {
      delete modelBytes.combined;
      sessions.clear();
      warnings.push(`${e.message || e} Using the two separate model files instead.`);
    }
  }
  const wanted = { digits: "digits", gate: "digit_or_not" };
  let hasGate = false;
  for (const [name, key] of Object.entries(wanted)) {
    const m = meta.models && meta.models[key];
    if (!m) { if (name === "digits") throw new BootError("models", "models.json lists no digit model."); continue; }
    try {
      await loadModel(name, m, key);
      if (name === "gate") hasGate = true;
    } catch (e) {
      if (name === "digits") throw e instanceof BootError ? e : new BootError("models", `The digit model could not be loaded: ${e.message || e}`);
      warnings.push(`${e.message || e} Falling back to the digit model's own confidence.`);
    }
  }
  return { meta, choice, hasGate, warnings };
}

async function loadPython() {
  await preflight(["vendor/pyodide/pyodide.asm.wasm", "vendor/pyodide/pyodide.asm.js",
                   "vendor/pyodide/python_stdlib.zip", "vendor/pyodide/pyodide-lock.json"]);
  let pyodide;
  try {
    pyodide = await loadPyodide({ indexURL: new URL("./vendor/pyodide/", base).href,
                                  lockFileURL: new URL("./vendor/pyodide/pyodide-lock.json", base).href });
  } catch (e) {
    throw new BootError("runtime", `Python (Pyodide) could not start: ${e.message || e}`);
  }
  progress("packages", 0.45, "Loading numpy and Pillow");
  const problems = [];   // loadPackage reports failures (a bad sha256, a 404) here, not by throwing
  try {
    await pyodide.loadPackage(["numpy", "pillow", "digitpad"], { messageCallback: () => {}, errorCallback: (m) => problems.push(m) });
  } catch (e) {
    problems.push(e.message || String(e));
  }
  const missing = ["numpy", "Pillow", "digitpad"].filter((p) => !(p in pyodide.loadedPackages) && !(p.toLowerCase() in pyodide.loadedPackages));
  if (missing.length) {
    throw new BootError("packages", `numpy/Pillow/digitpad could not be loaded (${missing.join(", ")}): ${problems.join(" ") || "unknown error"}`);
  }
  const browser = pyodide.pyimport("digitpad.browser");
  browser.warm_up();     // import-time work and first-call costs, paid before the first stroke
  return browser;
}

async function boot(opts) {
  progress("runtime", 0.05, "Starting Python (Pyodide)");
  const models = loadModels(opts);
  models.catch(() => {});          // reported below, in order, after Python's own errors
  const browser = await loadPython();
  progress("models", 0.8, "Loading the models");
  const { meta, choice, hasGate, warnings } = await models;
  app = browser.create_app(classify, JSON.stringify(meta), hasGate);
  post({ type: "backend", backend, note: fallbackNote || choice.note, fallback: !!(fallbackNote || choice.fallback) });
  progress("ready", 1, "Ready");
  post({ type: "ready", hasGate, warnings });
}

async function handle(msg) {
  if (msg.type === "boot") {
    try { await boot(msg); } catch (e) {
      post({ type: "fatal", phase: e.phase || "runtime", message: e.message || String(e) });
    }
    return;
  }
  if (msg.type === "action") {
    if (!app) { post({ type: "result", id: msg.id, result: { error: "Still loading." } }); return; }
    let result;
    try {
      const t0 = performance.now();
      result = await app.handle(msg.action, msg.payload || {});
      result.ms = performance.now() - t0;
    } catch (e) {
      result = { error: `Python error: ${e.message || e}` };
    }
    post({ type: "result", id: msg.id, action: msg.action, result, backend });
  }
}

self.onmessage = (ev) => { queue = queue.then(() => handle(ev.data)); };
