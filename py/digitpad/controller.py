"""Every user action and the state it changes. No browser here: the page forwards events.

Actions that change the drawing return ``{"strokes": [...], ...}`` so the page can repaint;
``predict`` and ``sweep`` ask a classifier (see :mod:`digitpad.classify`) and return view models.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import transforms
from .classify import Thresholds, check_probabilities, empty_view, prediction_view, sweep_view
from .render import render
from .strokes import DEFAULT_PEN_WIDTH, PAD, Drawing, StrokeError, make_stroke
from .symbols import count_symbols

MOVE_STEP = PAD / 28        # one MNIST pixel with normalization off
ZOOM_STEP = 1.1
ROTATE_STEP = 10.0
SWEEP_STEPS = 36            # 10 degrees apart
UNDO_DEPTH = 200


@dataclass
class Settings:
    normalize: bool = True        # MNIST-style fit and centring; off shows why it matters
    auto_predict: bool = True     # predict when a stroke ends
    pen_width: float = DEFAULT_PEN_WIDTH
    tool: str = "pen"

    def set(self, name: str, value) -> None:
        if name in ("normalize", "auto_predict"):
            setattr(self, name, bool(value))
        elif name == "pen_width":
            w = float(value)
            if not (np.isfinite(w) and 2 <= w <= 60):
                raise ValueError(f"pen width must be between 2 and 60, got {value!r}")
            self.pen_width = w
        elif name == "tool":
            if value not in ("pen", "eraser"):
                raise ValueError(f"tool must be 'pen' or 'eraser', got {value!r}")
            self.tool = value
        else:
            raise ValueError(f"unknown setting {name!r}")


@dataclass
class Controller:
    thresholds: Thresholds = field(default_factory=Thresholds)
    settings: Settings = field(default_factory=Settings)
    drawing: Drawing = field(default_factory=Drawing)
    history: list[Drawing] = field(default_factory=list)

    # ---- drawing -------------------------------------------------------------------------
    def _commit(self, new: Drawing) -> dict:
        self.history.append(self.drawing)
        del self.history[:-UNDO_DEPTH]
        self.drawing = new
        return self.state()

    def state(self) -> dict:
        return {"strokes": self.drawing.to_json(), "empty": self.drawing.is_empty,
                "can_undo": bool(self.history), "settings": vars(self.settings).copy()}

    def add_stroke(self, points, tool: str | None = None, width: float | None = None) -> dict:
        s = make_stroke(points, tool or self.settings.tool, width or self.settings.pen_width)
        if s is None:
            raise StrokeError("that stroke had no usable points")
        return self._commit(Drawing(self.drawing.strokes + [s]))

    def undo(self) -> dict:
        if self.history:
            self.drawing = self.history.pop()
        return self.state()

    def clear(self) -> dict:
        if not self.drawing.strokes:
            return self.state()
        return self._commit(Drawing())   # clearing can be undone too: nothing is lost

    def load(self, strokes_json) -> dict:
        return self._commit(Drawing.from_json(strokes_json))

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
        return self.state()

    # ---- predicting ----------------------------------------------------------------------
    def model_input(self) -> np.ndarray | None:
        """The 28x28 float32 image the networks see, or None for an empty pad."""
        return render(self.drawing.strokes, self.settings.normalize)

    async def predict(self, classifier) -> dict:
        image = self.model_input()
        if image is None:
            return empty_view()
        digits, gate = await classifier.classify(image[None, None])
        probs = check_probabilities(digits, 1, 10, "the digit model")[0]
        p_digit = None if gate is None else float(check_probabilities(gate, 1, 2, "the gate model")[0, 1])
        symbols = count_symbols(self.drawing.strokes)
        return prediction_view(probs, p_digit, image, symbols, self.thresholds)

    def sweep_inputs(self, steps: int = SWEEP_STEPS) -> tuple[list[float], np.ndarray | None]:
        if self.drawing.is_empty:
            return [], None
        pivot = transforms.centre(self.drawing.strokes)
        angles = [i * 360.0 / steps for i in range(steps)]
        images = [render(transforms.rotate(self.drawing, a, pivot).strokes, self.settings.normalize)
                  for a in angles]
        return angles, np.stack(images)[:, None].astype(np.float32)

    async def sweep(self, classifier, steps: int = SWEEP_STEPS) -> dict:
        angles, batch = self.sweep_inputs(steps)
        if batch is None:
            return {"sweep": [], "message": "Draw a digit first, then sweep it through 360 degrees."}
        n = len(angles)
        digits, gate = await classifier.classify(batch)
        probs = check_probabilities(digits, n, 10, "the digit model")
        p_digit = None if gate is None else check_probabilities(gate, n, 2, "the gate model")[:, 1]
        return {"sweep": sweep_view(angles, probs, p_digit), "message": ""}
