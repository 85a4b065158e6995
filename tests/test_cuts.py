"""Digits that touch on a photo (photo/cuts.py): candidate cuts through one ink, and the reader
choosing between the cut and the whole with the shipped network (onnxruntime)."""
import numpy as np
import pytest

from digitpad.photo.cuts import WIDE, cut_paths, cut_touching
from digitpad.photo.symbols import label, paint
from photos import touching


@pytest.fixture(scope="module")
def reader():
    from train.config import resolve
    from train.photos import PhotoReader
    return PhotoReader(resolve("models"))


def rings(n: int, r: float = 20, pen: float = 6) -> np.ndarray:
    """n rings in a row, each joined to the next by a short stroke at mid-height (touching 0s,
    drawn): the joint is the stroke between them."""
    step = 2 * r + 2 * pen
    h, w = int(2 * r + 2 * pen + 4), int((n - 1) * step + 2 * r + 2 * pen + 4)
    yy, xx = np.mgrid[0:h, 0:w]
    mask = np.zeros((h, w), bool)
    for k in range(n):
        cx = pen + 2 + r + step * k
        mask |= np.abs(np.hypot(xx - cx, yy - h / 2) - r) <= pen / 2
        if k:
            mask[int(h / 2 - pen / 2):int(h / 2 + pen / 2) + 1, int(cx - step + r):int(cx - r) + 1] = True
    return mask


def test_the_cheapest_cut_of_two_touching_rings_runs_through_their_joint():
    mask = rings(2)
    h = mask.shape[0]
    paths = cut_paths(mask, h, 6.0)
    bar = (6 + 2 + 40, 6 + 2 + 40 + 12)    # the stroke that joins the rings, between their sides
    assert any(bar[0] < int(p[h // 2]) < bar[1] for p in paths), [int(p[h // 2]) for p in paths]
    for p in paths:                        # a path steps at most one column a row, and stays on the ink's box
        assert (np.abs(np.diff(p)) <= 1).all() and p.min() >= 0 and p.max() < mask.shape[1]


def test_pieces_of_a_cut_ink_share_out_its_ink_with_nothing_lost_or_doubled():
    mask = rings(3)
    comp = label(mask)
    (ink,) = range(len(comp.area))
    cut, lines, parent = cut_touching(comp, [[ink]], [float(mask.shape[0])])
    pieces = lines[0]
    assert len(pieces) >= 3 and set(parent) == set(pieces) and set(parent.values()) == {ink}
    h, w = mask.shape
    seen = np.zeros((h, w), int)
    for i in pieces:
        x0, y0, x1, y1 = cut.boxes[i]
        seen[y0:y1, x0:x1] += paint(cut, [i], (x0, y0, x1, y1))
    assert (seen == mask).all()            # every pixel of ink in exactly one piece
    assert [cut.boxes[i, 0] for i in pieces] == sorted(cut.boxes[i, 0] for i in pieces)


def test_an_ink_narrower_than_a_digit_is_tall_is_not_cut():
    mask = np.zeros((60, 40), bool)
    mask[5:55, 18:24] = True                # a 1
    comp = label(mask)
    same, lines, parent = cut_touching(comp, [[0]], [50.0])
    assert same is comp and lines == [[0]] and not parent and 6 < WIDE * 50


@pytest.mark.parametrize("digits, seed", [("00", 1), ("14", 0), ("386", 1)])
def test_touching_digits_are_read_each_in_its_own_box(reader, digits, seed):
    photo = touching(digits, seed)
    assert photo.meta["touching"] == len(digits) - 1          # every neighbour touches
    view = reader.read(photo.jpeg)
    assert [ln["number"] for ln in view["photo"]["lines"]] == [digits]
    boxes = [s["quad"] for s in view["photo"]["symbols"] if not s["rejected"]]
    assert len(boxes) == len(digits)
    lefts = [min(q[0::2]) for q in boxes]
    centres = [(min(q[0::2]) + max(q[0::2])) / 2 for q in boxes]
    assert lefts == sorted(lefts) and all(b > a for a, b in zip(centres, centres[1:]))


@pytest.mark.parametrize("digit, offered", [("0", False), ("8", True), ("4", True)])
def test_a_wide_digit_is_read_whole(reader, digit, offered):
    """A wide one of the validation images of the digit (wider than 95% of them): wide enough for
    cuts to be looked for. A 0 is entered twice by any path, so no cut is cheap enough to offer; an
    8's waist and a 4's bar are offered, and the whole wins because the networks read it whole far
    better than its parts."""
    from photos import widest
    photo = widest(digit)
    view = reader.read(photo.jpeg)
    (s,) = view["photo"]["symbols"]
    assert s["quad"][2] - s["quad"][0] >= WIDE * (s["quad"][7] - s["quad"][1]) * 3 / 4    # wide (quads are 4:3)
    assert (view["photo"]["phases"]["images"] > 1) == offered
    assert [ln["number"] for ln in view["photo"]["lines"]] == [digit]
