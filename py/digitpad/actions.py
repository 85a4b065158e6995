"""The page's action names mapped onto the controller, with errors turned into messages.

The page sends ``(action, payload)``; the answer is always a dict, with ``"error"`` set when the
action could not be done (the state is then unchanged, so nothing the user drew is lost).
"""
from __future__ import annotations

from . import samples
from .controller import Controller
from .strokes import StrokeError


async def dispatch(c: Controller, classifier, action: str, payload: dict | None) -> dict:
    p = payload or {}
    try:
        if action == "stroke":
            return c.add_stroke(p.get("points", []), p.get("tool"), p.get("width"))
        if action == "undo":
            return c.undo()
        if action == "clear":
            return c.clear()
        if action == "load":
            return c.load(p.get("strokes", []))
        if action == "move":
            return c.move(float(p.get("dx", 0)), float(p.get("dy", 0)))
        if action == "zoom":
            return c.zoom(int(p.get("direction", 1)))
        if action == "rotate":
            return c.rotate(float(p.get("degrees", 10)))
        if action == "normalize":
            return c.normalize_pad()
        if action == "set":
            return c.set(str(p.get("name")), p.get("value"))
        if action == "state":
            return c.state()
        if action == "predict":
            return await c.predict(classifier)
        if action == "sweep":
            return await c.sweep(classifier)
        if action == "image":
            img = c.model_input()
            return {"image": None if img is None else img.astype("float32").tobytes()}
        if action == "sample":
            return {"sample": samples.make_sample(c.drawing, c.model_input(), str(p.get("label")))}
        if action == "import_samples":
            stored = samples.parse(p.get("stored") or samples.dump([]))
            merged, added = samples.merge(stored, samples.parse(p.get("text")))
            return {"samples": samples.dump(merged), "added": added, "counts": samples.counts(merged)}
        if action == "count_samples":
            return {"counts": samples.counts(samples.parse(p.get("stored") or samples.dump([])))}
        return {"error": f"unknown action {action!r}"}
    except (StrokeError, ValueError, TypeError) as e:
        return {"error": str(e)}
