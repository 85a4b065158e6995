"""The only module that touches the browser (``js``/``pyodide``): FFI conversions, nothing else.

The worker's JavaScript passes in ``classify(Uint8Array, n, with_gate) -> Promise<[Float32Array,
Float32Array | null]>``, which runs the onnxruntime-web sessions; everything else is
:mod:`digitpad.actions`.
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
    def __init__(self, run_models, has_gate: bool):
        self._run_models = run_models
        self.has_gate = bool(has_gate)

    async def classify(self, batch: np.ndarray):
        data = np.ascontiguousarray(batch, dtype=np.float32)
        digits, gate = await self._run_models(to_js(data.tobytes()), len(data), self.has_gate)
        as_array = lambda out: np.frombuffer(out.to_bytes(), dtype=np.float32)  # noqa: E731
        return as_array(digits), (as_array(gate) if gate is not None else None)


class App:
    def __init__(self, run_models, models_json: str, has_gate: bool):
        self.controller = Controller(Thresholds.from_models_json(json.loads(models_json or "{}")))
        self.classifier = OrtWebClassifier(run_models, has_gate)

    async def handle(self, action: str, payload=None):
        p = payload.to_py() if hasattr(payload, "to_py") else payload
        out = await dispatch(self.controller, self.classifier, str(action), p)
        return to_js(out, dict_converter=js.Object.fromEntries)


def warm_up() -> None:
    """Render and count once, so the first real stroke does not pay for lazy imports."""
    from .render import render
    from .strokes import make_stroke
    from .symbols import count_symbols
    s = [make_stroke([[100, 100], [180, 180]])]
    render(s), render(s, normalize=False), count_symbols(s)


def create_app(run_models, models_json: str, has_gate: bool) -> App:
    return App(run_models, models_json, has_gate)
