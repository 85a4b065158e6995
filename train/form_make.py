"""Test photos of filled-in forms: a printed table whose rows hold a handwritten item name, a
quantity and sometimes a place with a number ("Captain Morgan | 22 | Bar 1").

The words are written in handwriting fonts held out of every network's training (hand_fonts.py),
one hand a form; the numbers are MNIST **training** digits no network was trained on (the same
images `python -m train photos` uses). A row's expected reading is its numbers, separated by a
space ("22 1"); a blank row has none. Paper, light, turn, blur, noise and JPEG are photo_make's.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .hand_fonts import ITEMS, PLACES
from .photo_make import FONT, GAP, INKS, SIZES, Photo, _digit_mask, _paper, finish, write_digits

HEADERS = (("Item", "Qty", "Where"), ("Product", "Count", "Location"), ("Description", "No.", "Place"))
BLANK = 0.1                 # share of rows left empty


def _number(images, rng, digits: tuple[int, int]) -> np.ndarray:
    return rng.integers(0, len(images), int(rng.integers(digits[0], digits[1] + 1)))


def _word(sheet: Image.Image, text: str, font: ImageFont.FreeTypeFont, x: float, base: float, colour,
          strength: float, room: float) -> float:
    """Handwritten text with its baseline at `base`, from x, written smaller where it would not
    fit in `room` px (a writer keeps to the cell): the x where it ends."""
    if font.getlength(text) > room:
        font = font.font_variant(size=max(8, int(font.size * room / font.getlength(text))))
    mask = Image.new("L", sheet.size, 0)
    ImageDraw.Draw(mask).text((x, base), text, font=font, fill=255, anchor="ls")
    sheet.paste(Image.new("RGB", sheet.size, colour), (0, 0), mask.point(lambda v: int(v * strength)))
    return x + font.getlength(text)


def _digits(sheet, images, idx, x, top, h, colour, strength, rng) -> float:
    masks = [_digit_mask(images[i], int(h * rng.uniform(0.9, 1.1))) for i in idx]
    inks = [m.getbbox() or (0, 0, 1, 1) for m in masks]
    gaps = [int(h * rng.uniform(*GAP)) for _ in idx]
    return write_digits(sheet, colour, strength, masks, inks, gaps, int(x), int(top), h, rng)[0]


def where(points: np.ndarray, size: tuple[int, int], turn: float, shear: float) -> np.ndarray:
    """Points on the flat sheet -> where finish()'s shear and turn put them on the photo (px)."""
    W, H = size
    x = points[:, 0] - shear * (points[:, 1] - H / 2)
    y = points[:, 1]
    a = np.radians(turn)                       # PIL turns counter-clockwise about the centre
    dx, dy = x - W / 2, y - H / 2
    return np.c_[W / 2 + dx * np.cos(a) + dy * np.sin(a), H / 2 - dx * np.sin(a) + dy * np.cos(a)]


def make_form(images: np.ndarray, labels: np.ndarray, rng: np.random.Generator, fonts: list,
              size: str = "scan", ink: str = "blue", rows: tuple[int, int] = (4, 8), given: list | None = None,
              table: bool = True) -> Photo:
    """given (tests): each row's (item, its number's images, place or None, that number's images),
    or None for a blank row, instead of random ones. table=False: the same writing, no table."""
    W, H = SIZES[size]
    scale = W / 1600
    h = int(rng.uniform(45, 70) * scale)               # a digit's height
    row_h = int(h * rng.uniform(1.7, 2.1))
    n = len(given) if given else min(int(rng.integers(rows[0], rows[1] + 1)), int(0.72 * H / row_h) - 1)
    cols = [int(h * rng.uniform(6, 7.5)), int(h * rng.uniform(4.4, 5.2))]   # 3 digits fit
    # a third column: a place and its number
    two = any(g and g[2] for g in given) if given else rng.random() < 0.6
    if two:
        cols.append(int(h * rng.uniform(6.2, 7.2)))
    x0 = int(W / 2 - sum(cols) / 2 + rng.uniform(-0.05, 0.05) * W)
    y0 = int(H / 2 - (n + 1) * row_h / 2 + rng.uniform(-0.04, 0.04) * H)
    sheet = _paper((W, H), "plain", h, rng)
    d = ImageDraw.Draw(sheet)
    rule, lw = (35, 35, 40), max(2, int(h * rng.uniform(0.025, 0.045)))
    edges = np.cumsum([x0] + cols)
    y1 = y0 + (n + 1) * row_h
    if table:
        for k in range(n + 2):
            d.line([(x0, y0 + k * row_h), (edges[-1], y0 + k * row_h)], fill=rule, width=lw)
        for x in edges:
            d.line([(x, y0), (x, y1)], fill=rule, width=lw)
        printed = ImageFont.truetype(str(FONT), int(h * 0.5))
        header = HEADERS[rng.integers(len(HEADERS))]
        for x, text in zip(edges[:-1], header):
            d.text((x + 0.25 * h, y0 + row_h / 2), text, fill=(25, 25, 25), font=printed, anchor="lm")
    colour, strength = INKS[ink]
    hand = ImageFont.truetype(str(fonts[rng.integers(len(fonts))]), int(h * rng.uniform(1.0, 1.3)))
    lines, centres, chosen = [], [], []
    for r in range(n):
        top = y0 + (r + 1) * row_h
        if (given[r] is None) if given else rng.random() < BLANK:
            lines.append("")
            chosen.append([])
            centres.append((edges[1] + cols[1] / 2, top + row_h / 2))
            continue
        digit_top = top + (row_h - h) / 2 + h * rng.uniform(-0.08, 0.08)
        base = digit_top + h
        left = x0 + h * rng.uniform(0.2, 0.5)
        item = given[r][0] if given else str(ITEMS[rng.integers(len(ITEMS))])
        _word(sheet, item, hand, left, base, colour, strength, edges[1] - left - 0.3 * h)
        numbers = [np.asarray(given[r][1]) if given else _number(images, rng, (1, 3))]
        if not len(numbers[0]):                        # (tests) words alone
            numbers = []
        else:
            _digits(sheet, images, numbers[0], edges[1] + h * rng.uniform(0.3, 0.6), digit_top, h, colour, strength, rng)
        if two:
            left = edges[2] + h * rng.uniform(0.2, 0.4)
            place = given[r][2] if given else str(PLACES[rng.integers(len(PLACES))])
            end = _word(sheet, place, hand, left, base, colour, strength,
                        edges[3] - left - 2.8 * h)       # room for two digits after it
            numbers.append(np.asarray(given[r][3]) if given else _number(images, rng, (1, 2)))
            _digits(sheet, images, numbers[1], end + h * rng.uniform(0.5, 0.9), digit_top, h, colour, strength, rng)
        lines.append(" ".join("".join(str(int(labels[i])) for i in idx) for idx in numbers))
        chosen.append([[int(i) for i in idx] for idx in numbers])
        centres.append((edges[1] + cols[1] / 2, top + row_h / 2))
    jpeg, meta = finish(sheet, size, rng)
    at = where(np.array(centres, float), (W, H), meta["turn"], meta["shear"])
    return Photo(jpeg, lines, "form table", ink, size,
                 {"digit_height": h, **meta, "rows": n, "columns": len(cols), "row_height": row_h,
                  "font": str(hand.path), "images": chosen, "row_y": [round(float(v), 5) for v in at[:, 1] / H]})
