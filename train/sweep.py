"""`python -m train sweep`: compare digit-network recipes over several seeds, and choose on validation.

One run's accuracy moves by about ±0.05 points with the seed, as much as most recipe changes, so a
recipe is judged by its mean over seeds. Each recipe is a set of DigitsConfig overrides; every run
trains without exporting, in parallel processes, and appends one line to reports/digits_sweep.jsonl.
The README's table (`<!-- sweep:start -->`) is written from every line in that file: validation mean
(what the choice is made on), traced validation digits (what the page reads), and test for
information only.

A 20-epoch run takes about 28 minutes on 2 CPU cores and about 2 minutes on a GPU with 8 runs side
by side (`--device cuda --workers 8`), which is how the table was made.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import time
from dataclasses import replace
from pathlib import Path

from .config import DigitsConfig, resolve

# The recipes compared for the shipped default (DigitsConfig), as overrides of it.
BASE = {"traced_p": 0.0, "label_smoothing": 0.0}
RECIPES = {
    "base": BASE,
    "ls05": {**BASE, "label_smoothing": 0.05},
    "ls10": {**BASE, "label_smoothing": 0.1},
    "el30": {**BASE, "elastic_p": 0.3},
    "e30": {**BASE, "epochs": 30},
    "t25": {**BASE, "traced_p": 0.25},
    "t50": {**BASE, "traced_p": 0.5},
    "t25e30": {**BASE, "traced_p": 0.25, "epochs": 30},
    "ls05t25": {"traced_p": 0.25, "label_smoothing": 0.05},
    "ls10t25": {"traced_p": 0.25, "label_smoothing": 0.1},
    "ls10t50": {"traced_p": 0.5, "label_smoothing": 0.1},
}


def run_one(job: tuple[str, dict, int, str, dict]) -> dict:
    name, overrides, seed, device, extra = job
    from .digits import train_digits
    cfg = replace(DigitsConfig(), **{"report_traced": True, **overrides, **extra}, seed=seed, device=device,
                  export=False, out_dir=f"runs/sweep/{name}-s{seed}")
    t0 = time.perf_counter()
    _, s = train_digits(cfg, log=lambda line: None)
    return {"recipe": name, "overrides": overrides, "seed": seed, "device": device, "epochs": cfg.epochs,
            "val_accuracy": s["val_accuracy"], "val_traced_accuracy": s["val_traced_accuracy"],
            "test_accuracy": s["test_accuracy"], "wall_seconds": round(time.perf_counter() - t0, 1)}


def summarize(runs: list[dict]) -> list[dict]:
    """One row per recipe, best validation mean first."""
    by: dict[str, list[dict]] = {}
    for r in runs:
        by.setdefault(r["recipe"], []).append(r)

    def mean(rs, key):
        vals = [r[key] for r in rs if r.get(key) is not None]
        return round(statistics.mean(vals), 5) if vals else None

    rows = [{"recipe": k, "overrides": rs[-1]["overrides"], "seeds": sorted(r["seed"] for r in rs),
             "val": mean(rs, "val_accuracy"), "val_traced": mean(rs, "val_traced_accuracy"),
             "test": mean(rs, "test_accuracy"), "test_min": min(r["test_accuracy"] for r in rs),
             "test_max": max(r["test_accuracy"] for r in rs)} for k, rs in by.items()]
    return sorted(rows, key=lambda r: -r["val"])


def table(rows: list[dict], runs: list[dict]) -> str:
    pct = lambda v: "–" if v is None else f"{100 * v:.2f}%"    # noqa: E731
    out = ["| recipe (overrides of the defaults before the sweep) | runs | **validation** (chosen on) | "
           "traced validation digits | test (not used to choose) |", "|---|---|---|---|---|"]
    default = DigitsConfig()
    for r in rows:
        over = ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in r["overrides"].items())
        is_default = all(getattr(default, k) == v for k, v in r["overrides"].items())
        name = f"**{r['recipe']}** (the default)" if is_default else r["recipe"]
        out.append(f"| {name} ({over}) | {len(r['seeds'])} | {pct(r['val'])} | {pct(r['val_traced'])} | "
                   f"{pct(r['test'])} ({pct(r['test_min'])}-{pct(r['test_max'])}) |")
    devices = sorted({r["device"] for r in runs})
    out += ["", f"Means over seeds; each seed also draws its own 5,000 validation images. {len(runs)} runs "
                f"on {', '.join(devices)}; every run in "
                "[reports/digits_sweep.jsonl](reports/digits_sweep.jsonl)."]
    return "\n".join(out)


def write_report(path: Path, readme: Path | None = None) -> list[dict]:
    from buildtools.readme import replace_sections
    runs = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    rows = summarize(runs)
    replace_sections({"sweep": table(rows, runs)}, readme)      # None: wherever the table stands (docs/models.md)
    return rows


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m train sweep", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--recipes", default=",".join(RECIPES), help="names from train/sweep.py RECIPES")
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    p.add_argument("--workers", type=int, default=1, help="runs side by side (each uses --threads cores)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--out", default="reports/digits_sweep.jsonl", help="appended to, one line per run")
    p.add_argument("--readme", default="", help="the document to write the table into (default: the project's, wherever its markers are)")
    p.add_argument("--smoke", action="store_true", help="tiny runs (CI): 1 epoch on 600 images, no traced digits")
    args = p.parse_args(argv)
    extra = {"threads": args.threads}
    if args.smoke:
        extra.update(epochs=1, limit=600, test_limit=200, report_traced=False)
    jobs = [(n, RECIPES[n], int(s), args.device, extra) for n in args.recipes.split(",")
            for s in args.seeds.split(",")]
    out = resolve(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with mp.get_context("spawn").Pool(args.workers) as pool:
        for r in pool.imap_unordered(run_one, jobs):
            with open(out, "a") as f:
                f.write(json.dumps(r) + "\n")
            print(json.dumps(r), flush=True)
    for r in write_report(out, Path(args.readme) if args.readme else None):
        print(f"{r['recipe']:10} val {r['val']:.4%}  traced {r['val_traced'] or 0:.4%}  test {r['test']:.4%}")
