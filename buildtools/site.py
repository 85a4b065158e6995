"""Assemble dist/: the page, the digitpad wheel, the models, and the verified vendor files.

Every file but three lives under a folder named by a hash of its contents, so a URL never
changes what it holds and no cache (the browser's, a proxy's, the service worker's) can hand
a page a file from another build:

    index.html, sw.js, build.json      the only mutable files: the entry points (and a record)
    manifest.webmanifest, icons/       the install manifest: its URL must stay put
    app-<hash>/                        the page's code, styles, workers and digitpad's bundle
    vendor/pyodide-<hash>/             Pyodide, the trimmed stdlib, numpy and Pillow
    vendor/ort-<hash>/                 onnxruntime-web
    models-<hash>/                     the networks and models.json

index.html names its app folder; the app folder names the others (baked in by this build). An
unchanged Pyodide or network keeps its folder name across builds: a returning visitor's caches
still hold it. A host that uploads file by file therefore serves either the old build whole
(old index.html, old folders) or a new index.html whose folders are not all there yet, which the
page reports as "the site is being updated" (README: hosting).
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path

from . import compress, pyodide_site, vendor

ROOT = vendor.ROOT
HASH = 10                                  # hex digits of a folder's content hash
ROOT_FILES = ("index.html", "sw.js", "manifest.webmanifest", "icons")   # stay at the top
# Cached by the service worker when first used, not precached: the WebGL path never needs them.
RUNTIME_ONLY = ("vendor/ort/ort-wasm-simd-threaded.wasm", "vendor/ort/ort-wasm-simd-threaded.mjs")
# Fetched the first time a photo is opened (or the camera started), then kept offline: photo
# reading's page code and Python, and the live camera's code.
PHOTO_FILES = ("photo.js", "photo-zoom.js", "camera.js", "photo.tar.gz")
# ... and the first time "Inside the network" is opened: its page code, its Python, its layer table.
INSIDE_FILES = ("inside.js", "inside.css", "inside-model.js", "inside.tar.gz")
INSIDE_TABLE = "inside.json"
ADDRESSED = re.compile(rf"-[0-9a-f]{{{HASH}}}(?=/)")
# Served gzipped and unpacked by the page (DecompressionStream): hosts send .onnx as it is, and
# the page's int8 network is 10% smaller in gzip. The float32 fallbacks barely compress.
GZIPPED = ("combined.onnx",)
GZIP = ".gzip"      # not ".gz": that names a host's precompressed twin (compress.py)


def build(dist: Path = ROOT / "dist", log=print, web: Path = ROOT / "web", py: Path = ROOT / "py") -> dict:
    """web/ and py/ can be other copies (the redeploy tests build a second version this way)."""
    vendor.npm_ci(log)
    wheels = {name: vendor.wheel(name, log) for name in vendor.WHEELS}
    models = ROOT / "models"
    if not (models / "models.json").exists() or not (models / "digits.onnx").exists():
        raise vendor.VendorError("models/digits.onnx or models/models.json is missing: "
                                 "restore them from git, or retrain with: python -m train digits")
    tmp = dist.with_name(dist.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(web, tmp / "app")
    for name in ROOT_FILES:
        (tmp / "app" / name).rename(tmp / name)
    pyo = tmp / "vendor/pyodide"
    pyo.mkdir(parents=True)
    for f in vendor.PYODIDE_CORE:
        shutil.copy2(ROOT / "node_modules/pyodide" / f, pyo / f)
    bundles = pyodide_site.build(pyo, wheels, log, py / "digitpad")
    (pyo / "site-app.tar.gz").rename(tmp / "app/site-app.tar.gz")    # changes with every app change
    (pyo / "photo.tar.gz").rename(tmp / "app/photo.tar.gz")          # fetched when a photo is first opened
    (pyo / "inside.tar.gz").rename(tmp / "app/inside.tar.gz")        # ... when the panel is first opened
    (pyo / "pyodide-lock.json").write_text(json.dumps(vendor.page_lock(), indent=1))
    ort = tmp / "vendor/ort"
    ort.mkdir(parents=True)
    for f in vendor.ORT_FILES:
        shutil.copy2(ROOT / "node_modules/onnxruntime-web/dist" / f, ort / f)
    (tmp / "models").mkdir()
    doc = json.loads((models / "models.json").read_text())
    for entry in doc["models"].values():
        shutil.copy2(models / entry["file"], tmp / "models" / entry["file"])
    shutil.copy2(models / "models.json", tmp / "models/models.json")
    personal = doc.get("personal", {}).get("file")        # fetched only when a person teaches
    if personal:
        shutil.copy2(models / personal, tmp / "models" / personal)
    inside = (models / INSIDE_TABLE).exists()            # fetched only when the panel opens
    if inside:
        shutil.copy2(models / INSIDE_TABLE, tmp / "models" / INSIDE_TABLE)
    gzipped = [name for name in GZIPPED if (tmp / "models" / name).exists()]
    for name in gzipped:
        raw = tmp / "models" / name
        raw.with_name(name + GZIP).write_bytes(gzip.compress(raw.read_bytes(), compresslevel=9, mtime=0))
        raw.unlink()
    dirs = {key: address(tmp, rel) for key, rel in (("pyodide", "vendor/pyodide"), ("ort", "vendor/ort"),
                                                     ("models", "models"))}
    paths = {key: f"../{rel}/" for key, rel in dirs.items()}     # as the app folder's files see them
    bake(tmp / "app/python-worker.js", "__BOOT__", {
        "paths": paths,
        "bundles": [[f"{paths['pyodide']}{name}", vendor.sha256(tmp / dirs["pyodide"] / name), dest, label]
                    for name, dest, label in (("stdlib.tar.gz", pyodide_site.STDLIB, "Python's standard library"),
                                              ("site-vendor.tar.gz", pyodide_site.SITE, "numpy/Pillow"))]
                   + [["site-app.tar.gz", vendor.sha256(tmp / "app/site-app.tar.gz"), pyodide_site.SITE, "digitpad"]],
        "libs": [[paths["pyodide"] + b.removeprefix("vendor/pyodide/"), rel] for b, rel in bundles["libs"]],
        "photo": ["photo.tar.gz", vendor.sha256(tmp / "app/photo.tar.gz"), pyodide_site.STDLIB, "the photo reader"],
        "inside": ["inside.tar.gz", vendor.sha256(tmp / "app/inside.tar.gz"), pyodide_site.SITE, "the network's inside view"]})
    bake(tmp / "app/model-worker.js", "__PATHS__", {**paths, "gzipped": gzipped})
    dirs["app"] = address(tmp, "app")
    version = vendor.digitpad_version(py)
    # with the combined graph, the two separate files are only a fallback: cached if ever used
    fallback = [f"{dirs['models']}/{doc['models'][k]['file']}" for k in ("digits", "digit_or_not")
                if "combined" in doc["models"] and k in doc["models"]]
    runtime = [f"{dirs['ort']}/{Path(p).name}" for p in RUNTIME_ONLY] + fallback + \
        ([f"{dirs['models']}/{personal}"] if personal else []) + [f"{dirs['app']}/{f}" for f in PHOTO_FILES] + \
        ([f"{dirs['models']}/{INSIDE_TABLE}"] if inside else []) + [f"{dirs['app']}/{f}" for f in INSIDE_FILES]
    build_id = tree_hash(tmp)[:12]     # index.html and sw.js are still templates: no cycle
    write_index(tmp / "index.html", dirs["app"], build_id, version)
    info = write_precache(tmp, build_id, version, dirs, runtime)
    sizes = compress.precompress(tmp, log)     # last: every file is final, and the twins are in no list
    shutil.rmtree(dist, ignore_errors=True)
    tmp.rename(dist)
    log(f"built {dist} (build {info['build']}, {info['bytes'] / 1e6:.1f} MB precached, "
        f"{len(info['files'])} files; .br and .gz beside {len(sizes)} of them)")
    return info


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_file() and not compress.is_twin(p):
            h.update(f"{rel}:{vendor.sha256(p)}\n".encode())
    return h.hexdigest()


def address(site: Path, rel: str) -> str:
    """Rename site/rel to site/rel-<hash of its contents>; return the new relative path."""
    named = f"{rel}-{tree_hash(site / rel)[:HASH]}"
    (site / rel).rename(site / named)
    return named


def bake(path: Path, placeholder: str, value) -> None:
    """Write a build-time value into a page file (no extra fetch at run time, never stale)."""
    text = path.read_text()
    if placeholder not in text:
        raise vendor.VendorError(f"{path.name} has no {placeholder} placeholder")
    path.write_text(text.replace(placeholder, json.dumps(value)))


def write_index(index: Path, app: str, build_id: str, version: str) -> None:
    """Point index.html at this build's app folder, and allow its one inline script by hash."""
    site = index.parent
    files = sorted([p.relative_to(site).as_posix(), vendor.sha256(p)] for p in site.rglob("*")
                   if p.is_file() and p.name not in ("index.html", "sw.js") and not compress.is_twin(p))
    text = index.read_text().replace("__APP__", app).replace("__BUILD__", build_id).replace("__VERSION__", version)
    text = text.replace("__FILES__", json.dumps(files))
    inline = re.search(r"<script>(.*?)</script>", text, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
    index.write_text(text.replace("__INLINE_SHA__", f"'sha256-{digest}'"))


def write_precache(site: Path, build_id: str, version: str, dirs: dict, runtime: list[str]) -> dict:
    """List every file with its hash, and bake the list into sw.js.

    Baking it in (rather than fetching a list at run time) means a running service worker can
    never pick up a newer build's list: each build is one sw.js, one cache, never mixed.
    Runtime files carry their role (the path without its hash), so a new build knows which of its
    files an older build's cache shows this device uses.
    """
    files = []
    for p in sorted(site.rglob("*")):
        rel = p.relative_to(site).as_posix()
        if p.is_dir() or rel in ("sw.js", "build.json") or rel in runtime or compress.is_twin(p):
            continue                          # twins: the host's business
        files.append({"path": rel, "sha256": vendor.sha256(p), "bytes": p.stat().st_size})
    info = {"build": build_id, "version": version, "dirs": dirs, "files": files, "runtime": runtime,
            "bytes": sum(f["bytes"] for f in files)}
    bake(site / "sw.js", "__PRECACHE__", {
        "build": build_id, "version": version, "files": [[f["path"], f["sha256"]] for f in files],
        "runtime": [[p, vendor.sha256(site / p), logical(p)] for p in runtime if (site / p).exists()]})
    (site / "build.json").write_text(json.dumps(info, indent=1))
    return info


def logical(path: str) -> str:
    """A built path as the repository names it: app-1a2b3c4d5e/app.js -> app/app.js,
    models-…/combined.onnx.gzip -> models/combined.onnx."""
    return ADDRESSED.sub("", path).removesuffix(GZIP)


def locate(dist: Path, path: str) -> Path:
    """The built file for a logical path (vendor/ort/x.wasm, models/combined.onnx, app/app.js)."""
    info = json.loads((dist / "build.json").read_text())
    for key, prefix in (("pyodide", "vendor/pyodide/"), ("ort", "vendor/ort/"), ("models", "models/"), ("app", "app/")):
        if path.startswith(prefix):
            built = dist / info["dirs"][key] / path[len(prefix):]
            return built if built.exists() or not built.with_name(built.name + GZIP).exists() else built.with_name(built.name + GZIP)
    return dist / path
