"""Camera frames in CPython (digitpad.photo, the very code the page runs), with the shipped network
run by onnxruntime: a frame's pixels, as the page's worker hands them over (the video's luma plane,
or RGBA from a canvas), read as the photo they show; and the live view's frames, which take the
paper's polarity and turn from the frame before and search them afresh once in LIVE_SEARCH."""
from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from digitpad import actions
from digitpad.controller import Controller
from digitpad.photo import page, reader as reader_module
from digitpad.photo.decode import PhotoError, from_pixels
from photos import photo

LIVE_SIDE = 800        # web/camera.js: the longest side a live frame is read at


@pytest.fixture(scope="module")
def reader():
    from train.config import resolve
    from train.photos import PhotoReader
    return PhotoReader(resolve("models"))


def frame_of(seed: int, paper="ruled", ink="blue", lines=1) -> tuple[Image.Image, list[str]]:
    p = photo(seed, "camera", paper, ink, lines, (3, 6))
    return Image.open(io.BytesIO(p.jpeg)).convert("RGB"), p.lines


@pytest.mark.parametrize("seed,paper,ink", [(300, "ruled", "blue"), (301, "squared", "black"), (302, "form", "pencil")])
def test_a_frame_is_read_from_its_luma_plane_and_from_rgba(reader, seed, paper, ink):
    im, lines = frame_of(seed, paper, ink)
    luma = im.convert("L")           # what a YUV frame's first plane holds (BT.601)
    for pixels, mode, side in ((luma.tobytes(), "L", LIVE_SIDE), (im.convert("RGBA").tobytes(), "RGBA", 1200)):
        view = reader.read_frame(pixels, im.width, im.height, mode, side)
        assert [ln["number"] for ln in view["photo"]["lines"]] == lines, (mode, view["message"])
        assert max(view["photo"]["size"]) == min(side, 1280)


def test_a_frame_of_the_wrong_size_or_kind_gets_a_message():
    with pytest.raises(PhotoError, match="cut short"):
        from_pixels(b"\0" * 100, 32, 32, "L")
    with pytest.raises(PhotoError, match="cannot be read"):
        from_pixels(b"", 0, 0)
    with pytest.raises(PhotoError, match="cannot be read"):
        from_pixels(b"\0" * 32 * 32 * 3, 32, 32, "RGB")
    reply = actions.handle(Controller(), "photo", {"pixels": b"\0" * 99, "width": 64, "height": 64, "mode": "L"}).complete()
    assert "cut short" in reply["error"]


def test_live_frames_search_the_paper_afresh_once_in_ten_and_read_alike(reader, monkeypatch):
    im, lines = frame_of(303, "squared", "blue")
    turned = im.rotate(3, Image.BILINEAR, fillcolor=(200, 200, 200))       # a phone held a little askew
    luma = turned.convert("L")
    searched = []
    real = reader_module.find_ink
    monkeypatch.setattr(reader_module, "find_ink", lambda g, known=None: searched.append(known is None) or real(g, known))

    def nets(batch):
        return reader.sess.run(["probabilities", "digit_or_not"], {"image": batch})

    c = Controller()
    payload = {"pixels": luma.tobytes(), "width": luma.width, "height": luma.height, "mode": "L", "side": LIVE_SIDE}
    views = [actions.handle(c, "photo", {**payload, "live": True}).run(nets)["view"] for _ in range(page.LIVE_SEARCH + 2)]
    assert searched == [True] + [False] * (page.LIVE_SEARCH - 1) + [True, False]
    angles = {v["photo"]["phases"]["angle"] for v in views}
    assert len(angles) == 1 and abs(angles.pop()) >= 2            # the turn found once, and kept
    assert all([ln["number"] for ln in v["photo"]["lines"]] == lines for v in views)
    # a frame that is not live (the frame kept by "Take") searches for itself
    actions.handle(c, "photo", payload).run(nets)
    assert searched[-1] is True
    # what a live frame reads with the turn it was given is what it reads when it searches
    fresh = real(Image.frombytes("L", luma.size, luma.tobytes()).resize((800, 450), Image.BOX))
    kept = real(Image.frombytes("L", luma.size, luma.tobytes()).resize((800, 450), Image.BOX), fresh.upright)
    assert np.array_equal(fresh.mask, kept.mask)
