// Photos of handwritten numbers: loaded the first time a photo is opened (app.js imports this
// module then, and the Python worker fetches its photo bundle). Python reads the photo and decides
// everything; this module shows the photo scaled to fit, a box and the digit read over each symbol,
// the lines read, and lets a person select a symbol, drag a rectangle to read only that part,
// copy the numbers or save them as CSV, and go back to the pad, whose drawing is never touched.
// The live camera (camera.js) shows its video here, with the boxes of the last frame read over it.
import { setupZoom } from "./photo-zoom.js";

const $ = (id) => document.getElementById(id);
const root = document.documentElement;
const MAX_BYTES = 64 * 1024 * 1024;      // digitpad.photo.page.MAX_BYTES
const DRAG = 8;                          // px: a shorter drag is a tap on a box

export function setupPhoto({ call, apply, note, pad }) {
  const canvas = $("photo-canvas"), ctx = canvas.getContext("2d");
  let bitmap = null, photo = null, busy = false, queued = null, drag = null;
  let video = null, camera = null;       // live: the camera's video, and its controls (take, stop)
  let lit = null;                        // the line hovered or focused in the list: its boxes outlined
  const zoom = setupZoom(canvas, () => {
    const { z, cx, cy } = zoom.state();
    root.dataset.photoView = JSON.stringify({ z: +z.toFixed(4), cx: +cx.toFixed(4), cy: +cy.toFixed(4) });
    paint();
  });

  // The canvas keeps the photo's shape, as wide as its column, and a whole page fits the window's
  // height: zoom in for the detail
  const shownWidth = (aspect) => Math.round(Math.min(canvas.parentElement.clientWidth || 560,
    Math.max(280, (innerHeight - 80) / aspect)));

  const size = () => (video ? [video.videoWidth, video.videoHeight] : bitmap ? [bitmap.width, bitmap.height] : null);

  function fit() {
    const wh = size(), aspect = wh ? wh[1] / wh[0] : 0.75;
    const w = shownWidth(aspect);
    canvas.width = Math.round(w * devicePixelRatio);
    canvas.height = Math.round(w * aspect * devicePixelRatio);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${Math.round(w * aspect)}px`;
  }

  function paint() {
    const W = canvas.width, H = canvas.height, k = devicePixelRatio;
    ctx.clearRect(0, 0, W, H);
    const [vx, vy, vs] = zoom.visible();
    const [sw, sh] = size() || [0, 0];
    if (sw) ctx.drawImage(video || bitmap, vx * sw, vy * sh, vs * sw, vs * sh, 0, 0, W, H);
    const P = (x, y) => { const [u, v] = zoom.toView(x, y); return [u * W, v * H]; };   // photo 0..1 -> canvas px
    for (const [i, s] of (photo ? photo.symbols : []).entries()) {
      const q = s.quad, selected = i === photo.selected;
      ctx.beginPath();
      for (let j = 0; j < 8; j += 2) ctx[j ? "lineTo" : "moveTo"](...P(q[j], q[j + 1]));
      ctx.closePath();
      ctx.lineWidth = (selected ? 4 : 2) * k;
      ctx.strokeStyle = s.rejected ? "#a14d00" : s.uncertain ? "#b8860b" : "#197441";
      ctx.stroke();
      if (!s.rejected) {
        ctx.font = `bold ${Math.round(16 * k)}px system-ui, sans-serif`;
        const [x, y0] = P(q[0], q[1]), y = y0 - 4 * k;
        ctx.fillStyle = "rgba(255,255,255,.85)";
        ctx.fillRect(x, y - 16 * k, ctx.measureText(String(s.digit)).width + 6 * k, 18 * k);
        ctx.fillStyle = ctx.strokeStyle;
        ctx.fillText(String(s.digit), x + 3 * k, y);
      }
    }
    const line = lit !== null && photo && photo.lines[lit];
    if (line && line.symbols.length) {    // the line's boxes, outlined together
      const qs = line.symbols.map((i) => photo.symbols[i].quad), pad = 6 * k;
      const xs = qs.flatMap((q) => q.filter((_, j) => j % 2 === 0)), ys = qs.flatMap((q) => q.filter((_, j) => j % 2));
      const [x0, y0] = P(Math.min(...xs), Math.min(...ys)), [x1, y1] = P(Math.max(...xs), Math.max(...ys));
      ctx.lineWidth = 3 * k; ctx.strokeStyle = "#1f5fbf";
      ctx.strokeRect(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad);
    }
    if (line) root.dataset.photoLit = String(lit); else delete root.dataset.photoLit;
    if (drag && drag.moved) {
      ctx.setLineDash([6 * k, 4 * k]); ctx.lineWidth = 2 * k; ctx.strokeStyle = "#1f5fbf";
      const [x0, y0] = P(drag.x0, drag.y0), [x1, y1] = P(drag.x1, drag.y1);
      ctx.strokeRect(x0, y0, x1 - x0, y1 - y0);
      ctx.setLineDash([]);
    }
  }

  function showLines() {
    const ol = $("lines");
    const lines = photo ? photo.lines : [];
    lit = null;
    ol.replaceChildren(...lines.map((ln, n) => {
      const li = document.createElement("li");
      const unsure = ln.symbols.filter((i) => photo.symbols[i].uncertain && !photo.symbols[i].rejected).length;
      li.textContent = ln.number + (unsure ? ` (${unsure} uncertain)` : "");
      li.tabIndex = 0;                    // hovered or focused, a line outlines its boxes on the photo
      li.onmouseenter = li.onfocus = () => { lit = n; paint(); };
      li.onmouseleave = li.onblur = () => { if (lit === n) { lit = null; paint(); } };
      if (ln.symbols.includes(photo.selected)) li.setAttribute("aria-current", "true");
      return li;
    }));
    $("photo-lines").hidden = lines.length < 2;
    $("number-panel").hidden = lines.length >= 2;          // several lines: the list is the answer
    $("photo-copy").disabled = $("photo-csv").disabled = !lines.length;
    canvas.setAttribute("aria-label", photo && lines.length ? `The photo, read as ${lines.map((l) => l.number).join(", ")}` :
      "The photo: no handwritten digits found");
  }

  // on a phone the photo and camera buttons come after the answer: the photo shown is brought into view
  function reveal() {
    const r = canvas.getBoundingClientRect();
    if (r.top < 0 || r.top > innerHeight / 2) canvas.scrollIntoView({ block: "start" });
  }

  function show(on) {
    root.dataset.mode = on ? "photo" : "pad";
    for (const id of ["camera-take", "camera-stop"]) $(id).hidden = !(on && video);
    $("photo-whole").hidden = !!(on && video);
    $("photo-hint").textContent = video ? "Hold the paper so the numbers fill the picture: boxes show what is read. " +
      "“Take” keeps this picture, to select, teach or crop." : hint;
    $("photo-view").hidden = !on;
    if (!on) {                 // the pad's own answer: its number, no list of lines
      $("photo-lines").hidden = true;
      $("number-panel").hidden = false;
    }
    document.querySelector("#pad-panel .pad-frame").hidden = on;
  }

  const hint = $("photo-hint").textContent;

  function result(r) {
    if (r.view && r.view.photo) {
      photo = r.view.photo;
      apply(r);
      root.dataset.photos = String(Number(root.dataset.photos || 0) + 1);
      const t = r.timing || {};
      if (t.photo_in) {          // where a photo's time went (build.py bench): Python's phases, the networks
        const ph = r.view.photo.phases;
        root.dataset.photoPhases = JSON.stringify({ decode: ph.decode, clean: ph.clean, segment: ph.segment,
          networks: t.model_out && t.model_in ? t.model_out - t.model_in : 0, python: t.python_out - t.photo_in,
          images: ph.images });
      }
      showLines();
      paint();
    } else if (r.error) note(r.error);
    return r;
  }

  async function open(file) {
    if (camera) { camera.off(); video = camera = null; }     // a photo chosen while the camera was live
    if (busy) {          // the newest one is read next; a photo in between is skipped
      queued = file;
      note("Still reading the previous photo: this one is read next.");
      return;
    }
    if (file.size > MAX_BYTES) {
      note(`That file is ${(file.size / 1e6).toFixed(0)} MB: a photo of up to 64 MB can be read here.`);
      return;
    }
    // the browser decodes its own copy to show, at the size it is shown, in the Python worker
    // (scaling a 12 MP decode here blocked this thread); Python decodes the bytes
    // twice the shown size (at most 4096 px): the handwriting stays sharp zoomed in two times
    const width = Math.min(4096, Math.round(2 * shownWidth(0.75) * devicePixelRatio));
    await read(() => call("photo", { file, width }),
      (r) => r.bitmap || createImageBitmap(file, { resizeWidth: width, resizeQuality: "medium" }).catch(() => null));
    if (queued) { const next = queued; queued = null; open(next); }
  }

  // a camera frame kept ("Take"): shown as it is, read at `side` px by Python as any photo
  async function openFrame(shown, side) {
    video = camera = null;
    const frame = await createImageBitmap(shown);        // the worker's copy: it is transferred
    await read(() => call("photo", { frame, side }, [frame]), () => shown);
    if (bitmap !== shown) {                              // not read: back to the pad, and say why
      shown.close();
      const why = $("message").textContent;
      await back();
      note(why);
    }
  }

  async function read(ask, picture) {
    busy = true;
    root.dataset.photoBusy = "true";
    note("Reading the photo…");
    const t0 = performance.now();
    const r = await ask();
    const ok = !!(r.view && r.view.photo);
    const b = ok || r.bitmap ? await picture(r) : null;
    delete r.bitmap;
    if (ok) {
      if (bitmap) bitmap.close();
      bitmap = b;
      show(true);
      fit();
      zoom.reset();
      result(r);
      reveal();
      root.dataset.photoOpenMs = (performance.now() - t0).toFixed(1);
    } else {
      if (b) b.close();
      note(`${r.error || "The photo could not be read."}${photo ? "" : " Your drawing is still on the pad."}`);
      root.dataset.photoErrors = String(Number(root.dataset.photoErrors || 0) + 1);
    }
    busy = false;
    delete root.dataset.photoBusy;
  }

  // the camera's video in the view, painted as it plays; each frame read brings its boxes
  async function live(v, controls) {
    video = v;
    camera = controls;
    v.addEventListener("resize", () => { if (video === v) fit(); });    // a phone turned
    photo = null;
    show(true);
    fit();
    zoom.reset();
    showLines();
    reveal();
    // painted once per frame the camera gives (requestVideoFrameCallback), not once per screen
    // refresh: the canvas's GPU is the one the frames are read back through
    const next = (f) => (v.requestVideoFrameCallback ? v.requestVideoFrameCallback(f) : requestAnimationFrame(f));
    const tick = () => { if (video === v) { paint(); next(tick); } };
    next(tick);
  }

  // a live frame's answer -> whether a digit was read in it
  function liveResult(r) {
    if (!video) return false;
    if (!(r.view && r.view.photo)) {      // a frame that could not be read: the next one may be
      if (r.error) note(r.error);
      return false;
    }
    photo = r.view.photo;
    apply(r);
    showLines();
    paint();
    return photo.lines.length > 0;
  }

  async function stopLive() {
    if (!video) return;
    video = camera = null;
    await back();
  }

  async function back() {
    if (camera) { camera.stop(); return; }     // the camera's stop comes back here, once it is off
    video = null;
    show(false);
    pad.paint();
    apply(await call("photo_close"));
  }

  const at = (e) => {                   // the photo's point (0..1) under the pointer, through the zoom
    const r = canvas.getBoundingClientRect();
    const [x, y] = zoom.toPhoto((e.clientX - r.left) / r.width, (e.clientY - r.top) / r.height);
    return [Math.min(Math.max(x, 0), 1), Math.min(Math.max(y, 0), 1)];
  };
  const inside = (q, x, y) => {          // a point in a convex quad (corners clockwise)
    let sign = 0;
    for (let j = 0; j < 8; j += 2) {
      const [ax, ay, bx, by] = [q[j], q[j + 1], q[(j + 2) % 8], q[(j + 3) % 8]];
      const c = Math.sign((bx - ax) * (y - ay) - (by - ay) * (x - ax));
      if (c && sign && c !== sign) return false;
      sign = sign || c;
    }
    return true;
  };

  canvas.addEventListener("pointerdown", (e) => {
    if (zoom.down(e)) { drag = null; paint(); return; }      // two fingers: a pinch or a drag of the view
    if (!photo || busy || video) return;                     // live: "Take" first, then select or crop
    const [x, y] = at(e);
    drag = { x0: x, y0: y, x1: x, y1: y, sx: e.clientX, sy: e.clientY, moved: false };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (zoom.move(e) || !drag) return;
    [drag.x1, drag.y1] = at(e);
    drag.moved ||= Math.hypot(e.clientX - drag.sx, e.clientY - drag.sy) > DRAG;
    if (drag.moved) paint();
  });
  canvas.addEventListener("pointerup", async (e) => {
    if (zoom.up(e)) { drag = null; return; }
    const d = drag;
    drag = null;
    if (!d) return;
    if (d.moved) {
      note("Reading the part you marked…");
      result(await call("photo", { crop: [Math.min(d.x0, d.x1), Math.min(d.y0, d.y1), Math.max(d.x0, d.x1), Math.max(d.y0, d.y1)] }));
      return;
    }
    const i = photo.symbols.findIndex((s) => inside(s.quad, d.x0, d.y0));
    if (i < 0) return;
    result(await call("photo_select", { index: i }));
    const line = $("photo-lines").hidden ? null : $("lines").querySelector("li[aria-current]");
    if (line) line.scrollIntoView({ block: "nearest" });   // the box's line, brought into view in the list
  });
  canvas.addEventListener("pointercancel", (e) => { zoom.up(e); drag = null; paint(); });

  $("photo-back").onclick = back;
  $("camera-take").onclick = () => camera && camera.take();
  $("camera-stop").onclick = back;
  $("photo-whole").onclick = async () => { zoom.reset(); result(await call("photo", { crop: null })); };
  $("photo-zoom-in").onclick = () => zoom.step(1);
  $("photo-zoom-out").onclick = () => zoom.step(-1);
  $("photo-copy").onclick = async () => {
    const text = photo.lines.map((l) => l.number).join("\n");
    try { await navigator.clipboard.writeText(text); note(`Copied: ${text.replace(/\n/g, ", ")}`); } catch {
      note(`The browser would not copy: select the numbers in the list and copy them (${text.replace(/\n/g, ", ")}).`);
    }
  };
  $("photo-csv").onclick = () => {
    // one column per number of a line ("22 1": a form's row); a line of one number reads as before
    const most = Math.max(1, ...photo.lines.map((l) => l.numbers.length));
    const names = most === 1 ? ["number"] : Array.from({ length: most }, (_, k) => `number_${k + 1}`);
    const rows = [["line", ...names, "uncertain_digits"], ...photo.lines.map((l, i) => [i + 1,
      ...names.map((_, k) => l.numbers[k] ?? ""),
      l.symbols.filter((k) => photo.symbols[k].uncertain && !photo.symbols[k].rejected).length])];
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([rows.map((r) => r.join(",")).join("\n") + "\n"], { type: "text/csv" }));
    a.download = "digitpad-numbers.csv";
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  addEventListener("resize", () => { if (photo || video) { fit(); paint(); } });

  return { open, openFrame, live, liveResult, stopLive, result, active: () => root.dataset.mode === "photo" };
}
