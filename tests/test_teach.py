"""digitpad.teach: the page's personal heads in CPython, on the shipped graph's own features."""
import json

import numpy as np
import onnxruntime as ort
import pytest

from conftest import ROOT
from digitpad.actions import handle
from digitpad.controller import Controller
from digitpad.teach import MAX_FIT, Personal, TeachError, load_subspaces

MODELS = ROOT / "models"
DOC = json.loads((MODELS / "models.json").read_text())
BLOB = (MODELS / DOC["personal"]["file"]).read_bytes()
WIDTHS = {"digits": 512, "digit_or_not": 512}
ONE = [[60, 130], [170, 50], [150, 230]]      # a 1 with a long flag: the shipped graph reads a 7


@pytest.fixture(scope="module")
def nets():
    s = ort.InferenceSession(str(MODELS / "combined.onnx"), providers=["CPUExecutionProvider"])
    return lambda batch: s.run(None, {"image": batch})


def controller() -> Controller:
    c = Controller.from_models_json(DOC)
    assert "error" not in handle(c, "personal_load", {"blob": BLOB, "layout": DOC["personal"]}).reply
    handle(c, "set", {"name": "auto_predict", "value": False})
    return c


def drawn(c, dx=0):
    handle(c, "clear", {})
    handle(c, "stroke", {"points": [[x + dx, y] for x, y in ONE]})


def test_the_file_checks_its_layout_and_its_features():
    spaces = load_subspaces(BLOB, DOC["personal"], WIDTHS)
    assert spaces["digits"].basis.shape == (512, 64) and spaces["digit_or_not"].basis.shape[0] == 512
    with pytest.raises(TeachError, match="damaged"):
        load_subspaces(BLOB[:1000], DOC["personal"], WIDTHS)
    with pytest.raises(TeachError, match="features of length 512"):
        load_subspaces(BLOB, DOC["personal"], {"digits": 256, "digit_or_not": 512})


def test_taught_samples_change_the_answer_and_a_reset_brings_back_the_shipped_one(nets):
    c = controller()
    drawn(c)
    assert handle(c, "predict", {}).run(nets)["view"]["digit"] == 7
    records = []
    for dx in (0, 6, -6):
        drawn(c, dx)
        records.append(handle(c, "sample", {"label": "1"}).reply["sample"])
    reply = handle(c, "personal_fit", {"records": records, "on": True}).run(nets)
    assert reply["personal"]["samples"] == 3 and reply["personal"]["on"]
    # the page's path: outputs through the person's heads (browser.App.end does this)
    drawn(c, 3)
    step = handle(c, "predict", {})
    d, dn, h, g = nets(step.batch)
    d2, dn2 = c.personal.adjust(d.ravel(), dn.ravel(), h.ravel(), g.ravel())
    assert np.argmax(d2[0]) == 1 and abs(float(d2.sum()) - 1) < 1e-5
    again = Personal(c.personal.temperature)
    again.spaces, again.cache = c.personal.spaces, c.personal.cache
    again.fit([(k, "1") for k in c.personal.cache])
    assert np.array_equal(again.heads["digits"].a, c.personal.heads["digits"].a)   # same samples, same head
    handle(c, "personal_set", {"reset": True})
    assert np.array_equal(c.personal.adjust(d, dn, h, g)[0], d)                     # the shipped answer


def test_contradicting_samples_and_one_class_only_fit_without_harm(nets):
    c = controller()
    drawn(c)
    one = handle(c, "sample", {"label": "1"}).reply["sample"]
    seven = handle(c, "sample", {"label": "7"}).reply["sample"]
    reply = handle(c, "personal_fit", {"records": [one, seven], "on": True}).run(nets)
    assert reply["personal"]["samples"] == 2
    assert all(np.isfinite(c.personal.heads[k].a).all() for k in c.personal.heads)


def test_20000_samples_fit_on_at_most_200_per_label():
    p = Personal(0.5)
    p.spaces = load_subspaces(BLOB, DOC["personal"], WIDTHS)
    rng = np.random.default_rng(0)
    keys = [f"k{i}" for i in range(20_000)]
    labels = [str(i % 10) for i in range(20_000)]
    p.remember(keys, np.full((20_000, 10), 0.1, np.float32), np.full((20_000, 2), 0.5, np.float32),
               rng.random((20_000, 512), np.float32), rng.random((20_000, 512), np.float32))
    stats = p.fit(list(zip(keys, labels)))
    assert stats["samples"] == 20_000 and stats["used"] == 10 * MAX_FIT


def test_features_of_the_wrong_length_are_refused_with_a_message():
    p = Personal()
    p.spaces = load_subspaces(BLOB, DOC["personal"], WIDTHS)
    with pytest.raises(TeachError, match="features of length 100"):
        p.remember(["a"], np.full((1, 10), 0.1), np.full((1, 2), 0.5), np.zeros((1, 100)), np.zeros((1, 512)))
    with pytest.raises(TeachError, match="no features"):
        p.remember(["a"], np.full((1, 10), 0.1), None, None, None)
