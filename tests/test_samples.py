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


def test_merge_skips_stored_samples_and_repeats_within_the_file():
    a = samples.make_sample(drawing(), np.zeros((28, 28)), "1")
    b = samples.make_sample(drawing(), np.zeros((28, 28)), "not-digit")
    assert samples.merge([samples.key(a)], [a, b, b]) == [b]          # issue 12.11: b twice in one file
    c = samples.counts([a, b])
    assert c["1"] == 1 and c["not-digit"] == 1 and c["7"] == 0


def test_the_key_ignores_the_image_but_not_the_label():
    a = samples.make_sample(drawing(), np.zeros((28, 28)), "1")
    assert samples.key(a) == samples.key({**a, "image": [9] * 784}) != samples.key({**a, "label": "7"})


@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, '{"a":' * 50000 + "1" + "}" * 50000,
                                  '{"format": "digitpad-samples", "samples": [' + "[" * 100 + "]" * 100 + "]}"])
def test_deeply_nested_text_is_refused_before_parsing(text, monkeypatch):
    """Issue 12.1: 5,000 nested [ crashed the page's Python for good (the parser recurses)."""
    monkeypatch.setattr(samples.json, "loads", lambda *_: pytest.fail("the parser saw it"))
    with pytest.raises(samples.SampleError, match="nests more than"):
        samples.parse(text)


def test_brackets_inside_strings_do_not_count_as_nesting():
    s = samples.make_sample(drawing(), np.zeros((28, 28)), "1")
    text = samples.dump([s]).replace('"format"', '"note": "' + "[" * 100 + '\\\"]]", "format"')
    assert samples.parse(text) == [s]


def test_files_over_the_size_limit_are_refused(monkeypatch):
    monkeypatch.setattr(samples, "MAX_FILE_BYTES", 1000)
    with pytest.raises(samples.SampleError, match="more than"):
        samples.parse(" " * 1001)


def test_absurd_coordinates_are_refused_on_write_as_on_read():
    """Issue 12.4: zoomed ~100 times, coordinates reached 1e10 and were stored."""
    with pytest.raises(samples.SampleError, match="not finite numbers within"):
        samples.validate({"label": "1", "strokes": [{"points": [[100, 60], [1e10, 1e10]]}], "image": [0] * 784},
                         "sample 1")
    d = drawing()
    d.strokes[0].points[1] = [1e10, 1e10]           # a drawing that escaped its bounds somehow
    with pytest.raises(samples.SampleError, match="not finite numbers within"):
        samples.make_sample(d, np.zeros((28, 28)), "1")


def test_one_damaged_stored_sample_does_not_hide_the_others():
    good = samples.make_sample(drawing(), np.zeros((28, 28)), "1")
    bad = {**good, "strokes": [{"points": [[1e10, 1e10]]}]}
    assert samples.read_stored([good, bad, {"label": "1"}, good]) == ([good, good], 2)
