"""A photo's bytes (or a camera frame's pixels) -> a grey image no larger than the pipeline needs,
or a UserError that says why.

A 12 MP JPEG is shrunk while it is decoded (``Image.draft``: libjpeg scales the DCT by 1/2, 1/4
or 1/8, so most of its pixels are never made), then turned upright by its EXIF orientation.
Formats that cannot be shrunk while decoded (PNG, WebP) are refused past MAX_DECODED pixels: the
page's memory is WebAssembly's, shared with everything else, and a 50 MP PNG is 150 MB as RGB.
"""
from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from ..errors import UserError

MAX_SIDE = 1200           # the longest side the pipeline works at: a 2 MP scan's digits stay 40-80 px tall
MAX_DECODED = 40_000_000  # pixels decoded at full size (formats without draft); 12 MP RGB is 36 MB
MAX_PIXELS = 200_000_000  # a header claiming more is refused before anything is decoded
MIN_SIDE = 16
FORMATS = ("JPEG", "PNG", "WEBP")   # a phone's MPO opens through JPEG's factory
# ISO base-media brands of HEIF/AVIF files (bytes 4-12: b"ftyp" + brand): iPhones' default
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
AVIF_BRANDS = (b"avif", b"avis")


class PhotoError(UserError):
    """A file the page cannot read as a photo; nothing the person drew or stored is touched."""


def _sniff(data: bytes) -> None:
    if len(data) >= 12 and data[4:8] == b"ftyp":
        if data[8:12] in HEIF_BRANDS:
            raise PhotoError("This is a HEIC photo (an iPhone's default), which this page cannot decode. "
                             "Choose it again from the Photos app's share sheet as 'Most Compatible', or set "
                             "Settings → Camera → Formats → Most Compatible, and a JPEG is sent instead.")
        if data[8:12] in AVIF_BRANDS:
            raise PhotoError("This is an AVIF image, which this page cannot decode: save it as JPEG, PNG or WebP.")


def decode(data: bytes, max_side: int = MAX_SIDE) -> Image.Image:
    """The photo upright (EXIF applied), in grey ("L"), its longest side at most max_side."""
    if not data:
        raise PhotoError("The file is empty.")
    _sniff(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombWarning:
        raise PhotoError("The image is too large to read here: make it smaller than 40 megapixels.") from None
    except (Image.UnidentifiedImageError, Image.DecompressionBombError):
        raise PhotoError("This file is not an image the page can read: choose a JPEG, PNG or WebP photo.") from None
    except OSError as e:
        raise PhotoError(f"The image could not be opened ({e}): choose a JPEG, PNG or WebP photo.") from None
    w, h = im.size
    if w * h > MAX_PIXELS:
        raise PhotoError(f"The image is {w}×{h} pixels, too large to read here: make it smaller than "
                         f"{MAX_PIXELS // 1_000_000} megapixels.")
    if min(w, h) < MIN_SIDE:
        raise PhotoError(f"The image is only {w}×{h} pixels: there is nothing to read in it. "
                         "Take the photo closer, or choose a larger one.")
    scale = max_side / max(w, h)
    if im.format in ("JPEG", "MPO"):
        # libjpeg picks the largest DCT scale that keeps the image at least this size
        im.draft("L", (max(1, int(w * scale)), max(1, int(h * scale))) if scale < 1 else (w, h))
    elif w * h > MAX_DECODED:
        raise PhotoError(f"The image is {w}×{h} pixels ({w * h / 1e6:.0f} MP): as {im.format} it is too large "
                         "to decode here. Save it as JPEG (it is then shrunk while it is read), or make it smaller.")
    try:
        im.load()
        im = ImageOps.exif_transpose(im)
        im = im.convert("L") if im.mode not in ("RGBA", "LA", "PA") and not (im.mode == "P" and "transparency" in im.info) \
            else _flatten(im)
    except (OSError, SyntaxError, ValueError) as e:
        raise PhotoError(f"The image is damaged or cut short ({e}): take or save it again.") from None
    return _fit(im, max_side)


def from_pixels(pixels, width, height, mode: str = "RGBA", max_side: int = MAX_SIDE) -> Image.Image:
    """A camera frame, row by row: its luma plane as the video holds it ("L"), or RGBA as a canvas
    gives it -> grey, its longest side at most max_side. A frame has no file to decode and no EXIF
    to apply: the video is upright as the camera shows it."""
    depth = {"L": 1, "RGBA": 4}.get(mode)
    ok = depth and all(isinstance(v, int) and not isinstance(v, bool) for v in (width, height))
    if not ok or width < MIN_SIDE or height < MIN_SIDE or width * height > MAX_DECODED:
        raise PhotoError(f"A camera frame of {width}×{height} pixels ({mode}) cannot be read.")
    data = memoryview(pixels).cast("B")
    if data.nbytes != width * height * depth:
        raise PhotoError(f"A camera frame of {width}×{height} pixels holds {width * height * depth} bytes, "
                         f"not {data.nbytes}: it was cut short.")
    im = Image.frombuffer(mode, (width, height), bytes(data), "raw", mode, 0, 1)
    im = im if mode == "L" else im.convert("L")        # alpha is ignored: a video frame is opaque
    return _fit(im, max_side)


def _fit(im: Image.Image, max_side: int) -> Image.Image:
    if max(im.size) <= max_side:
        return im
    s = max_side / max(im.size)
    return im.resize((max(1, round(im.width * s)), max(1, round(im.height * s))), Image.BOX)


def _flatten(im: Image.Image) -> Image.Image:
    """Transparent pixels over white paper (a PNG cut out of a scan)."""
    rgba = im.convert("RGBA")
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(paper, rgba).convert("L")
