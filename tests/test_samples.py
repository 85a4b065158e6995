import json

import numpy as np
import pytest

from digitpad import samples
from digitpad.strokes import Drawing, make_stroke


def drawing():
    return Drawing([make_stroke([[100, 60], [100, 220]])])


def test_make_and_parse_round_trip():
    s = samples.make_sample(drawing(), np.full((28, 28), 0.5), "1")
    back = samples.parse(samples.dump([s]))
    assert back == [s] and len(s["image"]) == 784


def test_make_sample_refuses_empty_and_bad_label():
    with pytest.raises(samples.SampleError, match="empty"):
        samples.make_sample(Drawing(), None, "1")
    with pytest.raises(samples.SampleError, match="label"):
        samples.make_sample(drawing(), np.zeros((28, 28)), "x")


@pytest.mark.parametrize("text,msg", [
    ("not json", "not JSON"), ("[]", "not a digitpad samples file"),
    (json.dumps({"format": "digitpad-samples", "version": 9, "samples": []}), "version"),
    (json.dumps({"format": "digitpad-samples", "version": 1, "samples": [{"label": "q"}]}), "sample 1"),
    (json.dumps({"format": "digitpad-samples", "version": 1,
                 "samples": [{"label": "1", "strokes": [{"points": [[1, 1]]}], "image": [0] * 3}]}), "784")])
def test_parse_refuses_foreign_or_damaged_files(text, msg):
    with pytest.raises(samples.SampleError, match=msg):
        samples.parse(text)


def test_merge_skips_duplicates_and_counts():
    a = samples.make_sample(drawing(), np.zeros((28, 28)), "1")
    b = samples.make_sample(drawing(), np.zeros((28, 28)), "not-digit")
    merged, added = samples.merge([a], [a, b])
    assert added == 1 and len(merged) == 2
    c = samples.counts(merged)
    assert c["1"] == 1 and c["not-digit"] == 1 and c["7"] == 0
