"""A number written without lifting the pen (joined.py): candidate cuts in one stroke, and the pad's
reader choosing between them with the shipped graph (onnxruntime), through the page's actions."""
import numpy as np
import pytest

from digitpad.actions import handle
from digitpad.controller import Controller
from digitpad.joined import cuts, split
from digitpad.strokes import Stroke
from drawings import digit, joined
from shipped import DOC, combined


@pytest.fixture(scope="module")
def nets():
    return combined()


def written(strokes) -> Controller:
    c = Controller.from_models_json(DOC)
    handle(c, "set", {"name": "auto_predict", "value": False})
    for stroke in strokes:
        handle(c, "stroke", {"points": [list(p) for p in stroke]})
    return c


def test_the_line_joining_two_1s_is_the_cut_and_is_dropped():
    (line,) = joined("11")
    points = np.array(line, float)
    assert cuts(points, 90.0) == [(1, 2)]         # from the first 1's foot to the second 1's top
    pieces, parent = split([Stroke(points)])
    assert [p.points.tolist() for p in pieces] == [points[:2].tolist(), points[2:].tolist()]
    assert parent == {0: 0, 1: 0}


def test_pieces_are_the_same_strokes_at_every_reading():
    """Results are kept per set of strokes (their uids): the same cut must give the same pieces."""
    s = Stroke(np.array(joined("00")[0], float))
    first, _ = split([s])
    again, _ = split([s])
    assert [p.uid for p in first] == [p.uid for p in again] and len(first) >= 2


@pytest.mark.parametrize("text", ["11", "00", "10"])
def test_a_number_written_in_one_stroke_is_read_digit_by_digit(nets, text):
    c = written(joined(text))
    assert len(c.drawing.strokes) == 1
    v = handle(c, "predict", {}).run(nets)["view"]
    assert v["number"] == text and v["verdict"] == "multiple"
    boxes = [s["box"] for s in v["number_symbols"]]
    assert all(a[2] <= b[0] + 1 for a, b in zip(boxes, boxes[1:]))    # each digit's own box, left to right


@pytest.mark.parametrize("d", ["2", "8", "0"])
def test_one_digit_in_one_stroke_stays_one_digit(nets, d):
    strokes = digit(d, (80, 50, 200, 230))               # wide: offered cuts where its stroke runs right
    assert len(strokes) == 1
    v = handle(written(strokes), "predict", {}).run(nets)["view"]
    assert v["number"] == d and v["verdict"] != "multiple"


def test_the_selected_digit_of_a_joined_number_is_its_piece_alone(nets):
    c = written(joined("00"))
    v = handle(c, "predict", {}).run(nets)["view"]
    assert v["number"] == "00"
    second = handle(c, "select", {"index": 1}).run(None)["view"]
    assert second["selected"] == 1
    pieces = [s for s in c.subject()[0].strokes if s.is_pen]    # the second 0: one piece or its two halves
    whole = c.drawing.strokes[0].points
    ink = np.concatenate([p.points for p in pieces])
    assert 0 < len(ink) < len(whole) and ink[:, 0].min() > whole[:, 0].min() + 0.4 * np.ptp(whole[:, 0])
    box, pen = v["number_symbols"][1]["box"], pieces[0].width    # the outline the pad draws: that digit's ink
    assert ink[:, 0].min() - pen <= box[0] <= ink[:, 0].min() + 1 and ink[:, 0].max() - 1 <= box[2] <= ink[:, 0].max() + pen
    assert handle(c, "sweep", {}).reply["turned"] == [0]    # the page turns the stroke it was cut from


def test_a_taught_cut_digit_is_stored_as_its_piece_alone(nets):
    c = written(joined("10"))
    assert handle(c, "predict", {}).run(nets)["view"]["number"] == "10"
    handle(c, "select", {"index": 0})
    sample = handle(c, "sample", {"label": "1"}).reply["sample"]
    (stroke,) = sample["strokes"]                              # the 1: the stroke up to the joining line
    whole = c.drawing.strokes[0].points
    assert stroke["points"] == whole[:len(stroke["points"])].tolist() and len(stroke["points"]) < len(whole) / 2
