"""Is it a digit at all, more than one symbol, and the Collect panel."""
import json

import numpy as np
import pytest

from train.negatives import SHAPES, fonts, glyph_strokes
from train.trace import image_to_strokes


def unit(polys, cx=140, cy=140, size=90):
    return [[(cx + size * x, cy + size * y) for x, y in np.asarray(p, float)] for p in polys]


def heldout_glyph(char):
    font = next(str(f) for f in fonts(heldout=True) if f.name.startswith("Humor-Sans"))
    return [s.points.tolist() for s in glyph_strokes(font, char)]


NON_DIGITS = {
    "star": lambda: unit(SHAPES["star"](np.random.default_rng(1))),
    "heart": lambda: unit(SHAPES["heart"](np.random.default_rng(1))),
    "arrow": lambda: unit(SHAPES["arrow"](np.random.default_rng(1))),
    "hash": lambda: unit(SHAPES["hash"](np.random.default_rng(1))),
    "smiley": lambda: unit(SHAPES["smiley"](np.random.default_rng(1))),
    "letter K": lambda: heldout_glyph("K"),
    "letter W": lambda: heldout_glyph("W"),
    "letter R": lambda: heldout_glyph("R"),
    "letter M": lambda: heldout_glyph("M"),
    "letter H": lambda: heldout_glyph("H"),
}


@pytest.fixture
def manual_app(app):
    app.page.click("#auto-predict")
    return app


def test_letters_and_shapes_drawn_with_the_mouse_are_rejected(manual_app):
    app = manual_app
    verdicts = {}
    for name, make in NON_DIGITS.items():
        app.draw(make())
        app.predict()
        verdicts[name] = app.verdict()
        app.page.click("#clear")
    rejected = [n for n, v in verdicts.items() if v == "rejected"]
    print(verdicts)
    assert len(rejected) >= 9, verdicts
    app.draw(NON_DIGITS["star"]())
    app.predict()
    assert app.page.locator("#results.rejected").count() == 1          # visibly marked
    assert app.page.text_content("#verdict-text") == "Rejected"
    assert app.digit() != "?" and len(app.probabilities()) == 10          # still shown, as in the reference


def test_mnist_digits_drawn_with_the_mouse_are_accepted(manual_app, mnist_test):
    app = manual_app
    x, _ = mnist_test
    verdicts = []
    for i in range(30):
        app.draw(image_to_strokes(x[i] / 255.0))
        app.predict()
        verdicts.append(app.verdict())
        app.page.click("#clear")
    assert verdicts.count("accepted") >= 29, verdicts
    assert app.page.text_content("#backend") == "wasm"


def test_two_digits_side_by_side_are_multiple(manual_app):
    app = manual_app
    one = [[(60, 80), (60, 200)]]
    zero = [[(200 + 40 * np.cos(t), 140 + 60 * np.sin(t)) for t in np.linspace(0, 2 * np.pi, 30)]]
    app.draw(one + zero)
    app.predict()
    assert app.verdict() == "multiple"
    bar = app.page.eval_on_selector("#verdict-bar .yes", "e => getComputedStyle(e).backgroundColor")
    assert bar == "rgb(224, 168, 0)"                                     # all yellow
    app.page.click("#undo")                                              # one symbol again
    app.predict()
    assert app.verdict() == "accepted" and app.digit() == "1"


def counts(app) -> int:
    app.page.wait_for_selector("#collect-counts[data-total]", state="attached")
    return int(app.page.get_attribute("#collect-counts", "data-total"))


def export(app) -> dict:
    with app.page.expect_download() as dl:
        app.page.click("#collect-export")
    return json.loads(open(dl.value.path()).read())


def test_collect_reload_export_import_round_trip(manual_app, server, tmp_path):
    app = manual_app
    for label, strokes in [("1", [[(140, 50), (140, 230)]]), ("7", [[(90, 70), (190, 70), (120, 220)]]),
                           ("not", NON_DIGITS["star"]())]:
        app.draw(strokes)
        app.page.click(f"#collect-{label}")
        app.page.wait_for_selector(f"#collect-message:has-text('Stored')")
        app.page.click("#clear")
    app.page.wait_for_selector("#collect-counts[data-total='3']", state="attached")
    assert "not a digit: 1" in app.page.text_content("#collect-counts")
    app.page.reload()
    app.wait_ready()
    assert counts(app) == 3                                              # survives a reload
    first = export(app)
    assert sorted(s["label"] for s in first["samples"]) == ["1", "7", "not-digit"]
    path = tmp_path / "samples.json"
    path.write_text(json.dumps(first))
    app.page.once("dialog", lambda d: d.accept())
    app.page.click("#collect-clear")
    app.page.wait_for_selector("#collect-counts[data-total='0']", state="attached")
    app.page.set_input_files("#collect-import", str(path))
    app.page.wait_for_selector("#collect-counts[data-total='3']", state="attached")
    assert export(app) == first                                          # nothing lost, nothing changed
    app.page.set_input_files("#collect-import", str(path))               # importing again adds nothing
    app.page.wait_for_selector("#collect-message:has-text('Imported 0 new')")


@pytest.mark.parametrize("content,reason", [("{not json", "not JSON"), ('{"a": 1}', "not a digitpad samples file"),
                                            ('{"format": "digitpad-samples", "version": 1, "samples": [{"label": "x"}]}', "sample 1")])
def test_bad_sample_files_are_refused_and_nothing_is_lost(manual_app, tmp_path, content, reason):
    app = manual_app
    app.draw([[(140, 50), (140, 230)]])
    app.page.click("#collect-1")
    app.page.wait_for_selector("#collect-counts[data-total='1']", state="attached")
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    app.page.set_input_files("#collect-import", str(bad))
    app.page.wait_for_selector("#collect-message:has-text('was not imported')")
    assert reason in app.page.text_content("#collect-message")
    assert counts(app) == 1


def test_storage_full_keeps_the_drawing_and_says_so(make_app, server):
    app = make_app(server.origin)
    app.open(server.url)
    cdp = app.page.context.new_cdp_session(app.page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": server.origin, "quotaSize": 1})
    app.page.click("#auto-predict")
    app.draw([[(140, 50), (140, 230)]])
    app.page.click("#collect-1")
    app.page.wait_for_selector("#collect-message:has-text('storage for the page is full')")
    assert "still on the pad" in app.page.text_content("#collect-message")
    app.predict()
    assert app.digit() == "1"                                            # the drawing is still there
