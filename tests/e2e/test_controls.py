"""Every control of the page, used the way a person uses it (wasm backend)."""
import pytest
from drawings import ONE, SEVEN



def test_page_loads_and_nothing_leaves_the_origin(app):
    assert app.page.text_content("#backend") == "wasm"
    assert app.verdict() == "empty" and app.digit() == "?"
    app.draw(SEVEN)
    app.wait_predictions(1)          # auto-predict when a stroke ends is on by default
    assert app.digit() == "7" and app.verdict() == "accepted"
    assert not app.foreign_requests(), app.foreign_requests()


def test_probabilities_chart_and_top3(app):
    app.draw(SEVEN)
    app.wait_predictions(1)
    p = app.probabilities()
    assert len(p) == 10 and sum(p) == pytest.approx(1, abs=2e-3) and max(p) == p[7]
    top = app.page.locator("#top3 li").all_text_contents()
    assert len(top) == 3 and top[0].startswith("7:")
    assert app.page.locator("#probabilities li.best").get_attribute("data-digit") == "7"


def test_enter_predicts_and_auto_predict_can_be_turned_off(app):
    app.page.click("#auto-predict")
    app.draw(ONE)
    app.page.locator("#pad").focus()
    assert app.predictions == 0
    app.page.keyboard.press("Enter")
    app.wait_predictions(1)
    assert app.digit() == "1"


def test_clear_button_and_delete_key_and_empty_pad(app):
    app.draw(SEVEN)
    app.wait_predictions(1)
    app.page.click("#clear")
    app.wait_predictions(2)
    assert app.verdict() == "empty" and app.digit() == "?"
    assert "Draw" in app.page.text_content("#message")
    app.draw(ONE)
    app.wait_predictions(3)
    app.page.locator("#pad").focus()
    app.page.keyboard.press("Delete")
    app.wait_predictions(4)
    assert app.verdict() == "empty"
    app.page.keyboard.press("Backspace")       # on an empty pad it stays empty
    app.wait_predictions(5)
    app.predict()                              # predicting an empty pad asks for a drawing
    assert app.verdict() == "empty" and "Draw" in app.page.text_content("#message")


def test_undo_button_and_ctrl_z(app):
    app.draw(SEVEN)
    app.wait_predictions(1)
    app.draw([[(60, 240), (220, 240)]])
    app.wait_predictions(2)
    app.page.click("#undo")
    app.wait_predictions(3)
    assert app.digit() == "7"
    app.page.locator("#pad").focus()
    app.page.keyboard.press("Control+z")
    app.wait_predictions(4)
    assert app.verdict() == "empty"


def test_eraser(app):
    app.page.click("#auto-predict")
    app.draw(ONE)
    app.predict()
    before = app.page.locator("#eye").screenshot()
    app.page.click("#eraser")
    assert app.page.get_attribute("#eraser", "aria-pressed") == "true"
    app.draw([[(100, 140), (180, 140)]])
    app.predict()
    assert app.page.locator("#eye").screenshot() != before


def test_normalization_toggle_and_predict_colour(app):
    green = app.page.eval_on_selector("#predict", "e => getComputedStyle(e).backgroundColor")
    app.draw([[(20, 20), (20, 60)]])             # a tiny 1 in a corner
    app.wait_predictions(1)
    assert app.digit() == "1"
    app.page.click("#normalize-toggle")
    app.wait_predictions(2)
    blue = app.page.eval_on_selector("#predict", "e => getComputedStyle(e).backgroundColor")
    assert green == "rgb(25, 116, 65)" and blue == "rgb(31, 95, 191)"   # green darkened for AA contrast
    # a plain downscale sees a few grey pixels in a corner: position and size matter
    eye = app.page.eval_on_selector("#eye", "c => Array.from(c.getContext('2d').getImageData(0,0,28,28).data)")
    lit = [i // 4 for i in range(0, len(eye), 4) if eye[i] > 0]
    assert lit and max(i % 28 for i in lit) < 8 and max(i // 28 for i in lit) < 8


def test_normalize_button_rescales_and_centres(app):
    app.draw([[(20, 20), (20, 60)]])
    app.wait_predictions(1)
    app.page.click("#normalize-toggle")
    app.wait_predictions(2)
    app.page.click("#normalize")
    app.wait_predictions(3)
    eye = app.page.eval_on_selector("#eye", "c => Array.from(c.getContext('2d').getImageData(0,0,28,28).data)")
    lit = [i // 4 for i in range(0, len(eye), 4) if eye[i] > 128]
    rows = [i // 28 for i in lit]
    assert min(rows) <= 7 and max(rows) >= 20    # now fills the pad the way MNIST fills 28x28


@pytest.mark.parametrize("button,key", [("#move-right", "ArrowRight"), ("#move-down", "ArrowDown"),
                                        ("#move-left", "ArrowLeft"), ("#move-up", "ArrowUp")])
def test_move_buttons_and_arrow_keys(app, button, key):
    app.page.click("#normalize-toggle")          # off, so position shows in the model's eye
    app.draw(ONE)
    app.wait_predictions(2)
    shot0 = app.page.locator("#eye").screenshot()
    app.page.click(button)
    app.wait_predictions(3)
    shot1 = app.page.locator("#eye").screenshot()
    app.page.locator("#pad").focus()
    app.page.keyboard.press(key)
    app.wait_predictions(4)
    assert len({shot0, shot1, app.page.locator("#eye").screenshot()}) == 3


def test_zoom_and_rotate(app):
    app.page.click("#normalize-toggle")
    app.draw(SEVEN)
    app.wait_predictions(2)
    shots = [app.page.locator("#eye").screenshot()]
    for i, b in enumerate(["#zoom-in", "#zoom-out", "#rotate-right", "#rotate-left"]):
        app.page.click(b)
        app.wait_predictions(3 + i)
        shots.append(app.page.locator("#eye").screenshot())
    assert shots[1] != shots[0] and shots[3] != shots[2]


def test_rotating_36_times_keeps_the_image_sharp(app):
    app.draw(SEVEN)
    app.wait_predictions(1)
    first = app.page.locator("#eye").screenshot()
    app.page.locator("#pad").focus()
    for i in range(36):
        app.page.keyboard.press("]")
        app.wait_predictions(2 + i)
    assert app.digit() == "7"
    assert app.page.locator("#eye").screenshot() == first


def test_sweep_shows_36_answers_and_can_stop(app):
    app.draw([[(150, 60), (110, 140), (100, 190), (130, 225), (170, 200), (165, 160), (120, 160)]])   # a 6
    app.wait_predictions(1)
    app.page.click("#sweep")
    app.page.wait_for_selector("html[data-sweeps='1']", state="attached")
    rows = app.page.locator("#sweep-list li")
    assert rows.count() == 36
    angles = [int(float(r)) for r in rows.evaluate_all("ls => ls.map(l => l.dataset.angle)")]
    assert angles == list(range(0, 360, 10))
    digits = rows.evaluate_all("ls => ls.map(l => l.dataset.digit)")
    assert digits[0] == "6" and "9" in digits[15:22]       # upside down, a 6 is a 9
    app.page.wait_for_selector("#sweep-stop:disabled")     # the replay ends by itself
    app.page.click("#sweep")
    app.page.wait_for_selector("html[data-sweeps='2']", state="attached")
    app.page.click("#sweep-stop")
    assert app.page.is_enabled("#sweep") and "stopped" in app.page.text_content("#message")


INK = "c => Array.from(c.getContext('2d').getImageData(0,0,28,28).data).filter((v, i) => i % 4 == 0).reduce((a, b) => a + b)"


def test_pen_width_changes_the_ink(app):
    app.page.click("#auto-predict")
    app.draw(SEVEN)
    app.predict()
    thin = app.page.eval_on_selector("#eye", INK)
    app.page.click("#clear")
    app.page.fill("#pen-width", "36")
    app.page.dispatch_event("#pen-width", "input")
    app.draw(SEVEN)
    app.predict()
    thick = app.page.eval_on_selector("#eye", INK)
    assert thick > 1.3 * thin


def test_every_control_has_an_accessible_name_and_is_reachable_by_tab(app):
    controls = app.page.locator("button, input, select, summary, canvas#pad")
    names = controls.evaluate_all("""els => els.map(e => ({id: e.id, tag: e.tagName, hidden: e.ariaHidden === 'true',
        name: e.getAttribute('aria-label') || e.labels?.[0]?.textContent || e.textContent, tab: e.tabIndex}))""")
    for c in names:
        if c["hidden"]:               # behind a control of its own (the photo's file input, behind "Read a photo")
            assert c["tab"] < 0, f"{c} is hidden from screen readers, yet reachable with Tab"
            continue
        assert (c["name"] or "").strip(), f"{c} has no accessible name"
        assert c["tab"] >= 0, f"{c} is not reachable with Tab"
    assert [c["id"] for c in names if c["hidden"]] == ["photo"]


def test_help_section(app):
    app.page.click("#help summary")
    text = app.page.text_content("#help")
    for phrase in ["20×20", "probabilities", "Position and size matter", "6 and 9", "Thin and thick"]:
        assert phrase in text


def test_loading_progress_names_its_phases(make_app, server):
    a = make_app(server.origin)
    a.open(server.url, wait=False)
    phases = a.page.locator("#phases li").all_text_contents()
    assert phases == ["Python runtime", "numpy and Pillow", "Models"]
    a.draw(SEVEN)                                   # drawing works before Python is ready
    a.wait_ready()
    a.wait_predictions(1)                           # ... and is read once it is
    assert a.digit() == "7"
    assert a.page.locator("#loading").is_hidden()


def test_backend_policy_and_setting(make_app, server):
    app = make_app(server.origin)
    app.open(server.url, backend=None)              # automatic: SwiftShader is software, so wasm
    assert app.page.text_content("#backend") == "wasm"
    assert "software renderer" in app.page.text_content("#backend-note")
    app.page.select_option("#backend-select", "webgl")   # the setting reloads into webgl ...
    app.page.wait_for_url("**/?backend=webgl")
    app.wait_ready()
    assert app.page.text_content("#backend") == "webgl"
    app.page.goto(server.url)                        # ... and is remembered
    app.wait_ready()
    assert app.page.text_content("#backend") == "webgl"
    assert not any(u.endswith(".wasm") and "/ort/" in u for u in app.requests[-40:])
