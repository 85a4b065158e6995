"""digitpad.inside in CPython: the panel's view from the page's table and graph weights, checked
against the graph (onnxruntime) and against the layers' geometry; bad loads get a message."""
import json

import numpy as np
import onnx
import pytest

from digitpad.actions import handle
from digitpad.controller import Controller
from digitpad.inside import tiles
from digitpad.inside.network import Network
from drawings import SEVEN, number
from train.config import resolve
from train.inside import onnx_runner
from train.quantize import dequantized


@pytest.fixture(scope="module")
def page():
    """What the page hands Python: models/inside.json and the graph's weights (dequantized, as
    the model worker reads them), and a runner of the graph with every layer as an output."""
    models = resolve("models")
    table = json.loads((models / "inside.json").read_text())
    model = onnx.load(str(models / "combined.onnx"))
    weights = {k: [list(v.shape), v.ravel()] for k, v in dequantized(model).items()}
    return table, weights, onnx_runner(model, table["layers"])


def drawn(strokes) -> Controller:
    c = Controller()
    for s in strokes:
        handle(c, "stroke", {"points": [list(map(float, p)) for p in s]})
    return c


def inside(c, page, **payload) -> dict:
    table, weights, run = page
    if c.inside is None:
        payload["load"] = {"table": table, "weights": weights}
    step = handle(c, "inside", payload)
    if step.batch is None:
        return step.complete()
    outs = run(step.batch)
    return step.complete(outs["probabilities"], outs["digit_or_not"], None, None, outs)


def test_receptive_fields_follow_the_kernels_and_strides(page):
    net = Network.from_page(page[0], {k: (d, v) for k, (d, v) in page[1].items()})
    fields = [(r.layer, r.jump, r.size) for r in net.rows if r.spatial]
    assert fields == [("input", 1, 1), ("conv 1", 1, 3), ("conv 2", 1, 5), ("max-pool 1", 2, 6),
                      ("conv 3", 2, 10), ("conv 4", 2, 14), ("max-pool 2", 4, 16)]
    assert net.digit_params == 594_922
    assert net.rows[1].weight.shape == (32, 1, 3, 3) and net.row(8).weight.shape == (512, 1024)


def test_every_row_is_its_layer_of_the_graph_scaled_to_grey(page):
    c = drawn(SEVEN)
    view = inside(c, page)["inside"]
    image = handle(c, "inside", {}).batch
    outs = page[2](image)
    by_row = {r["row"]: r for r in view["rows"]}
    for row in page[0]["layers"]:
        r = by_row[page[0]["layers"].index(row)]
        a = outs[row["tensor"]][0]
        assert r["shape"] == row["shape"] and r["params"] == row["params"]
        if r["kind"] == "maps":
            n, h, w = a.shape
            grid = np.frombuffer(r["pixels"], np.uint8).reshape(-(-n // r["cols"]) * (h + 1) - 1, r["cols"] * (w + 1) - 1)
            top = 1.0 if row["op"] == "input" else float(a.max())
            for k in (0, n - 1):                          # the first and the last tile, where the layout puts them
                y, x = k // r["cols"] * (h + 1), k % r["cols"] * (w + 1)
                assert np.abs(grid[y:y + h, x:x + w] - np.clip(a[k] / top * 255, 0, 255)).max() <= 0.5 + 1e-6
            peaks = np.array(r["peaks"]).reshape(n, 3)   # row, column, % of the layer's strongest
            k = int(a.reshape(n, -1).max(1).argmax())
            assert peaks[k, 2] == 100 and a[k, peaks[k, 0], peaks[k, 1]] == a.max()
        elif r["kind"] == "strip":
            assert np.frombuffer(r["pixels"], np.uint8).argmax() == a.argmax()
        else:
            assert r["values"] == pytest.approx(a.tolist(), abs=1e-4)
    assert view["placement"]["scale"] > 0 and view["closer"] == {}


def test_a_map_comes_with_its_filters_and_a_unit_with_its_weights(page):
    c = drawn(SEVEN)
    m = inside(c, page, select=[2, 7])["inside"]["closer"]
    assert (m["kind"], m["h"], m["w"], m["jump"], m["size"]) == ("map", 24, 24, 1, 5)
    assert (m["filters"]["w"], m["filters"]["h"]) == (8 * 3 + 7, 4 * 3 + 3)     # 32 input maps of 3x3
    rgba = np.frombuffer(m["filters"]["rgba"], np.uint8).reshape(15, 31, 4)
    w = page[1]["features.3.weight"][1].reshape(32, 32, 3, 3)[7]
    assert (rgba[0:3, 0:3, 3] == 255).all() and (rgba[3, :, 3] == 0).all()     # a grid, then a clear gap
    ch, y, x = np.unravel_index(np.abs(w).argmax(), w.shape)       # the filter's strongest weight: full colour
    colour = tiles.POSITIVE if w[ch, y, x] > 0 else tiles.NEGATIVE
    assert tuple(rgba[ch // 8 * 4 + y, ch % 8 * 4 + x, :3]) == tuple(colour.astype(np.uint8))
    u = inside(c, page, select=[8, 5])["inside"]["closer"]
    assert u["kind"] == "unit" and (u["weights"]["w"], u["weights"]["h"]) == (8 * 4 + 7, 8 * 4 + 7)
    f = inside(c, page, select=[7, 16 * 9 + 5])["inside"]["closer"]     # a flattened value: its map's cell
    assert (f["name"], f["index"]) == ("max-pool 2", 9)


def test_the_selected_digit_of_a_number_is_what_is_shown(page):
    c = drawn(number("47"))
    run = page[2]
    handle(c, "predict", {}).run(lambda b: (run(b)["probabilities"], run(b)["digit_or_not"]))
    shown = []
    for k in (0, 1):
        handle(c, "select", {"index": k}).complete()
        view = inside(c, page)["inside"]
        assert np.array_equal(handle(c, "inside", {}).batch[0, 0], c.subject_input())    # the selected digit's image
        shown.append(view["rows"][0]["pixels"])
    assert shown[0] != shown[1]


def test_an_empty_pad_keeps_the_table_and_bad_loads_say_what_is_wrong(page):
    c = Controller()
    r = inside(c, page)
    assert r["inside"]["empty"] and len(r["inside"]["rows"]) == 14 and r["inside"]["digit_params"] == 594_922
    assert "still loading" in handle(Controller(), "inside", {}).reply["error"]
    bad = handle(Controller(), "inside", {"load": {"table": {"layers": [{"layer": "x"}]}, "weights": {}}}).reply["error"]
    assert "models/inside.json" in bad and "damaged" in bad
    missing = handle(Controller(), "inside", {"load": {"table": page[0], "weights": {}}}).reply["error"]
    assert "no weights" in missing
    assert "select" in handle(c, "inside", {"select": "conv 1"}).reply["error"]
    assert "no layer" in handle(c, "inside", {"select": [99, 0]}).reply["error"]


def test_a_graph_that_gives_too_few_values_is_reported_not_drawn(page):
    c = drawn(SEVEN)
    inside(c, page)
    step = handle(c, "inside", {})
    outs = page[2](step.batch)
    outs["/features/features.2/Relu_output_0"] = outs["/features/features.2/Relu_output_0"][:, :3]
    assert "conv 1 gave" in step.complete(outs["probabilities"], outs["digit_or_not"], None, None, outs)["error"]
