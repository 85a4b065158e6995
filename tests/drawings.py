"""Drawings the tests (and the bench) make with the mouse, in pad units (the pad is 280 x 280).

Each is a list of strokes, each stroke a list of (x, y). `digit(d, box)` draws a plain digit in a
box, and `number("2026")` writes one in a row, as a person would on the pad.
"""
from __future__ import annotations

import numpy as np

SEVEN = [[(90, 70), (190, 70), (120, 220)]]
ONE = [[(140, 50), (140, 230)]]
SIX = [[(150, 60), (110, 140), (100, 190), (130, 225), (170, 200), (165, 160), (120, 160)]]


def _arc(cx, cy, rx, ry, a0, a1, n=16):
    t = np.radians(np.linspace(a0, a1, n))
    return [(cx + rx * np.cos(a), cy + ry * np.sin(a)) for a in t]


# each digit in a unit box (0..1, y down), as one or two pen strokes
TEMPLATES = {
    "0": [_arc(0.5, 0.5, 0.38, 0.5, 0, 360, 28)],
    "1": [[(0.35, 0.15), (0.55, 0.0), (0.55, 1.0)]],
    "2": [_arc(0.5, 0.28, 0.35, 0.28, 200, 370, 10) + [(0.1, 1.0), (0.9, 1.0)]],
    "3": [_arc(0.45, 0.25, 0.35, 0.25, 210, 450, 10) + _arc(0.45, 0.75, 0.4, 0.25, 270, 510, 10)],
    "4": [[(0.65, 0.0), (0.1, 0.65), (0.95, 0.65)], [(0.65, 0.2), (0.65, 1.0)]],
    "5": [[(0.8, 0.0), (0.25, 0.0), (0.2, 0.45)] + _arc(0.48, 0.68, 0.38, 0.32, 230, 500, 12)],
    "6": [[(0.7, 0.0), (0.3, 0.4)] + _arc(0.5, 0.72, 0.3, 0.28, 200, 560, 16)],
    "7": [[(0.05, 0.0), (0.95, 0.0), (0.35, 1.0)]],
    "8": [_arc(0.5, 0.26, 0.28, 0.26, 90, 450, 14) + _arc(0.5, 0.74, 0.36, 0.26, -90, 270, 16)],
    "9": [_arc(0.5, 0.3, 0.33, 0.3, 0, 360, 16) + [(0.83, 0.3), (0.75, 1.0)]],
}


def digit(d: str, box: tuple[float, float, float, float]) -> list[list[tuple[float, float]]]:
    """The template of digit d drawn into box (x0, y0, x1, y1) of the pad."""
    x0, y0, x1, y1 = box
    return [[(x0 + x * (x1 - x0), y0 + y * (y1 - y0)) for x, y in stroke] for stroke in TEMPLATES[d]]


def number(text: str, gap: float = 0.25, height: float = 90.0) -> list[list[tuple[float, float]]]:
    """The digits of text in a row across the pad, `gap` x height apart, fitted to its width."""
    width = 0.6 * height
    total = len(text) * width + (len(text) - 1) * gap * height
    k = min(1.0, 250 / total)
    w, h, g = width * k, height * k, gap * height * k
    x, y = (280 - (len(text) * w + (len(text) - 1) * g)) / 2, (280 - h) / 2
    out = []
    for ch in text:
        out += digit(ch, (x, y, x + w, y + h))
        x += w + g
    return out


# each digit as a quick writer makes it when the pen does not lift between digits: from its
# top left, ending where the line on to the next digit begins
JOINED = {
    "0": [_arc(0.5, 0.5, 0.38, 0.5, 265, -85, 28)],
    "1": [[(0.45, 0.0), (0.5, 1.0)]],
    "2": TEMPLATES["2"],
    "7": TEMPLATES["7"],
}


def joined(text: str, gap: float = 0.2, height: float = 90.0) -> list[list[tuple[float, float]]]:
    """The digits of text in a row, written in one stroke: each digit's stroke runs on into the
    next one's. Digits of more than one stroke are not joined here."""
    width = 0.6 * height
    total = len(text) * width + (len(text) - 1) * gap * height
    x, y = (280 - total) / 2, (280 - height) / 2
    line: list[tuple[float, float]] = []
    for ch in text:
        (stroke,) = JOINED[ch]
        line += [(x + px * width, y + py * height) for px, py in stroke]
        x += width + gap * height
    return [line]


def five_with_a_floating_bar() -> list[list[tuple[float, float]]]:
    """A 5 whose top bar, drawn last, floats above and to the right of its body."""
    body = [(100, 70), (96, 130)] + [(140 + 45 * np.cos(a), 170 + 45 * np.sin(a)) for a in np.radians(np.linspace(-150, 150, 20))]
    return [body, [(112, 60), (185, 56)]]
