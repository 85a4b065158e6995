"""The two networks: the digit CNN of DESIGN.md (594,922 parameters) and the digit-or-not gate."""
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


def features() -> nn.Sequential:
    """Conv 32, Conv 32, MaxPool, Conv 64, Conv 64, MaxPool, Flatten -> 1024 (valid 3x3 convs)."""
    return nn.Sequential(
        Normalize(),
        nn.Conv2d(1, 32, 3), nn.ReLU(),
        nn.Conv2d(32, 32, 3), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(),
        nn.Conv2d(64, 64, 3), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
    )


def head(outputs: int, hidden: int = 512) -> nn.Sequential:
    return nn.Sequential(nn.Dropout(0.25), nn.Linear(1024, hidden), nn.ReLU(),
                         nn.Dropout(0.5), nn.Linear(hidden, outputs))


class DigitNet(nn.Module):
    """Returns logits; export wraps it with Softmax to give `probabilities`."""

    def __init__(self):
        super().__init__()
        self.features = features()
        self.head = head(10)

    def forward(self, x):
        return self.head(self.features(x))


class GateNet(nn.Module):
    """Digit-or-not (index 1 = digit): the digit net's convolutions under new dense layers."""

    def __init__(self, digit_net: DigitNet | None = None, hidden: int = 128):
        super().__init__()
        self.features = features()
        if digit_net is not None:
            self.features.load_state_dict(digit_net.features.state_dict())
        self.head = head(2, hidden)

    def forward(self, x):
        return self.head(self.features(x))


class WithSoftmax(nn.Module):
    def __init__(self, net: nn.Module):
        super().__init__()
        self.net = net

    def forward(self, image):
        return torch.softmax(self.net(image), dim=1)


def count_parameters(net: nn.Module) -> int:
    return sum(p.numel() for p in net.parameters())
