"""`python -m train inside`: every layer of the page's graph, read from the graph itself.

The layer table (layer, output shape, parameters) is walked from models/combined.onnx, not written
by hand: a convolution or dense layer and the ReLU after it are one row (as Keras prints them),
its parameters are its weights (the int8 ones the graph dequantizes) and bias. Each row names the
tensor holding that layer's output, so the same graph with those tensors added as outputs gives
every layer's output for one image in the run that answers (issue 29's "Inside the network").

The oracle: PyTorch's network with the int8 weights dequantized, as the page runs them, must give
the same output at every layer, to 1e-4 of that layer's largest value.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnx import helper, numpy_helper, shape_inference

from .networks import Combined, DigitNet, DigitOrNotNet
from .quantize import dequantized

TOLERANCE = 1e-4        # of each layer's largest |value|
ROW_OPS = {"Conv": "conv", "MaxPool": "max-pool", "Flatten": "flatten", "Gemm": "dense", "Softmax": "softmax"}


def _producers(model: onnx.ModelProto) -> dict[str, onnx.NodeProto]:
    return {o: n for n in model.graph.node for o in n.output}


def _param_count(model: onnx.ModelProto, node: onnx.NodeProto) -> int:
    """Weights and bias of a Conv or Gemm: an initializer, or one the graph dequantizes from int8."""
    inits = {i.name: i for i in model.graph.initializer}
    made = _producers(model)
    total = 0
    for name in node.input[1:]:
        while name not in inits and name in made:     # weight <- Mul(Cast(weight_int8), scale)
            name = made[name].input[0]
        if name in inits:
            total += int(np.prod(inits[name].dims))
    return total


def _ints(node: onnx.NodeProto, name: str, default: list[int]) -> list[int]:
    return next((list(a.ints) for a in node.attribute if a.name == name), default)


def layers(model: onnx.ModelProto) -> list[dict]:
    """The rows of the layer table, in the graph's order: {layer, op, branch, tensor, shape, params},
    and for a conv or dense layer its `weight` (the tensor the graph computes from int8; the page
    reads the filters and unit weights from it), for a conv or pool its `kernel` and `stride` (the
    receptive fields follow from them). `branch` is the network a row belongs to: the digit network
    (its trunk and head) or the digit-or-not network's own dense layers. Shapes are per image."""
    inferred = shape_inference.infer_shapes(model)
    shapes = {v.name: [d.dim_value or d.dim_param for d in v.type.tensor_type.shape.dim]
              for v in list(inferred.graph.value_info) + list(inferred.graph.output) + list(inferred.graph.input)}
    users: dict[str, list[onnx.NodeProto]] = {}
    for n in model.graph.node:
        for i in n.input:
            users.setdefault(i, []).append(n)
    rows = [{"layer": "input", "op": "input", "branch": "digits", "tensor": "image",
             "shape": shapes["image"][1:], "params": 0}]
    counts: dict[str, int] = {}
    for n in model.graph.node:
        if n.op_type not in ROW_OPS:
            continue
        out = n.output[0]
        after = users.get(out, [])
        linear = None
        if n.op_type in ("Conv", "Gemm") and len(after) == 1 and after[0].op_type == "Relu":
            linear, out = out, after[0].output[0]      # the layer's output is after its ReLU
        branch = "digit-or-not" if "digit_or_not" in n.name or "Softmax_1" in n.name else "digits"
        kind = ROW_OPS[n.op_type]
        if n.op_type == "Gemm" and not (len(after) == 1 and after[0].op_type == "Relu"):
            kind = "dense (logits)"
        key = f"{branch}:{kind}"
        counts[key] = counts.get(key, 0) + 1
        row = {"layer": f"{kind} {counts[key]}" if kind in ("conv", "max-pool", "dense") else kind,
               "op": n.op_type, "branch": branch, "tensor": out, "shape": shapes[out][1:],
               "params": _param_count(model, n) if n.op_type in ("Conv", "Gemm") else 0}
        if n.op_type in ("Conv", "Gemm"):
            row["weight"] = n.input[1]
        if linear:
            row["linear"] = linear     # before the ReLU: onnxruntime-web's WebGL cannot output a ReLU's result
        if n.op_type in ("Conv", "MaxPool"):
            row["kernel"] = _ints(n, "kernel_shape", [1, 1])[0]
            row["stride"] = _ints(n, "strides", [1, 1])[0]
        rows.append(row)
    return rows


def page_table(model_path: Path) -> dict:
    """What the page's "Inside the network" panel reads (models/inside.json): the layer table of
    the graph it runs, tied to that graph by its sha256 (the page refuses a table of another)."""
    model = onnx.load(str(model_path))
    return {"model": model_path.name, "sha256": hashlib.sha256(model_path.read_bytes()).hexdigest(),
            "layers": order_like_torch(layers(model))}    # the digit network's rows, then the gate's


def with_outputs(model: onnx.ModelProto, tensors: list[str]) -> onnx.ModelProto:
    """The same graph, with the named tensors as outputs too (its weights untouched)."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    have = {o.name for o in m.graph.output}
    for t in tensors:
        if t not in have:
            m.graph.output.append(helper.make_empty_tensor_value_info(t))
    return m


def onnx_runner(model: onnx.ModelProto, rows: list[dict]):
    """image [1, 1, 28, 28] -> every row's output, by onnxruntime on the graph itself (one session)."""
    tensors = [r["tensor"] for r in rows if r["tensor"] != "image"]
    sess = ort.InferenceSession(with_outputs(model, tensors).SerializeToString(), providers=["CPUExecutionProvider"])

    def run(image: np.ndarray) -> dict[str, np.ndarray]:
        return dict(zip(tensors, sess.run(tensors, {"image": image}))) | {"image": image}
    return run


def torch_network(model: onnx.ModelProto) -> Combined:
    """PyTorch's combined network with the graph's weights: the int8 ones dequantized."""
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    w = {k: v for k, v in inits.items() if not k.endswith(("_int8", "_scale"))} | dequantized(model)
    net = Combined(DigitNet(), DigitOrNotNet(hidden=int(w["digit_or_not_head.1.weight"].shape[0])),
                   float(w["temperature"]))
    net.load_state_dict({k: torch.from_numpy(np.array(v, np.float32)) for k, v in w.items()})
    return net.eval()


@torch.no_grad()
def activations_torch(net: Combined, image: np.ndarray) -> list[np.ndarray]:
    """The same rows' outputs by PyTorch, in the table's order (input, trunk, digit head, gate head)."""
    x = torch.from_numpy(image)
    out = [image]
    h = net.features[0](x)                              # Normalize: inside the graph, no row
    for layer in net.features[1:]:
        h = layer(h)
        if not isinstance(layer, torch.nn.Conv2d):      # a conv's row is after its ReLU
            out.append(h.numpy())
    f = h
    d = net.digit_head[:3](f)
    logits = net.digit_head[3:](d)
    g = net.digit_or_not_head[:3](f)
    out += [d.numpy(), logits.numpy(), torch.softmax(logits / net.temperature, 1).numpy()]
    out += [g.numpy(), net.digit_or_not_head[3:](g).numpy(), torch.softmax(net.digit_or_not_head[3:](g), 1).numpy()]
    return out


def order_like_torch(rows: list[dict]) -> list[dict]:
    """The graph interleaves the two heads; the oracle runs one head, then the other."""
    trunk = [r for r in rows if r["branch"] == "digits" and r["op"] not in ("Gemm", "Softmax")]
    head = [r for r in rows if r["branch"] == "digits" and r["op"] in ("Gemm", "Softmax")]
    return trunk + head + [r for r in rows if r["branch"] == "digit-or-not"]


def parity(model: onnx.ModelProto, images: np.ndarray) -> list[dict]:
    """For each row, the largest difference between onnxruntime and PyTorch over the images, as a
    share of that layer's largest |value|."""
    rows = order_like_torch(layers(model))
    net, run = torch_network(model), onnx_runner(model, rows)
    worst = [0.0] * len(rows)
    for img in images:
        img = img[None, None].astype(np.float32)
        ours, ref = run(img), activations_torch(net, img)
        for k, (r, b) in enumerate(zip(rows, ref)):
            a = ours[r["tensor"]]
            assert a.shape == b.shape, (r["layer"], a.shape, b.shape)
            worst[k] = max(worst[k], float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-12)))
    return [{"layer": r["layer"], "branch": r["branch"], "relative": w} for r, w in zip(rows, worst)]


def run_inside(models: Path, reports: Path, images: np.ndarray, log=print) -> dict:
    table = page_table(models / "combined.onnx")
    (models / "inside.json").write_text(json.dumps(table, indent=1) + "\n")
    log(f"wrote {models / 'inside.json'} (the page's layer table)")
    model = onnx.load(str(models / "combined.onnx"))
    rows = table["layers"]
    digits = sum(r["params"] for r in rows if r["branch"] == "digits")
    log("| network | layer | output shape | parameters |\n|---|---|---|---|")
    for r in rows:
        log(f"| {r['branch']} | {r['layer']} | {'×'.join(map(str, r['shape']))} | {r['params']:,} |")
    log(f"digit network: {digits:,} parameters")
    checks = parity(model, images)
    worst = max(c["relative"] for c in checks)
    log(f"onnxruntime vs PyTorch (int8 weights dequantized), {len(images)} images: worst layer "
        f"{worst:.2e} of its largest value (tolerance {TOLERANCE:g})")
    result = {"layers": rows, "digit_parameters": digits, "parity": checks, "images": len(images),
              "tolerance": TOLERANCE}
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "inside.json").write_text(json.dumps(result, indent=1) + "\n")
    return result
