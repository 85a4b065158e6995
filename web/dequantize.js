// An int8 graph (train/quantize.py) made float32 again, for onnxruntime-web's WebGL backend; and,
// for the "Inside the network" panel, the same graph with more outputs and its weights read out.
//
// The page's graph keeps its Conv and Gemm weights as int8 `W_int8` with a float32 scale per
// output channel `W_scale`, and computes W = Cast(W_int8) * W_scale in the graph itself. The wasm
// backend folds that once, when the session is made. The WebGL backend reads int8 tensors but
// its Cast reuses the int8 texture as float and computes garbage, so for WebGL this module does
// the same arithmetic on the model bytes: each pair becomes one float32 initializer W, and the
// Cast and Mul nodes that made W are dropped. Only the fields it touches are decoded; every other
// byte of the protobuf is copied as it is.

// Protobuf wire format: a field is a varint key (number << 3 | wire type), then its value.
function varint(b, i) {
  let v = 0, shift = 0, byte;
  do { byte = b[i++]; v += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [v, i];
}

function fields(b) {
  const out = [];
  for (let i = 0; i < b.length;) {
    const start = i;
    let key, len;
    [key, i] = varint(b, i);
    const no = Math.floor(key / 8), wire = key & 7;
    if (wire === 0) [, i] = varint(b, i);
    else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else if (wire === 2) { [len, i] = varint(b, i); i += len; }
    else throw new Error(`unsupported protobuf wire type ${wire}`);
    const value = wire === 2 ? b.subarray(i - len, i) : null;
    out.push({ no, wire, raw: b.subarray(start, i), value });
  }
  return out;
}

function encodeVarint(v) {
  const out = [];
  while (v > 0x7f) { out.push((v % 128) | 0x80); v = Math.floor(v / 128); }
  out.push(v);
  return out;
}

function lengthDelimited(no, bytes) {
  return concat([Uint8Array.from([...encodeVarint(no * 8 + 2), ...encodeVarint(bytes.length)]), bytes]);
}

function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

const text = (bytes) => new TextDecoder().decode(bytes);
const INT8 = 3, FLOAT = 1;                    // TensorProto.DataType
const MODEL_GRAPH = 7, GRAPH_NODE = 1, GRAPH_INITIALIZER = 5, GRAPH_OUTPUT = 12;
const VALUE_NAME = 1, VALUE_TYPE = 2, TYPE_TENSOR = 1, TENSOR_ELEM_TYPE = 1, TENSOR_SHAPE = 2, SHAPE_DIM = 1, DIM_VALUE = 1;
const TENSOR_DIMS = 1, TENSOR_TYPE = 2, TENSOR_NAME = 8, TENSOR_RAW = 9, NODE_OUTPUT = 2;

function tensor(bytes) {
  const t = { dims: [], type: 0, name: "", raw: null };
  for (const f of fields(bytes)) {
    if (f.no === TENSOR_DIMS && f.wire === 0) t.dims.push(varint(f.raw, 1)[0]);   // keys of fields < 16 are one byte
    else if (f.no === TENSOR_DIMS && f.wire === 2) {            // packed dims
      for (let i = 0; i < f.value.length;) { let d; [d, i] = varint(f.value, i); t.dims.push(d); }
    } else if (f.no === TENSOR_TYPE) t.type = varint(f.raw, 1)[0];
    else if (f.no === TENSOR_NAME) t.name = text(f.value);
    else if (f.no === TENSOR_RAW) t.raw = f.value;
  }
  return t;
}

function floatTensor(name, dims, values) {
  const parts = dims.map((d) => Uint8Array.from([TENSOR_DIMS * 8, ...encodeVarint(d)]));
  parts.push(Uint8Array.from([TENSOR_TYPE * 8, FLOAT]));
  parts.push(lengthDelimited(TENSOR_NAME, new TextEncoder().encode(name)));
  parts.push(lengthDelimited(TENSOR_RAW, new Uint8Array(values.buffer, values.byteOffset, values.byteLength)));
  return concat(parts);
}

// q * scale, the scale broadcast along the one axis where its dims are not 1.
function dequantize(q, scale) {
  const axis = scale.dims.findIndex((d) => d > 1);
  const stride = q.dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const qs = new Int8Array(q.raw.buffer, q.raw.byteOffset, q.raw.byteLength);
  const s = new Float32Array(scale.raw.slice().buffer);
  const out = new Float32Array(qs.length);
  for (let i = 0; i < qs.length; i++) out[i] = qs[i] * s[axis < 0 ? 0 : Math.floor(i / stride) % q.dims[axis]];
  return out;
}

// The model bytes with float32 weights; a graph without int8 weights comes back unchanged.
export function dequantizeModel(bytes) {
  const model = fields(bytes), graphField = model.find((f) => f.no === MODEL_GRAPH);
  const graph = fields(graphField.value);
  const inits = new Map(graph.filter((f) => f.no === GRAPH_INITIALIZER).map((f) => [f, tensor(f.value)]));
  const byName = new Map([...inits.values()].map((t) => [t.name, t]));
  const made = new Map();                        // W -> float32 tensor bytes
  for (const t of inits.values()) {
    if (t.type !== INT8 || !t.name.endsWith("_int8")) continue;
    const name = t.name.slice(0, -5), scale = byName.get(`${name}_scale`);
    if (!scale || scale.type !== FLOAT) throw new Error(`${t.name} has no float scale`);
    made.set(name, floatTensor(name, t.dims, dequantize(t, scale)));
  }
  if (!made.size) return bytes;
  const dropped = new Set([...made.keys()].flatMap((n) => [`${n}_int8`, `${n}_scale`]));
  const parts = [];
  for (const f of graph) {
    if (f.no === GRAPH_INITIALIZER && dropped.has(inits.get(f).name)) continue;
    if (f.no === GRAPH_NODE) {                   // the Cast and Mul that made a weight
      const outputs = fields(f.value).filter((g) => g.no === NODE_OUTPUT).map((g) => text(g.value));
      if (outputs.some((o) => made.has(o) || (o.endsWith("_float") && made.has(o.slice(0, -6))))) continue;
    }
    parts.push(f.raw);
  }
  for (const t of made.values()) parts.push(lengthDelimited(GRAPH_INITIALIZER, t));
  return concat(model.map((f) => (f === graphField ? lengthDelimited(MODEL_GRAPH, concat(parts)) : f.raw)));
}

// The graph with more outputs ([[name, dims]], float32): every layer's output from one run. The
// shape is spelled out: WebGL's loader reads it. Nothing else changes (a repeated field may be
// appended anywhere in its message).
// only: these outputs alone, the graph's own dropped.
export function withOutputs(bytes, outputs, only = false) {
  const model = fields(bytes), graphField = model.find((f) => f.no === MODEL_GRAPH);
  const extra = outputs.map(([name, dims]) => {
    const shape = concat(dims.map((d) => lengthDelimited(SHAPE_DIM, Uint8Array.from([DIM_VALUE * 8, ...encodeVarint(d)]))));
    const type = lengthDelimited(TYPE_TENSOR, concat([Uint8Array.from([TENSOR_ELEM_TYPE * 8, FLOAT]), lengthDelimited(TENSOR_SHAPE, shape)]));
    return lengthDelimited(GRAPH_OUTPUT, concat([lengthDelimited(VALUE_NAME, new TextEncoder().encode(name)), lengthDelimited(VALUE_TYPE, type)]));
  });
  const kept = only ? fields(graphField.value).filter((f) => f.no !== GRAPH_OUTPUT).map((f) => f.raw) : [graphField.value];
  const graph = concat([...kept, ...extra]);
  return concat(model.map((f) => (f === graphField ? lengthDelimited(MODEL_GRAPH, graph) : f.raw)));
}

// The named weights as the graph computes them ({name: [dims, Float32Array]}): int8 times scale,
// or a float32 initializer as it is.
export function readWeights(bytes, names) {
  const graph = fields(fields(bytes).find((f) => f.no === MODEL_GRAPH).value);
  const byName = new Map(graph.filter((f) => f.no === GRAPH_INITIALIZER).map((f) => tensor(f.value)).map((t) => [t.name, t]));
  const out = {};
  for (const name of names) {
    const q = byName.get(`${name}_int8`), scale = byName.get(`${name}_scale`), plain = byName.get(name);
    if (q && scale) out[name] = [q.dims, dequantize(q, scale)];
    else if (plain && plain.type === FLOAT) out[name] = [plain.dims, new Float32Array(plain.raw.slice().buffer)];
  }
  return out;
}
