"""Chromium end-to-end fixtures. Waits use readiness attributes, never fixed sleeps.

The page's Content-Security-Policy forbids eval, which Playwright's wait_for_function needs,
so every wait here is a selector on <html data-ready / data-predictions ...>.
"""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from buildtools import site
from buildtools.serve import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)


@pytest.fixture(scope="session")
def dist() -> Path:
    d = ROOT / "dist"
    if not (d / "build.json").exists():
        site.build(d)
    return d


class Server:
    def __init__(self, directory: Path, prefix: str = "/"):
        self.httpd = make_server(directory, 0, prefix, quiet=True)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.url = self.origin + (prefix if prefix.endswith("/") else prefix + "/")
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def server(dist):
    s = Server(dist)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `python3 build.py test`, which installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class App:
    """One page of the app, with helpers that act like a person."""

    def __init__(self, page, origin: str):
        self.page, self.origin = page, origin
        self.console: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("worker", lambda w: w.on("console", lambda m: self.console.append(f"worker {m.type}: {m.text}")))

    def open(self, url: str, backend: str | None = "wasm", wait: bool = True):
        q = f"?backend={backend}" if backend else ""
        self.page.goto(url + q)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=90_000):
        self.page.wait_for_selector("html[data-ready='true'], html[data-error]", state="attached", timeout=timeout)
        err = self.page.get_attribute("html", "data-error")
        assert err is None, f"page failed to start ({err}): {self.page.text_content('#fatal')}"

    @property
    def predictions(self) -> int:
        return int(self.page.get_attribute("html", "data-predictions") or 0)

    def wait_predictions(self, n: int, timeout=30_000):
        self.page.wait_for_selector(f"html[data-predictions='{n}']", state="attached", timeout=timeout)

    def pad_box(self):
        return self.page.locator("#pad").bounding_box()

    def draw(self, strokes, steps: int = 1):
        """Draw strokes given in pad units (0..280) with the mouse."""
        self.page.locator("#pad").scroll_into_view_if_needed()   # as a person would
        b = self.pad_box()
        k = b["width"] / 280
        m = self.page.mouse
        for s in strokes:
            pts = s.points if hasattr(s, "points") else s
            m.move(b["x"] + pts[0][0] * k, b["y"] + pts[0][1] * k)
            m.down()
            for x, y in pts[1:]:
                m.move(b["x"] + x * k, b["y"] + y * k, steps=steps)
            m.up()

    def predict(self):
        n = self.predictions
        self.page.click("#predict")
        self.wait_predictions(n + 1)

    def digit(self) -> str:
        return self.page.text_content("#digit")

    def verdict(self) -> str:
        return self.page.get_attribute("#verdict", "data-verdict")

    def probabilities(self) -> list[float]:
        return [float(self.page.text_content(f"#probabilities [data-digit='{d}']")) for d in range(10)]

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not (u.startswith(self.origin + "/") or u.startswith(("data:", "blob:")))]


@pytest.fixture
def make_app(browser, request):
    """Factory: make_app(origin, service_workers='block') -> App in a fresh context."""
    made = []

    def make(origin: str, service_workers: str = "block", **context_args) -> App:
        ctx = browser.new_context(service_workers=service_workers, viewport={"width": 1200, "height": 1000},
                                  accept_downloads=True, **context_args)
        page = ctx.new_page()
        app = App(page, origin)
        made.append((ctx, app))
        return app

    yield make
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for ctx, app in made:
        if failed:
            print(f"\n--- browser console ({len(app.console)} lines) ---")
            print("\n".join(app.console[-200:]))
        ctx.close()


@pytest.fixture
def app(make_app, server):
    return make_app(server.origin).open(server.url)
