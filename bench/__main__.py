"""python -m bench [--quick]: digitpad against a plain-JS reference page, in one Chromium run.

The reference (bench/reference/) is what a plain-JS page with the same digits.onnx and the same
onnxruntime-web wasm build costs: canvas preprocessing, the model on the main thread, no worker,
no Python. On these noisy machines an absolute time means little, so every figure is a ratio
to the reference measured in the same run, interleaved (reference, digitpad, reference, ...).
Both run the wasm backend. Writes reports/bench.json and the README's bench table.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from playwright.sync_api import sync_playwright

from buildtools.browser import CHROMIUM, Server

from . import camera, engines, heads, measure, phone, photos, report
from .sites import build_reference

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from drawings import SEVEN, SIX  # noqa: E402  (the tests' drawings: one definition)
# dense_digits: Playwright waits a frame for each mouse move, so a dense digit takes seconds to draw
FULL = {"visits": 5, "returns": 3, "digits": 40, "dense_digits": 6, "clicks": 30, "sweeps": 5, "phone_visits": 3,
        "photos": 7, "engine_visits": 3, "taught": [0, 500, 3000, 20000], "reloads": 3, "inside_digits": 20,
        "camera_frames": 40, "joined": 6}
# pad units between points: about 3 px on a 400-px pad, what the coalesced events of a 500-1000 Hz mouse
# or a pen give at a writing pace; a 60-120 Hz touch screen reports points 2-5 times further apart
DENSE_STEP = 2.0
QUICK = {"visits": 2, "returns": 1, "digits": 6, "dense_digits": 1, "clicks": 5, "sweeps": 2, "phone_visits": 1,
         "photos": 1, "engine_visits": 1, "taught": [0, 50], "reloads": 1, "inside_digits": 2,
         "camera_frames": 5, "joined": 1}


def traced_test_digits(n: int) -> list[list[list[tuple[float, float]]]]:
    """MNIST test digits 0..n-1 traced to pen strokes: n different drawings, drawn like a person."""
    from train.data import load_split, mnist_dir
    from train.trace import image_to_strokes
    x, _ = load_split(mnist_dir(), "test")
    return [[s.points.tolist() for s in image_to_strokes(x[i] / 255.0)] for i in range(n)]


def joined_test_numbers(n: int) -> list[list[list[tuple[float, float]]]]:
    """Numbers of 2-4 MNIST test digits written without lifting the pen (train/numbers.py's joined
    variant), densified as a pointer reports them."""
    from train.data import load_split, mnist_dir
    from train.numbers import joined_numbers
    x, y = load_split(mnist_dir(), "test")
    nums = joined_numbers(x[-400:], y[-400:], n, seed=7)
    return densified([[s.points.tolist() for s in num.strokes] for num in nums])


def densified(digits, step: float = DENSE_STEP):
    """The same drawings with a point at most `step` pad units from the last along each line, as a
    pointer reports them: the traced strokes have a median of 3 points (one per 3 traced pixels),
    a person's stroke of a digit 50-200, and what the page does per point only shows with those."""
    out = []
    for strokes in digits:
        dense = []
        for s in strokes:
            pts = np.asarray(s, float)
            seg = [pts[:1]] + [np.linspace(a, b, max(int(np.ceil(np.hypot(*(b - a)) / step)), 1) + 1)[1:]
                               for a, b in zip(pts[:-1], pts[1:])]
            dense.append(np.concatenate(seg).tolist())
        out.append(dense)
    return out


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def run(plan: dict, dist: Path, log=print) -> dict:
    digits = traced_test_digits(plan["digits"])
    reference = build_reference(dist)
    servers = {"digitpad": Server(dist), "reference": Server(reference)}
    sites = [measure.Site("reference", servers["reference"]),
             measure.Site("digitpad", servers["digitpad"], "?backend=wasm", service_worker=True)]
    raw = {s.name: {"first_ms": [], "first_bytes": [], "return_ms": [], "marks": [], "stroke_ms": [],
                    "last_stroke_ms": [], "stroke_phases": [], "predict_ms": [],
                    "dense_stroke_ms": [], "first_stroke_ms": []} for s in sites}
    with sync_playwright() as pw:
        # what a phone downloads and waits for, each page from a fresh browser on an emulated link
        raw["phone"] = phone.run(pw.chromium, {"digitpad": (dist, "?backend=wasm"),
                                               "reference": (reference, "")},
                                 SEVEN, plan.get("phone_visits", 1), log)
        kept = {}
        for rep in range(plan["visits"]):               # start-up: fresh profiles, interleaved
            for site in sites:
                v = measure.first_visit(pw.chromium, site, SEVEN)
                for _ in range(plan["returns"]):
                    measure.return_visit(v, SEVEN)
                r = raw[site.name]
                r["first_ms"].append(v.first_ms)
                r["first_bytes"].append(v.first_bytes)
                r["return_ms"] += v.returns_ms
                r["first_stroke_ms"] += v.first_strokes_ms
                r["marks"] += v.marks
                log(f"{site.name}: first visit {v.first_ms:.0f} ms, returns {[round(x) for x in v.returns_ms]}")
                if rep < plan["visits"] - 1:
                    v.close()
                else:
                    kept[site.name] = v
        apps = {name: v.app for name, v in kept.items()}
        digitpad = apps["digitpad"]
        bench_phases = {f"{len(digits)} digits drawn": measure.since_shown(digitpad)}   # bench phase -> its start
        for i, strokes in enumerate(digits):            # a new drawing each time, on both pages
            for site in sites:
                app = apps[site.name]
                ms, phases = measure.draw_digit(app, strokes)
                raw[site.name]["stroke_ms"] += ms
                raw[site.name]["last_stroke_ms"].append(ms[-1])
                raw[site.name]["stroke_phases"].append(phases)
                measure.clear(app, answers_clear=site.name == "digitpad")
        dense = densified(digits[:plan.get("dense_digits", 0)])
        bench_phases["dense digits drawn"] = measure.since_shown(digitpad)
        for strokes in dense:                           # the same digits, as a real pointer reports them
            for site in sites:
                raw[site.name]["dense_digits"] = len(dense)
                ms, _ = measure.draw_digit(apps[site.name], strokes)
                raw[site.name]["dense_stroke_ms"] += ms
                measure.clear(apps[site.name], answers_clear=site.name == "digitpad")
        bench_phases["Predict clicked"] = measure.since_shown(digitpad)
        for site in sites:
            measure.draw_digit(apps[site.name], SIX)
        for _ in range(plan["clicks"]):
            for site in sites:
                raw[site.name]["predict_ms"] += measure.predict_clicks(apps[site.name], 1)
        bench_phases["sweeps"] = measure.since_shown(digitpad)
        raw["digitpad"]["sweep_ms"] = measure.sweeps(digitpad, plan["sweeps"])
        bench_phases["heat maps"] = measure.since_shown(digitpad)
        raw["digitpad"]["explain_ms"] = measure.explains(digitpad, plan["clicks"])
        bench_phases["digit selections"] = measure.since_shown(digitpad)
        raw["digitpad"]["select_ms"] = measure.selections(digitpad, plan["clicks"])
        bench_phases["numbers written in one stroke"] = measure.since_shown(digitpad)
        raw["digitpad"]["joined_ms"] = measure.joined_numbers(digitpad, joined_test_numbers(plan.get("joined", 1)))
        bench_phases["Inside the network open"] = measure.since_shown(digitpad)
        raw["digitpad"]["inside"] = measure.inside_panel(digitpad, digits[:plan.get("inside_digits", 2)])
        bench_phases["photos"] = measure.since_shown(digitpad)
        raw["digitpad"]["photos"] = photos.measure(digitpad, plan.get("photos", 1))
        raw["digitpad"]["longest_task_ms"], raw["digitpad"]["longest_startup_task_ms"] = measure.longest_task(digitpad)
        raw["digitpad"]["long_tasks"] = measure.long_tasks(digitpad)
        raw["digitpad"]["bench_phases"] = bench_phases
        for v in kept.values():
            v.close()
    for s in servers.values():
        s.stop()
    return raw


def summarize(raw: dict) -> dict:
    def fig(site: str) -> dict:
        r = raw[site]
        out = {"first_visit_ms": statistics.median(r["first_ms"]), "return_visit_ms": statistics.median(r["return_ms"]),
               "stroke_ms_p50": pct(r["last_stroke_ms"], 50), "stroke_ms_p90": pct(r["last_stroke_ms"], 90),
               "predict_ms_p50": pct(r["predict_ms"], 50), "predict_ms_p90": pct(r["predict_ms"], 90),
               "first_visit_bytes": statistics.median(r["first_bytes"]),
               "digits_drawn": len(r["last_stroke_ms"]), "strokes_drawn": len(r["stroke_ms"])}
        if r.get("first_stroke_ms"):
            out["first_stroke_ms"] = statistics.median(r["first_stroke_ms"])
        if r.get("dense_stroke_ms"):        # every stroke: a dense digit's last stroke is often a short one
            out.update(dense_stroke_ms_p50=pct(r["dense_stroke_ms"], 50), dense_stroke_ms_p90=pct(r["dense_stroke_ms"], 90),
                       dense_strokes_drawn=len(r["dense_stroke_ms"]), dense_digits_drawn=r["dense_digits"])
        if "sweep_ms" in r:
            out.update(sweep_ms=statistics.median(r["sweep_ms"]), longest_task_ms=r["longest_task_ms"],
                       longest_startup_task_ms=r["longest_startup_task_ms"])
        if r.get("long_tasks"):      # where the longest one came: what the bench was doing then
            start, _ = max(r["long_tasks"], key=lambda t: t[1])
            out["longest_task_while"] = measure.while_doing(start, r["bench_phases"])
        if r.get("explain_ms"):
            out.update(explain_ms_p50=pct(r["explain_ms"], 50), explain_ms_p90=pct(r["explain_ms"], 90))
        if r.get("select_ms"):
            out.update(select_ms_p50=pct(r["select_ms"], 50), select_ms_p90=pct(r["select_ms"], 90))
        if r.get("joined_ms"):
            out.update(joined_ms_p50=pct(r["joined_ms"], 50), joined_ms_p90=pct(r["joined_ms"], 90),
                       joined_strokes=len(r["joined_ms"]))
        if r.get("inside"):                 # every stroke, panel open and closed again
            i = r["inside"]
            out.update(inside_panel_ms_p50=pct(i["open_panel_ms"], 50), inside_panel_ms_p90=pct(i["open_panel_ms"], 90),
                       inside_answer_ms_p50=pct(i["open_answer_ms"], 50),
                       inside_closed_ms_p50=pct(i["closed_again_ms"], 50), inside_strokes=len(i["open_panel_ms"]))
        return {k: round(v, 2) if isinstance(v, float) else v for k, v in out.items()}

    d, ref = fig("digitpad"), fig("reference")
    for site, out in (("digitpad", d), ("reference", ref)):
        ph = raw["phone"]
        out.update({f"phone_{host}_ms": ph["first_answer_ms"][site][host] for host in phone.HOSTS})
        out.update({f"first_visit_{k}_bytes": v for k, v in ph["total"][site].items()})
    ratios = {k: round(d[k] / ref[k], 2) for k in report.ROWS if ref.get(k) and k in d}
    return {"digitpad": d, "reference": ref, "ratio": ratios, "files": raw["phone"]["files"], "link": raw["phone"]["link"],
            "startup": report.breakdown(raw["digitpad"]["marks"]), "photos": raw["digitpad"].get("photos"),
            "stroke_phases": {site: report.stroke_breakdown(raw[site]["stroke_phases"]) for site in ("digitpad", "reference")}}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a smoke run: 2 visits, 6 digits (no README update)")
    p.add_argument("--dist", type=Path, default=ROOT / "dist",
                   help="the digitpad build to measure (e.g. an older commit's dist/, for a before/after)")
    p.add_argument("--out", type=Path, help="where to write the figures (default reports/bench.json)")
    p.add_argument("--before", type=Path, default=ROOT / "reports" / "bench-before.json",
                   help="an older build's figures (written with --out) for the README's before/after table")
    args = p.parse_args()
    plan = QUICK if args.quick else FULL
    t0 = time.perf_counter()
    raw = run(plan, args.dist.resolve())
    # Chromium, Firefox and WebKit side by side: fresh browsers, after the Chromium-only run
    raw["engines"] = engines.run(args.dist.resolve(), plan["engine_visits"])
    # what was taught, after a reload: ready and the personal heads in force, by samples stored
    raw["heads"] = heads.run(args.dist.resolve(), plan["taught"], plan["reloads"])
    # the live camera, with Chromium's fake camera: a browser of its own per rendering
    raw["camera"] = camera.run(args.dist.resolve(), plan["camera_frames"])
    results = {"date": time.strftime("%Y-%m-%d"), "quick": args.quick, "plan": plan,
               "machine": f"{platform.machine()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, "
                          f"{subprocess.run([CHROMIUM, '--version'], capture_output=True, text=True).stdout.strip()} headless",
               "build": json.loads((args.dist / "build.json").read_text())["build"],
               **summarize(raw), "engines": raw["engines"]["engines"], "camera": raw["camera"], "raw": raw, "seconds": round(time.perf_counter() - t0)}
    out = args.out or ROOT / "reports" / ("bench-quick.json" if args.quick else "bench.json")
    out.write_text(json.dumps(results, indent=1) + "\n")
    if not args.quick and args.out is None:       # the reload figures, where docs/performance.md links them
        (ROOT / "reports" / "heads.json").write_text(json.dumps(raw["heads"], indent=1) + "\n")
    print(report.table(results))
    print(report.stroke_table(results))
    print(photos.table(results["photos"]))
    print(camera.table(results["camera"]))
    print(engines.table(raw["engines"]))
    if not args.quick and args.out is None:
        bytes_before = ROOT / "reports" / "bytes-before.json"
        report.write_readme(results, json.loads(args.before.read_text()) if args.before.exists() else None,
                            json.loads(bytes_before.read_text()) if bytes_before.exists() else None)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
