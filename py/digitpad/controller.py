"""Every user action and the state it changes. No browser here: the page forwards events.

Each action is one :class:`Step`: the state change is done at once, and when the action needs the
networks (predict, sweep, or any change while "predict when a stroke ends" is on) the step
carries the batch of 28x28 images to classify and a ``finish`` that turns the networks' outputs
into the view model. The page runs the networks between the two halves, so one action is one
message and one Python call on each side of the model run, with no event loop in between.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import transforms
from .errors import UserError
from .render import render
from .strokes import DEFAULT_PEN_WIDTH, PAD, Drawing, StrokeError, make_stroke, simplified
from .symbols import count_symbols
from .views import Thresholds, check_probabilities, empty_view, prediction_view, sweep_view

MOVE_STEP = PAD / 28        # one MNIST pixel with normalization off
ZOOM_STEP = 1.1
ROTATE_STEP = 10.0
SWEEP_STEPS = 36            # 10 degrees apart
UNDO_DEPTH = 200


@dataclass
class Step:
    """One action: its reply now, and optionally a batch whose outputs ``finish`` turns into a view."""
    reply: dict
    batch: np.ndarray | None = None                 # float32 [n, 1, 28, 28]
    finish: Callable[[np.ndarray, np.ndarray | None], dict] | None = None

    def complete(self, digits=None, gate=None) -> dict:
        """The reply, with the view when the networks' outputs are given (None: they failed)."""
        out = dict(self.reply)
        if self.finish is not None and digits is not None:
            try:
                out.update(self.finish(digits, gate))
            except UserError as e:        # a model that breaks its contract: say so, keep the drawing
                out["error"] = str(e)
        return out


@dataclass
class Settings:
    normalize: bool = True        # MNIST-style fit and centring; off shows why it matters
    auto_predict: bool = True     # predict when a stroke ends

    def set(self, name: str, value) -> None:
        if name not in ("normalize", "auto_predict"):
            raise UserError(f"unknown setting {name!r}")
        setattr(self, name, bool(value))


@dataclass
class Controller:
    thresholds: Thresholds = field(default_factory=Thresholds)
    settings: Settings = field(default_factory=Settings)
    drawing: Drawing = field(default_factory=Drawing)
    history: list[Drawing] = field(default_factory=list)

    # ---- drawing -------------------------------------------------------------------------
    def _commit(self, new: Drawing, strokes: bool = True) -> dict:
        self.history.append(self.drawing)
        del self.history[:-UNDO_DEPTH]
        self.drawing = new
        return self.state(strokes)

    def state(self, strokes: bool = True) -> dict:
        """What the page shows of the drawing; the strokes only when Python changed them."""
        out = {"empty": self.drawing.is_empty, "can_undo": bool(self.history),
               "settings": vars(self.settings).copy()}
        if strokes:
            out["strokes"] = self.drawing.strokes
        return out

    def add_stroke(self, points, tool: str = "pen", width: float = DEFAULT_PEN_WIDTH) -> dict:
        s = make_stroke(points, tool, width)
        if s is None:
            raise StrokeError("that stroke had no usable points")
        # the page painted the stroke itself: it needs no strokes back
        return self._commit(Drawing(self.drawing.strokes + [simplified(s)]), strokes=False)

    def undo(self) -> dict:
        if self.history:
            self.drawing = self.history.pop()
        return self.state()

    def clear(self) -> dict:
        if not self.drawing.strokes:
            return self.state()
        return self._commit(Drawing())   # clearing can be undone too: nothing is lost

    def move(self, dx: float, dy: float) -> dict:
        return self._commit(transforms.move(self.drawing, dx * MOVE_STEP, dy * MOVE_STEP))

    def zoom(self, direction: int) -> dict:
        return self._commit(transforms.zoom(self.drawing, ZOOM_STEP ** direction))

    def rotate(self, degrees: float = ROTATE_STEP) -> dict:
        return self._commit(transforms.rotate(self.drawing, degrees))

    def normalize_pad(self) -> dict:
        new, box = transforms.normalize(self.drawing)
        out = self._commit(new) if box is not None else self.state()
        out["bbox"] = list(box) if box is not None else None
        return out

    def set(self, name: str, value) -> dict:
        self.settings.set(name, value)
        return self.state(strokes=False)

    # ---- predicting ----------------------------------------------------------------------
    def model_input(self) -> np.ndarray | None:
        """The 28x28 float32 image the networks see, or None for an empty pad."""
        return render(self.drawing.strokes, self.settings.normalize)

    def predict(self, reply: dict | None = None) -> Step:
        reply = {} if reply is None else reply
        image = self.model_input()
        if image is None:
            return Step({**reply, "view": empty_view()})
        strokes = self.drawing.strokes

        def finish(digits, gate) -> dict:
            probs = check_probabilities(digits, 1, 10, "the digit model")[0]
            p_digit = None if gate is None else float(check_probabilities(gate, 1, 2, "the gate model")[0, 1])
            return {"view": prediction_view(probs, p_digit, image, count_symbols(strokes), self.thresholds)}

        return Step(reply, image[None, None], finish)

    def then_predict(self, reply: dict) -> Step:
        """A change, followed by a prediction when "predict when a stroke ends" is on."""
        return self.predict(reply) if self.settings.auto_predict else Step(reply)

    def sweep_inputs(self, steps: int = SWEEP_STEPS) -> tuple[list[float], np.ndarray | None]:
        if self.drawing.is_empty:
            return [], None
        pivot = transforms.centre(self.drawing.strokes)
        angles = [i * 360.0 / steps for i in range(steps)]
        images = [render(transforms.rotate(self.drawing, a, pivot).strokes, self.settings.normalize)
                  for a in angles]
        return angles, np.stack(images)[:, None].astype(np.float32)

    def sweep(self, steps: int = SWEEP_STEPS) -> Step:
        angles, batch = self.sweep_inputs(steps)
        if batch is None:
            return Step({"sweep": [], "message": "Draw a digit first, then sweep it through 360 degrees."})

        def finish(digits, gate) -> dict:
            n = len(angles)
            probs = check_probabilities(digits, n, 10, "the digit model")
            p_digit = None if gate is None else check_probabilities(gate, n, 2, "the gate model")[:, 1]
            return {"sweep": sweep_view(angles, probs, p_digit), "message": ""}

        return Step({}, batch, finish)
