// The model worker: onnxruntime-web and the networks, nothing else.
// It runs beside the Python worker so that neither waits for the other while the page starts
// (the runtime, the models and Python load at the same time), and it answers the Python worker's
// batches over a MessagePort. Every URL is relative to this file, so any sub-path works.
const base = new URL(".", import.meta.url);
// Written by build.py: {"ort": "../vendor/ort-<hash>/", "models": "../models-<hash>/", ...}: each
// folder is named by its contents' hash, so no cache can hand this build another build's file.
const PATHS = __PATHS__;
const RUNTIME = ["ort-wasm-simd-threaded.wasm", "ort-wasm-simd-threaded.mjs"];   // what the wasm backend loads itself
const UPDATING = " If the site is being updated, try again in a minute.";
const offline = () => (navigator.onLine === false ? " while offline" : "");
let ort = null;
let backend = null;      // "webgl" | "wasm"
const modelBytes = {};   // name -> Uint8Array (kept so sessions can be rebuilt on fallback)
const sessions = new Map();
const outputCount = {};  // name -> how many outputs its graph has (models.json): pinBatch checks them
const outputNames = {};  // name -> its graph's outputs
const shas = {};         // name -> its sha256 (models.json)
let python = null;       // MessagePort to the Python worker
let ready = null;        // resolves once the models can run
let fallbackNote = null;
const used = new Set();  // files fetched at run time, for the service worker to keep

const post = (msg) => self.postMessage(msg);
const mark = (name) => performance.mark(name);

class BootError extends Error {
  constructor(phase, message) { super(message); this.phase = phase; }
}

// name: the file in the models folder; shown as models/<name>, the way the repository has it.
// A gzipped one (PATHS.gzipped) is unpacked here; one that will not unpack gives no bytes, which
// the caller's sha256 check reports as corrupt.
async function fetchBytes(name, what, cache = "default") {
  const gz = PATHS.gzipped.includes(name);
  let r;
  try { r = await fetch(modelURL(name), { cache }); } catch (e) {
    throw new BootError("models", `${what} (models/${name}) could not be downloaded${offline()}: ${e.message}.`);
  }
  if (!r.ok) throw new BootError("models", `${what} (models/${name}) is missing on the server (HTTP ${r.status}).${UPDATING}`);
  if (!gz) return new Uint8Array(await r.arrayBuffer());
  try {
    return new Uint8Array(await new Response(r.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  } catch {
    return new Uint8Array(0);
  }
}

const modelURL = (name) => new URL(PATHS.models + name + (PATHS.gzipped.includes(name) ? ".gzip" : ""), base);

// The wasm backend fetches its runtime itself, and says only "failed to fetch" when it cannot:
// when a network will not load, find out whether the runtime is the cause, and name it.
async function runtimeProblem() {
  if (backend !== "wasm") return null;
  for (const f of RUNTIME) {
    try {
      const r = await fetch(new URL(PATHS.ort + f, base));
      r.body && r.body.cancel();
      if (!r.ok) return `The page could not load its network runtime (vendor/ort/${f}): HTTP ${r.status}.${UPDATING}`;
    } catch {
      return `The page could not load its network runtime (vendor/ort/${f})${offline() || ": the network failed"}.`;
    }
  }
  return null;
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
  if (requested === "wasm") return { backend: "wasm", note: "wasm (chosen)" };   // no WebGL probe: it costs
  const info = webglInfo();
  if (requested === "webgl") {
    if (info.ok) return { backend: "webgl", note: `webgl (chosen${info.software ? ", software renderer" : ""})` };
    return { backend: "wasm", note: `wasm: ${info.why}, so WebGL could not be used`, fallback: true };
  }
  if (!info.ok) return { backend: "wasm", note: `wasm: ${info.why}` };
  if (info.software) return { backend: "wasm", note: `wasm: WebGL is a software renderer (${info.renderer})` };
  return { backend: "webgl", note: `webgl (${info.renderer})` };
}

async function loadOrt(which) {
  const mod = await import(new URL(PATHS.ort + (which === "webgl" ? "ort.webgl.min.mjs" : "ort.wasm.min.mjs"), base).href);
  const o = mod.default && mod.default.InferenceSession ? mod.default : mod;
  if (which === "wasm") {
    o.env.wasm.wasmPaths = new URL(PATHS.ort, base).href;
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
// The exporter names the batch axis "batch" (tests/test_shipped_models.py checks both sides).
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
// WebGL batch sizes: any batch is run in chunks of these (the last one padded).
const WEBGL_BATCHES = [36, 8, 1];

// WebGL cannot compute the int8 graph's own dequantization (dequantize.js says why): for WebGL the
// weights are made float32 here, once per model. wasm folds them itself when a session is made.
const floatBytes = {};
async function webglBytes(name) {
  if (!floatBytes[name]) floatBytes[name] = import("./dequantize.js").then((m) => m.dequantizeModel(modelBytes[name]));
  return floatBytes[name];
}

async function session(name, n) {
  const key = backend === "webgl" ? `${name}:${n}` : name;
  if (!sessions.has(key)) {
    const opts = { executionProviders: [backend], graphOptimizationLevel: "all" };
    const created = (backend === "webgl" ? webglBytes(name).then((b) => pinBatch(b, n, 1 + outputCount[name]))
      : Promise.resolve(modelBytes[name])).then((bytes) => ort.InferenceSession.create(bytes, opts));
    created.catch(() => sessions.delete(key));   // a failure is not remembered: a retry may work
    sessions.set(key, created);
  }
  return sessions.get(key);
}

async function runChunk(name, data, n) {
  const s = await session(name, n);
  const out = await s.run({ image: new ort.Tensor("float32", data, [n, 1, 28, 28]) });
  return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data]));
}

async function runOnce(name, data, n) {
  if (backend !== "webgl") return runChunk(name, data, n);
  const parts = [];                       // fixed shapes only: chunks of the pinned sizes
  for (let i = 0; i < n;) {
    const size = WEBGL_BATCHES.find((b) => b <= n - i) || 1;
    parts.push(await runChunk(name, data.slice(i * 784, (i + size) * 784), size));
    i += size;
  }
  const merged = {};
  for (const k of Object.keys(parts[0])) {
    const total = parts.reduce((a, p) => a + p[k].length, 0);
    merged[k] = new Float32Array(total);
    let off = 0;
    for (const p of parts) { merged[k].set(p[k], off); off += p[k].length; }
  }
  return merged;
}

async function switchToWasm(reason) {
  sessions.clear();
  backend = "wasm";
  ort = await loadOrt("wasm");
  fallbackNote = `wasm: ${reason}`;
  post({ type: "backend", backend, note: fallbackNote, fallback: true });
}

async function runModel(name, data, n) {
  try {
    return await runOnce(name, data, n);
  } catch (e) {
    if (backend !== "webgl") throw e;
    await switchToWasm(`WebGL failed while predicting (${e.message || e}), switched to wasm`);
    return await runOnce(name, data, n);
  }
}

// Both networks in one call: [digits, digitOrNot, digitFeatures, dnnFeatures] (null for what the
// graph has not: the digit-or-not model when it could not load, the features without combined.onnx).
async function classify(data, n) {
  if (modelBytes.combined) {
    const out = await runModel("combined", data, n);
    return [out.probabilities, out.digit_or_not, out.digit_features || null, out.dnn_features || null];
  }
  const digits = (await runModel("digits", data, n)).probabilities;
  const digitOrNot = modelBytes.digit_or_not ? (await runModel("digit_or_not", data, n)).probabilities : null;
  return [digits, digitOrNot, null, null];
}

async function loadModel(name, m, label = name) {
  let bytes = await fetchBytes(m.file, `The ${label} model`);
  // a copy cut short by an upload, or a cache that kept a broken one: once more, past every cache
  if (m.sha256 && (await sha256(bytes)) !== m.sha256) bytes = await fetchBytes(m.file, `The ${label} model`, "reload");
  if (m.sha256 && (await sha256(bytes)) !== m.sha256) {
    throw new BootError("models", `The ${label} model (models/${m.file}) is corrupt: its sha256 does not match models.json.`);
  }
  modelBytes[name] = bytes;
  outputNames[name] = Object.keys(m.outputs || { probabilities: 1 });
  outputCount[name] = outputNames[name].length;
  shas[name] = m.sha256;
  used.add(modelURL(m.file).href);
  try {
    await session(name, 1);
  } catch (e) {
    if (backend !== "webgl") throw e;
    // The same fallback as a failure while predicting (a lost context, an operator WebGL lacks)
    await switchToWasm(`WebGL could not run the ${label} model (${e.message || e}), switched to wasm`);
    await session(name, 1);
  }
}

async function loadModels(requested) {
  mark("models:start");
  const meta = JSON.parse(new TextDecoder().decode(await fetchBytes("models.json", "The model list")));
  python.postMessage({ type: "meta", meta });          // Python needs only the thresholds: send them now
  const choice = chooseBackend(requested);
  backend = choice.backend;
  ort = await loadOrt(backend).catch((e) => {
    throw new BootError("models", `onnxruntime-web (${backend}) could not be loaded: ${e.message || e}`);
  });
  mark("ort:loaded");
  const warnings = [];
  const combined = meta.models && meta.models.combined;
  let hasDigitOrNot = false;
  if (combined) {       // both networks in one graph: the convolutions run once per prediction
    try {
      await loadModel("combined", combined);
      hasDigitOrNot = true;
    } catch (e) {
      delete modelBytes.combined;
      sessions.clear();
      const runtime = await runtimeProblem();      // the separate files would need it too
      if (runtime) throw new BootError("models", runtime);
      warnings.push(`${e.message || e} Using the two separate model files instead.`);
    }
  }
  if (!hasDigitOrNot) {
    for (const name of ["digits", "digit_or_not"]) {
      const m = meta.models && meta.models[name];
      if (!m) { if (name === "digits") throw new BootError("models", "models.json lists no digit model."); continue; }
      try {
        await loadModel(name, m);
        if (name === "digit_or_not") hasDigitOrNot = true;
      } catch (e) {
        if (name === "digits") {
          const runtime = await runtimeProblem();
          if (runtime) throw new BootError("models", runtime);
          throw e instanceof BootError ? e : new BootError("models", `The digit model could not be loaded: ${e.message || e}`);
        }
        delete modelBytes.digit_or_not;
        warnings.push(`${e.message || e} Falling back to the digit model's own confidence.`);
      }
    }
  }
  mark("models:ready");
  post({ type: "backend", backend, note: fallbackNote || choice.note, fallback: !!(fallbackNote || choice.fallback) });
  return { hasDigitOrNot, warnings };
}

// "Inside the network" (inside-model.js): loaded the first time the panel opens.
let insideSide = null;
function inside() {
  insideSide ||= import("./inside-model.js").then((m) => m.insideModel({
    ready, modelBytes, outputNames, shas, sessions, used, fetchBytes, modelURL, webglBytes, pinBatch, switchToWasm,
    backend: () => backend, ort: () => ort,
  }));
  insideSide.catch(() => { insideSide = null; });
  return insideSide;
}

async function onRun({ id, batch, n, features, layers }) {
  try {
    await ready;
    const model_in = performance.timeOrigin + performance.now();   // the clock the Python worker reads too
    const all = layers ? await (await inside()).run(batch) : null;
    const [digits, digitOrNot, h, g] = all ? [all.probabilities, all.digit_or_not, null, null] : await classify(batch, n);
    const model_out = performance.timeOrigin + performance.now();
    const out = { digits: Float32Array.from(digits), digitOrNot: digitOrNot ? Float32Array.from(digitOrNot) : null,
      h: h && features ? Float32Array.from(h) : null, g: g && features ? Float32Array.from(g) : null };
    python.postMessage({ type: "result", id, ...out, layers: all, n, model_in, model_out },
      [...Object.values(out), ...Object.values(all || {})].filter(Boolean).map((a) => a.buffer));
  } catch (e) {
    python.postMessage({ type: "result", id, error: `The networks could not run: ${e.message || e}` });
  }
}

// Once the page is ready, one run on a blank image while the person is still drawing: the first
// run of a session compiles its kernels (and, on WebGL, its shaders), which otherwise the first
// stroke's answer would wait for. A stroke that comes meanwhile runs beside it, as chunks do.
async function rehearse() {
  try { await classify(new Float32Array(784), 1); } catch { /* a real run will report it */ }
}

self.onmessage = (ev) => {
  const m = ev.data;
  if (m.type !== "boot") return;
  python = m.port;
  python.onmessage = (e) => {
    if (e.data.type === "run") onRun(e.data);
    else if (e.data.type === "inside-load") inside().then((m) => m.answerLoad(e.data.id, python), (err) =>
      python.postMessage({ type: "result", id: e.data.id, error: err.message || String(err) }));
  };
  ready = loadModels(m.backend);
  ready.then(({ hasDigitOrNot, warnings }) => {
    const marks = performance.getEntriesByType("mark").map((k) => [k.name, performance.timeOrigin + k.startTime]);
    if (backend === "wasm") RUNTIME.forEach((f) => used.add(new URL(PATHS.ort + f, base).href));
    post({ type: "ready", hasDigitOrNot, warnings, marks, backend, files: [...used] });
    setTimeout(rehearse, 0);
  }, (e) => post({ type: "fatal", phase: e.phase || "models", message: e.message || String(e) }));
};

// For the parity test (tests/e2e/test_inside.py): every layer's output for one image (base64
// float32), as the panel gets it, on whichever backend runs.
self.insideForTest = async (b64) => {
  const s = atob(b64), bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  const out = await (await inside()).run(new Float32Array(bytes.buffer));
  return { layers: Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Array.from(v)])), backend };
};

// For `python -m bench.accuracy`: the page's own networks on a batch of images (base64 float32),
// so the shipped graph is measured on full test sets on each backend, exactly as the page runs it.
self.classifyForTest = async (b64, n) => {
  await ready;
  const s = atob(b64), bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  const [digits, digitOrNot] = await classify(new Float32Array(bytes.buffer), n);
  return { digits: Array.from(digits), digitOrNot: digitOrNot ? Array.from(digitOrNot) : null, backend };
};
