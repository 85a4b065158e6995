"""Pixels to pen strokes: thin an ink image to its centre line and follow it as polylines.

Used to turn MNIST digits and font glyphs into strokes, so that training (and the browser
tests, which draw these strokes with the mouse) go through digitpad's own rendering; and, in the
page, to keep a photo's symbol that a person teaches as a sample like a drawing's (strokes).
"""
from __future__ import annotations

import numpy as np
from PIL import Image

from ..strokes import PAD, Stroke, make_stroke

_N8 = [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]   # P2..P9, clockwise


def thin(mask: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of a boolean image (vectorized; a few ms at 56x56)."""
    img = np.pad(mask.astype(np.uint8), 1)
    while True:
        changed = False
        for step in (0, 1):
            p = [np.roll(np.roll(img, -dy, 0), -dx, 1) for dy, dx in _N8]
            b = sum(p)
            seq = p + [p[0]]
            a = sum(((seq[i] == 0) & (seq[i + 1] == 1)).astype(np.uint8) for i in range(8))
            p2, p4, p6, p8 = p[0], p[2], p[4], p[6]
            if step == 0:
                c = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                c = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            kill = (img == 1) & (b >= 2) & (b <= 6) & (a == 1) & c
            if kill.any():
                img[kill] = 0
                changed = True
        if not changed:
            return img[1:-1, 1:-1].astype(bool)


def distance(mask: np.ndarray) -> np.ndarray:
    """Chessboard distance of each ink pixel to the background (0 off the ink), by repeated erosion."""
    d = np.zeros(mask.shape, np.int32)
    cur = mask.astype(bool)
    while cur.any():
        d += cur
        p = np.pad(cur, 1)
        for dy, dx in _N8:
            cur = cur & p[1 + dy:p.shape[0] - 1 + dy, 1 + dx:p.shape[1] - 1 + dx]
    return d


def hollow(mask: np.ndarray, factor: float, min_hole: int = 4, centre: np.ndarray | None = None) -> np.ndarray:
    """Open the loops a thick pen filled in: ink further from the edge than `factor` times the
    stroke's typical half width (its median along the centre line) cannot be a stroke, so it is a
    loop drawn too small for its pen. A straight thick stroke is left whole: its depth is its
    half width everywhere; only blobs (a 6's or a 9's filled loop) are that deep. Returns `mask`
    itself when nothing is opened. `centre`: thin(mask), when the caller has it already."""
    centre = thin(mask) if centre is None else centre
    if not centre.any():
        return mask
    d = distance(mask)
    hole = d > factor * float(np.partition(d[centre], d[centre].size // 2)[d[centre].size // 2]) if centre.any() else d > 0
    return mask & ~hole if hole.sum() >= min_hole else mask


def _neighbours(sk: np.ndarray, y: int, x: int):
    h, w = sk.shape
    for dy, dx in _N8:
        yy, xx = y + dy, x + dx
        if 0 <= yy < h and 0 <= xx < w and sk[yy, xx]:
            yield yy, xx


def follow(sk: np.ndarray, min_len: int = 3) -> list[list[tuple[int, int]]]:
    """Polylines (lists of (y, x)) covering every skeleton pixel; endpoints are started first."""
    visited = np.zeros_like(sk, dtype=bool)
    pts = list(zip(*np.nonzero(sk)))
    degree = {p: sum(1 for _ in _neighbours(sk, *p)) for p in pts}
    order = sorted(pts, key=lambda p: (degree[p] != 1, p))
    paths = []
    for start in order:
        if visited[start]:
            continue
        path, cur, prev = [start], start, None
        visited[start] = True
        while True:
            nxt = [n for n in _neighbours(sk, *cur) if not visited[n]]
            if not nxt:
                # close loops and reach junctions already drawn, so strokes join like a pen's
                back = [n for n in _neighbours(sk, *cur) if n != prev and n not in path[-3:]]
                if back:
                    path.append(back[0])
                break
            if prev is not None and len(nxt) > 1:   # keep going straight at a junction
                d = np.subtract(cur, prev)
                nxt.sort(key=lambda n: -float(np.dot(np.subtract(n, cur), d)))
            prev, cur = cur, nxt[0]
            visited[cur] = True
            path.append(cur)
        if len(path) >= min_len:
            paths.append(path)
    return paths


def image_to_strokes(img: np.ndarray, threshold: float = 0.6, upsample: int = 3,
                     width: float = 18.0, step: int = 3, fill_factor: float = 1.8) -> list[Stroke]:
    """An ink image (float, ink high, any square size) -> pen strokes in pad units.

    The defaults were chosen on the digit network's validation images (the traced digit must still
    read as its label): a bicubic upsample and a threshold at 0.6 keep strokes apart that a blocky
    upsample or a low threshold merges, and opening filled loops (`hollow`; `fill_factor=0` skips it) restores
    the 6s and 9s a fat pen filled in. Read right: 98.5% before, 99.2% with these.
    """
    a = np.asarray(img, np.float32)
    if upsample > 1:
        size = (a.shape[1] * upsample, a.shape[0] * upsample)
        a = np.asarray(Image.fromarray(a).resize(size, Image.BICUBIC), np.float32)
    mask = a > threshold
    sk = thin(mask)
    if fill_factor:
        opened = hollow(mask, fill_factor, centre=sk)
        if opened is not mask:          # most digits have no filled loop: their centre line stands
            sk = thin(opened)
    k = PAD / a.shape[1]
    out = []
    for path in follow(sk):
        p = np.array(path, np.float64)[:, ::-1]             # (y, x) -> (x, y)
        keep = list(range(0, len(p), step)) + ([len(p) - 1] if (len(p) - 1) % step else [])
        s = make_stroke((p[keep] + 0.5) * k, width=width)
        if s is not None:
            out.append(s)
    return out
