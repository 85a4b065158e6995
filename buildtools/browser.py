"""Driving the built page in Debian's Chromium: shared by the browser tests and the bench.

Chromium is Debian's ``/usr/bin/chromium`` driven by the Python ``playwright`` package (never
``playwright install``). Every wait is on a readiness attribute of ``<html>`` (``data-ready``,
``data-predictions``, ...), never a fixed sleep: the page's Content-Security-Policy forbids eval,
which Playwright's wait_for_function needs, so waits are selectors.
"""
from __future__ import annotations

import threading
from pathlib import Path

from .serve import make_server

CHROMIUM = "/usr/bin/chromium"
# No network beyond loopback here: without the background-networking flags Chromium keeps
# trying Google's hosts. SwiftShader gives headless Chromium a (software) WebGL.
ARGS = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


class Server:
    """A static server for a folder on 127.0.0.1 (a free port), in a thread; counts bytes sent."""

    def __init__(self, directory: Path, prefix: str = "/", compress: str = "static", cache_control: str = "no-cache"):
        self.httpd = make_server(directory, 0, prefix, quiet=True, compress=compress, cache_control=cache_control)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.url = self.origin + (prefix if prefix.endswith("/") else prefix + "/")
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def bytes_sent(self) -> int:
        return self.httpd.bytes_sent

    @property
    def responses(self) -> list[tuple[str, int, int]]:
        """(path, HTTP status, body bytes) of every response so far, in order."""
        return list(self.httpd.responses)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


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

    def attr(self, name: str) -> str | None:
        return self.page.get_attribute("html", f"data-{name}")

    def wait_attr(self, name: str, value, timeout=30_000):
        self.page.wait_for_selector(f"html[data-{name}='{value}']", state="attached", timeout=timeout)

    @property
    def predictions(self) -> int:
        return int(self.attr("predictions") or 0)

    def wait_predictions(self, n: int, timeout=30_000):
        self.wait_attr("predictions", n, timeout)

    def pad_box(self):
        return self.page.locator("#pad").bounding_box()

    def draw_stroke(self, pts, steps: int = 1, box=None):
        """One stroke given in pad units (0..280), drawn with the mouse."""
        b = box or self.pad_box()
        k = b["width"] / 280
        m = self.page.mouse
        m.move(b["x"] + pts[0][0] * k, b["y"] + pts[0][1] * k)
        m.down()
        for x, y in pts[1:]:
            m.move(b["x"] + x * k, b["y"] + y * k, steps=steps)
        m.up()

    def draw(self, strokes, steps: int = 1):
        """Draw strokes given in pad units (0..280) with the mouse."""
        self.page.locator("#pad").scroll_into_view_if_needed()   # as a person would
        b = self.pad_box()
        for s in strokes:
            self.draw_stroke(s.points if hasattr(s, "points") else s, steps, b)

    def touch(self, type_: str, points=()):
        """One touch event through CDP's Input.dispatchTouchEvent (real touches, not mouse events):
        `points` are (x, y) in CSS pixels of the viewport, one per finger on the screen."""
        if not hasattr(self, "_cdp"):
            self._cdp = self.page.context.new_cdp_session(self.page)
        self._cdp.send("Input.dispatchTouchEvent", {
            "type": type_, "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]})

    def touch_draw(self, strokes):
        """Strokes given in pad units (0..280), each drawn with one finger."""
        b = self.pad_box()
        k = b["width"] / 280
        for s in strokes:
            pts = [(b["x"] + x * k, b["y"] + y * k) for x, y in (s.points if hasattr(s, "points") else s)]
            self.touch("touchStart", pts[:1])
            for pt in pts[1:]:
                self.touch("touchMove", [pt])
            self.touch("touchEnd")

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
