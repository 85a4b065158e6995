"""The bench's tables: ratios and phases are read from the figures, never typed in."""
from bench.report import ROWS, before_table, breakdown, startup_table, table


def figures(scale: float) -> dict:
    d = {k: 100.0 * scale for k in ROWS} | {"first_visit_bytes": 4e7, "sweep_ms": 250.0, "longest_task_ms": 0.0,
                                             "digits_drawn": 40, "strokes_drawn": 90}
    ref = {k: 100.0 for k in ROWS} | {"first_visit_bytes": 1.6e7}
    marks = [{"visit": "first", "python:start": 10, "python:runtime": 1010, "python:ready": 3000, "models:ready": 2000},
             {"visit": "first", "python:start": 10, "python:runtime": 1210, "python:ready": 3400, "models:ready": 2100}]
    return {"digitpad": d, "reference": ref, "ratio": {k: scale for k in ROWS}, "date": "2026-11-22",
            "machine": "test", "seconds": 1, "build": "abc", "plan": {"digits": 40, "visits": 5},
            "startup": breakdown(marks)}


def test_breakdown_medians_each_phase():
    s = figures(1.0)["startup"]
    assert s["first"]["Pyodide runtime (JS + wasm instantiated)"] == 1100
    assert s["first"]["both workers ready (from navigation)"] == 3200
    assert s["return"] == {}
    assert "| Pyodide runtime (JS + wasm instantiated) | 1100 ms | – ms |" in startup_table(figures(1.0))


def test_tables_show_both_pages_and_the_ratio():
    t = table(figures(2.5))
    assert "| first visit: open → ready (median) | 250 ms | 100 ms | **2.50x** |" in t
    b = before_table(figures(6.0), figures(2.0))
    assert "| last stroke of a new digit → answer shown, p50 | 6.00x (600 ms) | **2.00x** (200 ms) |" in b
