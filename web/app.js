// Boot, pointer capture, painting and DOM updates; every decision is made by Python in a worker.
//
// Two workers start at once: the Python worker (Pyodide + digitpad) and the model worker
// (onnxruntime-web), joined by a MessagePort. Every action is one message to the Python worker
// and one reply (the state it changed and, when it predicted, the view). The service worker is
// registered once the page is ready, so it never delays a first visit.
import { Pad } from "./pad.js";
import { buildProbabilities, decodeStrokes, paintSweep, progress, showPrediction } from "./view.js";
import { setupCollect } from "./collect.js";

const $ = (id) => document.getElementById(id);
const root = document.documentElement;
const params = new URLSearchParams(location.search);
const backendChoice = params.get("backend") || readSetting("digitpad.backend") || "auto";

let python = null, modelWorker = null, ready = false, nextId = 1;
const waiting = new Map();
const pending = [];          // strokes drawn before Python was ready
const started = { python: null, model: null };
let settings = { normalize: true, auto_predict: true };
let sweepRun = 0;
let collect = null;
let strokesSent = 0;

function readSetting(key) {
  try { return localStorage.getItem(key); } catch { return null; }   // storage blocked: defaults
}

function call(action, payload = {}, transfer = []) {
  return new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    python.postMessage({ type: "act", id, action, payload }, transfer);
  });
}

function note(text) { $("message").textContent = text; }

// One reply: the state Python changed, then the view if it predicted.
function apply(r, since = null, strokeNo = null) {
  if (!r) return r;
  if (r.strokes) pad.setStrokes(decodeStrokes(r.strokes));
  if (r.settings) settings = r.settings;
  if ("can_undo" in r) $("undo").disabled = !r.can_undo;
  if (r.view) {
    showPrediction(r.view);
    if (since !== null) root.dataset[strokeNo === null ? "predictMs" : "strokeMs"] = (performance.now() - since).toFixed(2);
    if (strokeNo !== null) root.dataset.strokeAnswered = String(strokeNo);
    root.dataset.predictions = String(Number(root.dataset.predictions || 0) + 1);
  }
  if (r.error) note(r.error);
  return r;
}

async function act(action, payload, since = null) {
  if (!ready) { note("Still loading: your drawing is kept and will be read as soon as Python is ready."); return null; }
  return apply(await call(action, payload), since);
}

async function sendStroke(stroke, t) {
  const no = ++strokesSent;
  const points = stroke.points.slice();          // the pad keeps its copy; this one is transferred
  apply(await call("stroke", { points, tool: stroke.tool, width: stroke.width }, [points.buffer]), t, no);
}

const pad = new Pad($("pad"), (stroke, t) => {
  if (!ready) { pending.push(stroke); note("Still loading: your drawing is kept."); return; }
  sendStroke(stroke, t);
});
pad.onStart = () => { if ($("sweep").disabled) stopSweep(false); };   // a new stroke ends a sweep

function setTool(tool) {
  pad.tool = tool;
  $("pen").setAttribute("aria-pressed", String(tool === "pen"));
  $("eraser").setAttribute("aria-pressed", String(tool === "eraser"));
}

async function normalizePad() {
  const r = await act("normalize");
  if (r && r.bbox) {            // show the symbol's new box for a moment
    const [x0, y0, x1, y1] = r.bbox;
    pad.overlay = (ctx) => {
      ctx.strokeStyle = "#d9480f"; ctx.lineWidth = 2; ctx.setLineDash([6, 4]);
      ctx.strokeRect(x0, y0, x1 - x0, y1 - y0); ctx.setLineDash([]);
    };
    pad.paint();
    setTimeout(() => { pad.overlay = null; pad.paint(); }, 700);
  }
}

async function sweep() {
  if (!ready) return;
  const run = ++sweepRun;
  $("sweep").disabled = true; $("sweep-stop").disabled = false;
  const t0 = performance.now();
  const r = await call("sweep");
  if (run !== sweepRun) return;                    // cleared or stopped meanwhile
  if (r.error || !r.sweep.length) { note(r.error || r.message); finishSweep(); return; }
  root.dataset.sweepMs = (performance.now() - t0).toFixed(2);
  root.dataset.sweeps = String(Number(root.dataset.sweeps || 0) + 1);
  const rows = r.sweep;
  let i = 0;
  const step = () => {         // replay the batched answers angle by angle on the pad
    if (run !== sweepRun) return;
    paintSweep(rows, i + 1);
    pad.angle = rows[i].angle;
    pad.paint();
    note(`${rows[i].angle}°: ${rows[i].digit} (${(100 * rows[i].p).toFixed(0)}%)`);
    if (++i < rows.length) setTimeout(step, 60); else finishSweep();
  };
  paintSweep(rows, 0);
  step();
}

function finishSweep() {
  $("sweep").disabled = false; $("sweep-stop").disabled = true;
  pad.angle = 0;
  pad.paint();
}

function stopSweep(say = true) {
  sweepRun++;
  finishSweep();
  if (say) note("Sweep stopped.");
}

function bind() {
  $("pen").onclick = () => setTool("pen");
  $("eraser").onclick = () => setTool("eraser");
  $("pen-width").oninput = (e) => { pad.width = Number(e.target.value); };
  $("undo").onclick = () => act("undo");
  $("clear").onclick = () => { stopSweep(false); act("clear"); };
  $("predict").onclick = (e) => act("predict", {}, e.timeStamp);
  $("normalize-toggle").onchange = async (e) => {
    $("predict").classList.toggle("normalized", e.target.checked);
    $("predict").classList.toggle("plain", !e.target.checked);
    await act("set", { name: "normalize", value: e.target.checked });
  };
  $("auto-predict").onchange = (e) => act("set", { name: "auto_predict", value: e.target.checked });
  const moves = { "move-left": [-1, 0], "move-right": [1, 0], "move-up": [0, -1], "move-down": [0, 1] };
  for (const [id, [dx, dy]] of Object.entries(moves)) $(id).onclick = () => act("move", { dx, dy });
  $("zoom-in").onclick = () => act("zoom", { direction: 1 });
  $("zoom-out").onclick = () => act("zoom", { direction: -1 });
  $("rotate-left").onclick = () => act("rotate", { degrees: -10 });
  $("rotate-right").onclick = () => act("rotate", { degrees: 10 });
  $("normalize").onclick = normalizePad;
  $("sweep").onclick = sweep;
  $("sweep-stop").onclick = () => stopSweep();
  $("backend-select").value = backendChoice;
  $("backend-select").onchange = (e) => {
    try { localStorage.setItem("digitpad.backend", e.target.value); } catch { /* not kept: the URL still says */ }
    const u = new URL(location.href);
    u.searchParams.delete("backend");
    if (e.target.value !== "auto") u.searchParams.set("backend", e.target.value);
    location.href = u.href;
  };
  document.addEventListener("keydown", onKey);
}

function onKey(e) {
  const t = e.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement) return;
  const onButton = t instanceof HTMLButtonElement || t instanceof HTMLElement && t.tagName === "SUMMARY";
  const keys = {
    Delete: () => { stopSweep(false); act("clear"); }, Backspace: () => { stopSweep(false); act("clear"); },
    ArrowLeft: () => act("move", { dx: -1, dy: 0 }), ArrowRight: () => act("move", { dx: 1, dy: 0 }),
    ArrowUp: () => act("move", { dx: 0, dy: -1 }), ArrowDown: () => act("move", { dx: 0, dy: 1 }),
    "+": () => act("zoom", { direction: 1 }), "=": () => act("zoom", { direction: 1 }),
    "-": () => act("zoom", { direction: -1 }),
    "[": () => act("rotate", { degrees: -10 }), "]": () => act("rotate", { degrees: 10 }),
    n: normalizePad, p: () => setTool("pen"), e: () => setTool("eraser"),
  };
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") { e.preventDefault(); act("undo"); return; }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "Enter" && !onButton) { e.preventDefault(); act("predict", {}, e.timeStamp); return; }
  if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
}

function onPythonMessage(ev) {
  const m = ev.data;
  if (m.type === "progress") progress(m.phase, m.fraction, m.label);
  else if (m.type === "ready") { started.python = m; maybeReady(); }
  else if (m.type === "fatal") fatal(m.message, m.phase);
  else if (m.type === "result" && waiting.has(m.id)) { waiting.get(m.id)(m.result); waiting.delete(m.id); }
}

function onModelMessage(ev) {
  const m = ev.data;
  if (m.type === "backend") {
    $("backend").textContent = m.backend;
    $("backend").dataset.backend = m.backend;
    $("backend-note").textContent = m.note || "";
    if (m.fallback) note(m.note);
  } else if (m.type === "ready") { started.model = m; maybeReady(); }
  else if (m.type === "fatal") fatal(m.message, m.phase);
}

async function maybeReady() {
  if (!started.python || !started.model || ready || root.dataset.error) return;
  if (!started.model.hasGate || started.model.warnings.length) progress("models", 0.9, "Models loaded with warnings");
  ready = true;
  progress("ready", 1, "Ready");
  $("loading").classList.add("done");
  const marks = Object.fromEntries([...started.python.marks, ...started.model.marks]
    .map(([k, t]) => [k, Math.round(t - performance.timeOrigin)]));
  root.dataset.marks = JSON.stringify(marks);      // read by `build.py bench`: where start-up time goes
  for (const w of started.model.warnings || []) note(w);
  const early = pending.splice(0);
  if (early.length) {
    for (const s of early.slice(0, -1)) await call("stroke", { points: s.points, tool: s.tool, width: s.width });
    await sendStroke(early[early.length - 1], performance.now());
  } else {
    apply(await call("state"));
  }
  root.dataset.readyMs = Math.round(performance.now()).toString();
  root.dataset.ready = "true";
  collect.refresh();
  import("./sw-client.js").then((sw) => sw.registerServiceWorker(started.model.files)).catch(() => {});
}

function fatal(message, phase) {
  if (root.dataset.error) return;
  const el = $("fatal");
  el.hidden = false;
  el.textContent = `digitpad could not start (${phase}): ${message} Your drawing is kept on the pad; ` +
    "reload the page to try again. If you host this page, see the README's troubleshooting section.";
  root.dataset.error = phase;
  note("Recognition is unavailable.");
}

// The longest main-thread task (Long Tasks API) before and after the pad is on screen, for
// `build.py bench`: the page must not freeze once a person can draw.
let padShownAt = Infinity;
function watchLongTasks() {
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const key = e.startTime >= padShownAt ? "longestTaskMs" : "longestStartupTaskMs";
        root.dataset[key] = String(Math.max(Number(root.dataset[key] || 0), Math.round(e.duration)));
      }
    }).observe({ type: "longtask", buffered: true });
  } catch { /* not supported: nothing to report */ }
}

function markPadShown() {   // two frames after the pad exists: it has been painted
  requestAnimationFrame(() => requestAnimationFrame(() => {
    padShownAt = performance.now();
    root.dataset.padShownMs = padShownAt.toFixed(0);
  }));
}

function startWorkers() {
  try {
    python = new Worker(new URL("./python-worker.js", import.meta.url), { type: "module" });
    modelWorker = new Worker(new URL("./model-worker.js", import.meta.url), { type: "module" });
  } catch (e) { fatal(`the background workers could not start: ${e.message}`, "runtime"); return; }
  python.onmessage = onPythonMessage;
  modelWorker.onmessage = onModelMessage;
  python.onerror = (e) => fatal(`the Python worker failed: ${e.message || "a file is missing or broken"}`, "runtime");
  modelWorker.onerror = (e) => fatal(`the model worker failed: ${e.message || "a file is missing or broken"}`, "models");
  const link = new MessageChannel();
  modelWorker.postMessage({ type: "boot", backend: backendChoice, port: link.port1 }, [link.port1]);
  python.postMessage({ type: "boot", port: link.port2 }, [link.port2]);
}

function start() {
  startWorkers();             // first: everything else here is quick, loading is not
  watchLongTasks();
  buildProbabilities();
  bind();
  setTool("pen");
  markPadShown();
  collect = setupCollect({ call: (a, p) => call(a, p), isReady: () => ready, pad, note });
  fetch("build.json").then((r) => r.json()).then((b) => { $("version").textContent = `digitpad ${b.version}, build ${b.build}`; })
    .catch(() => {});
}

start();
