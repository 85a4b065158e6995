"""`python3 build.py screenshot` (with screenshot.py): the camera's and the phone's pictures.

docs/screenshot-camera-phone.png: a 390x844 phone whose camera films a form with a handwritten
number (Chromium's fake camera playing a 1280x720 frame of the photo generator, as
tests/e2e/test_camera.py does), read live: the boxes and digits over the moving picture.
docs/screenshot-photo-form.png: a desktop reading a generated photo of a form with three
numbers, zoomed in twice with "+": the boxes' digits keep their size, the lines list beside it.
docs/screenshot-pad-row-360.png: a 360x740 phone at start: the pad and its row of tools, no
button's text cut ("Read a photo" and "Camera" follow the answer, further down).
"""
from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path

from PIL import Image

from .browser import ARGS, CHROMIUM, App, Server

ROOT = Path(__file__).resolve().parent.parent


def main(pw, server: Server, docs: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from photos import photo, y4m
    with tempfile.TemporaryDirectory() as tmp:
        form = photo(11, "camera", "form", "blue", 1, (4, 5))
        video = Path(tmp) / "camera.y4m"
        video.write_bytes(y4m(Image.open(io.BytesIO(form.jpeg))))
        args = [a for a in ARGS if "angle" not in a and "swiftshader" not in a] + [
            "--disable-gpu", "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=args)
        ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, permissions=["camera"])
        app = App(ctx.new_page(), server.origin).open(server.url)
        app.page.click("#camera-open")
        app.wait_attr("camera", "live", timeout=60_000)
        app.page.wait_for_selector("#number:not(:empty)", state="attached", timeout=60_000)
        print(f"camera: written {form.lines}, read live {app.page.text_content('#number')!r}")
        app.page.screenshot(path=str(docs / "screenshot-camera-phone.png"))
        browser.close()

    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    app = App(page, server.origin).open(server.url)
    from .screenshot import read_photo
    p = read_photo(app, 29, "form", "blue", 3, (3, 5))
    page.click("#photo-zoom-in")
    page.click("#photo-zoom-in")
    page.wait_for_selector("html[data-photo-view]:not([data-photo-view*='\"z\":1,'])", state="attached")
    print(f"form: written {p.lines}, read {[li.text_content() for li in page.query_selector_all('#lines li')]}")
    page.screenshot(path=str(docs / "screenshot-photo-form.png"), clip={"x": 0, "y": 0, "width": 1280, "height": 760})
    page.close()

    phone = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                device_scale_factor=2)
    app = App(phone.new_page(), server.origin).open(server.url)
    print("phone, 360 px: the pad's row of tools, at start")
    app.page.screenshot(path=str(docs / "screenshot-pad-row-360.png"))
    phone.close()
    browser.close()
