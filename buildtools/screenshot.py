"""`python3 build.py screenshot`: the README's two pictures of the built page in Chromium, made the
same way each time.

docs/screenshot.png: a desktop, where a person writes 2026 with the mouse (four MNIST test digits
traced to pen strokes, side by side, by the numbers evaluation's own composer).
docs/screenshot-digit-2.png and -4.png: the same number with its second, then its fourth digit
selected (the answer, the eye and the outline on the pad follow the selection).
docs/screenshot-phone.png: a 390x844 phone, where a finger writes one MNIST test 7 (real touch
events); the picture is the screen as it is after drawing, unscrolled.
docs/screenshot-photo.png: a desktop reading a generated photo of two lines on ruled paper in
pencil (the photo evaluation's generator, MNIST training digits), its boxes over the photo.
docs/screenshot-inside.png: "Inside the network" open for one traced MNIST test 4, a map of conv 2
selected and a cell of it pointed at: the pad (left) and the panel (right) of the page at that
moment, side by side (they are far apart on the page).
The camera's, a zoomed form's and a 360 px phone's: screenshot_camera.py; digits that touch, on a
photo and written in one stroke on the pad: screenshot_touching.py; a form read row by row:
screenshot_form.py.
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
        for i in (2, 4):                    # one digit of the number selected: the answer is that digit's
            n = int(page.get_attribute("html", "data-selections") or 0)
            page.click(f"#number-digits li:nth-child({i})")
            app.wait_attr("selections", n + 1)
            print(f"desktop: digit {i} selected, read {app.digit()!r}, top 3 {page.text_content('#top3')!r}")
            page.screenshot(path=str(docs / f"screenshot-digit-{i}.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 720})
        page.close()

        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                    device_scale_factor=2)
        app = App(phone.new_page(), server.origin).open(server.url)
        seven = traced([7])
        app.touch_draw(seven)
        app.wait_predictions(len(seven))
        print(f"phone: read {app.digit()!r}, verdict {app.verdict()}")
        app.page.screenshot(path=str(docs / "screenshot-phone.png"))
        phone.close()

        page = browser.new_page(viewport={"width": 1280, "height": 900})
        app = App(page, server.origin).open(server.url)
        p = read_photo(app, 7, "ruled", "pencil", 2, (4, 5))
        print(f"photo: written {p.lines}, read {[li.text_content() for li in page.query_selector_all('#lines li')]}")
        page.screenshot(path=str(docs / "screenshot-photo.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 760})
        page.close()
        inside(browser, server, docs / "screenshot-inside.png")
        browser.close()
        from . import screenshot_camera, screenshot_form, screenshot_touching
        screenshot_camera.main(pw, server, docs)
        screenshot_touching.main(pw, server, docs)
        screenshot_form.main(pw, server, docs)
    server.stop()
    print(f"wrote {docs / 'screenshot.png'}, screenshot-digit-2.png, screenshot-digit-4.png, "
          f"{docs / 'screenshot-phone.png'} and {docs / 'screenshot-photo.png'}")


def read_photo(app: App, seed: int, paper: str, ink: str, lines: int, lengths):
    """A generated 2 MP scan (the photo evaluation's generator), chosen through #photo and read."""
    import sys
    import tempfile
    sys.path.insert(0, str(ROOT / "tests"))
    from photos import photo
    p = photo(seed, "scan", paper, ink, lines, lengths)
    with tempfile.NamedTemporaryFile(suffix=".jpg") as f:
        f.write(p.jpeg)
        f.flush()
        app.page.set_input_files("#photo", f.name)
        app.wait_attr("photos", int(app.attr("photos") or 0) + 1, timeout=60_000)
    return p


def inside(browser, server: Server, out: Path) -> None:
    import io

    from PIL import Image
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    app = App(page, server.origin).open(server.url)
    four = traced([4])
    app.draw(four, steps=2)
    app.wait_predictions(len(four))
    page.click("#inside summary")
    app.wait_attr("insides", 1, timeout=60_000)
    tiles = page.locator("#inside-layers tr[data-layer='conv 2'] canvas")     # map 12: 8 to a row of 24 + 1 pixels
    b = tiles.bounding_box()
    tiles.click(position={"x": (3 * 25 + 12) * b["width"] / 199, "y": (1 * 25 + 12) * b["height"] / 99})
    app.wait_attr("insides", 2)
    page.evaluate("document.getElementById('inside-body').scrollTop = 0; document.getElementById('inside').scrollIntoView()")
    m = page.locator("#inside-map").bounding_box()
    page.mouse.move(m["x"] + m["width"] * 0.42, m["y"] + m["height"] * 0.3)
    print(f"inside: read {app.digit()!r}, outline {app.attr('inside-outline')} (x, y, side in input pixels)")
    top = page.locator("#inside").bounding_box()["y"]
    panel = Image.open(io.BytesIO(page.screenshot(clip={"x": 0, "y": top, "width": 1280, "height": min(780, 900 - top)})))
    # the pad as it is painted now, outline included (scrolling to it would move the pointer off the map)
    data = page.evaluate("document.getElementById('pad').toDataURL('image/png')")
    import base64
    left = Image.open(io.BytesIO(base64.b64decode(data.split(",", 1)[1]))).convert("RGB")
    left.thumbnail((400, 400))
    sheet = Image.new("RGB", (left.width + 32 + panel.width, panel.height), "#f4f6f8")
    sheet.paste(left, (16, 16))
    sheet.paste(panel, (left.width + 32, 0))
    sheet.save(out, optimize=True)
    page.close()


if __name__ == "__main__":
    main()
