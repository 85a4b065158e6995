"""Measure the built page in Debian's headless Chromium and write bench/results.json + README table.

Each figure is read from the page's own performance.now() marks (data-ready-ms, data-predict-ms,
data-sweep-ms, data-longest-task-ms), so Playwright's own overhead is not counted. Bytes are
counted by the server. Run `python3 build.py bench --quick` for a smoke run.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from buildtools.serve import make_server
from tests.e2e.conftest import ARGS, CHROMIUM, App

ROOT = Path(__file__).resolve().parent.parent
SEVEN = [[(90, 70), (190, 70), (120, 220)]]
SIX = [[(150, 60), (110, 140), (100, 190), (130, 225), (170, 200), (165, 160), (120, 160)]]


class CountingServer:
    def __init__(self):
        import threading
        self.httpd = make_server(ROOT / "dist", 0, "/", quiet=True)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    @property
    def bytes(self) -> int:
        return self.httpd.bytes_sent


def attr(app: App, name: str) -> float:
    return float(app.page.get_attribute("html", f"data-{name}"))


def measure_backend(browser, srv: CountingServer, backend: str, starts: int, predictions: int) -> dict:
    ready, first_bytes, longest, startup = [], [], [], []
    for _ in range(starts):              # cold: a fresh profile each time, service worker allowed
        ctx = browser.new_context(viewport={"width": 1200, "height": 1000})
        app = App(ctx.new_page(), srv.url)
        before = srv.bytes
        app.open(srv.url, backend=backend)
        ready.append(attr(app, "ready-ms"))
        app.page.wait_for_selector("html[data-ready='true']", state="attached")
        _wait_sw(app)
        first_bytes.append(srv.bytes - before)
        longest.append(float(app.page.get_attribute("html", "data-longest-task-ms") or 0))
        startup.append(float(app.page.get_attribute("html", "data-longest-startup-task-ms") or 0))
        if len(ready) == starts:
            warm = _warm_start(app, srv.url, backend)
            lat = _predict_latency(app, predictions)
            sweep = _sweep_time(app, 5)
        ctx.close()
    lat.sort()
    return {
        "cold_start_ready_ms_median": round(statistics.median(ready)),
        "cold_start_ready_ms_all": [round(r) for r in ready],
        "warm_start_ready_ms": round(warm),
        "predict_ms_p50": round(_pct(lat, 50), 2), "predict_ms_p90": round(_pct(lat, 90), 2),
        "predictions": len(lat),
        "sweep_ms_median": round(statistics.median(sweep), 1),
        "first_visit_bytes": int(statistics.median(first_bytes)),
        "longest_main_thread_task_ms": max(longest),
        "longest_task_before_pad_shown_ms": max(startup),
    }


def _wait_sw(app: App) -> None:
    """Wait until the service worker controls the page (its precache is then complete)."""
    app.page.evaluate("""() => new Promise((resolve) => navigator.serviceWorker.controller ? resolve(true)
        : navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true)))""")


def _warm_start(app: App, url: str, backend: str) -> float:
    app.open(url, backend=backend)
    return attr(app, "ready-ms")


def _predict_latency(app: App, n: int) -> list[float]:
    app.page.click("#auto-predict")
    app.draw(SEVEN)
    out = []
    for _ in range(n):
        app.predict()
        out.append(attr(app, "predict-ms"))
    return out


def _sweep_time(app: App, n: int) -> list[float]:
    app.page.click("#clear")
    app.draw(SIX)
    out = []
    for i in range(n):
        app.page.click("#sweep")
        app.page.wait_for_selector(f"html[data-sweeps='{i + 1}']", state="attached")
        out.append(attr(app, "sweep-ms"))
        app.page.click("#sweep-stop")
    return out


def _pct(xs: list[float], q: float) -> float:
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def write_readme(results: dict) -> None:
    readme = ROOT / "README.md"
    if not readme.exists():
        return
    rows = ["| figure | wasm | webgl (SwiftShader here) | target (wasm) |", "|---|---|---|---|"]
    w, g = results["backends"]["wasm"], results["backends"]["webgl"]
    spec = [("cold start to ready, median of {n}".format(n=len(w["cold_start_ready_ms_all"])), "cold_start_ready_ms_median", " ms", "≤ 4000 ms"),
            ("warm start (service worker) to ready", "warm_start_ready_ms", " ms", "≤ 3000 ms"),
            ("predict, click to shown, p50", "predict_ms_p50", " ms", "≤ 5 ms"),
            ("predict, click to shown, p90", "predict_ms_p90", " ms", ""),
            ("360° sweep (36 predictions, batched)", "sweep_ms_median", " ms", "≤ 150 ms"),
            ("bytes on a first visit (uncompressed)", "first_visit_bytes", "", "≤ 25 MB on WebGL"),
            ("longest main-thread task once the pad is shown", "longest_main_thread_task_ms", " ms", "≤ 100 ms"),
            ("longest main-thread task before the pad is shown", "longest_task_before_pad_shown_ms", " ms", "")]
    for label, key, unit, target in spec:
        fmt = (lambda v: f"{v / 1e6:.1f} MB") if key == "first_visit_bytes" else (lambda v, u=unit: f"{v:g}{u}")
        rows.append(f"| {label} | {fmt(w[key])} | {fmt(g[key])} | {target} |")
    rows.append(f"\nMeasured {results['date']} on {results['machine']} by `python3 build.py bench`; "
                "raw figures in [bench/results.json](bench/results.json).")
    text = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start in text and end in text:
        text = text[: text.index(start) + len(start)] + "\n" + "\n".join(rows) + "\n" + text[text.index(end):]
        readme.write_text(text)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--quick", action="store_true", help="2 starts and 10 predictions: a smoke run")
    args = p.parse_args()
    starts, preds = (2, 10) if args.quick else (5, 60)
    srv = CountingServer()
    results = {"date": time.strftime("%Y-%m-%d"), "quick": args.quick,
               "machine": f"{platform.machine()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, "
                          f"{subprocess.run([CHROMIUM, '--version'], capture_output=True, text=True).stdout.strip()} headless",
               "build": json.loads((ROOT / "dist/build.json").read_text())["build"], "backends": {}}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for backend in ("wasm", "webgl"):
            results["backends"][backend] = measure_backend(browser, srv, backend, starts, preds)
            print(backend, json.dumps(results["backends"][backend]), flush=True)
        browser.close()
    out = ROOT / "bench" / ("results-quick.json" if args.quick else "results.json")
    out.write_text(json.dumps(results, indent=2) + "\n")
    if not args.quick:
        write_readme(results)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
