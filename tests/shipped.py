"""The shipped graph and what teaching needs besides it, as CPython tests of the page's actions use
them: models.json, personal.bin, and combined.onnx run by onnxruntime (the page's outputs, in order:
digits, digit-or-not, and the features feeding each)."""
import json

import onnxruntime as ort

from conftest import ROOT

MODELS = ROOT / "models"
DOC = json.loads((MODELS / "models.json").read_text())
BLOB = (MODELS / DOC["personal"]["file"]).read_bytes()


def combined():
    """batch [n, 1, 28, 28] -> the four outputs, as the page's model worker gives them."""
    s = ort.InferenceSession(str(MODELS / "combined.onnx"), providers=["CPUExecutionProvider"])
    return lambda batch: s.run(None, {"image": batch})
