"""`python3 build.py screenshot`: docs/screenshot.png, the built page in Chromium, made the same way each time.

A person writes 2026 with the mouse: four MNIST test digits traced to pen strokes, written side by
side by the numbers evaluation's own composer.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from .browser import ARGS, CHROMIUM, App, Server

ROOT = Path(__file__).resolve().parent.parent


def strokes_2026() -> list[list[tuple[float, float]]]:
    from train.data import load_split, mnist_dir
    from train.numbers import compose
    from train.trace import image_to_strokes
    x, y = load_split(mnist_dir(), "test")
    digits = [image_to_strokes(x[int(np.flatnonzero(y == d)[0])] / 255.0, width=20.0) for d in (2, 0, 2, 6)]
    number = compose(digits, [2, 0, 2, 6], np.random.default_rng(0), gap=(0.25, 0.3))
    return [s.points.tolist() for s in number.strokes]


def main(dist: Path = ROOT / "dist", out: Path = ROOT / "docs" / "screenshot.png") -> None:
    server = Server(dist)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        app = App(page, server.origin).open(server.url)
        page.click("#auto-predict")         # one answer, for the whole number
        app.draw(strokes_2026(), steps=2)
        app.predict()
        print(f"read {page.text_content('#number')!r}, verdict {app.verdict()}")
        page.screenshot(path=str(out), full_page=True)
        browser.close()
    server.stop()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
