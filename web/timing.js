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
