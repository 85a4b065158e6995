"""What the networks see: strokes rendered MNIST-style into a 28x28 float32 image.

MNIST's recipe (LeCun et al.): white ink on black, the symbol fitted in a 20x20 box with its
aspect ratio kept, anti-aliased to grey, then placed in 28x28 so that its centre of mass is at
the centre. We rasterize at SS times the resolution and average SS x SS blocks (area
averaging), which gives the same soft grey edges as MNIST's anti-aliasing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from .strokes import DEFAULT_PEN_WIDTH, PAD, Stroke, ink_bbox

SIZE = 28           # network input side
BOX = 20            # MNIST fits the symbol's ink in a BOX x BOX square
SS = 4              # supersampling factor; 4 is as smooth as 8 to within 1/255 here
MNIST_PEN = 2.4     # stroke width in 28x28 pixels for a default-width pen (MNIST's is ~2-3 px)


def _draw(strokes: list[Stroke], size: int, scale: float, offset, width_scale: float) -> Image.Image:
    """Rasterize strokes into a size x size greyscale image: x -> x*scale + offset.

    Pen paints 255, eraser paints 0, in drawing order. Each stroke is one wide polyline plus a
    disc at every point, which gives round caps and joins (a one-point stroke is a dot, like a
    pen touching paper). Pillow's C drawing calls are used directly: in Pyodide each Python-level
    call costs, and strokes arrive simplified (strokes.simplified), so this is a few dozen calls.
    """
    img = Image.new("L", (size, size), 0)
    if not strokes:
        return img
    core = ImageDraw.Draw(img).draw
    ox, oy = offset
    # every stroke's points mapped in one go (in Pyodide each numpy call costs tens of
    # microseconds); quantized: float noise (1e-13 after 36 rotations) must not flip Pillow's
    # pixel rounding
    flat = np.round(np.concatenate([s.points for s in strokes]) * scale + (ox, oy), 4).ravel().tolist()
    at = 0
    for s in strokes:
        xy, at = flat[at:at + 2 * len(s.points)], at + 2 * len(s.points)
        w = max(s.width * width_scale, 1.0)
        r = w / 2
        ink = 255 if s.is_pen else 0
        if len(xy) > 2:
            core.draw_lines(xy, ink, max(int(round(w)), 1))
        for x, y in zip(xy[::2], xy[1::2]):
            core.draw_ellipse((x - r, y - r, x + r, y + r), ink, 1)
    return img


def _to_float(img: Image.Image, factor: int) -> np.ndarray:
    small = img.reduce(factor) if factor > 1 else img   # reduce() is an exact box (area) average
    return np.asarray(small, dtype=np.float32) / 255.0


def centre_of_mass(a: np.ndarray) -> tuple[float, float] | None:
    """(x, y) centre of mass of a 2-D ink image, or None if it has no ink."""
    total = float(a.sum(dtype=np.float64))
    if total <= 0:
        return None
    h, w = a.shape
    return (float(a.sum(0, dtype=np.float64) @ np.arange(w)) / total,
            float(a.sum(1, dtype=np.float64) @ np.arange(h)) / total)


def shift_image(img: Image.Image, dx: int, dy: int) -> Image.Image:
    """Shift by whole pixels, filling with background (ink pushed off the edge is lost, as in
    MNIST). Pillow's crop past the edge fills with 0, in one C call: no round trip through numpy."""
    w, h = img.size
    return img.crop((-dx, -dy, w - dx, h - dy))


def mass_shift(a: np.ndarray) -> tuple[int, int]:
    """The whole-pixel shift that moves the centre of mass to the image centre."""
    com = centre_of_mass(a)
    if com is None:
        return 0, 0
    return int(round((a.shape[1] - 1) / 2 - com[0])), int(round((a.shape[0] - 1) / 2 - com[1]))


@dataclass(frozen=True)
class Placement:
    """Where the pad landed in the 28x28 image: pixel = (pad * scale + offset) / 28-pixel size."""
    scale: float
    offset: tuple[float, float]
    unit: int                    # hi-res pixels per 28x28 pixel

    def to_pad(self, x: float, y: float) -> tuple[float, float]:
        """A point of the 28x28 image on the pad (for showing the image's cells over the drawing)."""
        if self.scale == 0:
            return self.offset
        return (x * self.unit - self.offset[0]) / self.scale, (y * self.unit - self.offset[1]) / self.scale


def render_placed(strokes: list[Stroke], normalize: bool = True, pen_scale: float = 1.0):
    """(28x28 image, Placement), or (None, None) when there is no pen ink."""
    bbox = ink_bbox(strokes)
    if bbox is None:
        return None, None
    if not normalize:   # a plain area-average downscale of the whole pad
        factor = 10
        k = SIZE * factor / PAD
        return _to_float(_draw(strokes, SIZE * factor, k, (0.0, 0.0), k), factor), Placement(k, (0.0, 0.0), factor)
    hi = SIZE * SS
    width_scale = MNIST_PEN * SS / DEFAULT_PEN_WIDTH * pen_scale   # pad units -> hi-res pixels
    pen_w = max((s.width for s in strokes if s.is_pen), default=DEFAULT_PEN_WIDTH) * width_scale
    x0, y0, x1, y1 = bbox
    extent = max(x1 - x0, y1 - y0)
    room = BOX * SS - pen_w          # the ink (centre line plus half a pen each side) fits BOX
    scale = room / extent if extent > 1e-9 and room > 0 else 0.0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    offset = (hi / 2 - cx * scale, hi / 2 - cy * scale) if scale else (hi / 2, hi / 2)   # a dot: at the centre
    img = _draw(strokes, hi, scale, offset, width_scale)
    dx, dy = mass_shift(np.asarray(img))   # shifting at hi-res = sub-pixel accuracy at 28x28
    placed = Placement(scale, (offset[0] + dx, offset[1] + dy), SS)
    return _to_float(shift_image(img, dx, dy), SS), placed


def render_mnist(strokes: list[Stroke], pen_scale: float = 1.0) -> np.ndarray | None:
    """Normalized rendering: fit to 20x20, centre by mass. None when there is no pen ink.

    Stroke width does not depend on how big the person drew: a default pen becomes MNIST_PEN
    pixels wide at 28x28, and ``pen_scale`` (or a wider pen) makes it bolder or thinner.
    """
    return render_placed(strokes, True, pen_scale)[0]


def render_plain(strokes: list[Stroke]) -> np.ndarray | None:
    """Normalization off: a plain area-average downscale of the whole pad to 28x28."""
    return render_placed(strokes, False)[0]


def render(strokes: list[Stroke], normalize: bool = True, pen_scale: float = 1.0) -> np.ndarray | None:
    return render_placed(strokes, normalize, pen_scale)[0]
