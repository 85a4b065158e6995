"""The cross-engine smoke (issue 31): the page in Firefox ESR and WebKitGTK, as Debian packages
them, and in Chromium to show the smoke itself is sound. One engine session per engine (module
scope, in order), one build, a server of its own per engine (the offline step stops it).

A failure names its engine in the test id and in the message, and prints that engine's console.
Run one engine alone: `python3 build.py test tests/e2e/engines -k firefox`.
"""
from __future__ import annotations

import json

import pytest

from buildtools.browser import Server
from drawings import SEVEN, number
from photos import photo

from buildtools.engines import ENGINES, missing

ROOT_ATTR = "document.documentElement.dataset"


@pytest.fixture(scope="module", params=["firefox", "webkit", "chromium"])
def engine(request, dist):
    name = request.param
    if missing(name):
        pytest.fail(f"{name}: {', '.join(missing(name))} missing: run `python3 build.py test`, which installs them")
    server = Server(dist)
    # Chromium: the session's own browser (Playwright's sync API runs once per thread)
    drv = ENGINES[name](request.getfixturevalue("browser")) if name == "chromium" else ENGINES[name]()
    drv.server, drv.results = server, {}
    yield drv
    # one line per engine in the run's log (CI's too), whatever pytest's verbosity
    passed, plugins = sum(drv.results.values()), request.config.pluginmanager
    with plugins.get_plugin("capturemanager").global_and_fixture_disabled():
        plugins.get_plugin("terminalreporter").write_line(
            f"cross-engine smoke: {name} {drv.version().removeprefix('firefox/')}: "
            f"{passed} of {len(drv.results)} checks passed")
    drv.close()
    server.stop()


@pytest.fixture(autouse=True)
def console_on_failure(request, engine):
    yield
    rep = getattr(request.node, "rep_call", None)
    engine.results[request.node.originalname] = rep is not None and rep.passed
    if rep is not None and rep.failed:
        print(f"\n--- {engine.name} {engine.version()} console ---")
        try:
            print("\n".join(engine.console()))
        except Exception as e:          # the engine itself may be what failed
            print(f"(no console: {e})")


def data(drv, name: str):
    return drv.eval(f"{ROOT_ATTR}[{json.dumps(name)}] ?? null")


def wait_more(drv, name: str, before: int, what: str, timeout=60):
    drv.wait(f"Number({ROOT_ATTR}.{name} || 0) > {before}", timeout, what)


def pad_strokes(drv, strokes):
    """Strokes in pad units (0..280) -> CSS pixels of the viewport, where the pad is now."""
    x, y, w = drv.eval("(() => { const p = document.querySelector('#pad'); p.scrollIntoView({block: 'center'}); "
                       "const b = p.getBoundingClientRect(); return [b.x, b.y, b.width]; })()")
    k = w / 280
    return [[[x + px * k, y + py * k] for px, py in s] for s in strokes]


def draw(drv, strokes):
    """Clear the pad, draw, and wait until the last stroke is answered (strokes are numbered
    from the page's start, clears included)."""
    n = int(data(drv, "predictions") or 0)
    if drv.eval("document.querySelector('#pad').dataset.strokes") not in (None, "0"):
        drv.eval("document.querySelector('#clear').click()")
        wait_more(drv, "predictions", n, "the cleared pad's answer")
    drv.drawn = getattr(drv, "drawn", 0) + len(strokes)
    drv.draw(pad_strokes(drv, strokes))
    drv.wait(f"{ROOT_ATTR}.strokeAnswered === '{drv.drawn}'", 60, f"the answer to stroke {drv.drawn}")


def text(drv, selector: str) -> str:
    return drv.eval(f"document.querySelector({json.dumps(selector)}).textContent.trim()")


def test_first_visit_is_ready_and_shows_its_backend(engine):
    engine.goto(engine.server.url)
    engine.wait(f"{ROOT_ATTR}.ready === 'true' || {ROOT_ATTR}.error", 120, "ready")
    assert data(engine, "error") is None, f"{engine.name}: the page failed to start: {text(engine, '#fatal')}"
    backend = engine.eval("document.querySelector('#backend').dataset.backend")
    assert backend in ("wasm", "webgl"), f"{engine.name}: backend {backend!r}"
    assert backend in text(engine, "#backend").lower(), f"{engine.name}: the backend is not shown"


def test_a_digit_drawn_with_the_mouse_is_read(engine):
    draw(engine, SEVEN)
    assert text(engine, "#digit") == "7", f"{engine.name}: read {text(engine, '#digit')!r}"


def test_a_number_of_two_digits_is_read(engine):
    draw(engine, number("42"))
    assert text(engine, "#number") == "42", f"{engine.name}: read {text(engine, '#number')!r}"


def test_delete_clears_and_ctrl_z_undoes(engine):
    strokes = engine.eval("document.querySelector('#pad').dataset.strokes")
    assert strokes not in (None, "0")
    engine.eval("document.activeElement && document.activeElement.blur()")
    engine.key("Delete")
    engine.wait("document.querySelector('#pad').dataset.strokes === '0'", 20, "Delete to clear the pad")
    engine.key("z", ["Control"])
    engine.wait(f"document.querySelector('#pad').dataset.strokes === '{strokes}'", 20, "Ctrl+Z to bring the strokes back")


# A 1 with a long flag: the shipped networks read it as a 7 (tests/e2e/test_teach.py)
FLAGGED_ONE = [[(60, 130), (170, 50), (150, 230)]]


def test_not_right_stores_a_sample_and_the_heads_apply(engine):
    draw(engine, FLAGGED_ONE)
    assert text(engine, "#digit") == "7"
    fits, n = int(data(engine, "fits") or 0), int(data(engine, "predictions"))
    engine.eval("document.querySelector('#fix-1').click()")
    wait_more(engine, "fits", fits, "the heads to be fitted")
    wait_more(engine, "predictions", n, "the drawing to be read again")
    assert data(engine, "personalSamples") == "1"
    assert text(engine, "#digit") == "1", f"{engine.name}: taught, still read {text(engine, '#digit')!r}"
    assert engine.eval("document.querySelector('#personal').checked")


def test_a_photo_chosen_through_the_file_input_is_read(engine, tmp_path):
    p = photo(21, "scan", "ruled", "blue", 1)
    path = tmp_path / "photo.jpg"
    path.write_bytes(p.jpeg)
    done = int(data(engine, "photos") or 0) + int(data(engine, "photoErrors") or 0)
    engine.upload("#photo", path)
    engine.wait(f"Number({ROOT_ATTR}.photos || 0) + Number({ROOT_ATTR}.photoErrors || 0) > {done}", 90, "the photo's answer")
    assert data(engine, "mode") == "photo", f"{engine.name}: {text(engine, '#message')}"
    assert text(engine, "#number") == p.lines[0], f"{engine.name}: read {text(engine, '#number')!r}, wrote {p.lines[0]}"
    engine.eval("document.querySelector('#photo-back').click()")
    engine.wait(f"{ROOT_ATTR}.mode === 'pad'", 20, "back to the pad")


# what the camera button may lead to, headless, with no camera: a message that offers the photo
# chooser (no camera, blocked), or the browser still asking (a prompt nobody answers headless)
CAMERA_STATES = ("none", "denied", "busy", "failed", "asking")


def test_the_camera_button_leads_to_a_message_that_offers_a_photo(engine):
    shown = engine.eval("!document.querySelector('#camera-open').hidden")
    has = engine.eval("!!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)")
    assert shown == has, f"{engine.name}: the Camera button is {'shown' if shown else 'hidden'}, getUserMedia {has}"
    if not shown:
        return
    engine.eval("document.querySelector('#camera-open').click()")
    state = engine.wait(f"{ROOT_ATTR}.camera && {ROOT_ATTR}.camera !== 'asking' ? {ROOT_ATTR}.camera : "
                        f"({ROOT_ATTR}.camera === 'asking' && performance.now() - (window.__asked ||= performance.now()) > 5000 "
                        "? 'asking' : null)", 60, "the camera's answer")
    assert state in CAMERA_STATES, f"{engine.name}: camera state {state!r}: {text(engine, '#camera-problem-text')}"
    assert engine.eval("!document.querySelector('#camera-problem').hidden"), f"{engine.name}: no message"
    assert text(engine, "#camera-problem-text"), f"{engine.name}: an empty message"
    assert engine.eval("!document.querySelector('#camera-photo').hidden"), f"{engine.name}: no photo chooser offered"
    assert data(engine, "mode") != "photo"


def test_inside_the_network_opens_and_follows_the_drawing(engine):
    draw(engine, SEVEN)
    before = int(data(engine, "insides") or 0)
    engine.eval("document.querySelector('#inside summary').click()")
    wait_more(engine, "insides", before, "the inside view")
    rows = engine.eval("[...document.querySelectorAll('#inside-layers tbody tr')].map((r) => Number(r.dataset.params))")
    assert len(rows) == 14 and sum(rows[:11]) == 594_922, f"{engine.name}: {rows}; {text(engine, '#inside-status')}"
    n = int(data(engine, "insides"))
    drv_strokes = [[(60, 250), (220, 250)]]
    engine.drawn += 1
    engine.draw(pad_strokes(engine, drv_strokes))
    wait_more(engine, "insides", n, "the inside view to follow a stroke")
    engine.eval("document.querySelector('#inside summary').click()")


def test_an_offline_reload_after_one_visit_starts(engine):
    engine.wait(f"{ROOT_ATTR}.offlineReady === 'true'", 120, "the service worker to hold the app")
    engine.server.stop()                      # the host is gone: only the service worker answers
    engine.reload()
    engine.drawn = 0
    engine.wait(f"{ROOT_ATTR}.ready === 'true' || {ROOT_ATTR}.error", 120, "ready, offline")
    assert data(engine, "error") is None, f"{engine.name}: offline start failed: {text(engine, '#fatal')}"
    draw(engine, SEVEN)
    assert text(engine, "#digit") == "7"

