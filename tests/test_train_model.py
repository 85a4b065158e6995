"""The network, a smoke run of the whole training command, and ONNX against PyTorch."""
import json

import numpy as np
import onnxruntime as ort
import pytest
import torch

from train.config import DigitsConfig
from train.data import load_split, to_float
from train.digits import run_digits
from train.networks import DigitNet, DigitOrNotNet, count_parameters


def test_reference_parameter_count():
    assert count_parameters(DigitNet()) == 594_922


def test_digit_or_not_shares_the_digit_features():
    d = DigitNet()
    g = DigitOrNotNet(d)
    for a, b in zip(d.features.parameters(), g.features.parameters()):
        assert torch.equal(a, b)
    assert g(torch.zeros(3, 1, 28, 28)).shape == (3, 2)


@pytest.fixture(scope="module")
def smoke(mnist, tmp_path_factory):
    """1,000 images, 1 epoch, export and evaluate: the fast run CI can afford."""
    out = tmp_path_factory.mktemp("smoke")
    cfg = DigitsConfig(data_dir=str(mnist), out_dir=str(out / "run"), models_dir=str(out / "models"),
                       reports_dir=str(out / "reports"), epochs=1, limit=1000, test_limit=1000,
                       batch_size=32)   # 32 steps: enough to learn something measurable
    entry = run_digits(cfg, log=lambda *_: None)
    return out, entry


def test_smoke_run_writes_everything(smoke):
    out, entry = smoke
    for f in ["run/model.pt", "run/config.json", "run/log.jsonl", "models/digits.onnx", "models/models.json",
              "reports/digits_confusion.png", "reports/digits_mistakes.png", "reports/digits_training.png"]:
        assert (out / f).exists(), f
    row = json.loads((out / "run/log.jsonl").read_text().splitlines()[0])
    assert set(row) >= {"epoch", "loss", "val_accuracy", "seconds"} and "test_accuracy" not in row   # test: once, at the end
    assert json.loads((out / "run/config.json").read_text())["limit"] == 1000
    assert entry["training"]["data_sha256"] and entry["training"]["versions"]["torch"].startswith("2.13")
    assert entry["metrics"]["test_accuracy"] > 0.5     # 1 epoch on 1,000 images already learns


def test_onnx_matches_pytorch_within_1e5(smoke, mnist):
    """The exported graph is the trained network at its calibrated temperature."""
    out, entry = smoke
    net = DigitNet()
    net.load_state_dict(torch.load(out / "run/model.pt"))
    net.eval()
    x = to_float(load_split(mnist, "test")[0][:1000])
    t = entry["temperature"]
    assert 0.05 < t < 20
    with torch.no_grad():
        want = torch.softmax(net(torch.from_numpy(x)) / t, 1).numpy()
    sess = ort.InferenceSession(str(out / "models/digits.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run(["probabilities"], {"image": x})[0]
    assert np.abs(got - want).max() < 1e-5


def test_training_is_reproducible(mnist, tmp_path):
    def once(name):
        cfg = DigitsConfig(data_dir=str(mnist), out_dir=str(tmp_path / name), epochs=1, limit=300,
                           test_limit=200, export=False)
        return run_digits(cfg, log=lambda *_: None)
    a, b = once("a"), once("b")
    assert a["val_accuracy"] == b["val_accuracy"] and a["test_accuracy"] == b["test_accuracy"]
    sa = torch.load(tmp_path / "a/model.pt")
    sb = torch.load(tmp_path / "b/model.pt")
    assert all(torch.equal(sa[k], sb[k]) for k in sa)
