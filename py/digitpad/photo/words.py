"""Words among the numbers of a line, and the numbers a line holds.

A form's row holds handwritten words beside its numbers ("Captain Morgan 22 Bar 1"). The networks
judge each symbol alone, and a word's letters that people also write as digits (the B of "Bar",
an l, an o, a single-storey a) are digits to them. A reader sees the word instead:
* letters are written closer together than the digits of a number: a *cluster* is a run of
  symbols each within LETTER_GAP digit heights of the next, with no table's wall between them;
* a word's small letters (a, c, o, r) stand on the line with their tops well below the tall
  ones' (B, k): digits of a number are all about as tall, and stand on the line together;
* and some of its letters the digit-or-not network is sure are no digits.
A cluster whose ink is more than WORD_SHARE such letters (surely no digits, or small letters),
one of them at least surely no digit, is a word, all of it (a flat 2 beside a 9 is no small
letter's word). A blot between two digits of a number is no word: words stand beside numbers,
not inside them.

The numbers of a line are then its digits between words, a table's walls and gaps wider than
NUMBER_GAP digit heights: "22 1".
"""
from __future__ import annotations

Box = tuple[float, float, float, float]     # left, top, right, bottom

LETTER_GAP = 0.3      # a digit height: within a number digits stand 0.12-0.5 apart, letters of a word closer
NUMBER_GAP = 1.5      # a digit height: a gap this wide ends a number even with no word in it
LETTER_P = 0.15       # a symbol the digit-or-not network gives less than this is a letter to a word
WORD_SHARE = 0.3      # a cluster whose ink (by width) is more than this share letters is a word
SMALL_LETTER = 0.2    # a digit height: a top this far below its cluster's tallest, on the same line, is a small letter's
ON_LINE = 0.15        # a digit height: bottoms this close stand on the same line
LETTER_HEIGHT = 0.4   # a digit height: a letter is at least this tall (a small letter's x-height is about 0.5)


def clusters(boxes: list[Box], tall: float, wall: list[bool] | None = None) -> list[list[int]]:
    """Symbols, left to right, in runs whose gaps are under LETTER_GAP x tall and that no cell
    wall parts."""
    out: list[list[int]] = []
    right = None
    for k, b in enumerate(boxes):
        if right is None or b[0] - right > LETTER_GAP * tall or (wall and wall[k - 1]):
            out.append([])
        out[-1].append(k)
        right = b[2] if right is None else max(right, b[2])
    return out


def small_letters(boxes: list[Box], group: list[int], tall: float) -> set[int]:
    """The cluster's symbols that stand on its line with their tops well below its tallest's."""
    top = min(boxes[k][1] for k in group)
    line = max(boxes[k][3] for k in group)
    return {k for k in group if boxes[k][1] - top > SMALL_LETTER * tall and line - boxes[k][3] < ON_LINE * tall}


def words(boxes: list[Box], sure_not: list[bool], tall: float, wall: list[bool] | None = None) -> list[bool]:
    """Which symbols are letters of a word. sure_not: the digit-or-not network is sure it is no digit."""
    out = [False] * len(boxes)
    groups = clusters(boxes, tall, wall)
    for n, group in enumerate(groups):
        # a flat mark (a dash, a 5's bar written apart) is no letter: letters are at least x-height
        letters = {k for k in small_letters(boxes, group, tall) | {k for k in group if sure_not[k]}
                   if boxes[k][3] - boxes[k][1] >= LETTER_HEIGHT * tall}
        widths = {k: max(boxes[k][2] - boxes[k][0], 1e-6) for k in group}
        share = sum(widths[k] for k in letters) / sum(widths.values())
        inside = 0 < n < len(groups) - 1 and _digit_beside(boxes, sure_not, tall, wall, group[0], -1) \
            and _digit_beside(boxes, sure_not, tall, wall, group[-1], 1)
        if share > WORD_SHARE and any(sure_not[k] for k in letters) and not inside:
            for k in group:
                out[k] = True
    return out


def _digit_beside(boxes: list[Box], sure_not: list[bool], tall: float, wall, k: int, step: int) -> bool:
    j = k + step
    if wall and wall[min(j, k)]:
        return False
    gap = boxes[j][0] - boxes[k][2] if step > 0 else boxes[k][0] - boxes[j][2]
    return not sure_not[j] and gap <= NUMBER_GAP * tall


def numbers(boxes: list[Box], digit: list[bool], mark: list[bool], tall: float,
            wall: list[bool] | None = None) -> list[list[int]]:
    """The line's digits, as numbers: split by a mark between them (a word, a label: a rejected
    symbol, not a dot or a comma), a cell's wall, or a gap over NUMBER_GAP x tall."""
    out: list[list[int]] = []
    last = None
    apart = False                # a mark since the last digit
    for k, b in enumerate(boxes):
        apart = apart or bool(k and wall and wall[k - 1])
        if not digit[k]:
            apart = apart or mark[k]
            continue
        if last is None or apart or b[0] - boxes[last][2] > NUMBER_GAP * tall:
            out.append([])
        out[-1].append(k)
        last, apart = k, False
    return out
