"""Controller and action dispatch, with a fake classifier whose answer we control."""
import asyncio
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from digitpad.actions import dispatch
from digitpad.controller import SWEEP_STEPS, Controller


class Fake:
    def __init__(self, digit=3, p_digit=0.9):
        self.digit, self.p_digit, self.batches = digit, p_digit, []

    def digits(self, batch):
        return np.tile(np.eye(10, dtype=np.float32)[self.digit] * 0.9 + 0.01, (len(batch), 1))

    async def classify(self, batch):
        self.batches.append(batch)
        gate = None if self.p_digit is None else np.tile(np.array([1 - self.p_digit, self.p_digit], np.float32),
                                                          (len(batch), 1))
        return self.digits(batch), gate


def act(c, clf, action, payload=None):
    # a thread of its own: Playwright's sync API keeps an event loop running in the main thread
    # once the browser tests have started, and asyncio.run() refuses to nest in it
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, dispatch(c, clf, action, payload)).result()


LINE = {"points": [[140, 60], [140, 220]]}


def test_empty_pad_is_never_predicted():
    c, f = Controller(), Fake()
    v = act(c, f, "predict")
    assert v["verdict"] == "empty" and f.batches == []


def test_stroke_predict_undo_clear():
    c, f = Controller(), Fake()
    s = act(c, f, "stroke", LINE)
    assert len(s["strokes"]) == 1 and s["can_undo"]
    v = act(c, f, "predict")
    assert v["digit"] == 3 and v["verdict"] == "accepted"
    assert f.batches[0].shape == (1, 1, 28, 28) and f.batches[0].dtype == np.float32
    assert act(c, f, "clear")["empty"]
    assert len(act(c, f, "undo")["strokes"]) == 1     # clearing can be undone: nothing is lost
    assert act(c, f, "undo")["empty"]


def test_gate_rejects():
    c = Controller()
    act(c, None, "stroke", LINE)
    assert act(c, Fake(p_digit=0.1), "predict")["verdict"] == "rejected"


def test_two_symbols_are_multiple():
    c = Controller()
    act(c, None, "stroke", {"points": [[50, 80], [50, 200]]})
    act(c, None, "stroke", {"points": [[230, 80], [230, 200]]})
    assert act(c, Fake(), "predict")["verdict"] == "multiple"


def test_transforms_change_strokes_and_are_undoable():
    c = Controller()
    act(c, None, "stroke", LINE)
    before = act(c, None, "state")["strokes"]
    for a, p in [("move", {"dx": 1, "dy": 0}), ("zoom", {"direction": 1}), ("rotate", {"degrees": 10}),
                 ("normalize", {})]:
        after = act(c, None, a, p)
        assert after["strokes"] != before, a
        assert act(c, None, "undo")["strokes"] == before


def test_normalize_returns_bbox():
    c = Controller()
    act(c, None, "stroke", LINE)
    assert len(act(c, None, "normalize")["bbox"]) == 4


def test_normalize_setting_changes_the_model_input():
    c = Controller()
    act(c, None, "stroke", {"points": [[20, 20], [20, 60]]})
    on = c.model_input()
    act(c, None, "set", {"name": "normalize", "value": False})
    off = c.model_input()
    assert on.sum() > 3 * off.sum()


def test_sweep_batches_36_rotations():
    c, f = Controller(), Fake()
    act(c, None, "stroke", {"points": [[100, 60], [180, 60], [120, 220]]})
    r = act(c, f, "sweep")
    assert len(r["sweep"]) == SWEEP_STEPS and f.batches[-1].shape == (SWEEP_STEPS, 1, 28, 28)
    assert [row["angle"] for row in r["sweep"]][:3] == [0, 10, 20]
    assert not np.array_equal(f.batches[-1][0], f.batches[-1][9])


def test_sweep_on_empty_pad_explains():
    assert "Draw" in act(Controller(), Fake(), "sweep")["message"]


@pytest.mark.parametrize("action,payload", [
    ("stroke", {"points": [[1, 2, 3]]}), ("stroke", {"points": []}), ("set", {"name": "pen_width", "value": 999}),
    ("set", {"name": "nope", "value": 1}), ("zoom", {"direction": "x"}), ("teleport", {})])
def test_bad_actions_give_messages_and_keep_state(action, payload):
    c = Controller()
    act(c, None, "stroke", LINE)
    r = act(c, None, action, payload)
    assert r["error"]
    assert len(c.drawing.strokes) == 1


def test_without_a_gate_the_digit_confidence_decides():
    c = Controller()
    act(c, None, "stroke", LINE)
    v = act(c, Fake(p_digit=None), "predict")
    assert v["verdict"] == "accepted" and v["gate"] is False and v["digit_share"] == pytest.approx(0.91)


def test_broken_model_output_is_reported():
    class Broken(Fake):
        def digits(self, batch):
            return np.full((len(batch), 10), np.nan, np.float32)
    c = Controller()
    act(c, None, "stroke", LINE)
    assert "corrupt" in act(c, Broken(), "predict")["error"]
