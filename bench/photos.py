"""Photos in the page: a 12 MP phone JPEG and a 2 MP scan, read again and again in one page.

Each read is timed from the file chosen to the answer painted (the page's data-photo-open-ms),
and split into the page's phases (data-photo-phases): decode, clean (light, threshold, deskew,
rules), segment (symbols, lines, framing) in Python, and the networks' batch in the model worker.
The first photo of a visit also fetches and unpacks the photo reader (its own row).

`python -m bench.photos` runs this part alone on fresh visits and prints, with the timings, the
page's long tasks (the main thread must never be blocked for more than 50 ms).
"""
from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from buildtools.browser import ARGS, CHROMIUM, App, Server

KINDS = {"phone": ("phone", "ruled", "blue", 1), "scan": ("scan", "plain", "black", 1)}


def make_files(folder: Path) -> dict[str, Path]:
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from photos import photo        # the tests' generator: MNIST training digits on paper
    out = {}
    for name, (size, paper, ink, lines) in KINDS.items():
        p = photo(40 + len(out), size, paper, ink, lines, (4, 6))
        out[name] = folder / f"{name}.jpg"
        out[name].write_bytes(p.jpeg)
    return out


def read_one(app: App, path: Path) -> tuple[float, dict]:
    n = int(app.attr("photos") or 0)
    app.page.set_input_files("#photo", str(path))
    app.wait_attr("photos", n + 1, timeout=60_000)
    return float(app.attr("photo-open-ms")), json.loads(app.attr("photo-phases") or "{}")


def measure(app: App, reps: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(Path(tmp))
        first_ms, _ = read_one(app, files["scan"])          # fetches and unpacks the photo reader
        times = {name: [] for name in files}
        phases = {name: [] for name in files}
        for _ in range(reps):
            for name, path in files.items():
                ms, ph = read_one(app, path)
                times[name].append(ms)
                phases[name].append(ph)
        app.page.click("#photo-back")
    out = {"first_photo_ms": first_ms, "raw_ms": times}
    for name in files:
        out[f"{name}_ms"] = statistics.median(times[name])
        out[f"{name}_phases"] = {k: round(statistics.median(p[k] for p in phases[name]), 1)
                                 for k in ("decode", "clean", "segment", "networks", "images")}
    return out


def table(p: dict) -> str:
    rows = ["| a photo read in the page (wasm) | photo → answer painted, median | decode | clean | symbols | networks |",
            "|---|---|---|---|---|---|"]
    for name, label in (("phone", "12 MP phone JPEG (4032×3024)"), ("scan", "2 MP scan (1600×1200)")):
        ph = p[f"{name}_phases"]
        rows.append(f"| {label} | **{p[f'{name}_ms']:.0f} ms** | {ph['decode']:.0f} ms | {ph['clean']:.0f} ms | "
                    f"{ph['segment']:.0f} ms | {ph['networks']:.0f} ms ({ph['images']:.0f} images) |")
    rows.append(f"| the first photo of a visit (the photo reader fetched and unpacked too) | {p['first_photo_ms']:.0f} ms | | | | |")
    return "\n".join(rows)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.photos", description=__doc__)
    p.add_argument("--dist", type=Path, default=Path(__file__).resolve().parent.parent / "dist")
    p.add_argument("--visits", type=int, default=3)
    p.add_argument("--reps", type=int, default=5, help="reads of each photo per visit")
    args = p.parse_args(argv)
    from playwright.sync_api import sync_playwright
    server = Server(args.dist)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for visit in range(args.visits):
                context = browser.new_context()
                app = App(context.new_page(), server.origin).open(server.url, backend="wasm")
                r = measure(app, args.reps)
                print(f"visit {visit + 1}: first photo {r['first_photo_ms']:.0f} ms, 12 MP {r['phone_ms']:.0f} ms, "
                      f"2 MP {r['scan_ms']:.0f} ms (medians); longest main-thread task "
                      f"{app.attr('longest-task-ms') or 0} ms; long tasks [ms after the pad was shown, ms]: "
                      f"{app.attr('long-tasks') or '[]'}", flush=True)
                context.close()
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
