"""The live camera in the page: frames read a second, frame → boxes, and the main thread's longest
task while the camera is live.

Chromium's fake camera films a 1280x720 frame of a handwritten number on ruled paper (the tests'
generator, as a 30 fps Y4M), so every frame is the same work. Each frame read is one
`performance.measure("camera frame")` of the page (web/camera.js): from the frame grabbed to its
boxes drawn, with where the time went (the worker's copy of the frame, Python's clean and
segment phases, the networks). The first frames of a visit are left out: they fetch and unpack the
photo reader, and search the paper's polarity and turn (done again once in ten frames: they stay
in the figures). Long tasks are counted by a PerformanceObserver from the camera's start.

Two renderings: software (--disable-gpu; the frames stay in memory, as on a device whose GPU
hands them over at once) and SwiftShader (the GPU emulated on the CPU, as the other tests run): a
frame then comes back from that emulation for the worker to read, 50-250 ms on 2 cores.

`python -m bench.camera [--frames N]` runs it alone and prints the table.
"""
from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
from pathlib import Path

from buildtools.browser import ARGS, CHROMIUM, App, Server

ROOT = Path(__file__).resolve().parent.parent
WARM = 3                    # frames left out at the start of a visit
RENDERINGS = {
    "software": [a for a in ARGS if "angle" not in a and "swiftshader" not in a] + ["--disable-gpu"],
    "swiftshader": ARGS,
}
WATCH = """() => { window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries())
  window.__long.push(Math.round(e.duration)); }).observe({ type: "longtask" }); }"""
ENTRIES = """() => performance.getEntriesByName("camera frame").map((e) => ({ start: e.startTime,
  ms: e.duration, ...(e.detail || {}), phases: (e.detail && e.detail.phases) || {} }))"""


def film(folder: Path) -> tuple[Path, str]:
    sys.path.insert(0, str(ROOT / "tests"))
    from PIL import Image

    from photos import photo, y4m
    p = photo(7, "camera", "ruled", "blue", 1, (4, 6))
    path = folder / "camera.y4m"
    path.write_bytes(y4m(Image.open(io.BytesIO(p.jpeg))))
    return path, p.lines[0]


def pct(v: list[float], q: float) -> float:
    v = sorted(v)
    return v[min(len(v) - 1, int(round(q / 100 * (len(v) - 1))))]


def visit(pw, server: Server, video: Path, args: list[str], frames: int) -> dict:
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=args + [
        "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"])
    try:
        # bypass_csp: the waits below are page functions, which the page's CSP (no eval) refuses
        ctx = browser.new_context(viewport={"width": 1200, "height": 900}, permissions=["camera"], bypass_csp=True)
        app = App(ctx.new_page(), server.origin).open(server.url, backend="wasm")
        app.page.evaluate(WATCH)
        app.page.click("#camera-open")
        app.page.wait_for_function(f"Number(document.documentElement.dataset.cameraFrames || 0) >= {WARM + frames}",
                                   timeout=600_000)
        entries = app.page.evaluate(ENTRIES)[WARM:WARM + frames]
        number = app.page.text_content("#number")
        long_tasks = app.page.evaluate("window.__long")
        app.page.click("#camera-stop")
        app.wait_attr("camera", "off")
        return {"entries": entries, "number": number, "long_tasks": long_tasks}
    finally:
        browser.close()


def summary(v: dict, written: str) -> dict:
    e = v["entries"]
    ms = [x["ms"] for x in e]
    span = e[-1]["start"] + e[-1]["ms"] - e[0]["start"]
    med = lambda k: round(statistics.median(x.get(k) or 0 for x in e), 1)          # noqa: E731
    return {"frames": len(e), "fps": round(len(e) * 1000 / span, 2), "ms_p50": round(pct(ms, 50), 1),
            "ms_p90": round(pct(ms, 90), 1), "copy_ms": med("prepared"), "networks_ms": med("networks"),
            "clean_ms": round(statistics.median(x["phases"].get("clean", 0) for x in e), 1),
            "segment_ms": round(statistics.median(x["phases"].get("segment", 0) for x in e), 1),
            "longest_task_ms": max(v["long_tasks"], default=0), "long_tasks": len(v["long_tasks"]),
            "read_right": v["number"] == written}


def run(dist: Path, frames: int = 40) -> dict:
    from playwright.sync_api import sync_playwright
    server = Server(dist)
    out = {}
    try:
        with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
            video, written = film(Path(tmp))
            for name, args in RENDERINGS.items():
                out[name] = summary(visit(pw, server, video, args, frames), written)
                print(f"camera ({name}): {json.dumps(out[name])}", flush=True)
    finally:
        server.stop()
    return out


def table(c: dict) -> str:
    rows = ["| the live camera, 1280×720, read at 800 px (wasm) | frames read a second | frame → boxes p50 / p90 | "
            "the frame copied in the worker | clean | symbols | networks | longest main-thread task |",
            "|---|---|---|---|---|---|---|---|"]
    for name, label in (("software", "Chromium, software rendering (frames in memory)"),
                        ("swiftshader", "Chromium, GPU emulated on the CPU (SwiftShader)")):
        if name in c:
            r = c[name]
            rows.append(f"| {label} | **{r['fps']:.1f}** | **{r['ms_p50']:.0f} / {r['ms_p90']:.0f} ms** | "
                        f"{r['copy_ms']:.0f} ms | {r['clean_ms']:.0f} ms | {r['segment_ms']:.0f} ms | {r['networks_ms']:.0f} ms | "
                        f"{r['longest_task_ms'] or 'none over 50'}{' ms' if r['longest_task_ms'] else ''} |")
    return "\n".join(rows)


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.camera", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--dist", type=Path, default=ROOT / "dist")
    p.add_argument("--frames", type=int, default=40, help="frames measured per rendering, after the first few")
    p.add_argument("--out", type=Path, default=ROOT / "reports" / "camera.json")
    args = p.parse_args(argv)
    c = run(args.dist, args.frames)
    args.out.write_text(json.dumps(c, indent=1) + "\n")
    print(table(c))
    from buildtools.readme import replace_sections
    replace_sections({"camerabench": table(c)})


if __name__ == "__main__":
    main()
