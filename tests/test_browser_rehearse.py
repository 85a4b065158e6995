"""The rehearsal the Python worker runs once the page is ready (digitpad.browser.rehearse).

digitpad.browser is the only module that imports Pyodide; here its one import from it is
stood in for, so the module runs in CPython as it does in the page.
"""
import sys
import types

import numpy as np
import pytest


class Typed:
    """A JS typed array as Pyodide hands it to Python."""
    def __init__(self, a):
        self.a = a

    def to_py(self):
        return memoryview(self.a)


@pytest.fixture
def browser(monkeypatch):
    ffi = types.ModuleType("pyodide.ffi")
    ffi.to_js = lambda x: x
    monkeypatch.setitem(sys.modules, "pyodide", types.ModuleType("pyodide"))
    monkeypatch.setitem(sys.modules, "pyodide.ffi", ffi)
    monkeypatch.delitem(sys.modules, "digitpad.browser", raising=False)
    import digitpad.browser as b
    return b


def test_rehearsal_leaves_the_persons_drawing_and_pending_step_alone(browser):
    app = browser.create_app("{}")
    app.begin("stroke", {"points": [[60.0, 60.0], [200.0, 220.0]]})
    step, drawing, history = app.step, app.controller.drawing, list(app.controller.history)
    images = browser.rehearse(app)
    assert app.step is step and app.controller.drawing is drawing and app.controller.history == history
    # the page's own action still completes as if nothing had run in between
    reply = app.end(Typed(np.full(10, 0.1, np.float32)), Typed(np.array([0.5, 0.5], np.float32)))
    assert '"view"' in reply
    # the last stroke made a number: the candidate symbols went through the render too
    assert images > len(browser.REHEARSAL)


def test_rehearsal_strokes_are_simplified_as_a_pointer_s_are(browser):
    from digitpad.strokes import make_stroke, simplified
    long_ones = [make_stroke(p) for p in browser.REHEARSAL if len(p) > 32]
    assert long_ones and all(len(simplified(s).points) < len(s.points) for s in long_ones)
