"""`python -m train personal`: what a few samples of one writer do, with heads fitted as
digitpad.personal fits them (the code the page is to run).

Writers the project can build:
* the held-out Hershey hands (never trained on), each digit drawn with a hand's jitter;
* MNIST test digits with one consistent change of style: a strong slant either way, a thin or a
  heavy pen, a crossbar on every 7, a flag on every 1. The rules were chosen on training digits.
For k samples per digit, each writer's other digits are read by the shipped head and by the
personal one; MNIST test accuracy with each writer's head, and held-out non-digits rejected,
show what the correction costs elsewhere. One digit taught alone (k of 7) shows whether other
digits start reading as 7.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFilter

from digitpad.personal import Correction, FitConfig, Subspace, fit, softmax
from digitpad.render import render

from .combined_eval import heldout_sets
from .config import PersonalConfig, resolve
from .data import load_split, mnist_dir, to_float
from .negatives import HELDOUT_HANDS, _place, hand_strokes
from .negatives import generate
from .onnx_io import digit_net, digit_or_not_net, read_models_json
from .traced import jitter

KS = (1, 3, 5, 10)
PER_DIGIT = 40              # digits per class of each writer (k of them become samples)


def head_parts(models: Path):
    """(hidden(x) -> f [n,512], W0 [10,512], b0 [10], temperature) of the shipped digit network."""
    net = digit_net(models / "digits.onnx")
    first = torch.nn.Sequential(net.features, *list(net.head)[:3])       # ... Linear(1024,512), ReLU
    last = net.head[-1]
    t = float(read_models_json(models)["models"]["digits"].get("temperature", 1.0))

    @torch.no_grad()
    def hidden(x: np.ndarray) -> np.ndarray:
        return np.concatenate([first(torch.from_numpy(x[i:i + 2000])).numpy() for i in range(0, len(x), 2000)])
    return hidden, last.weight.detach().numpy(), last.bias.detach().numpy(), t


def dnn_parts(models: Path):
    """(hidden(x) -> g [n,hidden], V0 [2,hidden], e0 [2], threshold) of the shipped digit-or-not network."""
    net = digit_or_not_net(models / "digit_or_not.onnx", digit_net(models / "digits.onnx"))
    first = torch.nn.Sequential(net.features, *list(net.head)[:3])
    th = float(read_models_json(models)["models"]["digit_or_not"]["threshold"])

    @torch.no_grad()
    def hidden(x: np.ndarray) -> np.ndarray:
        return np.concatenate([first(torch.from_numpy(x[i:i + 2000])).numpy() for i in range(0, len(x), 2000)])
    return hidden, net.head[-1].weight.detach().numpy(), net.head[-1].bias.detach().numpy(), th


def make_subspace(f: np.ndarray, rank: int) -> Subspace:
    """Top directions of the features' second moment; the penalty's moments in that basis."""
    second = f.T @ f / len(f)
    vals, vecs = np.linalg.eigh(second.astype(np.float64))
    basis = vecs[:, ::-1][:, :rank].astype(np.float32)
    z = f @ basis
    return Subspace(basis, (z.T @ z / len(z)).astype(np.float32), z.mean(0).astype(np.float32))


# ---- writers -----------------------------------------------------------------------------------

def _restyle(img: np.ndarray, style: str, digit: int) -> np.ndarray:
    """One MNIST image (28x28 float, ink 1) in a writer's style ("slant+flag", ...): drawn at 4x,
    then area-averaged. Strengths were set on MNIST training digits, never on the test set."""
    big = Image.fromarray((img * 255).astype(np.uint8)).resize((112, 112), Image.BILINEAR)
    for change in style.split("+"):
        if change in ("slant", "backslant"):
            s = 0.55 if change == "slant" else -0.55
            big = big.transform(big.size, Image.AFFINE, (1, s, -s * 56, 0, 1, 0), Image.BILINEAR)
        elif change == "thin":
            big = big.filter(ImageFilter.MinFilter(5))
        elif change == "heavy":
            big = big.filter(ImageFilter.MaxFilter(9))
        elif (change, digit) in (("flag", 1), ("foot", 1), ("crossbar", 7)):
            a = np.asarray(big, np.float32) / 255
            ys, xs = np.nonzero(a > 0.5)
            if not len(xs):
                continue
            top, bottom = ys.min(), ys.max()
            h, d = bottom - top, ImageDraw.Draw(big)
            if change == "crossbar":      # a long bar across the stem, a little below halfway
                y = top + 0.55 * h
                near = np.abs(ys - y) < 4
                cx = float(xs[near].mean()) if near.any() else float(xs.mean())
                d.line([(cx - 0.3 * h, y), (cx + 0.3 * h, y)], fill=255, width=10)
            elif change == "flag":        # a long flag from the top, down to the left
                x0 = float(xs[ys == top].mean())
                d.line([(x0, top + 2), (x0 - 0.35 * h, top + 0.4 * h)], fill=255, width=10)
            else:                         # a foot: a bar under the stem
                x1 = float(xs[ys == bottom].mean())
                d.line([(x1 - 0.25 * h, bottom), (x1 + 0.25 * h, bottom)], fill=255, width=10)
    out = np.asarray(big.resize((28, 28), Image.BOX), np.float32) / 255
    return np.clip(out, 0, 1)


# applied left to right: a flag or a bar is drawn before the slant that tilts it with the digit
MNIST_RULES = ("flag+slant", "crossbar+heavy+backslant", "flag+foot+thin", "crossbar+slant+heavy",
               "flag+backslant", "crossbar+thin")


def mnist_writers(x: np.ndarray, y: np.ndarray, rng) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Disjoint sets of MNIST test digits, PER_DIGIT per class, each in one style."""
    order = {d: rng.permutation(np.nonzero(y == d)[0]) for d in range(10)}
    out = {}
    for w, rule in enumerate(MNIST_RULES):   # (each writer's digits apart from the others')
        idx = np.concatenate([order[d][w * PER_DIGIT:(w + 1) * PER_DIGIT] for d in range(10)])
        imgs = np.stack([_restyle(x[i, 0], rule, int(y[i])) for i in idx])[:, None]
        out[f"MNIST {rule}"] = (imgs.astype(np.float32), y[idx])
    return out


def hershey_writers(rng) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    out = {}
    for font in HELDOUT_HANDS:
        imgs, labels = [], []
        for d in range(10):
            polys = hand_strokes(font, str(d))
            while polys and labels.count(d) < PER_DIGIT:
                img = render(jitter(_place(polys, rng), rng))
                if img is not None and img.sum() >= 3:
                    imgs.append(img)
                    labels.append(d)
        out[f"Hershey {font}"] = (np.stack(imgs)[:, None].astype(np.float32), np.array(labels))
    return out


# ---- the evaluation ---------------------------------------------------------------------------

def run_personal(cfg: PersonalConfig, log=print) -> dict:
    models = resolve(cfg.models_dir)
    rng = np.random.default_rng(cfg.seed)
    hidden, w0, b0, t = head_parts(models)
    ghidden, v0, e0, th = dnn_parts(models)
    xtr, _ = load_split(mnist_dir(cfg.data_dir), "train")
    replay = to_float(xtr[rng.choice(len(xtr), cfg.replay, replace=False)])
    space = make_subspace(hidden(replay), cfg.rank)
    # digit-or-not: the training digits and the training hands' non-digits hold their logits
    negatives = generate(cfg.replay // 2, seed=cfg.seed + 7, heldout=False)[0]
    gspace = make_subspace(np.concatenate([ghidden(replay), ghidden(negatives)]), cfg.rank)
    sets = heldout_sets(models, cfg.data_dir, log)
    test_f, test_y, non_g = hidden(sets["test"]), sets["labels"], ghidden(sets["nondigits"])
    xte, yte = load_split(mnist_dir(cfg.data_dir), "test")
    writers = {**hershey_writers(rng), **mnist_writers(to_float(xte), yte, rng)}
    fit_cfg = FitConfig(keep=cfg.keep, steps=cfg.steps)

    def logits(f, corr: Correction | None = None):
        out = f @ w0.T + b0
        return out if corr is None else out + corr.logits(f @ space.basis)

    def rejected(g, corr: Correction | None = None) -> float:
        out = g @ v0.T + e0 + (0 if corr is None else corr.logits(g @ gspace.basis))
        return float((softmax(out)[:, 1] < th).mean())

    rows = {}
    for name, (imgs, labels) in writers.items():
        f, g = hidden(imgs), ghidden(imgs)
        row = {}
        for k in KS:
            pick = np.concatenate([np.nonzero(labels == d)[0][:k] for d in range(10)])
            rest = np.setdiff1d(np.arange(len(labels)), pick)
            corr = fit(f[pick] @ space.basis, logits(f[pick]), labels[pick], space, fit_cfg, t)
            gbase = g[pick] @ v0.T + e0
            gcorr = fit(g[pick] @ gspace.basis, gbase, np.ones(len(pick), int), gspace, fit_cfg)
            row[f"k={k}"] = {
                "shipped error": round(float((logits(f[rest]).argmax(1) != labels[rest]).mean()), 4),
                "personal error": round(float((logits(f[rest], corr).argmax(1) != labels[rest]).mean()), 4),
                "MNIST test accuracy": round(float((logits(test_f, corr).argmax(1) == test_y).mean()), 5),
                "non-digits rejected": round(rejected(non_g, gcorr), 4),
                "rest accepted, shipped / personal": [round(1 - rejected(g[rest]), 4), round(1 - rejected(g[rest], gcorr), 4)]}
        rows[name] = row
        log(f"{name}: {json.dumps(row)}")
    # one digit taught alone: 5 sevens of a writer who crosses them
    imgs, labels = writers["MNIST " + MNIST_RULES[1]]
    f = hidden(imgs[labels == 7][:5])
    corr = fit(f @ space.basis, logits(f), np.full(len(f), 7), space, fit_cfg, t)
    base, mine = logits(test_f).argmax(1), logits(test_f, corr).argmax(1)
    per_class = {d: round(float((mine[test_y == d] == d).mean() - (base[test_y == d] == d).mean()) * 100, 2) for d in range(10)}
    summary = summarise(rows)
    summary["only 5 sevens taught: worst class change on MNIST test, points"] = min(per_class.values())
    summary["non-digits rejected, shipped"] = round(rejected(non_g), 4)
    summary["MNIST test accuracy, shipped"] = round(float((logits(test_f).argmax(1) == test_y).mean()), 5)
    log(f"one digit taught (5 sevens): change in each class's accuracy, points: {per_class}")
    log(f"summary: {json.dumps(summary)}")
    return {"config": cfg.__dict__, "writers": rows, "only_sevens_taught": per_class, "summary": summary}


def summarise(rows: dict) -> dict:
    out = {}
    for k in KS:
        r = [row[f"k={k}"] for row in rows.values()]
        out[f"k={k}"] = {"median writer's error, shipped": round(float(np.median([x["shipped error"] for x in r])), 4),
                         "median writer's error, personal": round(float(np.median([x["personal error"] for x in r])), 4),
                         "lowest MNIST test accuracy": min(x["MNIST test accuracy"] for x in r),
                         "lowest non-digits rejected": min(x["non-digits rejected"] for x in r)}
    return out


def table(result: dict) -> str:
    """The README's table: per k, the median writer, and the worst case elsewhere."""
    s, cfg = result["summary"], result["config"]
    pct = lambda v: f"{100 * v:.2f}%"  # noqa: E731
    cell = lambda k, a, b: f"{pct(s[f'k={k}'][a])} → **{pct(s[f'k={k}'][b])}**"  # noqa: E731
    rows = ["| samples per digit (k) | " + " | ".join(str(k) for k in KS) + " |", "|---" * (len(KS) + 1) + "|",
            "| median writer's error on their other digits: shipped → personal | " + " | ".join(
                cell(k, "median writer's error, shipped", "median writer's error, personal") for k in KS) + " |",
            "| with any writer's heads, lowest: MNIST test accuracy / non-digits rejected | " + " | ".join(
                f"{pct(s[f'k={k}']['lowest MNIST test accuracy'])} / {pct(s[f'k={k}']['lowest non-digits rejected'])}"
                for k in KS) + " |", ""]
    rows.append(f"{len(result['writers'])} writers (held-out Hershey hands; MNIST test digits restyled: flags, crossbars, "
                f"feet, slants, pens); shipped: MNIST test {pct(s['MNIST test accuracy, shipped'])}, non-digits rejected "
                f"{pct(s['non-digits rejected, shipped'])}. Only 5 sevens taught: no class moves more than "
                f"{abs(min(0.0, s['only 5 sevens taught: worst class change on MNIST test, points'])):.2f} points. "
                f"[{cfg['out']}]({cfg['out']}), [docs/models.md](docs/models.md#personal-heads).")
    return "\n".join(rows)


def export_subspaces(models: Path, data_dir: str = "", cfg: PersonalConfig = PersonalConfig(), log=print) -> dict:
    """Write models/personal.bin, what the page's personal heads need besides the shipped graph:
    each head's subspace (basis, moments, mean) as float16, laid out as models.json records."""
    rng = np.random.default_rng(cfg.seed)
    hidden, _, _, _ = head_parts(models)
    ghidden, _, _, _ = dnn_parts(models)
    xtr, _ = load_split(mnist_dir(data_dir), "train")
    replay = to_float(xtr[rng.choice(len(xtr), cfg.replay, replace=False)])
    negatives = generate(cfg.replay // 2, seed=cfg.seed + 7, heldout=False)[0]
    spaces = {"digits": make_subspace(hidden(replay), cfg.rank),
              "digit_or_not": make_subspace(np.concatenate([ghidden(replay), ghidden(negatives)]), cfg.rank)}
    blob, arrays = bytearray(), {}
    for head, space in spaces.items():
        for name in ("basis", "moments", "mean"):
            a = np.ascontiguousarray(getattr(space, name), np.float16)
            arrays[f"{head}.{name}"] = {"offset": len(blob), "shape": list(a.shape)}
            blob += a.tobytes()
    path = models / "personal.bin"
    path.write_bytes(bytes(blob))
    log(f"wrote {path} ({len(blob)} bytes)")
    return {"file": path.name, "dtype": "float16", "arrays": arrays,
            "fit": {"keep": cfg.keep, "steps": cfg.steps, "rank": cfg.rank, "replay": cfg.replay, "seed": cfg.seed},
            "note": "subspaces for personal heads (digitpad.personal), built by `python -m train combine`"}
