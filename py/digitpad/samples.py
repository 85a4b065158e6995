"""Collected samples: the user's labelled drawings, kept as strokes plus the 28x28 image.

The file the Collect panel exports is ``{"format": "digitpad-samples", "version": 1,
"samples": [{"label": "0".."9" | "not-digit", "strokes": [...], "image": [784 ints 0-255]}]}``.
Strokes are the truth (training renders them again through :mod:`digitpad.render`); the image
records what the page showed the network when the sample was taken.
"""
from __future__ import annotations

import json

import numpy as np

from .errors import UserError
from .strokes import Drawing, StrokeError

FORMAT, VERSION = "digitpad-samples", 1
LABELS = [str(d) for d in range(10)] + ["not-digit"]
MAX_SAMPLES = 20000


class SampleError(UserError):
    """A sample file that is not ours or is damaged; nothing already stored is touched."""


def make_sample(drawing: Drawing, image: np.ndarray | None, label: str) -> dict:
    if label not in LABELS:
        raise SampleError(f"label must be one of {', '.join(LABELS)}; got {label!r}")
    if image is None or drawing.is_empty:
        raise SampleError("the pad is empty: draw something before you label it")
    return {"label": label, "strokes": drawing.to_json(),
            "image": (np.clip(image, 0, 1) * 255).round().astype(int).ravel().tolist()}


def validate(sample, where: str) -> dict:
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
    img = sample.get("image")
    if not isinstance(img, list) or len(img) != 784 or not all(
            isinstance(v, (int, float)) and 0 <= v <= 255 for v in img):
        raise SampleError(f"{where}: 'image' must be 784 numbers from 0 to 255")
    return {"label": label, "strokes": d.to_json(), "image": [int(round(v)) for v in img]}


def parse(text: str) -> list[dict]:
    """Validate a whole exported file; any problem rejects the file with a message naming it."""
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, TypeError) as e:
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
    return [validate(s, f"sample {i + 1}") for i, s in enumerate(items)]


def dump(samples: list[dict]) -> str:
    return json.dumps({"format": FORMAT, "version": VERSION, "samples": samples})


def counts(samples: list[dict]) -> dict[str, int]:
    out = {label: 0 for label in LABELS}
    for s in samples:
        out[s["label"]] = out.get(s["label"], 0) + 1
    return out


def merge(stored: list[dict], incoming: list[dict]) -> tuple[list[dict], int]:
    """Stored samples plus the incoming ones that are not already stored (by content)."""
    seen = {json.dumps(s, sort_keys=True) for s in stored}
    added = [s for s in incoming if json.dumps(s, sort_keys=True) not in seen]
    return stored + added, len(added)
