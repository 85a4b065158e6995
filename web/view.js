// DOM updates from the view models that Python returns. No decisions are made here.
const $ = (id) => document.getElementById(id);
const COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4", "#b15928", "#444"];
const VERDICT_TEXT = { accepted: "Accepted", rejected: "Rejected", multiple: "More than one symbol", empty: "Draw a digit" };

// Base64 of raw bytes (images, float32 stroke points), as digitpad.browser sends them.
export function bytes(b64) {
  const s = atob(b64), out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function decodeStrokes(strokes) {
  return strokes.map((s) => ({ tool: s.tool, width: s.width, points: new Float32Array(bytes(s.points).buffer) }));
}

export function buildProbabilities() {
  const ul = $("probabilities");
  for (let d = 0; d < 10; d++) {
    const li = document.createElement("li");
    li.dataset.digit = String(d);
    li.setAttribute("aria-label", `digit ${d}`);
    li.textContent = "–";
    ul.appendChild(li);
  }
}

export function showPrediction(v) {
  const rejected = v.verdict === "rejected" || v.verdict === "multiple";
  const results = $("results"), symbols = v.number_symbols || [];
  results.classList.toggle("rejected", rejected);
  // several symbols: the number read is the headline (CSS); one: the digit, as in the seed app
  results.dataset.mode = v.verdict === "empty" ? "empty" : v.verdict === "multiple" && symbols.length > 1 ? "number" : "one";
  $("digit").textContent = v.digit === null || v.digit === undefined ? "?" : String(v.digit);
  const p = v.probabilities && v.digit !== null ? v.probabilities[v.digit] : null;
  $("confidence").textContent = p === null ? "" : `${(100 * p).toFixed(1)}% sure`;
  const verdict = $("verdict");
  verdict.dataset.verdict = v.verdict;
  const picked = v.selected ?? null, of = v.selected_of;   // a number: the answer below is one symbol's
  verdict.dataset.selected = of ? v.selected_verdict : "";
  $("verdict-text").textContent = of ?
    `${v.photo ? "Symbol" : "Digit"} ${of[0]} of ${of[1]}: ${VERDICT_TEXT[v.selected_verdict].toLowerCase()}` :
    v.verdict === "multiple" && symbols.length > 1 ? `${VERDICT_TEXT.multiple}: ${symbols.length} read` :
    VERDICT_TEXT[v.verdict] || v.verdict;
  const share = v.digit_share ?? 0;
  verdict.style.setProperty("--share", String(v.verdict === "empty" ? 0 : share));
  verdict.title = v.verdict === "empty" ? "" : `digit: ${(100 * share).toFixed(1)}%`;
  const probs = v.probabilities;
  for (const li of $("probabilities").children) {
    const p = probs ? probs[Number(li.dataset.digit)] : null;
    li.textContent = p === null ? "–" : p.toFixed(4);
    li.style.setProperty("--p", String(p ?? 0));
    li.classList.toggle("best", p !== null && Number(li.dataset.digit) === v.digit);
    li.setAttribute("aria-label", p === null ? `digit ${li.dataset.digit}` : `digit ${li.dataset.digit}: ${(100 * p).toFixed(1)}%`);
  }
  const top = $("top3");
  top.replaceChildren(...(v.top3 || []).map((t) => {
    const li = document.createElement("li");
    li.textContent = `${t.digit}: ${(100 * t.p).toFixed(1)}%`;
    li.dataset.digit = String(t.digit);
    return li;
  }));
  paintEye(v.image ? bytes(v.image) : null);
  showNumber(v.number || "", symbols, symbols.length > 1 ? picked : null);
  $("message").textContent = v.message || "";
}

// The number read from the whole pad: its digits as text, and each digit's image and confidence,
// as a listbox whose selected option is the digit the rest of the answer describes (digits.js
// handles the clicks and keys). Items are reused from one answer to the next (a new canvas and
// its context on every stroke were most of the page's share of an answer); only their count changes.
function showNumber(text, symbols, picked) {
  $("number").textContent = text;
  const ol = $("number-digits");
  while (ol.children.length > symbols.length) ol.lastElementChild.remove();
  while (ol.children.length < symbols.length) {
    const li = document.createElement("li"), c = document.createElement("canvas");
    c.width = c.height = 28;
    li.append(c, document.createElement("span"));
    ol.appendChild(li);
  }
  symbols.forEach((s, i) => {
    const li = ol.children[i];
    li.classList.toggle("uncertain", s.uncertain);
    li.dataset.digit = String(s.digit);
    li.title = s.uncertain ? "Uncertain: look again at this one" : "";
    paintGrey(li.firstElementChild, bytes(s.image));
    li.lastElementChild.textContent = `${s.digit} · ${(100 * s.p).toFixed(0)}%`;
    li.setAttribute("aria-label", `${s.digit}, ${(100 * s.p).toFixed(0)} percent${s.uncertain ? ", uncertain" : ""}`);
    if (picked === null) {
      li.removeAttribute("role"); li.removeAttribute("aria-selected"); li.removeAttribute("tabindex");
    } else {
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(i === picked));
      li.tabIndex = i === picked ? 0 : -1;            // one Tab stop; the arrow keys move within
    }
  });
  if (picked === null) ol.removeAttribute("role"); else ol.setAttribute("role", "listbox");
}

function paintGrey(canvas, px) {
  const ctx = canvas.getContext("2d"), img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const g = px ? px[i] : 0;
    img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = g;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

// Why this digit: the heat map over the model's eye (and, by the render's placement, the pad).
const FOR = [27, 160, 70], AGAINST = [230, 120, 0];
export function heatOf(e) {
  const raw = new Int8Array(bytes(e.heat).buffer), heat = new Float32Array(784);
  for (let i = 0; i < 784; i++) heat[i] = raw[i] / 127;       // -1..1 of the largest evidence
  return heat;
}

export function paintExplain(e, eye, why = null) {
  const c = $("explain"), ctx = c.getContext("2d"), img = ctx.createImageData(28, 28);
  const heat = e ? heatOf(e) : null;
  for (let i = 0; i < 784; i++) {
    const g = (eye ? eye[i] : 0) * 0.55, h = heat ? heat[i] : 0, col = h >= 0 ? FOR : AGAINST, a = Math.min(Math.abs(h), 1);
    for (let k = 0; k < 3; k++) img.data[4 * i + k] = g * (1 - a) + col[k] * a;
    img.data[4 * i + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
  $("explain-text").textContent = why || !e ? why || "Switch on to see which ink the network's answer rests on." :
    `Evidence for ${e.digit} (${(100 * e.p).toFixed(1)}%) over ${e.runner_up} (${(100 * e.p_runner_up).toFixed(1)}%).`;
}

// A pad overlay that paints the heat map where each 28x28 pixel lies on the pad.
export function explainOverlay(e) {
  if (!e || !e.placement) return null;
  const heat = heatOf(e), { scale, offset, unit } = e.placement;
  const at = (x, y) => [(x * unit - offset[0]) / scale, (y * unit - offset[1]) / scale];
  return (ctx) => {
    for (let i = 0; i < 784; i++) {
      const h = heat[i];
      if (Math.abs(h) < 0.15) continue;
      const [x0, y0] = at(i % 28, Math.floor(i / 28)), [x1, y1] = at(i % 28 + 1, Math.floor(i / 28) + 1);
      const col = h >= 0 ? FOR : AGAINST;
      ctx.fillStyle = `rgba(${col[0]}, ${col[1]}, ${col[2]}, ${(0.5 * Math.min(Math.abs(h), 1)).toFixed(2)})`;
      ctx.fillRect(x0, y0, x1 - x0, y1 - y0);
    }
  };
}

export function paintEye(px) { paintGrey($("eye"), px); }

export function paintSweep(rows, upto = rows.length) {
  const c = $("sweep-chart"), ctx = c.getContext("2d");
  const w = c.width, h = c.height, n = rows.length || 36, bw = w / n;
  ctx.clearRect(0, 0, w, h);
  ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = "center";
  for (let i = 0; i < upto && i < rows.length; i++) {
    const r = rows[i], bh = (h - 40) * r.p;
    ctx.fillStyle = COLORS[r.digit];
    ctx.fillRect(i * bw + 2, h - 20 - bh, bw - 4, bh);
    ctx.fillStyle = "#111";
    ctx.fillText(String(r.digit), i * bw + bw / 2, h - 24 - bh);
    if (i % 3 === 0) { ctx.fillStyle = "#555"; ctx.fillText(`${r.angle}°`, i * bw + bw / 2, h - 5); }
  }
  $("sweep-list").replaceChildren(...rows.map((r) => {
    const li = document.createElement("li");
    li.textContent = `${r.angle}°: ${r.digit} (${(100 * r.p).toFixed(0)}%)`;
    li.dataset.angle = String(r.angle); li.dataset.digit = String(r.digit); li.dataset.p = String(r.p);
    return li;
  }));
}

export function progress(phase, fraction, label) {
  $("progress").value = fraction;
  $("progress-label").textContent = label;
  let reached = true;
  for (const li of $("phases").children) {
    if (li.dataset.phase === phase) { li.className = phase === "ready" ? "done" : "active"; reached = false; }
    else li.className = reached ? "done" : "";
  }
  if (phase === "ready") for (const li of $("phases").children) li.className = "done";
}
