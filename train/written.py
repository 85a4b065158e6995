"""Letters, pairs and words written in handwriting fonts, framed as the photo reader frames ink.

A word on a form reaches the networks in pieces: each connected ink, and runs of neighbouring
ones (a letter, two letters, a whole joined word), each framed as MNIST (digitpad.photo.framing).
These are those pieces: a stretch of 1-4 letters of a word, or the word, rendered in a font at a
random size, weight, slant and turn, and framed from its grey levels. Digits written in the same
fonts are made the same way: they must stay digits.

The look-alike policy (negatives.py) holds for every stretch: one made only of letters that people
also write as digits ("lO", "Bo") is never a negative. The confusable letters are reported apart.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from digitpad.photo.framing import frame

from .hand_fonts import ITEMS, PLACES, SCRIPT_ONLY, WORDS, family, handwriting_fonts, heldout_families
from .negatives import EXCLUDED

TEXTS = tuple(ITEMS) + tuple(PLACES) + tuple(WORDS)
# letter -> the digit it is confused with (the pairs); never negatives, reported apart
CONFUSABLE = {"O": "0", "o": "0", "l": "1", "I": "1", "S": "5", "B": "8", "Z": "2", "g": "9", "q": "9", "b": "6"}


@lru_cache(maxsize=256)
def _font(path: str, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, px)


def written(path: str, text: str, rng: np.random.Generator) -> np.ndarray | None:
    """`text` in the font, as the photo reader would frame it: [28, 28] float32, or None."""
    px = int(rng.integers(36, 72))
    font = _font(path, px)
    box = font.getbbox(text)
    w, h = box[2] - box[0], box[3] - box[1]
    if w < 3 or h < 3:
        return None
    pad = px // 2
    img = Image.new("L", (w + 2 * pad, h + 2 * pad), 0)
    ImageDraw.Draw(img).text((pad - box[0], pad - box[1]), text, font=font, fill=255)
    weight = rng.random()
    if weight < 0.25:                               # a broader pen
        img = img.filter(ImageFilter.MaxFilter(3))
    elif weight < 0.35 and px > 50:                 # a finer one
        img = img.filter(ImageFilter.MinFilter(3))
    slant = np.tan(np.radians(rng.uniform(-12, 12)))
    img = img.transform(img.size, Image.AFFINE, (1, slant, -slant * img.height / 2, 0, 1, 0), Image.BILINEAR)
    img = img.rotate(rng.uniform(-8, 8), Image.BILINEAR)
    dark = np.asarray(img, np.float32) / 255
    mask = dark > rng.uniform(0.3, 0.6)
    if mask.sum() < 6:
        return None
    ys, xs = np.nonzero(mask)
    crop = (slice(ys.min(), ys.max() + 1), slice(xs.min(), xs.max() + 1))
    return frame(mask[crop], dark[crop])


def _stretch(rng: np.random.Generator) -> tuple[str, str]:
    """(kind, text): a letter, two letters, 3-4 letters of a word, or a whole word."""
    while True:
        word = str(TEXTS[rng.integers(len(TEXTS))])
        r = rng.random()
        n = 1 if r < 0.3 else 2 if r < 0.55 else int(rng.integers(3, 5)) if r < 0.75 else len(word)
        start = int(rng.integers(0, max(len(word) - n, 0) + 1))
        text = word[start:start + n].strip()
        if text and not set(text.replace(" ", "")) <= EXCLUDED:
            kind = "letter" if len(text) == 1 else "pair" if len(text) == 2 else "word"
            return kind, text


def letters_and_words(n: int, seed: int, heldout: bool = False) -> tuple[np.ndarray, list[str]]:
    """n framed stretches of words (not digits), [n, 1, 28, 28], and each one's kind."""
    rng = np.random.default_rng(seed)
    fonts = [str(p) for p in handwriting_fonts(heldout)]
    images, kinds = [], []
    while len(images) < n:
        kind, text = _stretch(rng)
        img = written(fonts[rng.integers(len(fonts))], text, rng)
        if img is not None:
            images.append(img)
            kinds.append(kind)
    return np.stack(images)[:, None].astype(np.float32), kinds


def font_digits(n: int, seed: int, heldout: bool = False) -> np.ndarray:
    """n digits written in the handwriting fonts (script-only hands left out), framed: digits."""
    rng = np.random.default_rng(seed)
    fonts = [str(p) for p in handwriting_fonts(heldout) if family(p) not in SCRIPT_ONLY]
    images = []
    while len(images) < n:
        img = written(fonts[rng.integers(len(fonts))], str(rng.integers(10)), rng)
        if img is not None:
            images.append(img)
    return np.stack(images)[:, None].astype(np.float32)


def confusables(each: int, seed: int) -> dict[str, np.ndarray]:
    """Each confusable letter, and its digit, `each` times in the held-out fonts."""
    rng = np.random.default_rng(seed)
    fonts = [str(p) for p in handwriting_fonts(True) if family(p) not in SCRIPT_ONLY]
    out = {}
    for c in sorted(set(CONFUSABLE) | set(CONFUSABLE.values())):
        imgs = []
        while len(imgs) < each:
            img = written(fonts[rng.integers(len(fonts))], c, rng)
            if img is not None:
                imgs.append(img)
        out[c] = np.stack(imgs)[:, None].astype(np.float32)
    return out


def gate_report(models, reports, n: int = 2000, each: int = 100, seed: int = 4242) -> dict:
    """`python -m train letters`: the page's graph (combined.onnx, at its digit-or-not threshold)
    on held-out handwriting families: letters, pairs and words rejected, the families' digits
    accepted, and each confusable letter beside its digit. reports/letters.json, docs/models.md."""
    import json

    import onnxruntime as ort

    doc = json.loads((models / "models.json").read_text())
    th = doc["models"]["digit_or_not"]["threshold"]
    sess = ort.InferenceSession(str(models / "combined.onnx"), providers=["CPUExecutionProvider"])
    p_digit = lambda x: sess.run(["digit_or_not"], {"image": x})[0][:, 1]   # noqa: E731
    words, kinds = letters_and_words(n, seed, heldout=True)
    p, kinds = p_digit(words), np.array(kinds)
    digits = p_digit(font_digits(n // 2, seed + 1, heldout=True))
    out = {"threshold": th, "words": len(p), "words_rejected": round(float((p < th).mean()), 5),
           "words_rejected_by_kind": {k: round(float((p[kinds == k] < th).mean()), 4) for k in sorted(set(kinds))},
           "font_digits": len(digits), "font_digits_accepted": round(float((digits >= th).mean()), 5),
           "confusables_accepted": {c: {"accepted": round(float((p_digit(x) >= th).mean()), 4), "n": len(x)}
                                    for c, x in confusables(each, seed + 2).items()},
           "families": heldout_families(),
           "command": "python -m train letters"}
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "letters.json").write_text(json.dumps(out, indent=1) + "\n")
    return out
