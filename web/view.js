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
  $("results").classList.toggle("rejected", rejected);
  $("digit").textContent = v.digit === null || v.digit === undefined ? "?" : String(v.digit);
  const verdict = $("verdict");
  verdict.dataset.verdict = v.verdict;
  $("verdict-text").textContent = VERDICT_TEXT[v.verdict] || v.verdict;
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
  $("message").textContent = v.message || "";
}

export function paintEye(px) {
  const c = $("eye"), ctx = c.getContext("2d");
  const img = ctx.createImageData(28, 28);
  for (let i = 0; i < 784; i++) {
    const g = px ? px[i] : 0;
    img.data.set([g, g, g, 255], i * 4);
  }
  ctx.putImageData(img, 0, 0);
}

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
