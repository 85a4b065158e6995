"""The standard library the page ships: only what it imports, by top-level name.

Pyodide's python_stdlib.zip holds 554 files (4.0 MB deflated); the page imports 309 modules from
133 top-level names (recorded in the page after every action: strokes, numbers, the heat map,
the sweep, collect, export, a good and a broken import; `self.loadedModules()` in
python-worker.js). Keeping whole top-level packages rather than single modules means a new
import inside a package the page already uses still works; only `encodings` is cut finer,
since its 120 codecs are mostly CJK and legacy code pages that nothing here decodes, and a few
modules that cannot run in a browser (DEAD).

Measured (zip of precompiled .pyc, all kept files): deflated 1.93 MB raw, 1.91 MB gzip; stored
(so that HTTP compression works on it) 4.54 MB raw, 1.69 MB gzip, 1.21 MB brotli. Deflated wins
on every host that does not brotli, so the zip stays deflated.

tests/e2e/test_python_bundle.py drives every page action, then checks that every module the
page loaded is one this list keeps and that the error paths' modules import.
"""
from __future__ import annotations

import shutil
from pathlib import Path

# Top-level names (package or module) the page imports, C builtins left out: what the page loads
# at start (Pyodide's own start-up brings asyncio, ctypes, inspect, logging, socket, subprocess,
# tempfile, zipfile ...), numpy and Pillow's imports, digitpad's, and the error paths'
# (traceback, linecache, tokenize).
KEEP = frozenset("""
    __future__ _collections_abc _compat_pickle _compression _pyodide _sitebuiltins _weakrefset abc ast
    asyncio base64 bisect bz2 codecs collections concurrent contextlib contextvars copy copyreg ctypes
    dataclasses datetime dis encodings enum fnmatch functools genericpath hashlib heapq importlib
    inspect io ipaddress json keyword linecache locale logging ntpath numbers opcode operator os
    pathlib pickle platform posixpath pyodide random re reprlib selectors shutil signal site socket
    stat string struct subprocess tempfile textwrap threading token tokenize traceback types typing
    urllib warnings weakref zipfile zipimport
""".split())

# Codecs kept: Unicode, ASCII and Latin-1 (and what their lookups need), and cp437, the codec of
# zip file names.
ENCODINGS = frozenset("""
    __init__ aliases ascii charmap cp437 latin_1 raw_unicode_escape unicode_escape
    utf_16 utf_16_be utf_16_le utf_32 utf_32_be utf_32_le utf_8 utf_8_sig
""".split())


# Modules inside kept packages that cannot run or are not used in a browser page: Windows-only
# event loops, worker processes, urllib's network client (the page fetches through JS), logging's
# handlers and config files, package metadata, command-line tools, Pyodide's console and pyfetch.
DEAD = frozenset("""
    asyncio/__main__ asyncio/proactor_events asyncio/windows_events asyncio/windows_utils
    concurrent/futures/process ctypes/_aix ctypes/macholib ctypes/util ctypes/wintypes
    importlib/metadata json/tool logging/config logging/handlers pyodide/console pyodide/http
    urllib/request urllib/response urllib/robotparser zipfile/__main__
""".split())


def _top(rel: str) -> str:
    first = rel.split("/")[0]
    return first.split(".")[0] if "/" not in rel else first


def dropped(rel: str) -> bool:
    """Whether a file of the standard library (a path inside the zip) is left out."""
    if _top(rel) not in KEEP:
        return True
    stem = rel.rsplit(".", 1)[0]
    if any(stem == d or stem.startswith(d + "/") for d in DEAD):
        return True
    parts = rel.split("/")
    return parts[0] == "encodings" and len(parts) == 2 and parts[1].split(".")[0] not in ENCODINGS


def trim(root: Path) -> list[str]:
    """Remove what the page never imports from an unpacked standard library; returns the removed files."""
    removed = sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                     if p.is_file() and dropped(p.relative_to(root).as_posix()))
    for rel in removed:
        (root / rel).unlink()
    for d in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(d.iterdir()):
            shutil.rmtree(d)
    return removed
