"""Numbers read from the whole pad, and why the network chose its digit, in the real page."""
import numpy as np
import pytest

from drawings import SEVEN, five_with_a_floating_bar, number


def read(app) -> str:
    return app.page.text_content("#number")


@pytest.mark.parametrize("text", ["2026", "42", "907", "518364"])
def test_numbers_drawn_with_the_mouse_are_read(app, text):
    app.page.click("#auto-predict")
    app.draw(number(text))
    app.predict()
    assert read(app) == text
    assert app.verdict() == "multiple" and f"of {len(text)}:" in app.page.text_content("#verdict-text")
    digits = app.page.locator("#number-digits li")
    assert digits.count() == len(text)
    assert [d for d in digits.evaluate_all("ls => ls.map(l => l.dataset.digit)")] == list(text)
    pixels = app.page.eval_on_selector("#number-digits canvas", "c => Array.from(c.getContext('2d').getImageData(0, 0, 28, 28).data).filter((v, i) => i % 4 == 0 && v > 128).length")
    assert pixels > 20                               # each digit's model's-eye image is painted


def test_ten_digits_in_a_row_with_a_thin_pen(app):
    app.page.click("#auto-predict")
    app.page.fill("#pen-width", "6")
    app.page.dispatch_event("#pen-width", "input")
    app.draw(number("3141592653", gap=0.35))
    app.predict()
    assert read(app) == "3141592653"


def test_the_number_follows_every_stroke_and_empties_with_the_pad(app):
    strokes = number("42")
    app.draw(strokes[:2])                            # the 4, in two strokes
    app.wait_predictions(2)
    assert read(app) == "4" and app.verdict() == "accepted"
    app.draw(strokes[2:])
    app.wait_predictions(3)
    assert read(app) == "42"
    app.page.click("#clear")
    app.wait_predictions(4)
    assert read(app) == "" and app.page.locator("#number-digits li").count() == 0


def test_a_five_with_a_floating_bar_stays_one_digit(app):
    app.page.click("#auto-predict")
    app.draw(five_with_a_floating_bar())
    app.predict()
    assert read(app) == "5" and app.verdict() == "accepted" and app.digit() == "5"


HEAT = "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let g = 0, o = 0;" \
       " for (let i = 0; i < d.length; i += 4) { if (d[i + 1] > d[i] + 40 && d[i + 1] > d[i + 2] + 40) g++;" \
       " if (d[i] > d[i + 2] + 80 && d[i + 1] > d[i + 2] + 30 && d[i] > d[i + 1]) o++; } return [g, o]; }"


def green_rows(app) -> np.ndarray:
    """Per pad row (in pad units), how many green (evidence) pixels the pad shows."""
    rows = app.page.eval_on_selector("#pad", """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const out = new Array(280).fill(0);
        for (let i = 0; i < d.length; i += 4) { const p = i / 4, y = Math.floor(Math.floor(p / c.width) * 280 / c.height);
          if (d[i + 1] > d[i] + 30 && d[i + 1] > d[i + 2] + 30) out[y]++; }
        return out; }""")
    return np.array(rows)


def test_the_heat_map_appears_and_lies_on_the_ink(app):
    app.page.click("#explain-toggle")
    app.wait_attr("predictions", 1)                   # switching it on asks again (an empty pad: nothing to explain)
    app.draw(SEVEN)
    app.page.wait_for_selector("html[data-explains='1']", state="attached", timeout=30_000)
    green, _ = app.page.eval_on_selector("#explain", HEAT)
    assert green > 10                                 # evidence painted over the model's eye
    assert "Evidence for 7" in app.page.text_content("#explain-text")
    rows = green_rows(app)
    assert rows[40:110].sum() > rows[150:280].sum()   # most evidence for 7 (over 1) lies on the bar, at y = 70


def test_the_heat_map_follows_the_ink(app):
    """Normalized, the network sees the same image wherever the 7 is: the heat map must move with it."""
    app.page.click("#explain-toggle")
    app.draw(SEVEN)
    app.page.wait_for_selector("html[data-explains='1']", state="attached", timeout=30_000)
    before = green_rows(app)
    app.page.click("#auto-predict")                   # move five steps, then ask once
    for _ in range(5):
        app.page.click("#move-down")
    app.predict()
    app.page.wait_for_selector("html[data-explains='2']", state="attached", timeout=60_000)
    after = green_rows(app)
    shift = (np.arange(280) * after).sum() / after.sum() - (np.arange(280) * before).sum() / before.sum()
    assert 45 <= shift <= 55                          # 5 steps of 10 pad units down: the heat went along


def test_the_heat_map_is_off_by_default_and_costs_nothing(app):
    app.draw(SEVEN)
    app.wait_predictions(1)
    assert app.attr("explains") is None


def test_a_number_is_explained_one_selected_digit_at_a_time(app):
    """With several symbols the heat map explains the selected digit, and lies over its ink."""
    app.page.click("#explain-toggle")
    app.wait_attr("predictions", 1)
    app.page.click("#auto-predict")
    app.draw(number("42"))
    app.predict()
    assert read(app) == "42" and app.verdict() == "multiple"
    app.page.wait_for_selector("html[data-explains='1']", state="attached", timeout=30_000)
    assert "Evidence for 4" in app.page.text_content("#explain-text")     # the first: none is uncertain
    app.page.click("#number-digits li:nth-child(2)")
    app.page.wait_for_selector("html[data-explains='2']", state="attached", timeout=30_000)
    assert "Evidence for 2" in app.page.text_content("#explain-text")
    cols = app.page.eval_on_selector("#pad", """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const out = new Array(280).fill(0);
        for (let i = 0; i < d.length; i += 4) { const p = i / 4, x = Math.floor((p % c.width) * 280 / c.width);
          if (d[i + 1] > d[i] + 30 && d[i + 1] > d[i + 2] + 30) out[x]++; }
        return out; }""")
    assert sum(cols[140:]) > 5 * sum(cols[:140])       # the evidence lies on the 2, the right half
