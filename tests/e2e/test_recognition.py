"""Recognition in the real page: MNIST test digits drawn with the mouse, on both backends,
and parity of Pyodide's rendering and onnxruntime-web's answers with CPython's."""
import json

import numpy as np
import onnxruntime as ort
import pytest

from digitpad.views import image_bytes
from digitpad.render import render
from digitpad.strokes import Drawing
from train.trace import image_to_strokes

from .conftest import ROOT


def traced(x, i):
    return image_to_strokes(x[i] / 255.0)


@pytest.mark.parametrize("backend,count", [("wasm", 100), ("webgl", 50)])
def test_mnist_digits_drawn_with_the_mouse(make_app, server, mnist_test, backend, count):
    x, y = mnist_test
    app = make_app(server.origin)
    app.open(server.url, backend=backend)
    assert app.page.text_content("#backend") == backend
    app.page.click("#auto-predict")                  # draw the whole digit, then press Enter
    wrong = []
    for i in range(count):
        app.draw(traced(x, i))
        app.page.locator("#pad").focus()
        n = app.predictions
        app.page.keyboard.press("Enter")
        app.wait_predictions(n + 1)
        if app.digit() != str(y[i]):
            wrong.append((i, int(y[i]), app.digit()))
        app.page.keyboard.press("Delete")
    accuracy = 1 - len(wrong) / count
    print(f"{backend}: {accuracy:.1%} of {count} drawn MNIST test digits; wrong: {wrong}")
    assert accuracy >= 0.97, wrong
    assert not app.foreign_requests()


def test_pyodide_render_and_ort_web_match_cpython(app, mnist_test, tmp_path):
    """Same strokes: Pyodide's 28x28 image equals CPython's exactly at 8 bits (|diff| < 1/510),
    and onnxruntime-web's probabilities equal onnxruntime's within 1e-4 (display rounding 5e-5)."""
    x, _ = mnist_test
    sess = ort.InferenceSession(str(ROOT / "models/digits.onnx"), providers=["CPUExecutionProvider"])
    app.page.click("#auto-predict")
    for i in (0, 1, 2):
        app.draw(traced(x, i))
        app.predict()
        shown = app.probabilities()
        label = app.digit()
        app.page.click(f"#collect-{label}")
        app.page.wait_for_selector(f"#collect-message:has-text('Stored as {label}')")
        with app.page.expect_download() as dl:
            app.page.click("#collect-export")
        doc = json.loads(open(dl.value.path()).read())
        [sample] = [s for s in doc["samples"] if s["label"] == label]      # the store keeps no order
        strokes = Drawing.from_json(sample["strokes"]).strokes
        img = render(strokes)
        assert list(image_bytes(img)) == sample["image"]
        want = sess.run(None, {"image": img[None, None]})[0][0]
        assert np.abs(np.array(shown) - want).max() <= 1e-4
        app.page.click("#clear")
