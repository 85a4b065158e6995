// Where one stroke's answer spends its time, for `build.py bench` (README: "Where one stroke's
// time goes"). Every thread reads performance.timeOrigin + performance.now(): one clock, so the
// readings the page, the Python worker and the model worker take in turn can be subtracted.

// up, sent: the page's own performance.now() readings; timing: the workers' readings.
export function strokePhases(timing, up, sent) {
  const origin = performance.timeOrigin;
  const t = { up: origin + up, sent: origin + sent, ...timing, shown: origin + performance.now() };
  const steps = [["pointer up → sent", "up", "sent"], ["to the Python worker", "sent", "python_in"],
    ["Python: stroke, render, batch", "python_in", "batch_out"]];
  if (t.model_in) {
    steps.push(["batch to the model worker", "batch_out", "model_in"], ["networks (onnxruntime)", "model_in", "model_out"],
      ["outputs back to Python", "model_out", "outputs_in"], ["Python: reading, view", "outputs_in", "python_out"]);
  } else steps.push(["Python: reading, view", "batch_out", "python_out"]);
  steps.push(["reply to the page", "python_out", "page_in"], ["page: DOM update", "page_in", "shown"]);
  const out = Object.fromEntries(steps.map(([name, a, b]) => [name, +(t[b] - t[a]).toFixed(2)]));
  out.images = t.images || 0;
  return out;
}

// Main-thread tasks over 50 ms (Long Tasks API), for `build.py bench`: the page must not freeze
// once a person can draw. The longest before and after the pad is on screen, and the last 20
// after it as [start, ms] (start in ms after the pad was shown), so that the bench can tell what
// it was doing when one came.
export function watchLongTasks(root, shownAt) {
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const after = e.startTime >= shownAt();
        const key = after ? "longestTaskMs" : "longestStartupTaskMs";
        root.dataset[key] = String(Math.max(Number(root.dataset[key] || 0), Math.round(e.duration)));
        if (after) {
          const seen = JSON.parse(root.dataset.longTasks || "[]");
          seen.push([Math.round(e.startTime - shownAt()), Math.round(e.duration)]);
          root.dataset.longTasks = JSON.stringify(seen.slice(-20));
        }
      }
    }).observe({ type: "longtask", buffered: true });
  } catch { /* not supported: nothing to report */ }
}
