"""python -m bench.heads [--sizes 0 500 3000 20000] [--reloads 3]: what was taught, after a reload.

For each size, a fresh browser profile imports that many labelled MNIST training digits as samples
(bench.teach's file), switches "Use what I taught" on (the heads are fitted), then reloads the
page `reloads` times. Each reload records the page's own clocks, in ms from the navigation:
`data-ready-ms` (ready to draw) and `data-heads-ms` (the personal heads in force), and the
first answer's own time. Writes reports/heads.json.
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from buildtools.browser import ARGS, CHROMIUM, App, Server

from .teach import samples_file

ROOT = Path(__file__).resolve().parent.parent
SEVEN = [[(90, 70), (190, 70), (120, 220)]]


def one_size(browser, server: Server, n: int, reloads: int, tmp: Path) -> dict:
    ctx = browser.new_context(service_workers="block")
    app = App(ctx.new_page(), server.origin).open(server.url)
    if n:
        path = tmp / f"samples-{n}.json"
        samples_file(n, path)
        app.page.set_input_files("#collect-import", str(path))
        app.page.wait_for_selector(f"#collect-counts[data-total='{n}']", state="attached", timeout=600_000)
        app.page.check("#personal")
        app.wait_attr("personal", "on", 600_000)    # fitted: the answer says the heads are on
        wait = app.attr("kept-wait-ms")             # (builds before issue 43 do not say)
        wait = float(wait) if wait else None
        # a reload that very moment, then again as soon as each reload's heads are in force (issue 43:
        # a refit there means the fit's write was lost)
        at_once = [reload(app, n) for _ in range(reloads)]
        at_once = {**summary(at_once), "refits": sum(r["refit"] for r in at_once), "kept_wait_ms": wait, "reloads": at_once}
    rows = [reload(app, n) for _ in range(reloads)]
    refit = None
    if n:                                        # nothing kept (another build's networks, storage cleared)
        app.page.evaluate(FORGET)
        refit = reload(app, n)
    ctx.close()
    return {"samples": n, **summary(rows), "refit": refit, "reloads": rows, "at_once": at_once if n else None}


def summary(rows: list[dict]) -> dict:
    heads = [r["heads_ms"] - r["ready_ms"] for r in rows if r["heads_ms"]]
    return {"ready_ms": statistics.median(r["ready_ms"] for r in rows),
            "heads_after_ready_ms": statistics.median(heads) if heads else None,
            "heads_after_ready_max_ms": max(heads) if heads else None,
            "first_stroke_ms": statistics.median(r["first_stroke_ms"] for r in rows)}


FORGET = "() => new Promise((ok) => { const r = indexedDB.deleteDatabase('digitpad-kept'); r.onsuccess = r.onblocked = ok; })"


def reload(app: App, n: int) -> dict:
    """One reload; a 7 is drawn as soon as the page is ready (its answer must not wait for the heads).
    With samples, it returns the moment the heads are in force ("Use what I taught" shows "on"):
    whether they were fitted again (`refit`), and what a fit's answer waited for its write."""
    app.page.reload()
    app.wait_ready(300_000)
    app.draw(SEVEN)
    app.wait_attr("stroke-answered", 1, 600_000)   # (the heads coming in force may read it again at once)
    first = float(app.attr("stroke-ms"))
    if n:
        app.page.wait_for_selector("html[data-heads-ms]", state="attached", timeout=600_000)
    wait = app.attr("kept-wait-ms")
    return {"ready_ms": int(app.attr("ready-ms")), "heads_ms": int(app.attr("heads-ms") or 0) or None,
            "first_stroke_ms": first, "refit": app.attr("fits") is not None,
            "kept_wait_ms": float(wait) if wait else None}


def run(dist: Path, sizes: list[int], reloads: int, log=print) -> dict:
    server = Server(dist)
    out = {"date": time.strftime("%Y-%m-%d"), "sizes": []}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for n in sizes:
            row = one_size(browser, server, n, reloads, Path(tmp))
            out["sizes"].append(row)
            log(json.dumps({k: v for k, v in row.items() if k != "reloads"}))
        browser.close()
    server.stop()
    return out


def table(r: dict, before: dict | None = None) -> str:
    """The docs' table: ready and heads in force after a reload, by samples stored (and before)."""
    was = {row["samples"]: row for row in (before or {}).get("sizes", [])}
    rows = ["| samples stored | reload → ready (median) | ready → heads in force: median (slowest) | a stroke drawn at ready → answer | "
            "nothing kept (a refit): ready → heads in force, stroke → answer | before: ready → heads in force |",
            "|---|---|---|---|---|---|"]
    for row in r["sizes"]:
        heads = "–" if row["heads_after_ready_ms"] is None else \
            f"**{row['heads_after_ready_ms']:.0f} ms** ({row['heads_after_ready_max_ms']:.0f} ms)"
        old = was.get(row["samples"], {})
        old_heads = "–" if old.get("heads_after_ready_ms") is None else \
            f"{old['heads_after_ready_ms']:.0f} ms ({old['heads_after_ready_max_ms']:.0f} ms)"
        refit = row.get("refit")
        refit = "–" if not refit else f"{refit['heads_ms'] - refit['ready_ms']:.0f} ms, {refit['first_stroke_ms']:.1f} ms"
        rows.append(f"| {row['samples']:,} | {row['ready_ms']:.0f} ms | {heads} | {row['first_stroke_ms']:.1f} ms | "
                    f"{refit} | {old_heads} |")
    for row in r["sizes"]:
        a = row.get("at_once")
        if a:
            rows.append(f"| {row['samples']:,}, reloaded the moment \"on\" shows | {a['ready_ms']:.0f} ms | "
                        f"**{a['heads_after_ready_ms']:.0f} ms** ({a['heads_after_ready_max_ms']:.0f} ms) | "
                        f"{a['first_stroke_ms']:.1f} ms | refitted {a['refits']} of {len(a['reloads'])} | – |")
    n = len(r["sizes"][0]["reloads"]) if r["sizes"] else 0
    waits = [(row["samples"], row["at_once"]["kept_wait_ms"]) for row in r["sizes"] if (row.get("at_once") or {}).get("kept_wait_ms") is not None]
    rows.append("")
    rows.append(f"Each size: a fresh profile imports that many MNIST training digits as samples, switches \"Use what I "
                f"taught\" on, and reloads {n} times (wasm; the page's own `data-ready-ms` and `data-heads-ms`; a 7 drawn at ready, its `data-stroke-ms`), then once more with the kept heads and features deleted; measured "
                f"{r['date']} by `python -m bench.heads` (also run by `python3 build.py bench`); raw figures in "
                "[reports/heads.json](reports/heads.json). Before: the same command on the build before the heads "
                "were kept ([reports/heads-before.json](reports/heads-before.json), 2 reloads each). Reloaded the "
                f"moment \"on\" shows: the fit after the switch, then {n} reloads in a row, the first as soon as the "
                "answer says \"on\", each next one as soon as the heads are in force; a refit there means a fit's write "
                "was lost.")
    if waits:
        rows.append("")
        rows.append("The switch's fit answers once its heads and features are written; that wait: " +
                    ", ".join(f"{w:.1f} ms ({k:,} samples)" for k, w in waits) + ".")
    return "\n".join(rows)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.heads", description=__doc__)
    p.add_argument("--dist", type=Path, default=ROOT / "dist")
    p.add_argument("--sizes", type=int, nargs="+", default=[0, 500, 3000, 20000])
    p.add_argument("--reloads", type=int, default=3)
    p.add_argument("--out", type=Path, default=ROOT / "reports" / "heads.json")
    p.add_argument("--no-write-docs", action="store_true", help="leave docs/performance.md as it is")
    args = p.parse_args(argv)
    out = run(args.dist, args.sizes, args.reloads, lambda line: print(line, flush=True))
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(table(out, _before()))
    if not args.no_write_docs:
        from buildtools.readme import replace_sections
        replace_sections({"heads": table(out, _before())})


def _before() -> dict | None:
    path = ROOT / "reports" / "heads-before.json"
    return json.loads(path.read_text()) if path.exists() else None


if __name__ == "__main__":
    main()
