// The photo's view, zoomed and panned, so a whole page of writing can be shown and still read:
// a zoom `z` (1: the whole photo fits the canvas) about a centre (cx, cy) in the photo's own 0..1
// coordinates. photo.js draws through it; the boxes' digits are drawn at a fixed size on top, so
// they stay legible at any zoom. The wheel and a pinch zoom about the pointer, two fingers drag,
// + / − zoom and the arrow keys pan (with the canvas focused). One finger or the mouse still drags
// a rectangle to read a part: that is photo.js's.
const MAX_ZOOM = 8;
const STEP = 1.5;          // one press of + or −
const PAN = 0.15;          // an arrow press moves the view by this much of itself

export function setupZoom(canvas, changed) {
  let z = 1, cx = 0.5, cy = 0.5;
  const touches = new Map();           // pointerId -> [clientX, clientY] of fingers on the canvas
  let pinch = null;                    // the two fingers' last distance (px) and midpoint (canvas 0..1)

  function clamp() {                   // the view never leaves the photo
    z = Math.min(Math.max(z, 1), MAX_ZOOM);
    const h = 0.5 / z;
    cx = Math.min(Math.max(cx, h), 1 - h);
    cy = Math.min(Math.max(cy, h), 1 - h);
  }
  const toView = (x, y) => [(x - cx) * z + 0.5, (y - cy) * z + 0.5];       // photo 0..1 -> canvas 0..1
  const toPhoto = (u, v) => [(u - 0.5) / z + cx, (v - 0.5) / z + cy];      // and back

  function zoomAt(factor, u = 0.5, v = 0.5) {    // the photo's point under (u, v) stays there
    const [x, y] = toPhoto(u, v);
    z = Math.min(Math.max(z * factor, 1), MAX_ZOOM);
    cx = x - (u - 0.5) / z;
    cy = y - (v - 0.5) / z;
    clamp();
    changed();
  }
  function pan(du, dv) {               // by a share of the canvas
    cx += du / z;
    cy += dv / z;
    clamp();
    changed();
  }
  const rel = (clientX, clientY) => {
    const r = canvas.getBoundingClientRect();
    return [(clientX - r.left) / r.width, (clientY - r.top) / r.height];
  };
  function fingers() {
    const [[ax, ay], [bx, by]] = [...touches.values()];
    return { d: Math.hypot(ax - bx, ay - by) || 1, mid: rel((ax + bx) / 2, (ay + by) / 2) };
  }

  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();                // the page does not scroll while the pointer is on the photo
    const [u, v] = rel(e.clientX, e.clientY);
    const r = canvas.getBoundingClientRect();
    if (e.deltaX && !e.ctrlKey) pan(e.deltaX / r.width, 0);     // a trackpad's sideways swipe pans
    if (e.deltaY) zoomAt(Math.exp(-e.deltaY * (e.deltaMode ? 0.05 : 0.002)), u, v);
  }, { passive: false });

  canvas.addEventListener("keydown", (e) => {
    const k = { "+": [STEP], "=": [STEP], "-": [1 / STEP], "−": [1 / STEP] }[e.key];
    const arrow = { ArrowLeft: [-PAN, 0], ArrowRight: [PAN, 0], ArrowUp: [0, -PAN], ArrowDown: [0, PAN] }[e.key];
    if (!k && !arrow) return;
    e.preventDefault();
    e.stopPropagation();
    if (k) zoomAt(k[0]); else pan(...arrow);
  });

  return {
    toView, toPhoto,
    step: (dir) => zoomAt(dir > 0 ? STEP : 1 / STEP),       // the + and − buttons
    visible: () => [cx - 0.5 / z, cy - 0.5 / z, 1 / z],      // the part shown: left, top, size (photo 0..1)
    state: () => ({ z, cx, cy }),
    reset() { z = 1; cx = cy = 0.5; pinch = null; changed(); },
    // Fingers: true while two are on the canvas (a pinch or a drag), so photo.js draws no rectangle
    down(e) {
      if (e.pointerType !== "touch") return false;
      touches.set(e.pointerId, [e.clientX, e.clientY]);
      if (touches.size === 2) pinch = fingers();
      return touches.size >= 2;
    },
    move(e) {
      if (!touches.has(e.pointerId)) return false;
      touches.set(e.pointerId, [e.clientX, e.clientY]);
      if (touches.size < 2 || !pinch) return false;
      const now = fingers();
      zoomAt(now.d / pinch.d, now.mid[0], now.mid[1]);
      pan(pinch.mid[0] - now.mid[0], pinch.mid[1] - now.mid[1]);
      pinch = now;
      return true;
    },
    up(e) {
      const was = touches.size >= 2;
      touches.delete(e.pointerId);
      if (touches.size < 2) pinch = null;
      return was || touches.size > 0;    // the last finger of a pinch lifts: no tap, no rectangle
    },
  };
}
