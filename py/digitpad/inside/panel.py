"""The "inside" action: the subject's image through the graph with every layer as an output.

The page sends it after every answer while the panel is open (and with each frame of a sweep's
replay, the angle shown). The first one carries the layer table and the weights; later ones may
select a map or a unit. The network runs on the very image the answer was computed from.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import transforms
from ..controller import Controller, Step
from ..errors import UserError
from ..render import render_placed
from . import view
from .network import Network


@dataclass
class Inside:
    network: Network | None = None
    selected: tuple[int, int] | None = None      # (row, map or unit)


def _weights(raw) -> dict:
    """{name: [dims, values]} as the page sends it."""
    if not isinstance(raw, dict):
        raise UserError("The network's weights did not come with the layer table.")
    return {str(k): (list(v[0]), np.asarray(v[1], np.float32)) for k, v in raw.items()}


def _subject(c: Controller, angle: float):
    """The 28x28 image the answer shown was computed from, and where it lies on the pad."""
    if c.photo_on:
        photo = c.photo
        sym = None if photo is None or photo.selected is None else photo.symbols[photo.selected]
        return (None, None) if sym is None else (sym.image, None)
    drawing, normalize = c.subject()
    if angle:
        drawing = transforms.rotate(drawing, angle, transforms.centre(drawing.strokes))
    return render_placed(drawing.strokes, normalize)


def _select(state: Inside, p: dict) -> None:
    sel = p.get("select")
    if sel is None:
        return
    if sel is False:
        state.selected = None
        return
    if not isinstance(sel, (list, tuple)) or len(sel) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in sel):
        raise UserError("select must be [layer, map]")
    state.network.row(sel[0])
    state.selected = (sel[0], sel[1])


def step(c: Controller, p: dict) -> Step:
    state = c.inside if isinstance(c.inside, Inside) else None
    if state is None:
        state = c.inside = Inside()
    if "load" in p:
        load = p["load"] or {}
        state.network = Network.from_page(load.get("table") or {}, _weights(load.get("weights")))
    net = state.network
    if net is None:
        raise UserError("The inside view is still loading.")
    _select(state, p)
    angle = p.get("angle") or 0.0
    if not isinstance(angle, (int, float)) or isinstance(angle, bool):
        raise UserError("angle must be a number")
    image, placement = _subject(c, float(angle))
    head = {"digit_params": net.digit_params, "selected": list(state.selected) if state.selected else None}
    if image is None:
        return Step({"inside": {**head, "rows": view.table(net), "empty": True}})

    def finish(digits, digit_or_not, layers) -> dict:
        outs = net.outputs(layers, image)
        out = {**head, "rows": view.overview(net, outs), "empty": False, "angle": float(angle),
               "closer": view.closer(net, outs, *state.selected) if state.selected else {}}
        if placement is not None:     # 28x28 (x, y) lies on the pad at ((x * unit - ox) / s, (y * unit - oy) / s)
            out["placement"] = {"scale": placement.scale, "offset": list(placement.offset), "unit": placement.unit}
        if c.personal.active:
            out["note"] = ("You have taught this page: the answer above goes through your own last layers; "
                           "these are the shipped network's.")
        return {"inside": out}

    return Step({}, np.asarray(image, np.float32)[None, None], finish, layers=True)
