"""int8 weights with a scale per output channel (train/quantize.py), and the page's WebGL path
that turns them back into float32 weights in JavaScript (web/dequantize.js), against Python."""
import json
import subprocess
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import numpy_helper

from train.quantize import LEVELS, dequantized, per_channel, quantize

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"


def test_per_channel_rounds_each_weight_to_within_half_a_step():
    rng = np.random.default_rng(0)
    w = rng.normal(size=(8, 3, 3, 3)).astype(np.float32) * np.arange(1, 9, dtype=np.float32)[:, None, None, None]
    w[3] = 0                                                     # a dead channel keeps a usable scale
    q, scale = per_channel(w, axis=0)
    assert q.dtype == np.int8 and scale.shape == (8, 1, 1, 1) and np.abs(q).max() == LEVELS
    assert np.all(np.abs(q * scale - w) <= scale / 2 + 1e-7)
    assert np.all(q[3] == 0) and scale[3, 0, 0, 0] == 1.0
    q1, s1 = per_channel(w.reshape(8, -1).T, axis=1)             # Gemm without transB: channels are columns
    assert s1.shape == (1, 8) and np.allclose(q1 * s1, w.reshape(8, -1).T, atol=float(s1.max()) / 2 + 1e-7)


@pytest.fixture(scope="module")
def float_combined(tmp_path_factory) -> Path:
    """The float32 graph `train combine` quantizes: rebuilt from the two shipped float networks."""
    from train.combine import OUTPUTS
    from train.networks import Combined
    from train.onnx_io import digit_net, digit_or_not_net, export, read_models_json
    digits = digit_net(MODELS / "digits.onnx")
    t = float(read_models_json(MODELS)["models"]["digits"]["temperature"])
    return export(Combined(digits, digit_or_not_net(MODELS / "digit_or_not.onnx", digits), t),
                  tmp_path_factory.mktemp("q") / "combined.onnx", OUTPUTS)


def test_the_shipped_graph_is_the_float_graph_quantized(float_combined):
    shipped, made = onnx.load(MODELS / "combined.onnx"), quantize(onnx.load(float_combined))
    assert shipped.SerializeToString() == made.SerializeToString()          # reproducible from the two files
    types = {i.name: i.data_type for i in shipped.graph.initializer}
    assert sum(n.endswith("_int8") and t == onnx.TensorProto.INT8 for n, t in types.items()) == 8   # 4 Conv, 2 Gemm a head
    floats = {i.name: numpy_helper.to_array(i) for i in onnx.load(float_combined).graph.initializer}
    for name, w in dequantized(shipped).items():
        step = np.abs(floats[name]).max() / LEVELS
        assert np.abs(w - floats[name]).max() <= step / 2 + 1e-7, name
    assert (MODELS / "combined.onnx").stat().st_size < 0.3 * float_combined.stat().st_size


def test_webgl_dequantizer_in_javascript_gives_pythons_weights(tmp_path, mnist_test):
    out = tmp_path / "float.onnx"
    script = ("import {dequantizeModel} from './web/dequantize.js'; import {readFileSync, writeFileSync} from 'fs';"
              f"writeFileSync({json.dumps(str(out))}, dequantizeModel(new Uint8Array(readFileSync('models/combined.onnx'))));")
    subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT, check=True)
    made, shipped = onnx.load(out), onnx.load(MODELS / "combined.onnx")
    onnx.checker.check_model(made)
    assert not [n for n in made.graph.node if n.op_type in ("Cast", "Mul")]
    weights = {i.name: numpy_helper.to_array(i) for i in made.graph.initializer}
    for name, w in dequantized(shipped).items():
        assert weights[name].dtype == np.float32 and np.array_equal(weights[name], w), name   # exact: one rounding each
    x = mnist_test[0][:500].astype(np.float32)[:, None] / 255
    run = lambda m: ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"image": x})  # noqa: E731
    for a, b in zip(run(made), run(shipped)):
        assert np.abs(a - b).max() < 1e-6
