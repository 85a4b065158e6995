"""Bad input never crashes the Python: property-based tests over rendering, transforms and
symbol counting. Outputs are finite, in [0, 1] and 28x28 when defined; otherwise a StrokeError
(whose message the page shows) or None for "nothing to draw"."""
import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digitpad import transforms
from digitpad.render import render
from digitpad.strokes import Drawing, StrokeError, make_stroke
from digitpad.segment import Params, layout

coord = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=64),
                  st.floats(-1e7, 1e7), st.floats(-10, 300))
point = st.tuples(coord, coord)
stroke_points = st.one_of(st.lists(point, max_size=40),
                          st.builds(lambda p, n: [p] * n, point, st.integers(1, 50)))   # repeated points
widths = st.one_of(st.floats(0.5, 80), st.just(18.0))
tools = st.sampled_from(["pen", "eraser"])
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def strokes_from(raw):
    out = []
    for pts, tool, w in raw:
        try:
            s = make_stroke(pts, tool, w)
        except StrokeError:
            continue
        if s is not None:
            out.append(s)
    return out


drawings = st.lists(st.tuples(stroke_points, tools, widths), max_size=6).map(strokes_from)


def check_image(img):
    if img is None:
        return
    assert img.shape == (28, 28) and img.dtype == np.float32
    assert np.isfinite(img).all() and img.min() >= 0 and img.max() <= 1


@SETTINGS
@given(drawings, st.booleans())
def test_render_is_always_defined_or_none(strokes, normalize):
    img = render(strokes, normalize)
    check_image(img)
    if not any(s.is_pen for s in strokes):
        assert img is None


@SETTINGS
@given(drawings, st.floats(-1e4, 1e4), st.floats(0.01, 100), st.floats(-720, 720))
def test_transforms_keep_points_finite(strokes, shift, factor, degrees):
    d = Drawing(strokes)
    for out in (transforms.move(d, shift, -shift), transforms.zoom(d, factor), transforms.rotate(d, degrees),
                transforms.normalize(d)[0]):
        for s in out.strokes:
            assert np.isfinite(s.points).all()
        check_image(render(out.strokes))


@SETTINGS
@given(drawings)
def test_atoms_cover_every_pen_stroke_once(strokes):
    lay = layout(strokes, Params())
    pens = [i for i, s in enumerate(strokes) if s.is_pen]
    covered = sorted([i for a in lay.atoms for i in a.strokes] + lay.specks)
    assert covered == pens and (len(lay.atoms) == 0) == (len(pens) == 0)
    assert len(lay.p_split) == max(len(lay.atoms) - 1, 0) and all(0 <= p <= 1 for p in lay.p_split)


@SETTINGS
@given(st.lists(point, max_size=20), st.one_of(st.floats(allow_nan=True), st.text(max_size=3), st.none()))
def test_bad_widths_and_points_raise_clear_errors(pts, width):
    try:
        s = make_stroke(pts, "pen", width)
    except StrokeError as e:
        assert str(e)
        return
    assert s is None or (np.isfinite(s.points).all() and s.width > 0)


def test_thousands_of_points():
    t = np.linspace(0, 40 * math.pi, 50_000)
    s = make_stroke(np.c_[140 + 100 * np.cos(t), 140 + 100 * np.sin(t * 1.01)])
    check_image(render([s]))
    assert len(layout([s], Params()).atoms) == 1


def test_a_pad_filled_edge_to_edge():
    rows = [make_stroke([[0, y], [280, y]], width=20) for y in range(0, 281, 10)]
    plain, fitted = render(rows, normalize=False), render(rows, normalize=True)
    check_image(plain), check_image(fitted)
    assert plain.mean() > 0.9                       # the whole pad is ink
    assert 18 * 18 <= (fitted > 0.9).sum() <= 21 * 21   # MNIST fits the ink in a 20x20 box
