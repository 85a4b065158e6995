"""Digits that touch: candidate cuts through one connected ink, for the reader to choose.

Where neighbouring digits touch, their ink is one component and a reader of components sees one
symbol. Cheque readers of the 1990s (LeCun, Bottou, Bengio and Haffner 1998) cut such ink at many
places and let the recognizer choose the cuts: segmentation by recognition. Here an ink wider
than a digit of its line is tall gets candidate cuts: the cheapest paths from its top to its
bottom, each wandering a little either side of a column, where entering ink costs a stroke and
running along it a little more (a joint between two digits is entered once, however long the
sides that meet there; a digit's own loop twice). Each piece between cuts becomes a
component of its own; segment.py gives the boundaries between pieces of one ink P(split) =
Params.cut, and the networks' batch decides whether the ink is read whole or cut.
"""
from __future__ import annotations

import numpy as np

from .symbols import Components, _thickness, from_runs, paint

WIDE = 0.55       # an ink this many times as wide as its line's digits are tall may hold two digits
BAND = 0.15       # a cut wanders at most this share of the line's height either side of its column
SPACING = 0.25    # cuts (their mean columns) are at least this share of the height apart
MARGIN = 0.05     # ... and this far from the ink's left and right ends (a 1 is narrow: MIN_PIECE keeps slivers out)
MAX_INK = 1.8     # a cut crosses at most this many strokes (going along ink counts too, see ALONG); 2.5 split wide 0s
ALONG = 0.25      # a pen's width of ink along the cut costs this share of a stroke crossed
DIAGONAL = 0.02   # a step sideways costs this share of a stroke crossed: cuts run as straight as they can
MAX_CUTS = 5      # per ink (a run of touching digits longer than that is read in parts)
MIN_PIECE = 0.4   # a piece holds at least this many times (height x pen) of ink: half a 1's stroke


def cut_paths(mask: np.ndarray, height: float, pen: float) -> list[np.ndarray]:
    """Cut paths through one ink (bool mask, cropped to its box), left to right: for each, the
    column it crosses every row at (a path's own pixels go to the piece on its right)."""
    return all_cut_paths([(mask, height, pen)])[0]


def all_cut_paths(inks: list[tuple[np.ndarray, float, float]]) -> list[list[np.ndarray]]:
    """cut_paths of many inks (mask, line height, pen) in one dynamic program: their masks side by
    side on one canvas, every candidate column of each kept inside its own ink's columns. In the
    page each numpy call costs tens of microseconds: one pass over the rows for the whole photo,
    not one for each ink."""
    bands = []                          # per ink: (x0 on the canvas, candidate columns, band half-width)
    x0 = 0
    for mask, height, _ in inks:
        w = mask.shape[1]
        margin = max(int(MARGIN * height), 2)
        cols = np.arange(margin, w - margin) if w - 2 * margin >= 1 else np.zeros(0, int)
        bands.append((x0, cols, max(1, int(BAND * height))))
        x0 += w
    if not any(len(b[1]) for b in bands):
        return [[] for _ in inks]
    H = max(m.shape[0] for m, _, _ in inks)
    ink = np.zeros((H, x0), np.float32)
    for (mask, _, _), (x, _, _) in zip(inks, bands):
        ink[:mask.shape[0], x:x + mask.shape[1]] = mask
    R = max(b[2] for b in bands)
    offsets = np.arange(-R, R + 1)
    x = np.concatenate([np.clip(xk + cols[:, None] + offsets[None, :], xk, xk + m.shape[1] - 1)
                        for (m, _, _), (xk, cols, _) in zip(inks, bands)])      # [candidates, offsets]
    owner = np.concatenate([np.full(len(b[1]), k) for k, b in enumerate(bands)])
    outside = np.abs(offsets)[None, :] > np.array([b[2] for b in bands])[owner][:, None]
    per_pixel = (ALONG / np.maximum([pen for _, _, pen in inks], 1.0))[owner][:, None].astype(np.float32)
    big = np.float32(1e9)
    cost = ink[0][x] * (1 + per_pixel) + outside * big
    moves = np.empty((H, *x.shape), np.int8)                 # -1, 0, +1: where each step came from
    wall = np.full((len(x), 1), big, np.float32)
    pad = np.zeros((len(x), 1), np.float32)
    for y in range(1, H):
        here, before = ink[y][x], ink[y - 1][x]
        options = []
        for step, c, b in ((-1, np.concatenate([wall, cost[:, :-1]], 1), np.concatenate([pad, before[:, :-1]], 1)),
                           (0, cost, before),
                           (1, np.concatenate([cost[:, 1:], wall], 1), np.concatenate([before[:, 1:], pad], 1))):
            # entering ink costs a stroke; going along it, a little a pixel (a cut along a digit's
            # side, where two digits meet, crosses one stroke however long the side is)
            options.append(c + DIAGONAL * abs(step) + here * ((1 - b) + per_pixel))
        stack = np.stack(options)
        pick = stack.argmin(0)
        moves[y] = pick - 1
        cost = np.take_along_axis(stack, pick[None], 0)[0]
    o = cost.argmin(1)
    total = cost[np.arange(len(x)), o]
    rows = np.empty((H, len(x)), int)               # every candidate's path, walked back to the top at once
    rows[-1] = o
    for y in range(H - 1, 0, -1):
        o = o + moves[y, np.arange(len(x)), o]
        rows[y - 1] = o
    paths = x[np.arange(len(x))[:, None], rows.T]             # [candidates, rows]: the column at each row
    out, first = [], 0
    for (mask, height, pen), (xk, cols, _) in zip(inks, bands):
        k = slice(first, first + len(cols))
        first += len(cols)
        out.append(_choose(mask, height, pen, total[k], paths[k, :mask.shape[0]] - xk))
    return out


def _choose(mask: np.ndarray, height: float, pen: float, total: np.ndarray, paths: np.ndarray) -> list[np.ndarray]:
    """The cheapest cuts of one ink, their mean columns SPACING apart (paths from neighbouring
    columns often run together down the same cheap route: it is one cut), none leaving a sliver."""
    h, w = mask.shape
    where = paths.mean(1)
    across = np.concatenate([np.zeros((h, 1)), np.cumsum(mask, 1)], 1)
    ys = np.arange(h)
    left = across[ys, paths].sum(1)                # ink left of each path; a sliver either side is no cut
    least = MIN_PIECE * height * pen
    total = np.where((left < least) | (across[:, -1].sum() - left < least), np.inf, total)
    chosen: list[int] = []
    for k in np.argsort(total, kind="stable"):
        if total[k] > MAX_INK or len(chosen) == MAX_CUTS:
            break
        if all(abs(where[k] - where[j]) >= SPACING * height for j in chosen):
            chosen.append(int(k))
    chosen.sort(key=lambda k: where[k])
    kept = [paths[k] for k in chosen]
    if len(kept) > 1:                    # paths that cross: the k-th cut is the k-th from the left, row by row
        kept = list(np.sort(np.stack(kept), 0))
    # nor between two cuts: drop the dearer cut beside the smallest piece until none is a sliver
    costs = [float(total[k]) for k in chosen]
    while kept:
        edges = [np.zeros(h, int)] + kept + [np.full(h, w)]
        areas = [float((across[ys, b] - across[ys, a]).sum()) for a, b in zip(edges, edges[1:])]
        k = int(np.argmin(areas))
        if areas[k] >= least:
            break
        near = [j for j in (k - 1, k) if 0 <= j < len(kept)]
        drop = max(near, key=lambda j: costs[j])
        del kept[drop], costs[drop]
    return kept


def cut_touching(comp: Components, lines: list[list[int]], heights: list[float]) -> tuple[Components, list[list[int]], dict[int, int]]:
    """The components with every wide ink of each line cut into candidate pieces: (components,
    the lines with each cut ink's pieces in its place, piece -> the ink it was cut from)."""
    rows, s, e, lab = comp.runs
    thick = _thickness(comp)
    wide = [(i, height) for line, height in zip(lines, heights) for i in line
            if comp.boxes[i, 2] - comp.boxes[i, 0] >= WIDE * height]
    found = all_cut_paths([(paint(comp, [i], tuple(int(v) for v in comp.boxes[i])), height, float(thick[i]))
                           for i, height in wide]) if wide else []
    cuts = {i: [p + int(comp.boxes[i, 0]) for p in paths] for (i, _), paths in zip(wide, found) if paths}
    if not cuts:
        return comp, lines, {}
    keep = ~np.isin(lab, list(cuts))
    parts = [(rows[keep], s[keep], e[keep], lab[keep])]
    pieces: dict[int, list[int]] = {}
    parent: dict[int, int] = {}
    nxt = len(comp.area)
    for i, paths in cuts.items():
        mine = np.flatnonzero(lab == i)
        r_, s_, e_ = rows[mine], s[mine], e[mine]
        y0 = int(comp.boxes[i, 1])
        bounds = [np.full(len(mine), -1 << 30)] + [p[r_ - y0] for p in paths] + [np.full(len(mine), 1 << 30)]
        ids = []
        for k in range(len(bounds) - 1):              # piece k: the ink between path k-1 and path k
            a, b = np.maximum(s_, bounds[k]), np.minimum(e_, bounds[k + 1])
            ok = a < b
            parts.append((r_[ok], a[ok], b[ok], np.full(int(ok.sum()), nxt + k)))
            ids.append(nxt + k)
        pieces[i] = ids
        parent.update({j: i for j in ids})
        nxt += len(ids)
    rows2, s2, e2, lab2 = (np.concatenate(v) for v in zip(*parts))
    order = np.lexsort((s2, rows2))
    out = from_runs(rows2[order], s2[order], e2[order], lab2[order])
    return out, [[j for i in line for j in pieces.get(i, [i])] for line in lines], parent

