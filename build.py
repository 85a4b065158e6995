#!/usr/bin/env python3
"""digitpad's one entry point: build, serve, test, bench. Standard library plus npm only.

  python3 build.py serve [--port 8000] [--base-path /tools/digitpad/]   build, then serve dist/
  python3 build.py test [pytest args]     set everything up on a fresh machine, run all tests
  python3 build.py build                  write dist/ (a self-contained static site)
  python3 build.py bench [--quick]        measure in headless Chromium, write reports/bench.json and the README
  python3 build.py screenshot             docs/screenshot.png and docs/screenshot-phone.png, from the built page
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from buildtools import site, vendor  # noqa: E402

VENV = ROOT / ".venv"
# chromium runs the suite; firefox-esr, webkit2gtk-driver (WebKitWebDriver + MiniBrowser) and xvfb
# (MiniBrowser needs a display) run the cross-engine smoke, tests/e2e/engines
APT_PACKAGES = ["chromium", "firefox-esr", "webkit2gtk-driver", "xvfb", "xauth", "fonts-dejavu-core", "fonts-dkg-handwriting", "fonts-breip", "fonts-bwht",
                "fonts-femkeklaver", "fonts-humor-sans", "fonts-comic-neue", "fonts-dancingscript"]


def venv_python() -> Path:
    return VENV / "bin" / "python"


def ensure_venv() -> Path:
    """.venv with the project and its dev + train extras (torch 2.13.0 CPU, pinned numpy/Pillow)."""
    py = venv_python()
    stamp = VENV / ".digitpad-installed"
    pyproject = ROOT / "pyproject.toml"
    if py.exists() and stamp.exists() and stamp.stat().st_mtime >= pyproject.stat().st_mtime:
        return py
    if not py.exists():
        print(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("pip install -e .[dev,train]")
    run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", f"{ROOT}[dev,train]"])
    stamp.touch()
    return py


def ensure_apt() -> None:
    """Debian's browsers (never `playwright install`) and the fonts the non-digit generator uses."""
    missing = [p for p in APT_PACKAGES if subprocess.run(["dpkg", "-s", p], capture_output=True).returncode]
    if not missing:
        return
    if not shutil.which("apt-get"):
        sys.exit(f"error: please install {' '.join(missing)} (Debian packages) and run again")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"apt-get install {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(sudo + ["apt-get", "update", "-q"], env=env)
    run(sudo + ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing], env=env)


def run(cmd, **kw) -> None:
    r = subprocess.run(cmd, **kw)
    if r.returncode:
        sys.exit(r.returncode)


def cmd_build(args) -> None:
    try:
        site.build(ROOT / "dist")
    except vendor.VendorError as e:
        sys.exit(f"build failed: {e}")


def cmd_serve(args) -> None:
    cmd_build(args)
    from buildtools.serve import make_server
    server = make_server(ROOT / "dist", args.port, args.base_path)
    url = f"http://127.0.0.1:{server.server_address[1]}/{args.base_path.strip('/') + '/' if args.base_path.strip('/') else ''}"
    print(f"digitpad is served at {url}  (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


def cmd_test(args) -> None:
    ensure_apt()
    py = ensure_venv()
    cmd_build(args)
    # MNIST: the tests find it (or download and verify it) through train.data.mnist_dir
    r = subprocess.run([str(py), "-m", "pytest", *args.pytest_args], cwd=ROOT)
    sys.exit(r.returncode)


def cmd_bench(args) -> None:
    ensure_apt()
    py = ensure_venv()
    cmd_build(args)
    run([str(py), "-m", "bench", *(["--quick"] if args.quick else [])], cwd=ROOT)


def cmd_screenshot(args) -> None:
    py = ensure_venv()
    cmd_build(args)
    run([str(py), "-m", "buildtools.screenshot"], cwd=ROOT)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("build").set_defaults(func=cmd_build)
    s = sub.add_parser("serve")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--base-path", default="/", help="serve under a sub-path, as a host would")
    s.set_defaults(func=cmd_serve)
    t = sub.add_parser("test")
    t.add_argument("pytest_args", nargs=argparse.REMAINDER)
    t.set_defaults(func=cmd_test)
    b = sub.add_parser("bench")
    b.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run)")
    b.set_defaults(func=cmd_bench)
    sub.add_parser("screenshot").set_defaults(func=cmd_screenshot)
    args = p.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
