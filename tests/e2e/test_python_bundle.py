"""The page's Python: trimmed, precompiled bundles that still hold everything the page uses."""
import json
import subprocess
import sys

from .conftest import ROOT


def test_every_module_the_page_uses_imports_in_the_page(app):
    names = json.loads(subprocess.run([sys.executable, str(ROOT / "tests/page_modules.py")], capture_output=True,
                                      text=True, check=True).stdout)
    assert "numpy._core._multiarray_umath" in names and "PIL._imaging" in names and "digitpad.render" in names
    worker = next(w for w in app.page.workers if w.url.endswith("python-worker.js"))
    assert worker.evaluate("(names) => self.failedImports(names)", names) == []
    # ... and what the build trimmed is really gone, and listed
    trimmed = json.loads((ROOT / "dist/vendor/pyodide/trimmed.json").read_text())
    removed = [f for files in trimmed.values() for f in files]
    assert any(f.startswith("numpy/random/") for f in removed) and any("_imagingft" in f for f in removed)
    assert worker.evaluate("(names) => self.failedImports(names)", ["numpy.random", "PIL._imagingft"]) == \
        ["numpy.random", "PIL._imagingft"]


def test_python_runs_precompiled_code_only(app):
    """No module of the stdlib or the bundles is compiled from source in the page."""
    worker = next(w for w in app.page.workers if w.url.endswith("python-worker.js"))
    assert worker.evaluate("() => self.sourceModules()") == []
