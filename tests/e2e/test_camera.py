"""The live camera in Chromium, with a fake camera that films a photo of a handwritten number: a
Y4M video made at test time from the photo generator (train/photo_make.py, a 1280x720 "camera"
frame), played by --use-fake-device-for-media-stream and --use-file-for-fake-video-capture.

One browser of its own for the module (the fake camera is a launch flag). The camera permission is
granted per context (Playwright's permissions) rather than by --use-fake-ui-for-media-stream, so
that a context without it is a person who said no. Chromium software-renders here (--disable-gpu):
with the GPU emulated on the CPU (SwiftShader, the other tests' setting), each frame the worker
reads comes back through that emulation, 50-250 ms, which no real device has (build.py bench
measures both). The shared browser has no camera at all: the "no camera" message is tested there.
"""
from __future__ import annotations

import io

import pytest
from PIL import Image

from photos import photo, y4m
from .test_accessibility import axe, check

from .conftest import ARGS, App

NUMBER = photo(7, "camera", "ruled", "blue", 1, (4, 6))      # 767571, written on ruled paper
BLANK = Image.new("RGB", (1280, 720), (236, 234, 228))       # a blank sheet: nothing to read


@pytest.fixture(scope="module")
def filmed(tmp_path_factory):
    """The fake camera's file: the number's video; a test may film something else for a while."""
    path = tmp_path_factory.mktemp("camera") / "camera.y4m"
    path.write_bytes(y4m(Image.open(io.BytesIO(NUMBER.jpeg))))
    return path


@pytest.fixture(scope="module")
def camera_browser(playwright, filmed):
    from .conftest import CHROMIUM
    args = [a for a in ARGS if "angle" not in a and "swiftshader" not in a]
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=args + [
        "--disable-gpu", "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={filmed}"])
    yield b
    b.close()


@pytest.fixture
def open_camera_app(camera_browser, server, request):
    made = []

    def make(query: str = "", allowed: bool = True, **context_args) -> App:
        ctx = camera_browser.new_context(viewport={"width": 1200, "height": 1000}, service_workers="block",
                                         permissions=["camera"] if allowed else [], bypass_csp=True, **context_args)
        app = App(ctx.new_page(), server.origin)
        made.append((ctx, app))
        app.page.goto(server.url + "?backend=wasm" + query)
        app.wait_ready()
        return app

    yield make
    rep = getattr(request.node, "rep_call", None)
    for ctx, app in made:
        if rep is not None and rep.failed:
            print(f"\n--- browser console ({len(app.console)} lines) ---\n" + "\n".join(app.console[-200:]))
        ctx.close()


def frames(app) -> int:
    return int(app.attr("camera-frames") or 0)


def wait_frames(app, n: int, timeout=60_000):
    app.page.wait_for_function(f"Number(document.documentElement.dataset.cameraFrames || 0) >= {n}", timeout=timeout)


def start(app):
    app.page.click("#camera-open")
    app.wait_attr("camera", "live", timeout=60_000)


@pytest.fixture(scope="module")
def oracle():
    from train.config import resolve
    from train.photos import PhotoReader
    return PhotoReader(resolve("models"))


def test_the_number_is_read_live_and_take_keeps_it_as_a_photo(open_camera_app, oracle):
    app = open_camera_app()
    start(app)
    assert app.attr("mode") == "photo" and app.page.is_visible("#camera-take")
    assert not app.page.is_visible("#photo-whole")
    wait_frames(app, 3)
    assert app.page.text_content("#number") == NUMBER.lines[0]
    # the boxes drawn over the live picture are the frame's: the canvas says what it shows
    assert NUMBER.lines[0] in app.page.get_attribute("#photo-canvas", "aria-label")
    assert app.attr("photos") is None                        # live frames are not photos ...
    check(axe(app), "the camera live")
    app.page.click("#camera-take")
    app.wait_attr("photos", 1)                               # ... the frame taken is
    assert app.attr("camera") == "taken" and app.attr("mode") == "photo"
    assert app.page.text_content("#number") == NUMBER.lines[0]
    assert app.page.is_visible("#photo-whole") and not app.page.is_visible("#camera-take")
    n = frames(app)
    # a photo now: a tap on a box selects that symbol, and its key teaches it, as for any photo
    q = oracle.read(NUMBER.jpeg)["photo"]["symbols"][1]["quad"]        # the second digit's box
    box = app.page.locator("#photo-canvas").bounding_box()
    app.page.mouse.click(box["x"] + box["width"] * sum(q[0::2]) / 4, box["y"] + box["height"] * sum(q[1::2]) / 4)
    app.wait_attr("photos", 2)
    assert app.page.text_content("#digit") == NUMBER.lines[0][1]
    app.page.keyboard.press(NUMBER.lines[0][1])
    app.page.wait_for_function("() => document.querySelector('#message').textContent.startsWith('Learned')")
    app.page.click("#photo-back")
    app.wait_attr("mode", "pad")
    assert frames(app) == n                                  # nothing more was read once taken
    assert app.foreign_requests() == []                      # the frames went nowhere but the workers


def test_leaving_the_view_or_hiding_the_tab_stops_the_camera(open_camera_app):
    app = open_camera_app()
    start(app)
    wait_frames(app, 1)
    app.page.click("#photo-back")
    app.wait_attr("camera", "off")
    assert app.attr("mode") == "pad" and not app.page.is_visible("#camera-problem")
    start(app)
    app.page.evaluate("""() => {
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
      document.dispatchEvent(new Event("visibilitychange"));
    }""")
    app.wait_attr("camera", "stopped")
    assert app.attr("mode") == "pad"
    assert "hidden" in app.page.text_content("#camera-problem-text")
    assert app.page.is_visible("#camera-retry") and app.page.is_visible("#camera-photo")


def test_a_camera_that_reads_nothing_stops_after_the_idle_time(open_camera_app, filmed):
    number = filmed.read_bytes()
    filmed.write_bytes(y4m(BLANK))            # the fake camera opens its file each time it starts
    try:
        app = open_camera_app("&camera-idle=2")
        start(app)
        app.wait_attr("camera", "stopped", timeout=60_000)
    finally:
        filmed.write_bytes(number)
    assert frames(app) >= 2 and app.page.text_content("#number") == ""
    assert "nothing was read for 2 seconds" in app.page.text_content("#camera-problem-text")


def test_a_denied_camera_says_so_and_offers_the_photo_chooser(open_camera_app):
    app = open_camera_app(allowed=False)
    app.page.click("#camera-open")
    app.wait_attr("camera", "denied")
    assert app.attr("mode") != "photo" and app.page.is_visible("#pad")
    assert "blocked" in app.page.text_content("#camera-problem-text")
    check(axe(app), "the camera denied")
    with app.page.expect_file_chooser() as chooser:
        app.page.click("#camera-photo")
    assert not chooser.value.is_multiple()


def test_no_camera_says_so_and_offers_the_photo_chooser(app):
    # the shared browser has no camera, real or fake
    app.page.click("#camera-open")
    app.wait_attr("camera", "none")
    assert "No camera" in app.page.text_content("#camera-problem-text")
    assert app.page.is_visible("#camera-photo") and not app.page.is_visible("#camera-retry")
