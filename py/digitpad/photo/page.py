"""The page's photo actions on the controller: open or re-read a photo (or a rectangle of it),
select one of its symbols, teach one, go back to the pad. actions.py reaches them by name once the
page has fetched this package (the first photo opened).

While a photo is shown (``Controller.photo_on``), Predict reads the photo again and a taught
sample is the selected symbol; the pad's drawing is never touched, and "Back to the pad" shows it.
"""
from __future__ import annotations

from .. import samples
from ..controller import Controller, Step, explain_step
from ..errors import UserError
from ..strokes import Drawing
from .decode import MAX_SIDE, MIN_SIDE, PhotoError
from .reader import Photo, listed_digits, open_frame, open_photo, plan, select as select_symbol
from .trace import image_to_strokes

MAX_BYTES = 64 * 1024 * 1024
# a live frame searches the paper's polarity and turn afresh once in this many (about every 2 s);
# the frames between take the last search's: the same paper, held the same way
LIVE_SEARCH = 10


def _crop(p: dict):
    crop = p.get("crop")
    if crop is None:
        return None
    if not isinstance(crop, (list, tuple)) or len(crop) != 4 or \
            not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in crop):
        raise PhotoError("a rectangle must be four numbers from 0 to 1")
    return [float(v) for v in crop]


def read(c: Controller, p: dict) -> Step:
    """A new photo (``data``: its bytes; or ``pixels``, ``width``, ``height``: a camera frame's RGBA),
    or the one shown again (none), whole or a rectangle of it."""
    data = p.get("data")
    known = None
    if p.get("pixels") is not None:
        side = p.get("side")
        photo = open_frame(p["pixels"], p.get("width"), p.get("height"), p.get("mode", "RGBA"),
                           min(MAX_SIDE, side) if isinstance(side, int) and side >= MIN_SIDE else MAX_SIDE)
        before = c.photo if isinstance(c.photo, Photo) else None
        if p.get("live"):       # the camera's frames: the paper's polarity and turn searched now and then
            photo.live = 0 if before is None or before.live is None else (before.live + 1) % LIVE_SEARCH
            known = before.upright if photo.live and before.upright else None
    elif data is not None:
        data = bytes(data)
        if len(data) > MAX_BYTES:
            raise PhotoError(f"The file is {len(data) / 1e6:.0f} MB: a photo of up to "
                             f"{MAX_BYTES // 2 ** 20} MB can be read here.")
        photo = open_photo(data)          # the old photo stays until the new one decodes
    elif isinstance(c.photo, Photo):
        photo = c.photo
    else:
        raise PhotoError("Choose a photo first.")
    new = photo is not c.photo            # a new photo is read whole, unless a rectangle is asked for
    crop = _crop(p) if "crop" in p else (None if new else photo.crop)
    batch, finish = plan(photo, c.segmentation, c.thresholds, crop, known)
    c.photo, c.photo_on = photo, True
    if batch is None:
        return Step({"photo_open": True, **finish(None, None)})
    return Step({"photo_open": True}, batch, lambda digits, digit_or_not: finish(digits, digit_or_not))


def select(c: Controller, p: dict) -> Step:
    index = p.get("index")
    if not isinstance(c.photo, Photo) or not c.photo.symbols:
        raise PhotoError("There is no photo symbol to select.")
    if isinstance(index, bool) or not isinstance(index, int):
        raise PhotoError("index must be a whole number")
    if p.get("listed"):          # a digit under the number, by its place in that list
        listed = listed_digits(c.photo, c.thresholds)
        if not 0 <= index < len(listed):
            raise PhotoError("There is no such digit in the number read.")
        index = listed[index]
    return Step(select_symbol(c.photo, c.thresholds, index))


def explain(c: Controller) -> Step:
    """The heat map of the selected symbol, over its framed image (the photo has no pad to overlay)."""
    photo = c.photo
    return explain_step(None if photo is None or photo.selected is None else photo.symbols[photo.selected].image)


def close(c: Controller, p: dict) -> Step:
    """Back to the pad: its drawing, as it was, read again."""
    c.photo_on = False
    return c.predict({"photo_open": False})


def sample(c: Controller, label: str) -> Step:
    """The selected symbol as a sample: traced into strokes (a sample is strokes plus the image the
    network saw), so that it trains and exports like a drawing."""
    photo = c.photo
    if photo is None or photo.selected is None:
        raise UserError("Select a symbol of the photo first (tap its box), then say what it is.")
    image = photo.symbols[photo.selected].image
    strokes = image_to_strokes(image)
    if not strokes:
        raise UserError("That symbol is too faint to keep as a sample.")
    s = samples.make_sample(Drawing(strokes), image, label)
    return Step({"sample": s, "key": samples.key(s)})

