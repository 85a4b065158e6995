"""Move, zoom, rotate and normalize the drawing by transforming its points, never its pixels.

A symbol rotated 36 times is as sharp as at first. Zoom and rotate pivot on the centre of the
pen strokes' bounding box; widths stay as drawn (a bigger symbol drawn with the same pen).
"""
from __future__ import annotations

import math

import numpy as np

from .strokes import PAD, Drawing, Stroke, ink_bbox

FIT = 20 / 28   # Normalize fills the pad the way MNIST fills 28x28 with a 20x20 box


def _apply(strokes: list[Stroke], fn) -> list[Stroke]:
    return [s.copy(fn(s.points)) for s in strokes]


def centre(strokes: list[Stroke]) -> tuple[float, float]:
    b = ink_bbox(strokes)
    if b is None:
        return PAD / 2, PAD / 2
    return (b[0] + b[2]) / 2, (b[1] + b[3]) / 2


def move(d: Drawing, dx: float, dy: float) -> Drawing:
    return Drawing(_apply(d.strokes, lambda p: p + (dx, dy)))


def zoom(d: Drawing, factor: float) -> Drawing:
    if not (math.isfinite(factor) and factor > 0):
        raise ValueError(f"zoom factor must be a positive number, got {factor!r}")
    c = np.array(centre(d.strokes))
    return Drawing(_apply(d.strokes, lambda p: (p - c) * factor + c))


def rotation(degrees: float) -> np.ndarray:
    a = math.radians(degrees)
    # y grows downwards on screen, so this turns the symbol clockwise for positive degrees
    return np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])


def rotate(d: Drawing, degrees: float, pivot: tuple[float, float] | None = None) -> Drawing:
    if not math.isfinite(degrees):
        raise ValueError(f"rotation must be a finite number of degrees, got {degrees!r}")
    c = np.array(pivot if pivot is not None else centre(d.strokes))
    r = rotation(degrees)
    return Drawing(_apply(d.strokes, lambda p: (p - c) @ r.T + c))


def normalize(d: Drawing, pad: float = PAD) -> tuple[Drawing, tuple[float, float, float, float] | None]:
    """Rescale and centre the symbol on the pad; returns the drawing and its new ink box."""
    b = ink_bbox(d.strokes)
    if b is None:
        return d.copy(), None
    w, h = b[2] - b[0], b[3] - b[1]
    pen = max(s.width for s in d.pen_strokes)
    # widths are kept, so scale the centre lines to leave room for the pen on both sides
    k = max(pad * FIT - pen, pad * 0.1) / max(w, h, 1e-9)
    c = np.array([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2])
    mid = np.array([pad / 2, pad / 2])
    out = Drawing(_apply(d.strokes, lambda p: (p - c) * k + mid))
    return out, ink_bbox(out.strokes, pad_by_width=True)
