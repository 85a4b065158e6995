"""Chromium end-to-end fixtures. The harness itself (server, app driver, Chromium's arguments)
is buildtools/browser.py, shared with the bench; waits use readiness attributes, never sleeps."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from buildtools import site
from buildtools.browser import ARGS, CHROMIUM, App, Server  # noqa: F401  (tests import these from here)

ROOT = Path(__file__).resolve().parents[2]


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


@pytest.fixture(scope="session")
def server(dist):
    s = Server(dist)
    yield s
    s.stop()


@pytest.fixture(scope="session")
def playwright():
    """The session's one Playwright (its sync API runs once per thread): a test that needs a browser
    launched with flags of its own (a fake camera) launches it from here."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `python3 build.py test`, which installs Debian's chromium")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright):
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield b
    b.close()


@pytest.fixture
def make_app(browser, request):
    """Factory: make_app(origin, service_workers='block') -> App in a fresh context."""
    made = []

    def make(origin: str, service_workers: str = "block", **context_args) -> App:
        ctx = browser.new_context(**{"service_workers": service_workers, "viewport": {"width": 1200, "height": 1000},
                                     "accept_downloads": True, **context_args})
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


PHONES = {"390x844": (390, 844), "360x740": (360, 740)}


@pytest.fixture
def make_phone(make_app, server):
    """Factory: make_phone('390x844') -> the app opened in a touch phone's viewport (wasm)."""
    def make(size: str, **context_args) -> App:
        w, h = PHONES[size]
        return make_app(server.origin, viewport={"width": w, "height": h}, is_mobile=True, has_touch=True,
                        device_scale_factor=2, **context_args).open(server.url)
    return make
