"""python -m bench.teach [--samples 500] [--rounds 3]: teaching measured in the built page (wasm).

500 labelled MNIST training digits are imported as samples; "Use what I taught" is switched on
and off `rounds` times, each time fitting the personal heads on all of them in the page's Python
(the page's own `data-fit-ms`). Between, the same 10 strokes are drawn with the heads off and on
(the page's own `data-stroke-ms`), interleaved, so the cost of the heads on the stroke path shows.
Writes reports/teach.json.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from buildtools.browser import ARGS, CHROMIUM, App, Server

ROOT = Path(__file__).resolve().parent.parent


def samples_file(n: int, path: Path) -> None:
    """n MNIST training digits as a digitpad samples file (a distinct one-stroke drawing each)."""
    from train.data import load_split, mnist_dir, to_float     # (first: it puts py/ on the path)
    from digitpad.samples import dump, make_sample
    from digitpad.strokes import Drawing, make_stroke
    x, y = load_split(mnist_dir(""), "train")
    out = []
    for i in range(n):
        idx = np.nonzero(y == i % 10)[0][i // 10]
        d = Drawing([make_stroke(np.array([[10.0 + i % 200, 10.0], [20.0, 20.0 + i // 200]]))])
        out.append(make_sample(d, to_float(x[idx:idx + 1])[0, 0], str(i % 10)))
    path.write_text(dump(out))


def strokes(app: App, k: int, out: list[float]) -> None:
    for i in range(k):
        if app.page.get_attribute("#pad", "data-strokes") not in (None, "0"):
            n = app.predictions
            app.page.click("#clear")
            app.wait_predictions(n + 1)
        n = app.predictions
        app.draw([[(60 + i % 7, 130), (170, 50 + i % 5), (150, 230)]])
        app.wait_predictions(n + 1)
        out.append(float(app.attr("stroke-ms")))


def switch(app: App, on: bool) -> None:
    n = app.predictions
    (app.page.check if on else app.page.uncheck)("#personal")
    app.wait_predictions(n + 1, 60_000)          # the drawing, read again


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.teach", description=__doc__)
    p.add_argument("--dist", type=Path, default=ROOT / "dist")
    p.add_argument("--samples", type=int, default=500)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--out", type=Path, default=ROOT / "reports" / "teach.json")
    args = p.parse_args(argv)
    server = Server(args.dist)
    fits, off, on = [], [], []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        path = Path(tmp) / "samples.json"
        samples_file(args.samples, path)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        app = App(browser.new_context(service_workers="block").new_page(), server.origin).open(server.url)
        app.page.set_input_files("#collect-import", str(path))
        app.page.wait_for_selector(f"#collect-counts[data-total='{args.samples}']", state="attached", timeout=120_000)
        for _ in range(args.rounds):
            strokes(app, 10, off)
            switch(app, True)
            fits.append(float(app.attr("fit-ms")))
            strokes(app, 10, on)
            switch(app, False)
        browser.close()
    server.stop()
    out = {"date": time.strftime("%Y-%m-%d"), "samples": args.samples, "fit_ms": fits,
           "stroke_ms_median": {"heads off": statistics.median(off), "heads on": statistics.median(on)},
           "strokes": {"off": off, "on": on}}
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps({k: out[k] for k in ("samples", "fit_ms", "stroke_ms_median")}))


if __name__ == "__main__":
    main()
