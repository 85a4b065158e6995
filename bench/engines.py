"""python -m bench.engines [--quick]: first visit -> ready and stroke -> answer in Chromium, Firefox
ESR and WebKitGTK, on wasm (none of them has WebGL headless here).

Each visit is a fresh browser with a fresh profile, and the figures are the page's own
(`data-ready-ms`: ms from the navigation's start; `data-stroke-ms`: from the stroke's last
pointer event to the answer painted), so that each driver's own overhead is not counted. The
engines run one after the other on the same build and server, interleaved visit by visit.
Also run by `python -m bench`; both put the table in docs/performance.md.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from buildtools.browser import Server
from buildtools.engines import ENGINES, missing

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from drawings import SEVEN, number  # noqa: E402

ORDER = ("chromium", "firefox", "webkit")
ROOT_ATTR = "document.documentElement.dataset"
WEBKIT_NOTE = "under xvfb-run (MiniBrowser needs a display)"


def _pct(xs: list[float], q: float) -> float:
    return round(float(statistics.quantiles(xs, n=100, method="inclusive")[q - 1]) if len(xs) > 1 else xs[0], 1)


def visit(name: str, url: str, digits: list) -> dict:
    """One fresh browser: ready ms, then each digit drawn stroke by stroke, each stroke's answer ms."""
    drv = ENGINES[name]()
    try:
        version = drv.version().removeprefix("firefox/")
        drv.goto(url)
        drv.wait(f"{ROOT_ATTR}.ready === 'true' || {ROOT_ATTR}.error", 120, "ready")
        if drv.eval(f"{ROOT_ATTR}.error ?? null"):
            raise RuntimeError(f"{name}: the page failed to start: {drv.console()[-20:]}")
        ready = float(drv.eval(f"{ROOT_ATTR}.readyMs"))
        x, y, w = drv.eval("(() => { const b = document.querySelector('#pad').getBoundingClientRect(); "
                           "return [b.x, b.y, b.width]; })()")
        k, strokes_ms, drawn = w / 280, [], 0
        for digit in digits:
            for s in digit:
                drawn += 1
                drv.draw([[[x + px * k, y + py * k] for px, py in s]])
                drv.wait(f"{ROOT_ATTR}.strokeAnswered === '{drawn}'", 60, f"stroke {drawn}'s answer")
                strokes_ms.append(float(drv.eval(f"{ROOT_ATTR}.strokeMs")))
            n = int(drv.eval(f"{ROOT_ATTR}.predictions"))
            drv.eval("document.querySelector('#clear').click()")
            drv.wait(f"Number({ROOT_ATTR}.predictions) > {n}", 30, "the cleared pad")
        return {"version": version, "ready_ms": ready, "stroke_ms": strokes_ms}
    finally:
        drv.close()


def run(dist: Path, visits: int, log=print) -> dict:
    engines = [e for e in ORDER if not missing(e)]
    skipped = {e: missing(e) for e in ORDER if missing(e)}
    digits = [SEVEN, number("42")] * 3
    server = Server(dist)
    raw = {e: {"ready_ms": [], "stroke_ms": []} for e in engines}
    try:
        for rep in range(visits):
            for e in engines:
                v = visit(e, server.url + "?backend=wasm", digits)
                raw[e]["version"] = v["version"]
                raw[e]["ready_ms"].append(v["ready_ms"])
                raw[e]["stroke_ms"] += v["stroke_ms"]
                log(f"{e} {v['version']}: ready {v['ready_ms']:.0f} ms, strokes p50 {_pct(v['stroke_ms'], 50)} ms")
    finally:
        server.stop()
    out = {e: {"version": r["version"], "visits": len(r["ready_ms"]), "ready_ms": round(statistics.median(r["ready_ms"])),
               "strokes": len(r["stroke_ms"]), "stroke_ms_p50": _pct(r["stroke_ms"], 50),
               "stroke_ms_p90": _pct(r["stroke_ms"], 90)} for e, r in raw.items()}
    return {"engines": out, "missing": skipped, "raw": raw}


def table(r: dict) -> str:
    names = {"chromium": "Chromium", "firefox": "Firefox ESR", "webkit": "WebKitGTK (MiniBrowser)"}
    rows = ["| engine (Debian's package, headless, wasm) | version | first visit → ready | stroke → answer p50 | p90 |",
            "|---|---|---|---|---|"]
    for e, v in r["engines"].items():
        rows.append(f"| {names[e]} | {v['version']} | {v['ready_ms']} ms (median of {v['visits']}) | "
                    f"{v['stroke_ms_p50']} ms | {v['stroke_ms_p90']} ms ({v['strokes']} strokes) |")
    for e, what in r.get("missing", {}).items():
        rows.append(f"| {names[e]} | not installed: {', '.join(what)} | | | |")
    rows += ["", "Each visit is a fresh browser with an empty profile; the times are the page's own "
             "(`data-ready-ms` from the navigation's start, `data-stroke-ms` from a stroke's last pointer event to "
             f"its answer painted). WebKitGTK runs {WEBKIT_NOTE}. `python -m bench.engines`."]
    return "\n".join(rows)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="one visit per engine")
    p.add_argument("--dist", type=Path, default=ROOT / "dist")
    args = p.parse_args(argv)
    r = run(args.dist.resolve(), 1 if args.quick else 3)
    out = ROOT / "reports" / ("engines-quick.json" if args.quick else "engines.json")
    out.write_text(json.dumps(r, indent=1) + "\n")
    if not args.quick:
        from buildtools.readme import replace_sections
        replace_sections({"engines": table(r)})
    print(table(r))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
