"""ONNX export and models/models.json, the I/O contract the page reads."""
from __future__ import annotations

import hashlib
import json
import platform
import shlex
import sys
from pathlib import Path

import numpy as np
import onnx
import torch

from .networks import WithSoftmax

OPSET = 17


def export_onnx(net: torch.nn.Module, path: Path) -> Path:
    """float32 image [N,1,28,28] in [0,1] -> probabilities [N,K]; the batch axis is dynamic.

    The legacy (TorchScript) exporter gives a small graph of Sub, Div, Conv, Relu, MaxPool,
    Flatten, Gemm and Softmax, all on onnxruntime-web's WebGL list. ArgMax stays out.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    model = WithSoftmax(net).eval().to(memory_format=torch.contiguous_format)
    dummy = torch.zeros(1, 1, 28, 28)
    torch.onnx.export(model, (dummy,), str(path), input_names=["image"], output_names=["probabilities"],
                      dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}},
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


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def versions() -> dict:
    import onnxruntime
    import PIL
    return {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__,
            "onnx": onnx.__version__, "onnxruntime": onnxruntime.__version__, "pillow": PIL.__version__}


def command_line() -> str:
    return "python -m train " + " ".join(shlex.quote(a) for a in sys.argv[1:])


def update_models_json(models_dir: Path, key: str, entry: dict) -> dict:
    """Merge one model's entry into models.json, keeping the other model's entry as it was."""
    path = models_dir / "models.json"
    doc = json.loads(path.read_text()) if path.exists() else {}
    doc.setdefault("format", "digitpad-models/1")
    doc.setdefault("models", {})[key] = entry
    path.write_text(json.dumps(doc, indent=2) + "\n")
    return doc


def contract(file: str, outputs: int, labels: list[str]) -> dict:
    return {"file": file, "input": {"name": "image", "dtype": "float32", "shape": ["N", 1, 28, 28],
                                    "range": [0, 1], "ink": "high"},
            "output": {"name": "probabilities", "dtype": "float32", "shape": ["N", outputs]},
            "labels": labels}
