"""How many separate symbols are on the pad.

The rule (README "Symbol counting"): pen strokes are grouped into symbols. Two groups join when
  * the gap between their ink is at most ``JOIN`` x the height of the tallest stroke group
    (a 5 whose top bar floats a little above its body, a 4 drawn in two strokes), or
  * their horizontal extents overlap by at least half of the narrower one (a 7's crossbar,
    a bar above a body): people write digits side by side, not stacked.
A group whose ink is smaller than ``SPECK`` x that height in both directions is a speck (a
stray tap of the pen) and is not counted. Two digits side by side with a clear gap are two.
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


def group_strokes(strokes: list[Stroke]) -> list[list[int]]:
    """Indices of the pen strokes in each symbol, specks included as their own groups."""
    pens = [i for i, s in enumerate(strokes) if s.is_pen]
    if not pens:
        return []
    boxes = {i: (*(strokes[i].points.min(0) - strokes[i].width / 2),
                 *(strokes[i].points.max(0) + strokes[i].width / 2)) for i in pens}
    parent = {i: i for i in pens}

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def box(members):
        b = np.array([boxes[m] for m in members])
        return b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()

    height = max(b[3] - b[1] for b in boxes.values())
    for a_i, a in enumerate(pens):
        for b in pens[a_i + 1:]:
            if find(a) != find(b) and _gap(strokes[a], strokes[b]) <= JOIN * height:
                parent[find(a)] = find(b)
    changed = True
    while changed:  # join groups that overlap horizontally, until nothing changes
        changed = False
        groups = {}
        for i in pens:
            groups.setdefault(find(i), []).append(i)
        roots = list(groups)
        for x, ra in enumerate(roots):
            for rb in roots[x + 1:]:
                ba, bb = box(groups[ra]), box(groups[rb])
                overlap = min(ba[2], bb[2]) - max(ba[0], bb[0])
                narrow = min(ba[2] - ba[0], bb[2] - bb[0])
                if overlap >= 0.5 * narrow:
                    parent[find(ra)] = find(rb)
                    changed = True
                    break
            if changed:
                break
    groups = {}
    for i in pens:
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def count_symbols(strokes: list[Stroke]) -> int:
    groups = group_strokes(strokes)
    if not groups:
        return 0
    boxes = []
    for g in groups:
        pts = np.concatenate([strokes[i].points for i in g])
        w = max(strokes[i].width for i in g)
        boxes.append(pts.max(0) - pts.min(0) + w)
    tallest = max(b[1] for b in boxes)
    real = [b for b in boxes if max(b) >= SPECK * tallest]
    return max(len(real), 1)
