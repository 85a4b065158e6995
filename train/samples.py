"""Samples collected in the page (Collect panel) as extra training data.

They are validated by the same digitpad.samples code the page uses, and their strokes are
rendered again by digitpad.render, so training sees them exactly as the page does.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from digitpad import samples
from digitpad.render import render
from digitpad.strokes import Drawing

from .data import DataError


def load(path: Path) -> list[dict]:
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise DataError(f"{path}: cannot be read ({e})") from None
    try:
        return samples.parse(text)
    except samples.SampleError as e:
        raise DataError(f"{path}: {e}") from None


def _images(items: list[dict]) -> np.ndarray:
    out = [render(Drawing.from_json(s["strokes"]).strokes, normalize=True) for s in items]
    return np.stack(out)[:, None].astype(np.float32) if out else np.zeros((0, 1, 28, 28), np.float32)


def digit_samples(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(images, labels) of the samples labelled 0-9."""
    items = [s for s in load(path) if s["label"] != "not-digit"]
    return _images(items), np.array([int(s["label"]) for s in items], np.int64)


def digit_or_not_samples(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(images, is_digit) of every sample."""
    items = load(path)
    return _images(items), np.array([s["label"] != "not-digit" for s in items], np.int64)
