"""Why this digit: occlusion sensitivity, in one batch.

Square patches of the 28x28 image that hold ink are hidden in turn (set to background), and the
whole set is classified in one run together with the image itself. A patch's evidence is how
much hiding it lowers the log-odds of the shown digit against the runner-up,
log(p_digit / p_runner): ink the answer rests on scores above zero, ink that speaks for the
runner-up below zero. Log-odds rather than probabilities, because a confident network's
probabilities barely move (0.9999 to 0.999) while its log-odds still tell the parts apart. Each
pixel's heat is the mean evidence of the patches that cover it. With the render's Placement the
page can lay the heat map over the person's own strokes.

Patches of 7 pixels every 5 (about a third of a digit's stroke length): 4-pixel cells hide too
little of a stroke for the network to notice, and the heat then follows noise rather than the bar
of a 7; tests/test_explain.py checks it on that case. The batch is what an explanation costs on
wasm (about 5 ms an image; 22 ms with a batch of 2): 6 pixels every 3 ran 31 images for the
bench's 6 and took 125 ms at the median, 177 ms at p90; 7 every 4 ran 20; 7 every 5 runs 14, with
a blockier map that still puts the evidence on the same strokes.
"""
from __future__ import annotations

import numpy as np

from .render import Placement

PATCH, STRIDE = 7, 5
INK = 0.5                # a patch with less ink than this (sum of pixel values) is not hidden
TINY = 1e-12             # probabilities are floored here before their logarithm


def occlusions(image: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """[image, image with patch 1 hidden, ...] as a batch [n, 1, 28, 28], and each patch's corner."""
    starts = range(0, image.shape[0] - PATCH + 1, STRIDE)
    patches = [(r, c) for r in starts for c in starts if image[r:r + PATCH, c:c + PATCH].sum() > INK]
    batch = np.repeat(image[None], len(patches) + 1, axis=0)
    for k, (r, c) in enumerate(patches, start=1):
        batch[k, r:r + PATCH, c:c + PATCH] = 0.0
    return batch[:, None].astype(np.float32), patches


def heat_map(probs: np.ndarray, patches: list[tuple[int, int]], digit: int, runner: int, size: int = 28) -> np.ndarray:
    """Per-pixel evidence for `digit` over `runner` ([size, size], 0 where no patch was hidden)."""
    logs = np.log(np.maximum(probs.astype(np.float64), TINY))
    margin = logs[:, digit] - logs[:, runner]
    total, count = np.zeros((size, size)), np.zeros((size, size))
    for (r, c), e in zip(patches, margin[0] - margin[1:]):
        total[r:r + PATCH, c:c + PATCH] += e
        count[r:r + PATCH, c:c + PATCH] += 1
    return total / np.maximum(count, 1)


def evidence(probs: np.ndarray, patches: list[tuple[int, int]], placement: Placement | None) -> dict:
    """probs: [1 + len(patches), 10], the image first. The heat map, as the page paints it."""
    base = probs[0]
    order = np.argsort(-base, kind="stable")
    digit, runner = int(order[0]), int(order[1])
    heat = heat_map(probs, patches, digit, runner)
    scale = float(np.abs(heat).max()) or 1.0
    out = {"digit": digit, "runner_up": runner, "p": float(base[digit]), "p_runner_up": float(base[runner]),
           "scale": scale, "heat": (np.round(heat / scale * 127)).astype(np.int8).tobytes()}   # signed bytes
    if placement is not None:    # 28x28 pixel (x, y) lies on the pad at ((x * unit - ox) / s, (y * unit - oy) / s)
        out["placement"] = {"scale": placement.scale, "offset": list(placement.offset), "unit": placement.unit}
    return out
