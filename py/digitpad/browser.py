"""The only module that touches the browser (``js``/``pyodide``): FFI conversions, nothing else.

The worker's JavaScript calls, for every action, ``begin(action, payload)`` and, after running the
networks on the batch it returned (if any), ``end(digits, digit_or_not, digit_features, dnn_features)``. Both are plain synchronous
calls: no Python event loop runs between them. Data crosses as typed arrays (points in, the batch
out, probabilities in) and one JSON string out; images and stroke points inside it are base64 of
their raw bytes, which both sides encode and decode in C.
"""
from __future__ import annotations

import base64
import json

import numpy as np
from pyodide.ffi import to_js

from . import teach
from .actions import handle
from .controller import Controller, Step
from .strokes import Stroke


def _wire(obj):
    if isinstance(obj, Stroke):
        return {"tool": obj.tool, "width": obj.width,
                "points": base64.b64encode(obj.points.astype(np.float32).tobytes()).decode()}
    if isinstance(obj, bytes):
        return base64.b64encode(obj).decode()
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(f"{type(obj).__name__} cannot be sent to the page")


def _array(js_buffer) -> np.ndarray | None:
    return None if js_buffer is None else np.asarray(js_buffer.to_py(), dtype=np.float32)


class App:
    def __init__(self, models_json: str):
        self.controller = Controller.from_models_json(json.loads(models_json or "{}"))
        self.step: Step | None = None

    def begin(self, action: str, payload=None, progress=None):
        """Do the action; return the batch to classify (a Float32Array) or None."""
        p = payload.to_py() if hasattr(payload, "to_py") else (payload or {})
        self.step = handle(self.controller, str(action), p, progress)
        return None if self.step.batch is None else to_js(np.ascontiguousarray(self.step.batch).ravel())

    def wants_features(self) -> bool:
        """Whether the networks' features are needed for the action begun last."""
        return self.step is not None and (self.step.features or self.controller.personal.active)

    def wants_layers(self) -> bool:
        """Whether the action begun last needs every layer's output (the inside view)."""
        return self.step is not None and self.step.layers

    def next_chunk(self):
        """The next chunk of the action's batch (a Float32Array), or None when there is no more."""
        b = self.step.next_chunk() if self.step is not None else None
        return None if b is None else to_js(np.ascontiguousarray(b).ravel())

    def end(self, digits=None, digit_or_not=None, h=None, g=None, layers=None) -> str:
        """The reply for the action begun last, as JSON, given the networks' outputs (and the
        features feeding their last layers): through the person's heads, unless the action
        learns from the shipped outputs themselves."""
        step, self.step = self.step, None
        d, dn, h, g = _array(digits), _array(digit_or_not), _array(h), _array(g)
        if not step.features:
            d, dn = self.controller.personal.adjust(d, dn, h, g)
        outs = None if layers is None else {str(k): _array(v) for k, v in layers.object_entries()}
        return json.dumps(step.complete(d, dn, h, g, outs), default=_wire, separators=(",", ":"))


def unpacked() -> None:
    """The page has unpacked new files (the photo bundle) under folders Python has already
    listed: its path finders look again. (importlib.invalidate_caches would also reach for
    importlib.metadata, which the page does not ship.)"""
    import sys
    for finder in list(sys.path_importer_cache.values()):
        if hasattr(finder, "invalidate_caches"):
            finder.invalidate_caches()


def compiled_from_source() -> list[str]:
    """Modules this Python compiled from .py source instead of loading a .pyc (the build
    precompiles everything; tests/e2e/test_python_bundle.py checks this stays empty)."""
    import os
    import sys
    out = []
    for name, m in list(sys.modules.items()):
        path = getattr(m, "__file__", None) or ""
        frozen = getattr(getattr(m, "__spec__", None), "origin", None) == "frozen"   # built into the binary
        if path.endswith(".py") and not frozen and not os.path.exists(getattr(m, "__cached__", None) or ""):
            out.append(name)
    return sorted(out)


def warm_up(app: App) -> None:
    """One stroke, prediction and undo with made-up outputs, so the first real stroke pays for
    no first-call costs (lazy imports, Pillow's first draw). The drawing is left empty."""
    app.begin("stroke", {"points": [[100.0, 100.0], [180.0, 180.0], [120.0, 200.0]]})
    probs = np.full(10, 0.1, np.float32)
    app.step.complete(probs, np.array([0.5, 0.5], np.float32))
    app.controller.sweep_inputs(2)
    app.begin("clear", {})
    app.controller.history.clear()
    app.step = None


# A made-up "47" written in three strokes (pad units): its last stroke takes the stroke path through
# simplifying a pointer's worth of points, rendering, the layout and the candidate readings.
REHEARSAL = [
    [[40.0, 60.0], [30.0, 150.0], [95.0, 150.0]],
    [[80.0, 80.0], *[[80.0 + k * 0.1, 80.0 + k] for k in range(1, 150)]],
    [[150.0, 70.0], *[[150.0 + k, 70.0 + 0.02 * k * k] for k in range(1, 90)], [170.0, 220.0]],
]


def rehearse(app: App) -> int:
    """Write REHEARSAL on a pad of its own, with made-up network outputs, while the person is
    still reaching for the pad: the first real stroke then finds this code already run through
    (measured in the page: see the README, "The first stroke"). The app's own drawing, history
    and pending step are not touched. Returns how many images it rendered for the networks."""
    c = Controller(app.controller.thresholds, app.controller.segmentation)
    images = 0
    for points in REHEARSAL:
        step = handle(c, "stroke", {"points": points})
        n = 0 if step.batch is None else len(step.batch)
        reply = step.complete(np.full((n, 10), 0.1, np.float32), np.full((n, 2), 0.5, np.float32))
        json.dumps(reply, default=_wire, separators=(",", ":"))
        images += n
    teach.rehearse()
    return images


def create_app(models_json: str) -> App:
    app = App(models_json)
    warm_up(app)
    return app
