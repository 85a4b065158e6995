"""MNIST from the four standard IDX files, gzipped or raw, validated before use."""
from __future__ import annotations

import gzip
import hashlib
import os
from pathlib import Path

import numpy as np

from . import ROOT

FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
ENV = "DIGITPAD_MNIST_DIR"


class DataError(ValueError):
    """A data file that is missing or not what it claims to be; the message names the file."""


def cache_dir() -> Path:
    return Path(os.environ.get("DIGITPAD_CACHE") or Path.home() / ".cache" / "digitpad") / "mnist"


def candidates(explicit: str | os.PathLike | None = None) -> list[Path]:
    """Where MNIST may already be, in order: --data-dir, $DIGITPAD_MNIST_DIR, the shared copy
    beside the checkout (../shared/data/mnist), the download cache."""
    out = [Path(explicit)] if explicit else []
    if os.environ.get(ENV):
        out.append(Path(os.environ[ENV]))
    return out + [ROOT.parent / "shared" / "data" / "mnist", cache_dir()]


def complete(directory: Path) -> bool:
    return all((directory / f"{stem}.gz").exists() or (directory / stem).exists() for stem in FILES.values())


def mnist_dir(explicit: str | os.PathLike | None = None, fetch_missing: bool = True, log=print) -> Path:
    """The one place that decides where MNIST is (build.py, train/, tests and the bench use it).

    The first candidate holding the four files wins. With none, the files are downloaded and
    verified (train/fetch.py) into --data-dir when one was given, else into the cache.
    """
    for d in candidates(explicit):
        if complete(d):
            return d
    target = Path(explicit) if explicit else cache_dir()
    if not fetch_missing:
        raise DataError(f"MNIST not found in {', '.join(map(str, candidates(explicit)))}; "
                        "run: python -m train fetch-mnist")
    from .fetch import fetch
    log(f"MNIST not found here; downloading it into {target}")
    fetch(target, log=log)
    return target



def find(directory: Path, stem: str) -> Path:
    for name in (stem + ".gz", stem):
        if (directory / name).exists():
            return directory / name
    raise DataError(f"{directory / (stem + '.gz')}: not found (nor {stem} uncompressed). "
                    f"Pass --data-dir, set ${ENV}, or run: python -m train fetch-mnist")  # noqa: E501


def read_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            head = f.read(2)
        if head == b"\x1f\x8b":
            with gzip.open(path, "rb") as f:
                return f.read()
        return path.read_bytes()
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        raise DataError(f"{path}: cannot be read ({e})") from None


def read_idx(path: Path) -> np.ndarray:
    """Parse an IDX file (images: magic 2051, [n, rows, cols] uint8; labels: 2049, [n] uint8)."""
    raw = read_bytes(path)
    if len(raw) < 8:
        raise DataError(f"{path}: only {len(raw)} bytes, too short for an IDX header")
    magic = int.from_bytes(raw[:4], "big")
    if magic not in (IMAGES_MAGIC, LABELS_MAGIC):
        raise DataError(f"{path}: magic number {magic} is not an MNIST IDX file "
                        f"(expected {IMAGES_MAGIC} for images or {LABELS_MAGIC} for labels)")
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataError(f"{path}: header is truncated")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = int(np.prod(shape))
    if len(raw) - header != expected:
        raise DataError(f"{path}: header says {shape} = {expected} bytes of data, file has "
                        f"{len(raw) - header} (truncated or corrupt)")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


def load_split(directory: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """(images uint8 [n,28,28], labels int64 [n]) for split 'train' or 'test', validated."""
    ipath, lpath = find(directory, FILES[f"{split}_images"]), find(directory, FILES[f"{split}_labels"])
    images, labels = read_idx(ipath), read_idx(lpath)
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise DataError(f"{ipath}: expected images of shape [n, 28, 28], got {list(images.shape)}")
    if labels.ndim != 1:
        raise DataError(f"{lpath}: expected a 1-D label file, got shape {list(labels.shape)}")
    if len(images) != len(labels):
        raise DataError(f"{ipath} has {len(images)} images but {lpath} has {len(labels)} labels")
    if labels.size and labels.max() > 9:
        bad = int(np.argmax(labels > 9))
        raise DataError(f"{lpath}: label {int(labels[bad])} at index {bad} is out of range 0-9")
    return images, labels.astype(np.int64)


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def file_hashes(directory: Path) -> dict[str, str]:
    return {find(directory, stem).name: sha256(find(directory, stem)) for stem in FILES.values()}


def to_float(images: np.ndarray) -> np.ndarray:
    """uint8 [n,28,28] -> float32 [n,1,28,28] in [0,1], ink high: the model contract's input."""
    return (images.astype(np.float32) / 255.0)[:, None]
