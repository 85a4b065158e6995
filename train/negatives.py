"""Non-digits a person might draw instead of a digit, as pen strokes.

Four kinds, all drawn as pen strokes with random pens, tilt and hand wobble and rendered by
digitpad exactly as the page renders a drawing:
* hands: letters and symbols of the Hershey single-stroke vector fonts (script, cursive, roman,
  Greek, Cyrillic, Gothic: strokes as a pen draws them), a few hands held out for the report;
* glyphs: letters from handwriting-style TrueType fonts, traced to centre-line strokes, a few
  families held out;
* shapes: stars, hearts, arrows, ticks, smileys, and multi-part symbols (% = ÷ ± # ...);
* scribbles: random walks, cross-outs, random strokes.

Look-alike policy (docs/models.md, "Digit look-alikes"): a symbol that people also write as a digit is
*never* a negative, because the page cannot know which one was meant and a 0-like O must not
teach the digit-or-not model that 0s are not digits. LOOKALIKES lists what is left out, and why.
"""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from digitpad.render import render
from digitpad.strokes import PAD, Stroke, make_stroke
from digitpad import transforms
from digitpad.strokes import Drawing

from .hand_fonts import debian_fonts
from .trace import image_to_strokes
from .traced import jitter

LOOKALIKES = {
    "0": "OoQDC",          # round closed shapes (a handwritten D is a 0 with a flat side)
    "1": "Il|i!j/\\()[]{}",  # single upright strokes
    "2": "Zz?",
    "3": "",
    "4": "y",              # a handwritten y is often a 4 with an open top
    "5": "Ss$",
    "6": "bG",
    "7": "",
    "8": "B&",
    "9": "gqa",            # a single-storey a is a 9 with a short tail
}
EXCLUDED = set("".join(LOOKALIKES.values()))
CHARS = [c for c in string.ascii_letters + "+=#%@*<>~^×÷€£" if c not in EXCLUDED]



def fonts(heldout: bool) -> list[Path]:
    """Debian's handwriting fonts (hand_fonts.py), held-out families apart: the shipped network's
    glyphs and its report's. The npm families are written.py's (letters and words)."""
    return debian_fonts(heldout)


@lru_cache(maxsize=4096)
def glyph_strokes(font: str, char: str) -> tuple[Stroke, ...]:
    """Centre-line strokes of one glyph (cached: tracing is the slow part)."""
    try:
        f = ImageFont.truetype(font, 46)
    except OSError:
        return ()
    img = Image.new("L", (64, 64), 0)
    d = ImageDraw.Draw(img)
    box = d.textbbox((0, 0), char, font=f)
    if box[2] - box[0] < 2 or box[3] - box[1] < 2:
        return ()
    d.text((32 - (box[0] + box[2]) / 2, 32 - (box[1] + box[3]) / 2), char, font=f, fill=255)
    return tuple(image_to_strokes(np.asarray(img, np.float32) / 255, threshold=0.5, upsample=1, step=2,
                                  fill_factor=0))


# ---- shapes, as polylines in a unit box centred on 0 ----------------------------------------
def _circle(n=40, r=1.0, a0=0, a1=360, cx=0, cy=0):
    t = np.radians(np.linspace(a0, a1, n))
    return np.c_[cx + r * np.cos(t), cy + r * np.sin(t)]


def _polygon(k, r=1.0, rot=-90):
    t = np.radians(np.arange(k + 1) * 360 / k + rot)
    return np.c_[r * np.cos(t), r * np.sin(t)]


def _star(rng):
    k = int(rng.integers(5, 7))
    t = np.radians(np.arange(2 * k + 1) * 180 / k - 90)
    r = np.where(np.arange(2 * k + 1) % 2 == 0, 1.0, rng.uniform(0.35, 0.5))
    return [np.c_[r * np.cos(t), r * np.sin(t)]]


def _heart(rng):
    t = np.linspace(0, 2 * np.pi, 60)
    return [np.c_[16 * np.sin(t) ** 3, -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))] / 16]


def _zigzag(k):
    return np.c_[np.linspace(-1, 1, k), np.tile([-0.5, 0.5], k)[:k]]


def _arrow(rng):
    head = rng.uniform(0.3, 0.5)
    return [np.array([[-1, 0], [1, 0]]), np.array([[1 - head, -head], [1, 0], [1 - head, head]])]


SHAPES = {
    "triangle": lambda rng: [_polygon(3)],
    "square": lambda rng: [_polygon(4, rot=45) * [rng.uniform(0.85, 1), 1]],   # tall ones read as 0
    "pentagon": lambda rng: [_polygon(5)],
    "star": _star,
    "heart": _heart,
    "arrow": _arrow,
    "cross": lambda rng: [np.array([[-1, -1], [1, 1]]), np.array([[1, -1], [-1, 1]])],
    "plus": lambda rng: [np.array([[0, -1], [0, 1]]), np.array([[-1, 0], [1, 0]])],
    "tick": lambda rng: [np.array([[-1, 0], [-0.4, 0.7], [1, -1]])],
    "smiley": lambda rng: [_circle(), _circle(8, 0.08, cx=-0.35, cy=-0.3), _circle(8, 0.08, cx=0.35, cy=-0.3),
                           _circle(20, 0.55, 20, 160)],
    "hash": lambda rng: [np.array([[-0.4, -1], [-0.5, 1]]), np.array([[0.5, -1], [0.4, 1]]),
                         np.array([[-1, -0.35], [1, -0.35]]), np.array([[-1, 0.35], [1, 0.35]])],
    "asterisk": lambda rng: [np.array([[0, -1], [0, 1]]), np.array([[-0.9, -0.5], [0.9, 0.5]]),
                             np.array([[-0.9, 0.5], [0.9, -0.5]])],
    "lightning": lambda rng: [np.array([[0.3, -1], [-0.4, 0.1], [0.3, 0.0], [-0.3, 1]])],
    "spiral": lambda rng: [np.c_[np.linspace(0.05, 1, 80) * np.cos(np.linspace(0, 5 * np.pi, 80)),
                                 np.linspace(0.05, 1, 80) * np.sin(np.linspace(0, 5 * np.pi, 80))]],
    "zigzag": lambda rng: [_zigzag(2 * int(rng.integers(3, 6)) + 1)],
    "wave": lambda rng: [np.c_[np.linspace(-1, 1, 60), 0.4 * np.sin(np.linspace(0, rng.uniform(3, 6) * np.pi, 60))]],
    "house": lambda rng: [np.array([[-0.7, 1], [-0.7, -0.1], [0, -0.9], [0.7, -0.1], [0.7, 1], [-0.7, 1]])],
    "diamond_x": lambda rng: [_polygon(4), np.array([[-1, 0], [1, 0]]), np.array([[0, -1], [0, 1]])],
    # multi-part symbols: each part alone may look like a stroke of a digit, together they do not
    "percent": lambda rng: [np.array([[0.7, -1], [-0.7, 1]]), _circle(14, 0.25, cx=-0.5, cy=-0.6),
                            _circle(14, 0.25, cx=0.5, cy=0.6)],
    "equals": lambda rng: [np.array([[-1, -0.3], [1, -0.3]]), np.array([[-1, 0.3], [1, 0.3]])],
    "divide": lambda rng: [np.array([[-1, 0], [1, 0]]), _circle(8, 0.1, cy=-0.6), _circle(8, 0.1, cy=0.6)],
    "plusminus": lambda rng: [np.array([[0, -1], [0, 0.3]]), np.array([[-0.8, -0.35], [0.8, -0.35]]),
                              np.array([[-0.8, 0.8], [0.8, 0.8]])],
    "not_equal": lambda rng: [np.array([[-1, -0.3], [1, -0.3]]), np.array([[-1, 0.3], [1, 0.3]]),
                              np.array([[0.4, -0.9], [-0.4, 0.9]])],
}


def _scribble(rng):
    # long and tangled: a short smooth random walk is too often a 2, 5, 8 or S by chance
    n = int(rng.integers(120, 300))
    ang = np.cumsum(rng.normal(0, rng.uniform(0.5, 1.0), n))
    p = np.cumsum(np.c_[np.cos(ang), np.sin(ang)], axis=0)
    return [p - p.mean(0)]


def _crossout(rng):
    k = int(rng.integers(5, 10))   # 3 or 4 lines read as a Z or a 2
    ys = np.linspace(-1, 1, k)
    pts = [[(-1 if i % 2 == 0 else 1) + rng.normal(0, 0.1), y + rng.normal(0, 0.05)] for i, y in enumerate(ys)]
    return [np.array(pts)]


def _random_strokes(rng):
    # 3-6 strokes of 3-5 points: two random lines are too often a 4, a 7 or an X-like 1
    return [rng.uniform(-1, 1, (int(rng.integers(3, 6)), 2)) for _ in range(int(rng.integers(3, 7)))]


SCRIBBLES = {"scribble": _scribble, "crossout": _crossout, "random_strokes": _random_strokes}


def _place(polys, rng) -> list[Stroke]:
    """Unit-box polylines -> pad strokes with a random size, place, aspect, wobble and pen."""
    size = rng.uniform(60, 120)
    aspect = np.exp(rng.normal(0, 0.15))
    centre = rng.uniform(PAD * 0.35, PAD * 0.65, 2)
    width = float(rng.uniform(10, 30))
    out = []
    for p in polys:
        p = np.asarray(p, float) * [size * aspect, size / aspect] + centre
        p = p + rng.normal(0, 1.2, p.shape)                  # a hand is not a ruler
        s = make_stroke(p, width=width)
        if s is not None:
            out.append(s)
    return out


# Hershey single-stroke fonts (the Hershey-Fonts package), Latin hands only: the Gothic, Greek and
# Cyrillic sets map ASCII to glyphs people read as digits (a Gothic r is a 1, a Cyrillic Ze a 3),
# and the look-alike policy cannot be applied by character there. Held-out hands are never trained on.
HANDS = ("futural", "futuram", "cursive", "scriptc", "rowmand", "rowmans", "rowmant", "timesr", "timesrb")
HELDOUT_HANDS = ("scripts", "timesi", "timesib")


@lru_cache(maxsize=None)
def _hershey(font: str):
    from HersheyFonts import HersheyFonts
    f = HersheyFonts()
    f.load_default_font(font)
    return f


@lru_cache(maxsize=8192)
def hand_strokes(font: str, char: str) -> tuple[np.ndarray, ...]:
    """The strokes of one character of a Hershey font, y down, centred on 0, height about 2."""
    strokes = [np.asarray(s, float) for s in _hershey(font).strokes_for_text(char) if len(s) >= 2]
    if not strokes:
        return ()
    pts = np.concatenate(strokes)
    lo, hi = pts.min(0), pts.max(0)
    size = max(hi - lo) / 2
    if size < 1:
        return ()
    return tuple((p - (lo + hi) / 2) / size for p in strokes)


def _hand(rng, hands) -> list[Stroke]:
    for _ in range(20):
        polys = hand_strokes(hands[rng.integers(len(hands))], CHARS[rng.integers(len(CHARS))])
        if polys:
            return jitter(_place(polys, rng), rng)
    return _place(_scribble(rng), rng)


def _glyph(rng, font_list) -> list[Stroke]:
    for _ in range(20):
        strokes = glyph_strokes(str(font_list[rng.integers(len(font_list))]), CHARS[rng.integers(len(CHARS))])
        if strokes:
            width = float(rng.uniform(10, 30))
            zoom = rng.uniform(0.6, 1.1)
            d = transforms.zoom(Drawing([Stroke(s.points, s.tool, width) for s in strokes]), zoom)
            return jitter(d.strokes, rng)
    return _place(_scribble(rng), rng)


def generate(n: int, seed: int, heldout: bool = False, normalize_p: float = 0.85) -> tuple[np.ndarray, list[str]]:
    """n rendered non-digits, float32 [n,1,28,28], and the kind of each ('glyph', 'star', ...)."""
    rng = np.random.default_rng(seed)
    font_list = fonts(heldout)
    if not font_list:
        raise RuntimeError("no handwriting fonts found: install the Debian font packages (see README)")
    hands = HELDOUT_HANDS if heldout else HANDS
    images, kinds = [], []
    shape_names, scribble_names = list(SHAPES), list(SCRIBBLES)
    while len(images) < n:
        r = rng.random()
        if r < 0.35:
            kind, strokes = "hand", _hand(rng, hands)
        elif r < 0.6:
            kind, strokes = "glyph", _glyph(rng, font_list)
        elif r < 0.85:
            kind = shape_names[rng.integers(len(shape_names))]
            strokes = jitter(_place(SHAPES[kind](rng), rng), rng, rotate=30)
        else:
            kind = scribble_names[rng.integers(len(scribble_names))]
            strokes = _place(SCRIBBLES[kind](rng), rng)
        img = render(strokes, normalize=bool(rng.random() < normalize_p))
        if img is None or img.sum() < 3:
            continue
        images.append(img)
        kinds.append(kind)
    return np.stack(images)[:, None].astype(np.float32), kinds
