"""MNIST digits as the page sees them when a person draws them.

Each image is traced to pen strokes (trace.py), drawn with a random pen (and, for the digit-or-not
model, a little tilt), and rendered by digitpad's own code: the networks learn from exactly what the page feeds
them. Tracing takes about 15 ms a digit (8 minutes for 60,000 on 2 cores, in parallel), so a set
is cached under runs/cache, keyed by the images, the seed and this code.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from digitpad import transforms
from digitpad.render import render
from digitpad.strokes import Drawing

from .trace import image_to_strokes

CHUNK = 500   # images per process task; each chunk has its own generator, so any worker count gives the same set
VERSION = 2   # raise when the way digits are traced or rendered here changes: the cache then refills


def jitter(strokes, rng, rotate=20.0, shear=0.2):
    """A small random rotation and shear of a drawing, about its centre."""
    d = transforms.rotate(Drawing(list(strokes)), float(rng.uniform(-rotate, rotate)))
    c = np.array(transforms.centre(d.strokes))
    sh = float(rng.uniform(-shear, shear))
    m = np.array([[1, sh], [0, 1]])
    return [s.copy((s.points - c) @ m.T + c) for s in d.strokes]


def _traced_chunk(images: np.ndarray, seed: tuple[int, int], normalize_p: float, tilt: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    out = []
    for img in images:
        strokes = image_to_strokes(img / 255.0, width=float(rng.uniform(10, 30)))
        if strokes and tilt:
            strokes = jitter(strokes, rng, rotate=10, shear=0.1)
        r = render(strokes, normalize=bool(rng.random() < normalize_p)) if strokes else None
        out.append(r if r is not None else img / 255.0)
    return np.stack(out).astype(np.float32)


def traced_digits(images: np.ndarray, seed: int, normalize_p: float = 1.0, tilt: bool = False,
                  workers: int = 0) -> np.ndarray:
    """float32 [n, 1, 28, 28]: each uint8 image traced, drawn with a pen 10-30 pad units wide, rendered
    MNIST-style (or, with probability 1 - normalize_p, as a plain downscale of the pad)."""
    chunks = [(images[i:i + CHUNK], (seed, i // CHUNK), normalize_p, tilt) for i in range(0, len(images), CHUNK)]
    workers = min(workers or os.cpu_count() or 1, len(chunks))
    if workers <= 1:
        parts = [_traced_chunk(*c) for c in chunks]
    else:   # spawn, not fork: the parent may hold torch's thread pools
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            parts = list(pool.map(_traced_chunk, *zip(*chunks)))
    return (np.concatenate(parts) if parts else np.zeros((0, 28, 28), np.float32))[:, None]


def cached_traced_digits(images: np.ndarray, seed: int, cache: Path, log=print, **kw) -> np.ndarray:
    h = hashlib.sha256(images.tobytes())
    h.update(repr((seed, sorted(kw.items()), VERSION)).encode())
    path = Path(cache) / f"traced-{h.hexdigest()[:16]}.npy"
    if path.exists():
        return np.load(path)
    log(f"tracing {len(images)} digits to pen strokes and rendering them as the page does (cached in {path})")
    out = traced_digits(images, seed, **kw)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out
