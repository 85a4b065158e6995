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


def test_load_table_says_when_no_answer_came():
    from bench.load import CASES, fmt, table
    assert fmt([396.2, 118.1, 73.3, 101.2]) == "396 ms, then 118 ms"
    assert fmt([3495.8, 4249.8]) == "3.50 s, then 4.25 s"
    assert fmt([67000.0, None]) == "67.00 s, then no answer within the limit"
    assert fmt([None]) == "no answer within the limit"
    r = {"date": "2026-11-22", "limit_s": 120, "now": {k: {"predict_ms": [200.0, 90.0]} for k in CASES},
         "before": {k: {"predict_ms": [None]} for k in CASES}}
    assert "| 600 separate dots | no answer within the limit | **200 ms, then 90 ms** |" in table(r)


def test_stroke_table_lines_up_the_phases_both_pages_share():
    from bench.report import stroke_breakdown, stroke_table
    d = stroke_breakdown([{"to the Python worker": 1.0, "networks (onnxruntime)": 6.0, "images": 1},
                          {"to the Python worker": 3.0, "networks (onnxruntime)": 8.0, "images": 2}])
    assert d == {"to the Python worker": 2.0, "networks (onnxruntime)": 7.0, "images": 1.5}
    ref = stroke_breakdown([{"pointer up → preprocessed (canvas)": 2.0, "networks (onnxruntime)": 5.0}])
    t = stroke_table(figures(1.0) | {"stroke_phases": {"digitpad": d, "reference": ref}})
    assert "| pointer up → preprocessed (canvas) | – | 2.0 ms |" in t
    assert "| networks (onnxruntime) | 7.0 ms | 5.0 ms |" in t
    assert "| images in the batch | 1.5 | 1 |" in t


def test_before_table_leaves_out_rows_the_older_figures_lack():
    old = figures(6.0)
    old["ratio"] = {k: v for k, v in old["ratio"].items() if not k.startswith("dense_")}
    b = before_table(old, figures(2.0))
    assert "as a mouse reports" not in b and "| Predict clicked → answer shown, p50 | 6.00x" in b
    assert "(as a mouse reports) → answer, p50 | 250 ms | 100 ms | **2.50x** |" in table(figures(2.5))


def test_densified_strokes_keep_their_points_and_fill_the_lines():
    import numpy as np
    from bench.__main__ import densified
    digits = [[[(0.0, 0.0), (10.0, 0.0), (10.0, 5.0)], [(50.0, 50.0)]]]
    (dense,) = densified(digits, step=2.0)
    a = np.array(dense[0])
    assert a[0].tolist() == [0, 0] and a[-1].tolist() == [10, 5] and [10, 0] in a.tolist()
    gaps = np.hypot(*np.diff(a, axis=0).T)
    assert len(a) == 9 and gaps.max() <= 2.0 + 1e-12 and gaps.min() > 0
    assert dense[1] == [[50.0, 50.0]]


def test_a_long_task_is_placed_in_the_bench_phase_it_came_in():
    from bench.measure import while_doing
    phases = {"40 digits drawn": 100.0, "Predict clicked": 5000.0, "sweeps": 7000.0}
    assert while_doing(6000.0, phases) == "Predict clicked"
    assert while_doing(7000.0, phases) == "sweeps"
    assert while_doing(50.0, phases) == "before the bench drew"
    t = table(figures(1.0) | {"digitpad": figures(1.0)["digitpad"] | {"longest_task_ms": 84.0, "longest_task_while": "sweeps"}})
    assert "| longest main-thread task once the pad is shown | 84 ms (while the bench: sweeps) | – | |" in t
