"""Inside the network (issue 29) in Chromium: nothing while the panel is closed; open, every layer
of the graph with its output for the drawing, live; a map looked at closer with its receptive
field; the page's activations equal PyTorch's on wasm and on WebGL; offline after one opening;
on a phone the panel scrolls on its own and the pad still draws; axe stays clean."""
import base64
import json

import numpy as np
import onnx
import pytest

from drawings import SEVEN, number
from train.inside import TOLERANCE, activations_torch, order_like_torch, torch_network

from buildtools.site import locate

from .conftest import ROOT, Server
from .test_faults import broken_site  # noqa: F401  (a fixture: a damaged copy of dist/)
from .test_accessibility import axe, check, layout_app  # noqa: F401  (a fixture)
from .test_phone import box

INSIDE_FILES = ("inside.js", "inside.css", "inside.tar.gz", "inside.json")


def open_panel(app, n: int = 1):
    app.page.click("#inside summary")
    app.wait_attr("insides", n, timeout=60_000)


def choose_map(app, layer: str, k: int, n: int) -> None:
    """Click map k of a layer's picture (its tiles `cols` to a row with a 1-pixel line between)."""
    canvas = app.page.locator(f"#inside-layers tr[data-layer='{layer}'] canvas")
    size = canvas.evaluate("c => [c.width, c.height]")
    b = canvas.bounding_box()
    cols = min(8, n)
    h = w = (size[0] + 1) // cols - 1
    x, y = (k % cols) * (w + 1) + w / 2, (k // cols) * (h + 1) + h / 2
    before = int(app.attr("insides"))
    canvas.click(position={"x": x * b["width"] / size[0], "y": y * b["height"] / size[1]})
    app.wait_attr("insides", before + 1)


def picture(app, layer: str) -> str:
    return app.page.locator(f"#inside-layers tr[data-layer='{layer}'] canvas").evaluate("c => c.toDataURL()")


def point(app, fx: float, fy: float) -> str:
    """The mouse over the closer view's map at (fx, fy) of its width and height: the outline shown."""
    app.page.locator("#inside-map").scroll_into_view_if_needed()
    m = box(app, "#inside-map")
    app.page.mouse.move(m["x"] + m["width"] * fx, m["y"] + m["height"] * fy)
    return app.attr("inside-outline")


def rows(app) -> list[dict]:
    return app.page.eval_on_selector_all("#inside-layers tbody tr", """rs => rs.map((r) => ({layer: r.dataset.layer,
        network: r.dataset.network, shape: r.dataset.shape, params: Number(r.dataset.params),
        tiles: Number((r.querySelector('.inside-maps') || {dataset: {}}).dataset.maps || 0), strip: !!r.querySelector('.inside-strip'),
        values: r.querySelectorAll('.inside-values li').length}))""")


def test_closed_it_costs_nothing_open_it_shows_every_layer_live(app):
    app.draw(SEVEN)
    app.wait_predictions(1)
    app.page.click("#move-right")
    app.wait_predictions(2)
    assert app.attr("insides") is None
    assert not [u for u in app.requests if u.rsplit("/", 1)[-1].split("?")[0] in INSIDE_FILES], app.requests
    open_panel(app)
    table = rows(app)
    digits = [r for r in table if r["network"] == "digits"]
    assert [(r["layer"], r["shape"]) for r in digits] == [
        ("input", "1×28×28"), ("conv 1", "32×26×26"), ("conv 2", "32×24×24"), ("max-pool 1", "32×12×12"),
        ("conv 3", "64×10×10"), ("conv 4", "64×8×8"), ("max-pool 2", "64×4×4"), ("flatten", "1024"),
        ("dense 1", "512"), ("dense (logits)", "10"), ("softmax", "10")]
    assert sum(r["params"] for r in digits) == 594_922
    assert app.page.text_content("#inside-layers tfoot td:nth-child(3)") == "594,922"
    assert [r["tiles"] for r in digits[:7]] == [1, 32, 32, 32, 64, 64, 64]
    assert [r["strip"] for r in digits[7:9]] == [True, True] and [r["values"] for r in digits[9:]] == [10, 10]
    gate = [(r["layer"], r["strip"], r["values"]) for r in table if r["network"] == "digit-or-not"]
    assert gate == [("digit-or-not dense 1", True, 0), ("digit-or-not dense (logits)", False, 2),
                    ("digit-or-not softmax", False, 2)]
    # the softmax row is the answer the page shows
    shown = app.probabilities()
    softmax = app.page.eval_on_selector_all("#inside-layers tr[data-layer='softmax'] li span", "s => s.map((e) => e.textContent)")
    assert [float(s.rstrip("%")) / 100 for s in softmax] == pytest.approx(shown, abs=6e-4)
    alt = app.page.get_attribute("#inside-layers tr[data-layer='conv 1'] canvas", "aria-label")
    assert alt.startswith("conv 1, map 1 of 32: ") and ("strongest at row" in alt or "found nothing" in alt)
    app.page.focus("#inside-layers tr[data-layer='conv 1'] canvas")      # the keyboard's cursor names each map
    n = app.predictions
    app.page.keyboard.press("ArrowDown")
    assert app.page.get_attribute("#inside-layers tr[data-layer='conv 1'] canvas", "aria-label").startswith("conv 1, map 9 of 32: ")
    assert app.predictions == n                              # the arrow moved the cursor, not the drawing

    # look closer: a map of conv 2, its 32 filters, and the patch a cell looks at
    choose_map(app, "conv 2", 4, 32)
    assert app.page.get_attribute("#inside-layers tr[data-layer='conv 2'] canvas", "aria-pressed") == "true"
    assert "conv 2, map 5" in app.page.text_content("#inside-text")
    assert app.page.evaluate("() => [document.getElementById('inside-weights').width, document.getElementById('inside-weights').height]") \
        == [8 * 3 + 7, 4 * 3 + 3]                           # 32 grids of 3x3, 8 to a row
    assert point(app, 10.5 / 24, 3.5 / 24) == "10,3,5"     # x, y, side: a cell of conv 2 sees 5x5 pixels
    choose_map(app, "max-pool 2", 0, 64)
    assert point(app, 0.6, 0.9) == "8,12,16"                # cell (3, 2) of a 4x4 map: 16x16, 4 apart
    # a unit of dense 1: its 1,024 weights folded into 64 maps of 4x4
    n = int(app.attr("insides"))
    app.page.locator("#inside-layers tr[data-layer='dense 1'] .inside-strip").click(position={"x": 2, "y": 2})
    app.wait_attr("insides", n + 1)
    assert app.page.text_content("#inside-text").startswith("dense 1, unit 1:")
    assert app.page.evaluate("() => document.getElementById('inside-weights').width") == 8 * 4 + 7

    # live: each answer (a move, a stroke) and each frame of a sweep is followed
    before = picture(app, "input")
    n, k = app.predictions, int(app.attr("insides"))
    app.page.click("#move-left")
    app.wait_predictions(n + 1)
    app.wait_attr("insides", k + 1)
    app.draw([[(60, 250), (220, 250)]])
    app.wait_attr("insides", k + 2)
    assert picture(app, "input") != before
    assert float(app.attr("inside-stroke-ms")) > 0
    k = int(app.attr("insides"))
    app.page.click("#sweep")
    app.wait_attr("sweeps", 1, timeout=60_000)
    app.page.wait_for_selector("#sweep:not([disabled])", state="attached", timeout=60_000)
    app.page.wait_for_selector("html[data-inside-angle='0']", state="attached")
    # frames of the replay (those that came while none was waiting): at 60 ms a frame, many
    assert int(app.attr("insides")) >= k + 2 and int(app.attr("inside-angles")) >= 1


def test_teaching_is_followed_and_the_panel_says_whose_layers_it_shows(app):
    app.draw(SEVEN)
    app.wait_predictions(1)
    open_panel(app)
    fits, n, k = int(app.attr("fits") or 0), app.predictions, int(app.attr("insides"))
    app.page.locator("body").press("1")                  # "Not right? It is a 1"
    app.wait_attr("fits", fits + 1, timeout=60_000)
    app.wait_predictions(n + 1)
    app.wait_attr("insides", k + 1)
    assert "taught" in app.page.text_content("#inside-status")


def test_with_a_number_the_panel_shows_the_selected_digit(app):
    app.draw(number("47"))
    app.page.wait_for_selector("#number-digits li:nth-child(2)", state="attached")
    open_panel(app)
    seen = []
    for k, digit in ((1, "4"), (2, "7")):
        app.page.click(f"#number-digits li:nth-child({k})")
        app.wait_attr("insides", k + 1)
        assert app.digit() == digit
        shown = app.page.eval_on_selector_all("#inside-layers tr[data-layer='softmax'] li span", "s => s.map((e) => e.textContent)")
        assert [float(s.rstrip("%")) / 100 for s in shown] == pytest.approx(app.probabilities(), abs=6e-4)
        seen.append(picture(app, "input"))
    assert seen[0] != seen[1]                              # the input is the selected digit's own


@pytest.fixture(scope="module")
def oracle():
    model = onnx.load(str(ROOT / "models" / "combined.onnx"))
    from train.data import load_split, mnist_dir
    from train.inside import layers
    images, _ = load_split(mnist_dir(), "test")
    return torch_network(model), order_like_torch(layers(model)), (images[:4] / 255.0).astype(np.float32)


@pytest.mark.parametrize("backend", ["wasm", "webgl"])
def test_the_pages_activations_equal_pytorchs(make_app, server, oracle, backend):
    """Every layer, as the panel gets it from the page's graph, against PyTorch with the int8
    weights dequantized: the largest difference within 1e-4 of the layer's largest value."""
    net, table, images = oracle
    app = make_app(server.origin).open(server.url, backend=backend)
    assert app.page.text_content("#backend") == backend, app.page.text_content("#backend-note")
    worker = next(w for w in app.page.workers if w.url.endswith("model-worker.js"))
    worst = {}
    for img in images:
        x = img[None, None]
        got = worker.evaluate("(b) => self.insideForTest(b)", base64.b64encode(x.tobytes()).decode())
        assert got["backend"] == backend
        for row, ref in zip(table, activations_torch(net, x)):
            if row["tensor"] == "image":
                continue
            ours = np.array(got["layers"][row["tensor"]], np.float32).reshape(ref.shape)
            rel = float(np.abs(ours - ref).max() / max(np.abs(ref).max(), 1e-12))
            worst[f"{row['branch']} {row['layer']}"] = max(worst.get(f"{row['branch']} {row['layer']}", 0.0), rel)
    print(f"\n{backend}: worst layer {max(worst.values()):.2e} of its largest value; " +
          ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    assert len(worst) == 13
    assert max(worst.values()) <= TOLERANCE, worst


def test_the_panel_opens_offline_after_once(make_app, dist):
    server = Server(dist)
    try:
        app = make_app(server.origin, service_workers="allow")
        app.open(server.url)
        app.page.wait_for_selector("html[data-offline-ready='true']", state="attached", timeout=60_000)
        app.draw(SEVEN)
        open_panel(app)
    finally:
        server.stop()
    app.page.context.set_offline(True)
    app.open(server.url)
    app.draw(SEVEN)
    open_panel(app)
    assert len(rows(app)) == 14 and app.page.text_content("#inside-status") == ""
    assert app.page.evaluate("navigator.onLine") is False


def test_on_a_phone_the_panel_scrolls_on_its_own_and_the_pad_draws(make_phone):
    app = make_phone("390x844")
    app.page.locator("#inside summary").scroll_into_view_if_needed()
    open_panel(app)
    body = box(app, "#inside-body")
    sizes = app.page.evaluate("() => { const b = document.getElementById('inside-body'); return [b.scrollHeight, b.clientHeight]; }")
    assert sizes[0] > sizes[1] and body["height"] <= 844
    y0, page_y = body["y"] + body["height"] / 2, app.page.evaluate("scrollY")
    x = body["x"] + 20
    app.touch("touchStart", [(x, y0)])
    for i in range(1, 10):
        app.touch("touchMove", [(x, y0 - 20 * i)])
    app.touch("touchEnd")
    assert app.page.evaluate("document.getElementById('inside-body').scrollTop") > 0
    assert app.page.evaluate("scrollY") == page_y             # the panel scrolled, not the page
    app.page.locator("#pad").scroll_into_view_if_needed()
    n = app.predictions
    app.touch_draw(SEVEN)
    app.wait_predictions(n + 1)
    assert app.digit() == "7"
    app.wait_attr("insides", 2)


def test_the_open_panel_is_accessible(layout_app):  # noqa: F811  (desktop and a 390x844 phone)
    app = layout_app
    app.draw(SEVEN)
    app.wait_predictions(1)
    open_panel(app)
    choose_map(app, "conv 1", 2, 32)
    assert app.page.evaluate("() => document.querySelectorAll('#inside-layers th[scope=col]').length") == 4
    check(axe(app), "inside the network, a map selected")


def foreign_table(site):
    """models/inside.json of another graph (a retrained network shipped with a stale table)."""
    path = locate(site, "models/inside.json")
    table = json.loads(path.read_text())
    table["sha256"] = "0" * 64
    path.write_text(json.dumps(table))


@pytest.mark.parametrize("damage,words", [
    (lambda d: locate(d, "models/inside.json").unlink(), "The layer table (models/inside.json) is missing on the server"),
    (foreign_table, "belongs to another network than models/combined.onnx"),
    (lambda d: locate(d, "app/inside.tar.gz").unlink(), "The inside view cannot be shown now: inside.tar.gz is missing"),
], ids=["table-missing", "table-foreign", "bundle-missing"])
def test_a_broken_panel_says_what_is_wrong_and_the_page_works_on(make_app, broken_site, damage, words):  # noqa: F811
    srv = broken_site(damage)
    app = make_app(srv.origin).open(srv.url)
    app.draw(SEVEN)
    app.wait_predictions(1)
    app.page.click("#inside summary")
    app.page.wait_for_selector("#inside-status:not(:empty)", state="attached")
    assert words in app.page.text_content("#inside-status")
    n = app.predictions
    app.draw([[(60, 250), (220, 250)]])                     # the pad still draws and is read
    app.wait_predictions(n + 1)
    assert app.attr("insides") is None
