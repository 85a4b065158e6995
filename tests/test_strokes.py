import math

import numpy as np
import pytest

from digitpad.strokes import MAX_POINTS, Drawing, StrokeError, ink_bbox, make_stroke


def test_make_stroke_drops_nonfinite_and_absurd_points():
    s = make_stroke([[1, 2], [math.nan, 3], [4, math.inf], [1e9, 5], [6, 7]])
    assert s.points.tolist() == [[1, 2], [6, 7]]


def test_make_stroke_empty_is_none():
    assert make_stroke([]) is None
    assert make_stroke([[math.nan, 1]]) is None


@pytest.mark.parametrize("bad", [[1, 2, 3], [[1, 2, 3]], "abc"])
def test_make_stroke_rejects_malformed_points(bad):
    with pytest.raises(StrokeError):
        make_stroke(bad)


@pytest.mark.parametrize("width", [0, -3, math.nan, "x"])
def test_make_stroke_rejects_bad_width(width):
    with pytest.raises(StrokeError):
        make_stroke([[0, 0]], width=width)


def test_make_stroke_rejects_unknown_tool():
    with pytest.raises(StrokeError, match="tool"):
        make_stroke([[0, 0]], tool="brush")


def test_long_strokes_are_thinned_not_rejected():
    s = make_stroke(np.random.default_rng(0).random((MAX_POINTS * 2, 2)) * 100)
    assert len(s.points) == MAX_POINTS


def test_drawing_json_round_trip():
    d = Drawing([make_stroke([[1, 2], [3, 4]]), make_stroke([[5, 6]], tool="eraser", width=30)])
    back = Drawing.from_json(d.to_json())
    assert back.to_json() == d.to_json()
    assert len(back.pen_strokes) == 1 and not back.is_empty


def test_ink_bbox_ignores_eraser_and_pads_by_width():
    d = [make_stroke([[10, 20], [30, 40]], width=10), make_stroke([[0, 0], [300, 300]], tool="eraser")]
    assert ink_bbox(d) == (10, 20, 30, 40)
    assert ink_bbox(d, pad_by_width=True) == (5, 15, 35, 45)
    assert ink_bbox([d[1]]) is None
