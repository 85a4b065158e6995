"""python -m bench.load: the worst prediction a person can cause, on this build and (optionally) an older one.

Two loads from the hardening issue, on the wasm backend:
* 600 separate dots (a grid of clicks): symbol grouping used to restart a pairwise merge on
  every merge;
* a full pad: 25 long wavy strokes of 2,000 points each across the whole pad (50,000 points).
The dots are mouse clicks. The long strokes are pointer events dispatched in the page, a stroke
at a time (the page's own handlers take them as they take a mouse's): 50,000 mouse moves through
Playwright take many minutes in headless Chromium, which would measure the harness, not the page.
Auto-predict is off while drawing, then Predict is clicked four times; the page's own
`data-predict-ms` is read. The first answer also waits for the strokes still on their way to
Python; the next three are the prediction alone. A build that has not answered within --limit
seconds is recorded as such (null), not waited for. Writes reports/bench-load.json and the README's `load` section.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

from buildtools.browser import ARGS, CHROMIUM, App, Server
from buildtools.readme import replace_sections

ROOT = Path(__file__).resolve().parent.parent
CASES = {
    "600 separate dots": lambda: [[(12 + 11 * (i % 24), 12 + 11 * (i // 24))] for i in range(600)],
    "a full pad: 25 strokes of 2,000 points": lambda: [
        [(10 + 260 * u, 10 + 10.5 * j + 6 * np.sin(60 * u)) for u in np.linspace(0, 1, 2000)] for j in range(25)],
}
# One stroke as the pointer events a mouse would send (pointerId 1 is the mouse's in Chromium).
DISPATCH = """([pts, pad]) => {
  const c = document.getElementById("pad"), r = c.getBoundingClientRect();
  const at = (type, [x, y], buttons) => c.dispatchEvent(new PointerEvent(type, {
    pointerId: 1, pointerType: "mouse", isPrimary: true, button: 0, buttons, bubbles: true,
    clientX: r.left + x * r.width / pad, clientY: r.top + y * r.height / pad}));
  at("pointerdown", pts[0], 1);
  for (const p of pts.slice(1)) at("pointermove", p, 1);
  at("pointerup", pts[pts.length - 1], 0);
}"""


def measure(browser, dist: Path, limit_s: float) -> dict:
    server = Server(dist)
    out = {}
    for name, make in CASES.items():
        page = browser.new_context(service_workers="block", viewport={"width": 1200, "height": 1000},
                                   bypass_csp=True).new_page()       # the page's CSP forbids the dispatching script
        app = App(page, server.origin).open(server.url)
        page.click("#auto-predict")
        box = app.pad_box()
        k = box["width"] / 280
        t0 = time.perf_counter()
        for stroke in make():
            if len(stroke) == 1:
                page.mouse.click(box["x"] + stroke[0][0] * k, box["y"] + stroke[0][1] * k)
            else:
                page.evaluate(DISPATCH, [[list(map(float, p)) for p in stroke], 280])
        times = []
        try:
            for _ in range(4):
                n = app.predictions
                page.click("#predict")
                app.wait_predictions(n + 1, timeout=limit_s * 1000)
                times.append(float(app.attr("predict-ms")))
        except PlaywrightTimeout:
            times.append(None)
        out[name] = {"predict_ms": times, "drawing_s": round(time.perf_counter() - t0, 1)}
        print(f"{dist}: {name}: {times}", flush=True)
        page.context.close()
    server.stop()
    return out


def fmt(times: list) -> str:
    """First answer, then the worst of the rest."""
    ms = lambda t: "no answer within the limit" if t is None else f"{t / 1000:.2f} s" if t >= 1000 else f"{t:.0f} ms"
    rest = times[1:]
    if not rest:
        return ms(times[0])
    return f"{ms(times[0])}, then {ms(None if None in rest else max(rest))}"


def table(r: dict) -> str:
    rows = ["| load (wasm): first Predict after drawing, then the worst of three more | before | now |",
            "|---|---|---|"]
    for name in CASES:
        before = fmt(r["before"][name]["predict_ms"]) if "before" in r else "–"
        rows.append(f"| {name} | {before} | **{fmt(r['now'][name]['predict_ms'])}** |")
    rows.append("")
    rows.append(f"Measured {r['date']} by `python -m bench.load` (limit {r['limit_s']:.0f} s per answer); "
                "raw figures in [reports/bench-load.json](reports/bench-load.json).")
    return "\n".join(rows)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dist", type=Path, default=ROOT / "dist")
    p.add_argument("--before", type=Path, help="an older build's dist/ to measure the same way")
    p.add_argument("--limit", type=float, default=300.0, help="seconds to wait for one answer")
    args = p.parse_args()
    r = {"date": time.strftime("%Y-%m-%d"), "limit_s": args.limit}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        r["now"] = measure(browser, args.dist, args.limit)
        if args.before:
            r["before"] = measure(browser, args.before, args.limit)
        browser.close()
    (ROOT / "reports" / "bench-load.json").write_text(json.dumps(r, indent=1) + "\n")
    replace_sections({"load": table(r)})
    print(table(r))


if __name__ == "__main__":
    main()
