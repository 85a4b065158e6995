"""Stroke simplification (Ramer-Douglas-Peucker) against the textbook numpy version.

The page's version loops in plain Python over short spans (numpy calls are slow in Pyodide) and
uses numpy over long ones; both must keep exactly the points the textbook version keeps.
"""
import numpy as np
import pytest

from digitpad import strokes
from digitpad.strokes import SIMPLIFY, make_stroke, simplified, simplify


def textbook(points: np.ndarray, tolerance: float) -> np.ndarray:
    """RDP as first written here: one numpy pass per span, farthest point by np.argmax."""
    n = len(points)
    if n < 3 or tolerance <= 0:
        return points
    keep = np.zeros(n, bool)
    keep[0] = keep[-1] = True
    todo = [(0, n - 1)]
    while todo:
        i, j = todo.pop()
        if j - i < 2:
            continue
        a, d = points[i], points[j] - points[i]
        rel = points[i + 1:j] - a
        length = float(np.hypot(d[0], d[1]))
        dist = (np.abs(d[0] * rel[:, 1] - d[1] * rel[:, 0]) / length if length > 0
                else np.hypot(rel[:, 0], rel[:, 1]))
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            keep[i + 1 + k] = True
            todo += [(i, i + 1 + k), (i + 1 + k, j)]
    return points[keep]


def random_strokes(count: int, seed: int = 0):
    """Walks, arcs, integer walks (ties, repeated points) and closed loops, 1-700 points."""
    rng = np.random.default_rng(seed)
    for t in range(count):
        n = int(rng.integers(1, 700))
        kind = t % 4
        if kind == 0:
            pts = np.cumsum(rng.normal(0, 3, (n, 2)), 0) + 140
        elif kind == 1:
            th = np.linspace(0, rng.uniform(1, 7), n)
            pts = np.c_[140 + 80 * np.cos(th), 140 + 60 * np.sin(th)] + rng.normal(0, 0.2, (n, 2))
        elif kind == 2:
            pts = np.cumsum(rng.integers(-2, 3, (n, 2)), 0).astype(float)
        else:
            pts = np.repeat(rng.uniform(0, 280, (max(n // 5, 1), 2)), 5, axis=0)[:n]
            pts[-1] = pts[0]
        yield pts, float(rng.choice([0.0, 0.1, 0.4, 0.7, 3.0]))


@pytest.mark.parametrize("span", [0, 16, strokes.NUMPY_SPAN, 10**9])
def test_simplify_keeps_the_textbook_points(monkeypatch, span):
    # span 0: numpy for every span; 10**9: the plain loop for every span
    monkeypatch.setattr(strokes, "NUMPY_SPAN", span)
    for pts, tol in random_strokes(200, seed=span % 97):
        got, want = simplify(pts, tol), textbook(pts, tol)
        assert got.shape == want.shape and np.array_equal(got, want), (len(pts), tol)


def test_simplify_stays_within_tolerance_and_keeps_the_ends():
    checked = 0
    for pts, tol in random_strokes(300, seed=5):
        out = simplify(pts, tol)
        assert np.array_equal(out[0], pts[0]) and np.array_equal(out[-1], pts[-1])
        if len(pts) < 3 or tol <= 0:
            assert out is pts
            continue
        if len(np.unique(pts, axis=0)) < len(pts):
            continue                             # a repeated point: which copy was kept is unclear
        index = {tuple(p): k for k, p in enumerate(pts.tolist())}
        kept = [index[tuple(q)] for q in out.tolist()]
        # every dropped point lies within `tol` of the line through its kept neighbours
        for a, b in zip(kept[:-1], kept[1:]):
            d = pts[b] - pts[a]
            rel = pts[a + 1:b] - pts[a]
            length = np.hypot(*d)
            dist = (np.abs(d[0] * rel[:, 1] - d[1] * rel[:, 0]) / length if length > 0
                    else np.hypot(rel[:, 0], rel[:, 1]))
            assert (dist <= tol + 1e-9).all()
        checked += 1
    assert checked >= 100


def test_simplified_drops_the_points_a_straight_stroke_does_not_need():
    s = make_stroke(np.c_[np.linspace(10, 200, 100), np.linspace(20, 90, 100)])
    out = simplified(s)
    assert out.points.tolist() == [s.points[0].tolist(), s.points[-1].tolist()]
    assert (out.tool, out.width) == (s.tool, s.width)
    short = make_stroke(np.c_[np.arange(20.0), np.arange(20.0)])
    assert simplified(short) is short            # a short stroke is drawn as it came
    wiggle = make_stroke(np.c_[np.arange(100.0), 50 + 30 * np.sin(np.arange(100.0) / 3)])
    assert simplified(wiggle) is not wiggle
    assert len(simplified(wiggle).points) < 100 and SIMPLIFY > 0
