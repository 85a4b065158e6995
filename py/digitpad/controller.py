"""Every user action and the state it changes. No browser here: the page forwards events.

Each action is one :class:`Step`: the state change is done at once, and when the action needs the
networks (predict, sweep, or any change while "predict when a stroke ends" is on) the step
carries the batch of 28x28 images to classify and a ``finish`` that turns the networks' outputs
into the view model. The page runs the networks between the two halves, so one action is one
message and one Python call on each side of the model run, with no event loop in between.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

import numpy as np

from . import transforms
from .errors import UserError
from .render import render, render_placed
from .strokes import (DEFAULT_PEN_WIDTH, MAX_STROKES, MAX_TOTAL_POINTS, PAD, Drawing, Stroke, StrokeError, ink_bbox,
                      make_stroke, simplified)
from . import explain, kept
from .reading import Reader
from .segment import Params
from .teach import Personal
from .views import MULTIPLE, Thresholds, check_probabilities, empty_view, least_certain, selected_view, sweep_view

MOVE_STEP = PAD / 28        # one MNIST pixel with normalization off
ZOOM_STEP = 1.1
ROTATE_STEP = 10.0
SWEEP_STEPS = 36            # 10 degrees apart
SWEEP_CHUNK = 9             # angles rendered per chunk: the networks run one while Python draws the next
UNDO_DEPTH = 200
# Move, zoom and rotate keep the symbol where a person can see and reach it: its box must meet
# the pad, and its size stay between these (a zoom past them is refused, never applied).
MIN_EXTENT, MAX_EXTENT = 2.0, 4 * PAD


@dataclass
class Step:
    """One action: its reply now, and optionally a batch whose outputs ``finish`` turns into a view.

    A long batch can come in chunks (``more`` yields the rest): the page runs each chunk on the
    networks while Python prepares the next, and ``finish`` gets the outputs of all of them.
    """
    reply: dict
    batch: np.ndarray | None = None                 # float32 [n, 1, 28, 28]
    finish: Callable[..., dict] | None = None
    more: Iterator[np.ndarray] | None = None
    features: bool = False                          # finish takes the features too, and the shipped outputs
    layers: bool = False                            # finish takes every layer's output too (inside/)

    def next_chunk(self) -> np.ndarray | None:
        return next(self.more, None) if self.more is not None else None

    def batches(self) -> Iterator[np.ndarray]:
        """Every chunk, the first one included (for callers that run them one after another)."""
        if self.batch is not None:
            yield self.batch
            while (b := self.next_chunk()) is not None:
                yield b

    def run(self, nets) -> dict:
        """The reply, running `nets(batch) -> (digits, digit_or_not[, digit_features, dnn_features])`
        on every chunk (the page's worker does the same in JavaScript; tests and training call this)."""
        if self.batch is None:
            return self.complete()
        outs = [list(nets(b)) + [None, None] for b in self.batches()]
        joined = [None if outs[0][i] is None else np.concatenate([np.asarray(o[i]) for o in outs]) for i in range(4)]
        return self.complete(*joined)

    def complete(self, digits=None, digit_or_not=None, h=None, g=None, layers=None) -> dict:
        """The reply, with the view when the networks' outputs are given (None: they failed)."""
        out = dict(self.reply)
        if self.layers and layers is None:
            digits = None                 # a graph without the layers' outputs answered: no view
        if self.finish is not None and digits is not None:
            try:
                out.update(self.finish(digits, digit_or_not, layers) if self.layers else
                           self.finish(digits, digit_or_not, h, g) if self.features else self.finish(digits, digit_or_not))
            except UserError as e:        # a model that breaks its contract: say so, keep the drawing
                out["error"] = str(e)
        return out


def explain_step(image: np.ndarray | None, placement=None) -> Step:
    """The heat map of one 28x28 image (placed on the pad, or not: a photo's symbol), one batch."""
    if image is None:
        return Step({"explain": None})
    batch, patches = explain.occlusions(image)

    def finish(digits, digit_or_not) -> dict:
        probs = check_probabilities(digits, len(batch), 10, "the digit model")
        return {"explain": explain.evidence(probs, patches, placement)}

    return Step({}, batch, finish)


def _size(d: Drawing) -> tuple[float, float]:
    box = ink_bbox(d.strokes)
    return (0.0, 0.0) if box is None else (box[2] - box[0], box[3] - box[1])


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
    segmentation: Params = field(default_factory=Params)
    settings: Settings = field(default_factory=Settings)
    drawing: Drawing = field(default_factory=Drawing)
    history: list[Drawing] = field(default_factory=list)
    personal: Personal = field(default_factory=Personal)
    photo: object | None = None   # digitpad.photo.reader.Photo, once a photo is opened
    photo_on: bool = False        # the photo is shown instead of the pad
    inside: object | None = None  # digitpad.inside.panel.Inside, once the panel has opened
    selected: tuple | None = None # the selected symbol of a number: its pen strokes' uids
    picked: bool = False          # the person chose it (kept while it is read); else the least certain
    _run: str | None = None       # the transform repeated last: a run of them is one undo step
    _number: dict | None = None   # the last number's view, before the selection was applied
    _ids: list = field(default_factory=list)   # its symbols' uids, in reading order

    @classmethod
    def from_models_json(cls, doc: dict) -> "Controller":
        """The thresholds and the segmentation rules that training fitted and recorded."""
        graph = doc.get("models", {}).get("combined", doc.get("models", {}).get("digits", {}))
        widths = {head: out["shape"][1] for head, out in (("digits", graph.get("outputs", {}).get("digit_features")),
                                                          ("digit_or_not", graph.get("outputs", {}).get("dnn_features"))) if out}
        personal = Personal(float(graph.get("temperature", 1.0)), widths)
        personal.nets = kept.nets_id(doc)
        return cls(Thresholds.from_models_json(doc), Params.from_models_json(doc), personal=personal)

    # ---- drawing -------------------------------------------------------------------------
    def _commit(self, new: Drawing, strokes: bool = True, run: str | None = None) -> dict:
        if run is None or run != self._run:
            self.history.append(self.drawing)
            del self.history[:-UNDO_DEPTH]
        self._run = run
        self.drawing = new
        return self.state(strokes)

    def _transform(self, new: Drawing, run: str) -> dict:
        """Commit a move/zoom/rotate, unless it would take the symbol off the pad or out of scale."""
        box = ink_bbox(new.strokes)
        if box is not None:
            extent = max(box[2] - box[0], box[3] - box[1])
            if extent > MAX_EXTENT:
                raise UserError("The symbol is as large as it can get: zoom out or press Normalize.")
            if extent < MIN_EXTENT and extent < max(*_size(self.drawing)):
                raise UserError("The symbol is as small as it can get: zoom in or press Normalize.")
            if box[2] < 0 or box[3] < 0 or box[0] > PAD or box[1] > PAD:
                raise UserError("That would move the symbol off the pad.")
        return self._commit(new, run=run)

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
        s = simplified(s)
        strokes = self.drawing.strokes
        if len(strokes) >= MAX_STROKES or sum(len(t.points) for t in strokes) + len(s.points) > MAX_TOTAL_POINTS:
            raise StrokeError(f"The pad is full ({len(strokes)} strokes): that stroke was not kept. "
                              "Undo, erase or clear to draw more.")
        # the page painted the stroke itself: it needs no strokes back
        return self._commit(Drawing(strokes + [s]), strokes=False)

    def undo(self) -> dict:
        if self.history:
            self.drawing = self.history.pop()
        self._run = None
        return self.state()

    def clear(self) -> dict:
        if not self.drawing.strokes:
            return self.state()
        return self._commit(Drawing())   # clearing can be undone too: nothing is lost

    def move(self, dx: float, dy: float) -> dict:
        return self._transform(transforms.move(self.drawing, dx * MOVE_STEP, dy * MOVE_STEP), "move")

    def zoom(self, direction: int) -> dict:
        return self._transform(transforms.zoom(self.drawing, ZOOM_STEP ** direction), "zoom")

    def rotate(self, degrees: float = ROTATE_STEP) -> dict:
        return self._transform(transforms.rotate(self.drawing, degrees), "rotate")

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

    def __post_init__(self):
        self.reader = Reader(self.segmentation, self.thresholds)

    def predict(self, reply: dict | None = None, fresh: bool = True) -> Step:
        """The whole drawing and the symbols of the number, in one batch (see reading.py)."""
        reply = {} if reply is None else reply
        planned = self.reader.plan(self.drawing.strokes, self.settings.normalize, fresh)
        if planned is None:
            return Step({**reply, "view": empty_view()})
        batch, finish = planned
        if batch is None:
            return Step({**reply, "view": self._with_selection(finish(None, None))})
        return Step(reply, batch, lambda digits, digit_or_not: {"view": self._with_selection(finish(digits, digit_or_not))})

    # ---- one symbol of a number ----------------------------------------------------------
    def _with_selection(self, view: dict, index: int | None = None) -> dict:
        """The view with its answer taken from the selected symbol, when the pad holds a number."""
        symbols = self.reader.symbols
        if view["verdict"] != MULTIPLE or len(symbols) < 2:
            self.selected, self.picked, self._number, self._ids = None, False, None, []
            return view
        self._number = view
        ids = [s.uids for s in symbols]
        if index is not None:
            self.selected, self.picked = ids[index], True
        elif self.selected not in ids or (not self.picked and ids != self._ids):
            # a new reading: the least certain digit; the same symbols read again (after teaching,
            # say) keep the one shown, so the answer does not jump away from what was just fixed
            self.selected, self.picked = ids[least_certain(view["number_symbols"])], False
        self._ids = ids
        i = ids.index(self.selected)
        r = symbols[i].result
        out = selected_view(view, i, r.probs, r.p_digit, r.image, self.thresholds)
        if not self.settings.normalize:   # the lesson of Normalize off: the whole pad, squeezed, as the network sees it
            w = out["whole"]
            out["message"] += (f" Normalize is off: the whole pad as one plain 28×28 image reads "
                               f"{w['digit']} ({100 * w['p']:.1f}%); each digit above is still framed on its own.")
        return out

    def select(self, index: int) -> dict:
        """Another digit of the number read last: its answer, from that reading (no network run)."""
        if self._number is None:
            raise UserError("There is only one symbol on the pad: nothing to select.")
        if not 0 <= index < len(self.reader.symbols):
            raise UserError(f"The number has {len(self.reader.symbols)} digits: there is no digit {index + 1}.")
        return {"view": self._with_selection(self._number, index)}

    def _symbol_strokes(self) -> list[Stroke] | None:
        """The selected symbol's pen strokes and every eraser stroke, or None when none is selected."""
        if self.selected is None:
            return None
        ids = set(self.selected)
        chosen = [s for s in self.reader.atoms if not s.is_pen or s.uid in ids]
        return chosen if any(s.is_pen for s in chosen) else None

    def subject(self) -> tuple[Drawing, bool]:
        """What one-symbol actions (explain, sweep, teach) look at: the selected symbol of a number,
        framed as the reader framed it, or the whole pad with the page's Normalize setting."""
        strokes = self._symbol_strokes()
        return (Drawing(strokes), True) if strokes is not None else (self.drawing, self.settings.normalize)

    def subject_input(self) -> np.ndarray | None:
        drawing, normalize = self.subject()
        return render(drawing.strokes, normalize)

    def explain(self) -> Step:
        """Why the network chose its digit for the drawing: occlusion sensitivity (explain.py)."""
        drawing, normalize = self.subject()
        return explain_step(*render_placed(drawing.strokes, normalize))

    def then_predict(self, reply: dict) -> Step:
        """A change, followed by a prediction when "predict when a stroke ends" is on."""
        return self.predict(reply, fresh=False) if self.settings.auto_predict else Step(reply)

    def sweep_chunks(self, steps: int = SWEEP_STEPS, chunk: int = SWEEP_CHUNK) -> Iterator[np.ndarray]:
        """The drawing (or the selected symbol) turned through 360 degrees, `chunk` angles at a time."""
        drawing, normalize = self.subject()
        pivot = transforms.centre(drawing.strokes)
        angles = [i * 360.0 / steps for i in range(steps)]
        for i in range(0, steps, chunk):
            images = [render(transforms.rotate(drawing, a, pivot).strokes, normalize)
                      for a in angles[i:i + chunk]]
            yield np.stack(images)[:, None].astype(np.float32)

    def sweep_inputs(self, steps: int = SWEEP_STEPS) -> tuple[list[float], np.ndarray | None]:
        if self.drawing.is_empty:
            return [], None
        return [i * 360.0 / steps for i in range(steps)], np.concatenate(list(self.sweep_chunks(steps)))

    def sweep(self, steps: int = SWEEP_STEPS) -> Step:
        if self.drawing.is_empty:
            return Step({"sweep": [], "message": "Draw a digit first, then sweep it through 360 degrees."})
        angles = [i * 360.0 / steps for i in range(steps)]
        chunks = self.sweep_chunks(steps)

        def finish(digits, digit_or_not) -> dict:
            n = len(angles)
            probs = check_probabilities(digits, n, 10, "the digit model")
            p_digit = None if digit_or_not is None else check_probabilities(digit_or_not, n, 2, "the digit-or-not model")[:, 1]
            return {"sweep": sweep_view(angles, probs, p_digit), "message": ""}

        # the strokes the page turns: a piece of a joined stroke turns its whole stroke
        picked = set() if self.selected is None else {self.reader.parent.get(u, u) for u in self.selected}
        turned = None if self.selected is None else [i for i, s in enumerate(self.drawing.strokes)
                                                     if not s.is_pen or s.uid in picked]
        return Step({"turned": turned}, next(chunks), finish, chunks)
