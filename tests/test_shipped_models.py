"""The models we ship: accuracy on the full test set, integrity, and WebGL compatibility."""
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from train.data import to_float

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
DOC = json.loads((MODELS / "models.json").read_text())
WEBGL_DOC = ROOT / "node_modules/onnxruntime-web/docs/webgl-operators.md"
BATCH_PARAM = bytes([0x12, 0x05]) + b"batch"


def shipped():
    return [(k, v) for k, v in DOC["models"].items()]


def outputs(key):
    # the combined graph also gives the features that feed each head's last layer (personal heads)
    return ["probabilities", "digit_or_not", "digit_features", "dnn_features"] if key == "combined" else ["probabilities"]


@pytest.mark.parametrize("key,entry", shipped())
def test_file_matches_models_json(key, entry):
    data = (MODELS / entry["file"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    m = onnx.load_from_string(data)
    assert [i.name for i in m.graph.input] == ["image"] and [o.name for o in m.graph.output] == outputs(key)


def test_combined_model_answers_as_the_two_models(mnist_test):
    """The page runs combined.onnx: digits.onnx + digit_or_not.onnx in one graph, with int8 weights."""
    entry = DOC["models"]["combined"]
    for name in ("digits.onnx", "digit_or_not.onnx"):
        assert entry["from"][name] == hashlib.sha256((MODELS / name).read_bytes()).hexdigest()
    x = to_float(mnist_test[0][:1000])
    run = lambda f: ort.InferenceSession(str(MODELS / f), providers=["CPUExecutionProvider"]).run(None, {"image": x})  # noqa: E731
    digits, digit_or_not = run("combined.onnx")[:2]          # (then the features that feed each head)
    ref_digits, ref_digit_or_not = run("digits.onnx")[0], run("digit_or_not.onnx")[0]
    assert np.abs(digits - ref_digits).max() < 0.05 and np.abs(digit_or_not - ref_digit_or_not).max() < 0.05
    assert (digits.argmax(1) == ref_digits.argmax(1)).mean() >= 0.999


FLOAT_ROW = "float32 (digits.onnx + digit_or_not.onnx)"
RATES = ("test_accuracy", "digits_accepted", "traced_digits_accepted", "nondigits_rejected")


def test_int8_weights_keep_every_held_out_rate_within_0_05_points():
    """Recomputed here on CPU; the page's wasm and WebGL rows were recorded by `python -m bench.accuracy`."""
    from train.combined_eval import compare
    metrics = DOC["models"]["combined"]["metrics"]
    now = compare(MODELS)
    for row in (FLOAT_ROW, "combined.onnx, onnxruntime CPU"):
        assert now[row] == metrics[row], row                     # the recorded figures are today's
    rows = [k for k in metrics if k.startswith("combined.onnx")]
    assert {"combined.onnx in the page, wasm", "combined.onnx in the page, webgl"} < set(rows)
    for row in rows:
        assert metrics[row]["digits"] == 10000 and metrics[row]["nondigits"] == 3000
        for rate in RATES:
            assert abs(metrics[row][rate] - metrics[FLOAT_ROW][rate]) <= 0.0005, (row, rate)


def test_digit_model_accuracy_on_full_test_set(mnist_test):
    x, y = mnist_test
    sess = ort.InferenceSession(str(MODELS / "digits.onnx"), providers=["CPUExecutionProvider"])
    p = np.concatenate([sess.run(None, {"image": to_float(x[i:i + 2000])})[0] for i in range(0, 10000, 2000)])
    assert np.allclose(p.sum(1), 1, atol=1e-5)
    acc = float((p.argmax(1) == y).mean())
    assert len(y) == 10000
    assert acc >= 0.996
    assert acc == pytest.approx(DOC["models"]["digits"]["metrics"]["test_accuracy"], abs=1e-5)


def webgl_ops() -> dict[str, str]:
    """Operator -> supported opset ranges, from the pinned package's docs/webgl-operators.md."""
    ops = {}
    for line in WEBGL_DOC.read_text().splitlines():
        m = re.match(r"\| \[(\w+)\]\([^)]*\) \| (.*) \|$", line)
        if m:
            ops[m.group(1)] = m.group(2).strip()
    return ops


def supports(ranges: str, opset: int) -> bool:
    for r in re.findall(r"\[([\d+\-]+)\]", ranges):
        if r.endswith("+") and opset >= int(r[:-1]):
            return True
        lo, _, hi = r.partition("-")
        if hi and int(lo) <= opset <= int(hi) or not hi and not r.endswith("+") and int(lo) == opset:
            return True
    return False


@pytest.mark.parametrize("key,entry", shipped())
def test_graph_uses_only_webgl_operators(key, entry):
    ops = webgl_ops()
    assert len(ops) > 50 and ops["Constant"] == ""      # the parser reads the table; Constant is unsupported
    m = onnx.load(MODELS / entry["file"])
    opset = next(o.version for o in m.opset_import if o.domain in ("", "ai.onnx"))
    used = {n.op_type for n in m.graph.node}
    unsupported = sorted(op for op in used if not supports(ops.get(op, ""), opset))
    assert not unsupported, f"{key} uses operators WebGL lacks at opset {opset}: {unsupported}"
    assert "ArgMax" not in used


@pytest.mark.parametrize("key,entry", shipped())
def test_batch_can_be_pinned_as_the_worker_does(key, entry):
    """Oracle for web/worker.js pinBatch: the same byte rewrite gives a valid fixed-batch model."""
    data = (MODELS / entry["file"]).read_bytes()
    assert data.count(BATCH_PARAM) == 1 + len(outputs(key))     # the input and each output
    pinned = data.replace(BATCH_PARAM, bytes([0x08, 36, 0x1A, 0x03]) + b"fix")
    m = onnx.load_from_string(pinned)
    onnx.checker.check_model(m)
    assert m.graph.input[0].type.tensor_type.shape.dim[0].dim_value == 36
    x = np.random.default_rng(0).random((36, 1, 28, 28), dtype=np.float32)
    a = ort.InferenceSession(data, providers=["CPUExecutionProvider"]).run(None, {"image": x})
    b = ort.InferenceSession(pinned, providers=["CPUExecutionProvider"]).run(None, {"image": x})
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
