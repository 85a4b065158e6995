"""Test photos for the photo reader's tests (CPython and Chromium): made by the evaluation's own
generator (train/photo_make.py) from MNIST training digits, with fixed seeds, plus the bad files
the page must refuse with a message."""
from __future__ import annotations

import io
from functools import lru_cache

import numpy as np
from PIL import Image


@lru_cache(maxsize=None)
def _train():
    from train.data import load_split, mnist_dir
    return load_split(mnist_dir(), "train")


def photo(seed: int, size="scan", paper="plain", ink="blue", lines=1, lengths=(3, 5)):
    from train.photo_make import make_photo
    x, y = _train()
    return make_photo(x, y, np.random.default_rng(seed), size, paper, ink, lines, lengths)


def touching(digits: str, seed: int = 0, size="scan", paper="plain", ink="blue"):
    """A photo of `digits` in one line, each digit touching the one before: MNIST training images
    of those digits that no network trained on (the digit network's validation images)."""
    from train.config import resolve
    from train.photo_make import make_photo
    from train.splits import digit_split
    x, y = _train()
    _, va = digit_split(resolve("models"), len(x))
    rng = np.random.default_rng(seed)
    idx = [int(rng.choice(va[y[va] == int(d)])) for d in digits]
    return make_photo(x, y, rng, size, paper, ink, touch=1.0, chosen=[idx])


def form(rows: list, seed: int = 0, table: bool = True, hand: str = "kalam", size: str = "scan"):
    """A photo of a form whose rows are (item, number, place or None, number or None), or None for
    a blank row: words in a held-out handwriting family, numbers of validation images."""
    from train.config import resolve
    from train.form_make import make_form
    from train.hand_fonts import family, heldout_hands
    from train.splits import digit_split
    x, y = _train()
    _, va = digit_split(resolve("models"), len(x))
    rng = np.random.default_rng(seed)
    pick = lambda digits: [int(rng.choice(va[y[va] == int(d)])) for d in digits or ""]
    given = [None if r is None else (r[0], pick(r[1]), r[2], pick(r[3])) for r in rows]
    fonts = [f for f in heldout_hands() if family(f) == hand]
    return make_form(x, y, rng, fonts, size, given=given, table=table)


def widest(digit: str, seed: int = 0, share: float = 0.95):
    """A photo of a wide one of the validation images of `digit` (wider, ink width over height, than
    `share` of them; the very widest are the odd ones out), alone."""
    from train.config import resolve
    from train.photo_make import make_photo
    from train.splits import digit_split
    x, y = _train()
    _, va = digit_split(resolve("models"), len(x))
    mine = va[y[va] == int(digit)]
    ink = x[mine] > 100
    cols, rows = ink.any(1), ink.any(2)
    width = cols.shape[1] - cols[:, ::-1].argmax(1) - cols.argmax(1)
    height = rows.shape[1] - rows[:, ::-1].argmax(1) - rows.argmax(1)
    pick = mine[np.argsort(width / height)[int(share * (len(mine) - 1))]]
    return make_photo(x, y, np.random.default_rng(seed), chosen=[[int(pick)]])


def encode(im: Image.Image, fmt: str = "JPEG", **kw) -> bytes:
    b = io.BytesIO()
    im.save(b, fmt, **kw)
    return b.getvalue()


def turned_with_exif(jpeg: bytes) -> bytes:
    """The same photo stored on its side with EXIF orientation 6 (as a phone held upright stores
    it): a viewer that applies the orientation shows it upright again."""
    im = Image.open(io.BytesIO(jpeg))
    exif = Image.Exif()
    exif[0x0112] = 6                      # "rotate 90 CW to view"
    return encode(im.transpose(Image.Transpose.ROTATE_90), "JPEG", quality=90, exif=exif.tobytes())


def bad_files(jpeg: bytes) -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, words the message must hold)."""
    return {
        "not an image": (b"digitpad: this is text, not a photo\n" * 20, "not an image"),
        "truncated JPEG": (jpeg[: len(jpeg) // 3], "cut short"),
        "HEIC": (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 200, "HEIC"),
        "1x1": (encode(Image.new("RGB", (1, 1), "white"), "PNG"), "1×1"),
        "blank sheet": (encode(Image.new("RGB", (1600, 1200), (245, 245, 240))), "No handwritten digits"),
        "landscape": (encode(landscape()), "No handwritten digits"),
        "50 MP PNG": (encode(Image.new("L", (8660, 5774), 250), "PNG"), "too large"),
    }


def y4m(im: Image.Image, frames: int = 2) -> bytes:
    """A still picture as a Y4M video (4:2:0, BT.601 full range, as Chromium's fake camera reads
    it: --use-file-for-fake-video-capture). The file loops, so a few frames are enough."""
    rgb = np.asarray(im.convert("RGB"), np.float32)
    w, h = im.size
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    u = (b - y) * 0.564 + 128
    v = (r - y) * 0.713 + 128
    half = lambda c: c.reshape(h // 2, 2, w // 2, 2).mean((1, 3))     # noqa: E731 (4:2:0)
    planes = b"".join(np.clip(c, 0, 255).round().astype(np.uint8).tobytes() for c in (y, half(u), half(v)))
    return f"YUV4MPEG2 W{w} H{h} F30:1 Ip A1:1 C420jpeg\n".encode() + b"FRAME\n".join([b""] + [planes] * frames)


def landscape() -> Image.Image:
    """Sky, hills and a lake: smooth colour, no ink."""
    yy, xx = np.mgrid[0:600, 0:800] / 600.0
    sky = np.stack([120 + 80 * yy, 170 + 50 * yy, 235 - 20 * yy], -1)
    hill = yy > 0.55 + 0.08 * np.sin(xx * 6)
    img = np.where(hill[..., None], np.stack([60 + 40 * xx, 120 + 30 * yy, 50 + 0 * xx], -1), sky)
    return Image.fromarray(img.clip(0, 255).astype(np.uint8)).resize((1600, 1200), Image.BILINEAR)


def big_jpeg() -> bytes:
    """50 MP of paper with a number on it, as a JPEG (small in bytes, huge when decoded)."""
    p = photo(3, "scan", "plain", "black", 1, (2, 2))
    im = Image.open(io.BytesIO(p.jpeg)).resize((8660, 5774), Image.BILINEAR)
    return encode(im, "JPEG", quality=70), p.lines
