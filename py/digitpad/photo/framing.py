"""A symbol's ink -> the 28x28 image the networks read: framed as MNIST was (their training data),
with the pen the pad's drawings get.

On a photo the ink has grey levels of its own: a stroke is darkest along its middle and fades at
its edges, a pencil's faint stretch is lighter, as MNIST's scanned strokes do. Framed from those
levels (relative to the symbol's usual darkness), not from the thresholded mask alone, a photo's
digit looks more like the MNIST image it was written as: a faint joint of an 8 stays a joint
instead of a gap or a blot (docs/photos.md, "Grey levels").
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter

from .ink import median

from ..render import BOX, MNIST_PEN, SIZE, SS, mass_shift, shift_image


def stroke_width(mask: np.ndarray) -> float:
    """About 2 x area / outline: the width of a pen line in pixels."""
    inner = mask.copy()
    inner[1:, :] &= mask[:-1, :]
    inner[:-1, :] &= mask[1:, :]
    inner[:, 1:] &= mask[:, :-1]
    inner[:, :-1] &= mask[:, 1:]
    edge = int(mask.sum() - inner.sum())
    return 2.0 * float(mask.sum()) / max(edge, 1)


def frame(mask: np.ndarray, darkness: np.ndarray | None = None) -> np.ndarray:
    """A symbol's ink (bool, cropped) as the networks were trained: its pen about MNIST_PEN px at
    28x28 (a thinner pen is widened, as the pad's pen is), fitted with its aspect ratio in
    BOX x BOX, centred by mass in SIZE x SIZE. The work is done at SS x 28 and averaged down.
    With the photo's `darkness` (the same crop), its grey levels are framed: over the ink and a
    pixel around it, scaled so that the ink's median darkness is full ink."""
    h, w = mask.shape
    extent = max(h, w)
    pen = stroke_width(mask)
    room, want = BOX * SS, MNIST_PEN * SS
    scale = room / extent
    grow = 0
    if pen * scale < want:            # widen: the centre line fits in room - want, the pen on top
        scale = (room - want) / max(extent - pen, 1.0)
        grow = int(round((want - pen * scale) / 2))
    img = Image.fromarray(mask.astype(np.uint8) * 255)
    if darkness is not None and mask.any():
        near = np.asarray(img.filter(ImageFilter.MaxFilter(3))) > 0
        full = max(median(darkness[mask]), 1e-3)
        img = Image.fromarray((np.clip(darkness / full, 0, 1) * near * 255).astype(np.uint8))
    small = img.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.BOX)
    if grow > 0:
        padded = Image.new("L", (small.width + 2 * grow, small.height + 2 * grow), 0)
        padded.paste(small, (grow, grow))
        small = padded.filter(ImageFilter.MaxFilter(2 * grow + 1))
    hi = SIZE * SS
    canvas = Image.new("L", (hi, hi), 0)
    canvas.paste(small, ((hi - small.width) // 2, (hi - small.height) // 2))
    dx, dy = mass_shift(np.asarray(canvas))
    return np.asarray(shift_image(canvas, dx, dy).reduce(SS), np.float32) / 255
