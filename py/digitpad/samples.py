"""Collected samples: the user's labelled drawings, kept as strokes plus the 28x28 image.

The file the Collect panel exports is ``{"format": "digitpad-samples", "version": 1,
"samples": [{"label": "0".."9" | "not-digit", "strokes": [...], "image": [784 ints 0-255]}]}``.
Strokes are the truth (training renders them again through :mod:`digitpad.render`); the image
records what the page showed the network when the sample was taken.

Untrusted text is measured before any parser sees it: its size, and how deeply its brackets nest
(Python's JSON parser recurses, and in the page a deep enough file exhausts the stack of the
whole runtime). A sample is validated the same way when it is made, stored, imported or read
back, and one damaged stored sample never makes the others unreadable.
"""
from __future__ import annotations

import hashlib
import json
import re

import numpy as np

from .errors import UserError
from .strokes import MAX_COORD, Drawing, StrokeError

FORMAT, VERSION = "digitpad-samples", 1
LABELS = [str(d) for d in range(10)] + ["not-digit"]
MAX_SAMPLES = 20_000
MAX_FILE_BYTES = 64 * 1024 * 1024    # a full store of MAX_SAMPLES exports to about 30 MB
MAX_DEPTH = 16                       # our files nest 6 deep; the parser itself recurses per level
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')   # unrolled: linear and fast


class SampleError(UserError):
    """A sample file that is not ours or is damaged; nothing already stored is touched."""


def check_text(text: str) -> None:
    """Refuse text too large or nested too deeply for the parser, before it is parsed."""
    if not isinstance(text, str):
        raise SampleError("this is not a digitpad samples file (not text)")
    if len(text) > MAX_FILE_BYTES:
        raise SampleError(f"the file is {len(text) / 1e6:.0f} MB, more than the {MAX_FILE_BYTES // 2 ** 20} MB a "
                          "samples file may be")
    data = _STRING.sub(b'""', text.encode("utf-8", "surrogatepass"))   # brackets inside strings do not nest
    depth = 0
    for start in range(0, len(data), 1 << 22):                           # 4 MB at a time: bounded memory
        codes = np.frombuffer(data, np.uint8, min(1 << 22, len(data) - start), start)
        step = ((codes == 91) | (codes == 123)).astype(np.int32) - ((codes == 93) | (codes == 125)).astype(np.int32)
        running = depth + np.cumsum(step)                                # 91 [  123 {  93 ]  125 }
        if running.max() > MAX_DEPTH:
            raise SampleError(f"this is not a digitpad samples file (it nests more than {MAX_DEPTH} levels deep)")
        depth = int(running[-1])


def validate(sample, where: str) -> dict:
    """The sample as it is kept: checked label, strokes and image, in canonical form."""
    if not isinstance(sample, dict):
        raise SampleError(f"{where}: a sample must be an object")
    label = sample.get("label")
    if label not in LABELS:
        raise SampleError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
    try:
        d = Drawing.from_json(sample.get("strokes"))
    except StrokeError as e:
        raise SampleError(f"{where}: {e}") from None
    if d.is_empty:
        raise SampleError(f"{where}: has no pen strokes")
    dropped = sum(len(s.get("points") or []) for s in sample.get("strokes") if isinstance(s, dict)) - \
        sum(len(s.points) for s in d.strokes)
    if dropped:
        raise SampleError(f"{where}: {dropped} points are not finite numbers within ±{MAX_COORD:g}")
    img = sample.get("image")
    pixels = np.asarray(img) if isinstance(img, list) and len(img) == 784 else None
    # one C-level pass: a list holding anything but numbers (text, bools, lists) has another dtype
    if pixels is None or pixels.dtype.kind not in "iuf" or not ((pixels >= 0) & (pixels <= 255)).all():
        raise SampleError(f"{where}: 'image' must be 784 numbers from 0 to 255")
    return {"label": label, "strokes": d.to_json(), "image": np.rint(pixels).astype(int).tolist()}


def make_sample(drawing: Drawing, image: np.ndarray | None, label: str) -> dict:
    if label not in LABELS:
        raise SampleError(f"label must be one of {', '.join(LABELS)}; got {label!r}")
    if image is None or drawing.is_empty:
        raise SampleError("the pad is empty: draw something before you label it")
    sample = {"label": label, "strokes": drawing.to_json(),
              "image": (np.clip(image, 0, 1) * 255).round().astype(int).ravel().tolist()}
    return validate(sample, "the drawing")            # what is stored is what an import would accept


def key(sample: dict) -> str:
    """A sample's identity: the same drawing with the same label is the same sample."""
    return hashlib.sha256(json.dumps([sample["label"], sample["strokes"]], sort_keys=True).encode()).hexdigest()


def parse(text: str, progress=None) -> list[dict]:
    """Validate a whole file; any problem rejects the file with a message naming it."""
    check_text(text)
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, TypeError, RecursionError) as e:
        raise SampleError(f"this is not a digitpad samples file (not JSON: {e})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SampleError("this is not a digitpad samples file (no \"format\": \"digitpad-samples\")")
    if doc.get("version") != VERSION:
        raise SampleError(f"samples file version {doc.get('version')!r} is not supported (expected {VERSION})")
    items = doc.get("samples")
    if not isinstance(items, list):
        raise SampleError("the samples file has no 'samples' list")
    if len(items) > MAX_SAMPLES:
        raise SampleError(f"the samples file holds {len(items)} samples, more than {MAX_SAMPLES}")
    out = []
    for i, s in enumerate(items):
        out.append(validate(s, f"sample {i + 1}"))
        if progress is not None and i % 500 == 499:
            progress(i + 1, len(items))
    return out


def read_stored(records: list) -> tuple[list[dict], int]:
    """Stored samples that are still valid, and how many were not (they are left out, not fatal)."""
    good, bad = [], 0
    for i, r in enumerate(records):
        try:
            good.append(validate(r, f"stored sample {i + 1}"))
        except SampleError:
            bad += 1
    return good, bad


def dump(samples: list[dict]) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION, "samples": samples})


def counts(samples: list[dict]) -> dict[str, int]:
    out = {label: 0 for label in LABELS}
    for s in samples:
        out[s["label"]] = out.get(s["label"], 0) + 1
    return out


def merge(stored_keys, incoming: list[dict]) -> list[dict]:
    """The incoming samples that are new: not stored already, and not repeated in the file."""
    seen = set(stored_keys)
    added = []
    for s in incoming:
        k = key(s)
        if k not in seen:
            seen.add(k)
            added.append(s)
    return added
