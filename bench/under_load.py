"""python -m bench.under_load [--runs 10] [--hogs N] [tests ...]: a test file run again and again on a busy machine.

CI shares its machine with other work, and a race that an idle machine never shows fails there
(issue 43: a reload that outran the write of what was taught). This runs pytest on the given tests
`--runs` times in a row, with a busy Python loop on each core beside it the whole time, and writes
each run's outcome to reports/under-load.json. Not a timed test: it counts passes.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def spin() -> None:
    while True:
        pass


def main(argv=None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.under_load", description=__doc__)
    p.add_argument("tests", nargs="*", default=["tests/e2e/test_teach.py"])
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--hogs", type=int, default=os.cpu_count() or 2, help="busy loops beside the tests (default: one a core)")
    p.add_argument("--out", type=Path, default=ROOT / "reports" / "under-load.json")
    args = p.parse_args(argv)
    hogs = [multiprocessing.Process(target=spin, daemon=True) for _ in range(args.hogs)]
    for h in hogs:
        h.start()
    runs = []
    try:
        for i in range(args.runs):
            t0 = time.monotonic()
            r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args.tests],
                               cwd=ROOT, capture_output=True, text=True)
            tail = [line for line in r.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
            runs.append({"run": i + 1, "rc": r.returncode, "summary": tail[-1] if tail else r.stdout[-300:],
                         "seconds": round(time.monotonic() - t0, 1)})
            print(json.dumps(runs[-1]), flush=True)
            if r.returncode:
                print(r.stdout[-4000:], flush=True)
    finally:
        for h in hogs:
            h.terminate()
    passed = sum(r["rc"] == 0 for r in runs)
    out = {"date": time.strftime("%Y-%m-%d"), "tests": args.tests, "hogs": args.hogs, "cores": os.cpu_count(),
           "passed": passed, "runs": runs}
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{passed} of {len(runs)} runs passed, {args.hogs} busy loops beside them")
    sys.exit(0 if passed == len(runs) else 1)


if __name__ == "__main__":
    main()
