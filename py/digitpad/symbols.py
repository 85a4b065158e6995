"""How many separate symbols are on the pad.

The rule (README "Symbol counting"): pen strokes are grouped into symbols. Two groups join when
  * the gap between their ink is at most ``JOIN`` x the height of the tallest stroke
    (a 5 whose top bar floats a little above its body, a 4 drawn in two strokes), or
  * their horizontal extents overlap by at least half of the narrower one (a 7's crossbar,
    a bar above a body): people write digits side by side, not stacked.
A group whose ink is smaller than ``SPECK`` x that height in both directions is a speck (a
stray tap of the pen) and is not counted. Two digits side by side with a clear gap are two.

Both joins are near-linear in the number of strokes (600 separate dots group in milliseconds):
ink gaps are measured only between strokes whose padded boxes meet, and the overlap joins are a
left-to-right sweep that only compares groups crossing the sweep line.
"""
from __future__ import annotations

import numpy as np

from .strokes import Stroke

JOIN = 0.22
SPECK = 0.15
_SAMPLE = 48   # points per stroke for distances: plenty for gaps of a few pen widths


def _resample(p: np.ndarray) -> np.ndarray:
    if len(p) <= _SAMPLE:
        return p
    return p[np.linspace(0, len(p) - 1, _SAMPLE).round().astype(int)]


def _gap(a: Stroke, b: Stroke) -> float:
    """Distance between the inks of two strokes (centre-line distance less half of each width)."""
    pa, pb = _resample(a.points), _resample(b.points)
    d = np.sqrt(((pa[:, None, :] - pb[None, :, :]) ** 2).sum(-1)).min()
    return float(max(d - (a.width + b.width) / 2, 0.0))


class _Sets:
    """Union-find over 0..n-1."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        p = self.parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def join(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _ink_boxes(strokes: list[Stroke]) -> np.ndarray:
    return np.array([(s.box[0] - s.width / 2, s.box[1] - s.width / 2,
                      s.box[2] + s.width / 2, s.box[3] + s.width / 2) for s in strokes])


def _join_close(strokes: list[Stroke], boxes: np.ndarray, sets: _Sets, reach: float) -> None:
    """Join strokes whose inks are within `reach`; only pairs whose boxes come that close are measured."""
    order = np.argsort(boxes[:, 0], kind="stable")
    x0, x1 = boxes[order, 0], boxes[order, 2]
    # candidates for order[i]: the strokes after it in x0 order that start before it ends (+ reach)
    ends = np.searchsorted(x0, x1 + reach, side="right")
    for i in range(len(order)):
        a = int(order[i])
        near = order[i + 1:ends[i]]
        if not len(near):
            continue
        b = boxes[near]
        ok = (b[:, 1] <= boxes[a, 3] + reach) & (b[:, 3] >= boxes[a, 1] - reach)
        for j in near[ok].tolist():
            if sets.find(a) != sets.find(j) and _gap(strokes[a], strokes[j]) <= reach:
                sets.join(a, j)


def _join_overlapping(groups: list[list[int]], boxes: np.ndarray) -> list[list[int]]:
    """Join groups whose horizontal extents overlap by half the narrower, until none do."""
    spans = sorted(([float(boxes[g, 0].min()), float(boxes[g, 2].max()), list(g)] for g in groups),
                   key=lambda s: s[0])
    active, done = [], []

    def joins(a, b) -> bool:
        overlap = min(a[1], b[1]) - max(a[0], b[0])
        return overlap >= 0.5 * min(a[1] - a[0], b[1] - b[0])

    for span in spans:
        done += [a for a in active if a[1] < span[0]]          # can never meet a later span
        active = [a for a in active if a[1] >= span[0]]
        merged = True
        while merged:
            merged = False
            for a in active:
                if joins(a, span):
                    active.remove(a)
                    span = [min(a[0], span[0]), max(a[1], span[1]), a[2] + span[2]]
                    merged = True
                    break
        active.append(span)
    return [s[2] for s in done + active]


def group_strokes(strokes: list[Stroke]) -> list[list[int]]:
    """Indices of the pen strokes in each symbol, specks included as their own groups."""
    pens = [i for i, s in enumerate(strokes) if s.is_pen]
    if len(pens) <= 1:
        return [pens] if pens else []
    pen_strokes = [strokes[i] for i in pens]
    boxes = _ink_boxes(pen_strokes)
    height = float((boxes[:, 3] - boxes[:, 1]).max())
    sets = _Sets(len(pens))
    _join_close(pen_strokes, boxes, sets, JOIN * height)
    by_root: dict[int, list[int]] = {}
    for i in range(len(pens)):
        by_root.setdefault(sets.find(i), []).append(i)
    groups = _join_overlapping(list(by_root.values()), boxes)
    return sorted(sorted(pens[i] for i in g) for g in groups)


def count_symbols(strokes: list[Stroke]) -> int:
    groups = group_strokes(strokes)
    if len(groups) <= 1:
        return len(groups)
    boxes = _ink_boxes(strokes)
    sizes = np.array([(boxes[g, 2].max() - boxes[g, 0].min(), boxes[g, 3].max() - boxes[g, 1].min())
                      for g in groups])
    tallest = sizes[:, 1].max()
    real = (sizes.max(1) >= SPECK * tallest).sum()
    return max(int(real), 1)
