"""The Python the page runs, packed for a fast start.

Pyodide's own way (loadPackage) unpacks each wheel with Python's zipfile inside the page, loads
every extension module of a wheel whether it is imported or not, one after the other, and then
compiles every ``.py`` it imports from source, on every visit. Here the build does that work once:

* numpy and Pillow lose the subpackages and extension modules the page never imports (TRIM;
  every removed file is listed in ``vendor/pyodide/trimmed.json``); a browser test imports every
  module the page uses;
* every module, the standard library's included, is compiled to ``.pyc`` by Pyodide's own
  CPython 3.12, run under node (``buildtools/pyc.mjs``);
* the packages travel as two tar.gz bundles that the page's worker unpacks into site-packages
  with plain JavaScript before Python starts: ``site-vendor`` (numpy, Pillow: changes only
  with a vendor upgrade) and ``site-app`` (digitpad: changes with every build);
* their extension modules (``.so``, WebAssembly) travel as files of their own under
  ``vendor/pyodide/lib/``: the worker compiles them with ``WebAssembly.compileStreaming``, the
  one way Chromium keeps compiled wasm in its code cache, so a return visit neither compiles
  them again nor re-optimizes their hot functions.

The inputs are still the verified official wheels (see vendor.py); the outputs are cached in
``~/.cache/digitpad/pyc`` by a key over every input, so a rebuild only compiles digitpad.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

from . import stdlib_trim, vendor

ROOT = vendor.ROOT
SITE = "/lib/python3.12/site-packages"
STDLIB = "/lib/python3.12"     # unpacked here by the page, beside site-packages (see build())
PYC_SCRIPT = ROOT / "buildtools" / "pyc.mjs"

# What the page never imports (checked: tests/e2e import every module digitpad's code paths use).
TRIM = {
    "numpy": {
        "packages": ["random", "fft", "polynomial", "ma", "testing", "f2py", "typing", "char", "rec",
                     "strings", "doc", "compat", "core", "_pyinstaller", "distutils", "array_api"],
        "extensions": ["_simd", "_operand_flag_tests", "_struct_ufunc_tests", "_umath_tests",
                       "_rational_tests", "lapack_lite", "_umath_linalg"],
    },
    # Pillow's modules beyond these are file formats, fonts and GUI glue: the page opens no file
    # (these are the modules the page loads, plus what Image itself reaches for on other paths)
    "PIL": {"packages": [], "extensions": ["_imagingft", "_webp", "_imagingmath", "_imagingmorph", "_imagingtk"],
            "modules": ["__init__", "ExifTags", "Image", "ImageColor", "ImageDraw", "ImageMode", "TiffTags", "_binary",
                        "_typing", "_util", "_version", "_deprecate", "ImageFile", "ImagePalette", "ImageFilter",
                        "ImageOps", "ImageChops", "ImagePath"]},
}
# Fetched the first time a person opens a photo (app/photo.tar.gz, unpacked into /lib/python3.12),
# never on a first visit: digitpad.photo, Pillow's file plugins and what they import that the page
# otherwise never does (EXIF parsing: TiffImagePlugin -> fractions -> decimal), and the WebP codec.
PHOTO = {
    "stdlib": ["fractions.py", "decimal.py"],
    "PIL": ["JpegImagePlugin.py", "JpegPresets.py", "MpoImagePlugin.py", "PngImagePlugin.py", "WebPImagePlugin.py",
            "TiffImagePlugin.py", "ImageSequence.py", "GimpGradientFile.py", "GimpPaletteFile.py", "PaletteFile.py"],
    "extensions": ["_webp"],
    "package": "digitpad/photo",      # excluded from site-app, shipped here
}
# Fetched the first time a person opens "Inside the network" (app/inside.tar.gz, unpacked into
# site-packages): digitpad.inside, plain numpy, so nothing else comes with it.
INSIDE = "digitpad/inside"
# Every module is compiled as `python -OO` would (no docstrings, no asserts): a third fewer bytes.
# The page's Python runs with PYTHONOPTIMIZE=2 (python-worker.js), so numpy skips its C docstrings
# and digitpad's .opt-2.pyc are the ones it looks for; digitpad has no assert and reads no docstring.
OPTIMIZE = 2
# Pure-Python modules copied over site-packages after the trim: numpy.linalg's kernels' stand-in.
STUBS = ROOT / "buildtools" / "stubs"
# Build-time files: headers, static libraries, type stubs, Cython declarations.
DEV_SUFFIXES = (".pyi", ".pxd", ".h", ".c", ".pyx", ".a", ".ini", ".typed")


class BundleError(vendor.VendorError):
    pass


def _key(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode() if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()[:16]


def trim(site: Path) -> list[str]:
    """Remove what TRIM names from an unpacked site-packages; returns the removed paths."""
    removed = []
    for pkg, rules in TRIM.items():
        for sub in rules["packages"]:
            d = site / pkg / sub
            if d.is_dir():
                removed += sorted(p.relative_to(site).as_posix() for p in d.rglob("*") if p.is_file())
                shutil.rmtree(d)
    for pkg, rules in TRIM.items():
        keep = rules.get("modules")
        for p in sorted((site / pkg).glob("*.py")) if keep else []:
            if p.stem not in keep:
                removed.append(p.relative_to(site).as_posix())
                p.unlink()
    drop_ext = {e for rules in TRIM.values() for e in rules["extensions"]}
    for p in sorted(site.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(site).as_posix()
        if p.suffix == ".so" and p.name.split(".")[0] in drop_ext or p.name.endswith(DEV_SUFFIXES):
            removed.append(rel)
            p.unlink()
    for d in sorted((p for p in site.rglob("*") if p.is_dir()), reverse=True):
        if not any(d.iterdir()):
            d.rmdir()
    shutil.copytree(STUBS, site, dirs_exist_ok=True)
    return sorted(removed)


def compile_trees(jobs: list[dict], log=print) -> None:
    """Compile every .py under each job's root with Pyodide's Python (node at build time)."""
    if not shutil.which("node"):
        raise BundleError("node is not installed: it runs Pyodide at build time to compile .pyc "
                          "(Debian: apt-get install nodejs npm)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(jobs, f)
    try:
        r = subprocess.run(["node", str(PYC_SCRIPT), str(ROOT / "node_modules/pyodide"), f.name],
                           capture_output=True, text=True)
    finally:
        Path(f.name).unlink()
    if r.returncode:
        raise BundleError(f"compiling .pyc with Pyodide under node failed:\n{r.stderr.strip()[-2000:]}")
    log(r.stdout.strip())


def write_targz(src: Path, dest: Path) -> None:
    """A reproducible tar.gz (sorted, no times or owners) of everything under src."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for p in sorted(src.rglob("*")):
            rel = p.relative_to(src).as_posix()
            info = tarfile.TarInfo(rel)
            info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
            if p.is_dir():
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                data = p.read_bytes()
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    with open(dest, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(buf.getvalue())


def _photo_vendor(stage: Path, stdlib_src: Path, wheels: dict[str, Path]) -> dict:
    """Stage what photos need from the standard library and Pillow's wheel, laid out as under
    /lib/python3.12; returns its compile job."""
    with zipfile.ZipFile(stdlib_src) as z:
        for name in PHOTO["stdlib"]:
            (stage / name).parent.mkdir(parents=True, exist_ok=True)
            (stage / name).write_bytes(z.read(name))
    pillow = next(w for n, w in wheels.items() if "pillow" in n.lower())
    with zipfile.ZipFile(pillow) as z:
        for info in z.infolist():
            name = info.filename
            if not name.startswith("PIL/"):
                continue
            base = name.split("/")[-1]
            if base in PHOTO["PIL"] or (base.endswith(".so") and base.split(".")[0] in PHOTO["extensions"]):
                dest = stage / "site-packages" / name
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(z.read(info))
    return {"root": str(stage), "mode": "sourceless", "prefix": STDLIB, "optimize": OPTIMIZE}


def _cache() -> Path:
    d = vendor.cache_dir() / "pyc"
    d.mkdir(parents=True, exist_ok=True)
    return d


def build(out: Path, wheels: dict[str, Path], log=print, digitpad: Path = ROOT / "py/digitpad") -> dict:
    """Write stdlib.tar.gz, site-vendor.tar.gz, site-app.tar.gz, trimmed.json and an empty
    python_stdlib.zip into out.

    The standard library travels as a tar.gz unpacked into /lib/python3.12 like the other bundles,
    not as the zip Pyodide imports from: a zip deflates each file alone, and a host sends it as it
    is, while one gzip stream over all files is 8% smaller. loadPyodide still fetches a zip, so it
    gets an empty one (Python skips it on sys.path).
    """
    script = PYC_SCRIPT.read_bytes()
    stdlib_src = ROOT / "node_modules/pyodide/python_stdlib.zip"
    stubs = [(p.relative_to(STUBS).as_posix(), p.read_text()) for p in sorted(STUBS.rglob("*.py"))]
    rules = json.dumps([TRIM, DEV_SUFFIXES, stubs, OPTIMIZE], sort_keys=True)
    stdlib_key = _key(script, vendor.sha256(stdlib_src), json.dumps(sorted(stdlib_trim.KEEP | stdlib_trim.ENCODINGS | stdlib_trim.DEAD)), str(OPTIMIZE), STDLIB)
    vendor_key = _key(script, rules, *(vendor.sha256(w) for w in sorted(wheels.values())))
    cached_stdlib = _cache() / f"python_stdlib-{stdlib_key}.tar.gz"
    cached_stdlib_trim = _cache() / f"python_stdlib-{stdlib_key}.json"
    cached_vendor = _cache() / f"site-vendor-{vendor_key}.tar.gz"
    cached_libs = _cache() / f"site-libs-{vendor_key}.tar"
    cached_trim = _cache() / f"trimmed-{vendor_key}.json"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        jobs = []
        if not (cached_stdlib.exists() and cached_stdlib_trim.exists()):
            with zipfile.ZipFile(stdlib_src) as z:
                z.extractall(tmp / "stdlib")
            cached_stdlib_trim.write_text(json.dumps(stdlib_trim.trim(tmp / "stdlib"), indent=1) + "\n")
            jobs.append({"root": str(tmp / "stdlib"), "mode": "sourceless", "prefix": STDLIB, "optimize": OPTIMIZE})
        trimmed = None
        if not (cached_vendor.exists() and cached_libs.exists() and cached_trim.exists()):
            trimmed = {}
            for name, whl in sorted(wheels.items()):
                before = set()
                with zipfile.ZipFile(whl) as z:
                    z.extractall(tmp / "vendor")
                    before = {i.filename for i in z.infolist() if not i.is_dir()}
                trimmed[whl.name] = sorted(before)   # narrowed to what was removed below
            removed = set(trim(tmp / "vendor"))
            trimmed = {k: [f for f in v if f in removed] for k, v in trimmed.items()}
            jobs.append({"root": str(tmp / "vendor"), "mode": "sourceless", "prefix": SITE, "optimize": OPTIMIZE})
        app = tmp / "app"
        shutil.copytree(digitpad, app / "digitpad",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "photo", "inside"))
        # digitpad too ships as .pyc alone: a traceback keeps its file and line but not the source
        # text, and a first visit carries 36 KB less (gzip; site-app 107 -> 72 KB)
        jobs.append({"root": str(app), "mode": "sourceless", "prefix": SITE, "optimize": OPTIMIZE})
        photo_app = tmp / "photo-app"
        shutil.copytree(digitpad / "photo", photo_app / PHOTO["package"],
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        jobs.append({"root": str(photo_app), "mode": "sourceless", "prefix": SITE, "optimize": OPTIMIZE})
        inside_app = tmp / "inside-app"
        shutil.copytree(digitpad / "inside", inside_app / INSIDE, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        jobs.append({"root": str(inside_app), "mode": "sourceless", "prefix": SITE, "optimize": OPTIMIZE})
        cached_photo = _cache() / f"photo-vendor-{_key(vendor_key, stdlib_key, json.dumps(PHOTO, sort_keys=True))}.tar"
        if not cached_photo.exists():
            jobs.append(_photo_vendor(tmp / "photo-vendor", stdlib_src, wheels))
        compile_trees(jobs, log)
        if (tmp / "stdlib").exists():
            write_targz(tmp / "stdlib", cached_stdlib)
        if trimmed is not None:
            libs = tmp / "libs"
            for so in sorted((tmp / "vendor").rglob("*.so")):
                dest = libs / so.relative_to(tmp / "vendor")
                dest.parent.mkdir(parents=True, exist_ok=True)
                so.rename(dest)
            with tarfile.open(cached_libs, "w", format=tarfile.USTAR_FORMAT) as tar:
                tar.add(libs, arcname=".")
            write_targz(tmp / "vendor", cached_vendor)
            cached_trim.write_text(json.dumps(trimmed, indent=1) + "\n")
        write_targz(app, out / "site-app.tar.gz")
        if not cached_photo.exists():
            with tarfile.open(cached_photo, "w", format=tarfile.USTAR_FORMAT) as tar:
                tar.add(tmp / "photo-vendor", arcname=".")
        photo = tmp / "photo"
        with tarfile.open(cached_photo) as tar:
            tar.extractall(photo, filter="data")
        shutil.copytree(photo_app, photo / "site-packages", dirs_exist_ok=True)
        write_targz(photo, out / "photo.tar.gz")
        write_targz(inside_app, out / "inside.tar.gz")
    shutil.copy2(cached_stdlib, out / "stdlib.tar.gz")
    zipfile.ZipFile(out / "python_stdlib.zip", "w").close()
    shutil.copy2(cached_vendor, out / "site-vendor.tar.gz")
    trimmed = {**json.loads(cached_trim.read_text()), "python_stdlib.zip": json.loads(cached_stdlib_trim.read_text())}
    (out / "trimmed.json").write_text(json.dumps(trimmed, indent=1) + "\n")
    with tarfile.open(cached_libs) as tar:
        tar.extractall(out / "lib", filter="data")
    libs = sorted(p.relative_to(out / "lib").as_posix() for p in (out / "lib").rglob("*.so"))
    for rel in libs:   # served as .wasm: hosts send application/wasm, which compileStreaming requires
        (out / "lib" / rel).rename(out / "lib" / (rel + ".wasm"))
    log(f"python: stdlib and packages precompiled; {sum(map(len, trimmed.values()))} unused files "
        f"trimmed from {', '.join(trimmed)} (listed in vendor/pyodide/trimmed.json)")
    return {"bundles": [f"vendor/pyodide/{n}" for n in ("stdlib.tar.gz", "site-vendor.tar.gz", "site-app.tar.gz")],
            "photo": "vendor/pyodide/photo.tar.gz",
            "libs": [[f"vendor/pyodide/lib/{rel}.wasm", rel] for rel in libs], "trimmed": trimmed}
