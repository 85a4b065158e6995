// Boot, pointer capture, painting and DOM updates; every decision is made by Python in the worker.
import { Pad } from "./pad.js";
import { buildProbabilities, paintSweep, progress, showPrediction } from "./view.js";
import { setupCollect } from "./collect.js";

const $ = (id) => document.getElementById(id);
const root = document.documentElement;
const params = new URLSearchParams(location.search);
const backendChoice = params.get("backend") || localStorage.getItem("digitpad.backend") || "auto";

let worker, ready = false, nextId = 1;
const waiting = new Map();
const pending = [];          // strokes drawn before Python was ready
let settings = { normalize: true, auto_predict: true };
let sweepRun = 0;
let collect = null;

function call(action, payload = {}) {
  return new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    worker.postMessage({ type: "action", id, action, payload });
  });
}

function note(text) { $("message").textContent = text; }

function applyState(r) {
  if (!r) return r;
  if (r.error) { note(r.error); return r; }
  if (r.strokes) pad.setStrokes(r.strokes);
  if (r.settings) settings = r.settings;
  $("undo").disabled = r.can_undo === false;
  return r;
}

async function act(action, payload) {
  if (!ready) { note("Still loading: your drawing is kept and will be read as soon as Python is ready."); return null; }
  return applyState(await call(action, payload));
}

async function predict() {
  if (!ready) return;
  const t0 = performance.now();
  const v = await call("predict");
  if (v.error) { note(v.error); return; }
  showPrediction(v);
  root.dataset.predictMs = (performance.now() - t0).toFixed(2);   // read by `build.py bench`
  root.dataset.predictions = String(Number(root.dataset.predictions || 0) + 1);
}

async function change(action, payload) {
  const r = await act(action, payload);
  if (r && !r.error && settings.auto_predict) await predict();
  return r;
}

const pad = new Pad($("pad"), async (stroke) => {
  if (!ready) { pending.push(stroke); note("Still loading: your drawing is kept."); return; }
  await change("stroke", stroke);
});

function setTool(tool) {
  pad.tool = tool;
  $("pen").setAttribute("aria-pressed", String(tool === "pen"));
  $("eraser").setAttribute("aria-pressed", String(tool === "eraser"));
}

async function normalizePad() {
  const r = await change("normalize");
  if (r && r.bbox) {            // show the symbol's new box for a moment
    pad.paint(0, r.bbox);
    setTimeout(() => pad.paint(), 700);
  }
}

async function sweep() {
  if (!ready) return;
  const run = ++sweepRun;
  $("sweep").disabled = true; $("sweep-stop").disabled = false;
  const t0 = performance.now();
  const r = await call("sweep");
  if (r.error || !r.sweep.length) { note(r.error || r.message); finishSweep(); return; }
  root.dataset.sweepMs = (performance.now() - t0).toFixed(2);
  root.dataset.sweeps = String(Number(root.dataset.sweeps || 0) + 1);
  const rows = r.sweep;
  let i = 0;
  const step = () => {         // replay the batched answers angle by angle on the pad
    if (run !== sweepRun) return;
    paintSweep(rows, i + 1);
    pad.paint(rows[i].angle);
    note(`${rows[i].angle}°: ${rows[i].digit} (${(100 * rows[i].p).toFixed(0)}%)`);
    if (++i < rows.length) setTimeout(step, 60); else finishSweep();
  };
  paintSweep(rows, 0);
  step();
}

function finishSweep() {
  $("sweep").disabled = false; $("sweep-stop").disabled = true;
  pad.paint();
}

function stopSweep() { sweepRun++; finishSweep(); note("Sweep stopped."); }

function bind() {
  $("pen").onclick = () => setTool("pen");
  $("eraser").onclick = () => setTool("eraser");
  $("pen-width").oninput = (e) => { pad.width = Number(e.target.value); };
  $("undo").onclick = () => change("undo");
  $("clear").onclick = () => change("clear");
  $("predict").onclick = () => predict();
  $("normalize-toggle").onchange = async (e) => {
    $("predict").classList.toggle("normalized", e.target.checked);
    $("predict").classList.toggle("plain", !e.target.checked);
    await change("set", { name: "normalize", value: e.target.checked });
  };
  $("auto-predict").onchange = (e) => act("set", { name: "auto_predict", value: e.target.checked });
  const moves = { "move-left": [-1, 0], "move-right": [1, 0], "move-up": [0, -1], "move-down": [0, 1] };
  for (const [id, [dx, dy]] of Object.entries(moves)) $(id).onclick = () => change("move", { dx, dy });
  $("zoom-in").onclick = () => change("zoom", { direction: 1 });
  $("zoom-out").onclick = () => change("zoom", { direction: -1 });
  $("rotate-left").onclick = () => change("rotate", { degrees: -10 });
  $("rotate-right").onclick = () => change("rotate", { degrees: 10 });
  $("normalize").onclick = normalizePad;
  $("sweep").onclick = sweep;
  $("sweep-stop").onclick = stopSweep;
  $("backend-select").value = backendChoice;
  $("backend-select").onchange = (e) => {
    localStorage.setItem("digitpad.backend", e.target.value);
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
    Delete: () => change("clear"), Backspace: () => change("clear"),
    ArrowLeft: () => change("move", { dx: -1, dy: 0 }), ArrowRight: () => change("move", { dx: 1, dy: 0 }),
    ArrowUp: () => change("move", { dx: 0, dy: -1 }), ArrowDown: () => change("move", { dx: 0, dy: 1 }),
    "+": () => change("zoom", { direction: 1 }), "=": () => change("zoom", { direction: 1 }),
    "-": () => change("zoom", { direction: -1 }),
    "[": () => change("rotate", { degrees: -10 }), "]": () => change("rotate", { degrees: 10 }),
    n: normalizePad, p: () => setTool("pen"), e: () => setTool("eraser"),
  };
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") { e.preventDefault(); change("undo"); return; }
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.key === "Enter" && !onButton) { e.preventDefault(); predict(); return; }
  if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
}

function onWorkerMessage(ev) {
  const m = ev.data;
  if (m.type === "progress") progress(m.phase, m.fraction, m.label);
  else if (m.type === "backend") {
    $("backend").textContent = m.backend;
    $("backend").dataset.backend = m.backend;
    $("backend-note").textContent = m.note || "";
    if (m.fallback) note(m.note);
  } else if (m.type === "ready") onReady(m);
  else if (m.type === "fatal") fatal(m.message, m.phase);
  else if (m.type === "result" && waiting.has(m.id)) { waiting.get(m.id)(m.result); waiting.delete(m.id); }
}

async function onReady(m) {
  ready = true;
  $("loading").classList.add("done");
  for (const w of m.warnings || []) note(w);
  for (const s of pending.splice(0)) await call("stroke", s);
  applyState(await call("state"));
  root.dataset.readyMs = performance.now().toFixed(0);
  root.dataset.ready = "true";
  collect.refresh();
  if (pad.strokes.length) await predict();
}

function fatal(message, phase) {
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

async function start() {
  watchLongTasks();
  buildProbabilities();
  bind();
  setTool("pen");
  markPadShown();
  collect = setupCollect({ call: (a, p) => call(a, p), isReady: () => ready, pad, note });
  try {               // the pad already works; loading starts once the service worker is in charge
    const sw = await import("./sw-client.js");
    await sw.registerServiceWorker();
    await sw.untilControlled();
  } catch { /* no service worker: load directly */ }
  try {
    worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  } catch (e) { fatal(`the background worker could not start: ${e.message}`, "runtime"); return; }
  worker.onmessage = onWorkerMessage;
  worker.onerror = (e) => fatal(`the background worker failed: ${e.message || "a file is missing or broken"}`, "runtime");
  worker.postMessage({ type: "boot", backend: backendChoice });
  fetch("build.json").then((r) => r.json()).then((b) => { $("version").textContent = `digitpad ${b.version}, build ${b.build}`; })
    .catch(() => {});
}

start();
