"""The networks: the digit CNN (594,922 parameters: the reference architecture), the digit-or-not
network on its convolutions, and the combined graph the page runs."""
from __future__ import annotations

import torch
from torch import nn

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


class Normalize(nn.Module):
    """Mean/std normalization inside the graph, so no caller can get it wrong.

    Buffers, not Python floats: they export as initializers rather than Constant nodes, which
    onnxruntime-web's WebGL backend has no kernel for.
    """

    def __init__(self):
        super().__init__()
        self.register_buffer("mean", torch.tensor(MNIST_MEAN))
        self.register_buffer("std", torch.tensor(MNIST_STD))

    def forward(self, x):
        return (x - self.mean) / self.std


CONVS = ((1, 32, False), (32, 32, True), (32, 64, False), (64, 64, True))   # (in, out, max-pool after)


def features(batchnorm: bool = False) -> nn.Sequential:
    """Conv 32, Conv 32, MaxPool, Conv 64, Conv 64, MaxPool, Flatten -> 1024 (valid 3x3 convs).

    With batchnorm, each conv is followed by BatchNorm for training only: fold_batchnorm() merges
    it into the conv, so the shipped network is exactly the reference architecture.
    """
    layers: list[nn.Module] = [Normalize()]
    for cin, cout, pool in CONVS:
        layers += [nn.Conv2d(cin, cout, 3)] + ([nn.BatchNorm2d(cout)] if batchnorm else []) + [nn.ReLU()]
        layers += [nn.MaxPool2d(2)] if pool else []
    return nn.Sequential(*layers, nn.Flatten())


def head(outputs: int, hidden: int = 512) -> nn.Sequential:
    return nn.Sequential(nn.Dropout(0.25), nn.Linear(1024, hidden), nn.ReLU(),
                         nn.Dropout(0.5), nn.Linear(hidden, outputs))


class DigitNet(nn.Module):
    """Returns logits; export wraps it with Softmax to give `probabilities`."""

    def __init__(self, batchnorm: bool = False):
        super().__init__()
        self.features = features(batchnorm)
        self.head = head(10)

    def forward(self, x):
        return self.head(self.features(x))


class DigitOrNotNet(nn.Module):
    """Digit or not (index 1 = digit): the digit net's convolutions under new dense layers."""

    def __init__(self, digit_net: DigitNet | None = None, hidden: int = 128):
        super().__init__()
        self.features = features()
        if digit_net is not None:
            self.features.load_state_dict(digit_net.features.state_dict())
        self.head = head(2, hidden)

    def forward(self, x):
        return self.head(self.features(x))


class WithSoftmax(nn.Module):
    """Probabilities from a logits network, at a temperature (calibrate.py fits it; 1 = none).

    The temperature is a buffer, so it exports as an initializer and the graph stays
    Div + Softmax (onnxruntime-web's WebGL backend has no Constant kernel).
    """

    def __init__(self, net: nn.Module, temperature: float = 1.0):
        super().__init__()
        self.net = net
        self.register_buffer("temperature", torch.tensor(float(temperature)))

    def forward(self, image):
        return torch.softmax(self.net(image) / self.temperature, dim=1)


class Combined(nn.Module):
    """What the page runs: one trunk, both heads (the digit-or-not net reuses the digit net's
    convolutions unchanged), outputs `probabilities` [N,10] and `digit_or_not` [N,2], and the
    hidden layers that feed each head's last layer, `digit_features` [N,512] and `dnn_features`
    [N,hidden] (512 as trained): the page fits personal heads on them (digitpad.personal)."""

    def __init__(self, digits: DigitNet, digit_or_not: DigitOrNotNet, temperature: float = 1.0):
        super().__init__()
        self.features, self.digit_head, self.digit_or_not_head = digits.features, digits.head, digit_or_not.head
        self.register_buffer("temperature", torch.tensor(float(temperature)))

    def forward(self, image):
        f = self.features(image)
        h = self.digit_head[:3](f)                      # Dropout (off), Linear, ReLU
        g = self.digit_or_not_head[:3](f)
        return (torch.softmax(self.digit_head[3:](h) / self.temperature, 1),
                torch.softmax(self.digit_or_not_head[3:](g), 1), h, g)


@torch.no_grad()
def fold_batchnorm(net: DigitNet) -> DigitNet:
    """The same function without BatchNorm: each BN's scale and shift moved into its conv."""
    out = DigitNet().eval()
    convs = [m for m in net.features if isinstance(m, nn.Conv2d)]
    norms = [m for m in net.features if isinstance(m, nn.BatchNorm2d)]
    plain = [m for m in out.features if isinstance(m, nn.Conv2d)]
    for conv, target, bn in zip(convs, plain, norms or [None] * len(convs)):
        w, b = conv.weight.clone(), conv.bias.clone()
        if bn is not None:
            k = bn.weight / torch.sqrt(bn.running_var + bn.eps)
            w, b = w * k.view(-1, 1, 1, 1), (b - bn.running_mean) * k + bn.bias
        target.weight.copy_(w)
        target.bias.copy_(b)
    out.head.load_state_dict(net.head.state_dict())
    return out


def count_parameters(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())
