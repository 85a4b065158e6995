"""ONNX in and out, and models/models.json (the I/O contract the page reads). One exporter for
every network the page runs, one loader for the weights of a shipped file."""
from __future__ import annotations

import json
import platform
import shlex
import sys
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from .networks import DigitNet, DigitOrNotNet

OPSET = 17


def export(module: torch.nn.Module, path: Path, outputs: list[str]) -> Path:
    """float32 `image` [N,1,28,28] in [0,1] -> the named outputs, each [N, K]; the batch axis is "batch".

    The legacy (TorchScript) exporter gives a small graph of Sub, Div, Conv, Relu, MaxPool,
    Flatten, Gemm and Softmax, all on onnxruntime-web's WebGL list; no ArgMax. Constants become
    initializers (WebGL has no Constant kernel), and the page pins the batch axis by its name.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    module = module.eval().to(memory_format=torch.contiguous_format)
    torch.onnx.export(module, (torch.zeros(1, 1, 28, 28),), str(path), input_names=["image"], output_names=outputs,
                      dynamic_axes={name: {0: "batch"} for name in ["image", *outputs]},
                      opset_version=OPSET, dynamo=False, do_constant_folding=True)
    m = onnx.load(str(path))
    constants_to_initializers(m)
    onnx.checker.check_model(m)
    onnx.save(m, str(path))
    return path


def constants_to_initializers(m: onnx.ModelProto) -> None:
    """WebGL has no Constant kernel: move any Constant node's value into the initializers."""
    keep = []
    for node in m.graph.node:
        if node.op_type == "Constant" and node.attribute and node.attribute[0].name == "value":
            t = onnx.TensorProto()
            t.CopyFrom(node.attribute[0].t)
            t.name = node.output[0]
            m.graph.initializer.append(t)
        else:
            keep.append(node)
    del m.graph.node[:]
    m.graph.node.extend(keep)


def weights(path: Path) -> dict[str, torch.Tensor]:
    """A shipped file's initializers by module path (as the exporter named them)."""
    return {i.name.removeprefix("net."): torch.from_numpy(numpy_helper.to_array(i).copy())
            for i in onnx.load(str(path)).graph.initializer}


def digit_net(path: Path) -> DigitNet:
    net, w = DigitNet(), weights(path)
    missing = [k for k in net.state_dict() if k not in w]
    if missing:
        raise ValueError(f"{path} does not hold the digit network's weights (missing {missing[:3]})")
    net.load_state_dict({k: w[k] for k in net.state_dict()})
    return net.eval()


def digit_or_not_net(path: Path, digits: DigitNet) -> DigitOrNotNet:
    """The digit-or-not head of a shipped file, over the given digit network's (shared) convolutions."""
    w = weights(path)
    net = DigitOrNotNet(digits, hidden=int(w["head.1.weight"].shape[0]))   # the width its training chose
    for k, v in net.features.state_dict().items():   # the shared trunk must really be shared
        if not torch.equal(w[f"features.{k}"], v):
            raise ValueError(f"{path} does not share the digit network's convolutions ({k} differs)")
    net.head.load_state_dict({k.removeprefix("head."): v for k, v in w.items() if k.startswith("head.")})
    return net.eval()


def versions() -> dict:
    import onnxruntime
    import PIL
    return {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__,
            "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__, "pillow": PIL.__version__}


def command_line() -> str:
    return "python -m train " + " ".join(shlex.quote(a) for a in sys.argv[1:])


def read_models_json(models_dir: Path) -> dict:
    path = models_dir / "models.json"
    return json.loads(path.read_text()) if path.exists() else {"format": "digitpad-models/1", "models": {}}


def update_models_json(models_dir: Path, key: str, entry: dict, section: str | None = "models") -> dict:
    """Write one entry of models.json (under `section`; None: at the top, for what is not a model
    file), leaving every other entry as it is."""
    doc = read_models_json(models_dir)
    (doc.setdefault(section, {}) if section else doc)[key] = entry
    (models_dir / "models.json").write_text(json.dumps(doc, indent=2) + "\n")
    return doc


def contract(file: str, outputs: dict[str, int], labels: dict[str, list[str]]) -> dict:
    return {"file": file, "input": {"name": "image", "dtype": "float32", "shape": ["N", 1, 28, 28],
                                    "range": [0, 1], "ink": "high"},
            "outputs": {name: {"dtype": "float32", "shape": ["N", k]} for name, k in outputs.items()},
            "labels": labels}
