"""Ink mask -> symbols: connected ink, specks and borders dropped, boxes' edges taken out, lines
in reading order (framing.py turns each symbol into the networks' 28x28 image).

Connected components are labelled on runs, not pixels (numpy only: the page has no scipy): the
runs of each row, the pairs of runs that touch between neighbouring rows (8-connected), and
labels spread over those pairs with pointer jumping until nothing changes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ink import median, remove_rules
from .table import within_row

MIN_HEIGHT = 6          # px: a symbol smaller than this both ways is a speck
SPECK = 0.2             # ... and so is one smaller than this share of the line's usual height
SHORT = 0.7             # a line of writing is at least this share of the writing's height tall ...
FLAT_LINE = 0.5         # ... or this tall, with a symbol this wide (MNIST fits a wide 5 by its width)
JOIN = 0.3              # pieces stacked closer than this share of the writing's height are one symbol's
SLIVER = 25.0           # a piece longer than this many times its pen is a line (the paper's edge), not a stroke
FLAT = 6.0              # a piece wider than this many times its height is not a symbol ...
BAR = 1.2               # ... unless it is a 5's bar: no wider than this share of the writing's height
EDGE = 0.06             # components this close to the picture's edge (share of its side) are not writing
THIN = 0.3              # a piece thinner than this share of the writing's pen is a line's, not a stroke's
THIN_DIGIT = 0.2        # ... unless it is as tall as a digit and not upright and straight: MNIST's 1s
UPRIGHT = 0.12          # are often a quarter as thick as its 8s; a box's side left standing is upright
BOX_SIDE = 1.45         # a vertical run this many times the usual height is a box's side
BOX_SIDES = 0.9         # a frame's ink covers this share of each side of its box
DASH_WIDTH = 0.2        # a piece this narrow (share of the writing's height) may be a dash of a line
SIDE_PEN = 0.35         # a box's side left standing is thinner than this share of the writing's pen
BOX_EDGE = 1.6          # a horizontal run this many times the usual height is a printed box's edge


@dataclass
class Components:
    boxes: np.ndarray       # int [n, 4]: x0, y0, x1, y1 (exclusive ends)
    area: np.ndarray        # int [n]
    runs: tuple             # (row, start, end, label) of every run, for painting a component back
    order: np.ndarray | None = None     # runs sorted by label, and where each label starts
    first: np.ndarray | None = None


def runs_of(mask: np.ndarray):
    h, w = mask.shape
    padded = np.zeros((h, w + 2), np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded.ravel())
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    rows = starts // (w + 2)
    return rows, starts - rows * (w + 2), ends - rows * (w + 2), w + 2


def label(mask: np.ndarray) -> Components:
    rows, s, e, stride = runs_of(mask)
    n = len(rows)
    if n == 0:
        return Components(np.zeros((0, 4), int), np.zeros(0, int), (rows, s, e, np.zeros(0, int)))
    gs, ge = rows * stride + s, rows * stride + e          # global, sortable, rows never touch
    # for each run b of row r+1: the runs a of row r with a.end >= b.start and a.start <= b.end
    prev_s, prev_e = (rows - 1) * stride + s, (rows - 1) * stride + e
    lo = np.searchsorted(ge, prev_s, "left")
    hi = np.searchsorted(gs, prev_e, "right")
    counts = np.maximum(hi - lo, 0)
    b = np.repeat(np.arange(n), counts)
    a = (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)) + np.repeat(lo, counts)
    labels = np.arange(n)
    while True:
        m = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, m)
        np.minimum.at(labels, b, m)
        while True:
            jumped = labels[labels]
            if (jumped == labels).all():
                break
            labels = jumped
        if (labels == before).all():
            break
    _, lab = np.unique(labels, return_inverse=True)
    return from_runs(rows, s, e, lab)


def from_runs(rows: np.ndarray, s: np.ndarray, e: np.ndarray, lab: np.ndarray) -> Components:
    """Components from labelled runs (label 0..k-1; a label may have no runs left)."""
    k = int(lab.max()) + 1 if len(lab) else 0
    boxes = np.full((k, 4), -1, int)
    boxes[:, :2] = 1 << 30
    np.minimum.at(boxes[:, 0], lab, s)
    np.minimum.at(boxes[:, 1], lab, rows)
    np.maximum.at(boxes[:, 2], lab, e)
    np.maximum.at(boxes[:, 3], lab, rows + 1)
    area = np.bincount(lab, weights=e - s, minlength=k).astype(int)
    return Components(boxes, area, (rows, s, e, lab))


def paint(comp: Components, ids, box) -> np.ndarray:
    """The components `ids` alone, as a bool mask cropped to box (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    rows, s, e, lab = comp.runs
    if comp.order is None:
        comp.order = np.argsort(lab, kind="stable")
        comp.first = np.searchsorted(lab[comp.order], np.arange(len(comp.area) + 1))
    pick = np.concatenate([comp.order[comp.first[i]:comp.first[i + 1]] for i in ids])
    out = np.zeros((y1 - y0, x1 - x0 + 1), np.int32)
    r = rows[pick] - y0
    np.add.at(out, (r, s[pick] - x0), 1)
    np.add.at(out, (r, e[pick] - x0), -1)
    return np.cumsum(out, 1)[:, :-1] > 0


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values)
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2)])


def _thickness(comp: Components) -> np.ndarray:
    """Each piece's pen width: the mean run across (area / runs), or area / length for a flat piece."""
    b = comp.boxes
    runs = np.bincount(comp.runs[3], minlength=len(comp.area))
    long = np.maximum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
    return np.minimum(comp.area / np.maximum(runs, 1), comp.area / np.maximum(long, 1))


def usual_height(comp: Components, keep: np.ndarray) -> float:
    """The height of the writing: the median height weighted by area squared. Specks of noise
    and slivers of a table's edge can be many; the ink is mostly in the symbols, and the
    symbols are the large pieces."""
    h = (comp.boxes[keep, 3] - comp.boxes[keep, 1]).astype(float)
    if not len(h):
        return 0.0
    return _weighted_median(h, comp.area[keep].astype(float) ** 2)


def symbol_ids(comp: Components, shape: tuple[int, int], cropped: bool = False) -> list[int]:
    """Components that may be handwriting: not specks, not a huge blob, not a thin line's piece
    (far thinner than the pen that wrote the symbols), and not at the picture's edge (the
    paper's edge, the table, a shadow's border) unless a person's rectangle cut through a digit."""
    H, W = shape
    b = comp.boxes
    w, h = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
    m = max(2, int(EDGE * min(H, W))) if not cropped else 1
    border = (b[:, 0] <= m) | (b[:, 1] <= m) | (b[:, 2] >= W - m) | (b[:, 3] >= H - m)
    long = np.maximum(w, h)
    thick = _thickness(comp)
    # a piece far wider than tall is an underline, a rule's or a table edge's remnant, and one far
    # longer than its pen is thick (even at a slant) is the paper's edge: no symbol. Neither may
    # weigh in the writing's height or pen either.
    keep = (long >= MIN_HEIGHT) & (h < 0.6 * H) & (w < 0.9 * W) & (w <= FLAT * h) & (long <= SLIVER * thick)
    usual = usual_height(comp, keep & ~border & (w <= 3 * h))
    keep &= ~border | (cropped & (long <= 1.5 * usual))
    if usual:
        # ... nor is one twice the writing's height and thin as a stroke (an edge, a margin rule)
        keep &= (long >= SPECK * usual) & (h <= 4 * usual) & ~((h > 2 * usual) & (5 * w < h))
        big = keep & (long >= 0.5 * usual)
        if big.any():                 # the pen that wrote the large pieces (by ink, not by count)
            pen = _weighted_median(thick[big], comp.area[big].astype(float))
            stroke = (h >= 0.6 * usual) & (h <= 1.5 * usual) & (w >= UPRIGHT * h) & (thick >= THIN_DIGIT * pen)
            keep &= (thick >= THIN * pen) | stroke
            # taller than the writing and thinner than its pen: a box's side, a margin's rule
            keep &= ~((h > 1.5 * usual) & (thick < 0.5 * pen))
        keep[_dashes(b, np.flatnonzero(keep), usual)] = False
        keep[_bars(b, keep, (w > FLAT * h) & ~border & (w <= BAR * usual) & (h < usual), usual)] = True
    return [int(i) for i in np.flatnonzero(keep)]


def _bars(b: np.ndarray, keep: np.ndarray, flat: np.ndarray, usual: float) -> list[int]:
    """Flat pieces that are a 5's bar, not an underline: no longer than a digit is tall, and
    level with the top of a symbol they start within reach of (MNIST's 5s often float their bar
    far to the right of the body, as wide as it again)."""
    out = []
    ids = np.flatnonzero(keep)
    for i in np.flatnonzero(flat):
        cy = (b[i, 1] + b[i, 3]) / 2
        near = (b[i, 0] - b[ids, 2] <= JOIN * usual) & (b[ids, 0] <= b[i, 0] + JOIN * usual)
        level = (cy >= b[ids, 1] - JOIN * usual) & (cy <= b[ids, 1] + 0.4 * (b[ids, 3] - b[ids, 1]))
        if (near & level).any():
            out.append(int(i))
    return out


def _dashes(b: np.ndarray, ids: np.ndarray, usual: float) -> list[int]:
    """Pieces of one upright line broken into dashes (a grid line beside the table, made faint by
    the light's estimate there, is cut into pieces as tall as a digit): three or more narrow
    pieces in the very same columns, spanning several lines of writing. Digits written under
    each other are never that exactly aligned on both sides."""
    w, h = b[ids, 2] - b[ids, 0], b[ids, 3] - b[ids, 1]
    thin = ids[(w <= DASH_WIDTH * usual) & (h >= w)]
    out = set()
    for i in thin:
        same = thin[(np.abs(b[thin, 0] - b[i, 0]) <= 2) & (np.abs(b[thin, 2] - b[i, 2]) <= 2)]
        if len(same) >= 3 and b[same, 3].max() - b[same, 1].min() >= 3 * usual:
            out.update(int(j) for j in same)
    return sorted(out)


def _is_box(m: np.ndarray) -> bool:
    """Whether a component's ink runs along all four sides of its own box: a printed frame (a
    digit touches its box at a few points)."""
    h, w = m.shape
    k = max(2, min(h, w) // 5)        # a frame a few degrees off level still runs inside this band
    sides = (m[:k].any(0).mean(), m[-k:].any(0).mean(), m[:, :k].any(1).mean(), m[:, -k:].any(1).mean())
    return min(sides) >= BOX_SIDES


def remove_frames(mask: np.ndarray) -> np.ndarray:
    """Printed boxes around a field: every component that is a frame loses its four sides (as
    thick as its lines, plus a pixel); digits inside it, even touching it, are left."""
    comp = label(mask)
    b = comp.boxes
    w, h = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
    hollow = (w >= 4 * MIN_HEIGHT) & (h >= 4 * MIN_HEIGHT) & (comp.area < 0.5 * w * h)
    out = mask
    for i in np.flatnonzero(hollow):
        x0, y0, x1, y1 = (int(v) for v in b[i])
        m = paint(comp, [i], (x0, y0, x1, y1))
        if not _is_box(m):
            continue
        k = max(2, min(y1 - y0, x1 - x0) // 5)
        t = int(median(m[:k].sum(0))) + 1          # the frame's line width
        if out is mask:
            out = mask.copy()
        edge = np.zeros_like(m)
        edge[:t], edge[-t:], edge[:, :t], edge[:, -t:] = True, True, True, True
        for turn in range(4):                       # each side, turned to the left
            edge |= np.rot90(_side(np.rot90(m, turn), k, t), -turn)
        out[y0:y1, x0:x1] &= ~(m & edge)
    return out


def _side(m: np.ndarray, k: int, t: int) -> np.ndarray:
    """The frame's left side where it runs a little off its box's edge (a box a degree or two
    off upright after the turn is taken out): in each row, the first run of ink within k of the
    left edge when it is no wider than the frame's line. A digit touching the side makes that
    row's run wider, so the digit keeps its ink there."""
    w = m.shape[1]
    band = m[:, :k]
    has = band.any(1)
    start = band.argmax(1)
    cols = np.arange(w)[None, :]
    after = cols >= start[:, None]
    gap = ~m & after                                 # the first paper after that run
    end = np.where(gap.any(1), gap.argmax(1), w)
    side = has & (end - start <= 2 * t)
    out = np.zeros_like(m)
    out[side] = after[side] & (cols < end[side, None])
    return out


def remove_boxes(mask: np.ndarray, usual: float, rules_before: np.ndarray | None = None) -> np.ndarray:
    """A box's edges that are not a closed frame (broken, or shared with a rule): horizontal runs
    much longer than a digit is wide and vertical ones much taller go, and then the tall thin
    pieces left standing between two removed edges."""
    if usual <= 0:
        return mask
    clean, rules = remove_rules(mask, int(BOX_EDGE * usual), int(BOX_SIDE * usual))
    if rules_before is not None:
        rules = rules | rules_before
    if not rules.any():
        return mask
    comp = label(clean)
    b = comp.boxes
    w, h = b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]
    pad = 4
    # a 1 standing between two rules of squared paper is as tall and thin, but as thick as the
    # pen that wrote the other digits; a printed box's side is thinner
    thick = _thickness(comp)
    big = h >= 0.5 * usual
    pen = _weighted_median(thick[big], comp.area[big].astype(float)) if big.any() else 0.0
    reach = max(pad, int(0.5 * usual))
    for i in np.flatnonzero((w * 4 <= h) & (h >= 0.8 * usual) & (thick < SIDE_PEN * pen)):
        x0, y0, x1, y1 = b[i]
        above, below = rules[max(0, y0 - pad):y0 + 1], rules[max(0, y1 - 1):y1 + pad]
        if not (above[:, max(0, x0 - pad):x1 + pad].any() and below[:, max(0, x0 - pad):x1 + pad].any()):
            continue
        # ... a box's side meets its edges at corners: they run on to one side, above and below.
        # A 1 between two rules of squared paper has them running on both ways, and a 1 on a
        # grid's upright line has that line above and below it, running neither way (a bold
        # digit beside it can make the writing's pen look far thicker than the 1's)
        ways = [(r[:, max(0, x0 - reach):x0].any(), r[:, x1:x1 + reach].any()) for r in (above, below)]
        if not all(left or right for left, right in ways) or all(left and right for left, right in ways):
            continue
        clean[y0:y1, x0:x1] &= ~paint(comp, [i], (x0, y0, x1, y1))
    return clean


def find_symbols(mask: np.ndarray, rules: np.ndarray, cropped: bool = False) -> tuple[Components, list[int], float]:
    """(components, those that may be handwriting, the writing's height) of an upright ink mask
    whose rules are already out: printed frames taken out first, then what is left of boxes."""
    framed = remove_frames(mask)
    comp = label(framed)
    usual = usual_height(comp, np.array(symbol_ids(comp, framed.shape, cropped), int)) if len(comp.area) else 0.0
    clean = remove_boxes(framed, usual, rules)
    if clean is not framed:
        comp = label(clean)
    ids = symbol_ids(comp, clean.shape, cropped)
    return comp, ids, (usual_height(comp, np.array(ids, int)) if ids else 0.0)


def _clusters(comp: Components, ids: list[int], usual: float) -> list[list[int]]:
    """Pieces of one symbol stacked over each other (a stroke a rule cut, a 5's bar): overlapping
    across by half the narrower one, and less than JOIN x the writing's height apart."""
    b = comp.boxes
    parent = {i: i for i in ids}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i
    order = sorted(ids, key=lambda i: b[i, 0])
    for k, i in enumerate(order):
        for j in order[k + 1:]:
            if b[j, 0] >= b[i, 2]:
                break
            across = min(b[i, 2], b[j, 2]) - max(b[i, 0], b[j, 0])
            gap = max(b[i, 1], b[j, 1]) - min(b[i, 3], b[j, 3])
            if across >= 0.5 * min(b[i, 2] - b[i, 0], b[j, 2] - b[j, 0]) and gap <= JOIN * usual:
                parent[root(i)] = root(j)
    groups: dict[int, list[int]] = {}
    for i in ids:
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def group_lines(comp: Components, ids: list[int], usual: float = 0.0, rows: list[float] = ()) -> list[list[int]]:
    """Lines of writing, top to bottom, each left to right. The tallest pieces found the lines;
    smaller ones join the line their centre falls in. rows: a table's rules (table.py)."""
    b = comp.boxes
    bands: list[list] = []          # [top, bottom, members]
    groups = _clusters(comp, ids, usual)
    span = {id(g): within_row(min(b[i, 1] for i in g), max(b[i, 3] for i in g), list(rows), usual) for g in groups}
    for g in sorted(groups, key=lambda g: -(span[id(g)][1] - span[id(g)][0])):
        top, bottom = span[id(g)]
        centre = (top + bottom) / 2
        for band in bands:
            if band[0] <= centre <= band[1]:
                band[2] += g
                band[0], band[1] = min(band[0], top), max(band[1], bottom)
                break
        else:
            bands.append([top, bottom, list(g)])
    bands.sort(key=lambda band: (band[0] + band[1]) / 2)
    # a band of small pieces only (a speck, a dash) is not a line of writing
    def tall(band) -> bool:
        height = band[1] - band[0]
        widest = max(b[i, 2] - b[i, 0] for i in band[2])
        return height >= SHORT * usual or (height >= FLAT_LINE * usual and widest >= SHORT * usual)
    bands = [band for band in bands if tall(band)]
    return [sorted(members, key=lambda i: (b[i, 0] + b[i, 2]) / 2) for _, _, members in bands]
