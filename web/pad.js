// The drawing pad: pointer capture (mouse, touch, pen) and painting strokes in pad units.
// Painting happens here at once, so drawing never waits for Python.
export const PAD = 280;   // must match digitpad.strokes.PAD
const INK = "#10151c", PAPER = "#ffffff";

export class Pad {
  constructor(canvas, onStroke) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.onStroke = onStroke;
    this.strokes = [];      // what Python holds (or will, once ready)
    this.current = null;
    this.tool = "pen";
    this.width = 18;
    this.resize();
    new ResizeObserver(() => this.resize()).observe(canvas);
    canvas.addEventListener("pointerdown", (e) => this.down(e));
    canvas.addEventListener("pointermove", (e) => this.move(e));
    canvas.addEventListener("pointerup", (e) => this.up(e));
    canvas.addEventListener("pointercancel", (e) => this.up(e));
  }

  resize() {
    const r = this.canvas.getBoundingClientRect();
    const px = Math.max(1, Math.round(r.width * (window.devicePixelRatio || 1)));
    if (px !== this.canvas.width) {
      this.canvas.width = this.canvas.height = px;
      this.paint();
    }
  }

  toPad(e) {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * PAD, ((e.clientY - r.top) / r.height) * PAD];
  }

  down(e) {
    if (e.button !== undefined && e.button > 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.current = { points: [this.toPad(e)], tool: this.tool, width: this.width, id: e.pointerId };
    this.paint();
  }

  move(e) {
    if (!this.current || e.pointerId !== this.current.id) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of events.length ? events : [e]) this.current.points.push(this.toPad(ev));
    this.paint();
  }

  up(e) {
    if (!this.current || e.pointerId !== this.current.id) return;
    const s = this.current;
    this.current = null;
    delete s.id;
    this.strokes.push(s);
    this.paint();
    this.onStroke(s);
  }

  setStrokes(strokes) { this.strokes = strokes; this.paint(); }

  paint(angle = 0, bbox = null) {
    const { ctx, canvas } = this;
    const k = canvas.width / PAD;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = PAPER;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(k, 0, 0, k, 0, 0);
    if (angle) {
      const [cx, cy] = centre(this.strokes);
      ctx.translate(cx, cy); ctx.rotate((angle * Math.PI) / 180); ctx.translate(-cx, -cy);
    }
    for (const s of this.current ? [...this.strokes, this.current] : this.strokes) drawStroke(ctx, s);
    if (bbox) {
      ctx.setTransform(k, 0, 0, k, 0, 0);
      ctx.strokeStyle = "#d9480f"; ctx.lineWidth = 2; ctx.setLineDash([6, 4]);
      ctx.strokeRect(bbox[0], bbox[1], bbox[2] - bbox[0], bbox[3] - bbox[1]);
      ctx.setLineDash([]);
    }
  }
}

function drawStroke(ctx, s) {
  ctx.strokeStyle = ctx.fillStyle = s.tool === "eraser" ? PAPER : INK;
  ctx.lineWidth = s.width; ctx.lineCap = "round"; ctx.lineJoin = "round";
  const p = s.points;
  if (p.length === 1) {
    ctx.beginPath(); ctx.arc(p[0][0], p[0][1], s.width / 2, 0, 2 * Math.PI); ctx.fill();
    return;
  }
  ctx.beginPath(); ctx.moveTo(p[0][0], p[0][1]);
  for (let i = 1; i < p.length; i++) ctx.lineTo(p[i][0], p[i][1]);
  ctx.stroke();
}

// Centre of the pen strokes' box: the same pivot digitpad.transforms uses.
export function centre(strokes) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const s of strokes) if (s.tool !== "eraser") for (const [x, y] of s.points) {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y);
  }
  return x0 === Infinity ? [PAD / 2, PAD / 2] : [(x0 + x1) / 2, (y0 + y1) / 2];
}
