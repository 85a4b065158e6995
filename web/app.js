// Boot, pointer capture, painting and DOM updates; every decision is made by Python in a worker.
//
// Two workers start at once: the Python worker (Pyodide + digitpad) and the model worker
// (onnxruntime-web), joined by a MessagePort. Every action is one message to the Python worker
// and one reply (the state it changed and, when it predicted, the view). The service worker is
// registered once the page is ready, so it never delays a first visit.
import { Pad } from "./pad.js";
import { buildProbabilities, bytes, decodeStrokes, explainOverlay, paintExplain, progress,
  showPrediction } from "./view.js";
import { setupCollect } from "./collect.js";
import { strokePhases, watchLongTasks } from "./timing.js";
import { keptDrawing, registerServiceWorker } from "./sw-client.js";
import { setupTeach } from "./teach.js";
import { setupSweep } from "./sweep.js";
import { watchIntegrity } from "./integrity.js";
import { dead, fatal } from "./failure.js";

const $ = (id) => document.getElementById(id);
const root = document.documentElement;
const params = new URLSearchParams(location.search);
const backendChoice = params.get("backend") || readSetting("digitpad.backend") || "auto";

let python = null, modelWorker = null, ready = false, nextId = 1;
const waiting = new Map();
const pending = [];          // strokes drawn before Python was ready
const started = { python: null, model: null };
let settings = { normalize: true, auto_predict: true };
let collect = null, teach = null, sweeps = null;
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

function collectCall(op, data = {}) {
  return new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    python.postMessage({ type: "collect", id, op, ...data });
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
    if (teach && teach.pending()) $("message").textContent += " (What you taught is still loading: this is the shipped networks' answer.)";
    const box = r.view.selected != null ? r.view.number_symbols[r.view.selected].box : null;
    if (r.view.selected != null) selectable();
    if (String(box) !== String(pad.outline)) { pad.outline = box || null; pad.paint(); }
    explainLatest(r.view);
    follow({ since: strokeNo === null ? null : since });
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

// Why this digit: when switched on, every answer is followed by its heat map (a separate, lower-
// priority action: the worker drops it when the person has already drawn on).
let explainRun = 0, lastEye = null;
async function explainLatest(view) {
  lastEye = view.image ? bytes(view.image) : null;
  const overlaid = pad.overlay !== null;      // the pad paints its own strokes: repaint only to clear
  pad.overlay = null;
  const run = ++explainRun, on = $("explain-toggle").checked;
  const unexplained = view.verdict === "multiple" && view.selected == null;
  if (!on || view.verdict === "empty" || unexplained) {
    // a heat map explains one digit: with a number, the selected one (Python's "explain" knows which)
    paintExplain(null, lastEye, on && unexplained ?
      "The heat map explains one digit at a time: select a digit of the number to see why it was read so." : null);
    if (overlaid) pad.paint();
    return;
  }
  const t0 = performance.now();
  const r = await call("explain");
  if (run !== explainRun || r.skipped || r.error || !r.explain) return;
  paintExplain(r.explain, lastEye);
  pad.overlay = explainOverlay(r.explain);
  pad.paint();
  root.dataset.explainMs = (performance.now() - t0).toFixed(2);
  root.dataset.explains = String(Number(root.dataset.explains || 0) + 1);
}

// A change to the drawing ends a sweep's replay: it would show the old drawing turned.
function change(action, payload) {
  sweeps.stop(false);
  return act(action, payload);
}

async function sendStroke(stroke, t) {
  const no = ++strokesSent, points = stroke.points.slice();   // the pad keeps its copy; this one is transferred
  const sent = performance.now();
  const r = await call("stroke", { points, tool: stroke.tool, width: stroke.width }, [points.buffer]);
  apply(r, t, no);
  if (r && r.timing && r.view) root.dataset.strokePhases = JSON.stringify(strokePhases(r.timing, t, sent));
}


const pad = new Pad($("pad"), (stroke, t) => {
  if (!ready) { pending.push(stroke); note("Still loading: your drawing is kept."); return; }
  sendStroke(stroke, t);
});
pad.onStart = () => { if (sweeps.running()) sweeps.stop(false); };   // a new stroke ends a sweep

// A number's digits can be selected (digits.js), loaded with the first number read
let digits = null;
function selectable() {
  digits ||= import("./digits.js").then((m) => m.setupDigits({ call, isReady: () => ready,
    show: (r) => (r.view && r.view.photo && photos ? photos.then((p) => p.result(r)) : apply(r)) }));
  digits.catch(() => { digits = null; });
}

// Inside the network: inside.js, its Python and the layer table load the first time the panel
// opens; while it is closed, nothing is asked for
let inside = null;
function follow(what) {
  if (inside && $("inside").open) inside.then((m) => m.update(what), () => {});
}
function openInside() {
  if (!$("inside").open) return;
  inside ||= import("./inside.js").then((m) => m.setupInside({ call, pad, isReady: () => ready }));
  inside.then((m) => m.update(), (e) => { inside = null; $("inside-status").textContent = `The inside view cannot be shown now: ${e.message}`; });
}

// Photos: the reader (photo.js, and Python's photo bundle) loads the first time one is opened
let photos = null;
const photoReader = () => (photos ||= import("./photo.js").then((m) => m.setupPhoto({ call, apply, note, pad })));
function openPhoto(file) {
  if (!file) return;
  if (!ready) { note("Still loading: open the photo again once the page is ready."); return; }
  photoReader().then((p) => p.open(file), (e) => note(`Photos cannot be read now: ${e.message}`));
}
const photoShown = () => root.dataset.mode === "photo";
// The live camera (camera.js) shows its video in the photo view, so it loads the photo reader too
let camera = null;
function openCamera() {
  if (!ready) { note("Still loading: start the camera once the page is ready."); return; }
  camera ||= Promise.all([import("./camera.js"), photoReader()]).then(([m, p]) => m.setupCamera({ call, photos: p, note }));
  camera.then((c) => c.start(), (e) => { camera = null; note(`The camera cannot be used now: ${e.message}`); });
}

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

function bind() {
  $("pen").onclick = () => setTool("pen");
  $("eraser").onclick = () => setTool("eraser");
  $("pen-width").oninput = (e) => { pad.width = Number(e.target.value); };
  $("undo").onclick = () => change("undo");
  $("clear").onclick = () => change("clear");
  $("predict").onclick = (e) => act("predict", {}, e.timeStamp);
  $("normalize-toggle").onchange = async (e) => {
    $("predict").classList.toggle("normalized", e.target.checked);
    $("predict").classList.toggle("plain", !e.target.checked);
    await act("set", { name: "normalize", value: e.target.checked });
  };
  $("auto-predict").onchange = (e) => act("set", { name: "auto_predict", value: e.target.checked });
  const moves = { "move-left": [-1, 0], "move-right": [1, 0], "move-up": [0, -1], "move-down": [0, 1] };
  for (const [id, [dx, dy]] of Object.entries(moves)) $(id).onclick = () => change("move", { dx, dy });
  $("zoom-in").onclick = () => change("zoom", { direction: 1 });
  $("zoom-out").onclick = () => change("zoom", { direction: -1 });
  $("rotate-left").onclick = () => change("rotate", { degrees: -10 });
  $("rotate-right").onclick = () => change("rotate", { degrees: 10 });
  $("normalize").onclick = normalizePad;
  $("explain-toggle").onchange = () => act("predict");
  $("inside").ontoggle = openInside;
  $("backend-select").value = backendChoice;
  $("backend-select").onchange = (e) => {
    const u = new URL(location.href);
    u.searchParams.delete("backend");
    u.searchParams.delete("remembered");
    try { localStorage.setItem("digitpad.backend", e.target.value); } catch { u.searchParams.set("remembered", "no"); }
    if (e.target.value !== "auto") u.searchParams.set("backend", e.target.value);
    location.href = u.href;
  };
  if (params.get("remembered") === "no") {
    $("backend-note").dataset.extra = "This choice applies to this visit only: the browser would not let the page " +
      "remember it (its storage is full or blocked).";
  }
  document.addEventListener("keydown", onKey);
  $("photo").onchange = (e) => { $("camera-problem").hidden = true; openPhoto(e.target.files[0]); e.target.value = ""; };
  $("photo-open").onclick = () => $("photo").click();    // the bare file control cut the buttons' text on phones
  $("camera-open").hidden = !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);   // http: none
  $("camera-open").onclick = openCamera;
  $("camera-photo").onclick = () => $("photo").click();
  const fileOf = (list) => [...(list || [])].find((f) => f.kind === undefined || f.kind === "file");
  document.addEventListener("dragover", (e) => { if (e.dataTransfer.types.includes("Files")) e.preventDefault(); });
  document.addEventListener("drop", (e) => { const f = fileOf(e.dataTransfer.files); if (f) { e.preventDefault(); openPhoto(f); } });
  document.addEventListener("paste", (e) => { const f = fileOf(e.clipboardData && e.clipboardData.files); if (f) { e.preventDefault(); openPhoto(f); } });
}

function onKey(e) {
  const t = e.target;
  if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement) return;
  const onButton = t instanceof HTMLButtonElement || t instanceof HTMLElement && t.tagName === "SUMMARY";
  const keys = {
    Delete: () => change("clear"), Backspace: () => change("clear"),
    ArrowLeft: () => change("move", { dx: -1, dy: 0 }), ArrowRight: () => change("move", { dx: 1, dy: 0 }),
    ArrowUp: () => change("move", { dx: 0, dy: -1 }), ArrowDown: () => change("move", { dx: 0, dy: 1 }),
    "+": () => change("zoom", { direction: 1 }), "=": () => change("zoom", { direction: 1 }),
    "-": () => change("zoom", { direction: -1 }),
    "[": () => change("rotate", { degrees: -10 }), "]": () => change("rotate", { degrees: 10 }),
    n: normalizePad, p: () => setTool("pen"), e: () => setTool("eraser"),
  };
  if (photoShown()) {                     // the pad is out of sight: only Enter and the teaching keys act
    if (e.key === "Escape") $("photo-back").click();
    else if (e.key === "Enter" && !onButton) act("predict");
    else if (!e.ctrlKey && !e.metaKey && !e.altKey && teach.key(e)) e.preventDefault();
    return;
  }
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") { e.preventDefault(); change("undo"); return; }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "Enter" && !onButton) { e.preventDefault(); act("predict", {}, e.timeStamp); return; }
  if (keys[e.key]) { e.preventDefault(); keys[e.key](); } else if (teach.key(e)) e.preventDefault();
}

function onPythonMessage(ev) {
  const m = ev.data;
  if (m.type === "progress") progress(m.phase, m.fraction, m.label);
  else if (m.type === "ready") { started.python = m; maybeReady(); }
  else if (m.type === "fatal") fatal(m.message, m.phase);
  else if (m.type === "dead") dead(m.message);
  else if (m.type === "import-progress") collect.progress(m.done, m.total);
  else if (m.type === "kept") teach.kept();   // teaching kept for the next visit
  else if (m.type === "result" && waiting.has(m.id)) {
    if (m.result && m.result.timing) m.result.timing.page_in = performance.timeOrigin + performance.now();
    waiting.get(m.id)(m.result);
    waiting.delete(m.id);
  }
}

function onModelMessage(ev) {
  const m = ev.data;
  if (m.type === "backend") {
    $("backend").textContent = m.backend;
    $("backend").dataset.backend = m.backend;
    $("backend-note").textContent = [m.note, $("backend-note").dataset.extra].filter(Boolean).join(" ");
    if (m.fallback) note(m.note);
  } else if (m.type === "ready") { started.model = m; maybeReady(); }
  else if (m.type === "fatal") fatal(m.message, m.phase);
}

async function maybeReady() {
  if (!started.python || !started.model || ready || root.dataset.error) return;
  if (!started.model.hasDigitOrNot || started.model.warnings.length) progress("models", 0.9, "Models loaded with warnings");
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
  collect.ready();
  teach.ready();
  registerServiceWorker(started.model.files, () => pad.strokes).catch(() => {});
}

let padShownAt = Infinity;

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
  watchIntegrity(new URL(".", import.meta.url).pathname.split("/").filter(Boolean).pop(), () => ready || !!root.dataset.error, fatal);
  watchLongTasks(root, () => padShownAt);
  buildProbabilities();
  bind();
  setTool("pen");
  markPadShown();
  sweeps = setupSweep({ call, pad, note, isReady: () => ready, onAngle: (angle) => follow({ angle }) });
  collect = setupCollect({ collect: collectCall, isReady: () => ready, onStored: (label) => teach.learned(label) });
  teach = setupTeach({ call, store: (label) => collect.store(label), apply, isReady: () => ready,
    isEmpty: () => !photoShown() && !pad.strokes.length, note });
  $("version").textContent = `digitpad ${root.dataset.version}, build ${root.dataset.build}`;
  const kept = keptDrawing();          // brought across an update's reload
  if (kept.length) { pad.setStrokes(kept); pending.push(...kept); }
}

start();
