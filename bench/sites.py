"""The two sites the bench serves: digitpad's dist/, and the plain-JS reference page.

The reference gets the very files digitpad ships (the same onnxruntime-web wasm build and the same
digits.onnx), copied from dist/ next to its own three files in build/reference/, with precompressed
twins made the same way as digitpad's.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from buildtools.compress import precompress
from buildtools.site import locate

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "bench" / "reference"
SHARED = ("vendor/ort/ort.wasm.min.mjs", "vendor/ort/ort-wasm-simd-threaded.mjs",
          "vendor/ort/ort-wasm-simd-threaded.wasm", "models/digits.onnx")


def build_reference(dist: Path = ROOT / "dist", out: Path = ROOT / "build" / "reference") -> Path:
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(SOURCE, out)
    for rel in SHARED:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(locate(dist, rel), out / rel)
    precompress(out, log=lambda *a: None)      # the same twins digitpad ships, so hosts compare alike
    return out
