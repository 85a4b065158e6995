"""Stands in for numpy.linalg's compiled kernels (1.9 MB), which digitpad's build leaves out of the page.

numpy 2.0.2 imports numpy.linalg at start (lib/_polynomial_impl.py, matrixlib/defmatrix.py), and
linalg binds this module then, but looks each kernel up only when it is called. The page never
calls one; if it ever does, this says why it fails.
"""


def __getattr__(name: str):
    raise ImportError(f"numpy.linalg's {name} is not in digitpad's page: its build leaves out "
                      "numpy.linalg's compiled kernels (_umath_linalg), which the page never calls")
