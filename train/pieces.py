"""What a cut gives the networks: touching MNIST digits cut as the photo reader cuts them.

A run of 2-3 digits is written so that neighbours touch (photo_make's placement), and the page's
own code (digitpad.photo.cuts) cuts it and frames each candidate symbol, a run of consecutive
pieces, as the reader does. Each candidate is labelled by whose ink it holds:

* **a digit** when it holds nearly all of one digit's ink and little else: a digit with a stub
  of its neighbour, or missing a bit of its own. The digit network trains on these with that
  digit's label, and digit-or-not as digits.
* **two digits** when it holds most of two digits, and **half a digit** when it holds a part of
  one only: digit-or-not's negatives. A narrow part (a 4's upright, half of a 0) looks like a 1
  or a bracket, which MNIST's 1s and the look-alike policy (negatives.LOOKALIKES) keep as digits:
  such parts are left out rather than taught as non-digits.
"""
from __future__ import annotations

import numpy as np

from digitpad.photo.cuts import cut_touching
from digitpad.photo.framing import frame
from digitpad.photo.symbols import label, paint
from digitpad.segment import MAX_RUN

from .photo_make import _digit_mask, _extend, _touching

HEIGHT = 60         # px: a digit's height when it is written (the reader's photos have 40-80)
COVER = 0.9         # a digit piece holds this share of its digit's ink at least ...
PURE = 0.8          # ... and of its own ink this share is that digit's
HALF = 0.45         # a part holds less than this share of its digit: more is often a digit itself
NARROW = 0.5        # a part narrower than this share of its height may be a 1 or a bracket: left out


def touching_run(images: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The digits `images` written left to right, each touching the one before: (darkness float
    [h, w] 0-1, owner int [h, w]: -1 paper, else the digit's place in the run)."""
    k = len(images)
    masks = [np.asarray(_digit_mask(img, int(HEIGHT * rng.uniform(0.85, 1.15))), np.float32) / 255 for img in images]
    side = max(m.shape[0] for m in masks)
    H, W = side + 2 * HEIGHT, side * (k + 1)
    dark = np.zeros((H, W), np.float32)
    owner = np.full((H, W), -1, int)
    right = np.full(H, -W)
    left = HEIGHT // 2
    for j, m in enumerate(masks):
        ink = m > 100 / 255
        top = HEIGHT + int(HEIGHT * rng.uniform(-0.06, 0.06))
        if j:
            left = _touching(ink, top, right) - int(HEIGHT * rng.uniform(0, 0.03))
        h, w = m.shape
        view = dark[top:top + h, left:left + w]
        owner[top:top + h, left:left + w][ink & (view <= m)] = j
        np.maximum(view, m, out=view)
        _extend(right, ink, left, top)
    return dark, owner


def candidates(dark: np.ndarray, owner: np.ndarray):
    """Every candidate the reader would frame from this run: (28x28 image, digit place or None,
    kind: "digit", "two digits", "half a digit" or "" when it is left out)."""
    mask = owner >= 0
    comp = label(mask)
    ids = [int(i) for i in np.argsort(-comp.area)[:1]]          # the run's ink (touching: one piece)
    b = comp.boxes[ids[0]]
    cut, lines, _ = cut_touching(comp, [ids], [float(b[3] - b[1])])
    pieces = lines[0]
    totals = np.bincount(owner[mask], minlength=owner.max() + 1)
    out = []
    for i in range(len(pieces)):
        for j in range(i + 1, min(len(pieces), i + MAX_RUN) + 1):
            run = pieces[i:j]
            bb = cut.boxes[run]
            box = (int(bb[:, 0].min()), int(bb[:, 1].min()), int(bb[:, 2].max()), int(bb[:, 3].max()))
            m = paint(cut, run, box)
            own = owner[box[1]:box[3], box[0]:box[2]][m]
            counts = np.bincount(own[own >= 0], minlength=len(totals))
            cover = counts / np.maximum(totals, 1)
            d = int(np.argmax(counts))
            if cover[d] >= COVER and counts[d] >= PURE * max(len(own), 1):
                kind = "digit"
            elif (cover >= 0.5).sum() >= 2:
                kind = "two digits"
            elif cover.max() < HALF and (box[2] - box[0]) >= NARROW * (box[3] - box[1]):
                kind = "half a digit"
            else:
                kind = ""
            if kind:
                out.append((frame(m, dark[box[1]:box[3], box[0]:box[2]]), d if kind == "digit" else None, kind))
    return out


def cut_pieces(images: np.ndarray, labels: np.ndarray, digits: int, non_digits: int, seed: int):
    """(digits float32 [digits,1,28,28], their labels, non-digits [non_digits,1,28,28], their kinds),
    cut from touching runs of `images`. Half a digit is at most a quarter of the non-digits: a
    part of a digit is often close to a digit itself (half an 8 is nearly a 3)."""
    rng = np.random.default_rng(seed)
    pos, pos_y, neg, kinds = [], [], [], []
    halves = 0
    while len(pos) < digits or len(neg) < non_digits:
        idx = rng.integers(0, len(images), int(rng.integers(2, 4)))
        dark, owner = touching_run(images[idx], np.random.default_rng(rng.integers(1 << 31)))
        for img, place, kind in candidates(dark, owner):
            if kind == "digit" and len(pos) < digits:
                pos.append(img)
                pos_y.append(int(labels[idx[place]]))
            elif kind not in ("digit", "half a digit") or halves < non_digits // 4:
                if kind != "digit" and len(neg) < non_digits:
                    neg.append(img)
                    kinds.append(kind)
                    halves += kind == "half a digit"

    def stack(v):
        return np.stack(v)[:, None].astype(np.float32) if v else np.zeros((0, 1, 28, 28), np.float32)
    return stack(pos), np.array(pos_y, np.int64), stack(neg), kinds
