"""What a phone downloads on a first visit and how long it waits, for both pages, in one run.

Bytes: every URL a fresh first visit fetches until the page is ready (the page and its workers,
the service worker blocked so that nothing is counted twice), once each, by file:
  raw      what a host that compresses nothing sends;
  gzip     what a host that gzips on the fly sends (GitHub Pages, nginx `gzip on`): text, JS, JSON
           and wasm at level 6; archives and .onnx as they are;
  twin     what a host that serves precompressed files sends (nginx gzip_static/brotli_static,
           Apache): the file's .br twin, else its .gz twin, else the file.
Time: a new visitor on an emulated phone link (Chromium's network emulation through CDP, which
also holds back the workers' fetches) opens the page, draws a 7 as soon as it is ready, and waits
for the answer: open → first answer = ready + that stroke's answer, from each kind of host.
"""
from __future__ import annotations

import argparse
import gzip
import json
import mimetypes
import statistics
import time
from pathlib import Path

from buildtools.browser import ARGS, CHROMIUM, App, Server
from buildtools.serve import DYNAMIC, TYPES
from buildtools.site import logical

from . import measure

LINK = {"offline": False, "latency": 150, "downloadThroughput": 9e6 / 8, "uploadThroughput": 2e6 / 8}
HOSTS = ("dynamic", "static")          # gzip on the fly; precompressed twins


def sizes(site: Path, rel: str) -> dict[str, int]:
    p = site / rel
    raw = p.read_bytes()
    ctype = TYPES.get(p.suffix) or mimetypes.guess_type(p.name)[0] or "application/octet-stream"
    gz = len(gzip.compress(raw, 6, mtime=0)) if ctype.startswith(DYNAMIC) else len(raw)
    twin = next((q.stat().st_size for q in (p.with_name(p.name + ".br"), p.with_name(p.name + ".gz")) if q.is_file()), len(raw))
    return {"raw": len(raw), "gzip": gz, "twin": twin}


def first_visit_files(chromium, site_dir: Path, query: str = "") -> dict[str, dict[str, int]]:
    """Each file a new visitor's first visit fetches until ready, with its sizes (largest first)."""
    server = Server(site_dir, compress="none")
    browser = chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try:
        app = App(browser.new_page(service_workers="block"), server.origin)
        app.page.goto(server.url + query)
        measure._ready(app)
        paths = {p.lstrip("/") or "index.html" for p, code, n in server.responses if code == 200 and n > 0}
    finally:
        browser.close()
        server.stop()
    # keyed without the folders' hashes, so that builds compare file by file
    files = {logical(p): sizes(site_dir, p) for p in paths if (site_dir / p).is_file()}
    return dict(sorted(files.items(), key=lambda kv: -kv[1]["raw"]))


def phone_visit(chromium, site_dir: Path, host: str, query: str, strokes) -> float:
    """ms from opening the page on the phone link to the first answer shown."""
    server = Server(site_dir, compress=host)
    browser = chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try:
        ctx = browser.new_context(service_workers="block", viewport={"width": 1200, "height": 1000})
        page = ctx.new_page()
        cdp = ctx.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", LINK)
        app = App(page, server.origin)
        page.goto(server.url + query)
        ready = measure._ready(app)
        return ready + measure.draw_digit(app, strokes)[0][0]
    finally:
        browser.close()
        server.stop()


def run(chromium, sites: dict[str, tuple[Path, str]], strokes, reps: int, log=print) -> dict:
    """sites: name -> (folder, query). Bytes once per page; phone visits interleaved page by page."""
    files = {name: first_visit_files(chromium, d, q) for name, (d, q) in sites.items()}
    times = {name: {h: [] for h in HOSTS} for name in sites}
    for _ in range(reps):
        for host in HOSTS:
            for name, (d, q) in sites.items():
                ms = phone_visit(chromium, d, host, q, strokes)
                times[name][host].append(ms)
                log(f"{name}: phone link, {host} host: open → first answer {ms:.0f} ms")
    total = {name: {k: sum(f[k] for f in fs.values()) for k in ("raw", "gzip", "twin")} for name, fs in files.items()}
    answer = {name: {h: statistics.median(v) for h, v in t.items()} for name, t in times.items()}
    return {"link": LINK, "files": files, "total": total, "first_answer_ms": answer, "raw_ms": times}


def main(argv=None) -> None:
    """Only the bytes of a build's first visit: `--dist` an older build's dist/, for the README's before column."""
    from playwright.sync_api import sync_playwright
    p = argparse.ArgumentParser(prog="python -m bench.phone", description=main.__doc__)
    p.add_argument("--dist", type=Path, required=True)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    with sync_playwright() as pw:
        files = first_visit_files(pw.chromium, args.dist, "?backend=wasm")
    out = {"build": json.loads((args.dist / "build.json").read_text())["build"], "date": time.strftime("%Y-%m-%d"),
           "files": files, "total": {k: sum(f[k] for f in files.values()) for k in ("raw", "gzip", "twin")}}
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out["total"]))


if __name__ == "__main__":
    main()
