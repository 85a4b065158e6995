"""The page's graph measured on the digit-or-not network's own held-out sets, beside the two
float32 networks it was built from, on the very same images.

The sets are those of `train digit-or-not`'s report (its seed and sizes read from models.json):
the 10,000 MNIST test digits, the same digits traced to pen strokes and drawn as on the pad, and
the held-out non-digits (hands, font families and generator seeds training never sees). They are
cached as one .npz, which the browser check (`python -m train browser-eval`) feeds to the page.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import onnxruntime as ort

from .config import resolve
from .data import load_split, mnist_dir, to_float
from .digit_or_not_eval import rates
from .negatives import generate
from .onnx_io import read_models_json
from .traced import cached_traced_digits

SETS = ("test", "traced", "nondigits")


def heldout_sets(models: Path, data_dir: str = "", log=print) -> dict[str, np.ndarray]:
    """{'test', 'traced', 'nondigits': float32 [n,1,28,28], 'labels': int64 [10000]}, cached."""
    cfg = read_models_json(models)["models"]["digit_or_not"]["training"]["config"]
    x, y = load_split(mnist_dir(data_dir), "test")
    cache = resolve("runs/cache")
    key = hashlib.sha256(repr((cfg["seed"], cfg["heldout_negatives"], x[:50].tobytes())).encode()).hexdigest()[:12]
    path = cache / f"heldout-{key}.npz"
    if path.exists():
        return dict(np.load(path))
    log(f"building the held-out sets (digit-or-not seed {cfg['seed']}), cached in {path}")
    sets = {"test": to_float(x), "labels": y.astype(np.int64),
            "traced": cached_traced_digits(x, cfg["seed"] + 2, cache, normalize_p=0.85, tilt=True, log=log),
            "nondigits": generate(cfg["heldout_negatives"], seed=cfg["seed"] * 1000 + 3, heldout=True)[0]}
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, **sets)
    return sets


def scores(digits: np.ndarray, digit_or_not: np.ndarray, labels: np.ndarray, n: dict, threshold: float) -> dict:
    """Rates from outputs over the three sets in order (test, traced, nondigits), at the page's threshold."""
    a, b = n["test"], n["test"] + n["traced"]
    p = digit_or_not[:, 1]
    out = rates(p[:a], p[b:], threshold)
    out.update({"test_accuracy": round(float((digits[:a].argmax(1) == labels).mean()), 5),
                "traced_digits_accepted": round(float((p[a:b] >= threshold).mean()), 5)})
    return out


def onnx_outputs(models: Path, files: list[str], x: np.ndarray, batch: int = 1000) -> list[np.ndarray]:
    """Each output of the graphs in `files`, in order, over x (onnxruntime on the CPU)."""
    outs = []
    for f in files:
        s = ort.InferenceSession(str(models / f), providers=["CPUExecutionProvider"])
        runs = [s.run(None, {"image": x[i:i + batch]}) for i in range(0, len(x), batch)]
        outs += [np.concatenate([r[k] for r in runs]) for k in range(len(runs[0]))]
    return outs


def compare(models: Path, data_dir: str = "", log=print) -> dict:
    """The float32 pair and the page's combined graph on the same held-out images."""
    sets = heldout_sets(models, data_dir, log)
    x = np.concatenate([sets[k] for k in SETS])
    n = {k: len(sets[k]) for k in SETS}
    th = read_models_json(models)["models"]["digit_or_not"]["threshold"]
    digits, digit_or_not = onnx_outputs(models, ["digits.onnx", "digit_or_not.onnx"], x)
    c_digits, c_digit_or_not = onnx_outputs(models, ["combined.onnx"], x)[:2]   # (then the features)
    out = {"float32 (digits.onnx + digit_or_not.onnx)": scores(digits, digit_or_not, sets["labels"], n, th),
           "combined.onnx, onnxruntime CPU": scores(c_digits, c_digit_or_not, sets["labels"], n, th),
           "max_abs_difference": round(float(max(np.abs(digits - c_digits).max(),
                                                 np.abs(digit_or_not - c_digit_or_not).max())), 5)}
    log(f"held-out sets: {out}")
    return out
