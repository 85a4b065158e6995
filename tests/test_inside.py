"""The layer table is read from the page's graph, and every layer's output there equals PyTorch's
with the int8 weights dequantized (issue 29's oracle, in CPython; onnxruntime CPU)."""
import numpy as np
import onnx
import pytest

from train.inside import TOLERANCE, layers, page_table, parity, with_outputs


@pytest.fixture(scope="module")
def model():
    from train.config import resolve
    return onnx.load(str(resolve("models") / "combined.onnx"))


def test_the_layer_table_is_the_reference_architecture(model):
    rows = layers(model)
    digits = [(r["layer"], tuple(r["shape"]), r["params"]) for r in rows if r["branch"] == "digits"]
    assert digits == [("input", (1, 28, 28), 0), ("conv 1", (32, 26, 26), 320), ("conv 2", (32, 24, 24), 9248),
                      ("max-pool 1", (32, 12, 12), 0), ("conv 3", (64, 10, 10), 18496),
                      ("conv 4", (64, 8, 8), 36928), ("max-pool 2", (64, 4, 4), 0), ("flatten", (1024,), 0),
                      ("dense 1", (512,), 524800), ("dense (logits)", (10,), 5130), ("softmax", (10,), 0)]
    assert sum(p for *_, p in digits) == 594_922
    gate = [(r["layer"], tuple(r["shape"])) for r in rows if r["branch"] == "digit-or-not"]
    assert gate == [("dense 1", (512,)), ("dense (logits)", (2,)), ("softmax", (2,))]


def test_extra_outputs_leave_the_graph_as_it_was(model):
    tensors = [r["tensor"] for r in layers(model) if r["tensor"] != "image"]
    m = with_outputs(model, tensors)
    names = [o.name for o in m.graph.output]
    assert names[:4] == [o.name for o in model.graph.output]       # the page's outputs, first, unchanged
    assert set(tensors) <= set(names)
    assert [i.name for i in m.graph.initializer] == [i.name for i in model.graph.initializer]


def test_every_layer_equals_pytorch_with_the_weights_dequantized(model):
    from train.data import load_split, mnist_dir
    images, _ = load_split(mnist_dir(), "test")
    checks = parity(model, (images[:6] / 255.0).astype(np.float32))
    assert len(checks) == 14
    bad = [c for c in checks if c["relative"] > TOLERANCE]
    assert not bad, bad


def test_the_pages_table_is_the_one_of_the_shipped_graph():
    """models/inside.json (what the page's panel reads) is written from models/combined.onnx by
    `python -m train combine` or `inside`: a retrained graph with a stale table fails here."""
    import json
    from train.config import resolve
    models = resolve("models")
    assert json.loads((models / "inside.json").read_text()) == page_table(models / "combined.onnx")
    rows = {r["layer"]: r for r in page_table(models / "combined.onnx")["layers"] if r["branch"] == "digits"}
    assert (rows["conv 1"]["weight"], rows["conv 1"]["kernel"], rows["conv 1"]["stride"]) == ("features.1.weight", 3, 1)
    assert (rows["max-pool 2"]["kernel"], rows["max-pool 2"]["stride"]) == (2, 2)
