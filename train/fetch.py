"""`python -m train fetch-mnist`: download the four MNIST files and verify them."""
from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
import urllib.request
from pathlib import Path

from .data import FILES, DataError

MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
# sha256 of the *decompressed* IDX files: mirrors re-gzip, the IDX bytes never change.
IDX_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}


def idx_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with gzip.open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(dest: Path, mirrors=MIRRORS, timeout: float = 60.0, log=print) -> list[Path]:
    """Download each missing or wrong file into dest; a file is kept only if its sha256 matches."""
    dest.mkdir(parents=True, exist_ok=True)
    done = []
    for stem in FILES.values():
        target = dest / f"{stem}.gz"
        if target.exists() and _ok(target, stem):
            log(f"{target}: present, sha256 ok")
            done.append(target)
            continue
        errors = []
        for mirror in mirrors:
            url = mirror.rstrip("/") + f"/{stem}.gz"
            try:
                with tempfile.NamedTemporaryFile(dir=dest, delete=False, suffix=".part") as tmp:
                    with urllib.request.urlopen(url, timeout=timeout) as r:
                        shutil.copyfileobj(r, tmp)
                part = Path(tmp.name)
                if not _ok(part, stem):
                    part.unlink()
                    errors.append(f"{url}: sha256 mismatch")
                    continue
                part.replace(target)
                log(f"{target}: downloaded from {url}, sha256 ok")
                done.append(target)
                break
            except (OSError, EOFError) as e:
                Path(tmp.name).unlink(missing_ok=True)
                errors.append(f"{url}: {e}")
        else:
            raise DataError(f"could not fetch {stem}.gz: " + "; ".join(errors)
                            + f". Copy the file into {dest} by hand, or pass --mirror URL.")
    return done


def _ok(path: Path, stem: str) -> bool:
    try:
        return idx_sha256(path) == IDX_SHA256[stem]
    except (OSError, EOFError, gzip.BadGzipFile):
        return False
