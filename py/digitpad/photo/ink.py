"""A grey photo -> the ink on it, as a boolean mask, upright, with the paper's rules taken out.

1. **Polarity.** Ink is thin and sparse: a closing (max then min filter, wider than a pen) fills
   dark strokes but leaves the edge of a dark region (the table, a shadow) where it was. Where
   the far tail of closing - picture is stronger than that of picture - opening, the ink is dark
   on light; otherwise light on dark (chalk, an inverted whiteboard photo), and the picture is
   inverted so ink is dark from here on.
2. **Light.** The paper's own brightness is estimated on a small copy (a closing wider than a
   stroke, then a slight blur) and divided out: a shadow or a lamp's falloff becomes flat paper,
   and the table beyond the paper's edge keeps its own level, so it is not ink.
3. **Threshold.** Adaptive to the photo: above the paper's noise (its median absolute deviation)
   and a share of the strongest ink, so a pencil is found and JPEG noise is not.
4. **Upright.** The turn (±8°) whose row profile is sharpest, on a small copy of the mask (ruled
   lines and lines of writing both make it sharp), then the shear (±8°) whose column profile is
   (squared paper, a box's sides). The darkness image is warped by both, in one resampling.
5. **Rules.** Ink in long horizontal or vertical runs is a ruled or squared paper's line, or a
   printed box's edge; it is taken out where the ink is no thicker than the rule, so a stroke
   that crosses or follows a rule stays whole.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

MARGIN = 0.08         # the turn is measured without this share of each side
TABLE_CONTRAST = 0.45   # the table beyond a sheet is this much darker than the sheet (its 75th percentile)
STATS = 3              # statistics of the picture's grey levels are taken on every 3rd row and column
SMALL = 160            # the light estimate's copy, longest side
SKEW_SIDE = 300        # the deskew search's copy, longest side
SKEW_RANGE, SKEW_STEP = 8.0, 0.5   # degrees, for the turn and the shear alike
MIN_CONTRAST = 0.10    # darkness below this share of the paper's brightness is never ink
STRONG = 0.25          # ... and below this share of the strongest ink (a printed box's black beside pencil)
POLARITY_SIDE = 600    # the polarity is found on a copy this size (longest side) ...
WIDE_PEN = 9           # ... with filters this wide: wider than a pen there
SAME_PAPER = 0.12      # ... counting ink only where the filter filled it in with paper (within this of the paper around)
FAINT = 0.5            # rules are followed down to this share of the ink's threshold


def median(a) -> float:
    """np.median reaches for numpy.ma (a NaN check), which the page does not ship."""
    a = np.asarray(a).ravel()
    return float(np.partition(a, len(a) // 2)[len(a) // 2]) if len(a) else 0.0


@dataclass(frozen=True)
class Upright:
    """What the camera's next frames take from this one (the same paper, held the same way): which
    way round the ink is, and the turn and shear that make the writing upright. Searching them is
    most of the cleaning (in the page, at 800 px: 255-310 ms a frame with the search, 40-55 without)."""
    inverted: bool
    angle: float              # degrees, as Image.rotate turns
    shear: float              # x moves by this per row


@dataclass
class Ink:
    mask: np.ndarray          # bool [h, w], True = ink, upright
    darkness: np.ndarray      # float32 [h, w] in [0, 1], upright
    matrix: np.ndarray        # 3x3: a point of the upright mask -> the same point of the photo
    inverted: bool            # light ink on dark ground
    rules: np.ndarray         # bool [h, w]: the ink taken out as rules and boxes
    upright: Upright


def _rank(a: np.ndarray, size: int, fn) -> np.ndarray:
    """A square max or min filter (fn: np.maximum, np.minimum), separable, the edges repeated:
    `size` shifted copies per axis, far faster than a sliding window or PIL's rank filter."""
    r = size // 2
    for axis in (0, 1):
        n = a.shape[axis]
        pad = [(0, 0), (0, 0)]
        pad[axis] = (r, r)
        p = np.pad(a, pad, mode="edge")
        out = np.take(p, range(n), axis).copy()
        for i in range(1, size):
            fn(out, np.take(p, range(i, i + n), axis), out=out)
        a = out
    return a


def polarity_is_light(g: np.ndarray) -> bool:
    """Whether the ink is lighter than the paper. Ink is thin: a closing (a max filter wider than
    the pen, then a min filter) fills a dark stroke and leaves the edge of a dark region (the table
    beyond the paper, a shadow) where it was, so closing - picture is dark ink, and picture -
    opening light ink. But the paper inside a 0, or between two strokes, is "light and thin" too:
    it counts only where what the filter filled it with is the paper around (a wide median), not
    ink. The side with more ink (contrast above the noise, summed) wins. The margins are left out."""
    h, w = g.shape
    img = Image.fromarray(np.clip(g * 255, 0, 255).astype(np.uint8))
    f = max(1, int(max(h, w) / POLARITY_SIDE))
    small = img.reduce(f) if f > 1 else img
    px = np.asarray(small, np.int16)
    sh, sw = px.shape
    around = small.reduce(max(1, int(max(sh, sw) / SMALL))).filter(ImageFilter.MedianFilter(5))
    around = np.asarray(around.resize((sw, sh), Image.BILINEAR), np.int16)
    inner = (slice(int(sh * MARGIN), sh - int(sh * MARGIN)), slice(int(sw * MARGIN), sw - int(sw * MARGIN)))
    closed = _rank(_rank(px, WIDE_PEN, np.maximum), WIDE_PEN, np.minimum)
    opened = _rank(_rank(px, WIDE_PEN, np.minimum), WIDE_PEN, np.maximum)
    t, near = MIN_CONTRAST * 255, SAME_PAPER * 255
    dark = np.where(np.abs(closed - around) < near, closed - px - t, 0)[inner]
    light = np.where(np.abs(opened - around) < near, px - opened - t, 0)[inner]
    return float(np.clip(light, 0, None).sum()) > float(np.clip(dark, 0, None).sum())


def flatten(g: np.ndarray) -> np.ndarray:
    """Darkness in [0, 1] relative to the paper's local brightness (g: ink dark, floats 0-1)."""
    h, w = g.shape
    img = Image.fromarray(np.clip(g * 255, 0, 255).astype(np.uint8))
    f = max(1, int(max(h, w) / SMALL))
    small = img.reduce(f) if f > 1 else img
    # a closing (max, then min) keeps the table at its own level; the min filter one pixel wider
    # than the max keeps the resized light at the table's level up to the paper's edge, not a ramp
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.MinFilter(7)).filter(ImageFilter.GaussianBlur(1))
    bg = np.asarray(paper.resize((w, h), Image.BILINEAR), np.float32) / 255
    return np.clip(1 - g / np.maximum(bg, 0.04), 0, 1)


def table(g: np.ndarray) -> np.ndarray:
    """Beyond the paper's edge (a small copy of the grey picture, ink dark): regions far darker
    than the paper, pixel by pixel, that reach the picture's border and cover some of it. A
    shadow or a lamp's falloff darkens paper too, but not that far."""
    from .symbols import label, paint
    sheet = float(np.percentile(g, 75))
    dark = g < sheet - TABLE_CONTRAST
    if not dark.any():
        return dark
    comp = label(dark)
    b = comp.boxes
    sh, sw = g.shape
    border = (b[:, 0] == 0) | (b[:, 1] == 0) | (b[:, 2] == sw) | (b[:, 3] == sh)
    out = np.zeros_like(dark)
    for i in np.flatnonzero(border & (comp.area >= 0.002 * g.size)):
        x0, y0, x1, y1 = b[i]
        out[y0:y1, x0:x1] |= paint(comp, [i], (x0, y0, x1, y1))
    return out


def ground(d: np.ndarray, t: float, g: np.ndarray) -> np.ndarray:
    """Where the "ink" is a wide dark band or area, not writing: the table beyond the paper's edge
    (the light estimate bleeds the paper's brightness a little past it), a shadow's core. Found on
    a small copy, where a pen stroke is a pixel or two wide: what survives an opening there and
    runs longer than any symbol (a fifth of the picture) is not writing. Grown by a margin,
    returned at full size (bool)."""
    from .symbols import label, paint         # the run-based labelling, on a tiny mask
    h, w = d.shape
    img = Image.fromarray(np.clip(d * 255, 0, 255).astype(np.uint8))
    f = max(1, int(max(h, w) / SMALL))
    small = img.reduce(f) if f > 1 else img
    dark = small.point(lambda v: 255 if v > t * 255 else 0)
    grey = Image.fromarray(np.clip(g * 255, 0, 255).astype(np.uint8))
    g_small = np.asarray(grey.reduce(f) if f > 1 else grey, np.float32) / 255
    opened = np.asarray(dark.filter(ImageFilter.MinFilter(3)).filter(ImageFilter.MaxFilter(3))) > 0
    comp = label(opened)
    sw, sh = small.size
    long = (comp.boxes[:, 2] - comp.boxes[:, 0] >= sw / 5) | (comp.boxes[:, 3] - comp.boxes[:, 1] >= sh / 5)
    wide = np.zeros((sh, sw), bool)
    for i in np.flatnonzero(long):
        x0, y0, x1, y1 = comp.boxes[i]
        wide[y0:y1, x0:x1] |= paint(comp, [i], (x0, y0, x1, y1))
    wide |= table(g_small)
    if not wide.any():
        return np.zeros((h, w), bool)
    grown = Image.fromarray(wide.astype(np.uint8) * 255).filter(ImageFilter.MaxFilter(7))
    return np.asarray(grown.resize((w, h), Image.NEAREST)) > 0


def threshold(d: np.ndarray) -> float:
    d = d[::STATS, ::STATS]
    med = float(median(d))
    sigma = 1.4826 * float(median(np.abs(d - med)))
    strong = float(np.percentile(d, 99.9))
    return max(MIN_CONTRAST, med + 5 * sigma, STRONG * strong)


def rotation(angle: float, cx: float, cy: float) -> np.ndarray:
    """3x3: a point of the picture turned by `angle` degrees (counter-clockwise, about (cx, cy),
    as Image.rotate turns it) -> the same point in the picture before the turn."""
    t = np.radians(angle)
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, -s, cx - c * cx + s * cy], [s, c, cy - s * cx - c * cy], [0, 0, 1.0]])


def shear(k: float, cy: float) -> np.ndarray:
    """3x3: x moves by k per row below cy (a photo taken a little from the side)."""
    return np.array([[1, k, -k * cy], [0, 1, 0], [0, 0, 1.0]])


def _warp(img: Image.Image, m: np.ndarray, resample=Image.BILINEAR) -> Image.Image:
    return img.transform(img.size, Image.AFFINE, tuple(m[:2].ravel()), resample, fillcolor=0)


def _sharpness(img: Image.Image, axis: int) -> float:
    return float((np.diff(np.asarray(img, np.float32).sum(axis)) ** 2).sum())


def upright(mask: np.ndarray) -> tuple[float, float]:
    """(angle, shear) that take this picture upright: the turn whose rows are sharpest (ruled lines
    and lines of writing both make them sharp), then the shear whose columns are (squared paper,
    a box's sides). Each is kept only if it sharpens the profile by a clear margin."""
    h, w = mask.shape
    # the middle of the picture: the paper's edge and the table beyond it (at the margins of a
    # phone photo) are long straight lines at their own angle
    my, mx = int(h * MARGIN), int(w * MARGIN)
    img = Image.fromarray(mask[my:h - my, mx:w - mx].astype(np.uint8) * 255)
    f = max(1, int(max(h, w) / SKEW_SIDE))
    small = img.reduce(f) if f > 1 else img
    if not np.asarray(small).any():
        return 0.0, 0.0
    sw, sh = small.size
    def best(make, axis):         # whole degrees, then half a degree either side of the best
        score = {}
        for v in np.arange(-SKEW_RANGE, SKEW_RANGE + 1e-9, 2 * SKEW_STEP):
            score[float(v)] = _sharpness(_warp(small, make(float(v))), axis)
        top = max(score, key=score.get)
        for v in (top - SKEW_STEP, top + SKEW_STEP):
            score[v] = _sharpness(_warp(small, make(v)), axis)
        top = max(score, key=score.get)
        return top if score[top] > 1.05 * score[0.0] else 0.0

    angle = best(lambda a: rotation(a, sw / 2, sh / 2), 1)
    turned = rotation(angle, sw / 2, sh / 2)
    k = np.tan(np.radians(best(lambda a: turned @ shear(np.tan(np.radians(a)), sh / 2), 0)))
    return angle, float(k)


def long_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """The pixels of horizontal runs of ink at least `length` long (few: each is painted alone)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded.ravel())
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    keep = (ends - starts) >= length
    out = np.zeros(padded.size, bool)
    for a, b in zip((starts[keep] + 1).tolist(), (ends[keep] + 1).tolist()):
        out[a:b] = True
    return out.reshape(h, w + 2)[:, 1:-1]


def run_lengths(mask: np.ndarray) -> np.ndarray:
    """For each ink pixel, the length of the horizontal run of ink it is in (0 off the ink)."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded.ravel())
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    n = ends - starts
    out = np.zeros(padded.size, np.int32)
    pos = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n) + np.repeat(starts + 1, n)
    out[pos] = np.repeat(n, n)
    return out.reshape(h, w + 2)[:, 1:-1]


def remove_rules(mask: np.ndarray, h_len: int, v_len: int, faint: np.ndarray | None = None,
                 margin: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """(mask without long horizontal and vertical rules, the rules taken out).

    Rules are looked for on `faint` (the ink at a lower threshold, default the mask itself)
    thickened by one row, so that a pale rule that the threshold broke into dashes, or one a
    pixel off level, still runs long; with a pixel's margin for their soft edges. Only where the
    ink is as thin as the rule itself (its run across the rule at most `margin` longer than the
    rule's usual width) is it taken out: a stroke that crosses a rule, or runs along it, is
    thicker there and stays whole.
    """
    src = mask if faint is None else faint
    out = []
    for m, length, axis in ((src, h_len, 0), (src.T, v_len, 1)):
        grown = m.copy()
        grown[1:] |= m[:-1]
        found = long_runs(grown, length)
        found[1:] |= found[:-1].copy()
        found[:-1] |= found[1:].copy()
        out.append(found if axis == 0 else found.T)
    horiz, vert = out[0] & mask, out[1] & mask
    rules = np.zeros_like(mask)
    for axis, found, across in ((0, horiz, run_lengths(mask.T).T), (1, vert, run_lengths(mask))):
        if found.any():
            usual = median(across[found])
            thin = found & (across <= usual + margin)
            # a stroke crossing the rule at a slant is as thin as the rule where they meet: ink
            # within reach on both sides of the rule says it goes on
            reach = int(usual) + margin + 2
            rest = mask & ~thin
            thin &= ~(_beyond(rest, reach, axis, 1) & _beyond(rest, reach, axis, -1))
            rules |= thin
    return mask & ~rules, rules


def _beyond(mask: np.ndarray, k: int, axis: int, sign: int) -> np.ndarray:
    """Whether there is ink within k pixels on one side, along an axis (0: rows, 1: columns)."""
    out = np.zeros_like(mask)
    n = mask.shape[axis]
    for step in range(1, min(k, n - 1) + 1):
        src, dst = [slice(None)] * 2, [slice(None)] * 2
        src[axis], dst[axis] = (slice(step, None), slice(None, n - step)) if sign > 0 else \
            (slice(None, n - step), slice(step, None))
        out[tuple(dst)] |= mask[tuple(src)]
    return out


def find_ink(grey: Image.Image, known: Upright | None = None) -> Ink:
    """known: the polarity and turn of the frame before (the live camera), not searched again."""
    g = np.asarray(grey, np.float32) / 255
    inverted = polarity_is_light(g) if known is None else known.inverted
    if inverted:
        g = 1 - g
    d = flatten(g)
    t = threshold(d)
    d[ground(d, t, g)] = 0
    angle, k = upright(d > t) if known is None else (known.angle, known.shear)
    h, w = d.shape
    matrix = rotation(angle, w / 2, h / 2) @ shear(k, h / 2)
    if not np.allclose(matrix, np.eye(3)):
        d = np.asarray(_warp(Image.fromarray((d * 255).astype(np.uint8)), matrix), np.float32) / 255
    smooth = np.asarray(Image.fromarray((d * 255).astype(np.uint8)).filter(ImageFilter.BoxBlur(1)), np.float32) / 255
    mask = smooth > t
    # rules and grid lines run most of the way across; a box's edges are handled by symbols.py
    clean, rules = remove_rules(mask, max(40, w // 5), max(40, h // 5), faint=smooth > FAINT * t)
    return Ink(clean, d, matrix, inverted, rules, Upright(inverted, angle, k))
