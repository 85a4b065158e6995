"""Activations and weights as pixels: the scaling and layout the panel paints as they are.

Activations (all >= 0 after a ReLU or a max-pool) become grey bytes, one scale per layer (white
is the layer's largest value), so maps of one layer compare at a glance. Weights are signed:
orange for positive, blue for negative, white for zero, one scale per picture.
"""
from __future__ import annotations

import numpy as np

POSITIVE = np.array([217, 72, 15], np.float32)      # the page's orange
NEGATIVE = np.array([28, 126, 214], np.float32)     # and blue
TINY = 1e-12


def grey(values: np.ndarray, top: float | None = None) -> tuple[bytes, float]:
    """values scaled so that `top` (default: their largest) is 255; (bytes, the top used)."""
    top = float(values.max()) if top is None else float(top)
    scaled = np.clip(values * (255.0 / max(top, TINY)), 0, 255)
    return np.round(scaled).astype(np.uint8).tobytes(), top


def signed_rgba(values: np.ndarray) -> np.ndarray:
    """[h, w] signed values -> [h, w, 4] RGBA; NaN (the gaps of a layout) is transparent."""
    v = np.nan_to_num(values, nan=0.0)
    top = max(float(np.abs(v).max()), TINY)
    t = np.clip(np.abs(v) / top, 0, 1)[..., None]
    colour = np.where(v[..., None] >= 0, POSITIVE, NEGATIVE)
    rgb = 255.0 * (1 - t) + colour * t
    alpha = np.where(np.isnan(values), 0, 255)[..., None]
    return np.concatenate([rgb, alpha], axis=-1).round().astype(np.uint8)


def grid(images: np.ndarray, cols: int, gap: int = 1, fill: float = np.nan) -> np.ndarray:
    """[n, h, w] laid out `cols` to a row with `gap` pixels of `fill` between them: [H, W]."""
    n, h, w = images.shape
    rows = -(-n // cols)
    cells = np.full((rows * cols, h + gap, w + gap), fill, np.float32)
    cells[:n, :h, :w] = images
    out = cells.reshape(rows, cols, h + gap, w + gap).transpose(0, 2, 1, 3).reshape(rows * (h + gap), cols * (w + gap))
    return out[:out.shape[0] - gap, :out.shape[1] - gap]


def picture(rgba: np.ndarray) -> dict:
    """An RGBA picture as the page receives it (bytes travel as base64)."""
    return {"w": int(rgba.shape[1]), "h": int(rgba.shape[0]), "rgba": rgba.tobytes()}


def strongest(maps: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each map [n, h, w] its largest value and where: (values, rows, columns)."""
    flat = maps.reshape(len(maps), -1)
    at = flat.argmax(axis=1)
    return flat[np.arange(len(maps)), at], at // maps.shape[2], at % maps.shape[2]
