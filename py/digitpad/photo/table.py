"""A printed table's rules: they part the cells of a row, and the rows themselves.

The ink finder takes the paper's long rules out of the ink (ink.remove_rules) and keeps them. Of
those, a table's are the ones a reader goes by: a column's wall between two symbols of a line
parts two numbers (or a word and a number), and a row's rule parts two lines even where a word's
tail runs across it into the next row.
"""
from __future__ import annotations

import numpy as np

CELL = 2.0            # a digit height: a table's columns are wider; squared paper's squares narrower
ACROSS = 4.0          # the writing's height: a row's rule runs at least this far
GRID_RUN = 2.0        # a digit height: the rules mask keeps this much of a grid's upright line (digits hide some)
SPANS = 1.6           # the writing's height: a piece this tall may span two rows of a table ...
SIDE = 0.35           # ... when this much of it lies on each side of a rule


def walls(rules: np.ndarray, boxes: list[tuple[float, float, float, float]], tall: float) -> list[bool]:
    """Whether a table's printed rule stands between each symbol and the next (a cell's wall): a
    column of the rules mask that runs most of the way down the line. Squared paper's grid is
    no table: its rules stand closer than CELL digit heights, one or two digits to a square."""
    if len(boxes) < 2 or not rules.any():
        return [False] * max(len(boxes) - 1, 0)
    y0, y1 = int(min(b[1] for b in boxes)), int(max(b[3] for b in boxes))
    x0, x1 = int(boxes[0][0]), int(max(b[2] for b in boxes))
    at = _positions(np.flatnonzero(rules[y0:y1, x0:x1].sum(0) >= 0.6 * (y1 - y0)) + x0)
    if not at:
        return [False] * (len(boxes) - 1)
    # a grid: long upright rules beside the line (the whole height of the photo, not only the
    # line's, where digits hide parts of them), closer than a table's columns
    near = slice(max(int(x0 - 4 * tall), 0), int(x1 + 4 * tall))
    long = _positions(np.flatnonzero(rules[:, near].sum(0) >= GRID_RUN * tall) + near.start)
    if len(long) > 1 and np.min(np.diff(long)) < CELL * tall:
        return [False] * (len(boxes) - 1)
    return [any(a[2] <= x <= b[0] + 1 for x in at) for a, b in zip(boxes, boxes[1:])]


def _positions(xs: np.ndarray) -> list[int]:
    """Columns of a rule, one per rule."""
    return [int(x) for k, x in enumerate(xs) if k == 0 or x - xs[k - 1] > 2]


def rule_rows(rules: np.ndarray, usual: float) -> list[float]:
    """The heights of the long horizontal rules (one per rule, its middle row)."""
    rows = np.flatnonzero(rules.sum(1) >= ACROSS * usual)
    if not len(rows):
        return []
    cuts = np.flatnonzero(np.diff(rows) > 2) + 1
    return [float(np.mean(run)) for run in np.split(rows, cuts)]


def within_row(top: float, bottom: float, rows: list[float], usual: float) -> tuple[float, float]:
    """A piece's extent for finding its line: a piece taller than SPANS x the writing that runs
    well across a rule (a word's tail into the next row of a table) keeps to the side of the
    rule where more of it lies; others keep their extent."""
    if bottom - top <= SPANS * usual:
        return top, bottom
    inside = [y for y in rows if top + SIDE * usual < y < bottom - SIDE * usual]
    if not inside:
        return top, bottom
    edges = [top] + inside + [bottom]
    k = int(np.argmax(np.diff(edges)))
    return edges[k], edges[k + 1]
