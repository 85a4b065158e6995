"""The page's actions by name: payload checks, then the controller. Every action is one Step.

The page sends ``(action, payload)``. A payload that is not what the action takes is refused
with a UserError whose message the page shows; the state is then unchanged, so nothing the person
drew is lost.
"""
from __future__ import annotations

import math

import numpy as np

from . import samples
from .controller import Controller, Step
from .errors import UserError


class ActionError(UserError):
    pass


def _number(p: dict, name: str, default: float) -> float:
    v = p.get(name, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise ActionError(f"{name} must be a finite number, got {v!r}")
    return float(v)


def _text(p: dict, name: str) -> str:
    v = p.get(name)
    if not isinstance(v, str):
        raise ActionError(f"{name} must be text")
    return v


def _points(p: dict):
    """[[x, y], ...], or the page's flat typed array [x0, y0, x1, y1, ...] (a memoryview here)."""
    pts = p.get("points", [])
    if isinstance(pts, memoryview):
        flat = np.asarray(pts, dtype=np.float64)
        if flat.ndim != 1 or len(flat) % 2:
            raise ActionError("stroke points must come in x, y pairs")
        return flat.reshape(-1, 2)
    return pts


def _stroke(c: Controller, p: dict) -> Step:
    return c.then_predict(c.add_stroke(_points(p), p.get("tool", "pen"), _number(p, "width", 18)))


def _zoom(c: Controller, p: dict) -> Step:
    direction = _number(p, "direction", 1)
    if direction not in (-1, 1):
        raise ActionError(f"zoom direction must be 1 or -1, got {direction!r}")
    return c.then_predict(c.zoom(int(direction)))


def _set(c: Controller, p: dict) -> Step:
    name = _text(p, "name")
    reply = c.set(name, p.get("value"))
    return c.then_predict(reply) if name == "normalize" else Step(reply)


def _import(c: Controller, p: dict) -> Step:
    stored = samples.parse(p.get("stored") or samples.dump([]))
    merged, added = samples.merge(stored, samples.parse(_text(p, "text")))
    return Step({"samples": samples.dump(merged), "added": added, "counts": samples.counts(merged)})


ACTIONS = {
    "stroke": _stroke,
    "undo": lambda c, p: c.then_predict(c.undo()),
    "clear": lambda c, p: c.then_predict(c.clear()),
    "move": lambda c, p: c.then_predict(c.move(_number(p, "dx", 0), _number(p, "dy", 0))),
    "zoom": _zoom,
    "rotate": lambda c, p: c.then_predict(c.rotate(_number(p, "degrees", 10))),
    "normalize": lambda c, p: c.then_predict(c.normalize_pad()),
    "set": _set,
    "state": lambda c, p: Step(c.state()),
    "predict": lambda c, p: c.predict(),
    "sweep": lambda c, p: c.sweep(),
    "sample": lambda c, p: Step({"sample": samples.make_sample(c.drawing, c.model_input(), _text(p, "label"))}),
    "import_samples": _import,
    "count_samples": lambda c, p: Step({"counts": samples.counts(samples.parse(p.get("stored") or samples.dump([])))}),
}


def handle(c: Controller, action: str, payload: dict | None) -> Step:
    """The step for one action; a UserError becomes a reply with ``error`` and changes nothing."""
    fn = ACTIONS.get(action)
    try:
        if fn is None:
            raise ActionError(f"unknown action {action!r}")
        return fn(c, payload or {})
    except UserError as e:
        return Step({"error": str(e)})
