"""Tracing MNIST digits to pen strokes (train/trace.py, train/traced.py)."""
import numpy as np

from train import traced
from train.trace import hollow


def disc(shape, cy, cx, r):
    y, x = np.mgrid[:shape[0], :shape[1]]
    return (y - cy) ** 2 + (x - cx) ** 2 <= r * r


def test_a_loop_filled_in_by_a_fat_pen_is_opened_and_a_thick_bar_is_not():
    """A 6 drawn with a pen too fat for its loop: the blob gets its hole back, the stem stays as drawn."""
    mask = disc((84, 84), 55, 42, 14)
    mask[10:55, 28:34] = True                                   # the stem, 6 pixels wide
    out = hollow(mask, 1.8)
    assert not out[55, 42] and out[55, 42 - 13]                 # a hole in the middle, the ring kept
    assert (out[10:40] == mask[10:40]).all()                    # the stem untouched
    bar = np.zeros((84, 84), bool)
    bar[10:74, 36:48] = True                                    # a bold 1: 12 wide, deep only as its half width
    assert (hollow(bar, 1.8) == bar).all()


def test_any_number_of_workers_traces_the_same_set(mnist_test, monkeypatch):
    x, _ = mnist_test
    monkeypatch.setattr(traced, "CHUNK", 4)                     # 3 chunks, each with its own generator
    one = traced.traced_digits(x[:10], seed=5, workers=1)
    two = traced.traced_digits(x[:10], seed=5, workers=2)
    assert one.shape == (10, 1, 28, 28) and one.dtype == np.float32
    assert np.array_equal(one, two)
    assert not np.array_equal(one, traced.traced_digits(x[:10], seed=6, workers=1))
