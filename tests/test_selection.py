"""One symbol at a time: with a number on the pad, the answer, the heat map, the sweep and a taught
sample describe the selected digit. CPython, the shipped graph (onnxruntime), the page's actions."""
import numpy as np
import pytest

from digitpad.actions import handle
from digitpad.controller import SWEEP_STEPS, Controller
from digitpad.render import render
from drawings import number
from shipped import BLOB, DOC, combined


@pytest.fixture(scope="module")
def nets():
    return combined()


def written(text: str) -> Controller:
    c = Controller.from_models_json(DOC)
    handle(c, "set", {"name": "auto_predict", "value": False})
    for stroke in number(text):
        handle(c, "stroke", {"points": [list(p) for p in stroke]})
    return c


def test_each_digit_of_2026_has_its_own_answer_and_selecting_runs_no_network(nets):
    c = written("2026")
    v = handle(c, "predict", {}).run(nets)["view"]
    assert v["number"] == "2026" and v["verdict"] == "multiple"
    assert v["selected"] == 0                                 # none is uncertain: the first
    for i, d in enumerate("2026"):
        step = handle(c, "select", {"index": i})
        assert step.batch is None                             # the batch already read every symbol
        s = step.run(None)["view"]
        assert s["selected"] == i and s["digit"] == int(d) and s["top3"][0]["digit"] == int(d)
        assert int(np.argmax(s["probabilities"])) == int(d) and s["selected_verdict"] == "accepted"
        assert s["image"] == v["number_symbols"][i]["image"]  # the model's eye: that symbol alone
        assert f"Digit {i + 1} of 4: looks like a {d}" in s["message"]
    assert "whole" in s and s["number"] == "2026"            # the squeezed guess is kept aside, not shown as the answer


def test_one_symbol_is_answered_as_before(nets):
    c = written("7")
    v = handle(c, "predict", {}).run(nets)["view"]
    assert v["digit"] == 7 and "selected" not in v and c.selected is None
    assert "only one symbol" in handle(c, "select", {"index": 0}).reply["error"]


def test_a_bad_index_is_refused_and_the_selection_kept(nets):
    c = written("42")
    handle(c, "predict", {}).run(nets)
    handle(c, "select", {"index": 1})
    for bad in (2, -1, "1", True, None):
        assert "error" in handle(c, "select", {"index": bad}).reply
    assert handle(c, "select", {"index": 1}).run(None)["view"]["digit"] == 2


FLAG_ONE = [[10, 120], [80, 60], [70, 220]]     # a 1 with a long flag: read 7, 70% sure (uncertain)


def four_then(stroke, dx: float) -> Controller:
    c = Controller.from_models_json(DOC)
    handle(c, "set", {"name": "auto_predict", "value": False})
    for s in number("4", height=150):
        handle(c, "stroke", {"points": [[x - 70, y] for x, y in s]})
    handle(c, "stroke", {"points": [[x + dx, y] for x, y in stroke]})
    return c


def test_the_least_certain_digit_is_selected_by_default_and_a_pick_is_kept(nets):
    c = four_then(FLAG_ONE, 160)
    v = handle(c, "predict", {}).run(nets)["view"]
    assert [s["uncertain"] for s in v["number_symbols"]] == [False, True] and v["selected"] == 1
    handle(c, "select", {"index": 0})
    assert handle(c, "predict", {}).run(nets)["view"]["selected"] == 0   # the same strokes: the pick holds
    c = written("42")
    handle(c, "predict", {}).run(nets)
    handle(c, "select", {"index": 1})
    handle(c, "move", {"dx": 1, "dy": 0})                        # new strokes (uids): the pick cannot hold
    assert handle(c, "predict", {}).run(nets)["view"]["selected"] == 0


def test_a_taught_sample_is_the_selected_digit_alone(nets):
    c = written("2026")
    handle(c, "predict", {}).run(nets)
    handle(c, "select", {"index": 2})
    s = handle(c, "sample", {"label": "2"}).reply["sample"]
    assert len(s["strokes"]) == len(number("2")) and s["label"] == "2"
    alone = render(c.subject()[0].strokes, True)
    assert s["image"] == (np.clip(alone, 0, 1) * 255).round().astype(int).ravel().tolist()
    pts = np.concatenate([np.asarray(t["points"], np.float32) for t in s["strokes"]])
    x0, _, x1, _ = c.reader.symbols[2].box                 # in its own place on the pad
    assert x0 - 1 <= pts[:, 0].min() and pts[:, 0].max() <= x1 + 1


def test_teaching_one_digit_changes_the_number_read_again(nets):
    """A 1 written with a long flag reads 7; taught as 1 in a number, the number reads right."""
    c = four_then(FLAG_ONE, 160)
    assert "error" not in handle(c, "personal_load", {"blob": BLOB, "layout": DOC["personal"]}).reply
    v = handle(c, "predict", {}).run(nets)["view"]
    assert v["number"] == "47" and v["selected"] == 1
    records = [handle(c, "sample", {"label": "1"}).reply["sample"]]
    assert len(records[0]["strokes"]) == 1                      # the 1's one stroke, not the 4's two
    handle(c, "personal_fit", {"records": records, "on": True}).run(nets)
    step = handle(c, "predict", {})
    d, dn, h, g = nets(step.batch)
    d, dn = c.personal.adjust(d, dn, h, g)                   # the page's path (browser.App.end)
    v = step.complete(d, dn)["view"]
    assert v["number"] == "41" and v["selected"] == 1 and v["digit"] == 1


def test_the_heat_map_and_the_sweep_describe_the_selected_digit(nets):
    c = written("42")
    handle(c, "predict", {}).run(nets)
    handle(c, "select", {"index": 1})
    e = handle(c, "explain", {}).run(nets)["explain"]
    assert e["digit"] == 2
    x0, _, x1, _ = c.reader.symbols[1].box                   # the heat map lies over the 2, on the pad
    scale, offset, unit = e["placement"]["scale"], e["placement"]["offset"], e["placement"]["unit"]
    left = -offset[0] / scale
    right = (28 * unit - offset[0]) / scale
    assert left < x1 and right > x0 and left > c.reader.symbols[0].box[0]
    step = handle(c, "sweep", {})
    assert step.reply["turned"] == [2]                       # the pad turns the 2's stroke only
    rows = step.run(nets)["sweep"]
    assert len(rows) == SWEEP_STEPS and rows[0]["digit"] == 2


def test_with_normalize_off_the_whole_pads_squeezed_guess_is_told_not_shown_as_the_answer(nets):
    c = written("2026")
    handle(c, "set", {"name": "normalize", "value": False})
    v = handle(c, "predict", {}).run(nets)["view"]
    assert v["digit"] == 2 and v["top3"][0]["digit"] == 2                 # the answer: the selected digit's
    assert f"the whole pad as one plain 28×28 image reads {v['whole']['digit']}" in v["message"]
