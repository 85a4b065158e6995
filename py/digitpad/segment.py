"""Reading the pad as symbols, left to right: which strokes make one digit of a number.

1. **Atoms.** Pen strokes whose horizontal extents overlap by at least ``overlap`` of the
   narrower one are one symbol for sure (a 7's crossbar, a 5's floating bar, a 4 in two strokes):
   people write the digits of a number side by side, not stacked. Specks (a stray tap: smaller
   than ``speck`` of the row's height both ways) belong to no symbol.
2. **Boundaries.** Between neighbouring atoms, a logistic model of the geometry (the horizontal
   gap and overlap, relative to the row's height, and how small the smaller atom is) gives
   P(split). It is fitted on numbers built from MNIST digits the test set never sees
   (``python -m train numbers``), and its coefficients travel in models.json.
3. **Readings.** Where P(split) is near 1 or 0 the boundary is decided. Elsewhere the networks
   decide: every candidate symbol (a run of atoms between decided splits) is classified in the
   prediction's one batch, and the reading with the highest probability wins,
       P(reading) ∝ Π P(split or join | geometry) × Π P(this run of atoms is one digit),
   P(one digit) being the digit-or-not probability times the digit network's top probability.
"""
from __future__ import annotations

import math
import weakref
from dataclasses import dataclass, field

import numpy as np

from .strokes import Stroke

MAX_SYMBOLS = 10      # a number of up to 10 digits in one row
MAX_RUN = 4           # the most atoms one candidate symbol may join
# Past this many atoms (a pad of scribbles, not a number) boundaries are decided by geometry
# alone: the networks' batch stays small whatever is drawn.
MAX_ATOMS = 3 * MAX_SYMBOLS


@dataclass(frozen=True)
class Params:
    """What segmentation decides by; fitted by `python -m train numbers` and kept in models.json."""
    overlap: float = 0.5            # horizontal overlap (share of the narrower atom) that joins for sure
    speck: float = 0.15             # atoms smaller than this share of the row height, both ways, are specks
    # logistic P(split) = sigmoid(w . [1, gap/H, overlap share, small atom's size/H])
    weights: tuple[float, ...] = (-2.0, 40.0, -8.0, 4.0)
    decided: float = 0.02           # P(split) below this joins, above 1 - this splits, without the networks
    # P(split) at a candidate cut inside one piece of ink (digits that touch, a number written in
    # one stroke): never decided by geometry, so the networks always choose between the cut and
    # the whole. Below 0.5, so that a whole digit the networks read well beats its two halves.
    cut: float = 0.5
    # ... in one pen stroke on the pad (joined.py): a single digit's stroke offers cuts too (a 4's
    # bar, a 0's bottom), and its halves read as 1s: lower, so that the whole wins a close race
    stroke_cut: float = 0.3

    @classmethod
    def from_models_json(cls, doc: dict) -> "Params":
        p = ((doc or {}).get("segmentation") or {}).get("params") or {}
        fields = {k: v for k, v in p.items() if k in cls.__dataclass_fields__}
        if "weights" in fields:
            fields["weights"] = tuple(float(w) for w in fields["weights"])
        return cls(**fields)


@dataclass
class Atom:
    strokes: list[int]                       # indices into the drawing's strokes
    box: tuple[float, float, float, float]   # ink box

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


@dataclass
class Layout:
    """The atoms of a drawing, left to right, and P(split) at each boundary between them."""
    atoms: list[Atom]
    p_split: list[float]
    specks: list[int] = field(default_factory=list)
    height: float = 0.0
    cuts: list[bool] = field(default_factory=list)   # each boundary: a candidate cut inside one ink?

    def candidates(self, params: Params) -> list[tuple[int, int]]:
        """Every run (i, j) of atoms i..j-1 that a reading may take as one symbol: runs of up to
        MAX_RUN atoms that cross no decided split. Decided joins are already merged (layout)."""
        if len(self.atoms) > MAX_ATOMS:
            return []
        out = []
        for i in range(len(self.atoms)):
            for j in range(i + 1, min(len(self.atoms), i + MAX_RUN) + 1):
                out.append((i, j))
                if j < len(self.atoms) and self.p_split[j - 1] >= 1 - params.decided:
                    break
        return out

    def partial(self, run: tuple[int, int]) -> bool:
        """Whether the run is part of an ink cut in pieces, not all of it: a cut at either end."""
        i, j = run
        return bool(self.cuts) and ((i > 0 and self.cuts[i - 1]) or (j < len(self.atoms) and self.cuts[j - 1]))

    def strokes_of(self, run: tuple[int, int]) -> list[int]:
        return sorted(s for a in self.atoms[run[0]:run[1]] for s in a.strokes)


# Each stroke's share of the slant, kept per stroke: strokes never change, and every stroke
# lays out the whole drawing again (in Pyodide each numpy call costs tens of microseconds).
_LEAN: "weakref.WeakKeyDictionary[Stroke, tuple[float, float]]" = weakref.WeakKeyDictionary()


def _lean(s: Stroke) -> tuple[float, float]:
    if s not in _LEAN:
        d = np.diff(s.points, axis=0)
        upright = np.abs(d[:, 1]) > 2 * np.abs(d[:, 0])
        _LEAN[s] = (float((d[upright, 0] * np.sign(d[upright, 1])).sum()), float(np.abs(d[upright, 1]).sum()))
    return _LEAN[s]


def slant(strokes: list[Stroke]) -> float:
    """How far the writing leans (dx per dy of its near-upright segments): a row written slanted
    puts neighbouring digits' boxes over each other, so boxes are compared upright."""
    num = den = 0.0
    for s in strokes:
        if s.is_pen and len(s.points) > 1:
            n, d = _lean(s)
            num += n
            den += d
    return float(np.clip(num / den, -0.4, 0.4)) if den > 0 else 0.0


def _ink_boxes(strokes: list[Stroke], lean: float, y0: float) -> list[tuple[float, float, float, float]]:
    """Each stroke's ink box with the writing's slant taken out (x - lean * (y - y0)): all strokes
    in one pass, a handful of numpy calls whatever their number."""
    pts = np.concatenate([s.points for s in strokes])
    starts = np.cumsum([0] + [len(s.points) for s in strokes[:-1]])
    x = pts[:, 0] - lean * (pts[:, 1] - y0)
    lo, hi = np.minimum.reduceat(x, starts).tolist(), np.maximum.reduceat(x, starts).tolist()
    return [(a - s.width / 2, s.box[1] - s.width / 2, b + s.width / 2, s.box[3] + s.width / 2)
            for s, a, b in zip(strokes, lo, hi)]


def _join(a: Atom, b: Atom) -> Atom:
    return Atom(sorted(a.strokes + b.strokes), (min(a.box[0], b.box[0]), min(a.box[1], b.box[1]),
                                                max(a.box[2], b.box[2]), max(a.box[3], b.box[3])))


def _overlap_share(a: Atom, b: Atom) -> float:
    overlap = min(a.box[2], b.box[2]) - max(a.box[0], b.box[0])
    return max(overlap, 0.0) / max(min(a.width, b.width), 1e-9)


def features(left: Atom, right: Atom, height: float) -> np.ndarray:
    """[1, gap/H, overlap share, small atom's size/H] for the boundary between two atoms."""
    gap = right.box[0] - left.box[2]
    small = min(max(left.width, left.height), max(right.width, right.height))
    return np.array([1.0, gap / height, _overlap_share(left, right), small / height])


def layout(strokes: list[Stroke], params: Params, parent: dict[int, int] | None = None) -> Layout:
    """Atoms left to right (near-linear: a sweep over extents sorted by x) and their boundaries."""
    pens = [i for i, s in enumerate(strokes) if s.is_pen]
    if not pens:
        return Layout([], [])
    lean = slant(strokes)
    y0 = (min(strokes[i].box[1] for i in pens) + max(strokes[i].box[3] for i in pens)) / 2
    return layout_boxes(dict(zip(pens, _ink_boxes([strokes[i] for i in pens], lean, y0))), params, parent,
                        params.stroke_cut)


def layout_boxes(boxes: dict[int, tuple[float, float, float, float]], params: Params,
                 parent: dict[int, int] | None = None, cut_p: float | None = None) -> Layout:
    """The same, from each piece of ink's box: pen strokes on the pad, connected ink in a photo.
    parent: pieces cut from one ink (cuts.py, joined.py) -> that ink. A boundary between two of
    its pieces is a candidate cut: P(split) is params.cut (or cut_p), and the networks decide it."""
    cut_p = params.cut if cut_p is None else cut_p
    if not boxes:
        return Layout([], [])
    height = max(max(b[3] for b in boxes.values()) - min(b[1] for b in boxes.values()), 1e-9)
    done: list[Atom] = []
    active: list[Atom] = []                   # atoms that may still meet a stroke further right
    for i in sorted(boxes, key=lambda i: (boxes[i][0], boxes[i][2])):
        a = Atom([i], boxes[i])
        done += [b for b in active if b.box[2] <= a.box[0]]
        active = [b for b in active if b.box[2] > a.box[0]]
        joined = True
        while joined:                         # a join widens the atom, so look again
            joined = False
            for b in active:
                if _overlap_share(b, a) >= params.overlap:
                    active.remove(b)
                    a, joined = _join(b, a), True
                    break
        active.append(a)
    atoms = done + active
    atoms.sort(key=lambda a: (a.box[0] + a.box[2]) / 2)
    size = max(max(a.width, a.height) for a in atoms)
    real = [a for a in atoms if max(a.width, a.height) >= params.speck * min(height, size) or len(atoms) == 1]
    specks = [s for a in atoms if a not in real for s in a.strokes]
    if not real:                              # only specks: the biggest one is the symbol
        real = [max(atoms, key=lambda a: max(a.width, a.height))]
    w = np.array(params.weights)

    def cut(a: Atom, b: Atom) -> bool:
        return bool(parent) and bool({parent[i] for i in a.strokes if i in parent} & {parent[i] for i in b.strokes if i in parent})

    whole: dict[int, tuple] = {}                    # each cut ink's own box: the union of its pieces'
    for i, k in (parent or {}).items():
        if i in boxes:
            b = whole.get(k, boxes[i])
            whole[k] = (min(b[0], boxes[i][0]), min(b[1], boxes[i][1]), max(b[2], boxes[i][2]), max(b[3], boxes[i][3]))

    def size(a: Atom) -> float:
        """An atom's size, or its whole ink's when it is a piece: a piece is small because it was
        cut, not because it is a speck or a bar that belongs to its neighbour."""
        boxes_ = [a.box] + [whole[parent[i]] for i in a.strokes if parent and i in parent]
        return max(max(b[2] - b[0], b[3] - b[1]) for b in boxes_)

    def p_split(a: Atom, b: Atom) -> float:
        if cut(a, b):
            return cut_p
        f = features(a, b, height)
        if parent:
            f[3] = min(size(a), size(b)) / height
        return 1.0 / (1.0 + math.exp(-float(np.clip(w @ f, -50, 50))))

    merged, p = [real[0]], []
    for a in real[1:]:                        # decided joins merge now: left to right, one pass
        q = p_split(merged[-1], a)
        if q <= params.decided:
            merged[-1] = _join(merged[-1], a)
            if p:
                p[-1] = p_split(merged[-2], merged[-1])
        else:
            merged.append(a)
            p.append(q)
    return Layout(merged, p, specks, height, [cut(a, b) for a, b in zip(merged, merged[1:])])


@dataclass
class Reading:
    runs: list[tuple[int, int]]       # the chosen symbols, as runs of atoms, left to right
    log_p: float


def best_reading(lay: Layout, p_one: dict[tuple[int, int], float]) -> Reading:
    """The most probable reading, by dynamic programming over the candidate runs.

    p_one maps each candidate run to P(it is one digit), from the networks. A boundary that a
    reading splits contributes P(split); one it keeps inside a symbol, 1 - P(split). Without
    candidates (too many atoms), each boundary is decided by geometry alone.
    """
    n = len(lay.atoms)
    if n == 0:
        return Reading([], 0.0)
    if not p_one:
        cuts = [0] + [k for k, p in enumerate(lay.p_split, start=1) if p >= 0.5] + [n]
        return Reading(list(zip(cuts, cuts[1:])), 0.0)
    eps = 1e-6
    log_split = [math.log(max(p, eps)) for p in lay.p_split]
    log_join = [math.log(max(1 - p, eps)) for p in lay.p_split]
    best: list[tuple[float, list[tuple[int, int]]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for j in range(1, n + 1):
        for i in range(max(0, j - MAX_RUN), j):
            if best[i] is None or (i, j) not in p_one:
                continue
            score = best[i][0] + math.log(max(p_one[(i, j)], eps)) + sum(log_join[k - 1] for k in range(i + 1, j))
            if i > 0:
                score += log_split[i - 1]
            if best[j] is None or score > best[j][0]:
                best[j] = (score, best[i][1] + [(i, j)])
    if best[n] is None:                      # cannot happen with single atoms as candidates; be safe
        return Reading([(i, i + 1) for i in range(n)], float("-inf"))
    return Reading(best[n][1], best[n][0])
