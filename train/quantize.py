"""The page's graph in a quarter of the bytes: int8 weights, one scale per output channel.

Float32 weights barely compress (combined.onnx: 4.5 MB raw, 4.2 MB gzip), so they are stored as
int8 with a float32 scale per output channel (symmetric: w ≈ q * scale, q in -127..127), and the
graph turns them back into float32 itself, with Cast and Mul. Inputs, activations and outputs
stay float32: the contract does not change.

Why Cast and Mul, not the standard DequantizeLinear or float16: onnxruntime-web's WebGL backend
has neither DequantizeLinear nor float16 tensors, and has Cast and Mul. On wasm, onnxruntime folds
Cast and Mul of constant weights once, when the session is made, so a prediction computes exactly
what a float32 graph of the dequantized weights would, at the same speed.
"""
from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

LEVELS = 127      # symmetric: -127..127, so 0 is exact and the scale is max|w| / 127


def per_channel(w: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """(int8 q, float32 scale) with w ≈ q * scale, one scale per index of `axis` (broadcastable)."""
    others = tuple(i for i in range(w.ndim) if i != axis)
    peak = np.abs(w).max(axis=others, keepdims=True)
    scale = np.where(peak > 0, peak / LEVELS, 1.0).astype(np.float32)
    q = np.clip(np.rint(w / scale), -LEVELS, LEVELS).astype(np.int8)
    return q, scale


def quantize(model: onnx.ModelProto) -> onnx.ModelProto:
    """A copy of `model` whose Conv and Gemm weights are int8 with per-output-channel scales."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    inits = {i.name: i for i in m.graph.initializer}
    prologue = []
    for node in m.graph.node:
        if node.op_type not in ("Conv", "Gemm") or node.input[1] not in inits:
            continue
        name = node.input[1]
        w = numpy_helper.to_array(inits[name])
        trans_b = next((a.i for a in node.attribute if a.name == "transB"), 0)
        axis = 0 if node.op_type == "Conv" or trans_b else 1      # the output channels' axis
        q, scale = per_channel(w, axis)
        m.graph.initializer.remove(inits[name])
        m.graph.initializer.extend([numpy_helper.from_array(q, f"{name}_int8"),
                                    numpy_helper.from_array(scale, f"{name}_scale")])
        prologue += [helper.make_node("Cast", [f"{name}_int8"], [f"{name}_float"], to=TensorProto.FLOAT,
                                      name=f"{name}_dequantize_cast"),
                     helper.make_node("Mul", [f"{name}_float", f"{name}_scale"], [name], name=f"{name}_dequantize_scale")]
    nodes = prologue + list(m.graph.node)
    del m.graph.node[:]
    m.graph.node.extend(nodes)
    onnx.checker.check_model(m)
    return m


def dequantized(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    """The float32 weights the quantized graph computes, by name (for tests)."""
    inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    return {k[: -len("_int8")]: inits[k].astype(np.float32) * inits[k[: -len("_int8")] + "_scale"]
            for k in inits if k.endswith("_int8")}
