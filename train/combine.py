"""`python -m train combine`: one graph for the page, built from the two shipped models.

The gate's convolutions are the digit network's, frozen, so both networks share one trunk. The
page runs this combined graph (outputs `probabilities` [N,10] and `digit_or_not` [N,2]) and pays
for the convolutions once per prediction; digits.onnx and digit_or_not.onnx stay the contract
and the page's fallback. Built from the ONNX files, so it needs no training run.
"""
from __future__ import annotations

from pathlib import Path

import onnx
import torch
from onnx import numpy_helper
from torch import nn

from .export import OPSET, constants_to_initializers, sha256, update_models_json
from .gate import digit_net_from_onnx
from .networks import GateNet


class Combined(nn.Module):
    def __init__(self, digits: nn.Module, gate: GateNet):
        super().__init__()
        self.features, self.digit_head, self.gate_head = digits.features, digits.head, gate.head

    def forward(self, image):
        f = self.features(image)
        return torch.softmax(self.digit_head(f), 1), torch.softmax(self.gate_head(f), 1)


def gate_net_from_onnx(path: Path, digits: nn.Module) -> GateNet:
    gate = GateNet(digits)
    weights = {i.name.removeprefix("net."): torch.from_numpy(numpy_helper.to_array(i).copy())
               for i in onnx.load(str(path)).graph.initializer}
    for k, v in gate.features.state_dict().items():   # the shared trunk must really be shared
        if not torch.equal(weights[f"features.{k}"], v):
            raise ValueError(f"{path} does not share the digit network's convolutions ({k} differs)")
    gate.head.load_state_dict({k.removeprefix("head."): v for k, v in weights.items() if k.startswith("head.")})
    return gate.eval()


def combine(models: Path, log=print) -> Path:
    digits = digit_net_from_onnx(models / "digits.onnx")
    gate = gate_net_from_onnx(models / "digit_or_not.onnx", digits)
    model = Combined(digits, gate).eval()
    path = models / "digitpad.onnx"
    torch.onnx.export(model, (torch.zeros(1, 1, 28, 28),), str(path), input_names=["image"],
                      output_names=["probabilities", "digit_or_not"],
                      dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}, "digit_or_not": {0: "batch"}},
                      opset_version=OPSET, dynamo=False, do_constant_folding=True)
    m = onnx.load(str(path))
    constants_to_initializers(m)
    onnx.checker.check_model(m)
    onnx.save(m, str(path))
    update_models_json(models, "combined", {
        "file": path.name, "sha256": sha256(path), "bytes": path.stat().st_size,
        "input": {"name": "image", "dtype": "float32", "shape": ["N", 1, 28, 28]},
        "outputs": {"probabilities": ["N", 10], "digit_or_not": ["N", 2]},
        "from": {"digits.onnx": sha256(models / "digits.onnx"), "digit_or_not.onnx": sha256(models / "digit_or_not.onnx")},
        "note": "digits.onnx and digit_or_not.onnx in one graph with their shared convolutions; "
                "built by `python -m train combine`, outputs equal to the two models'"})
    log(f"wrote {path} ({path.stat().st_size} bytes)")
    return path
