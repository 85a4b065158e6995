"""Strokes: the drawing as data. Pointer events become strokes; everything else transforms them.

Coordinates are in *pad units*: the pad is ``PAD`` x ``PAD`` whatever its size on screen, so a
drawing means the same thing on a phone and on a laptop.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .errors import UserError

PAD = 280.0               # logical side of the pad (10 units per MNIST pixel with normalization off)
DEFAULT_PEN_WIDTH = 18.0  # pad units: 1.8 px at 28x28, close to MNIST's pen with normalization off
MAX_COORD = 1e6           # coordinates beyond this are nonsense from a broken event, not a drawing
MAX_POINTS = 20000        # per stroke; longer strokes are thinned, never rejected
# The whole drawing (after simplification). Past these a stroke is refused with a message: every
# action's work grows with the ink on the pad, and the page must answer in milliseconds.
MAX_STROKES = 1000
MAX_TOTAL_POINTS = 100_000
# A stroke from the pad keeps the points that change its shape by more than this share of its own
# size: at most 1/20 of an output pixel once normalization fits it into 20x20, so the network's
# input does not change, while the work per stroke follows the shape, not the pointer events.
SIMPLIFY = 0.0025
PEN, ERASER = "pen", "eraser"
_serial = itertools.count(1)


class StrokeError(UserError):
    """A stroke that cannot be drawn; the message is shown to the user as is."""


@dataclass(eq=False)
class Stroke:
    points: np.ndarray            # float64 [n, 2], n >= 1, finite
    tool: str = PEN
    width: float = DEFAULT_PEN_WIDTH
    # never changes for this object (strokes are not mutated: transforms make new ones), so work
    # done for a set of strokes can be kept under their uids
    uid: int = field(default_factory=lambda: next(_serial), repr=False)

    @property
    def is_pen(self) -> bool:
        return self.tool == PEN

    def copy(self, points: np.ndarray | None = None) -> "Stroke":
        return Stroke(self.points.copy() if points is None else points, self.tool, self.width)

    @cached_property
    def box(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the centre line; strokes never change, so this is computed once."""
        lo, hi = self.points.min(axis=0), self.points.max(axis=0)
        return float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1])

    def to_json(self) -> dict:
        # full precision: an exported sample must render exactly as it did in the page
        return {"tool": self.tool, "width": float(self.width), "points": self.points.tolist()}


def make_stroke(points, tool: str = PEN, width: float = DEFAULT_PEN_WIDTH) -> Stroke | None:
    """Build a clean stroke from untrusted input, or None when nothing drawable is left.

    Points with NaN/inf or absurd coordinates are dropped (a flaky pointer event must not poison
    the drawing), and very long strokes are thinned evenly.
    """
    if tool not in (PEN, ERASER):
        raise StrokeError(f"unknown tool {tool!r}: expected 'pen' or 'eraser'")
    try:
        width = float(width)
    except (TypeError, ValueError):
        raise StrokeError(f"stroke width must be a number, got {width!r}") from None
    if not np.isfinite(width) or width <= 0:
        raise StrokeError(f"stroke width must be a positive number, got {width!r}")
    width = min(width, PAD)
    try:
        arr = np.asarray(points, dtype=np.float64)
    except (TypeError, ValueError):
        raise StrokeError("stroke points must be a list of [x, y] pairs") from None
    if arr.size == 0:
        return None
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise StrokeError(f"stroke points must be [x, y] pairs, got shape {arr.shape}")
    keep = np.isfinite(arr).all(axis=1) & (np.abs(arr) <= MAX_COORD).all(axis=1)
    arr = arr[keep]
    if len(arr) == 0:
        return None
    if len(arr) > MAX_POINTS:
        arr = arr[np.linspace(0, len(arr) - 1, MAX_POINTS).round().astype(int)]
    return Stroke(arr, tool, width)


# A span of more points than this is measured with one numpy pass; shorter spans with a plain loop.
# In Pyodide each numpy call costs tens of microseconds, a loop step about one: measured in the
# page (Chromium, 2 cores), a 400-point arc took 8.0 ms with numpy for every span, 2.0 ms this way.
NUMPY_SPAN = 128


def _farthest(points: np.ndarray, xs: list, ys: list, i: int, j: int) -> tuple[float, int]:
    """The point strictly between i and j farthest from the chord i-j: (distance, index), the
    first one on ties. Both ways do the same float64 arithmetic, so they pick the same point."""
    ax, ay = xs[i], ys[i]
    dx, dy = xs[j] - ax, ys[j] - ay
    length = math.hypot(dx, dy)
    if j - i > NUMPY_SPAN:
        rel = points[i + 1:j] - points[i]
        dist = (np.abs(dx * rel[:, 1] - dy * rel[:, 0]) / length if length > 0
                else np.hypot(rel[:, 0], rel[:, 1]))
        k = int(np.argmax(dist))
        return float(dist[k]), i + 1 + k
    best, m = -1.0, i + 1
    if length > 0:
        for q in range(i + 1, j):
            v = abs(dx * (ys[q] - ay) - dy * (xs[q] - ax)) / length
            if v > best:
                best, m = v, q
    else:                           # a closed stroke: distance to the point itself
        for q in range(i + 1, j):
            v = math.hypot(xs[q] - ax, ys[q] - ay)
            if v > best:
                best, m = v, q
    return best, m


def simplify(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Ramer-Douglas-Peucker: the fewest points whose polyline stays within `tolerance`."""
    if len(points) < 3 or tolerance <= 0:
        return points
    return points[corners(points, tolerance)]


def corners(points: np.ndarray, tolerance: float) -> np.ndarray:
    """The indices of the points simplify() keeps: the polyline's turns at that tolerance."""
    n = len(points)
    if n < 3 or tolerance <= 0:
        return np.arange(n)
    xs, ys = points[:, 0].tolist(), points[:, 1].tolist()
    keep = [False] * n
    keep[0] = keep[-1] = True
    todo = [(0, n - 1)]
    while todo:
        i, j = todo.pop()
        if j - i < 2:
            continue
        dist, m = _farthest(points, xs, ys, i, j)
        if dist > tolerance:
            keep[m] = True
            todo += [(i, m), (m, j)]
    return np.flatnonzero(keep)


def simplified(s: Stroke, share: float = SIMPLIFY, short: int = 32) -> Stroke:
    """The stroke with only the points its shape needs (see SIMPLIFY); short strokes as they are
    (simplifying them would cost more than drawing their few points)."""
    if len(s.points) <= short:
        return s
    x0, y0, x1, y1 = s.box
    pts = simplify(s.points, share * max(x1 - x0, y1 - y0))
    return s if len(pts) == len(s.points) else Stroke(pts, s.tool, s.width)


@dataclass
class Drawing:
    """The strokes on the pad, oldest first."""
    strokes: list[Stroke] = field(default_factory=list)

    @property
    def pen_strokes(self) -> list[Stroke]:
        return [s for s in self.strokes if s.is_pen]

    @property
    def is_empty(self) -> bool:
        return not self.pen_strokes

    def copy(self) -> "Drawing":
        return Drawing([s.copy() for s in self.strokes])

    def to_json(self) -> list[dict]:
        return [s.to_json() for s in self.strokes]

    @classmethod
    def from_json(cls, data) -> "Drawing":
        if not isinstance(data, list):
            raise StrokeError("a drawing must be a list of strokes")
        out = []
        for item in data:
            if not isinstance(item, dict) or "points" not in item:
                raise StrokeError("each stroke must be an object with 'points'")
            s = make_stroke(item["points"], item.get("tool", PEN), item.get("width", DEFAULT_PEN_WIDTH))
            if s is not None:
                out.append(s)
        return cls(out)


def ink_bbox(strokes: list[Stroke], pad_by_width: bool = False) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) of the pen strokes' points; with pad_by_width, of their ink."""
    boxes = [(s.box, s.width / 2 if pad_by_width else 0.0) for s in strokes if s.is_pen]
    if not boxes:
        return None
    return (min(b[0] - r for b, r in boxes), min(b[1] - r for b, r in boxes),
            max(b[2] + r for b, r in boxes), max(b[3] + r for b, r in boxes))
