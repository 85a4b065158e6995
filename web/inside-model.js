// "Inside the network", the model worker's half, imported the first time the panel opens: the
// layer table the build took from the graph (models/inside.json) and a session of the page's own
// graph, made from the bytes already loaded, with every layer's tensor as an extra output. Nothing
// of it exists while the panel stays closed.
import { readWeights, withOutputs } from "./dequantize.js";

const UPDATING = " If the site is being updated, try again in a minute.";

// w: the model worker's state (its backend and runtime change on a fallback to wasm: read each time)
export function insideModel(w) {
  let table = null;

  function loaded() {
    table ||= (async () => {
      await w.ready;
      if (!w.modelBytes.combined) throw new Error("The inside view needs the page's combined graph (models/combined.onnx), which did not load.");
      const bytes = await w.fetchBytes("inside.json", "The layer table");
      let t;
      try { t = JSON.parse(new TextDecoder().decode(bytes)); } catch { t = null; }
      if (!t || !Array.isArray(t.layers)) throw new Error("The layer table (models/inside.json) is damaged: it is not the table the build writes.");
      if (t.sha256 !== w.shas.combined) {
        throw new Error("The layer table (models/inside.json) belongs to another network than models/combined.onnx: " +
          `rebuild the site after retraining (python -m train inside writes it).${UPDATING}`);
      }
      w.used.add(w.modelURL("inside.json").href);
      const weights = readWeights(w.modelBytes.combined, t.layers.filter((r) => r.weight).map((r) => r.weight));
      return { table: t, weights };
    })();
    table.catch(() => { table = null; });      // the next opening tries again
    return table;
  }

  // The table and the weights for the Python worker (copies: they are transferred to it).
  const load = () => loaded().then(({ table: t, weights }) => ({ table: t, weights: copy(weights) }));

  // What the session is asked for. A flatten is its input's values as they are: read there.
  // onnxruntime-web's WebGL backend hands back the wrong tensor for an output that is a ReLU's
  // result (it fuses the ReLU away; with several outputs it shuffles them): there each layer is
  // asked for before its ReLU, and the ReLU is done here.
  function outputs(t) {
    const mine = w.outputNames.combined;
    return t.layers.filter((r) => r.tensor !== "image" && r.op !== "Flatten" && !mine.includes(r.tensor))
      .map((r) => ({ name: w.backend() === "webgl" && r.linear ? r.linear : r.tensor, dims: [1, ...r.shape], tensor: r.tensor }));
  }

  async function session(t) {
    const key = `inside:${w.backend()}`;
    if (!w.sessions.has(key)) {
      const extra = outputs(t).map((o) => [o.name, o.dims]);
      const created = (async () => {
        const bytes = w.backend() === "webgl" ?
          w.pinBatch(withOutputs(await w.webglBytes("combined"), extra), 1, 1 + w.outputNames.combined.length)
          : withOutputs(w.modelBytes.combined, extra);
        return w.ort().InferenceSession.create(bytes, { executionProviders: [w.backend()], graphOptimizationLevel: "all" });
      })();
      created.catch(() => w.sessions.delete(key));
      w.sessions.set(key, created);
    }
    return w.sessions.get(key);
  }

  async function runOnce(t, data) {
    const got = await (await session(t)).run({ image: new (w.ort().Tensor)("float32", data.slice(), [1, 1, 28, 28]) });
    const out = Object.fromEntries(Object.entries(got).map(([k, v]) => [k, Float32Array.from(v.data)]));
    for (const o of outputs(t)) {
      if (o.name === o.tensor) continue;
      out[o.tensor] = out[o.name].map((v) => Math.max(0, v));      // the ReLU
      delete out[o.name];
    }
    t.layers.forEach((r, i) => { if (r.op === "Flatten") out[r.tensor] = out[t.layers[i - 1].tensor].slice(); });
    return out;
  }

  // Every layer's output for one 28x28 image: {tensor: Float32Array}, the page's outputs included.
  async function run(data) {
    const { table: t } = await loaded();
    try { return await runOnce(t, data); } catch (e) {
      if (w.backend() !== "webgl") throw e;
      await w.switchToWasm(`WebGL failed while looking inside the network (${e.message || e}), switched to wasm`);
      return runOnce(t, data);
    }
  }

  // The Python worker's "inside-load": the table and the weights, or what went wrong.
  async function answerLoad(id, port) {
    try {
      const { table: t, weights } = await load();
      port.postMessage({ type: "result", id, table: t, weights }, Object.values(weights).map(([, v]) => v.buffer));
    } catch (e) {
      port.postMessage({ type: "result", id, error: e.message || String(e) });
    }
  }

  return { run, answerLoad };
}

// The weights are transferred to the Python worker: hand over copies, keep the originals.
const copy = (weights) => Object.fromEntries(Object.entries(weights).map(([k, [dims, v]]) => [k, [dims, v.slice()]]));
