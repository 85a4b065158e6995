"""Assemble dist/: the page, the digitpad wheel, the models, and the verified vendor files."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from . import compress, pyodide_site, vendor

ROOT = vendor.ROOT
# Cached by the service worker when first used, not precached: the WebGL path never needs them.
RUNTIME_ONLY = ("vendor/ort/ort-wasm-simd-threaded.wasm", "vendor/ort/ort-wasm-simd-threaded.mjs")


def build(dist: Path = ROOT / "dist", log=print) -> dict:
    vendor.npm_ci(log)
    wheels = {name: vendor.wheel(name, log) for name in vendor.WHEELS}
    models = ROOT / "models"
    if not (models / "models.json").exists() or not (models / "digits.onnx").exists():
        raise vendor.VendorError("models/digits.onnx or models/models.json is missing: "
                                 "restore them from git, or retrain with: python -m train digits")
    tmp = dist.with_name(dist.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(ROOT / "web", tmp)
    py = tmp / "vendor/pyodide"
    py.mkdir(parents=True)
    for f in vendor.PYODIDE_CORE:
        shutil.copy2(ROOT / "node_modules/pyodide" / f, py / f)
    bundles = pyodide_site.build(py, wheels, log)
    (py / "pyodide-lock.json").write_text(json.dumps(vendor.page_lock(), indent=1))
    version = vendor.digitpad_version()
    bake(tmp / "python-worker.js", "__BOOT__",
         {"bundles": [[b, vendor.sha256(tmp / b)] for b in bundles["bundles"]], "libs": bundles["libs"]})
    ort = tmp / "vendor/ort"
    ort.mkdir(parents=True)
    for f in vendor.ORT_FILES:
        shutil.copy2(ROOT / "node_modules/onnxruntime-web/dist" / f, ort / f)
    (tmp / "models").mkdir()
    doc = json.loads((models / "models.json").read_text())
    for entry in doc["models"].values():
        shutil.copy2(models / entry["file"], tmp / "models" / entry["file"])
    shutil.copy2(models / "models.json", tmp / "models/models.json")
    # with the combined graph, the two separate files are only a fallback: cached if ever used
    fallback = [f"models/{doc['models'][k]['file']}" for k in ("digits", "digit_or_not")
                if "combined" in doc["models"] and k in doc["models"]]
    info = write_precache(tmp, version, fallback)
    sizes = compress.precompress(tmp, log)     # last: every file is final, and the twins are in no list
    shutil.rmtree(dist, ignore_errors=True)
    tmp.rename(dist)
    log(f"built {dist} (build {info['build']}, {info['bytes'] / 1e6:.1f} MB precached, "
        f"{len(info['files'])} files; .br and .gz beside {len(sizes)} of them)")
    return info


def bake(path: Path, placeholder: str, value) -> None:
    """Write a build-time value into a page file (no extra fetch at run time, never stale)."""
    text = path.read_text()
    if placeholder not in text:
        raise vendor.VendorError(f"{path.name} has no {placeholder} placeholder")
    path.write_text(text.replace(placeholder, json.dumps(value)))


def write_precache(site: Path, version: str, runtime_extra: list[str] = ()) -> dict:
    """List every file with its hash, and bake the list into sw.js.

    Baking it in (rather than fetching a list at run time) means a running service worker can
    never pick up a newer build's list: each build is one sw.js, one cache, never mixed.
    """
    runtime = list(RUNTIME_ONLY) + list(runtime_extra)
    files, h = [], hashlib.sha256((site / "sw.js").read_bytes())   # the worker's own code counts too
    for p in sorted(site.rglob("*")):
        rel = p.relative_to(site).as_posix()
        if p.is_dir() or rel == "sw.js" or rel in runtime or compress.is_twin(p):   # twins: the host's business
            continue
        digest = vendor.sha256(p)
        h.update(f"{rel}:{digest}\n".encode())
        files.append({"path": rel, "sha256": digest, "bytes": p.stat().st_size})
    build_id = h.hexdigest()[:12]
    info = {"build": build_id, "version": version, "files": files, "runtime": runtime,
            "bytes": sum(f["bytes"] for f in files)}
    (site / "build.json").write_text(json.dumps(info, indent=1))
    cached = [[f["path"], f["sha256"]] for f in files] + [["build.json", vendor.sha256(site / "build.json")]]
    bake(site / "sw.js", "__PRECACHE__", {"build": build_id, "files": cached,
                                          "runtime": [[p, vendor.sha256(site / p)] for p in runtime if (site / p).exists()]})
    return info
