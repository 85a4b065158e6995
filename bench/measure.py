"""What a person waits for, measured on one page (digitpad or the reference) in Chromium.

Every figure is read from the page's own performance.now() marks (data-ready-ms,
data-stroke-ms, data-predict-ms, data-sweep-ms, data-longest-task-ms), so Playwright's own
overhead is not counted; both pages set the same attributes the same way (from the input
event's timestamp to the moment the answer is in the DOM). Bytes are counted by the server.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field

from buildtools.browser import ARGS, CHROMIUM, App, Server


@dataclass
class Site:
    name: str                  # "digitpad" | "reference"
    server: Server
    query: str = ""            # digitpad: "?backend=wasm"
    service_worker: bool = False

    @property
    def url(self) -> str:
        return self.server.url + self.query


@dataclass
class Visits:
    """One browser profile of one site: its first visit and then return visits."""
    site: Site
    app: App
    first_ms: float
    first_bytes: int
    profile: str = ""
    marks: list[dict] = field(default_factory=list)
    returns_ms: list[float] = field(default_factory=list)
    first_strokes_ms: list[float] = field(default_factory=list)   # each visit's first stroke → answer

    def close(self) -> None:
        self.app.page.context.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def _ready(app: App) -> float:
    app.wait_ready()
    return float(app.attr("ready-ms"))


def _marks(app: App) -> dict:
    return json.loads(app.attr("marks") or "{}")


def first_stroke(v: "Visits", strokes) -> None:
    """Draw a digit as soon as the page is ready, and keep its first stroke's ms: the first answer
    a person sees, which the networks' first run (kernels compiled, caches cold) can hold up."""
    if strokes:
        v.first_strokes_ms.append(draw_digit(v.app, strokes)[0][0])
        clear(v.app, v.site.service_worker)


def first_visit(chromium, site: Site, strokes=None) -> Visits:
    """A new browser profile (on disk, with its HTTP and code caches, as a person's browser has)
    opens the page; for digitpad, wait until its service worker has kept everything this visit
    used (what a return visit relies on)."""
    profile = tempfile.mkdtemp(prefix="digitpad-bench-")
    ctx = chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS,
                                             viewport={"width": 1200, "height": 1000},
                                             service_workers="allow" if site.service_worker else "block")
    app = App(ctx.pages[0] if ctx.pages else ctx.new_page(), site.server.origin)
    before = site.server.bytes_sent
    app.page.goto(site.url)
    ms = _ready(app)
    if site.service_worker:
        app.wait_attr("offline-ready", "true", timeout=90_000)
    v = Visits(site, app, ms, site.server.bytes_sent - before, profile)
    v.marks.append({"visit": "first", **_marks(app)})
    first_stroke(v, strokes)
    return v


def return_visit(v: Visits, strokes=None) -> float:
    v.app.page.goto(v.site.url)
    ms = _ready(v.app)
    v.returns_ms.append(ms)
    v.marks.append({"visit": "return", **_marks(v.app)})
    first_stroke(v, strokes)
    return ms


def clear(app: App, answers_clear: bool) -> None:
    """Clear the pad; digitpad answers a clear with an empty view, which is waited for."""
    n = app.predictions
    app.page.click("#clear")
    if answers_clear:
        app.wait_predictions(n + 1)


def draw_digit(app: App, strokes) -> tuple[list[float], dict]:
    """Draw one digit stroke by stroke, each time waiting for that stroke's answer (a person
    lifts the pen for longer than an answer takes); returns each stroke's ms, and where the last
    stroke's time went (data-stroke-phases: the page's phase -> ms)."""
    box = app.pad_box()
    out = []
    for s in strokes:
        k = int(app.attr("stroke-answered") or 0) + 1
        app.draw_stroke(s, 1, box)
        app.wait_attr("stroke-answered", k)
        out.append(float(app.attr("stroke-ms")))
    return out, json.loads(app.attr("stroke-phases") or "{}")


def predict_clicks(app: App, n: int) -> list[float]:
    out = []
    for _ in range(n):
        app.predict()
        out.append(float(app.attr("predict-ms")))
    return out


def timed_clicks(app: App, button: str, counter: str, figure: str, n: int) -> list[float]:
    """Click `button` n times, each time waiting for the page's `counter` to move on; the page's
    own `figure` (ms) for each."""
    out = []
    for _ in range(n):
        done = int(app.attr(counter) or 0)
        app.page.click(button)
        app.wait_attr(counter, done + 1)
        out.append(float(app.attr(figure)))
        if button == "#sweep":
            app.page.click("#sweep-stop")
    return out


def sweeps(app: App, n: int) -> list[float]:
    return timed_clicks(app, "#sweep", "sweeps", "sweep-ms", n)


def explains(app: App, n: int) -> list[float]:
    """Switch "Explain each answer" on, then predict n times: ms from asking for each heat map
    (right after its answer) to the map painted on the eye and the pad. Builds without it: []."""
    if not app.page.locator("#explain-toggle").count():
        return []
    done = int(app.attr("explains") or 0)
    app.page.check("#explain-toggle")                # switching it on asks again: one map
    app.wait_attr("explains", done + 1)
    out = timed_clicks(app, "#predict", "explains", "explain-ms", n)
    done = app.predictions
    app.page.uncheck("#explain-toggle")              # switching it off asks again too: wait for that answer
    app.wait_predictions(done + 1)
    return out


def selections(app: App, n: int) -> list[float]:
    """Write 2026, then select its digits n times in turn (a click each): ms from the click to the
    selected digit's answer painted (the page's own data-select-ms). No network runs for these."""
    from drawings import number
    clear(app, answers_clear=True)
    draw_digit(app, number("2026"))        # every stroke answered: the last answer is the number's
    out = []
    for i in range(n):
        done = int(app.attr("selections") or 0)
        app.page.click(f"#number-digits li:nth-child({1 + (i + 1) % 4})")
        app.wait_attr("selections", done + 1)
        out.append(float(app.attr("select-ms")))
    clear(app, answers_clear=True)
    return out


def joined_numbers(app: App, numbers) -> list[float]:
    """Numbers written without lifting the pen, each on a clear pad: ms from each stroke's end
    to its answer, the joining stroke's cut candidates read in the same batch."""
    out = []
    for strokes in numbers:
        clear(app, answers_clear=True)
        out += draw_digit(app, strokes)[0]
    clear(app, answers_clear=True)
    return out


def inside_panel(app: App, digits) -> dict:
    """"Inside the network" open: each stroke of `digits`, drawn stroke by stroke, to its answer
    (data-stroke-ms) and to the panel painted for that answer (data-inside-stroke-ms, from the same
    pointer event); then the panel closed again and the same digits drawn: the answers alone."""
    app.page.click("#inside summary")
    app.wait_attr("insides", 1, timeout=60_000)
    answer, panel, paint, phases = [], [], [], []
    for strokes in digits:
        app.page.locator("#pad").scroll_into_view_if_needed()
        box = app.pad_box()
        for s in strokes:
            k, n = int(app.attr("stroke-answered") or 0) + 1, int(app.attr("insides"))
            app.draw_stroke(s, 1, box)
            app.wait_attr("stroke-answered", k)
            app.wait_attr("insides", n + 1)
            answer.append(float(app.attr("stroke-ms")))
            panel.append(float(app.attr("inside-stroke-ms")))
            paint.append(float(app.attr("inside-paint-ms")))
            phases.append(json.loads(app.attr("inside-phases") or "{}"))
        n = int(app.attr("insides"))
        clear(app, answers_clear=True)
        app.wait_attr("insides", n + 1)
    app.page.click("#inside summary")
    closed = []
    app.page.locator("#pad").scroll_into_view_if_needed()
    for strokes in digits:
        closed += draw_digit(app, strokes)[0]
        clear(app, answers_clear=True)
    return {"open_answer_ms": answer, "open_panel_ms": panel, "open_paint_ms": paint, "phases": phases,
            "closed_again_ms": closed}


def longest_task(app: App) -> tuple[float, float]:
    """(longest main-thread task once the pad is shown, before it), in ms."""
    return float(app.attr("longest-task-ms") or 0), float(app.attr("longest-startup-task-ms") or 0)


def since_shown(app: App) -> float:
    """ms since the page's pad was shown, on the page's clock (to place its long tasks)."""
    return float(app.page.evaluate("performance.now()")) - float(app.attr("pad-shown-ms") or 0)


def long_tasks(app: App) -> list[list[float]]:
    """The page's last long tasks once the pad was shown: [[start ms after it was shown, ms], ...]."""
    return json.loads(app.attr("long-tasks") or "[]")


def while_doing(start: float, phases: dict[str, float]) -> str:
    """The bench phase (name -> its start, ms after the pad was shown) a task that began at `start` fell in."""
    began = [(t, name) for name, t in phases.items() if t <= start]
    return max(began)[1] if began else "before the bench drew"
