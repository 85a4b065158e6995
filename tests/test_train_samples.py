import numpy as np
import pytest

from digitpad import samples
from digitpad.render import render
from digitpad.strokes import Drawing, make_stroke
from train.data import DataError
from train.samples import digit_or_not_samples, digit_samples


def sample(label, pts):
    d = Drawing([make_stroke(pts)])
    return samples.make_sample(d, render(d.strokes), label)


def test_extra_samples_render_through_digitpad(tmp_path):
    f = tmp_path / "s.json"
    one, star = sample("1", [[140, 50], [140, 230]]), sample("not-digit", [[60, 60], [220, 220], [60, 220]])
    f.write_text(samples.dump([one, star]))
    x, y = digit_samples(f)
    assert x.shape == (1, 1, 28, 28) and y.tolist() == [1]
    assert np.array_equal(x[0, 0], render(Drawing.from_json(one["strokes"]).strokes))
    gx, gy = digit_or_not_samples(f)
    assert gy.tolist() == [1, 0]


def test_foreign_file_is_refused_with_its_name(tmp_path):
    f = tmp_path / "other.json"
    f.write_text('{"hello": 1}')
    with pytest.raises(DataError, match="other.json.*not a digitpad samples file"):
        digit_samples(f)
