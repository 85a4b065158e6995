"""Reading the pad as symbols (segment.py): the geometry, the readings, and the work it takes."""
import numpy as np
import pytest

import drawings
from digitpad.segment import MAX_ATOMS, Layout, Params, best_reading, layout, slant
from digitpad.strokes import make_stroke


def S(*pts, width=18):
    return make_stroke(np.array(pts, float), width=width)


def strokes(polylines, width=18):
    return [make_stroke(np.array(p, float), width=width) for p in polylines]


def atoms(ss, params=Params()):
    return [a.strokes for a in layout(ss, params).atoms]


def test_empty_pad_has_no_atoms():
    assert layout([], Params()).atoms == []


@pytest.mark.parametrize("name,polylines", [
    ("a 7 with a crossbar", [[(90, 70), (190, 70), (120, 220)], [(110, 145), (170, 145)]]),
    ("a 4 in two strokes", drawings.digit("4", (90, 60, 190, 220))),
    ("a 5 whose bar floats", drawings.five_with_a_floating_bar()),
])
def test_strokes_stacked_over_each_other_are_one_atom(name, polylines):
    assert len(atoms(strokes(polylines))) == 1, name


def test_digits_side_by_side_are_atoms_of_their_own():
    ss = strokes(drawings.number("2026"))
    assert len(atoms(ss)) == 4
    assert all(p > 0.5 for p in layout(ss, Params()).p_split)


def test_a_stray_tap_is_a_speck_not_a_symbol():
    lay = layout(strokes(drawings.ONE) + [S([230, 240])], Params())
    assert len(lay.atoms) == 1 and lay.specks == [1]


def test_eraser_strokes_are_not_symbols():
    ss = strokes(drawings.ONE) + [make_stroke([[10, 10], [270, 270]], tool="eraser")]
    assert atoms(ss) == [[0]]


def test_slanted_writing_is_taken_upright():
    upright = strokes(drawings.number("11"))
    lean = 0.3
    slanted = [make_stroke(s.points + np.c_[(200 - s.points[:, 1]) * lean, np.zeros(len(s.points))]) for s in upright]
    assert abs(slant(slanted) - (-lean)) < 0.05 and abs(slant(upright)) < 0.05
    assert len(atoms(slanted)) == 2                     # boxes that overlap only because of the slant


def test_the_best_reading_weighs_geometry_against_the_networks():
    from digitpad.segment import Atom
    lay = Layout([Atom([0], (0, 0, 10, 10)), Atom([1], (11, 0, 20, 10))], [0.5])
    assert best_reading(lay, {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.1}).runs == [(0, 1), (1, 2)]
    assert best_reading(lay, {(0, 1): 0.2, (1, 2): 0.2, (0, 2): 0.95}).runs == [(0, 2)]
    lay.p_split = [0.999]                               # the geometry is sure: it outweighs a doubtful pair
    assert best_reading(lay, {(0, 1): 0.5, (1, 2): 0.5, (0, 2): 0.9}).runs == [(0, 1), (1, 2)]


def test_candidates_never_cross_a_decided_split():
    ss = strokes(drawings.number("123456"))
    lay = layout(ss, Params(decided=0.02))
    for i, j in lay.candidates(Params(decided=0.02)):
        assert all(lay.p_split[k - 1] < 0.98 for k in range(i + 1, j))


def test_a_pad_of_scribbles_gets_no_candidates_beyond_the_bound():
    dots = [make_stroke([[10 + 8 * i, 140]], width=4) for i in range(MAX_ATOMS + 5)]
    lay = layout(dots, Params())
    assert len(lay.atoms) > MAX_ATOMS and lay.candidates(Params()) == []
    assert len(best_reading(lay, {}).runs) >= 1


def test_600_separate_dots_take_near_linear_work(monkeypatch):
    """Issue 12.6: 600 dots took 67 s (a pairwise merge restarted on every merge). Atoms are built by
    one sweep over x that only compares strokes still overlapping it: count those comparisons."""
    import digitpad.segment as segment
    calls = []
    real = segment._overlap_share
    monkeypatch.setattr(segment, "_overlap_share", lambda a, b: calls.append(1) or real(a, b))
    grid = [(20 + 10 * (i % 25), 20 + 10 * (i // 25)) for i in range(600)]   # 25 x 24 dots, 10 apart
    layout([make_stroke([[x, y]], width=2) for x, y in grid], Params())
    assert len(calls) <= 30 * 600


def test_params_come_from_the_shipped_models_json():
    import json
    from pathlib import Path
    doc = json.loads((Path(__file__).resolve().parents[1] / "models" / "models.json").read_text())
    fitted = doc["segmentation"]["params"]
    p = Params.from_models_json(doc)
    assert p.weights == tuple(fitted["weights"]) and p.overlap == fitted["overlap"] and p.decided == fitted["decided"]
    assert Params.from_models_json({}) == Params()


def test_the_page_reads_with_the_fitted_rules():
    """browser.App builds its controller this way: the page splits numbers as the evaluation did."""
    import json
    from pathlib import Path

    from digitpad.controller import Controller
    doc = json.loads((Path(__file__).resolve().parents[1] / "models" / "models.json").read_text())
    c = Controller.from_models_json(doc)
    assert c.segmentation == Params.from_models_json(doc) != Params()
    assert c.thresholds.digit_or_not == doc["models"]["digit_or_not"]["threshold"]


def test_ink_boxes_in_one_pass_match_each_stroke_measured_alone():
    # the one-pass version (reduceat over all strokes' points) against the plain per-stroke formula
    from digitpad.segment import _ink_boxes
    rng = np.random.default_rng(3)
    ss = [make_stroke(rng.uniform(0, 280, (int(rng.integers(1, 30)), 2)), width=float(rng.uniform(6, 40)))
          for _ in range(12)]
    lean, y0 = 0.23, 141.5
    for s, box in zip(ss, _ink_boxes(ss, lean, y0)):
        x = s.points[:, 0] - lean * (s.points[:, 1] - y0)
        r = s.width / 2
        assert box == (x.min() - r, s.box[1] - r, x.max() + r, s.box[3] + r)


def test_slant_is_the_same_when_a_strokes_share_is_remembered():
    ss = strokes([[(100, 50), (110, 200)], [(150, 60), (140, 210), (160, 215)]])
    first = slant(ss)
    assert slant(ss) == first == slant([s.copy() for s in ss])     # cached, or measured afresh
