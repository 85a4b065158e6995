"""The bench's figures as a table (README and terminal) and the start-up breakdown."""
from __future__ import annotations

import statistics
from buildtools.readme import replace_sections

# Start-up phases from digitpad's own marks (python-worker.js, model-worker.js), in order.
PHASES = [
    ("page loads, workers start", None, "boot"),
    ("Pyodide runtime (JS + wasm instantiated)", "python:start", "python:runtime"),
    ("site-packages bundles unpacked (JS)", "python:runtime", "python:unpacked"),
    ("Python interpreter starts", "python:unpacked", "python:started"),
    ("extension modules instantiated (compiled alongside)", "python:started", "python:libs"),
    ("import numpy, Pillow, digitpad", "python:libs", "python:imported"),
    ("app created, first call warmed up", "python:imported", "python:ready"),
    ("models: onnxruntime-web + sessions (model worker, in parallel)", "models:start", "models:ready"),
]
ROWS = {   # figure -> what the person waits for (every one in ms)
    "phone_dynamic_ms": "phone link (9 Mbit/s, 150 ms), host gzips on the fly: first visit → first answer",
    "phone_static_ms": "phone link, host serves the precompressed twins: first visit → first answer",
    "first_visit_ms": "first visit: open → ready (median)",
    "return_visit_ms": "return visit (service worker / HTTP cache) → ready (median)",
    "first_stroke_ms": "a visit's first stroke, drawn once the page is ready → answer (median)",
    "stroke_ms_p50": "last stroke of a new digit → answer shown, p50",
    "stroke_ms_p90": "last stroke of a new digit → answer shown, p90",
    "dense_stroke_ms_p50": "any stroke, drawn with a point every 2 pad units (as a mouse reports) → answer, p50",
    "dense_stroke_ms_p90": "any stroke, drawn with a point every 2 pad units (as a mouse reports) → answer, p90",
    "predict_ms_p50": "Predict clicked → answer shown, p50",
    "predict_ms_p90": "Predict clicked → answer shown, p90",
}


def breakdown(marks: list[dict]) -> dict:
    """Median length of each start-up phase, for first and for return visits."""
    out = {}
    for visit in ("first", "return"):
        ms = [m for m in marks if m.get("visit") == visit]
        phases = {}
        for label, a, b in PHASES:
            spans = [m[b] - (m[a] if a else 0) for m in ms if b in m and (a is None or a in m)]
            if spans:
                phases[label] = round(statistics.median(spans))
        ready = [max(m.get("python:ready", 0), m.get("models:ready", 0)) for m in ms]
        if ready:
            phases["both workers ready (from navigation)"] = round(statistics.median(ready))
        out[visit] = phases
    return out


def stroke_breakdown(phases: list[dict]) -> dict:
    """Median ms of each phase of a stroke's answer (the page's data-stroke-phases), in the page's order."""
    names = list(dict.fromkeys(k for p in phases for k in p))
    return {k: round(statistics.median(p[k] for p in phases if k in p), 2) for k in names}


def stroke_table(r: dict) -> str:
    """Both pages' phases side by side: the rows they share (the networks, the DOM) line up."""
    d, ref = r["stroke_phases"]["digitpad"], r["stroke_phases"]["reference"]
    rows = ["| one stroke's answer, phase by phase (median) | digitpad | reference (plain JS) |", "|---|---|---|"]
    names = [k for k in ref if k not in d and k != "images"] + [k for k in d if k != "images"]
    for k in names:
        rows.append(f"| {k} | {_ms(d.get(k))} | {_ms(ref.get(k))} |")
    if "images" in d:
        rows.append(f"| images in the batch | {d['images']:g} | 1 |")
    rows.append("")
    rows.append(f"The last stroke of each of the {r['digitpad']['digits_drawn']} digits above, from clock readings each "
                "thread takes (`performance.timeOrigin + performance.now()`, one clock across threads; "
                "web/timing.js); medians do not add up to the whole.")
    return "\n".join(rows)


def _ms(v) -> str:
    return "–" if v is None else f"{v:.1f} ms"


def _fmt(v, unit: str) -> str:
    return f"{v:.0f} {unit}" if v >= 100 else f"{v:.1f} {unit}"


def _dense(d: dict) -> str:
    if "dense_strokes_drawn" not in d:
        return ""
    which = "first one" if d["dense_digits_drawn"] == 1 else f"first {d['dense_digits_drawn']}"
    return (f", and the {which} again with a point every 2 pad units along each line"
            f" ({d['dense_strokes_drawn']} strokes)")


def table(r: dict) -> str:
    d, ref, ratio = r["digitpad"], r["reference"], r["ratio"]
    rows = ["| what the person waits for (wasm) | digitpad | reference (plain JS) | ratio |", "|---|---|---|---|"]
    for key, label in ROWS.items():
        if key in ratio:     # figures from before a row existed lack it
            rows.append(f"| {label} | {_fmt(d[key], 'ms')} | {_fmt(ref[key], 'ms')} | **{ratio[key]:.2f}x** |")
    if "first_visit_raw_bytes" in d:
        mb = lambda x: " / ".join(f"{x[f'first_visit_{k}_bytes'] / 1e6:.1f}" for k in ("raw", "gzip", "twin"))  # noqa: E731
        rows.append(f"| bytes on a first visit, MB: raw / gzip on the fly / precompressed twins | {mb(d)} | {mb(ref)} | |")
    else:
        rows.append(f"| bytes on a first visit | {d['first_visit_bytes'] / 1e6:.1f} MB | {ref['first_visit_bytes'] / 1e6:.1f} MB | |")
    rows.append(f"| 360° sweep (36 predictions, batched), median | {_fmt(d['sweep_ms'], 'ms')} | – | |")
    if "explain_ms_p50" in d:
        rows.append(f"| heat map (Explain) asked → painted, p50 / p90 | {_fmt(d['explain_ms_p50'], 'ms')} / "
                    f"{_fmt(d['explain_ms_p90'], 'ms')} | – | |")
    if "joined_ms_p50" in d:
        rows.append(f"| a number written in one stroke (2-4 digits, its cut candidates read too) → answer, p50 / p90 "
                    f"({d['joined_strokes']} strokes) | {_fmt(d['joined_ms_p50'], 'ms')} / {_fmt(d['joined_ms_p90'], 'ms')} | – | |")
    if "select_ms_p50" in d:
        rows.append(f"| a digit of a number selected → its answer painted, p50 / p90 | {_fmt(d['select_ms_p50'], 'ms')} / "
                    f"{_fmt(d['select_ms_p90'], 'ms')} | – | |")
    if "inside_panel_ms_p50" in d:
        rows.append(f"| Inside the network open: stroke → answer → panel painted, p50 / p90 ({d['inside_strokes']} strokes) | "
                    f"{_fmt(d['inside_panel_ms_p50'], 'ms')} / {_fmt(d['inside_panel_ms_p90'], 'ms')} | – | |")
        rows.append(f"| the same strokes → answer, panel open / closed again, p50 | {_fmt(d['inside_answer_ms_p50'], 'ms')} / "
                    f"{_fmt(d['inside_closed_ms_p50'], 'ms')} | – | |")
    during = f" (while the bench: {d['longest_task_while']})" if d.get("longest_task_while") else ""
    rows.append(f"| longest main-thread task once the pad is shown | {d['longest_task_ms']:.0f} ms{during} | – | |")
    rows.append("")
    rows.append(f"{d['digits_drawn']} different MNIST test digits traced to strokes and drawn with the mouse on each page "
                f"({d['strokes_drawn']} strokes{_dense(d)}); measured {r['date']} on {r['machine']} by `python3 build.py bench` "
                f"({r['seconds']} s); raw figures in [reports/bench.json](reports/bench.json).")
    return "\n".join(rows)


def startup_table(r: dict) -> str:
    s = r["startup"]
    rows = ["| start-up phase (digitpad, wasm) | first visit | return visit |", "|---|---|---|"]
    for label in [p[0] for p in PHASES] + ["both workers ready (from navigation)"]:
        rows.append(f"| {label} | {s['first'].get(label, '–')} ms | {s['return'].get(label, '–')} ms |")
    return "\n".join(rows)


def before_table(before: dict, after: dict) -> str:
    """The same figures for an older build, measured by this bench against the same reference."""
    rows = ["| what the person waits for (wasm), as a ratio to the reference | before | now |", "|---|---|---|"]
    for key, label in ROWS.items():
        if key not in before["ratio"] or key not in after["ratio"]:
            continue
        rows.append(f"| {label} | {before['ratio'][key]:.2f}x ({_fmt(before['digitpad'][key], 'ms')}) | "
                    f"**{after['ratio'][key]:.2f}x** ({_fmt(after['digitpad'][key], 'ms')}) |")
    rows.append(f"| 360° sweep, median | {_fmt(before['digitpad']['sweep_ms'], 'ms')} | {_fmt(after['digitpad']['sweep_ms'], 'ms')} |")
    rows.append("")
    rows.append(f"Before: build `{before['build']}`, measured {before['date']} by `.venv/bin/python -m bench --dist <its dist> "
                f"--out reports/bench-before.json` ({before['plan']['digits']} digits, {before['plan']['visits']} first visits); "
                f"raw figures in [reports/bench-before.json](reports/bench-before.json).")
    return "\n".join(rows)


KINDS = ("raw", "gzip", "twin")


ROOT_FILES = ("index.html", "manifest.webmanifest", "sw.js")


def same_file(path: str) -> str:
    """A file of a build from before the hashed folders, named as buildtools.site.logical names it now."""
    if path == "vendor/pyodide/site-app.tar.gz" or ("/" not in path and path not in ROOT_FILES):
        return "app/" + path.split("/")[-1]
    if path == "vendor/pyodide/python_stdlib.zip":      # the standard library, now one tar.gz
        return "vendor/pyodide/stdlib.tar.gz"
    return path


def bytes_table(files: dict, before: dict | None, top: int = 6) -> str:
    """A first visit's files, largest first: before (an older build's bench.phone --out) and now, in MB."""
    old = {same_file(f): e for f, e in (before or {}).get("files", {}).items()}
    names = sorted(set(files) | set(old), key=lambda f: -max(files.get(f, {}).get("raw", 0), old.get(f, {}).get("raw", 0)))
    mb = lambda e: " / ".join(f"{e[k] / 1e6:.2f}" for k in KINDS) if e else "–"  # noqa: E731
    rows = ["| a first visit's files (wasm), MB: raw / gzip on the fly / precompressed twins | before | now |",
            "|---|---|---|"]
    for f in names[:top]:
        rows.append(f"| `{f.split('/')[-1]}` | {mb(old.get(f))} | {mb(files.get(f))} |")
    rest = lambda fs: {k: sum(fs[f][k] for f in names[top:] if f in fs) for k in KINDS}  # noqa: E731
    total = lambda fs: {k: sum(e[k] for e in fs.values()) for k in KINDS}  # noqa: E731
    rows.append(f"| the other {len(names) - top} files | {mb(rest(old)) if old else '–'} | {mb(rest(files))} |")
    rows.append(f"| **whole first visit** | {mb(total(old)) if old else '–'} | **{mb(total(files))}** |")
    if before:
        rows.append("")
        rows.append(f"Before: build `{before['build']}` ({before['date']}), measured by `python -m bench.phone --dist <its dist> "
                    "--out reports/bytes-before.json`; it had no precompressed twins. Each file once; a host compresses "
                    "text, JS, JSON and wasm on the fly, not archives or .onnx.")
    return "\n".join(rows)


def write_readme(r: dict, before: dict | None = None, bytes_before: dict | None = None) -> None:
    sections = {"bench": table(r), "startup": startup_table(r)}
    if r.get("files"):
        sections["bytes"] = bytes_table(r["files"]["digitpad"], bytes_before)
    if r.get("stroke_phases"):
        sections["strokephases"] = stroke_table(r)
    if before:
        sections["before"] = before_table(before, r)
    if r.get("photos"):
        from .photos import table as photo_table
        sections["photobench"] = photo_table(r["photos"])
    if r.get("camera"):
        from .camera import table as camera_table
        sections["camerabench"] = camera_table(r["camera"])
    if r.get("raw", {}).get("engines"):
        from .engines import table as engines_table
        sections["engines"] = engines_table(r["raw"]["engines"])
    if r.get("raw", {}).get("heads"):
        from .heads import _before, table as heads_table
        sections["heads"] = heads_table(r["raw"]["heads"], _before())
    replace_sections(sections)
