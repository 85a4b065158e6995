"""The page's own scripts parse, and sw.js carries the placeholder build.py fills."""
import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parent.parent / "web"


@pytest.mark.parametrize("script", sorted(p.name for p in WEB.glob("*.js")))
def test_script_parses(script, tmp_path):
    node = shutil.which("node")
    assert node, "node is needed (it comes with npm, which the build needs anyway)"
    src = (WEB / script).read_text().replace("__PRECACHE__", '{"build": "x", "files": [], "runtime": []}')
    copy = tmp_path / (script.replace(".js", ".mjs"))   # the page loads them all as modules
    copy.write_text(src)
    r = subprocess.run([node, "--check", str(copy)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
