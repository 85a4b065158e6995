"""The page's Python: trimmed, precompiled bundles that still hold everything the page uses."""
import json
import subprocess
import sys
import zipfile

from buildtools.site import locate
from buildtools.stdlib_trim import KEEP
from drawings import SIX, number

from .conftest import ROOT


def test_every_module_the_page_uses_imports_in_the_page(app):
    names = json.loads(subprocess.run([sys.executable, str(ROOT / "tests/page_modules.py")], capture_output=True,
                                      text=True, check=True).stdout)
    assert "numpy._core._multiarray_umath" in names and "PIL._imaging" in names and "digitpad.render" in names
    worker = next(w for w in app.page.workers if w.url.endswith("python-worker.js"))
    assert worker.evaluate("(names) => self.failedImports(names)", names) == []
    # ... and what the build trimmed is really gone, and listed
    trimmed = json.loads(locate(ROOT / "dist", "vendor/pyodide/trimmed.json").read_text())
    removed = [f for files in trimmed.values() for f in files]
    assert any(f.startswith("numpy/random/") for f in removed) and any("_imagingft" in f for f in removed)
    assert worker.evaluate("(names) => self.failedImports(names)", ["numpy.random", "PIL._imagingft"]) == \
        ["numpy.random", "PIL._imagingft"]


def test_python_runs_precompiled_code_only(app):
    """No module of the stdlib or the bundles is compiled from source in the page."""
    worker = next(w for w in app.page.workers if w.url.endswith("python-worker.js"))
    assert worker.evaluate("() => self.sourceModules()") == []


def drive_every_action(app, tmp_path) -> None:
    """Every path through the page's Python: strokes, numbers, the heat map, the sweep, each
    transform, collect, export, and a good and a broken import. Each one must finish."""
    p = app.page
    p.click("#explain-toggle")
    app.wait_predictions(1)          # switching it on reads the empty pad again: that answer first,
    app.draw(SIX)                    # or on a busy machine both land before a wait for "1" looks
    app.wait_predictions(2)
    p.wait_for_selector("html[data-explains='1']", state="attached")
    p.click("#sweep")
    p.wait_for_selector("html[data-sweeps='1']", state="attached")
    for sel in ["#move-left", "#zoom-in", "#rotate-left", "#normalize", "#undo", "#normalize-toggle"]:
        n = app.predictions
        p.click(sel)
        app.wait_predictions(n + 1)
    p.click("#collect-7")
    p.wait_for_selector("#collect-counts[data-total='1']", state="attached")
    with p.expect_download() as d:
        p.click("#collect-export")
    p.set_input_files("#collect-import", d.value.path())
    p.wait_for_selector("#collect-message:has-text('Imported')")
    broken = tmp_path / "broken.json"
    broken.write_text("{broken")
    p.set_input_files("#collect-import", broken)
    p.wait_for_selector("#collect-message:has-text('was not imported')")
    p.click("#clear")
    p.wait_for_selector("#pad[data-strokes='0']", state="attached")
    n = app.predictions
    strokes = number("2026")
    app.draw(strokes)
    app.wait_predictions(n + len(strokes))
    assert p.text_content("#number") == "2026"


def test_the_trimmed_standard_library_holds_every_module_the_page_loads(make_app, server, tmp_path):
    app = make_app(server.origin, accept_downloads=True).open(server.url)
    drive_every_action(app, tmp_path)
    worker = next(w for w in app.page.workers if w.url.endswith("python-worker.js"))
    loaded = worker.evaluate("() => self.loadedModules()")
    assert len(loaded) > 250 and "numpy.linalg" in loaded
    stdlib = vendor_zip_names()
    outside = sorted({m.split(".")[0] for m in loaded if m.split(".")[0] in stdlib and m.split(".")[0] not in KEEP})
    assert outside == [], "the page loaded modules the stdlib trim does not keep"
    # the error paths' modules, and what the trim dropped really is gone (and listed)
    assert worker.evaluate("(names) => self.failedImports(names)", ["traceback", "linecache", "tokenize", "encodings.utf_16"]) == []
    dropped = json.loads(locate(ROOT / "dist", "vendor/pyodide/trimmed.json").read_text())["python_stdlib.zip"]
    assert any(f.startswith("email/") for f in dropped) and any(f.startswith("encodings/cp1252") for f in dropped)
    assert worker.evaluate("(names) => self.failedImports(names)", ["email", "unittest", "encodings.cp1252"]) == \
        ["email", "unittest", "encodings.cp1252"]


def vendor_zip_names() -> set[str]:
    """Top-level names in Pyodide's own (untrimmed) standard library."""
    with zipfile.ZipFile(ROOT / "node_modules/pyodide/python_stdlib.zip") as z:
        return {n.split("/")[0].removesuffix(".py") for n in z.namelist()}


def test_numpy_linalg_kernels_are_left_out_with_a_clear_message(app):
    worker = next(w for w in app.page.workers if w.url.endswith("python-worker.js"))
    assert worker.evaluate("() => self.failedImports(['numpy.linalg'])") == []     # numpy still imports it
    message = worker.evaluate("() => self.linalgCallError()")
    assert "numpy.linalg's inv is not in digitpad's page" in message
    libs = {p.name for p in locate(ROOT / "dist", "vendor/pyodide/lib").rglob("*.wasm")}
    assert not any("_umath_linalg" in n for n in libs) and any("_multiarray_umath" in n for n in libs)
