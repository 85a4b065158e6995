"""`python -m train numbers`: fit how the page splits a row of digits, and measure it.

Numbers are built from MNIST digits traced to pen strokes and written side by side the way people
vary: a gap of 0-60% of the digit height, size ±20%, baseline ±10%, slant ±10°, 2-6 digits. Each
is read by the page's own code (digitpad.reading, through the controller), with the shipped
networks run by onnxruntime.

* Fitting uses the 5,000 validation images (never trained on, never tested on): the boundary
  model's weights (logistic regression on the geometry of neighbouring atoms) and the atom and
  speck rules are chosen there.
* The report uses MNIST test digits only: numbers read exactly, digits read right, single digits
  kept whole (all 10,000), and pairs with a gap of at least 8% of their height read as two.
"""
from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, replace

import numpy as np
import onnxruntime as ort

from digitpad.controller import Controller
from digitpad.segment import Params, features, layout
from digitpad.strokes import PAD, PEN, Drawing, Stroke
from digitpad.views import Thresholds

from .config import NumbersConfig, floats, resolve
from .data import load_split, mnist_dir
from .onnx_io import command_line, update_models_json
from .splits import digit_split
from .trace import image_to_strokes


@dataclass
class Number:
    strokes: list[Stroke]
    digit_of: list[int]      # for each stroke, which digit of the number it belongs to
    labels: list[int]
    joins: list[tuple[int, int]] | None = None   # joined: the first stroke's joining curves (first, last point)


def traced(images: np.ndarray, seed: int) -> list[list[Stroke]]:
    rng = np.random.default_rng(seed)
    return [image_to_strokes(img / 255.0, width=float(rng.uniform(10, 30))) for img in images]


def compose(digits: list[list[Stroke]], labels: list[int], rng: np.random.Generator,
            gap: tuple[float, float] = (0.0, 0.6), pen: float | None = None) -> Number:
    """Digits side by side (their inks `gap` x height apart), varied, and the row scaled to fit the pad.

    Only the centre lines are scaled: the whole number is written with one pen of `pen` pad units
    (default: each number draws one from the page's usual 10-30), because the page's pen keeps its
    width however small a person writes. Gaps are between inks at that final size, so the row is
    laid out again until the scale it fits at stops changing.
    """
    pen = float(rng.uniform(10, 30)) if pen is None else pen
    sizes = rng.uniform(0.8, 1.2, len(digits))
    gaps = rng.uniform(*gap, len(digits))
    drops = rng.uniform(-0.1, 0.1, len(digits))
    slant = np.tan(np.radians(rng.uniform(-10, 10)))
    k = 1.0
    for _ in range(4):                        # the pen's share of the ink grows as the row shrinks
        r = pen / 2 / k                       # the pen's radius in the digits' own units
        placed, digit_of, x, height = [], [], 0.0, None
        for i, strokes in enumerate(digits):
            pts = np.concatenate([s.points for s in strokes]) * sizes[i]
            lo, hi = pts.min(0) - r, pts.max(0) + r                  # the ink, not the centre line
            height = height or max(hi[1] - lo[1], 1.0)
            shift = np.array([x - lo[0], drops[i] * height - lo[1]])
            placed += [s.points * sizes[i] + shift for s in strokes]
            digit_of += [i] * len(strokes)
            x = hi[0] + shift[0] + gaps[i] * height
        base = max(p[:, 1].max() for p in placed)
        sheared = [p + np.c_[(base - p[:, 1]) * slant, np.zeros(len(p))] for p in placed]
        allpts = np.concatenate(sheared)
        lo, hi = allpts.min(0), allpts.max(0)
        new_k = min((250 - pen) / max(hi[0] - lo[0], 1), (180 - pen) / max(hi[1] - lo[1], 1), 1.0)
        if abs(new_k - k) < 1e-3 * k:
            break
        k = new_k
    centre = (lo + hi) / 2
    out = [Stroke((p - centre) * k + PAD / 2, PEN, pen) for p in sheared]
    return Number(out, digit_of, labels)


def join_digits(num: Number, rng: np.random.Generator) -> Number:
    """The number written without lifting the pen, as a quick writer joins digits: each digit's
    longest stroke, turned to start at its leftmost end, runs on into the next one's through a
    joining curve (bowed by up to a fifth of its length). A digit's other strokes (a 4's second
    stroke, a 5's bar) stay strokes of their own."""
    mains = []
    for d in range(len(num.labels)):
        own = [i for i, k in enumerate(num.digit_of) if k == d]
        if not own:
            continue
        i = max(own, key=lambda i: float(np.linalg.norm(np.diff(num.strokes[i].points, axis=0), axis=1).sum()))
        mains.append(i)
    chain = num.strokes[mains[0]].points
    chain = chain[::-1] if chain[-1, 0] < chain[0, 0] else chain
    joins = []
    for i in mains[1:]:
        nxt = num.strokes[i].points
        nxt = nxt[::-1] if nxt[-1, 0] < nxt[0, 0] else nxt
        a, b = chain[-1], nxt[0]
        normal = np.array([-(b - a)[1], (b - a)[0]])
        control = (a + b) / 2 + normal * rng.uniform(-0.2, 0.2)
        t = np.linspace(0, 1, 10)[1:-1, None]
        bridge = (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t ** 2 * b
        joins.append((len(chain) - 1, len(chain) + len(bridge)))
        chain = np.concatenate([chain, bridge, nxt])
    pen = num.strokes[0].width
    rest = [i for i in range(len(num.strokes)) if i not in mains]
    strokes = [Stroke(chain, PEN, pen)] + [num.strokes[i] for i in rest]
    return Number(strokes, [-1] + [num.digit_of[i] for i in rest], num.labels, joins)


def make_numbers(pool: list[list[Stroke]], labels: np.ndarray, n: int, seed: int, lengths=(2, 6),
                 gap=(0.0, 0.6)) -> list[Number]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        idx = rng.choice(len(pool), int(rng.integers(lengths[0], lengths[1] + 1)), replace=False)
        out.append(compose([pool[i] for i in idx if pool[i]], [int(labels[i]) for i in idx if pool[i]], rng, gap))
    return out


def boundary_data(numbers: list[Number], params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Features of every boundary between neighbouring atoms, and whether it falls between digits."""
    xs, ys = [], []
    for num in numbers:
        lay = layout(num.strokes, replace(params, decided=0.0))
        owner = [np.bincount([num.digit_of[s] for s in a.strokes]).argmax() for a in lay.atoms]
        for a, b, oa, ob in zip(lay.atoms, lay.atoms[1:], owner, owner[1:]):
            xs.append(features(a, b, lay.height))
            ys.append(float(oa != ob))
    return np.array(xs), np.array(ys)


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 50) -> np.ndarray:
    """Newton's method for L2-regularized logistic regression (a few features, exact enough)."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -50, 50)))
        grad = x.T @ (p - y) + l2 * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + l2 * np.eye(len(w))
        w -= np.linalg.solve(hess, grad)
    return w


class Reader:
    """The page's reading path in CPython: controller + onnxruntime on the shipped combined model."""

    def __init__(self, models, params: Params):
        self.sess = ort.InferenceSession(str(models / "combined.onnx"), providers=["CPUExecutionProvider"])
        self.thresholds = Thresholds.from_models_json(json.loads((models / "models.json").read_text()))
        self.params = params

    def read(self, strokes: list[Stroke]) -> dict:
        c = Controller(self.thresholds, self.params)       # as the page's, with these rules
        c.drawing = Drawing(strokes)
        return c.predict().run(lambda batch: self.sess.run(None, {"image": batch}))["view"]


def score(reader: Reader, numbers: list[Number], singles: list[tuple[list[Stroke], int]],
          pairs: list[Number]) -> dict:
    exact = digits_right = digits_total = miscounted = 0
    for num in numbers:
        got = reader.read(num.strokes)["number"]
        want = "".join(map(str, num.labels))
        exact += got == want
        miscounted += len(got) != len(want)      # split or merged wrongly: segmentation's share of the misses
        digits_total += len(want)
        digits_right += sum(a == b for a, b in zip(got, want)) if len(got) == len(want) else 0
    whole = right = 0
    for strokes, label in singles:
        view = reader.read(strokes)
        whole += len(view["number_symbols"]) == 1
        right += view["number"] == str(label)    # recognition of one traced digit, as the page reads it
    two = sum(len(reader.read(p.strokes)["number_symbols"]) == 2 for p in pairs)
    n, k = max(len(numbers), 1), max(len(singles), 1)
    return {"numbers": len(numbers), "numbers_exact": round(exact / n, 5),
            "numbers_miscounted": round(miscounted / n, 5),
            "digits": digits_total, "digits_right": round(digits_right / max(digits_total, 1), 5),
            "singles": len(singles), "singles_whole": round(whole / k, 5), "singles_right": round(right / k, 5),
            "pairs": len(pairs), "pairs_two": round(two / max(len(pairs), 1), 5)}


def datasets(images, labels, cfg: NumbersConfig, seed: int, n_numbers: int, n_singles: int, n_pairs: int):
    pool = traced(images, seed)
    numbers = make_numbers(pool, labels, n_numbers, seed + 1)
    pairs = make_numbers(pool, labels, n_pairs, seed + 2, lengths=(2, 2), gap=(cfg.pair_min_gap, 0.6))
    singles = [(pool[i], int(labels[i])) for i in range(min(n_singles, len(pool))) if pool[i]]
    return numbers, singles, pairs


def joined_numbers(images, labels, n: int, seed: int) -> list[Number]:
    """Numbers of 2-4 digits written without lifting the pen, a little closer than apart (0-30% of
    the height between inks before joining, as quick writers write)."""
    rng = np.random.default_rng(seed + 3)
    return [join_digits(num, rng) for num in make_numbers(traced(images, seed), labels, n, seed + 4,
                                                           lengths=(2, 4), gap=(0.0, 0.3))]


def score_joined(reader: Reader, numbers: list[Number]) -> dict:
    got = [reader.read(num.strokes)["number"] for num in numbers]
    want = ["".join(map(str, num.labels)) for num in numbers]
    return {"joined": len(numbers), "joined_exact": round(sum(a == b for a, b in zip(got, want)) / max(len(numbers), 1), 5),
            "joined_miscounted": round(sum(len(a) != len(b) for a, b in zip(got, want)) / max(len(numbers), 1), 5)}


def run_numbers(cfg: NumbersConfig, log=print) -> dict:
    t0 = time.perf_counter()
    d = mnist_dir(cfg.data_dir)
    train_x, train_y = load_split(d, "train")
    models = resolve(cfg.models_dir)
    _, va = digit_split(models, len(train_x))          # the digit network's own validation images
    va = va[:cfg.limit] if cfg.limit else va
    best = None
    if not cfg.fit:               # the rules as they are: measured, not chosen again
        doc = json.loads((models / "models.json").read_text())
        best = (None, Params.from_models_json(doc), (doc.get("segmentation") or {}).get("validation"))
    else:
        val = datasets(train_x[va], train_y[va], cfg, cfg.seed, cfg.val_numbers, cfg.val_singles or len(va),
                       cfg.val_numbers // 2)
        log(f"validation sets ready in {time.perf_counter() - t0:.0f}s")
    for overlap in floats(cfg.overlaps) if cfg.fit else []:         # the rules, chosen on validation; the weights, fitted there
        for speck in floats(cfg.specks):
            base = Params(overlap=overlap, speck=speck)
            x, y = boundary_data(val[0] + val[2], base)
            params = replace(base, weights=tuple(round(float(v), 4) for v in fit_logistic(x, y)))
            for decided in floats(cfg.decided):
                p = replace(params, decided=decided)
                s = score(Reader(models, p), *val)
                ok = s["singles_whole"] >= cfg.min_singles_whole
                log(json.dumps({"overlap": overlap, "speck": speck, "decided": decided, **s}))
                key = (ok, s["numbers_exact"], s["singles_whole"])
                if best is None or key > best[0]:
                    best = (key, p, s)
    _, params, val_scores = best
    test_x, test_y = (a[:cfg.limit or None] for a in load_split(d, "test"))
    test = datasets(test_x, test_y, cfg, cfg.seed + 100, cfg.test_numbers, cfg.test_singles or len(test_x),
                    cfg.test_numbers)
    test_scores = score(Reader(models, params), *test)
    if cfg.joined_numbers:
        joined = joined_numbers(test_x, test_y, cfg.joined_numbers, cfg.seed + 200)
        test_scores.update(score_joined(Reader(models, params), joined))
    report = {"params": asdict(params), "validation": val_scores, "test": test_scores,
              "seconds": round(time.perf_counter() - t0)}
    reports = resolve(cfg.reports_dir)
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "numbers.json").write_text(json.dumps(report, indent=2) + "\n")
    if cfg.export:
        update_models_json(models, "segmentation", {"params": asdict(params), "metrics": test_scores,
                                                    "training": {"command": command_line(), "seed": cfg.seed,
                                                                 "config": asdict(cfg)}}, section=None)
    log(json.dumps({"test": test_scores}))
    return report
