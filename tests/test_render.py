import numpy as np
from PIL import Image
import pytest

from digitpad.render import BOX, centre_of_mass, render, render_mnist, render_plain, shift_image
from digitpad.strokes import PAD, make_stroke


def ring(cx=140, cy=140, rx=40, ry=70, width=18):
    t = np.linspace(0, 2 * np.pi, 80)
    return make_stroke(np.c_[cx + rx * np.cos(t), cy + ry * np.sin(t)], width=width)


def test_mnist_render_contract():
    a = render_mnist([ring()])
    assert a.shape == (28, 28) and a.dtype == np.float32
    assert 0 <= a.min() and a.max() <= 1 and a.max() > 0.99


def test_mnist_render_fits_20_box_and_centres_mass():
    a = render_mnist([ring()])
    ys, xs = np.nonzero(a > 0.05)
    # 20 rows of ink, plus at most one partly covered row at each end after the sub-pixel shift
    assert ys.max() - ys.min() + 1 <= BOX + 2
    assert (a > 0.5).any(axis=1).sum() <= BOX
    cx, cy = centre_of_mass(a)
    assert abs(cx - 13.5) < 0.6 and abs(cy - 13.5) < 0.6


def test_normalized_render_ignores_position_and_size():
    a = render_mnist([ring(60, 80, 20, 35)])
    b = render_mnist([ring(200, 180, 60, 105)])
    assert np.abs(a - b).max() < 0.2 and np.abs(a - b).mean() < 0.01


def test_stroke_width_is_independent_of_drawn_size():
    small, big = render_mnist([ring(140, 140, 20, 35)]), render_mnist([ring(140, 140, 60, 105)])
    assert abs(small.sum() - big.sum()) / big.sum() < 0.05


def test_wider_pen_gives_more_ink():
    assert render_mnist([ring(width=36)]).sum() > 1.3 * render_mnist([ring(width=18)]).sum()


def test_plain_render_keeps_position_and_size():
    a = render_plain([ring(40, 60, 15, 25)])
    cx, cy = centre_of_mass(a)
    assert cx < 8 and cy < 10          # top-left, where it was drawn
    assert render_plain([ring(40, 60, 15, 25)]).sum() < render_plain([ring()]).sum()


def test_plain_render_matches_area_average_of_full_pad():
    # a filled square covering pixels 10..19 (pad units 100..199) lands on exactly those pixels
    s = make_stroke([[x, y] for y in range(105, 196, 5) for x in (105, 195)], width=10)
    a = render_plain([s])
    assert a[12:18, 12:18].min() > 0.95 and a[:9].max() == 0 and a[21:].max() == 0


def test_empty_and_eraser_only_give_none():
    assert render([]) is None
    assert render([make_stroke([[1, 1], [50, 50]], tool="eraser")], normalize=False) is None


def test_dot_renders_a_centred_dot():
    a = render_mnist([make_stroke([[33, 44]])])
    assert a.max() > 0.9 and a.sum() < 10
    cx, cy = centre_of_mass(a)
    assert abs(cx - 13.5) < 1 and abs(cy - 13.5) < 1


def test_eraser_removes_ink():
    line = make_stroke([[40, 140], [240, 140]])
    cut = make_stroke([[140, 100], [140, 180]], tool="eraser", width=40)
    assert render_plain([line, cut]).sum() < render_plain([line]).sum() * 0.9


def test_shift_image_fills_with_background():
    a = np.arange(1, 17, dtype=np.uint8).reshape(4, 4)
    for dx, dy in [(1, 0), (-1, -1), (2, 3), (0, 0), (-4, 0)]:
        want = np.zeros_like(a)            # the shift, written out with numpy slices
        ys, xs = np.mgrid[0:4, 0:4]
        ok = (ys - dy >= 0) & (ys - dy < 4) & (xs - dx >= 0) & (xs - dx < 4)
        want[ok] = a[(ys - dy)[ok], (xs - dx)[ok]]
        got = np.asarray(shift_image(Image.fromarray(a), dx, dy))
        assert np.array_equal(got, want), (dx, dy)


@pytest.mark.parametrize("pad", [PAD])
def test_render_is_deterministic(pad):
    assert np.array_equal(render([ring()]), render([ring()]))
