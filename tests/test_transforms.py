import numpy as np
import pytest

from digitpad import transforms
from digitpad.render import render_mnist, render_plain
from digitpad.strokes import PAD, Drawing, ink_bbox, make_stroke


def seven():
    return Drawing([make_stroke([[90, 70], [190, 70], [120, 220]]), make_stroke([[110, 145], [170, 145]])])


def test_move_translates_points_and_plain_render():
    d = seven()
    m = transforms.move(d, 10, -20)
    assert np.allclose(m.strokes[0].points, d.strokes[0].points + (10, -20))
    assert not np.array_equal(render_plain(m.strokes), render_plain(d.strokes))


def test_zoom_keeps_centre_and_widths():
    d = seven()
    z = transforms.zoom(d, 1.5)
    assert np.allclose(transforms.centre(z.strokes), transforms.centre(d.strokes))
    b0, b1 = ink_bbox(d.strokes), ink_bbox(z.strokes)
    assert (b1[2] - b1[0]) == pytest.approx(1.5 * (b0[2] - b0[0]))
    assert z.strokes[0].width == d.strokes[0].width


def test_zoom_rejects_bad_factor():
    with pytest.raises(ValueError):
        transforms.zoom(seven(), 0)


def test_rotate_36_times_returns_the_same_strokes_and_image():
    d = seven()
    r = d
    for _ in range(36):
        r = transforms.rotate(r, 10)
    assert np.allclose(r.strokes[0].points, d.strokes[0].points, atol=1e-9)
    # never blurs: float error of ~1e-13 may move one anti-aliasing grey level, no more
    assert np.abs(render_mnist(r.strokes) - render_mnist(d.strokes)).max() <= 1 / 255 + 1e-6


def test_rotate_180_turns_6_into_9_shape():
    d = seven()
    r = transforms.rotate(d, 180)
    c = np.array(transforms.centre(d.strokes))
    assert np.allclose(r.strokes[0].points, 2 * c - d.strokes[0].points)


def test_normalize_fits_and_centres():
    d = Drawing([make_stroke([[10, 10], [40, 30]])])
    n, box = transforms.normalize(d)
    w, h = box[2] - box[0], box[3] - box[1]
    assert max(w, h) == pytest.approx(PAD * transforms.FIT, rel=0.15)
    assert (box[0] + box[2]) / 2 == pytest.approx(PAD / 2)
    assert (box[1] + box[3]) / 2 == pytest.approx(PAD / 2)


def test_normalize_empty():
    n, box = transforms.normalize(Drawing())
    assert box is None and n.is_empty
