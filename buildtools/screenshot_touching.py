"""Pictures of digits that touch (called by screenshot.py's main, in the same Playwright run):

docs/screenshot-touching-photo.png: a generated scan whose digits all touch (MNIST training digits
the networks never trained on), read with a box for each cut digit and the second one tapped.
docs/screenshot-joined.png: a number of MNIST test digits written without lifting the pen (the
numbers evaluation's joined composer), read on the pad, with its second digit selected: the
outline is that digit's piece of the stroke.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from .browser import ARGS, CHROMIUM, App, Server

ROOT = Path(__file__).resolve().parent.parent


def joined_number(seed: int = 5) -> tuple[list[list[list[float]]], str]:
    from train.data import load_split, mnist_dir
    from train.numbers import joined_numbers
    x, y = load_split(mnist_dir(), "test")
    (num,) = joined_numbers(x[:60], y[:60], 1, seed)
    return [s.points.tolist() for s in num.strokes], "".join(map(str, num.labels))


def main(pw, server: Server, docs: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from photos import touching
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    app = App(page, server.origin).open(server.url)
    p = touching("20386", 1, paper="ruled", ink="black")     # one read right (about half are: docs/photos.md)
    with tempfile.NamedTemporaryFile(suffix=".jpg") as f:
        f.write(p.jpeg)
        f.flush()
        page.set_input_files("#photo", f.name)
        app.wait_attr("photos", 1, timeout=60_000)
    n = int(app.attr("selections") or 0)
    page.click("#number-digits li:nth-child(2)")
    app.wait_attr("selections", n + 1)
    print(f"touching photo: written {p.lines}, read {page.text_content('#number')!r}, digit 2 read {app.digit()!r}")
    page.screenshot(path=str(docs / "screenshot-touching-photo.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 760})
    page.close()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    app = App(page, server.origin).open(server.url)
    strokes, written = joined_number()
    page.click("#auto-predict")
    app.draw(strokes, steps=2)
    app.predict()
    n = int(app.attr("selections") or 0)
    page.click("#number-digits li:nth-child(2)")
    app.wait_attr("selections", n + 1)
    print(f"joined: written {written} in {len(strokes)} strokes, read {page.text_content('#number')!r}, "
          f"digit 2 read {app.digit()!r}")
    page.screenshot(path=str(docs / "screenshot-joined.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 720})
    page.close()
    browser.close()
