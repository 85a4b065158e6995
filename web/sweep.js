// The 360° sweep: one action, whose batched answers are then replayed angle by angle on the pad.
// With a number on the pad the sweep turns the selected digit alone (Python says which strokes).
import { paintSweep } from "./view.js";

const $ = (id) => document.getElementById(id);
const root = document.documentElement;

export function setupSweep({ call, pad, note, isReady, onAngle = () => {} }) {
  let run = 0;

  function finish() {
    $("sweep").disabled = false; $("sweep-stop").disabled = true;
    $("sweep-now").textContent = "";
    pad.angle = 0;
    pad.turned = null;
    root.dataset.sweepAngle = "0";
    pad.paint();
    onAngle(0);
  }

  function stop(say = true) {
    run++;
    finish();
    if (say) note("Sweep stopped.");
  }

  async function sweep() {
    if (!isReady()) return;
    const mine = ++run;
    $("sweep").disabled = true; $("sweep-stop").disabled = false;
    const t0 = performance.now();
    const r = await call("sweep");
    if (mine !== run) return;                    // cleared or stopped meanwhile
    if (r.error || !r.sweep.length) { note(r.error || r.message); finish(); return; }
    root.dataset.sweepMs = (performance.now() - t0).toFixed(2);
    root.dataset.sweeps = String(Number(root.dataset.sweeps || 0) + 1);
    const rows = r.sweep;
    pad.turned = r.turned || null;
    let i = 0;
    const step = () => {         // replay the batched answers angle by angle on the pad
      if (mine !== run) return;
      paintSweep(rows, i + 1);
      pad.angle = rows[i].angle;
      root.dataset.sweepAngle = String(pad.angle);
      pad.paint();
      onAngle(pad.angle);
      // not the status line: a live region would read out 36 angles; the list below the chart is there for that
      $("sweep-now").textContent = `${rows[i].angle}°: ${rows[i].digit} (${(100 * rows[i].p).toFixed(0)}%)`;
      if (++i < rows.length) setTimeout(step, 60); else finish();
    };
    paintSweep(rows, 0);
    step();
  }

  $("sweep").onclick = sweep;
  $("sweep-stop").onclick = () => stop();
  return { stop, running: () => $("sweep").disabled };
}
