"""Hostile or careless use (issue 12): each test reproduces what went wrong before the fix."""
import json

import pytest

from .conftest import ARGS, CHROMIUM, App
from drawings import ONE, SEVEN



def counts(app) -> int:
    app.page.wait_for_selector("#collect-counts[data-total]", state="attached")
    return int(app.page.get_attribute("#collect-counts", "data-total"))


def store(app, label="1"):
    n = counts(app)
    app.page.click(f"#collect-{label}")
    app.page.wait_for_selector(f"#collect-counts[data-total='{n + 1}']", state="attached")


def python_worker(app):
    return next(w for w in app.page.workers if w.url.endswith("python-worker.js"))


def test_a_deeply_nested_file_is_refused_and_python_keeps_working(app, tmp_path):
    """12.1: 5,000 nested [ crashed Pyodide for good; later actions never answered."""
    app.page.click("#auto-predict")
    for name, text in [("brackets.json", "[" * 5000 + "]" * 5000),
                       ("objects.json", '{"a":' * 50000 + "1" + "}" * 50000)]:
        (tmp_path / name).write_text(text)
        app.page.set_input_files("#collect-import", str(tmp_path / name))
        app.page.wait_for_selector(f"#collect-message:has-text('{name} was not imported')")
        assert "nests more than" in app.page.text_content("#collect-message")
    app.draw(SEVEN)
    app.predict()                                     # Python still answers
    assert app.digit() == "7" and app.page.is_hidden("#fatal")


def test_a_python_that_fails_for_good_says_so_and_offers_a_reload(app):
    app.draw(SEVEN)
    app.wait_predictions(1)
    python_worker(app).evaluate("() => self.failPythonForTest()")
    app.page.click("#predict")
    app.page.wait_for_selector("#fatal:has-text('Python stopped working')")
    assert app.page.is_visible("#reload") and app.attr("error") == "python"
    app.page.click("#rotate-right")                   # later actions are answered, not queued forever
    app.page.wait_for_selector("#message:has-text('Python stopped working')")
    app.page.click("#reload")
    app.wait_ready()
    assert app.page.is_hidden("#fatal")


def test_a_hard_reload_after_a_visit_starts(make_app, server):
    """12.2: Shift+Reload stayed at "Starting…": the page waited for a service worker it never got."""
    app = make_app(server.origin, service_workers="allow")
    app.open(server.url)
    app.wait_attr("offline-ready", "true", timeout=90_000)
    app.page.context.new_cdp_session(app.page).send("Page.reload", {"ignoreCache": True})
    app.page.wait_for_selector("html:not([data-ready])", state="attached")
    app.wait_ready()
    assert app.page.evaluate("() => navigator.serviceWorker.controller") is None   # bypassed, yet started
    app.draw(SEVEN)
    app.wait_predictions(1)
    assert app.digit() == "7"


def test_blocked_site_storage(browser, server, tmp_path):
    """12.3: with cookies off, localStorage threw at start-up and the pad never came up."""
    profile = tmp_path / "profile"
    (profile / "Default").mkdir(parents=True)
    (profile / "Default" / "Preferences").write_text(json.dumps(
        {"profile": {"default_content_setting_values": {"cookies": 2}}}))        # "Block all cookies"
    ctx = browser.browser_type.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=ARGS)
    try:
        app = App(ctx.pages[0] if ctx.pages else ctx.new_page(), server.origin)
        assert app.page.evaluate("() => { try { localStorage.length; return 'allowed'; } catch { return 'blocked'; } }") == "blocked"
        app.open(server.url)
        app.draw(SEVEN)
        app.wait_predictions(1)
        assert app.digit() == "7"
        app.page.wait_for_selector("#collect-counts[data-total='unavailable']", state="attached")
        assert "site storage is blocked" in app.page.text_content("#collect-counts")
        app.page.click("#collect-7")
        app.page.wait_for_selector("#collect-message:has-text('still on the pad')")
    finally:
        ctx.close()


def test_zooming_in_100_times_then_storing_keeps_the_store_readable(app, tmp_path):
    """12.4: coordinates of ~1e10 were stored; the whole store was then "unreadable"."""
    app.page.click("#auto-predict")
    app.draw(ONE)
    store(app, "1")
    app.page.locator("#pad").focus()
    for _ in range(100):
        app.page.keyboard.press("+")
    app.page.wait_for_selector("#message:has-text('as large as it can get')")
    store(app, "1")
    with app.page.expect_download() as dl:
        app.page.click("#collect-export")
    doc = json.loads(open(dl.value.path()).read())
    assert len(doc["samples"]) == 2
    biggest = max(abs(v) for s in doc["samples"] for st in s["strokes"] for p in st["points"] for v in p)
    assert biggest < 2000
    (tmp_path / "back.json").write_text(json.dumps(doc))
    app.page.set_input_files("#collect-import", str(tmp_path / "back.json"))
    app.page.wait_for_selector("#collect-message:has-text('Imported 0 new samples')")


def test_two_tabs_storing_at_once_lose_nothing_and_both_counts_follow(make_app, server):
    """12.5: a Store in one tab and an import or Store in another lost samples, and both said "Stored"."""
    a = make_app(server.origin).open(server.url)
    b = App(a.page.context.new_page(), server.origin).open(server.url)
    for app, stroke in ((a, ONE), (b, SEVEN)):
        app.page.click("#auto-predict")
        app.draw(stroke)
    for i in range(10):
        b.page.evaluate("() => setTimeout(() => document.getElementById('collect-7').click(), 0)")
        a.page.click("#collect-1")
        for app in (a, b):                     # each tab's drawing moves a little: a new sample each round
            app.page.click("#move-right" if i % 2 == 0 else "#move-down")
    for app in (a, b):
        app.page.wait_for_selector("#collect-counts[data-total='20']", state="attached", timeout=30_000)
    assert "1: 10" in a.page.text_content("#collect-counts") and "7: 10" in b.page.text_content("#collect-counts")


def test_choosing_a_backend_with_storage_full_still_switches_and_says_so(make_app, server):
    """12.8: the selector failed silently (an uncaught QuotaExceededError)."""
    app = make_app(server.origin)
    app.page.add_init_script("""Storage.prototype.setItem = function () {
        throw new DOMException('quota', 'QuotaExceededError'); };""")
    app.open(server.url)
    app.page.select_option("#backend-select", "webgl")
    app.page.wait_for_url("**backend=webgl**")
    app.wait_ready()
    assert app.page.text_content("#backend") == "webgl"
    assert "applies to this visit only" in app.page.text_content("#backend-note")


def big_samples_file(path, n: int) -> None:
    import numpy as np
    t = np.linspace(0, 2 * np.pi, 60)
    samples = [{"label": str(i % 10), "image": [0] * 784, "strokes": [{"tool": "pen", "width": 18, "points":
               np.c_[140 + (20 + i % 97) * np.cos(t), 140 + (20 + i // 97) * np.sin(t)].round(3).tolist()}]} for i in range(n)]
    path.write_text(json.dumps({"format": "digitpad-samples", "version": 1, "samples": samples}))


def test_a_big_import_shows_progress_and_the_pad_stays_usable(app, tmp_path):
    """12.9: a 61 MB import showed nothing for 28 s and was parsed on the main thread."""
    big_samples_file(tmp_path / "big.json", 6000)
    app.page.set_input_files("#collect-import", str(tmp_path / "big.json"))
    app.page.wait_for_selector("#collect-message:has-text('samples checked')", timeout=60_000)
    app.page.click("#auto-predict")
    app.draw(SEVEN)                                   # the page takes a drawing meanwhile
    app.page.wait_for_selector("#collect-message:has-text('Imported')", timeout=300_000)
    assert "Imported 6000 new samples" in app.page.text_content("#collect-message")
    assert counts(app) == 6000


def test_an_import_chosen_while_loading_is_done_when_ready(make_app, server, tmp_path):
    """12.10: an import chosen before Python was ready was dropped without a word."""
    big_samples_file(tmp_path / "early.json", 3)
    app = make_app(server.origin)
    app.open(server.url, wait=False)
    app.page.set_input_files("#collect-import", str(tmp_path / "early.json"))
    if app.attr("ready") != "true":
        assert "will be imported as soon as it is ready" in app.page.text_content("#collect-message")
    app.wait_ready()
    app.page.wait_for_selector("#collect-message:has-text('Imported 3 new samples')", timeout=60_000)


def test_a_sample_twice_in_one_file_is_kept_once(app, tmp_path):
    """12.11: two identical samples in one file were both kept."""
    big_samples_file(tmp_path / "one.json", 1)
    doc = json.loads((tmp_path / "one.json").read_text())
    doc["samples"] *= 2
    (tmp_path / "twice.json").write_text(json.dumps(doc))
    app.page.set_input_files("#collect-import", str(tmp_path / "twice.json"))
    app.page.wait_for_selector("#collect-message:has-text('Imported 1 new samples')")
    assert counts(app) == 1


def test_undo_after_a_thousand_rotations_brings_the_drawing_back(app):
    """12.12: undo kept 200 steps, so the original was gone after 1,000 rotations."""
    app.page.click("#auto-predict")
    app.draw(SEVEN)
    app.predict()
    first = app.page.locator("#eye").screenshot()
    app.page.locator("#pad").focus()
    for _ in range(1000):
        app.page.keyboard.press("]")
    app.page.click("#undo")
    app.predict()
    assert app.page.locator("#eye").screenshot() == first


@pytest.mark.parametrize("interrupt", ["clear", "stroke"])
def test_clear_or_a_new_stroke_ends_a_running_sweep(app, interrupt):
    """12.13: after Clear the empty pad said "350°: 7 (100%)"; a new stroke was shown rotated."""
    app.draw(SEVEN)
    app.wait_predictions(1)
    app.page.click("#sweep")
    app.page.wait_for_selector("html[data-sweeps='1']", state="attached")
    if interrupt == "clear":
        app.page.click("#clear")
        app.wait_predictions(2)
        assert app.verdict() == "empty"
    else:
        app.draw(ONE)
        app.wait_predictions(2)
    assert app.page.is_enabled("#sweep") and app.page.is_disabled("#sweep-stop")
    assert "°:" not in app.page.text_content("#message")
    assert app.page.evaluate("() => document.documentElement.dataset.sweepAngle || '0'") == "0"
