// "Inside the network" (issue 29), the page's half: loaded the first time the panel opens.
// Python (digitpad.inside) makes the view: every layer's output scaled and laid out, the text, the
// selected map with its filters or unit with its weights, the receptive fields. This module builds
// the table once, paints what each reply carries, and outlines, on the input and on the pad, the
// patch of ink that the cell under the pointer looks at.
import { bytes } from "./view.js";
import { strokePhases } from "./timing.js";

const $ = (id) => document.getElementById(id);
const root = document.documentElement;
const TILE = 36, INPUT = 84, CLOSE = 168;          // CSS pixels: a map's tile, the input's, the closer view

// 594922 -> "594,922" (toLocaleString loads the browser's number formats: 10-30 ms the first time)
const thousands = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

export function setupInside({ call, pad, isReady }) {
  const style = document.createElement("link");           // its styles come with it, not on a first visit
  style.rel = "stylesheet";
  style.href = new URL("./inside.css", import.meta.url).href;
  document.head.append(style);
  const body = $("inside-body"), status = $("inside-status");
  let built = false, selection = null, run = 0, view = null, hovered = null, padOverlay = null;

  async function update({ since = null, angle = 0 } = {}) {
    if (!$("inside").open) return;                 // closed: nothing is asked for
    if (!isReady()) { status.textContent = "Still loading: the inside view follows once the page is ready."; return; }
    const mine = ++run, sent = performance.now();
    const r = await call("inside", { select: selection || false, angle });
    if (mine !== run || !r || r.skipped) return;   // a newer answer is on its way
    if (r.error) { status.textContent = r.error; return; }
    if (!built) {                                  // the table first, its pictures a frame later: two short tasks
      build(r.inside.rows, r.inside.digit_params);
      await new Promise(requestAnimationFrame);
      if (mine !== run) return;
    }
    const painting = performance.now();
    paint(r.inside);
    root.dataset.insidePaintMs = (performance.now() - painting).toFixed(2);     // the main thread's share
    root.dataset.insideAngle = String(r.inside.angle || 0);
    if (r.inside.angle) root.dataset.insideAngles = String(Number(root.dataset.insideAngles || 0) + 1);
    if (since !== null) root.dataset.insideStrokeMs = (performance.now() - since).toFixed(2);
    if (r.timing) root.dataset.insidePhases = JSON.stringify(strokePhases(r.timing, sent, sent));
    root.dataset.insides = String(Number(root.dataset.insides || 0) + 1);
  }

  function build(rows, params) {
    const table = document.createElement("table");
    table.id = "inside-layers";
    table.innerHTML = `<caption class="hint">Every layer of the network that answers, read from its graph, with its
      output for what you drew. Select a map or a unit to look closer.</caption>
      <thead><tr><th scope="col">Layer</th><th scope="col">Output shape</th><th scope="col">Parameters</th>
      <th scope="col">Its output for your drawing</th></tr></thead><tbody></tbody>
      <tfoot><tr><th scope="row">Digit network <span class="brief">${thousands(params)} parameters</span></th><td></td>
      <td class="num">${thousands(params)}</td><td></td></tr></tfoot>`;
    const tbody = table.tBodies[0];
    for (const row of rows) {
      const tr = tbody.insertRow();
      tr.dataset.layer = row.name;
      tr.dataset.network = row.network;
      tr.dataset.shape = row.shape.join("×");
      tr.dataset.params = String(row.params);
      tr.innerHTML = `<th scope="row"><span></span> <span class="brief"></span></th><td></td><td class="num"></td>
        <td><p class="hint"></p><div class="out"></div></td>`;
      tr.cells[0].firstChild.textContent = row.name;
      // on a phone the shape and parameter columns fold into this cell (inside.css): the maps get the width
      tr.cells[0].lastChild.textContent = `${row.shape.join("×")}, ${thousands(row.params)} parameters`;
      tr.cells[1].textContent = row.shape.join("×");
      tr.cells[2].textContent = thousands(row.params);
      tr.cells[3].firstChild.textContent = row.text;
    }
    body.append(table);
    built = true;
  }

  function grey(canvas, px, w, h, offset = 0) {
    const ctx = canvas.getContext("2d"), img = ctx.createImageData(w, h);
    for (let i = 0; i < w * h; i++) {
      const g = px[offset + i];
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = g;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function rgba(canvas, pic, scale) {
    canvas.width = pic.w; canvas.height = pic.h;
    canvas.style.width = `${pic.w * scale}px`; canvas.style.height = `${pic.h * scale}px`;
    canvas.getContext("2d").putImageData(new ImageData(new Uint8ClampedArray(bytes(pic.rgba).buffer), pic.w, pic.h), 0, 0);
  }

  function choose(sel) {
    selection = sel;
    update();
  }

  // A layer's maps: one canvas (Python laid the tiles out), a map chosen by a click or by the
  // arrow keys and Enter; the tile under the keyboard's cursor is named in the canvas's label.
  function maps(out, row) {
    let c = out.querySelector("canvas");
    const W = row.cols * (row.w + row.gap) - row.gap, H = Math.ceil(row.n / row.cols) * (row.h + row.gap) - row.gap;
    if (!c || c.width !== W || c.height !== H) {
      out.replaceChildren(c = document.createElement("canvas"));
      c.className = "inside-maps";
      c.width = W; c.height = H;
      c.style.width = `${W * (row.layer === "input" ? INPUT : TILE) / row.w}px`;
      c.setAttribute("role", "button");
      c.tabIndex = 0;
      c.cursor = 0;
      const at = (e) => {
        const b = c.getBoundingClientRect();
        const x = Math.floor((e.clientX - b.left) / b.width * W / (row.w + row.gap));
        const y = Math.floor((e.clientY - b.top) / b.height * H / (row.h + row.gap));
        return Math.min(c.row.n - 1, y * c.row.cols + Math.min(c.row.cols - 1, x));
      };
      c.onclick = (e) => { c.cursor = at(e); choose([row.row, c.cursor]); };
      c.onkeydown = (e) => {
        const step = { ArrowRight: 1, ArrowDown: row.cols, ArrowLeft: -1, ArrowUp: -row.cols }[e.key];
        if (e.key === "Enter" || e.key === " ") choose([row.row, c.cursor]);
        else if (step) { c.cursor = Math.min(row.n - 1, Math.max(0, c.cursor + step)); paintMaps(c); } else return;
        e.preventDefault();
        e.stopPropagation();              // the page's keys (arrows move the drawing, Enter predicts) stay out
      };
      c.onfocus = c.onblur = () => paintMaps(c);
    }
    c.row = row;
    c.px = bytes(row.pixels);
    paintMaps(c);
  }

  function paintMaps(c) {
    const row = c.row, ctx = c.getContext("2d");
    grey(c, c.px, c.width, c.height);
    const ring = (i, colour) => {
      const x = (i % row.cols) * (row.w + row.gap), y = Math.floor(i / row.cols) * (row.h + row.gap);
      ctx.strokeStyle = colour; ctx.lineWidth = 1;
      ctx.strokeRect(x - 0.5, y - 0.5, row.w + 1, row.h + 1);
    };
    const chosen = selection && selection[0] === row.row ? selection[1] : null;
    if (chosen !== null) ring(chosen, "#d9480f");
    if (document.activeElement === c) ring(c.cursor, "#1c7ed6");
    c.dataset.maps = String(row.n);
    c.setAttribute("aria-pressed", String(chosen !== null));
    c.setAttribute("aria-label", `${alt(row, c.cursor)}${chosen !== null ? `; map ${chosen + 1} is shown larger above` : ""}.` +
      (row.n > 1 ? " Arrow keys move between the maps, Enter shows one larger." : " Enter shows it larger."));
  }

  // A map's text alternative: the layer, the map, its strongest cell (Python found it).
  function alt(row, i) {
    const [r, c, pct] = row.peaks.slice(3 * i, 3 * i + 3), head = `${row.name}, map ${i + 1} of ${row.n}`;
    return pct > 0 ? `${head}: strongest at row ${r + 1}, column ${c + 1} (${pct}% of the layer's strongest)`
      : `${head}: dark, it found nothing`;
  }

  function strip(out, row) {
    let c = out.querySelector("canvas");
    const rows = Math.ceil(row.n / row.cols);
    if (!c) {
      out.replaceChildren(c = document.createElement("canvas"));
      c.className = "inside-strip";
      c.width = row.cols; c.height = rows;
      c.style.aspectRatio = `${row.cols} / ${rows * 4}`;        // each value a short bar
      c.setAttribute("role", "button");
      c.tabIndex = 0;
      const at = (e) => {
        const b = c.getBoundingClientRect();
        const x = Math.floor((e.clientX - b.left) / b.width * row.cols), y = Math.floor((e.clientY - b.top) / b.height * rows);
        return Math.min(row.n - 1, y * row.cols + x);
      };
      c.onclick = (e) => choose([row.row, at(e)]);
      c.onkeydown = (e) => {
        const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: row.cols, ArrowUp: -row.cols }[e.key];
        if (!step) return;
        e.preventDefault();
        e.stopPropagation();
        const now = selection && selection[0] === row.row ? selection[1] : -step;
        choose([row.row, Math.min(row.n - 1, Math.max(0, now + step))]);
      };
    }
    const px = new Uint8Array(row.cols * rows);
    px.set(bytes(row.pixels));
    grey(c, px, row.cols, rows);
    c.setAttribute("aria-label", `${row.alt}. Select a value to look closer; arrow keys move.`);
  }

  function values(out, row) {
    const ol = document.createElement("ol");
    ol.className = "inside-values";
    const top = Math.max(...row.values.map(Math.abs), 1e-9), prob = row.layer === "softmax";
    row.values.forEach((v, i) => {
      const li = document.createElement("li");
      li.innerHTML = "<b></b><span></span>";
      li.firstChild.textContent = row.labels[i];
      li.lastChild.textContent = prob ? `${(100 * v).toFixed(1)}%` : v.toFixed(2);
      li.style.borderBottomColor = `rgba(${v >= 0 ? "217, 72, 15" : "28, 126, 214"}, ${Math.abs(v) / top})`;
      ol.append(li);
    });
    out.replaceChildren(ol);
  }

  function closer(c) {
    let box = $("inside-closer");
    if (!box) {
      box = document.createElement("div");
      box.id = "inside-closer";
      box.innerHTML = `<canvas id="inside-input" width="${CLOSE}" height="${CLOSE}" role="img"></canvas>
        <canvas id="inside-map" role="img"></canvas><canvas id="inside-weights" role="img"></canvas><p id="inside-text"></p>`;
      body.prepend(box);
      const map = $("inside-map");
      const cell = (e) => {
        if (!view || !view.closer.h) return null;
        const b = map.getBoundingClientRect(), k = view.closer;
        return [Math.floor((e.clientY - b.top) / b.height * k.h), Math.floor((e.clientX - b.left) / b.width * k.w)];
      };
      map.onpointermove = map.onpointerdown = (e) => { hovered = cell(e); outline(); };
      map.onpointerleave = () => { hovered = null; outline(); };
    }
    const has = !!c.kind;
    $("inside-map").hidden = c.kind !== "map";
    $("inside-weights").hidden = !(c.filters || c.weights);
    $("inside-text").textContent = has ? c.text : "Select a map or a unit below to look closer. Point at a cell of a map: its patch of ink is outlined here and on your drawing.";
    if (c.kind === "map") {
      const m = $("inside-map");
      m.width = c.w; m.height = c.h;
      grey(m, bytes(c.pixels), c.w, c.h);
      m.setAttribute("aria-label", `${c.name}, map ${c.index + 1}, large`);
    }
    const pic = c.filters || c.weights;
    if (pic) {
      rgba($("inside-weights"), pic, Math.max(1, Math.min(32, Math.floor(288 / pic.w))));
      $("inside-weights").setAttribute("aria-label", c.filters ? "Its filter's weights" : "The unit's weights, folded into maps");
    }
    if (hovered && (!c.h || hovered[0] >= c.h || hovered[1] >= c.w)) hovered = null;
    outline();
  }

  // The input at CLOSE pixels, and the receptive field of the cell pointed at, here and on the pad.
  function outline() {
    if (!view) return;
    const input = view.rows.find((r) => r.layer === "input");
    const cv = $("inside-input"), ctx = cv.getContext("2d");
    ctx.fillStyle = "#000"; ctx.fillRect(0, 0, CLOSE, CLOSE);
    if (input && input.pixels) {
      const small = document.createElement("canvas");
      small.width = small.height = 28;
      grey(small, bytes(input.pixels), 28, 28);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(small, 0, 0, CLOSE, CLOSE);
    }
    const k = view.closer, box = hovered && k.kind === "map" ?
      [hovered[1] * k.jump, hovered[0] * k.jump, k.size] : null;      // x, y, side in input pixels
    cv.setAttribute("aria-label", box ? `The input; outlined: the ${box[2]}×${box[2]} patch that cell looks at` : "The input the network was given");
    root.dataset.insideOutline = box ? box.join(",") : "";
    if (box) {
      const s = CLOSE / 28;
      ctx.strokeStyle = "#d9480f"; ctx.lineWidth = 3;
      ctx.strokeRect(box[0] * s, box[1] * s, box[2] * s, box[2] * s);
    }
    const had = padOverlay !== null;
    if (had && pad.overlay === padOverlay) pad.overlay = null;
    padOverlay = null;
    const p = view.placement;
    if (box && p && !view.angle) {
      const at = (x, y) => [(x * p.unit - p.offset[0]) / p.scale, (y * p.unit - p.offset[1]) / p.scale];
      const [x0, y0] = at(box[0], box[1]), [x1, y1] = at(box[0] + box[2], box[1] + box[2]);
      const under = pad.overlay;
      padOverlay = pad.overlay = (c2, scale) => {
        if (under) under(c2, scale);
        c2.strokeStyle = "#d9480f"; c2.lineWidth = 3; c2.strokeRect(x0, y0, x1 - x0, y1 - y0);
      };
    }
    if (had || padOverlay) pad.paint();
  }

  function paint(v) {
    view = v;
    status.textContent = v.empty ? "Draw a digit: each layer's output for it appears here." : (v.note || "");
    const trs = $("inside-layers").tBodies[0].rows;
    for (const row of v.rows) {
      const out = trs[row.row].querySelector(".out");
      if (row.kind === "maps") maps(out, row);
      else if (row.kind === "strip") strip(out, row);
      else if (row.kind === "values") values(out, row);
      else out.replaceChildren();
    }
    if (!v.empty) closer(v.closer || {});
  }

  return { update };
}
