"""One prediction: the whole drawing and every candidate symbol of the number, in one batch.

The single-digit view (digit, probabilities, verdict) comes from the whole drawing as the
network sees it (the controller replaces it with the selected symbol's when there are several);
the number comes from segmentation (segment.py): each candidate symbol is
rendered alone, MNIST-style, and classified in the same batch. Results are kept per set of strokes
(strokes never change, see Stroke.uid), so adding a stroke to the right of a number classifies only
the candidates that include it. A prediction the person asks for (Predict) always runs the
networks on the whole drawing again.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from . import joined
from .render import render
from .segment import Layout, Params, best_reading, layout
from .strokes import Stroke
from .views import Thresholds, check_probabilities, empty_view, prediction_view, symbol_view

CACHE_SIZE = 256


@dataclass
class Result:
    image: np.ndarray
    probs: np.ndarray
    p_digit: float | None


@dataclass
class Symbol:
    """One symbol of the number read last: which pen strokes it is, and how the networks read it."""
    uids: tuple              # its pen strokes' uids: the same strokes are the same symbol
    result: Result
    box: list[float]


def _key(strokes: list[Stroke], pens: list[int] | None, normalize: bool) -> tuple:
    chosen = [s for i, s in enumerate(strokes) if s.is_pen and (pens is None or i in pens)]
    erasers = [s for s in strokes if not s.is_pen]
    return normalize, tuple(s.uid for s in chosen), tuple(s.uid for s in erasers)


def _subset(strokes: list[Stroke], pens: list[int]) -> list[Stroke]:
    keep = set(pens)
    return [s for i, s in enumerate(strokes) if not s.is_pen or i in keep]


class Reader:
    def __init__(self, params: Params | None = None, thresholds: Thresholds | None = None):
        self.params = params or Params()
        self.thresholds = thresholds or Thresholds()
        self.cache: OrderedDict[tuple, Result] = OrderedDict()
        self.symbols: list[Symbol] = []      # the number read last, in reading order
        self.atoms: list[Stroke] = []        # its strokes, a stroke joining digits cut in pieces (joined.py)
        self.parent: dict[int, int] = {}     # a piece's uid -> the uid of the stroke it was cut from

    def plan(self, strokes: list[Stroke], normalize: bool, fresh: bool = False):
        """(batch or None, finish(digits, digit_or_not) -> view), or None for an empty pad."""
        whole = render(strokes, normalize)
        if whole is None:
            self.symbols = []
            return None
        pieces, parent = joined.split(strokes)
        self.atoms = pieces
        self.parent = {pieces[i].uid: strokes[k].uid for i, k in parent.items()}
        lay = layout(pieces, self.params, parent)
        runs = lay.candidates(self.params) if len(lay.atoms) > 1 else [(0, 1)]
        wanted: dict[tuple, np.ndarray | None] = {_key(strokes, None, normalize): whole}
        run_keys = {}
        for run in runs:
            k = _key(pieces, lay.strokes_of(run), True)
            run_keys[run] = k
            wanted.setdefault(k, None)
        todo = [k for k in wanted if k not in self.cache or (fresh and k == _key(strokes, None, normalize))]
        images = [wanted[k] if wanted[k] is not None else render(_subset(pieces, list(_pens_of(k, pieces))), True)
                  for k in todo]
        whole_key = _key(strokes, None, normalize)

        def finish(digits, digit_or_not) -> dict:
            n = len(todo)
            if n:
                probs = check_probabilities(digits, n, 10, "the digit model")
                p = None if digit_or_not is None else check_probabilities(digit_or_not, n, 2, "the digit-or-not model")[:, 1]
                for i, k in enumerate(todo):
                    self._keep(k, Result(images[i], probs[i], None if p is None else float(p[i])))
            return self._view(lay, runs, run_keys, whole_key)

        return (np.stack(images)[:, None].astype(np.float32) if todo else None), finish

    def _keep(self, key: tuple, r: Result) -> None:
        self.cache[key] = r
        self.cache.move_to_end(key)
        while len(self.cache) > CACHE_SIZE:
            self.cache.popitem(last=False)

    def _view(self, lay: Layout, runs, run_keys, whole_key) -> dict:
        whole = self.cache[whole_key]
        p_one = {}
        for run in runs:
            r = self.cache[run_keys[run]]
            p_one[run] = float(r.probs.max()) * (1.0 if r.p_digit is None else r.p_digit)
        reading = best_reading(lay, p_one if len(lay.atoms) > 1 else {})
        symbols, self.symbols = [], []
        for run in reading.runs:
            r = self.cache.get(run_keys.get(run, ()))
            if r is not None:
                box = [min(lay.atoms[i].box[0] for i in range(*run)), min(lay.atoms[i].box[1] for i in range(*run)),
                       max(lay.atoms[i].box[2] for i in range(*run)), max(lay.atoms[i].box[3] for i in range(*run))]
                symbols.append(symbol_view(r.probs, r.p_digit, r.image, box, self.thresholds))
                self.symbols.append(Symbol(run_keys[run][1], r, box))
        view = prediction_view(whole.probs, whole.p_digit, whole.image, len(reading.runs), self.thresholds, symbols)
        view["number"] = "".join(str(s["digit"]) for s in symbols)
        view["number_symbols"] = symbols
        return view

    def empty(self) -> dict:
        return {**empty_view(), "number": "", "number_symbols": []}

    def forget(self) -> None:
        """Drop every answer kept: the personal heads changed, so the same strokes read differently."""
        self.cache.clear()


def _pens_of(key: tuple, strokes: list[Stroke]) -> list[int]:
    uids = set(key[1])
    return [i for i, s in enumerate(strokes) if s.uid in uids]
