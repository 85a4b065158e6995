"""A photo read as lines of numbers: one batch for the networks, then the view of every line.

Each line of writing goes through the pad's own number reader (segment.py): its connected inks
are the atoms, P(split) decides the clear boundaries, and every candidate symbol (runs of atoms,
so a broken stroke or a 5's floating bar can join its digit) is framed as MNIST and classified in
the photo's one batch. The reading with the highest probability wins, line by line. Symbols the
digit-or-not network rejects (a printed "Total:", a letter) are boxed but left out of the number.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ..segment import MAX_ATOMS, Params, best_reading, layout_boxes
from ..views import Thresholds, UNCERTAIN, check_probabilities, image_bytes, prediction_view, verdict
from .decode import MAX_SIDE, PhotoError, decode, from_pixels
from .ink import Upright, find_ink, median
from .framing import frame
from .cuts import cut_touching
from .symbols import find_symbols, group_lines, paint
from . import table, words

MAX_CANDIDATES = 800      # images in one photo's batch; past it the photo is mostly not numbers
MAX_LINES = 40
IN_LINE_HEIGHT = 0.6     # a doubted symbol this share as tall as its line's digits (MNIST's flat 2s are 0.6) ...
IN_LINE_P = 0.9           # ... and read as one digit this surely is one of them
INSIDE_P = 0.7            # ... or this surely, between two digits of its number
SMALL = 0.5               # a mark under this share of its line's digits' height, its longer side too, is no digit of the number
NOT_A_DIGIT = 0.5         # how readily a mark the digit-or-not network rejects stands as a symbol alone


@dataclass
class Symbol:
    line: int
    probs: np.ndarray
    p_digit: float | None
    image: np.ndarray
    quad: list[float]            # the box's corners on the upright photo, 0-1, clockwise from top left
    height: float = 0.0          # px, on the upright photo
    width: float = 0.0           # px: MNIST fits a wide digit by its width, so it is shorter
    in_number: bool = False      # doubted by the digit-or-not network, but a digit of its line
    small: bool = False          # taken for a digit, but far smaller than its line's digits
    box: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)   # px on the upright photo
    in_word: bool = False        # a letter of a handwritten word (words.py), however digit-like

    def doubted(self, th: Thresholds) -> bool:
        return self.p_digit is not None and self.p_digit < th.digit_or_not

    def rejected(self, th: Thresholds) -> bool:
        return (self.doubted(th) and not self.in_number) or self.small or self.in_word

    def view(self, th: Thresholds) -> dict:
        d = int(np.argmax(self.probs))
        p = float(self.probs[d])
        rejected = self.rejected(th)
        return {"digit": d, "p": p, "p_digit": self.p_digit, "rejected": rejected, "line": self.line,
                "uncertain": p < UNCERTAIN or rejected, "quad": self.quad, "image": image_bytes(self.image)}


@dataclass
class Photo:
    """The photo on the page: kept so that a rectangle of it can be read again, and a symbol of
    it selected or taught, without decoding it again."""
    grey: Image.Image
    crop: list[float] | None = None
    symbols: list[Symbol] = field(default_factory=list)
    lines: list[list[int]] = field(default_factory=list)     # indices into symbols, reading order
    selected: int | None = None
    phases: dict = field(default_factory=dict)
    upright: Upright | None = None          # the whole photo's, once read (a live frame's next one takes it)
    live: int | None = None                 # a live camera frame: its number since the last full search
    walls: list[list[bool]] = field(default_factory=list)   # a table's rule between each symbol of a line and the next


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 1)


def open_photo(data: bytes) -> Photo:
    t0 = time.perf_counter()
    grey = decode(data)
    return Photo(grey, phases={"decode": _ms(t0)})


def open_frame(pixels, width: int, height: int, mode: str = "RGBA", max_side: int = MAX_SIDE) -> Photo:
    """A camera frame: its pixels, not a file (the live view, and "Take")."""
    t0 = time.perf_counter()
    return Photo(from_pixels(pixels, width, height, mode, max_side), phases={"decode": _ms(t0)})


def _region(photo: Photo, crop) -> tuple[Image.Image, tuple[int, int]]:
    if crop is None:
        return photo.grey, (0, 0)
    W, H = photo.grey.size
    x0, y0, x1, y1 = (float(v) for v in crop)
    box = (int(np.clip(min(x0, x1), 0, 1) * W), int(np.clip(min(y0, y1), 0, 1) * H),
           int(np.ceil(np.clip(max(x0, x1), 0, 1) * W)), int(np.ceil(np.clip(max(y0, y1), 0, 1) * H)))
    if box[2] - box[0] < 8 or box[3] - box[1] < 8:
        raise PhotoError("That rectangle is too small to hold a number: drag over the whole number.")
    return photo.grey.crop(box), box[:2]


def _quad(box, matrix: np.ndarray, origin: tuple[int, int], full: tuple[int, int]) -> list[float]:
    """A box of the upright region back on the photo: its corners mapped, shifted, 0-1."""
    x0, y0, x1, y1 = box
    corners = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], float) @ matrix.T
    out = (corners[:, :2] + origin) / full
    return [round(float(v), 5) for v in out.ravel()]


def plan(photo: Photo, params: Params, th: Thresholds, crop=None, known: Upright | None = None):
    """(batch or None, finish(digits, digit_or_not) -> view) for the photo, or a rectangle of it.
    known: the polarity and turn of the camera's frame before, not searched again."""
    t0 = time.perf_counter()
    region, origin = _region(photo, crop)
    ink = find_ink(region, known)
    if crop is None:
        photo.upright = ink.upright
    t1 = time.perf_counter()
    comp, ids, usual = find_symbols(ink.mask, ink.rules, crop is not None)
    lines = group_lines(comp, ids, usual, table.rule_rows(ink.rules, usual))[:MAX_LINES]
    heights = [median(np.array([comp.boxes[i, 3] - comp.boxes[i, 1] for i in ln], float)) for ln in lines]
    comp, lines, parent = cut_touching(comp, lines, heights)
    images: dict[tuple, np.ndarray] = {}
    per_line = []
    for ids_of_line in lines:
        boxes = {i: tuple(float(v) for v in comp.boxes[i]) for i in ids_of_line}
        lay = layout_boxes(boxes, params, parent)
        if len(lay.atoms) > MAX_ATOMS:         # mostly not numbers: geometry alone decides
            runs = best_reading(lay, {}).runs
        else:
            runs = lay.candidates(params) if len(lay.atoms) > 1 else [(0, 1)]
        for run in runs:
            key = tuple(lay.strokes_of(run))
            images.setdefault(key, None)         # framed below, once each
        per_line.append((lay, runs))
        if len(images) > MAX_CANDIDATES:
            raise PhotoError("There is too much in this photo to read it as handwritten numbers: drag a "
                             "rectangle around the numbers, or take the photo closer.")
    keys = list(images)
    for key in keys:
        b = comp.boxes[list(key)]
        box = (int(b[:, 0].min()), int(b[:, 1].min()), int(b[:, 2].max()), int(b[:, 3].max()))
        images[key] = frame(paint(comp, key, box), ink.darkness[box[1]:box[3], box[0]:box[2]])
    photo.crop = None if crop is None else [float(v) for v in crop]
    photo.phases = {"decode": photo.phases.get("decode", 0.0), "clean": _ms(t0) - _ms(t1), "segment": _ms(t1),
                    "angle": round(float(np.degrees(np.arctan2(ink.matrix[1, 0], ink.matrix[0, 0]))), 2), "inverted": ink.inverted, "symbols": len(ids), "images": len(keys)}
    full = photo.grey.size

    def finish(digits, digit_or_not) -> dict:
        n = len(keys)
        probs = check_probabilities(digits, n, 10, "the digit model") if n else np.zeros((0, 10), np.float32)
        pd = None if digit_or_not is None or not n else check_probabilities(digit_or_not, n, 2, "the digit-or-not model")[:, 1]
        at = {k: i for i, k in enumerate(keys)}
        photo.symbols, photo.lines = [], []
        for li, (lay, runs) in enumerate(per_line):
            p_one = {}
            for run in runs:
                i = at[tuple(lay.strokes_of(run))]
                digit = float(probs[i].max()) * (1.0 if pd is None else float(pd[i]))
                # on paper, not every mark is a digit: a printed label's letters may stand as
                # symbols of their own (rejected), instead of being joined to a digit beside them
                # ... but a piece cut out of an ink is there to be a digit: rejected, it is no symbol
                p_one[run] = digit if pd is None or lay.partial(run) else max(digit, (1 - float(pd[i])) * NOT_A_DIGIT)
            reading = best_reading(lay, p_one if len(lay.atoms) > 1 and len(lay.atoms) <= MAX_ATOMS else {})
            line = []
            for run in reading.runs:
                key = tuple(lay.strokes_of(run))
                i = at[key]
                b = comp.boxes[list(key)]
                box = (b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
                line.append(len(photo.symbols))
                photo.symbols.append(Symbol(li, probs[i], None if pd is None else float(pd[i]), images[key],
                                            _quad(box, ink.matrix, origin, full), float(box[3] - box[1]),
                                            float(box[2] - box[0]), box=tuple(float(v) for v in box)))
            photo.lines.append(line)
        # a line of doubted symbols only (a lone digit under a sum) has no digits beside it to be
        # judged by: the photo's other writing stands in
        writing = [s.height for s in photo.symbols if not s.rejected(th)]
        photo.walls = []
        for line in photo.lines:
            symbols = [photo.symbols[i] for i in line]
            judge(symbols, th, median(writing) if writing else 0.0)
            photo.walls.append(table.walls(ink.rules, [s.box for s in symbols], _tall(symbols, th) or median([s.height for s in symbols])))
            find_words(symbols, th, photo.walls[-1])
        # lines of rejected symbols only (a printed heading, a drawing) are not lines of numbers
        keep = [any(not photo.symbols[i].rejected(th) for i in ln) for ln in photo.lines]
        photo.lines = [ln for ln, k in zip(photo.lines, keep) if k]
        photo.walls = [w for w, k in zip(photo.walls, keep) if k]
        photo.selected = least_certain(photo, th)
        return view(photo, th)

    batch = np.stack([images[k] for k in keys])[:, None].astype(np.float32) if keys else None
    return batch, finish


def judge(line: list[Symbol], th: Thresholds, writing: float = 0.0) -> None:
    """The networks judge each symbol alone; a reader judges it in its line. A symbol the
    digit-or-not network doubts is still a digit when it is about as tall as the digits beside it
    (or, with none beside it, as the photo's `writing`) and read as one digit with near
    certainty: a printed label is smaller than the handwriting beside it, and a letter is seldom
    read as one digit that surely. And a mark under half as tall (and as wide) as the digits of its
    line is no digit of the number however sure the networks are (the "o" of a printed "No.")."""
    digits = [s.height for s in line if not s.rejected(th)]
    tall = median(digits) if digits else writing
    if not tall:
        return
    kept = [k for k, s in enumerate(line) if not s.rejected(th)]
    for k, s in enumerate(line):
        if s.rejected(th):
            # between two digits of the number, a mark as tall as they are is more likely one of
            # them, however badly written (MNIST's blots and open 4s): a label stands before a
            # number, not inside it
            inside = bool(kept) and kept[0] < k < kept[-1]
            sure = INSIDE_P if inside else IN_LINE_P
            s.in_number = s.height >= IN_LINE_HEIGHT * tall and float(s.probs.max()) >= sure
        elif digits and max(s.height, s.width) < SMALL * tall:     # MNIST fits a wide 5 by its width
            s.small = True


def least_certain(photo: Photo, th: Thresholds) -> int | None:
    digits = [i for ln in photo.lines for i in ln if not photo.symbols[i].rejected(th)]
    if not digits:
        return None
    unsure = [i for i in digits if photo.symbols[i].probs.max() < UNCERTAIN]
    return min(unsure, key=lambda i: photo.symbols[i].probs.max()) if unsure else digits[0]


def _tall(line: list[Symbol], th: Thresholds) -> float:
    digits = [s.height for s in line if not s.rejected(th)]
    return median(digits) if digits else 0.0


def find_words(line: list[Symbol], th: Thresholds, wall: list[bool] | None = None) -> None:
    """Letters of handwritten words, however digit-like each is alone (words.py)."""
    tall = _tall(line, th) or median([s.height for s in line])
    sure_not = [s.p_digit is not None and s.p_digit < words.LETTER_P for s in line]
    for s, letter in zip(line, words.words([s.box for s in line], sure_not, tall, wall)):
        s.in_word = letter


def line_numbers(line: list[Symbol], th: Thresholds, wall: list[bool] | None = None) -> list[list[int]]:
    """The numbers of a line (indices into it): words, a table's walls and wide gaps part them
    (words.py); a doubted mark between digits does not (a blot, a label's colon)."""
    tall = _tall(line, th)
    return words.numbers([s.box for s in line], [not s.rejected(th) for s in line],
                         [s.in_word for s in line], tall, wall)


def numbers(photo: Photo, th: Thresholds) -> list[str]:
    """Each line's numbers, separated by single spaces ("22 1")."""
    out = []
    for n, ln in enumerate(photo.lines):
        line = [photo.symbols[i] for i in ln]
        wall = photo.walls[n] if n < len(photo.walls) else None
        out.append(" ".join("".join(str(int(np.argmax(line[k].probs))) for k in group)
                            for group in line_numbers(line, th, wall)))
    return out


def message(photo: Photo, th: Thresholds) -> str:
    read = numbers(photo, th)
    if not read:
        where = "this rectangle" if photo.crop else "this photo"
        return (f"No handwritten digits were found in {where}. Take the photo closer, with the numbers "
                "dark on light paper and in focus, or drag a rectangle around them.")
    unsure = sum(1 for ln in photo.lines for i in ln
                 if not photo.symbols[i].rejected(th) and photo.symbols[i].probs.max() < UNCERTAIN)
    more = f" ({unsure} uncertain digit{'s' if unsure != 1 else ''})" if unsure else ""
    if len(read) == 1:
        return f"Reads {read[0]}{more}."
    return f"Reads {len(read)} lines: {', '.join(read)}{more}."


def view(photo: Photo, th: Thresholds) -> dict:
    """The answer: every line and symbol, and the page's usual answer for the selected symbol."""
    symbols = [s.view(th) for s in photo.symbols]
    read = numbers(photo, th)
    digits_of_line = [[symbols[i] for i in ln if not symbols[i]["rejected"]] for ln in photo.lines]
    out = {"photo": {"size": list(photo.grey.size), "crop": photo.crop, "symbols": symbols,
                     "lines": [{"number": n, "numbers": n.split(), "symbols": ln} for n, ln in zip(read, photo.lines)],
                     "selected": photo.selected, "phases": photo.phases}}
    one = len(read) == 1
    if photo.selected is None:
        v = {"verdict": "empty", "digit": None, "probabilities": None, "top3": [], "digit_share": None,
             "symbols": 0, "image": None}
    else:
        s = photo.symbols[photo.selected]
        n = sum(len(d) for d in digits_of_line)
        v = prediction_view(s.probs, s.p_digit, s.image, 1 if n == 1 else n, th)
        order = [i for ln in photo.lines for i in ln]
        if n > 1 and photo.selected in order:    # the answer is that symbol's: say which, and if it is a digit
            v.update(selected_verdict=verdict(s.p_digit, s.probs, 1, th)[0],
                     selected_of=[order.index(photo.selected) + 1, len(order)])
            listed = listed_digits(photo, th)
            if photo.selected in listed:         # one line: its digit under the number is selected
                v["selected"] = listed.index(photo.selected)
    v["message"] = message(photo, th)
    v["number"] = read[0] if one else ""
    v["number_symbols"] = digits_of_line[0] if one else []
    return {"view": {**v, **out}}


def listed_digits(photo: Photo, th: Thresholds) -> list[int]:
    """The symbols listed under a one-line number (#number-digits), as indices into photo.symbols."""
    if len(photo.lines) != 1:
        return []
    return [i for i in photo.lines[0] if not photo.symbols[i].rejected(th)]


def select(photo: Photo, th: Thresholds, index: int) -> dict:
    if not 0 <= index < len(photo.symbols):
        raise PhotoError("There is no such symbol in the photo.")
    photo.selected = index
    return view(photo, th)
