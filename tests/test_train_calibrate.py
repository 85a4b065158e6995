"""Temperature scaling and the calibration error it is judged by."""
import numpy as np
import torch

from train import calibrate
from train.networks import DigitNet, WithSoftmax, fold_batchnorm


def overconfident(n=4000, seed=0):
    """Logits whose softmax says 99% while the answer is right 80% of the time."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 10, n)
    pred = np.where(rng.random(n) < 0.8, y, (y + rng.integers(1, 10, n)) % 10)
    z = np.zeros((n, 10))
    z[np.arange(n), pred] = 6.0
    return z, y


def test_ece_is_zero_when_confidence_matches_accuracy():
    z, y = overconfident()
    p = calibrate.softmax(z)
    assert calibrate.ece(p, y) > 0.15                     # says 99%, right 80%
    exact = np.full((len(y), 10), 0.2 / 9)
    right = np.random.default_rng(1).random(len(y)) < 0.8
    exact[np.arange(len(y)), np.where(right, y, (y + 1) % 10)] = 0.8
    assert calibrate.ece(exact, y) < 0.02


def test_fitted_temperature_removes_overconfidence():
    z, y = overconfident()
    t = calibrate.fit_temperature(z, y)
    assert t > 1.5                                        # softer than the raw logits
    assert calibrate.ece(calibrate.softmax(z, t), y) < 0.03
    assert (calibrate.softmax(z, t).argmax(1) == calibrate.softmax(z).argmax(1)).all()   # accuracy unchanged
    assert calibrate.nll(z, y, t) <= min(calibrate.nll(z, y, s) for s in (0.5, 1.0, 2.0, 4.0)) + 1e-6


def test_the_exported_wrapper_divides_the_logits_by_the_temperature():
    net = DigitNet().eval()
    x = torch.rand(4, 1, 28, 28)
    with torch.no_grad():
        assert torch.allclose(WithSoftmax(net, 2.5)(x), torch.softmax(net(x) / 2.5, 1), atol=1e-6)


def test_batchnorm_folds_into_the_convolutions_exactly():
    torch.manual_seed(0)
    net = DigitNet(batchnorm=True)
    for m in net.modules():                               # stats as a training run would leave them
        if isinstance(m, torch.nn.BatchNorm2d):
            m.running_mean.uniform_(-1, 1), m.running_var.uniform_(0.5, 2)
            m.weight.data.uniform_(0.5, 1.5), m.bias.data.uniform_(-0.5, 0.5)
    net.eval()
    x = torch.rand(8, 1, 28, 28)
    with torch.no_grad():
        assert torch.allclose(net(x), fold_batchnorm(net)(x), atol=1e-4)
