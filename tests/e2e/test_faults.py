"""Faults a host or a browser can cause: each gets a clear visible message, and the page stays
usable wherever it can (issue 5)."""
import gzip
import hashlib
import json
import shutil

import onnx
import pytest
from onnx import TensorProto, helper

from buildtools.site import locate, logical

from .conftest import ARGS, CHROMIUM, App, Server
from drawings import SEVEN



@pytest.fixture
def broken_site(dist, tmp_path):
    """broken_site(mutate) -> Server over a copy of dist/ that `mutate(path)` has damaged."""
    servers = []

    def make(mutate):
        copy = tmp_path / f"site{len(servers)}"
        shutil.copytree(dist, copy)
        mutate(copy)
        s = Server(copy)
        servers.append(s)
        return s
    yield make
    for s in servers:
        s.stop()


def corrupt(path):
    data = bytearray(path.read_bytes())
    for i in range(1000, len(data), 997):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def open_broken(make_app, srv) -> App:
    app = make_app(srv.origin)
    app.open(srv.url, wait=False)
    app.page.wait_for_selector("html[data-error]", state="attached", timeout=90_000)
    return app


@pytest.mark.parametrize("damage,phase,words", [
    (lambda d: locate(d, "vendor/pyodide/pyodide.asm.wasm").unlink(), "runtime", "Python (Pyodide) could not start"),
    (lambda d: corrupt(locate(d, "vendor/pyodide/stdlib.tar.gz")), "packages", "standard library could not be loaded"),
    (lambda d: corrupt(locate(d, "vendor/pyodide/site-vendor.tar.gz")), "packages", "site-vendor.tar.gz is corrupt"),
    (lambda d: locate(d, "app/site-app.tar.gz").unlink(), "packages", "site-app.tar.gz is missing on the server"),
    (lambda d: [locate(d, f"models/{f}").unlink() for f in ("combined.onnx", "digits.onnx")], "models",
     "missing on the server (HTTP 404)"),
    (lambda d: [corrupt(locate(d, f"models/{f}")) for f in ("combined.onnx", "digits.onnx")], "models",
     "is corrupt: its sha256 does not match"),
    (lambda d: locate(d, "vendor/ort/ort.wasm.min.mjs").unlink(), "models", "onnxruntime-web (wasm) could not be loaded"),
], ids=["pyodide-wasm-missing", "stdlib-corrupt", "numpy-pillow-corrupt", "digitpad-missing", "model-missing",
     "model-corrupt", "ort-missing"])
def test_broken_files_say_what_is_wrong_and_keep_the_drawing(make_app, broken_site, damage, phase, words):
    app = open_broken(make_app, broken_site(damage))
    assert app.page.get_attribute("html", "data-error") == phase
    fatal = app.page.text_content("#fatal")
    assert app.page.is_visible("#fatal") and words in fatal and "drawing is kept" in fatal
    app.draw(SEVEN)                                   # the pad still takes a drawing
    pixels = app.page.eval_on_selector("#pad", "c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).filter((v, i) => i % 4 == 0 && v < 128).length")
    assert pixels > 500


def test_corrupt_combined_model_falls_back_to_the_two_files(make_app, broken_site):
    srv = broken_site(lambda d: corrupt(locate(d, "models/combined.onnx")))
    app = make_app(srv.origin)
    app.open(srv.url)
    message = app.page.text_content("#message")
    assert "models/combined.onnx) is corrupt" in message and "two separate model files" in message
    app.draw(SEVEN)
    app.wait_predictions(1)
    assert app.digit() == "7" and app.verdict() == "accepted"
    assert any(logical(u).endswith("/models/digit_or_not.onnx") for u in app.requests)


def test_missing_digit_or_not_falls_back_to_the_digit_networks_confidence(make_app, broken_site):
    srv = broken_site(lambda d: [locate(d, f"models/{f}").unlink() for f in ("combined.onnx", "digit_or_not.onnx")])
    app = make_app(srv.origin)
    app.open(srv.url)
    assert "Falling back to the digit model's own confidence" in app.page.text_content("#message")
    app.draw(SEVEN)
    app.wait_predictions(1)
    assert app.digit() == "7" and app.verdict() == "accepted"


def test_no_webgl_falls_back_to_wasm_and_says_so(server, browser):
    # without SwiftShader and the software rasterizer, --disable-webgl really leaves no WebGL
    no_gl = [a for a in ARGS if "swiftshader" not in a] + ["--disable-gpu", "--disable-software-rasterizer",
                                                            "--disable-webgl", "--disable-3d-apis"]
    b = browser.browser_type.launch(executable_path=CHROMIUM, args=no_gl)
    ctx = b.new_context(service_workers="block")
    app = App(ctx.new_page(), server.origin)
    try:
        app.open(server.url, backend="webgl")
        assert_on_wasm_and_working(app, "WebGL could not be used")
    finally:
        if any("error" in c for c in app.console):
            print("\n".join(app.console))
        b.close()


def assert_on_wasm_and_working(app: App, note: str) -> None:
    assert app.page.text_content("#backend") == "wasm"
    assert note in app.page.text_content("#backend-note")
    app.draw(SEVEN)
    app.wait_predictions(1)
    assert app.digit() == "7"


def webgl_cannot_run(site):
    """Give the combined model an extra output, Round(image): wasm runs it, WebGL has no kernel."""
    path = locate(site, "models/combined.onnx")        # served gzipped (buildtools/site.py)
    m = onnx.load_from_string(gzip.decompress(path.read_bytes()))
    m.graph.node.append(helper.make_node("Round", ["image"], ["rounded"]))
    m.graph.output.append(helper.make_tensor_value_info("rounded", TensorProto.FLOAT, None))
    raw = m.SerializeToString()
    path.write_bytes(gzip.compress(raw))
    doc = json.loads(locate(site, "models/models.json").read_text())
    doc["models"]["combined"]["sha256"] = hashlib.sha256(raw).hexdigest()
    locate(site, "models/models.json").write_text(json.dumps(doc))


def test_webgl_failure_falls_back_to_wasm_and_says_so(make_app, broken_site):
    """Any WebGL failure (a lost context, a missing kernel) takes the same path: wasm, with a note."""
    srv = broken_site(webgl_cannot_run)
    app = make_app(srv.origin)
    app.open(srv.url, backend="webgl")
    assert_on_wasm_and_working(app, "WebGL could not run the combined model")


def test_a_single_dot_and_a_pad_filled_edge_to_edge(app):
    app.page.click("#auto-predict")
    box = app.pad_box()
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)   # one tap: a dot
    app.predict()
    assert app.verdict() in ("accepted", "rejected") and len(app.probabilities()) == 10
    app.page.click("#clear")
    app.page.fill("#pen-width", "40")
    app.page.dispatch_event("#pen-width", "input")
    app.draw([[(0, y), (280, y)] for y in range(0, 281, 20)])
    app.predict()
    assert app.verdict() in ("accepted", "rejected")
    assert sum(app.probabilities()) == pytest.approx(1, abs=2e-3)
