"""python -m bench.accuracy [--limit N]: the page's networks measured in the page, on each backend.

The held-out sets of `train combine` (combined_eval.py: the 10,000 MNIST test digits, the same
traced as on the pad, and the held-out non-digits) go through the built page's model worker in
Chromium, on wasm and on WebGL (SwiftShader here: software, so slow, but the arithmetic a GPU
does), exactly as the page runs the shipped graph. The rates land in models.json beside the
float32 networks' and onnxruntime's, and the README's model table shows them.
"""
from __future__ import annotations

import argparse
import base64
import json
import time
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from buildtools import site
from buildtools.browser import ARGS, CHROMIUM, App, Server
from train.combined_eval import SETS, heldout_sets, scores
from train.onnx_io import read_models_json, update_models_json

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "models"
CHUNK = 360          # images per call into the page: a multiple of the WebGL batches (36)


def run_page(dist: Path, backend: str, x: np.ndarray, log=print) -> tuple[np.ndarray, np.ndarray]:
    server = Server(dist)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            app = App(browser.new_page(), server.origin).open(server.url, backend=backend)
            assert app.page.text_content("#backend") == backend, app.page.text_content("#backend-note")
            worker = next(w for w in app.page.workers if w.url.endswith("model-worker.js"))
            digits, digit_or_not, t0 = [], [], time.perf_counter()
            for i in range(0, len(x), CHUNK):
                part = np.ascontiguousarray(x[i:i + CHUNK], np.float32)
                r = worker.evaluate("([b, n]) => self.classifyForTest(b, n)",
                                    [base64.b64encode(part.tobytes()).decode(), len(part)])
                assert r["backend"] == backend, r["backend"]
                digits.append(np.array(r["digits"], np.float32).reshape(-1, 10))
                digit_or_not.append(np.array(r["digitOrNot"], np.float32).reshape(-1, 2))
                if i // CHUNK % 10 == 0:
                    log(f"{backend}: {i + len(part)} / {len(x)} images ({time.perf_counter() - t0:.0f} s)")
            browser.close()
    finally:
        server.stop()
    return np.concatenate(digits), np.concatenate(digit_or_not)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.accuracy", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--backends", default="wasm,webgl")
    p.add_argument("--limit", type=int, default=0, help="images per set (a smoke run; nothing is recorded)")
    p.add_argument("--dist", default=str(ROOT / "dist"))
    args = p.parse_args(argv)
    dist = Path(args.dist)
    if not (dist / "build.json").exists():
        site.build(dist)
    sets = heldout_sets(MODELS)
    if args.limit:
        sets = {k: v[: args.limit] for k, v in sets.items()}
    x = np.concatenate([sets[k] for k in SETS])
    n = {k: len(sets[k]) for k in SETS}
    th = read_models_json(MODELS)["models"]["digit_or_not"]["threshold"]
    measured = {}
    for backend in args.backends.split(","):
        digits, digit_or_not = run_page(dist, backend, x)
        measured[f"combined.onnx in the page, {backend}"] = scores(digits, digit_or_not, sets["labels"], n, th)
        print(json.dumps({backend: measured[f"combined.onnx in the page, {backend}"]}))
    if args.limit:
        return
    entry = read_models_json(MODELS)["models"]["combined"]
    entry["metrics"] = {**entry.get("metrics", {}), **measured}
    update_models_json(MODELS, "combined", entry)
    print("recorded in models/models.json")


if __name__ == "__main__":
    main()
