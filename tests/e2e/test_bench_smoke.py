"""The bench's smoke run (`python -m bench --quick`) against the built page: it measures both pages,
and every figure the README shows comes out. No timing is asserted: these machines are noisy."""
import json
import subprocess
import sys

from bench.report import bytes_table

from .conftest import ROOT


def test_quick_bench_measures_both_pages(dist, tmp_path):
    out = tmp_path / "bench.json"
    r = subprocess.run([sys.executable, "-m", "bench", "--quick", "--dist", str(dist), "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    res = json.loads(out.read_text())
    d, ref = res["digitpad"], res["reference"]
    assert d["digits_drawn"] == ref["digits_drawn"] == res["plan"]["digits"]
    for key, ratio in res["ratio"].items():
        assert d[key] > 0 and ref[key] > 0 and abs(ratio - d[key] / ref[key]) < 0.01
    assert d["sweep_ms"] > 0 and d["explain_ms_p50"] > 0
    assert 0 < d["select_ms_p50"] <= d["select_ms_p90"]
    # Inside the network: every stroke with the panel open answered and painted, then closed again
    assert d["inside_strokes"] > 0 and 0 < d["inside_panel_ms_p50"] <= d["inside_panel_ms_p90"]
    assert d["inside_answer_ms_p50"] > 0 and d["inside_closed_ms_p50"] > 0
    assert "| Inside the network open: stroke → answer → panel painted" in r.stdout
    assert "Python interpreter starts" in res["startup"]["first"] and res["startup"]["return"]
    assert "| first visit: open → ready (median) |" in r.stdout
    # every row the README shows came out, and the stroke phases are the page's phases only
    assert {"first_stroke_ms", "dense_stroke_ms_p50", "stroke_ms_p50"} <= set(res["ratio"])
    assert d["dense_strokes_drawn"] > 0
    # what a phone gets: both pages over the emulated link, from both kinds of host, and bytes per file
    assert {"phone_dynamic_ms", "phone_static_ms"} <= set(res["ratio"]) and res["link"]["latency"] == 150
    files = res["files"]["digitpad"]
    assert "models/combined.onnx" in files and "models/digits.onnx" not in files
    for name, f in files.items():
        assert f["twin"] <= f["raw"] and f["gzip"] <= f["raw"] * 1.01, name
    assert d["first_visit_twin_bytes"] < d["first_visit_gzip_bytes"] < d["first_visit_raw_bytes"]
    assert "| `ort-wasm-simd-threaded.wasm` |" in bytes_table(files, None)
    assert list(res["raw"]["digitpad"]["bench_phases"])[0] == f"{res['plan']['digits']} digits drawn"
    for site in ("digitpad", "reference"):
        phases = res["stroke_phases"][site]
        assert phases and not set(phases) & set(res["raw"]["digitpad"]["bench_phases"]), phases
        assert all(0 <= v < 10_000 for v in phases.values()), phases
    # the same page in Chromium, Firefox ESR and WebKitGTK, each a fresh browser (bench/engines.py)
    assert set(res["engines"]) == {"chromium", "firefox", "webkit"}, res["raw"]["engines"].get("missing")
    for name, e in res["engines"].items():
        assert e["ready_ms"] > 0 and e["strokes"] == 12 and 0 < e["stroke_ms_p50"] <= e["stroke_ms_p90"], (name, e)
    assert "| Firefox ESR | " in r.stdout and "| WebKitGTK (MiniBrowser) | " in r.stdout
    # the live camera, both renderings: the number read live, every frame measured
    for name, c in res["camera"].items():
        assert c["read_right"] and c["frames"] == res["plan"]["camera_frames"], (name, c)
        assert c["fps"] > 0 and 0 < c["ms_p50"] <= c["ms_p90"] and c["clean_ms"] > 0, (name, c)
    assert set(res["camera"]) == {"software", "swiftshader"} and "| the live camera, 1280×720" in r.stdout
    # what was taught, after a reload: nothing stored, then 50 samples whose heads come back in force
    sizes = {row["samples"]: row for row in res["raw"]["heads"]["sizes"]}
    assert set(sizes) == {0, 50} and sizes[0]["heads_after_ready_ms"] is None
    assert sizes[50]["ready_ms"] > 0 and sizes[50]["heads_after_ready_ms"] is not None
    assert all(r["heads_ms"] >= r["ready_ms"] for r in sizes[50]["reloads"])
