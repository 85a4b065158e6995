"""`python -m train combine`: one graph for the page, built from the two shipped models.

The digit-or-not network's convolutions are the digit network's, frozen, so both share one trunk.
The page runs this combined graph (outputs `probabilities` [N,10], at the digit network's
calibrated temperature, and `digit_or_not` [N,2]) and pays for the convolutions once per
prediction; digits.onnx and digit_or_not.onnx stay the contract and the page's fallback. Built
from the two ONNX files and models.json, so it needs no training run. Its weights are int8 with a
scale per output channel (quantize.py): a quarter of the download. The step measures it against
the two float32 networks on the same held-out images (combined_eval.py) and records both.
"""
from __future__ import annotations

import json

from pathlib import Path

import onnx

from .combined_eval import compare
from .data import sha256
from .networks import Combined
from .personal import export_subspaces
from .onnx_io import contract, digit_net, digit_or_not_net, export, read_models_json, update_models_json
from .quantize import quantize

FILE = "combined.onnx"
OUTPUTS = ["probabilities", "digit_or_not", "digit_features", "dnn_features"]


def combine(models: Path, log=print, data_dir: str = "", measure: bool = True) -> Path:
    doc = read_models_json(models)
    digits = digit_net(models / "digits.onnx")
    digit_or_not = digit_or_not_net(models / "digit_or_not.onnx", digits)
    temperature = float(doc["models"]["digits"].get("temperature", 1.0))
    path = export(Combined(digits, digit_or_not, temperature), models / FILE, OUTPUTS)
    float32_bytes = path.stat().st_size
    onnx.save(quantize(onnx.load(path)), path)
    entry = contract(FILE, {"probabilities": 10, "digit_or_not": 2, "digit_features": 512,
                            "dnn_features": int(digit_or_not.head[1].out_features)},
                     {"probabilities": [str(i) for i in range(10)], "digit_or_not": ["not a digit", "digit"]})
    entry.update({
        "sha256": sha256(path), "bytes": path.stat().st_size, "float32_bytes": float32_bytes, "temperature": temperature,
        "from": {"digits.onnx": sha256(models / "digits.onnx"), "digit_or_not.onnx": sha256(models / "digit_or_not.onnx")},
        "weights": "int8, one scale per output channel (symmetric), turned back into float32 in the graph by Cast and Mul",
        "note": "digits.onnx and digit_or_not.onnx in one graph with their shared convolutions and int8 "
                "weights; built by `python -m train combine`"})
    if measure:   # the held-out sets take a few minutes to build the first time (then cached)
        entry["metrics"] = {**doc["models"].get("combined", {}).get("metrics", {}), **compare(models, data_dir, log)}
    update_models_json(models, "combined", entry)
    log(f"wrote {path} ({path.stat().st_size} bytes)")
    from .inside import page_table       # the page's "Inside the network" table follows the graph
    (models / "inside.json").write_text(json.dumps(page_table(path), indent=1) + "\n")
    personal = export_subspaces(models, data_dir, log=log)
    personal["sha256"] = sha256(models / personal["file"])
    update_models_json(models, "personal", personal, section=None)   # not a network: no contract
    return path
