"""`python3 build.py screenshot`: the README's two pictures of the built page in Chromium, made the
same way each time.

docs/screenshot.png: a desktop, where a person writes 2026 with the mouse (four MNIST test digits
traced to pen strokes, side by side, by the numbers evaluation's own composer).
docs/screenshot-phone.png: a 390x844 phone, where a finger writes one MNIST test 7 (real touch
events); the picture is the screen as it is after drawing, unscrolled.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from .browser import ARGS, CHROMIUM, App, Server

ROOT = Path(__file__).resolve().parent.parent


def traced(digits: list[int]) -> list[list[tuple[float, float]]]:
    """The first MNIST test image of each digit, traced; several are written side by side."""
    from train.data import load_split, mnist_dir
    from train.numbers import compose
    from train.trace import image_to_strokes
    x, y = load_split(mnist_dir(), "test")
    strokes = [image_to_strokes(x[int(np.flatnonzero(y == d)[0])] / 255.0, width=20.0) for d in digits]
    if len(digits) == 1:
        return [s.points.tolist() for s in strokes[0]]
    number = compose(strokes, digits, np.random.default_rng(0), gap=(0.25, 0.3))
    return [s.points.tolist() for s in number.strokes]


def main(dist: Path = ROOT / "dist", docs: Path = ROOT / "docs") -> None:
    server = Server(dist)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        app = App(page, server.origin).open(server.url)
        page.click("#auto-predict")         # one answer, for the whole number
        app.draw(traced([2, 0, 2, 6]), steps=2)
        app.predict()
        print(f"desktop: read {page.text_content('#number')!r}, verdict {app.verdict()}")
        page.screenshot(path=str(docs / "screenshot.png"), full_page=True)
        page.close()

        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                    device_scale_factor=2)
        app = App(phone.new_page(), server.origin).open(server.url)
        seven = traced([7])
        app.touch_draw(seven)
        app.wait_predictions(len(seven))
        print(f"phone: read {app.digit()!r}, verdict {app.verdict()}")
        app.page.screenshot(path=str(docs / "screenshot-phone.png"))
        browser.close()
    server.stop()
    print(f"wrote {docs / 'screenshot.png'} and {docs / 'screenshot-phone.png'}")


if __name__ == "__main__":
    main()
