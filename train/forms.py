"""`python -m train photos --forms`: filled-in forms read row by row (form_make.py).

A row is read right when exactly one line of the reading lies on it and that line's numbers are
the row's, separated by single spaces ("22 1"): no word read as a digit, no number lost. A blank
row is right when no line lies on it. A line on no row (the printed header read as digits) is
counted apart, and makes its form wrong.
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .form_make import make_form
from .hand_fonts import family, heldout_hands
from .photo_make import INKS


def line_y(view: dict, line: dict) -> float:
    """A read line's height on the photo, 0-1: the middle of its symbols' boxes."""
    quads = [view["photo"]["symbols"][i]["quad"] for i in line["symbols"]]
    return float(np.mean([q[1::2] for q in quads]))


def score_form(view: dict, want: list[str], row_y: list[float], row_h: float) -> dict:
    """Each read line goes to the nearest row; one more than half a row away, to none."""
    on = defaultdict(list)
    stray = []
    for line in view["photo"]["lines"]:
        y = line_y(view, line)
        r = int(np.argmin([abs(y - ry) for ry in row_y]))
        (on[r] if abs(y - row_y[r]) <= row_h / 2 else stray).append(line["number"])
    rows = [(w, on.get(r, [])) for r, w in enumerate(want)]
    right = [(got == [w]) if w else not got for w, got in rows]
    return {"rows": right, "blank": [not w for w in want], "stray": stray,
            "got": [" | ".join(g) for _, g in rows],
            # the digits alone, however the line was split into numbers: words read as digits show here
            "digits_right": [("".join(g).replace(" ", "") == w.replace(" ", "")) for w, g in rows if w]}


def run_forms(cfg, reader, images: np.ndarray, labels: np.ndarray, log=print) -> tuple[dict, list]:
    t0 = time.perf_counter()
    fonts = heldout_hands()
    if not fonts:
        raise RuntimeError("no held-out handwriting fonts: run `npm ci` (package.json's @fontsource packages)")
    rng = np.random.default_rng(cfg.seed)
    by = defaultdict(list)
    misses, pictures, stray = [], [], 0
    for k in range(cfg.single):
        ink = list(INKS)[k % len(INKS)]
        size = "phone" if rng.random() < cfg.phone else "scan"
        photo = make_form(images, labels, rng, fonts, size, ink)
        view = reader.read(photo.jpeg)
        H = 3024 if size == "phone" else 1200
        s = score_form(view, photo.lines, photo.meta["row_y"], photo.meta["row_height"] / H)
        font = family(Path(photo.meta["font"]))
        filled = [ok for ok, blank in zip(s["rows"], s["blank"]) if not blank]
        for key in ("rows", f"ink: {ink}", f"size: {size}", f"hand: {font}", f"columns: {photo.meta['columns']}"):
            by[key] += filled
        by["blank rows give no line"] += [ok for ok, blank in zip(s["rows"], s["blank"]) if blank]
        by["first row"].append(s["rows"][0])
        by["last row"].append(s["rows"][-1])
        by["digits right, however split"] += s["digits_right"]
        by["forms, every row right and nothing else"].append(all(s["rows"]) and not s["stray"])
        stray += len(s["stray"])
        if not (all(s["rows"]) and not s["stray"]):
            misses.append({"form": k, "want": photo.lines, "got": s["got"], "stray": s["stray"], "ink": ink,
                           "size": size, "hand": font, "turn": photo.meta["turn"]})
        if len(pictures) < cfg.pictures:
            from .photos import draw_boxes
            pictures.append(draw_boxes(photo.jpeg, view))
        if (k + 1) % 20 == 0:
            log(f"{k + 1} forms, {time.perf_counter() - t0:.0f}s; rows right so far "
                f"{np.mean(by['rows']):.2%}")
    rates = {k: {"n": len(v), "exact": round(float(np.mean(v)), 4) if v else 0.0} for k, v in sorted(by.items())}
    return {"config": asdict(cfg), "rates": rates, "stray_lines": stray, "misses": misses[:50],
            "hands": [family(f) for f in fonts], "seconds": round(time.perf_counter() - t0)}, pictures


def table(r: dict) -> str:
    rates, c = r["rates"], r["config"]
    rows = ["| forms read row by row (the page's code, shipped networks) | rows | right | target |", "|---|---|---|---|"]
    names = {"rows": "**rows with numbers: their numbers, and no word read as a digit**"}
    order = ["rows", "first row", "last row", "blank rows give no line", "digits right, however split",
             "forms, every row right and nothing else"] + sorted(k for k in rates if ":" in k)
    for k in order:
        if k in rates:
            v = rates[k]
            rows.append(f"| {names.get(k, k)} | {v['n']} | {100 * v['exact']:.1f}% | {'≥ 95%' if k == 'rows' else ''} |")
    rows += ["", f"{c['single']} photos of printed tables (`python -m train photos --forms --seed {c['seed']}`, "
             f"{r['seconds']} s): 4-8 rows under a printed header, each with an item name written by hand, a "
             "quantity of 1-3 digits and, in 60% of the tables, a place and its number (\"Bar 1\"); 10% of rows "
             f"left blank. The words are in handwriting fonts no network was trained on ({', '.join(r['hands'])}); the "
             "digits are MNIST training digits no network was trained on. Lines read on no row (a header read as "
             f"digits): {r['stray_lines']}. [reports/photos_forms.json](reports/photos_forms.json) lists the misses."]
    return "\n".join(rows)
