"""The only module that touches the browser (``js``/``pyodide``): FFI conversions, nothing else.

The worker's JavaScript passes in ``run_model(name, Uint8Array, n) -> Promise<Float32Array>``,
which runs an onnxruntime-web session; everything else is :mod:`digitpad.actions`.
"""
from __future__ import annotations

import json

import js  # noqa: F401  (the binding this module exists for)
import numpy as np
from pyodide.ffi import to_js

from .actions import dispatch
from .classify import Thresholds
from .controller import Controller


class OrtWebClassifier:
    def __init__(self, run_model, has_gate: bool):
        self._run_model = run_model
        self.has_gate = bool(has_gate)

    async def _run(self, name: str, batch: np.ndarray) -> np.ndarray:
        data = np.ascontiguousarray(batch, dtype=np.float32)
        out = await self._run_model(name, to_js(data.tobytes()), len(data))
        return np.frombuffer(out.to_bytes(), dtype=np.float32).reshape(len(data), -1)

    async def digits(self, batch):
        return await self._run("digits", batch)

    async def gate(self, batch):
        return await self._run("gate", batch)


class App:
    def __init__(self, run_model, models_json: str, has_gate: bool):
        self.controller = Controller(Thresholds.from_models_json(json.loads(models_json or "{}")))
        self.classifier = OrtWebClassifier(run_model, has_gate)

    async def handle(self, action: str, payload=None):
        p = payload.to_py() if hasattr(payload, "to_py") else payload
        out = await dispatch(self.controller, self.classifier, str(action), p)
        return to_js(out, dict_converter=js.Object.fromEntries)


def create_app(run_model, models_json: str, has_gate: bool) -> App:
    return App(run_model, models_json, has_gate)
