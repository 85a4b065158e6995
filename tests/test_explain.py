"""Why this digit (occlusion sensitivity), checked with the shipped network on a real case."""
import numpy as np
import onnxruntime as ort
import pytest

from digitpad import explain
from digitpad.actions import handle
from digitpad.controller import Controller

import drawings
from conftest import ROOT

SEVEN = [list(p) for p in drawings.SEVEN[0]]


@pytest.fixture(scope="module")
def nets():
    sess = ort.InferenceSession(str(ROOT / "models/combined.onnx"), providers=["CPUExecutionProvider"])
    return lambda batch: sess.run(None, {"image": batch})


def explained(nets, points):
    c = Controller()
    handle(c, "set", {"name": "auto_predict", "value": False})
    handle(c, "stroke", {"points": points})
    step = handle(c, "explain", {})
    return step.complete(*nets(step.batch))["explain"], step.batch


def heat(e) -> np.ndarray:
    return np.frombuffer(e["heat"], np.int8).reshape(28, 28) / 127 * e["scale"]


def test_the_evidence_for_7_over_1_lies_on_the_bar(nets):
    """The page explains the answer against its runner-up; which digit that is depends on the
    network's tail (label smoothing flattens it: here a 5), so 7 against 1 is asked for directly,
    from the same one batch the page runs."""
    e, batch = explained(nets, SEVEN)
    probs = nets(batch)[0]
    assert e["digit"] == 7 and e["runner_up"] == int(np.argsort(-probs[0])[1])
    _, patches = explain.occlusions(batch[0, 0])
    h, image = explain.heat_map(probs, patches, 7, 1), batch[0, 0]
    ink_rows = np.nonzero(image.max(1) > 0.5)[0]
    bar = slice(ink_rows[0], ink_rows[0] + 4)                  # the top four rows of ink: the 7's bar
    stem = slice(ink_rows[0] + 8, ink_rows[-1] + 1)
    assert h[bar].max() > h[stem].max() > 0
    peak_row = np.unravel_index(np.argmax(h), h.shape)[0]
    assert ink_rows[0] - 3 <= peak_row <= ink_rows[0] + 5


def test_one_batch_holds_the_image_and_every_inked_patch(nets):
    e, batch = explained(nets, SEVEN)
    image = batch[0, 0]
    assert np.array_equal(batch[1:, 0].max(0), image)             # every hidden copy is the image, less a patch
    hidden = (batch[1:, 0] != image).any(axis=(1, 2))
    assert hidden.all() and 8 <= len(batch) - 1 <= 64


def test_the_heat_map_lands_on_the_pad_where_the_strokes_are(nets):
    e, _ = explained(nets, SEVEN)
    p = e["placement"]
    to_pad = lambda x, y: ((x * p["unit"] - p["offset"][0]) / p["scale"], (y * p["unit"] - p["offset"][1]) / p["scale"])  # noqa: E731
    y, x = np.unravel_index(np.argmax(heat(e)), (28, 28))
    px, py = to_pad(x + 0.5, y + 0.5)
    assert 0 < px < 280 and 0 < py < 280

    def distance(a, b):          # from the peak to one straight piece of the stroke, in pad units
        a, b, q = np.array(a, float), np.array(b, float), np.array([px, py])
        t = np.clip((q - a) @ (b - a) / ((b - a) @ (b - a)), 0, 1)
        return float(np.linalg.norm(a + t * (b - a) - q))
    # on the ink: within half a pen (18) and one 28x28 cell (about 10 pad units here) of the line
    assert min(distance(a, b) for a, b in zip(SEVEN, SEVEN[1:])) <= 25


def test_an_empty_pad_has_nothing_to_explain():
    assert handle(Controller(), "explain", {}).complete() == {"explain": None}


def test_occlusions_skip_patches_without_ink():
    image = np.zeros((28, 28), np.float32)
    image[10:14, 10:14] = 1
    batch, patches = explain.occlusions(image)
    assert len(batch) == len(patches) + 1 and all(r <= 13 and c <= 13 and r + explain.PATCH > 10 and c + explain.PATCH > 10
               for r, c in patches)
