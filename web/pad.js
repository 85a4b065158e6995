// The drawing pad: pointer capture (mouse, touch, pen) and painting strokes in pad units.
// Painting happens here at once, so drawing never waits for Python. A stroke's points are a flat
// Float32Array [x0, y0, x1, y1, ...]: that is what crosses to the worker and back.
export const PAD = 280;   // must match digitpad.strokes.PAD
const INK = "#10151c", PAPER = "#ffffff", SELECTED = "#1f5fbf";

export class Pad {
  constructor(canvas, onStroke) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.onStroke = onStroke;
    this.strokes = [];      // {points: Float32Array, tool, width}: what Python holds (or will)
    this.current = null;
    this.tool = "pen";
    this.width = 18;
    this.angle = 0;         // the sweep's replay turns the view, never the strokes
    this.turned = null;     // with a number: the strokes of the selected digit, the only ones a sweep turns
    this.outline = null;    // [x0, y0, x1, y1]: the selected digit of a number, boxed
    this.overlay = null;    // paint(ctx, k) drawn on top (the Normalize box, the explanation)
    this.touches = new Set();  // fingers on the pad: two or more are a gesture, never ink
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

  toPad(e, r) {
    return [((e.clientX - r.left) / r.width) * PAD, ((e.clientY - r.top) / r.height) * PAD];
  }

  down(e) {
    if (e.button !== undefined && e.button > 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);   // every finger, so that each one's lift comes back here
    if (e.pointerType === "touch") {
      this.touches.add(e.pointerId);
      if (this.touches.size > 1) {          // a second finger: a pinch or a slip, so drop the stroke begun
        if (this.current) { this.current = null; this.paint(); }
        return;
      }
    }
    this.rect = this.canvas.getBoundingClientRect();
    this.current = { xy: [...this.toPad(e, this.rect)], tool: this.tool, width: this.width, id: e.pointerId };
    this.onStart?.();
    this.paintTail(0);
  }

  move(e) {
    if (!this.current || e.pointerId !== this.current.id) return;
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    const from = this.current.xy.length - 2;
    for (const ev of events.length ? events : [e]) this.current.xy.push(...this.toPad(ev, this.rect));
    this.paintTail(from);
  }

  up(e) {
    this.touches.delete(e.pointerId);
    if (!this.current || e.pointerId !== this.current.id) return;
    const { xy, tool, width } = this.current;
    this.current = null;
    const stroke = { points: Float32Array.from(xy), tool, width };
    this.strokes.push(stroke);
    this.canvas.dataset.strokes = String(this.strokes.length);
    this.onStroke(stroke, e.timeStamp);
  }

  setStrokes(strokes) {
    this.strokes = strokes;
    this.canvas.dataset.strokes = String(strokes.length);   // read by tests: what the pad holds
    this.paint();
  }

  // While drawing, only the new segments are painted: a long stroke never repaints the pad.
  paintTail(from) {
    const { ctx, canvas } = this, s = this.current, k = canvas.width / PAD;
    if (this.angle) { this.paint(); return; }
    ctx.setTransform(k, 0, 0, k, 0, 0);
    drawStroke(ctx, { points: s.xy.slice(Math.max(from, 0)), tool: s.tool, width: s.width });
  }

  paint() {
    const { ctx, canvas } = this;
    const k = canvas.width / PAD;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = PAPER;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(k, 0, 0, k, 0, 0);
    const turned = this.angle ? this.strokes.filter((s, i) => !this.turned || this.turned.includes(i)) : [];
    for (const s of this.strokes) if (!turned.includes(s)) drawStroke(ctx, s);
    if (turned.length) {
      const [cx, cy] = centre(turned);
      ctx.translate(cx, cy); ctx.rotate((this.angle * Math.PI) / 180); ctx.translate(-cx, -cy);
      for (const s of turned) drawStroke(ctx, s);
      ctx.setTransform(k, 0, 0, k, 0, 0);
    }
    if (this.current) drawStroke(ctx, { points: this.current.xy, tool: this.current.tool, width: this.current.width });
    if (this.overlay) { ctx.setTransform(k, 0, 0, k, 0, 0); this.overlay(ctx); }
    if (this.outline && !this.angle) {
      const [x0, y0, x1, y1] = this.outline, m = 6 + this.width / 2;
      ctx.strokeStyle = SELECTED; ctx.lineWidth = 2; ctx.setLineDash([5, 3]);
      ctx.strokeRect(x0 - m, y0 - m, x1 - x0 + 2 * m, y1 - y0 + 2 * m);
      ctx.setLineDash([]);
    }
  }
}

function drawStroke(ctx, s) {
  ctx.strokeStyle = ctx.fillStyle = s.tool === "eraser" ? PAPER : INK;
  ctx.lineWidth = s.width; ctx.lineCap = "round"; ctx.lineJoin = "round";
  const p = s.points;
  if (p.length === 2) {
    ctx.beginPath(); ctx.arc(p[0], p[1], s.width / 2, 0, 2 * Math.PI); ctx.fill();
    return;
  }
  ctx.beginPath(); ctx.moveTo(p[0], p[1]);
  for (let i = 2; i < p.length; i += 2) ctx.lineTo(p[i], p[i + 1]);
  ctx.stroke();
}

// Centre of the pen strokes' box: the same pivot digitpad.transforms uses.
export function centre(strokes) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const s of strokes) {
    if (s.tool === "eraser") continue;
    const p = s.points;
    for (let i = 0; i < p.length; i += 2) {
      x0 = Math.min(x0, p[i]); x1 = Math.max(x1, p[i]); y0 = Math.min(y0, p[i + 1]); y1 = Math.max(y1, p[i + 1]);
    }
  }
  return x0 === Infinity ? [PAD / 2, PAD / 2] : [(x0 + x1) / 2, (y0 + y1) / 2];
}
