import numpy as np
import pytest

from digitpad.views import (Thresholds, check_probabilities, empty_view, image_bytes, prediction_view,
                               sweep_view, top3, verdict)


def test_top3_orders_by_probability():
    p = np.array([0.05, 0.6, 0.05, 0.2, 0, 0, 0, 0.1, 0, 0])
    assert [t["digit"] for t in top3(p)] == [1, 3, 7]


def test_verdict_with_digit_or_not_and_baseline():
    th = Thresholds(digit_or_not=0.5, baseline=0.9)
    p = np.full(10, 0.1)
    assert verdict(0.8, p, 1, th) == ("accepted", 0.8)
    assert verdict(0.2, p, 1, th)[0] == "rejected"
    assert verdict(0.99, p, 2, th)[0] == "multiple"
    sure = np.eye(10)[3]
    assert verdict(None, sure, 1, th) == ("accepted", 1.0)
    assert verdict(None, p, 1, th)[0] == "rejected"


def test_thresholds_from_models_json():
    th = Thresholds.from_models_json({"models": {"digit_or_not": {"threshold": 0.3},
                                                 "digits": {"baseline_threshold": 0.7}}})
    assert th == Thresholds(0.3, 0.7)
    assert Thresholds.from_models_json({}) == Thresholds()


@pytest.mark.parametrize("bad", [np.ones(9), np.full(10, 0.5), np.r_[np.nan, np.zeros(9)]])
def test_check_probabilities_refuses_broken_outputs(bad):
    with pytest.raises(ValueError):
        check_probabilities(bad, 1, 10, "the digit model")


def test_prediction_view_fields():
    p = np.eye(10, dtype=np.float32)[4] * 0.9 + 0.01
    v = prediction_view(p, 0.97, np.zeros((28, 28)), 1, Thresholds())
    assert v["digit"] == 4 and v["verdict"] == "accepted" and len(v["probabilities"]) == 10
    assert sum(v["probabilities"]) == pytest.approx(1, abs=1e-5)
    assert len(v["image"]) == 784
    assert v["message"] == "Looks like a 4 (91.0% sure)."


def test_the_answer_sentence_names_the_number_and_its_doubts():
    p = np.eye(10, dtype=np.float32)[2] * 0.9 + 0.01
    symbols = [{"digit": d, "uncertain": d == 6} for d in (2, 0, 2, 6)]
    v = prediction_view(p, 0.99, np.zeros((28, 28)), 4, Thresholds(), symbols)
    assert v["verdict"] == "multiple" and v["message"] == "Reads 2026: 4 digits, 1 of them uncertain."
    v = prediction_view(p, 0.10, np.zeros((28, 28)), 1, Thresholds())
    assert v["verdict"] == "rejected" and v["message"] == "This does not look like a digit (best guess 2, 91.0%)."


def test_empty_view():
    v = empty_view()
    assert v["verdict"] == "empty" and v["digit"] is None


def test_image_bytes_clips():
    b = image_bytes(np.array([[-1.0, 0.5, 2.0]]))
    assert list(b) == [0, 128, 255]


def test_sweep_view():
    probs = np.eye(10)[[6, 6, 9]]
    rows = sweep_view([0, 10, 20], probs, None)
    assert [r["digit"] for r in rows] == [6, 6, 9] and rows[1]["angle"] == 10
