"""The symbol-counting rule on the cases people actually draw (README: Symbol counting)."""
import numpy as np

from digitpad.strokes import make_stroke
from digitpad.symbols import count_symbols, group_strokes


def S(*pts, width=18):
    return make_stroke(np.array(pts, float), width=width)


def arc(cx, cy, r, a0, a1, n=30):
    t = np.radians(np.linspace(a0, a1, n))
    return np.c_[cx + r * np.cos(t), cy + r * np.sin(t)]


def one():
    return [S([140, 60], [140, 220])]


def test_empty_is_zero():
    assert count_symbols([]) == 0


def test_single_stroke_is_one():
    assert count_symbols(one()) == 1


def test_five_with_unjoined_top_bar_is_one():
    body = make_stroke(np.r_[[[110, 70], [108, 130]], arc(140, 170, 45, -150, 150)])
    bar = S([122, 62], [185, 60])   # floats a little above and right of the body's top
    assert count_symbols([body, bar]) == 1


def test_four_in_two_strokes_is_one():
    left = S([150, 60], [100, 160], [190, 160])
    stem = S([165, 100], [165, 230])
    assert count_symbols([left, stem]) == 1


def test_seven_with_crossbar_is_one():
    assert count_symbols([S([90, 70], [190, 70], [120, 220]), S([110, 145], [170, 145])]) == 1


def test_stray_speck_is_ignored():
    assert count_symbols(one() + [S([230, 240])]) == 1


def test_two_digits_side_by_side_are_two():
    left = [S([60, 80], [60, 200])]
    right = [make_stroke(arc(190, 140, 45, 0, 360))]
    assert count_symbols(left + right) == 2


def test_three_digits_in_a_row():
    strokes = [S([x, 90], [x, 190]) for x in (40, 140, 240)]
    assert count_symbols(strokes) == 3


def test_eraser_strokes_are_not_symbols():
    assert count_symbols(one() + [make_stroke([[10, 10], [270, 270]], tool="eraser")]) == 1


def test_groups_cover_every_pen_stroke_once():
    strokes = [S([60, 80], [60, 200]), S([200, 80], [200, 200]), S([62, 75], [80, 60])]
    groups = group_strokes(strokes)
    assert sorted(i for g in groups for i in g) == [0, 1, 2] and len(groups) == 2


def test_grouping_600_separate_dots_measures_few_gaps(monkeypatch):
    """Issue 12.6: 600 dots took 67 s (a pairwise merge restarted on every merge). Now only strokes
    whose boxes come close are measured: the work grows with the dots, not with their pairs."""
    import digitpad.symbols as symbols
    calls = []
    real = symbols._gap
    monkeypatch.setattr(symbols, "_gap", lambda a, b: calls.append(1) or real(a, b))
    rng = np.random.default_rng(0)
    grid = [(20 + 10 * (i % 25), 20 + 10 * (i // 25)) for i in range(600)]    # 25 x 24 dots, 10 apart
    dots = [make_stroke([[x + rng.uniform(-1, 1), y]], width=2) for x, y in grid]
    assert count_symbols(dots) >= 1
    assert len(calls) <= 6 * len(dots)
