// A plain-JS MNIST page done well, to measure digitpad against: the same digits.onnx and the
// same onnxruntime-web wasm build, MNIST-style preprocessing on a canvas (fit the ink in 20x20,
// centre of mass at the centre), predict when a stroke ends and on click. It sets the same
// readiness and timing attributes on <html> as digitpad, so `build.py bench` reads both alike.
import * as ortModule from "./vendor/ort/ort.wasm.min.mjs";

const ort = ortModule.default && ortModule.default.InferenceSession ? ortModule.default : ortModule;
const root = document.documentElement;
const $ = (id) => document.getElementById(id);
const pad = $("pad"), ctx = pad.getContext("2d", { willReadFrequently: true });
const PEN = 18 / 280;                      // digitpad's default pen, as a share of the pad
let session = null, current = null, strokes = 0;

function resize() {
  const px = Math.round(pad.getBoundingClientRect().width * (window.devicePixelRatio || 1));
  if (px !== pad.width) { pad.width = pad.height = px; clear(); }
}

function clear() {
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, pad.width, pad.height);
}

function at(e) {
  const r = pad.getBoundingClientRect();
  return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
}

pad.addEventListener("pointerdown", (e) => {
  pad.setPointerCapture(e.pointerId);
  current = at(e);
  ctx.lineWidth = PEN * pad.width; ctx.lineCap = ctx.lineJoin = "round"; ctx.strokeStyle = ctx.fillStyle = "#000";
  ctx.beginPath(); ctx.arc(current[0], current[1], ctx.lineWidth / 2, 0, 2 * Math.PI); ctx.fill();
});
pad.addEventListener("pointermove", (e) => {
  if (!current) return;
  for (const ev of e.getCoalescedEvents ? e.getCoalescedEvents() : [e]) {
    const p = at(ev);
    ctx.beginPath(); ctx.moveTo(current[0], current[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
    current = p;
  }
});
pad.addEventListener("pointerup", async (e) => {
  if (!current) return;
  current = null;
  const no = ++strokes;
  if (await predict() !== null) {
    record("strokeMs", e.timeStamp);
    const [pre, net, shown] = lastTimes;   // where the time went, as build.py bench reads digitpad's
    root.dataset.strokePhases = JSON.stringify({ "pointer up → preprocessed (canvas)": +(pre - e.timeStamp).toFixed(2),
      "networks (onnxruntime)": +(net - pre).toFixed(2), "page: DOM update": +(shown - net).toFixed(2) });
    root.dataset.strokeAnswered = String(no);
  }
});

// MNIST's recipe on a canvas: crop the ink, scale it into a 20x20 box (aspect kept, smoothed),
// paste it into 28x28 and shift by whole pixels so the centre of mass is at the centre.
function preprocess() {
  const { width: w, height: h } = pad;
  const px = ctx.getImageData(0, 0, w, h).data;
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    if (px[(y * w + x) * 4] < 128) { if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y; }
  }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1, k = 20 / Math.max(bw, bh);
  const small = new OffscreenCanvas(28, 28), sctx = small.getContext("2d", { willReadFrequently: true });
  sctx.fillStyle = "#fff"; sctx.fillRect(0, 0, 28, 28);
  sctx.imageSmoothingEnabled = true; sctx.imageSmoothingQuality = "high";
  sctx.drawImage(pad, x0, y0, bw, bh, 14 - bw * k / 2, 14 - bh * k / 2, bw * k, bh * k);
  const g = sctx.getImageData(0, 0, 28, 28).data;
  const ink = new Float32Array(784);
  let m = 0, mx = 0, my = 0;
  for (let i = 0; i < 784; i++) {
    const v = 1 - g[i * 4] / 255;
    ink[i] = v; m += v; mx += v * (i % 28); my += v * Math.floor(i / 28);
  }
  const dx = Math.round(13.5 - mx / m), dy = Math.round(13.5 - my / m);
  const out = new Float32Array(784);
  for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) {
    const sx = x - dx, sy = y - dy;
    if (sx >= 0 && sx < 28 && sy >= 0 && sy < 28) out[y * 28 + x] = ink[sy * 28 + sx];
  }
  return out;
}

let lastTimes = null;   // the last prediction's clock readings: preprocessed, networks done, DOM updated
async function predict() {
  if (!session) return null;
  const image = preprocess();
  if (!image) { $("digit").textContent = "?"; return null; }
  const pre = performance.now();
  const out = await session.run({ image: new ort.Tensor("float32", image, [1, 1, 28, 28]) });
  const net = performance.now();
  const p = out.probabilities.data;
  let best = 0;
  for (let d = 1; d < 10; d++) if (p[d] > p[best]) best = d;
  $("digit").textContent = String(best);
  const items = $("probabilities").children;
  for (let d = 0; d < 10; d++) items[d].textContent = `${d}: ${p[d].toFixed(4)}`;
  const eye = $("eye").getContext("2d"), img = eye.createImageData(28, 28);
  for (let i = 0; i < 784; i++) { const v = 255 * image[i]; img.data.set([v, v, v, 255], i * 4); }
  eye.putImageData(img, 0, 0);
  root.dataset.predictions = String(Number(root.dataset.predictions || 0) + 1);
  lastTimes = [pre, net, performance.now()];
  return best;
}

function record(name, since) { root.dataset[name] = (performance.now() - since).toFixed(2); }

$("predict").addEventListener("click", async (e) => { if (await predict() !== null) record("predictMs", e.timeStamp); });
$("clear").addEventListener("click", () => { clear(); $("digit").textContent = "?"; });
document.addEventListener("keydown", (e) => { if (e.key === "Delete") $("clear").click(); });

async function start() {
  for (let d = 0; d < 10; d++) $("probabilities").appendChild(document.createElement("li"));
  resize();
  new ResizeObserver(resize).observe(pad);
  ort.env.wasm.wasmPaths = new URL("./vendor/ort/", import.meta.url).href;
  ort.env.wasm.numThreads = 1;             // as digitpad: threads need cross-origin isolation
  session = await ort.InferenceSession.create("models/digits.onnx", { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
  root.dataset.readyMs = performance.now().toFixed(0);
  root.dataset.ready = "true";
}

start().catch((e) => { root.dataset.error = String(e.message || e); });
