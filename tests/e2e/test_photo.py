"""Photos in the page (issue 27): chosen, dropped and pasted photos read as numbers by the page's
Python (the CPython reader is the oracle), several lines in order, EXIF turned photos upright, a
rectangle read alone, a symbol taught, every bad file refused with a message and the drawing kept,
and photos read offline after one."""
import base64
import json

import pytest

from drawings import SEVEN
from photos import bad_files, big_jpeg, form, photo, touching, turned_with_exif

from .conftest import Server

SEND = """([b64, how, name]) => {
  const bin = atob(b64), bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const dt = new DataTransfer();
  dt.items.add(new File([bytes], name, { type: "image/jpeg" }));
  const init = { bubbles: true, cancelable: true };
  if (how === "drop") document.querySelector("main").dispatchEvent(new DragEvent("drop", { ...init, dataTransfer: dt }));
  else document.dispatchEvent(new ClipboardEvent("paste", { ...init, clipboardData: dt }));
}"""


def send(app, data: bytes, how: str = "choose", tmp_path=None, name: str = "photo.jpg") -> None:
    if how == "choose":
        path = tmp_path / name
        path.write_bytes(data)
        app.page.set_input_files("#photo", str(path))
    else:
        app.page.evaluate(SEND, [base64.b64encode(data).decode(), how, name])


def read(app, data: bytes, how: str = "choose", tmp_path=None, name="photo.jpg") -> dict:
    """Send a photo and wait for its answer (or its error): what the page shows."""
    done = int(app.attr("photos") or 0) + int(app.attr("photo-errors") or 0)
    send(app, data, how, tmp_path, name)
    app.page.wait_for_function(f"() => Number(document.documentElement.dataset.photos || 0) + "
                               f"Number(document.documentElement.dataset.photoErrors || 0) > {done}", timeout=60_000)
    return {"number": app.page.text_content("#number"), "message": app.page.text_content("#message"),
            "lines": [li.text_content() for li in app.page.query_selector_all("#lines li")]}


@pytest.fixture(scope="module")
def oracle():
    from train.config import resolve
    from train.photos import PhotoReader
    return PhotoReader(resolve("models"))


@pytest.mark.parametrize("how", ["choose", "drop", "paste"])
def test_a_photo_is_read_chosen_dropped_or_pasted(app, tmp_path, oracle, how):
    p = photo(21, "scan", "ruled", "blue", 1)
    expected = oracle.read(p.jpeg)
    n = app.predictions
    got = read(app, p.jpeg, how, tmp_path)
    assert got["number"] == expected["number"] == p.lines[0]
    assert app.predictions == n + 1 and app.attr("mode") == "photo"
    boxes = app.page.evaluate("document.documentElement.dataset.photos")
    assert boxes == "1" and got["message"].startswith(f"Reads {p.lines[0]}")


def test_touching_digits_are_read_each_in_its_own_box(app, tmp_path, oracle):
    p = touching("386", 1)
    expected = oracle.read(p.jpeg)
    got = read(app, p.jpeg, tmp_path=tmp_path)
    assert got["number"] == expected["number"] == "386"
    # one box a digit: each listed under the number, and tapping the second one's selects it
    assert app.page.locator("#number-digits li").count() == 3
    quads = [s["quad"] for s in expected["photo"]["symbols"] if not s["rejected"]]
    assert len(quads) == 3 and max(quads[0][0::2]) <= min(quads[2][0::2])


def test_a_form_is_read_row_by_row_with_its_numbers_apart_and_saved_as_csv_columns(app, tmp_path, oracle):
    rows = [("Captain Morgan", "22", "Bar", "1"), ("Gin", "13", "Shelf", "4"), None, ("Limes", "7", "Back", "10")]
    p = form(rows)
    expected = [ln["number"] for ln in oracle.read(p.jpeg)["photo"]["lines"]]
    got = read(app, p.jpeg, tmp_path=tmp_path)
    # the words are no digits, and each row's numbers are parted by a space: as the oracle reads it
    assert [t.split(" (")[0] for t in got["lines"]] == expected == ["22 1", "13 4", "7 10"]
    with app.page.expect_download() as d:
        app.page.click("#photo-csv")
    csv = open(d.value.path()).read().splitlines()
    assert csv[0] == "line,number_1,number_2,uncertain_digits"
    assert [r.split(",")[1:3] for r in csv[1:]] == [["22", "1"], ["13", "4"], ["7", "10"]]


def test_a_phone_photo_stored_on_its_side_reads_upright(app, tmp_path):
    p = photo(22, "phone", "plain", "black", 1)
    assert read(app, turned_with_exif(p.jpeg), tmp_path=tmp_path)["number"] == p.lines[0]


def test_several_lines_are_listed_in_reading_order(app, tmp_path, oracle):
    p = photo(23, "scan", "squared", "pencil", 3)
    got = read(app, p.jpeg, tmp_path=tmp_path)
    assert [t.split(" ")[0] for t in got["lines"]] == p.lines == \
        [ln["number"] for ln in oracle.read(p.jpeg)["photo"]["lines"]]
    assert got["number"] == ""          # the headline is one line's; several go to the list
    # the list and the photo are linked: a line hovered or focused outlines its boxes, and a box
    # selected on the photo marks its line (and brings it into view)
    app.page.hover("#lines li:nth-child(2)")
    app.wait_attr("photo-lit", 1)
    app.page.focus("#lines li:nth-child(3)")
    app.wait_attr("photo-lit", 2)
    view = oracle.read(p.jpeg)["photo"]
    q = view["symbols"][view["lines"][2]["symbols"][0]]["quad"]     # the third line's first box
    box = app.page.locator("#photo-canvas").bounding_box()
    n = int(app.attr("photos"))
    app.page.mouse.click(box["x"] + box["width"] * sum(q[0::2]) / 4, box["y"] + box["height"] * sum(q[1::2]) / 4)
    app.wait_attr("photos", n + 1)
    assert app.page.eval_on_selector_all("#lines li", "l => l.map((e) => e.getAttribute('aria-current'))") == \
        [None, None, "true"]
    with app.page.expect_download() as d:
        app.page.click("#photo-csv")
    rows = open(d.value.path()).read().splitlines()
    assert rows[0] == "line,number,uncertain_digits" and [r.split(",")[1] for r in rows[1:]] == p.lines


def test_a_rectangle_dragged_on_the_photo_reads_only_that_part(app, tmp_path, oracle):
    p = photo(24, "scan", "plain", "blue", 2, (3, 3))
    view = oracle.read(p.jpeg)["photo"]
    ys = [[view["symbols"][i]["quad"][1::2] for i in ln["symbols"]] for ln in view["lines"]]
    between = (max(max(q) for q in ys[0]) + min(min(q) for q in ys[1])) / 2   # under line 1, over line 2
    read(app, p.jpeg, tmp_path=tmp_path)
    box = app.page.locator("#photo-canvas").bounding_box()
    n = int(app.attr("photos"))
    m = app.page.mouse
    m.move(box["x"] + 2, box["y"] + 2)
    m.down()
    m.move(box["x"] + box["width"] - 2, box["y"] + box["height"] * between, steps=5)
    m.up()
    app.wait_attr("photos", n + 1)
    x0, y0 = 2 / box["width"], 2 / box["height"]          # the rectangle as the page sent it
    crop = oracle.read(p.jpeg, crop=[x0, y0, 1 - x0, between])
    assert app.page.text_content("#number") == crop["number"] and len(crop["number"]) == len(p.lines[0])
    assert app.page.is_hidden("#photo-lines")                  # one line: the headline says it
    app.page.click("#photo-whole")
    app.wait_attr("photos", n + 2)
    assert [t.split(" ")[0] for t in app.page.eval_on_selector_all("#lines li", "l => l.map(e => e.textContent)")] == p.lines


def test_bad_files_get_a_message_and_the_drawing_is_kept(app, tmp_path):
    app.draw(SEVEN)
    app.wait_predictions(1)
    for name, (data, words) in bad_files(photo(25).jpeg).items():
        got = read(app, data, tmp_path=tmp_path, name=name.replace(" ", "_"))
        assert words in got["message"], (name, got["message"])
        assert app.page.get_attribute("#pad", "data-strokes") == "1"
    big, lines = big_jpeg()
    assert read(app, big, "drop")["number"] == lines[0]          # 50 MP: shrunk while decoded
    app.page.click("#photo-back")
    app.page.wait_for_selector("#pad", state="visible")
    app.page.wait_for_function("() => document.querySelector('#digit').textContent === '7'")
    assert app.attr("mode") == "pad" and app.page.get_attribute("#pad", "data-strokes") == "1"


def test_a_photo_dropped_while_one_is_read_is_read_next(app):
    first, second = photo(26, "scan", "plain", "blue", 1), photo(27, "scan", "plain", "black", 1)
    send(app, first.jpeg, "drop")
    send(app, second.jpeg, "paste")
    app.wait_attr("photos", 2, timeout=60_000)
    assert app.page.text_content("#number") == second.lines[0]


def test_a_photo_symbol_is_selected_and_taught_by_its_key(app, tmp_path, oracle):
    p = photo(28, "scan", "plain", "blue", 1, (2, 2))
    read(app, p.jpeg, tmp_path=tmp_path)
    q = oracle.read(p.jpeg)["photo"]["symbols"][1]["quad"]        # the second digit's box
    box = app.page.locator("#photo-canvas").bounding_box()
    n = int(app.attr("photos"))
    app.page.mouse.click(box["x"] + box["width"] * sum(q[0::2]) / 4, box["y"] + box["height"] * sum(q[1::2]) / 4)
    app.wait_attr("photos", n + 1)
    assert app.page.text_content("#digit") == p.lines[0][1]       # the answer describes that symbol
    app.page.keyboard.press(p.lines[0][1])
    app.page.wait_for_selector("#collect-counts[data-total='1']", state="attached", timeout=30_000)
    app.page.wait_for_function("() => document.querySelector('#message').textContent.startsWith('Learned')")
    assert app.page.text_content("#number") == p.lines[0]            # the photo read again, the same


def test_photos_are_read_offline_after_one(make_app, dist, tmp_path, oracle):
    server = Server(dist)
    try:
        app = make_app(server.origin, service_workers="allow")
        app.open(server.url)
        app.page.wait_for_selector("html[data-offline-ready='true']", state="attached", timeout=60_000)
        first = photo(29, "scan", "plain", "blue", 1)
        assert read(app, first.jpeg, tmp_path=tmp_path)["number"] == first.lines[0]
        app.page.click("#camera-open")                      # camera.js, fetched now (this browser has no camera)
        app.wait_attr("camera", "none")
    finally:
        server.stop()
    app.page.context.set_offline(True)
    app.open(server.url)
    second = photo(30, "scan", "ruled", "black", 2)       # what the page reads offline is what CPython reads
    assert read(app, second.jpeg, "drop")["lines"] == [ln["number"] for ln in oracle.read(second.jpeg)["photo"]["lines"]]
    assert app.page.evaluate("navigator.onLine") is False
    app.page.click("#camera-open")                          # the camera's code, from the cache
    app.wait_attr("camera", "none")
    assert "No camera" in app.page.text_content("#camera-problem-text")


def test_a_photo_read_is_accessible(make_app, server, tmp_path):
    """axe-core on the page with a photo of two lines read: the photo's canvas has its text (the
    numbers), the lines are a real list, every new control is named."""
    from .test_accessibility import axe, check
    app = make_app(server.origin, bypass_csp=True).open(server.url)      # axe is injected as a script
    p = photo(31, "scan", "ruled", "blue", 2)
    read(app, p.jpeg, tmp_path=tmp_path)
    label = app.page.get_attribute("#photo-canvas", "aria-label")
    assert all(n in label for n in app.page.eval_on_selector_all("#lines li", "l => l.map(e => e.textContent.split(' ')[0])"))
    check(axe(app), "photo")
    app.page.click("#photo-zoom-in")                              # and zoomed, a line focused in the list
    app.page.wait_for_selector("html[data-photo-view*='\"z\":1.5,']", state="attached")
    app.page.focus("#lines li:nth-child(2)")
    check(axe(app), "photo zoomed")


def view(app) -> dict:
    return json.loads(app.attr("photo-view"))


def test_a_page_of_writing_zooms_and_pans_and_its_boxes_are_still_tapped_right(app, tmp_path, oracle):
    p = photo(23, "scan", "squared", "pencil", 3)
    read(app, p.jpeg, tmp_path=tmp_path)
    canvas = app.page.locator("#photo-canvas")
    assert canvas.bounding_box()["width"] >= 560      # the photo's column is twice the answer's, not the pad's
    assert view(app) == {"z": 1, "cx": 0.5, "cy": 0.5}
    canvas.focus()                                    # the keys: + zooms about the middle, an arrow pans
    app.page.keyboard.press("+")
    app.page.keyboard.press("+")
    app.page.wait_for_selector("html[data-photo-view*='\"z\":2.25,']", state="attached")
    app.page.keyboard.press("ArrowRight")
    assert view(app)["cx"] > 0.5 and app.page.text_content("#number") == ""    # the keys moved the view only
    app.page.click("#photo-zoom-out")
    app.page.click("#photo-zoom-out")
    app.page.wait_for_selector("html[data-photo-view*='\"z\":1,']", state="attached")
    assert view(app) == {"z": 1, "cx": 0.5, "cy": 0.5}          # all the way out: the whole photo again
    # the wheel zooms about the pointer: over the third line's first box, which stays under it
    v = oracle.read(p.jpeg)["photo"]
    q = v["symbols"][v["lines"][2]["symbols"][0]]["quad"]
    x, y = sum(q[0::2]) / 4, sum(q[1::2]) / 4
    b = canvas.bounding_box()
    app.page.mouse.move(b["x"] + b["width"] * x, b["y"] + b["height"] * y)
    app.page.mouse.wheel(0, -600)
    app.page.wait_for_selector("html[data-photo-view]:not([data-photo-view*='\"z\":1,'])", state="attached")
    s = view(app)
    assert s["z"] > 2
    assert ((x - s["cx"]) * s["z"] + 0.5, (y - s["cy"]) * s["z"] + 0.5) == pytest.approx((x, y), abs=0.01)
    n = int(app.attr("photos"))
    app.page.mouse.click(b["x"] + b["width"] * x, b["y"] + b["height"] * y)    # a tap through the zoom
    app.wait_attr("photos", n + 1)
    assert app.page.get_attribute("#lines li:nth-child(3)", "aria-current") == "true"
    assert app.digit() == p.lines[2][0]


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_decoded_in_the_page(app, tmp_path, oracle, fmt):
    """Pillow's PNG plugin and the WebP codec (a WebAssembly module of its own) come with the
    photo reader's bundle, not with the first visit."""
    import io

    from PIL import Image

    from photos import encode
    p = photo(32, "scan", "plain", "blue", 1)
    data = encode(Image.open(io.BytesIO(p.jpeg)), fmt)
    got = read(app, data, tmp_path=tmp_path, name=f"photo.{fmt.lower()}")
    assert got["number"] == oracle.read(data)["number"] == p.lines[0], got["message"]
