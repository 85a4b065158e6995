"""The browser engines of the cross-engine smoke and bench, behind one small interface: open a page, evaluate an
expression, draw with the mouse, press a key, choose a file, read the console.

- **firefox**: Debian's firefox-esr over WebDriver BiDi, through puppeteer-core (npm) in a node
  bridge (firefox.mjs): Debian packages no geckodriver, and Playwright drives only its own Firefox.
- **webkit**: WebKitGTK's MiniBrowser through Debian's WebKitWebDriver and the `selenium` package,
  under xvfb-run (MiniBrowser has no headless mode).
- **chromium**: Debian's chromium through Playwright, as the rest of the suite: the same smoke run
  there shows that a failure elsewhere is the engine's, not the smoke's.

Waits poll a readiness attribute of the page, never sleep a fixed time.
"""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
# what each engine needs installed, and where `python3 build.py test` gets it
NEEDS = {"firefox": [FIREFOX, "node"], "webkit": [WEBKIT_DRIVER, MINIBROWSER, "xvfb-run"], "chromium": ["/usr/bin/chromium"]}


class EngineError(AssertionError):
    pass


class Driver:
    name = ""

    def version(self) -> str: ...
    def goto(self, url: str) -> None: ...
    def reload(self) -> None: ...
    def eval(self, expr: str): ...
    def draw(self, strokes) -> None: ...
    def key(self, key: str, modifiers=()) -> None: ...
    def upload(self, selector: str, path: Path) -> None: ...
    def console(self) -> list[str]: ...
    def close(self) -> None: ...

    def wait(self, expr: str, timeout: float = 60, what: str = "") -> object:
        """Poll `expr` (a JS expression) until it is truthy; its value."""
        end = time.monotonic() + timeout
        while True:
            v = self.eval(expr)
            if v:
                return v
            if time.monotonic() > end:
                raise EngineError(f"{self.name}: timed out after {timeout:.0f} s waiting for {what or expr}")
            time.sleep(0.05)          # a poll's interval, not a wait for the page


def missing(engine: str) -> list[str]:
    return [p for p in NEEDS[engine] if not (Path(p).exists() if p.startswith("/") else shutil.which(p))]


class Firefox(Driver):
    name = "firefox"

    def __init__(self):
        self.proc = subprocess.Popen(["node", str(HERE / "firefox.mjs")], cwd=ROOT, text=True, bufsize=1,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = self.proc.stdout.readline()
        if not first.startswith('{"ready"'):
            raise EngineError(f"firefox: the puppeteer bridge did not start: {first}{self.proc.stderr.read()[-3000:]}")

    def _call(self, op: str, *args):
        self.proc.stdin.write(json.dumps({"op": op, "args": list(args)}) + "\n")
        line = self.proc.stdout.readline()
        if not line:
            raise EngineError(f"firefox: the bridge ended: {self.proc.stderr.read()[-3000:]}")
        r = json.loads(line)
        if not r["ok"]:
            raise EngineError(f"firefox: {op} failed: {r['error']}")
        return r["result"]

    def version(self): return self._call("version")
    def goto(self, url): self._call("goto", url)
    def reload(self): self._call("reload")
    def eval(self, expr): return self._call("eval", expr)
    def draw(self, strokes): self._call("draw", strokes)
    def key(self, key, modifiers=()): self._call("key", key, list(modifiers))
    def upload(self, selector, path): self._call("upload", selector, str(path))
    def console(self): return self._call("console")

    def close(self):
        try:
            self.proc.stdin.write(json.dumps({"op": "close"}) + "\n")
            self.proc.stdin.close()
            self.proc.wait(30)
        except (BrokenPipeError, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebKit(Driver):
    name = "webkit"
    KEYS = {"Delete": "\ue017", "Control": "\ue009", "Escape": "\ue00c"}    # WebDriver's key codes

    def __init__(self):
        from selenium import webdriver
        from selenium.webdriver.common.options import ArgOptions
        port = _free_port()
        # the driver's and MiniBrowser's own messages
        self.out = tempfile.NamedTemporaryFile("w+", prefix="webkit-console-", suffix=".log")
        # -a: a free display number; MiniBrowser needs a display even when nobody looks at it
        self.proc = subprocess.Popen(["xvfb-run", "-a", "-s", "-screen 0 1280x1100x24", WEBKIT_DRIVER,
                                      f"--port={port}"], stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        opts = ArgOptions()
        opts.set_capability("browserName", "MiniBrowser")
        opts.set_capability("webkitgtk:browserOptions", {
            "binary": MINIBROWSER, "args": ["--automation"]})
        end = time.monotonic() + 60
        while True:
            try:
                self.drv = webdriver.Remote(f"http://127.0.0.1:{port}", options=opts)
                break
            except Exception as e:         # the driver is not listening yet, or the display is not up
                if time.monotonic() > end or self.proc.poll() is not None:
                    raise EngineError(f"webkit: WebKitWebDriver did not start: {e}") from e
                time.sleep(0.2)
        # the driver runs on this machine: a file's path is typed as it is, not sent to a Grid
        from selenium.webdriver.remote.file_detector import UselessFileDetector
        self.drv.file_detector = UselessFileDetector()
        self.drv.set_window_size(1200, 1000)
        self.log: list[str] = []

    def version(self):
        return self.drv.capabilities.get("browserVersion", "?")

    # WebKitWebDriver has no log endpoint, and MiniBrowser's console-to-stdout setting does not
    # reach the windows it opens for automation: the page's console is copied from the moment the
    # page has loaded (messages before that are lost; the page's own error panel still shows)
    HOOK = """if (!window.__smokeLog) {
      const log = window.__smokeLog = [];
      for (const k of ["log", "info", "warn", "error", "debug"]) {
        const f = console[k].bind(console);
        console[k] = (...a) => { log.push(k + ": " + a.map(String).join(" ")); f(...a); };
      }
      addEventListener("error", (e) => log.push("pageerror: " + e.message));
      addEventListener("unhandledrejection", (e) => log.push("unhandledrejection: " + e.reason));
    }"""

    def goto(self, url):
        self.drv.get(url)
        self.drv.execute_script(self.HOOK)

    def reload(self):
        self.drv.refresh()
        self.drv.execute_script(self.HOOK)

    def eval(self, expr):
        # WebDriver classic awaits a returned promise
        return self.drv.execute_script(f"return (async () => ({expr}))()")

    def draw(self, strokes):
        from selenium.webdriver.common.actions.action_builder import ActionBuilder
        for s in strokes:
            a = ActionBuilder(self.drv, duration=0)
            a.pointer_action.move_to_location(int(s[0][0]), int(s[0][1])).pointer_down()
            for x, y in s[1:]:
                a.pointer_action.move_to_location(int(x), int(y))
            a.pointer_action.pointer_up()
            a.perform()

    def key(self, key, modifiers=()):
        from selenium.webdriver.common.action_chains import ActionChains
        chain = ActionChains(self.drv)
        for m in modifiers:
            chain.key_down(self.KEYS[m])
        chain.send_keys(self.KEYS.get(key, key))
        for m in reversed(modifiers):
            chain.key_up(self.KEYS[m])
        chain.perform()

    def upload(self, selector, path):
        from selenium.webdriver.common.by import By
        self.drv.find_element(By.CSS_SELECTOR, selector).send_keys(str(path))

    def console(self):
        page = self.eval("[...(window.__smokeLog || []), 'page: ' + JSON.stringify(document.documentElement.dataset), "
                         "'message: ' + (document.querySelector('#message') || {}).textContent]")
        return Path(self.out.name).read_text(errors="replace").splitlines()[-100:] + page[-200:]

    def close(self):
        try:
            self.drv.quit()
        finally:
            import os
            import signal
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            self.proc.wait(20)
            self.out.close()


class Chromium(Driver):
    name = "chromium"

    def __init__(self, browser=None):
        """browser: a Playwright Chromium already running (the test session's: Playwright's sync
        API runs once per thread); None starts one."""
        self.pw = self.own = None
        if browser is None:
            from playwright.sync_api import sync_playwright
            from .browser import ARGS, CHROMIUM
            self.pw = sync_playwright().start()
            browser = self.own = self.pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        self.browser = browser
        self.context = browser.new_context(viewport={"width": 1200, "height": 1000})
        self.page = self.context.new_page()
        self.log: list[str] = []
        self.page.on("console", lambda m: self.log.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.log.append(f"pageerror: {e}"))

    def version(self): return self.browser.version
    def goto(self, url): self.page.goto(url)
    def reload(self): self.page.reload()
    def eval(self, expr): return self.page.evaluate(expr)

    def draw(self, strokes):
        m = self.page.mouse
        for s in strokes:
            m.move(*s[0])
            m.down()
            for x, y in s[1:]:
                m.move(x, y)
            m.up()

    def key(self, key, modifiers=()):
        self.page.keyboard.press("+".join([*modifiers, key]))

    def upload(self, selector, path): self.page.set_input_files(selector, str(path))
    def console(self): return self.log[-200:]

    def close(self):
        self.context.close()
        if self.own is not None:
            self.own.close()
            self.pw.stop()


ENGINES = {"firefox": Firefox, "webkit": WebKit, "chromium": Chromium}
