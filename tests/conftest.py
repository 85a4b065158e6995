"""Shared fixtures: MNIST location, the built site, a static server, and Chromium."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT))


def mnist_dir() -> Path:
    env = os.environ.get("DIGITPAD_MNIST_DIR")
    return Path(env) if env else ROOT.parent / "shared" / "data" / "mnist"


@pytest.fixture(scope="session")
def mnist() -> Path:
    d = mnist_dir()
    if not (d / "t10k-images-idx3-ubyte.gz").exists():
        pytest.fail(f"MNIST not found in {d}: set DIGITPAD_MNIST_DIR (tests that need it cannot run)")
    return d


@pytest.fixture(scope="session")
def mnist_test(mnist):
    from train.data import load_split
    return load_split(mnist, "test")
