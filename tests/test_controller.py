"""Controller and action steps, with fake networks whose answer we control."""
import numpy as np
import pytest

from digitpad.actions import handle
from digitpad.controller import SWEEP_STEPS, Controller


class Fake:
    def __init__(self, digit=3, p_digit=0.9):
        self.digit, self.p_digit, self.batches = digit, p_digit, []

    def digits(self, batch):
        return np.tile(np.eye(10, dtype=np.float32)[self.digit] * 0.9 + 0.01, (len(batch), 1))

    def __call__(self, batch):
        self.batches.append(batch)
        gate = None if self.p_digit is None else np.tile(np.array([1 - self.p_digit, self.p_digit], np.float32),
                                                          (len(batch), 1))
        return self.digits(batch), gate


def act(c, nets, action, payload=None):
    """One action as the page runs it: the step, the networks on its batch, the reply."""
    step = handle(c, action, payload)
    assert nets is not None or step.batch is None, f"{action} asked for the networks"
    return step.run(nets)


def view(reply):
    return reply["view"]


LINE = {"points": [[140, 60], [140, 220]]}


def manual() -> Controller:
    """A controller with "predict when a stroke ends" off: changes do not ask the networks."""
    c = Controller()
    act(c, None, "set", {"name": "auto_predict", "value": False})
    return c


def points(reply):
    return [s.points.tolist() for s in reply["strokes"]]


def test_empty_pad_is_never_predicted():
    c, f = Controller(), Fake()
    assert view(act(c, f, "predict"))["verdict"] == "empty" and f.batches == []


def test_a_stroke_is_one_step_with_its_prediction():
    c, f = Controller(), Fake()
    r = act(c, f, "stroke", LINE)
    assert r["can_undo"] and not r["empty"] and "strokes" not in r    # the page painted it already
    assert view(r)["digit"] == 3 and view(r)["verdict"] == "accepted"
    assert f.batches[0].shape == (1, 1, 28, 28) and f.batches[0].dtype == np.float32


def test_stroke_predict_undo_clear():
    c, f = manual(), Fake()
    r = act(c, f, "stroke", LINE)
    assert "view" not in r and f.batches == []
    assert view(act(c, f, "predict"))["digit"] == 3
    assert act(c, f, "clear")["empty"]
    assert len(act(c, f, "undo")["strokes"]) == 1     # clearing can be undone: nothing is lost
    assert act(c, f, "undo")["empty"]


def test_the_pages_flat_typed_array_of_points_is_taken():
    c = manual()
    flat = memoryview(np.array([140, 60, 140, 220], np.float32))
    act(c, None, "stroke", {"points": flat})
    assert c.drawing.strokes[0].points.tolist() == [[140, 60], [140, 220]]
    assert "pairs" in act(c, None, "stroke", {"points": memoryview(np.ones(3, np.float32))})["error"]


def test_digit_or_not_rejects():
    c = manual()
    act(c, None, "stroke", LINE)
    assert view(act(c, Fake(p_digit=0.1), "predict"))["verdict"] == "rejected"


def test_two_symbols_are_multiple():
    c = manual()
    act(c, None, "stroke", {"points": [[50, 80], [50, 200]]})
    act(c, None, "stroke", {"points": [[230, 80], [230, 200]]})
    assert view(act(c, Fake(), "predict"))["verdict"] == "multiple"


def test_transforms_change_strokes_and_are_undoable():
    c = manual()
    act(c, None, "stroke", LINE)
    before = points(act(c, None, "state"))
    for a, p in [("move", {"dx": 1, "dy": 0}), ("zoom", {"direction": 1}), ("rotate", {"degrees": 10}),
                 ("normalize", {})]:
        after = act(c, None, a, p)
        assert points(after) != before, a
        assert points(act(c, None, "undo")) == before


def test_transforms_predict_when_auto_predict_is_on():
    c, f = Controller(), Fake()
    act(c, f, "stroke", LINE)
    r = act(c, f, "rotate", {"degrees": 10})
    assert len(r["strokes"]) == 1 and view(r)["digit"] == 3 and len(f.batches) == 2


def test_normalize_returns_bbox():
    c = manual()
    act(c, None, "stroke", LINE)
    assert len(act(c, None, "normalize")["bbox"]) == 4


def test_normalize_setting_changes_the_model_input():
    c = manual()
    act(c, None, "stroke", {"points": [[20, 20], [20, 60]]})
    on = c.model_input()
    act(c, None, "set", {"name": "normalize", "value": False})
    off = c.model_input()
    assert on.sum() > 3 * off.sum()


def test_sweep_classifies_36_rotations_in_chunks():
    """The page runs each chunk on the networks while Python renders the next (SWEEP_CHUNK angles)."""
    from digitpad.controller import SWEEP_CHUNK
    c, f = manual(), Fake()
    act(c, None, "stroke", {"points": [[100, 60], [180, 60], [120, 220]]})
    r = act(c, f, "sweep")
    assert len(r["sweep"]) == SWEEP_STEPS and [len(b) for b in f.batches] == [SWEEP_CHUNK] * (SWEEP_STEPS // SWEEP_CHUNK)
    assert [row["angle"] for row in r["sweep"]][:3] == [0, 10, 20]
    images = np.concatenate(f.batches)
    assert not np.array_equal(images[0], images[9])
    assert np.array_equal(images, c.sweep_inputs()[1])       # chunked or not, the same 36 images


def test_sweep_on_empty_pad_explains():
    assert "Draw" in act(Controller(), Fake(), "sweep")["message"]


@pytest.mark.parametrize("action,payload", [
    ("stroke", {"points": [[1, 2, 3]]}), ("stroke", {"points": []}), ("stroke", {"points": LINE["points"], "width": "x"}),
    ("set", {"name": "pen_width", "value": 999}), ("set", {"name": 3}), ("zoom", {"direction": "x"}),
    ("zoom", {"direction": 7}), ("move", {"dx": float("nan")}), ("sample", {"label": None}), ("teleport", {})])
def test_bad_actions_give_messages_and_keep_state(action, payload):
    c = manual()
    act(c, None, "stroke", LINE)
    r = act(c, None, action, payload)
    assert r["error"]
    assert len(c.drawing.strokes) == 1


def test_programming_errors_are_not_turned_into_user_messages(monkeypatch):
    c = manual()
    monkeypatch.setattr(c, "undo", lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        act(c, None, "undo")


def test_without_digit_or_not_the_digit_confidence_decides():
    c = manual()
    act(c, None, "stroke", LINE)
    v = view(act(c, Fake(p_digit=None), "predict"))
    assert v["verdict"] == "accepted" and v["digit_or_not"] is False and v["digit_share"] == pytest.approx(0.91)


def test_broken_model_output_is_reported():
    class Broken(Fake):
        def digits(self, batch):
            return np.full((len(batch), 10), np.nan, np.float32)
    c = manual()
    act(c, None, "stroke", LINE)
    r = act(c, Broken(), "predict")
    assert "corrupt" in r["error"] and "view" not in r and len(c.drawing.strokes) == 1


def test_zooming_in_100_times_stops_at_a_bound_and_says_so():
    """Issue 12.4: ~100 zooms took coordinates to 1e10; a store then broke every later import."""
    c = manual()
    act(c, None, "stroke", LINE)
    errors = [act(c, None, "zoom", {"direction": 1}).get("error") for _ in range(100)]
    assert errors[0] is None and errors[-1] and "as large as it can get" in errors[-1]
    box = c.drawing.strokes[0].box
    assert max(abs(v) for v in box) < 10 * 280
    assert act(c, None, "sample", {"label": "1"})["sample"]["label"] == "1"   # and it can be stored


def test_zooming_out_and_moving_away_stop_at_a_bound():
    c = manual()
    act(c, None, "stroke", LINE)
    assert any(act(c, None, "zoom", {"direction": -1}).get("error") for _ in range(100))
    c = manual()
    act(c, None, "stroke", LINE)
    assert any("off the pad" in (act(c, None, "move", {"dx": 1, "dy": 0}).get("error") or "") for _ in range(100))
    assert c.drawing.strokes[0].box[0] <= 280


def test_a_run_of_transforms_is_one_undo_step():
    """Issue 12.12: undo kept 200 steps, so after 1,000 rotations the original was gone."""
    c = manual()
    act(c, None, "stroke", LINE)
    before = points(act(c, None, "state"))
    for _ in range(1000):
        act(c, None, "rotate", {"degrees": 10})
    assert np.allclose(points(act(c, None, "undo")), before)
    act(c, None, "zoom", {"direction": 1})
    act(c, None, "rotate", {"degrees": 10})       # another kind of transform: a step of its own
    act(c, None, "undo")
    assert not np.allclose(points(act(c, None, "state")), before)
    assert np.allclose(points(act(c, None, "undo")), before)


def test_the_pad_has_a_bound_on_total_ink_and_says_so(monkeypatch):
    """Issue 12.7: the 20,000-point bound was per stroke; 25 long strokes froze the page."""
    monkeypatch.setattr("digitpad.controller.MAX_TOTAL_POINTS", 1000)
    c = manual()
    t = np.linspace(0, 60, 400)
    wiggle = lambda k: np.c_[20 + 4 * t, 40 + 8 * k + 3 * np.sin(9 * t)].tolist()   # noqa: E731
    replies = [act(c, None, "stroke", {"points": wiggle(k)}) for k in range(25)]
    refused = [r for r in replies if r.get("error")]
    assert refused and "pad is full" in refused[0]["error"]
    assert sum(len(s.points) for s in c.drawing.strokes) <= 1000


def test_strokes_keep_only_the_points_their_shape_needs():
    c = manual()
    t = np.linspace(0, 2 * np.pi, 2000)                # a circle from 2,000 pointer events
    act(c, None, "stroke", {"points": np.c_[140 + 80 * np.cos(t), 140 + 80 * np.sin(t)].tolist()})
    assert 20 <= len(c.drawing.strokes[0].points) <= 80
