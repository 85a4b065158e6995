"""Test photos of handwritten numbers, made from MNIST **training** digits (the test set stays for
the networks' own report): numbers of 1-6 digits written on paper and photographed or scanned.

Each photo varies what a phone or a scanner varies: paper (plain, ruled, squared, a printed form's
box with a label such as "Total:"), ink (blue and black pen, pencil), uneven light and a shadow,
the table beyond the paper's edge, a few degrees of turn and shear, blur, noise and JPEG.
Phone photos are 4032x3024; scans about 2 MP (1600x1200); a camera's live frames 1280x720. Some photos hold 2-3 lines.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from digitpad.strokes import PAD

PAPERS = ("plain", "ruled", "squared", "form")
INKS = {"blue": ((28, 48, 150), 0.95), "black": ((25, 25, 30), 0.95), "pencil": ((85, 85, 90), 0.6)}
SIZES = {"phone": (4032, 3024), "scan": (1600, 1200), "camera": (1280, 720)}   # camera: a live video frame
LABELS = ("Total:", "Amount", "No.", "Ref", "Qty:")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
GAP = (0.12, 0.5)           # gap between neighbouring digits' inks, share of the digit height
EDGE_INK = 40               # a digit mask's level from which its ink shows on the photo (touching digits meet there)


@dataclass
class Photo:
    jpeg: bytes
    lines: list[str]                       # the number of each line, top to bottom
    paper: str
    ink: str
    size: str
    meta: dict = field(default_factory=dict)


def _digit_mask(img28: np.ndarray, height: int, ballpoint=None) -> Image.Image:
    """An MNIST digit at `height` px for its 20 px box: smooth up-scaling, then a pen's edge.
    ballpoint (a generator): the digit's centre lines redrawn with a ballpoint's thin line."""
    side = int(round(height * 28 / 20))
    if ballpoint is not None:
        return _ballpoint(img28, side, height * ballpoint.uniform(0.035, 0.07))
    big = Image.fromarray(img28.astype(np.uint8)).resize((side, side), Image.BICUBIC)
    return big.point(lambda v: int(np.clip((v - 70) * 2.2, 0, 255)))


def _ballpoint(img28: np.ndarray, side: int, pen: float) -> Image.Image:
    """The digit's skeleton (the page's own tracer), drawn at twice the size with a pen `pen` px
    wide and scaled down: a ballpoint's even, anti-aliased line."""
    from .trace import image_to_strokes
    big = Image.new("L", (2 * side, 2 * side), 0)
    d = ImageDraw.Draw(big)
    k = 2 * side / PAD
    for s in image_to_strokes(img28 / 255.0):
        pts = [tuple(p) for p in (s.points * k)]
        d.line(pts, fill=255, width=max(2, int(round(2 * pen))), joint="curve")
        for x, y in (pts[0], pts[-1]):            # round ends
            d.ellipse([x - pen, y - pen, x + pen, y + pen], fill=255)
    return big.resize((side, side), Image.BOX)


def _paper(size, kind: str, h: int, rng, draw_lines=True) -> Image.Image:
    w_, h_ = size
    tint = rng.integers(232, 256, 3)
    paper = Image.new("RGB", size, tuple(int(t) for t in tint))
    d = ImageDraw.Draw(paper)
    lw = max(1, int(round(h * rng.uniform(0.02, 0.04))))
    rule = tuple(int(v) for v in rng.choice([[150, 180, 225], [170, 170, 175], [200, 150, 150]]))
    if kind == "ruled" and draw_lines:
        step = int(h * rng.uniform(1.5, 2.0))
        for y in range(int(rng.integers(0, step)), h_, step):
            d.line([(0, y), (w_, y)], fill=rule, width=lw)
    if kind == "squared" and draw_lines:
        step = int(h * rng.uniform(0.55, 0.9))
        for y in range(int(rng.integers(0, step)), h_, step):
            d.line([(0, y), (w_, y)], fill=rule, width=lw)
        for x in range(int(rng.integers(0, step)), w_, step):
            d.line([(x, 0), (x, h_)], fill=rule, width=lw)
    return paper


def _light(img: Image.Image, rng) -> Image.Image:
    """A lamp's falloff (a ramp and a vignette) and sometimes a soft shadow across the paper."""
    w, h = img.size
    yy, xx = np.mgrid[0:64, 0:64] / 63.0
    ang = rng.uniform(0, 2 * np.pi)
    ramp = (np.cos(ang) * (xx - 0.5) + np.sin(ang) * (yy - 0.5)) * rng.uniform(0, 0.5)
    vign = ((xx - 0.5) ** 2 + (yy - 0.5) ** 2) * rng.uniform(0, 0.6)
    f = 1 - np.clip(ramp + 0.25, 0, None) - vign
    if rng.random() < 0.3:                           # a soft shadow (a hand, a phone) over part of it
        a = rng.uniform(0, 2 * np.pi)
        edge = np.cos(a) * (xx - rng.uniform(0.2, 0.8)) + np.sin(a) * (yy - rng.uniform(0.2, 0.8))
        f *= 1 - rng.uniform(0.15, 0.35) * np.clip(edge * 8 + 0.5, 0, 1)
    gain = Image.fromarray((np.clip(f, 0.35, 1) * 255).astype(np.uint8)).resize((w, h), Image.BILINEAR)
    return ImageChops.multiply(img, Image.merge("RGB", [gain] * 3))


def make_photo(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator, size: str = "scan",
               paper: str = "plain", ink: str = "blue", n_lines: int = 1, lengths=(1, 6), touch: float = 0.0,
               chosen: list | None = None, ballpoint: bool = False) -> Photo:
    """touch: the share of neighbouring digits written so close that their inks meet. chosen: the
    images of each line (indices), instead of `n_lines` lines of random ones. ballpoint: the digits
    redrawn from their centre lines with a thin pen."""
    W, H = SIZES[size]
    scale = W / 1600
    h = int(rng.uniform(55, 110) * scale)             # a digit's height on the photo
    lines, rows = [], []
    n_lines = len(chosen) if chosen else n_lines
    for k in range(n_lines):
        n = int(rng.integers(lengths[0], lengths[1] + 1))
        idx = np.asarray(chosen[k]) if chosen else rng.integers(0, len(images), n)
        lines.append("".join(str(int(labels[i])) for i in idx))
        rows.append(idx)
    sheet = _paper((W, H), paper, h, rng)
    d = ImageDraw.Draw(sheet)
    colour, strength = INKS[ink]
    line_gap = int(h * (rng.uniform(2.8, 3.2) if paper == "form" else rng.uniform(1.7, 2.3)))
    y = int(H / 2 - (n_lines * line_gap) / 2 + rng.uniform(-0.1, 0.1) * H)
    # the writing (with a form's boxes) stays clear of the picture's edge and of the table, which
    # may cover 12% of each side: a number cut by the edge is not one a person could read either
    lo, hi, extra = int(0.13 * H), int(0.87 * H), int(2.4 * h)
    if n_lines > 1:
        line_gap = min(line_gap, (hi - lo - extra) // (n_lines - 1))
    y = int(np.clip(y, lo + 0.7 * h, max(lo + 0.7 * h, hi - extra + 0.7 * h - (n_lines - 1) * line_gap)))
    touching = pairs = 0
    for idx in rows:
        masks = [_digit_mask(images[i], int(h * rng.uniform(0.9, 1.1)), rng if ballpoint else None) for i in idx]
        inks = [m.getbbox() or (0, 0, 1, 1) for m in masks]
        widths = [b[2] - b[0] for b in inks]
        gaps = [int(h * rng.uniform(*GAP)) for _ in idx]
        total = sum(widths) + sum(gaps[:-1])
        x = int(W / 2 - total / 2 + rng.uniform(-0.1, 0.1) * W)
        if paper == "form":
            if FONT.exists() and rng.random() < 0.6:   # a printed label before the box
                font = ImageFont.truetype(str(FONT), int(h * 0.45))
                text = str(rng.choice(LABELS))
                tw = d.textlength(text, font=font)
                d.text((x - tw - 0.9 * h, y + h * 0.3), text, fill=(30, 30, 30), font=font)
            m = int(h * rng.uniform(0.35, 0.6))
            d.rectangle([x - m, y - m, x + total + m, y + h + m], outline=(20, 20, 20),
                        width=max(2, int(h * 0.035)))
        x, met = write_digits(sheet, colour, strength, masks, inks, gaps, x, y, h, rng, touch)
        touching += met
        pairs += len(idx) - 1
        y += line_gap
    jpeg, meta = finish(sheet, size, rng)
    return Photo(jpeg, lines, paper, ink, size,
                 {"digit_height": h, **meta,
                  "images": [[int(i) for i in idx] for idx in rows], "touching": touching, "pairs": pairs})


def write_digits(sheet: Image.Image, colour, strength: float, masks, inks, gaps, x: int, y: int, h: int, rng,
                 touch: float = 0.0) -> tuple[int, int]:
    """Digit masks written left to right from x on a line whose digits are h tall at y: (the x
    after the last digit and its gap, how many were written touching the one before)."""
    W, H = sheet.size
    layer = Image.new("RGB", sheet.size, colour)
    right = np.full(H, -W)                      # the line's rightmost ink so far, row by row
    touching = 0
    for k, (mask, box, gap) in enumerate(zip(masks, inks, gaps)):
        drop = int(h * rng.uniform(-0.06, 0.06))
        top = y + drop - box[1] + (h - (box[3] - box[1])) // 2
        left = x - box[0]
        # the ink a reader sees: the soft edge too (MNIST's edge, scaled up, is a few pixels wide)
        seen = np.asarray(mask) > EDGE_INK
        if k and touch > 0 and rng.random() < touch:    # slide it left until its ink meets the last one's
            left = _touching(seen, top, right) - int(h * rng.uniform(0, 0.03))
            touching += 1
        alpha = mask.point(lambda v: int(v * strength))
        sheet.paste(layer.crop((0, 0) + mask.size), (left, top), alpha)
        _extend(right, seen, left, top)
        x = left + box[2] + gap
    return x, touching


def finish(sheet: Image.Image, size: str, rng) -> tuple[bytes, dict]:
    """The paper photographed: light, the table around it, turn, shear, blur, noise, JPEG."""
    W, H = sheet.size
    scale = W / 1600
    sheet = _light(sheet, rng)
    if size in ("phone", "camera") and rng.random() < 0.7:        # the table around the paper
        table = Image.new("RGB", sheet.size, tuple(int(v) for v in rng.integers(40, 120, 3)))
        m = [int(rng.uniform(0.02, 0.12) * s) for s in (W, H, W, H)]
        keep = Image.new("L", sheet.size, 0)
        ImageDraw.Draw(keep).rectangle([m[0], m[1], W - m[2], H - m[3]], fill=255)
        sheet = Image.composite(sheet, table, keep)
    turn, shear = rng.uniform(-4, 4), np.tan(np.radians(rng.uniform(-3, 3)))
    sheet = sheet.transform(sheet.size, Image.AFFINE, (1, shear, -shear * H / 2, 0, 1, 0), Image.BILINEAR,
                            fillcolor=(90, 80, 70)).rotate(turn, Image.BILINEAR, fillcolor=(90, 80, 70))
    blur = rng.uniform(0, 1.2) * scale
    if blur > 0.3:
        sheet = sheet.filter(ImageFilter.GaussianBlur(blur))
    sigma = rng.uniform(2, 7)
    # from the seeded generator (Image.effect_noise draws from C's rand(): a run could not be repeated)
    noise = rng.normal(0, sigma, (H, W)).astype(np.float32)[..., None]
    sheet = Image.fromarray(np.clip(np.asarray(sheet, np.float32) + noise, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    quality = int(rng.integers(60, 93))
    sheet.save(buf, "JPEG", quality=quality)
    return buf.getvalue(), {"turn": round(turn, 2), "shear": round(float(shear), 4), "quality": quality,
                            "blur": round(blur, 2)}


def _touching(ink: np.ndarray, top: int, right: np.ndarray) -> int:
    """The left edge that puts `ink` (at row `top`) just onto the line's ink so far: one column
    of the two inks overlaps in the row where they come closest."""
    rows = np.flatnonzero(ink.any(1))
    first = ink[rows].argmax(1)
    at = np.clip(rows + top, 0, len(right) - 1)
    met = right[at] > -len(right)
    return int((right[at] - first)[met].max()) if met.any() else int(right.max()) + 1


def _extend(right: np.ndarray, ink: np.ndarray, left: int, top: int) -> None:
    rows = np.flatnonzero(ink.any(1))
    last = ink.shape[1] - 1 - ink[rows, ::-1].argmax(1)
    at = np.clip(rows + top, 0, len(right) - 1)
    right[at] = np.maximum(right[at], left + last)
