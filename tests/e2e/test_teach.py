"""Teaching the page a person's handwriting (issue 21): a wrong answer fixed in one action,
learned at once in the page's Python, kept across a reload, forgotten on request."""
import shutil

import pytest

from buildtools.site import locate

from .conftest import Server

# A 1 with a long flag: the shipped networks read it as a 7 (the issue's pen writers' trouble)
def one(dx=0, dy=0):
    return [[(60 + dx, 130 + dy), (170 + dx, 50 + dy), (150 + dx, 230 + dy)]]


LETTER_B = [[(100, 40), (100, 230)], [(100, 160), (150, 130), (180, 180), (150, 230), (100, 220)]]   # accepted as a 6


def redraw(app, strokes):
    """Clear, draw, and wait for the answer to the last stroke (each stroke is answered, or skipped
    when the next one follows at once: count them, not the predictions)."""
    if app.page.get_attribute("#pad", "data-strokes") not in (None, "0"):
        n = app.predictions
        app.page.click("#clear")
        app.wait_predictions(n + 1)
    app.drawn = getattr(app, "drawn", 0) + len(strokes)
    app.draw(strokes)
    app.wait_attr("stroke-answered", app.drawn)


def teach(app, how="#fix-1"):
    fits, n = int(app.attr("fits") or 0), app.predictions
    if how.startswith("#"):
        app.page.click(how)
    else:
        app.page.locator("body").press(how)      # the key, as a person at a keyboard would
    app.wait_attr("fits", fits + 1)
    app.wait_predictions(n + 1)                  # the same drawing, read again


def test_a_misread_digit_taught_three_times_is_read_right_then_forgotten_and_kept(app, server):
    redraw(app, one())
    assert app.digit() == "7"                    # the shipped networks misread it
    teach(app, "#fix-1")
    assert app.digit() == "1"                    # the same drawing, read as taught
    for i, (dx, dy) in enumerate([(8, -5), (-6, 6)]):
        redraw(app, one(dx, dy))
        teach(app, "1" if i else "#fix-1")
    assert app.page.get_attribute("html", "data-personal-samples") == "3"
    redraw(app, one(4, 3))                       # a fourth drawing, never taught
    assert app.digit() == "1"
    app.page.wait_for_selector("#personal-stats:has-text('Read right by heads fitted without each')")
    assert app.page.is_checked("#personal")
    n = app.predictions
    app.page.click("#personal-reset")            # the shipped answer is back; the samples stay
    app.wait_predictions(n + 1)
    assert app.digit() == "7" and not app.page.is_checked("#personal")
    kept = int(app.attr("kept"))
    teach(app, "#fix-1")                         # learns from every stored sample again
    app.wait_attr("kept", kept + 1)              # what the reload below expects to find
    fits = app.attr("fits")
    app.page.reload()
    app.wait_ready()
    app.drawn = 0
    app.page.wait_for_selector("html[data-heads-ms]", state="attached")
    assert app.attr("fits") is None              # the heads kept from before, in force without a refit
    assert app.page.text_content("#personal-stats").startswith("Learned from 4 samples")   # the 3, and the one taught after the reset
    redraw(app, one(4, 3))
    assert app.digit() == "1" and fits is not None and app.page.is_checked("#personal")
    # without what was kept (storage cleared, or another build's networks), the samples are refitted
    app.page.evaluate("() => new Promise((ok) => { const r = indexedDB.deleteDatabase('digitpad-kept'); r.onsuccess = r.onblocked = ok; })")
    app.page.reload()
    app.wait_ready()
    app.drawn = 0
    app.wait_attr("fits", "1")
    redraw(app, one(4, 3))
    assert app.digit() == "1"


def test_a_symbol_wrongly_accepted_is_taught_as_not_a_digit(app):
    redraw(app, LETTER_B)
    assert app.verdict() == "accepted"
    teach(app, "#fix-not")
    assert app.verdict() == "rejected"


@pytest.fixture
def damaged_personal(dist, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(dist, site)
    path = locate(site, "models/personal.bin")
    path.write_bytes(path.read_bytes()[:1000])
    s = Server(site)
    yield s
    s.stop()


def test_a_damaged_personal_file_says_so_and_keeps_the_shipped_answers(make_app, damaged_personal):
    app = make_app(damaged_personal.origin).open(damaged_personal.url)
    redraw(app, one())
    app.page.click("#fix-1")
    app.page.wait_for_selector("#message:has-text('The page keeps the shipped answers')")
    assert "personal.bin is damaged" in app.page.text_content("#message")
    assert app.digit() == "7"
    assert app.page.text_content("#collect-counts").startswith("1 stored")     # the sample is kept


def test_what_was_taught_works_offline_and_travels_in_an_export(make_app, server, tmp_path):
    app = make_app(server.origin, service_workers="allow").open(server.url)
    app.page.wait_for_selector("html[data-offline-ready='true']", state="attached", timeout=90_000)
    redraw(app, one())
    teach(app, "#fix-1")                         # personal.bin passes through the service worker
    app.page.wait_for_selector("#personal-stats:has-text('Learned from 1 samples')")
    app.wait_attr("kept", 1)                     # the reload below expects the heads kept
    app.page.context.set_offline(True)
    app.page.reload()
    app.wait_ready()
    app.page.wait_for_selector("html[data-heads-ms]", state="attached")   # in force offline, as kept
    app.drawn = 0
    redraw(app, one(4, 3))
    assert app.digit() == "1"
    with app.page.expect_download() as dl:
        app.page.click("#collect-export")
    path = tmp_path / "samples.json"
    dl.value.save_as(path)
    other = make_app(server.origin).open(server.url)   # another browser: import, then switch it on
    other.page.set_input_files("#collect-import", str(path))
    other.page.wait_for_selector("#collect-counts[data-total='1']", state="attached")
    redraw(other, one(4, 3))
    assert other.digit() == "7"
    n = other.predictions
    other.page.check("#personal")
    other.wait_predictions(n + 1)
    assert other.digit() == "1"


def test_until_what_was_taught_is_in_force_the_answer_says_so(app):
    redraw(app, one())
    teach(app, "#fix-1")
    app.wait_attr("kept", 1)                     # the heads are kept for the next visit
    held = []
    app.page.route("**/personal*.bin", lambda route: held.append(route))   # held back: the heads cannot load yet
    app.page.reload()
    app.wait_ready()
    app.drawn = 0
    app.page.wait_for_function("document.getElementById('personal-stats').textContent.startsWith('Loading')")
    redraw(app, one(4, 3))
    assert app.digit() == "7" and "still loading" in app.page.text_content("#message")   # the shipped answer, said so
    assert app.attr("heads-ms") is None
    for route in held:
        route.continue_()
    app.page.wait_for_selector("html[data-heads-ms]", state="attached")
    app.wait_predictions(2)                      # the same drawing, read again through the heads
    assert app.digit() == "1" and "still loading" not in app.page.text_content("#message")


# A second tab of the same site holds the kept heads' store in a read-write transaction (kept alive
# by a chain of reads), so the page's write of a fit's heads waits behind it: a reload then lands in
# the middle of the write.
HOLD = """() => new Promise((held, failed) => {
  const r = indexedDB.open("digitpad-kept");
  r.onerror = () => failed(r.error);
  r.onsuccess = () => {
    const tx = r.result.transaction("heads", "readwrite"), store = tx.objectStore("heads");
    let holding = true;
    const spin = () => { if (holding) store.count().onsuccess = spin; };
    spin();
    window.release = () => new Promise((ok) => { holding = false; tx.oncomplete = ok; });
    held();
  };
})"""


def test_a_reload_in_the_middle_of_the_write_refits_cleanly_and_says_so(app, server):
    redraw(app, one())
    teach(app, "#fix-1")
    app.wait_attr("kept", 1)                     # heads for 1 sample are kept
    assert app.page.text_content("#personal-stats").endswith("Kept for your next visit.")
    holder = app.page.context.new_page()
    holder.goto(server.origin + "/build.json")   # any page of the site: IndexedDB is per origin
    holder.evaluate(HOLD)
    redraw(app, one(8, -5))
    teach(app, "1")                              # fitted on 2 samples; the write waits behind the holder
    assert app.attr("kept") == "1" and "Kept for your next visit" not in app.page.text_content("#personal-stats")
    app.page.reload()                            # the write is still pending
    holder.evaluate("() => window.release()")
    app.wait_ready()
    app.drawn = 0
    app.wait_attr("fits", "1")                   # the heads kept for 1 sample are not used for 2: refitted
    stats = app.page.text_content("#personal-stats")
    assert stats.startswith("Learned from 2 samples") and "Fitted again at this visit" in stats
    app.wait_attr("kept", 1)                     # and the refit's heads are kept
    redraw(app, one(4, 3))
    assert app.digit() == "1"
    app.page.reload()                            # once kept, the next visit needs no fit
    app.wait_ready()
    app.page.wait_for_selector("html[data-heads-ms]", state="attached")
    assert app.attr("fits") is None and "Fitted again" not in app.page.text_content("#personal-stats")
