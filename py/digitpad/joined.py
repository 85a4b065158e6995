"""A number written without lifting the pen: candidate cuts in one stroke, for the reader to choose.

The pad's number reader takes pen strokes as atoms (segment.py), so a stroke that runs from the end
of one digit into the next makes both one symbol. A quick writer's joining line goes rightwards,
from where one digit ends to where the next begins: one straight-ish segment of the stroke, with
a digit's ink on either side that barely overlaps the other's. Each such segment is a candidate
cut: the stroke before it and the stroke after it become atoms of their own, and the joining line
is dropped from both. segment.py gives the boundary P(split) = Params.stroke_cut, and the networks decide
between the cut and the whole, so a 2 or an 8 written in one stroke stays one digit: its segments
either overlap the rest of it across, or leave a piece too small to be a digit.
"""
from __future__ import annotations

import weakref

import numpy as np

from .strokes import Stroke, corners

WIDE = 0.75         # a stroke this many times as wide as the row is tall may hold two digits
TOLERANCE = 0.06    # the stroke's shape kept to this share of the row height: its turns
GAP = -1.0          # the parts before and after a cut are at least this share of the row height apart
OVERLAP = 0.3       # the parts before and after a cut overlap across by at most this share of the narrower
PIECE = 0.5         # every piece is at least this share of the row height, its longer side
MAX_CUTS = 8        # per stroke

# The pieces of each stroke, kept while the stroke lives: the same cut is the same Stroke object (and
# uid) at every prediction, so the reader's results kept per set of strokes stay valid.
_PIECES: "weakref.WeakKeyDictionary[Stroke, dict]" = weakref.WeakKeyDictionary()
# ... and its cuts at the row height they were found for (every stroke lays the drawing out again)
_CUTS: "weakref.WeakKeyDictionary[Stroke, tuple]" = weakref.WeakKeyDictionary()


def _piece(s: Stroke, i: int, j: int) -> Stroke:
    kept = _PIECES.setdefault(s, {})
    if (i, j) not in kept:
        kept[(i, j)] = Stroke(s.points[i:j], s.tool, s.width)
    return kept[(i, j)]


def _extent(p: np.ndarray) -> tuple[float, float]:
    return float(p[:, 0].min()), float(p[:, 0].max())


def cuts(points: np.ndarray, height: float) -> list[tuple[int, int]]:
    """Candidate cuts of one stroke, in drawing order: (last point before, first point after) the
    joining segment each drops. Every rightward segment between two turns whose stroke before and
    stroke after barely overlap across is a candidate; the clearest (least overlap, then longest)
    are kept first, and one that would leave a piece smaller than a digit's part is not."""
    if len(points) < 4:
        return []
    index = corners(points, TOLERANCE * height)
    found = []
    for a, b in zip(index.tolist(), index[1:].tolist()):
        if points[b, 0] <= points[a, 0]:
            continue                                         # joins go rightwards
        (l0, r0), (l1, r1) = _extent(points[:a + 1]), _extent(points[b:])
        across = max(0.0, min(r0, r1) - max(l0, l1)) / max(min(r0 - l0, r1 - l1), 1e-9)
        if across <= OVERLAP and l1 - r0 >= GAP * height:
            found.append((r0 - l1, across, a, b))       # the widest clear gap between them first
    kept: list[tuple[int, int]] = []
    for _, _, a, b in sorted(found):
        trial = sorted(kept + [(a, b)])
        bounds = [0] + [x for cut in trial for x in cut] + [len(points) - 1]
        if all(np.ptp(points[i:j + 1], 0).max() >= PIECE * height for i, j in zip(bounds[::2], bounds[1::2])):
            kept = trial
            if len(kept) == MAX_CUTS:
                break
    return kept


def _cuts_of(s: Stroke, height: float) -> list[tuple[int, int]]:
    kept = _CUTS.get(s)
    if kept is None or kept[0] != height:
        kept = _CUTS[s] = (height, cuts(s.points, height))
    return kept[1]


def split(strokes: list[Stroke]) -> tuple[list[Stroke], dict[int, int]]:
    """The strokes with every wide pen stroke replaced by its pieces between candidate cuts:
    (atoms for segment.layout, piece index -> index of the stroke it was cut from in `strokes`)."""
    pens = [s for s in strokes if s.is_pen]
    if len(pens) == 0:
        return strokes, {}
    height = max(s.box[3] for s in pens) - min(s.box[1] for s in pens)
    out: list[Stroke] = []
    parent: dict[int, int] = {}
    for k, s in enumerate(strokes):
        found = _cuts_of(s, height) if s.is_pen and s.box[2] - s.box[0] >= WIDE * height else []
        if not found:
            out.append(s)
            continue
        bounds = [0] + [x for a, b in found for x in (a + 1, b)] + [len(s.points)]
        for i, j in zip(bounds[::2], bounds[1::2]):
            parent[len(out)] = k
            out.append(_piece(s, i, j))
    return out, parent
