"""One symbol at a time (issue 28), in the real page: a digit of a number is selected by click or
by keyboard, the whole answer describes it, and "Not right?" teaches that digit alone."""
from drawings import joined, number

# A 4, then a 1 written with a long flag that the shipped networks read as a 7 (70% sure)
FOUR_AND_FLAG_ONE = [[(x - 70, y) for x, y in s] for s in number("4", height=150)] + \
    [[(170, 120), (240, 60), (230, 220)]]

STORED = """async () => {
  const db = await new Promise((ok, no) => { const r = indexedDB.open("digitpad"); r.onsuccess = () => ok(r.result); r.onerror = no; });
  const all = await new Promise((ok) => { const r = db.transaction("samples").objectStore("samples").getAll(); r.onsuccess = () => ok(r.result); });
  db.close();
  return all.map((r) => r.sample || r);
}"""


def written(app, strokes):
    app.page.click("#auto-predict")              # one answer for the whole number
    app.draw(strokes)
    app.predict()


def selected(app) -> int:
    items = app.page.locator("#number-digits li")
    states = items.evaluate_all("ls => ls.map(l => l.getAttribute('aria-selected'))")
    assert states.count("true") == 1, states
    return states.index("true")


def select_and_wait(app, how):
    n = int(app.attr("selections") or 0)
    how()
    app.wait_attr("selections", n + 1)


def test_each_digit_of_2026_shows_its_own_answer(app):
    written(app, number("2026"))
    assert app.page.text_content("#number") == "2026"
    assert app.page.get_attribute("#number-digits", "role") == "listbox"
    assert selected(app) == 0                    # none is uncertain: the first
    for i, d in enumerate("2026"):
        select_and_wait(app, lambda: app.page.click(f"#number-digits li:nth-child({i + 1})"))
        assert selected(app) == i
        assert app.page.locator("#top3 li").first.get_attribute("data-digit") == d
        probs = app.probabilities()
        assert max(range(10), key=probs.__getitem__) == int(d) and probs[int(d)] > 0.5
        assert app.digit() == d and app.page.text_content("#verdict-text") == f"Digit {i + 1} of 4: accepted"
        assert app.page.text_content("#number") == "2026"          # the headline stays the number


def test_the_least_certain_digit_is_selected_and_outlined(app):
    written(app, FOUR_AND_FLAG_ONE)
    assert app.page.text_content("#number") == "47"
    assert selected(app) == 1 and app.digit() == "7"
    # the outline, in the selection's blue, is painted around the right-hand symbol only
    cols = outline_columns(app)
    assert sum(cols[150:]) > 50 and sum(cols[:120]) == 0


def outline_columns(app) -> list[int]:
    """How many pixels of the selection's blue outline each column of the pad (in pad units) holds."""
    return app.page.eval_on_selector("#pad", """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const out = new Array(280).fill(0);
        for (let i = 0; i < d.length; i += 4) { const p = i / 4, x = Math.floor((p % c.width) * 280 / c.width);
          if (d[i + 2] > 150 && d[i] < 80 && d[i + 1] < 130) out[x]++; }
        return out; }""")


def test_a_number_written_in_one_stroke_is_read_and_its_second_digit_outlined(app):
    (line,) = joined("10")
    written(app, [line])
    assert app.page.text_content("#number") == "10"
    select_and_wait(app, lambda: app.page.click("#number-digits li:nth-child(2)"))
    assert selected(app) == 1 and app.digit() == "0"
    cols = outline_columns(app)
    one = max(x for x, _ in line[:2])              # the 1: the stroke's first two points
    assert sum(cols[int(one) + 20:]) > 50 and sum(cols[:int(one) + 5]) == 0    # the 0's piece, not the stroke


def test_a_misread_digit_is_taught_alone_and_the_number_reads_right(app):
    written(app, FOUR_AND_FLAG_ONE)
    assert app.page.text_content("#number") == "47" and selected(app) == 1
    fits, n = int(app.attr("fits") or 0), app.predictions
    app.page.click("#fix-1")
    app.wait_attr("fits", fits + 1)
    app.wait_predictions(n + 1)
    assert app.page.text_content("#number") == "41" and selected(app) == 1 and app.digit() == "1"
    stored = app.page.evaluate(STORED)
    assert len(stored) == 1 and stored[0]["label"] == "1"
    assert len(stored[0]["strokes"]) == 1        # the 1's one stroke: not the 4's two
    xs = [p[0] for s in stored[0]["strokes"] for p in s["points"]]
    assert min(xs) >= 160                        # where the 1 is on the pad


def test_the_sweep_turns_the_selected_digit_alone(app):
    written(app, number("42"))
    select_and_wait(app, lambda: app.page.click("#number-digits li:nth-child(2)"))
    n = int(app.attr("sweeps") or 0)
    app.page.click("#sweep")
    app.wait_attr("sweeps", n + 1)
    rows = app.page.locator("#sweep-list li").evaluate_all("ls => ls.map(l => [Number(l.dataset.angle), l.dataset.digit])")
    assert len(rows) == 36 and rows[0] == [0, "2"]
    assert app.page.locator("#sweep-list li").evaluate_all("ls => ls.filter(l => l.dataset.digit === '4').length") < 18


def test_the_keyboard_alone_selects_and_teaches(app):
    page = app.page
    page.click("#auto-predict")
    app.draw(FOUR_AND_FLAG_ONE)
    n = app.predictions
    page.focus("#predict")
    page.keyboard.press("Enter")                                 # the Predict button, from the keyboard
    app.wait_predictions(n + 1)
    for _ in range(40):                                          # Tab on, as a keyboard user would
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#number-digits') !== null"):
            break
    assert page.evaluate("document.activeElement.getAttribute('aria-selected')") == "true"   # the list's one stop
    select_and_wait(app, lambda: page.keyboard.press("Home"))
    assert selected(app) == 0 and app.digit() == "4"
    assert page.evaluate("document.activeElement.closest('#number-digits') !== null")   # focus went along
    select_and_wait(app, lambda: page.keyboard.press("ArrowRight"))
    assert selected(app) == 1 and app.digit() == "7"
    assert page.text_content("#number") == "47"                  # the arrows did not move the drawing
    fits, n = int(app.attr("fits") or 0), app.predictions
    page.keyboard.press("1")
    app.wait_attr("fits", fits + 1)
    app.wait_predictions(n + 1)
    assert page.text_content("#number") == "41" and selected(app) == 1
