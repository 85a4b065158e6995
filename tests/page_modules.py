"""Every numpy, Pillow and digitpad module the page's Python imports, found by running every page
action in a fresh CPython. tests/e2e/test_python_bundle.py then imports each in the page, whose
bundles are trimmed: a module the page needs but the trim removed would fail there.

    python tests/page_modules.py    -> JSON list of module names
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "py"))

import numpy as np  # noqa: E402

from digitpad import actions, samples  # noqa: E402
from digitpad.controller import Controller  # noqa: E402


def nets(batch):
    n = len(batch)
    return np.full((n, 10), 0.1, np.float32), np.tile(np.array([0.3, 0.7], np.float32), (n, 1))


def every_action() -> None:
    c = Controller()
    script = [("stroke", {"points": memoryview(np.array([90, 70, 190, 70, 120, 220], np.float32))}),
              ("stroke", {"points": [[110, 145], [170, 145]], "tool": "eraser", "width": 30}),
              ("predict", {}), ("sweep", {}), ("move", {"dx": 1, "dy": 0}), ("zoom", {"direction": 1}),
              ("rotate", {"degrees": 10}), ("normalize", {}), ("set", {"name": "normalize", "value": False}),
              ("predict", {}), ("sample", {"label": "7"}), ("count_samples", {}), ("undo", {}), ("clear", {}),
              ("state", {}), ("teleport", {})]
    stored = samples.dump([])
    for name, payload in script:
        reply = actions.handle(c, name, payload).run(nets)
        if "sample" in reply:
            stored = samples.dump([reply["sample"]])
    actions.handle(c, "import_samples", {"stored": samples.dump([]), "text": stored}).complete()
    actions.handle(c, "import_samples", {"stored": stored, "text": "{broken"}).complete()


if __name__ == "__main__":
    every_action()
    names = {m for m in sys.modules if m.split(".")[0] in ("numpy", "PIL", "digitpad")}
    print(json.dumps(sorted(names | {"digitpad.browser"})))
