"""What a cut gives the networks (train/pieces.py), the touching variant of the photos and the
joined variant of the pad's numbers (train/photo_make.py, train/numbers.py)."""
import numpy as np

from train.data import load_split
from train.photo_make import make_photo
from train.pieces import candidates, cut_pieces, touching_run


def _meet(owner: np.ndarray, a: int, b: int) -> bool:
    """Whether digit a's ink and digit b's touch (8-connected)."""
    mine = owner == a
    grown = mine.copy()
    grown[1:] |= mine[:-1]
    grown[:-1] |= mine[1:]
    grown[:, 1:] |= grown[:, :-1].copy()
    grown[:, :-1] |= grown[:, 1:].copy()
    return bool((grown & (owner == b)).any())


def test_each_digit_of_a_run_touches_the_one_before(mnist):
    x, _ = load_split(mnist, "train")
    rng = np.random.default_rng(0)
    for _ in range(5):
        dark, owner = touching_run(x[rng.integers(0, 1000, 3)], rng)
        assert set(np.unique(owner)) == {-1, 0, 1, 2}
        assert _meet(owner, 0, 1) and _meet(owner, 1, 2)
        assert dark.shape == owner.shape and dark.max() <= 1.0


def test_cut_pieces_are_labelled_by_whose_ink_they_hold(mnist):
    x, y = load_split(mnist, "train")
    pos, pos_y, neg, kinds = cut_pieces(x[:500], y[:500], 60, 40, seed=1)
    assert pos.shape == (60, 1, 28, 28) and neg.shape == (40, 1, 28, 28) and pos_y.shape == (60,)
    assert set(kinds) <= {"two digits", "half a digit"} and kinds.count("half a digit") <= 40 // 4
    assert 0 <= pos.min() and pos.max() <= 1 and set(pos_y) <= set(range(10))
    # a run's whole ink is two or three digits: never a digit, always a non-digit candidate
    dark, owner = touching_run(x[:2], np.random.default_rng(3))
    whole = [c for c in candidates(dark, owner) if c[2] == "two digits"]
    assert whole


def test_the_touching_variant_writes_touching_neighbours_and_the_usual_one_does_not(mnist):
    x, y = load_split(mnist, "train")
    touching = make_photo(x, y, np.random.default_rng(4), lengths=(4, 4), touch=1.0)
    apart = make_photo(x, y, np.random.default_rng(4), lengths=(4, 4))
    assert touching.meta["touching"] == touching.meta["pairs"] == 3
    assert apart.meta["touching"] == 0 and apart.meta["pairs"] == 3


def test_a_joined_number_is_one_stroke_from_digit_to_digit(mnist_test):
    from train.numbers import joined_numbers
    x, y = mnist_test
    for num in joined_numbers(x[:40], y[:40], 5, seed=1):
        first = num.strokes[0].points
        assert len(num.joins) == len(num.labels) - 1          # one joining curve between each two digits
        for a, b in num.joins:
            assert 0 < a < b < len(first)
        xs = [first[a, 0] for a, _ in num.joins]
        assert xs == sorted(xs)                                # digit to digit, left to right
