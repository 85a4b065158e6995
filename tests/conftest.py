"""Shared fixtures: MNIST location, the built site, a static server, and Chromium."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def mnist() -> Path:
    """MNIST from the project's one resolver: found where it is, else downloaded and verified."""
    from train.data import mnist_dir
    return mnist_dir()


@pytest.fixture(scope="session")
def mnist_test(mnist):
    from train.data import load_split
    return load_split(mnist, "test")
