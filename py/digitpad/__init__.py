"""digitpad: the Python that runs in Pyodide (and, unchanged, in CPython for tests and training).

Only :mod:`digitpad.browser` may import ``js`` or ``pyodide``; every other module is plain
Python with numpy and Pillow, so every decision the page makes can be tested in CPython.
"""

__version__ = "0.1.0"
