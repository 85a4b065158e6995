"""The page's actions by name: payload checks, then the controller. Every action is one Step.

The page sends ``(action, payload)``. A payload that is not what the action takes is refused
with a UserError whose message the page shows; the state is then unchanged, so nothing the person
drew is lost.
"""
from __future__ import annotations

import math

import numpy as np

from . import personal_actions, samples
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


def _sample(c: Controller, p: dict) -> Step:
    if c.photo_on:
        return _photo_page().sample(c, _text(p, "label"))
    drawing, _ = c.subject()              # with a number on the pad: the selected digit alone
    s = samples.make_sample(drawing, c.subject_input(), _text(p, "label"))
    return Step({"sample": s, "key": samples.key(s)})


def _select(c: Controller, p: dict) -> Step:
    """Select a digit of the number on the pad, or a symbol of the photo shown."""
    index = p.get("index")
    if isinstance(index, bool) or not isinstance(index, int):
        raise ActionError("index must be a whole number")
    return _photo_page().select(c, {"index": index, "listed": True}) if c.photo_on else Step(c.select(index))


def _photo_page():
    """digitpad.photo travels in its own bundle, which the page unpacks when a photo is first opened."""
    try:
        from .photo import page
    except ImportError as e:
        raise ActionError(f"the photo reader is not loaded ({e})") from None
    return page


def _inside():
    """digitpad.inside too comes in its own bundle, unpacked when the panel first opens."""
    try:
        from .inside import panel
    except ImportError as e:
        raise ActionError(f"the inside view is not loaded ({e})") from None
    return panel


def _predict(c: Controller, p: dict) -> Step:
    return _photo_page().read(c, {}) if c.photo_on else c.predict()


def _import(c: Controller, p: dict, progress=None) -> Step:
    """The new samples of an imported file (validated, without those stored or repeated)."""
    incoming = samples.parse(_text(p, "text"), progress)
    keys = p.get("keys") or []
    if not isinstance(keys, list):
        raise ActionError("keys must be a list")
    added = samples.merge(keys, incoming)
    return Step({"added": [{"key": samples.key(s), "sample": s} for s in added], "in_file": len(incoming)})


def _export(c: Controller, p: dict) -> Step:
    """The file for the stored samples; damaged ones are left out and counted."""
    records = p.get("records") or []
    if not isinstance(records, list):
        raise ActionError("records must be a list")
    good, bad = samples.read_stored(records)
    return Step({"text": samples.dump(good), "exported": len(good), "damaged": bad})


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
    "predict": _predict,
    "photo": lambda c, p: _photo_page().read(c, p),
    "select": _select,
    "photo_select": lambda c, p: _photo_page().select(c, p),
    "photo_close": lambda c, p: _photo_page().close(c, p),
    "sweep": lambda c, p: c.sweep(),
    "explain": lambda c, p: _photo_page().explain(c) if c.photo_on else c.explain(),
    "inside": lambda c, p: _inside().step(c, p),
    "sample": _sample,
    "import_samples": _import,
    "export_samples": _export,
    **personal_actions.ACTIONS,
}


def handle(c: Controller, action: str, payload: dict | None, progress=None) -> Step:
    """The step for one action; a UserError becomes a reply with ``error`` and changes nothing.
    ``progress(done, total)`` hears from long actions (an import) as they go."""
    fn = ACTIONS.get(action)
    try:
        if fn is None:
            raise ActionError(f"unknown action {action!r}")
        if payload is not None and not isinstance(payload, dict):
            raise ActionError("an action's payload must be an object")
        return _import(c, payload, progress) if fn is _import else fn(c, payload or {})
    except UserError as e:
        return Step({"error": str(e)})
