"""The photo reader in CPython (digitpad.photo, the very code the page runs), with the shipped
network run by onnxruntime: numbers read from generated photos, each step on its own, and every
bad file refused with a message."""
import io

import numpy as np
import pytest
from PIL import Image

from digitpad.photo import decode as dec
from digitpad.photo.ink import find_ink, long_runs, remove_rules
from digitpad.photo.reader import open_photo, plan
from digitpad.photo.symbols import group_lines, label, paint
from photos import bad_files, big_jpeg, encode, photo, turned_with_exif


@pytest.fixture(scope="module")
def reader():
    from train.config import resolve
    from train.photos import PhotoReader
    return PhotoReader(resolve("models"))


def test_labels_match_a_flood_fill():
    rng = np.random.default_rng(0)
    mask = rng.random((40, 50)) < 0.35
    comp = label(mask)
    seen = np.zeros_like(mask)
    for i, box in enumerate(comp.boxes):        # each component, painted back, is connected and whole
        x0, y0, x1, y1 = box
        m = paint(comp, [i], box)
        assert m.sum() == comp.area[i] and (mask[y0:y1, x0:x1] >= m).all()
        seen[y0:y1, x0:x1] |= m
    assert (seen == mask).all()
    assert len(comp.area) == _flood_count(mask)


def _flood_count(mask):
    todo, n = mask.copy(), 0
    for y, x in zip(*np.nonzero(mask)):
        if not todo[y, x]:
            continue
        n += 1
        stack = [(y, x)]
        todo[y, x] = False
        while stack:
            cy, cx = stack.pop()
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    ny, nx = cy + dy, cx + dx
                    if 0 <= ny < mask.shape[0] and 0 <= nx < mask.shape[1] and todo[ny, nx]:
                        todo[ny, nx] = False
                        stack.append((ny, nx))
    return n


def test_rules_are_taken_out_and_strokes_across_them_kept():
    mask = np.zeros((100, 300), bool)
    mask[50:53, :] = True                     # a ruled line
    mask[20:80, 100:106] = True               # a stroke crossing it
    assert long_runs(mask, 200)[51].all() and not long_runs(mask, 200)[30].any()
    clean, rules = remove_rules(mask, 200, 200)
    assert not clean[51, :90].any() and clean[45:58, 100:106].all()


def test_lines_come_in_reading_order():
    mask = np.zeros((200, 200), bool)
    mask[120:150, 10:20] = mask[120:150, 50:60] = mask[20:50, 30:40] = True
    mask[55:60, 30:40] = True                 # a piece under the first line's symbol joins it
    comp = label(mask)
    lines = group_lines(comp, list(range(len(comp.area))), 30.0)
    firsts = [comp.boxes[ln[0]][1] for ln in lines]
    assert len(lines) == 2 and firsts[0] < firsts[1] and len(lines[1]) == 2


@pytest.mark.parametrize("paper", ["plain", "ruled", "squared", "form"])
def test_numbers_are_read_from_photos_of_each_paper(reader, paper):
    p = photo(12, "scan", paper, "blue", 1)
    view = reader.read(p.jpeg)
    assert [ln["number"] for ln in view["photo"]["lines"]] == p.lines
    assert view["number"] == p.lines[0] and view["message"].startswith(f"Reads {p.lines[0]}")


def test_several_lines_and_inks(reader):
    p = photo(12, "scan", "ruled", "pencil", 3)
    assert [ln["number"] for ln in reader.read(p.jpeg)["photo"]["lines"]] == p.lines


def test_a_phone_photo_is_shrunk_while_it_is_decoded(reader):
    p = photo(13, "phone", "plain", "black", 1)
    im = Image.open(io.BytesIO(p.jpeg))
    assert im.size == (4032, 3024)
    grey = dec.decode(p.jpeg)
    assert max(grey.size) <= dec.MAX_SIDE and grey.mode == "L"
    assert reader.read(p.jpeg)["number"] == p.lines[0]


def test_exif_orientation_is_applied(reader):
    p = photo(14, "scan", "plain", "blue", 1)
    turned = turned_with_exif(p.jpeg)
    assert Image.open(io.BytesIO(turned)).size == (1200, 1600)          # stored on its side
    assert dec.decode(turned).size == (1200, 900)                       # read upright
    assert reader.read(turned)["number"] == p.lines[0]


def test_light_ink_on_dark_is_read(reader):
    p = photo(15, "scan", "plain", "black", 1)
    inverted = encode(Image.eval(Image.open(io.BytesIO(p.jpeg)), lambda v: 255 - v))
    assert find_ink(dec.decode(inverted)).inverted
    assert reader.read(inverted)["number"] == p.lines[0]


def test_a_rectangle_reads_only_that_part(reader):
    p = photo(16, "scan", "plain", "blue", 2, (3, 3))
    whole = reader.read(p.jpeg)["photo"]
    top = whole["symbols"][whole["lines"][0]["symbols"][0]]["quad"]
    view = reader.read(p.jpeg, crop=[0.0, 0.0, 1.0, (top[5] + top[7]) / 2 + 0.02])
    assert [ln["number"] for ln in view["photo"]["lines"]] == p.lines[:1]


def test_webp_and_png_are_read(reader):
    p = photo(17, "scan", "squared", "blue", 1)
    im = Image.open(io.BytesIO(p.jpeg))
    for fmt in ("PNG", "WEBP"):
        assert reader.read(encode(im, fmt))["number"] == p.lines[0]


def test_every_bad_file_gets_a_message(reader):
    for name, (data, words) in bad_files(photo(18).jpeg).items():
        try:
            message = reader.read(data)["message"]
        except dec.PhotoError as e:
            message = str(e)
        assert words in message, (name, message)


def test_a_50_megapixel_jpeg_is_shrunk_on_decode(reader):
    data, lines = big_jpeg()
    im = Image.open(io.BytesIO(data))
    assert im.size[0] * im.size[1] > 50e6
    assert max(dec.decode(data).size) <= dec.MAX_SIDE
    assert reader.read(data)["number"] == lines[0]


def test_the_plan_is_one_batch_for_both_networks():
    p = photo(19, "scan", "plain", "blue", 2)
    batch, finish = plan(open_photo(p.jpeg), *_rules())
    assert batch.dtype == np.float32 and batch.shape[1:] == (1, 28, 28) and batch.max() <= 1
    n = len(batch)
    view = finish(np.full((n, 10), 0.1, np.float32), np.tile([0.9, 0.1], (n, 1)).astype(np.float32))
    assert view["view"]["photo"]["lines"] == []                  # every symbol rejected: no number


def _rules():
    from digitpad.segment import Params
    from digitpad.views import Thresholds
    return Params(), Thresholds()


def test_a_thin_1_beside_bold_digits_is_kept_and_a_box_side_or_dash_is_not():
    """MNIST's 1s are often a quarter as thick as its 8s: a slanted piece as tall as a digit is a
    stroke down to 0.2 of the writing's pen, while an upright straight one that thin is what is
    left of a printed box's side, and a short one a rule's remnant."""
    from digitpad.photo.symbols import symbol_ids
    mask = np.zeros((400, 700), bool)
    yy, xx = np.ogrid[:400, :700]
    for x in (100, 200, 300):                      # three bold rings, 80 px tall
        r = np.hypot((yy - 200) / 40, (xx - x - 25) / 25)
        mask |= (r <= 1) & (r >= 0.55)
    for y in range(162, 238):                      # a 1 at a slant, 76 px tall, 4 px wide
        x = 430 - (y - 162) * 20 // 76
        mask[y, x:x + 4] = True
    mask[162:238, 560:563] = True                  # a box's side: upright, 3 px
    mask[300:302, 150:180] = True                  # a dash 2 px thin, 30 px long
    comp = label(mask)
    kept = {tuple(int(v) for v in comp.boxes[i]) for i in symbol_ids(comp, mask.shape)}
    assert (411, 162, 434, 238) in kept
    assert not any(b[0] >= 500 or b[1] >= 300 for b in kept)
    assert len(kept) == 4


def test_a_line_broken_into_dashes_is_no_digits():
    """A grid line beside the table can survive as digit-tall dashes in the same columns: read
    as 1s, they made a number of their own. Three or more so aligned, over several lines of
    writing, are a line."""
    from digitpad.photo.symbols import symbol_ids
    mask = np.zeros((700, 700), bool)
    yy, xx = np.ogrid[:700, :700]
    r = np.hypot((yy - 350) / 40, (xx - 400) / 25)
    mask |= (r <= 1) & (r >= 0.55)                 # a bold 0, 80 px tall
    for y0 in (100, 180, 300, 420):                # dashes of one upright line, 7 px wide
        mask[y0:y0 + 60, 150:157] = True
    comp = label(mask)
    kept = [tuple(int(v) for v in comp.boxes[i]) for i in symbol_ids(comp, mask.shape)]
    assert kept == [(375, 310, 426, 391)]


def test_a_printed_box_a_little_off_upright_loses_its_sides_and_the_digits_keep_theirs():
    """A frame 1.5 degrees off upright after the turn is taken out: each side wanders a few
    pixels across its box's edge band. What was left of its sides was read as 1s (or joined a 7)
    beside the number; a digit touching the side keeps its ink."""
    from digitpad.photo.symbols import remove_frames
    mask = np.zeros((300, 600), bool)
    yy, xx = np.mgrid[:300, :600]
    tilt = np.tan(np.radians(1.5))
    # the frame: 4 px lines around (100..500) x (80..220), sheared by the tilt
    u, v = xx - (yy - 150) * tilt, yy + (xx - 300) * tilt
    inside = (u >= 100) & (u < 500) & (v >= 80) & (v < 220)
    mask |= inside & ~((u >= 104) & (u < 496) & (v >= 84) & (v < 216))
    ring = np.hypot((yy - 150) / 40, (xx - 250) / 25)
    mask |= (ring <= 1) & (ring >= 0.55)                  # a 0 inside, clear of the frame
    mask[130:170, 470:497] = True                          # a bold stroke touching the right side
    out = remove_frames(mask)
    comp = label(out)
    left = [tuple(int(v) for v in b) for b in comp.boxes if b[3] - b[1] >= 20 and 3 * (b[2] - b[0]) < b[3] - b[1]]
    assert left == [], left                                # no piece of a side left standing
    assert out[110:190, 225:276].sum() == mask[110:190, 225:276].sum()     # the 0 untouched
    assert out[130:170, 470:490].all()                     # the stroke keeps its ink up to the side


def test_a_1_between_squared_papers_rules_is_kept_and_a_box_side_is_not():
    """What a rule or a box's edge leaves standing between two removed edges: a box's side meets
    them at corners (they run on to one side only), a 1 on squared paper has them running on both
    ways, or a grid's upright line running on above and below it."""
    from digitpad.photo.symbols import remove_boxes
    mask = np.zeros((300, 900), bool)
    yy, xx = np.ogrid[:300, :900]
    for x in (300, 600):                                   # two bold 0s, 80 px tall, 15 px pen
        r = np.hypot((yy - 150) / 40, (xx - x) / 28)
        mask |= (r <= 1) & (r >= 0.6)
    rules = np.zeros_like(mask)
    rules[108:110, :] = rules[191:193, :] = True           # squared paper's rules above and below ...
    mask[111:190, 420:424] = True                          # ... and a thin 1 between them
    rules[40:110, 700:704] = rules[191:260, 700:704] = True   # a grid's upright line ...
    mask[111:190, 700:704] = True                          # ... and a 1 written on it
    corners = np.zeros_like(mask)                          # a box's right side with its corners
    corners[20:22, 700:860] = corners[278:280, 700:860] = True
    mask[23:277, 858:861] = True
    out = remove_boxes(mask, 80.0, rules | corners)
    assert out[111:190, 420:424].all() and out[111:190, 700:704].all()
    assert not out[23:277, 858:861].any()


def test_a_lone_doubted_digit_on_its_own_line_is_judged_by_the_photos_writing():
    """A 1 alone under a sum, doubted by the digit-or-not network: with no digits beside it, the
    photo's other writing says how tall a digit is. A small printed mark alone stays out."""
    from digitpad.photo.reader import Symbol, judge
    from digitpad.views import Thresholds
    th = Thresholds()

    def sym(height, p_digit, digit=1, p=0.99):
        probs = np.full(10, (1 - p) / 9, np.float32)
        probs[digit] = p
        return Symbol(0, probs, p_digit, np.zeros((28, 28), np.float32), [0.0] * 8, height)
    lone, label_ = sym(80, 0.3), sym(30, 0.3)
    for s in (lone, label_):
        judge([s], th)                      # no writing known: nothing to judge by
        assert s.rejected(th)
        judge([s], th, writing=82.0)
    assert not lone.rejected(th) and label_.rejected(th)
    unsure = sym(80, 0.3, p=0.7)                # read as one digit, but not surely
    judge([unsure], th, writing=82.0)
    assert unsure.rejected(th)


def test_a_mark_far_smaller_than_its_lines_digits_is_no_digit_of_it():
    """The "o" of a printed "No." before a box was read as a 0 (p 0.97, taken for a digit) and put
    in front of the number: under half as tall as the line's digits, it is left out of it."""
    from digitpad.photo.reader import Symbol, judge
    from digitpad.views import Thresholds
    th = Thresholds()

    def sym(height):
        probs = np.full(10, 0.01, np.float32)
        probs[0] = 0.91
        return Symbol(0, probs, 0.97, np.zeros((28, 28), np.float32), [0.0] * 8, height)
    line = [sym(28)] + [sym(h) for h in (75, 65, 70, 66)] + [sym(40)]
    judge(line, th)
    assert [s.rejected(th) for s in line] == [True, False, False, False, False, False]


def test_a_5s_floating_bar_is_kept_and_an_underline_is_not():
    """MNIST's 5s often float their bar to the right of the body, a flat piece as wide again. It
    was dropped as "too flat to be a symbol", and the bare body joined the digit before it. A
    line under the number is still no symbol."""
    from digitpad.photo.symbols import symbol_ids
    mask = np.zeros((300, 700), bool)
    yy, xx = np.ogrid[:300, :700]
    for x in (150, 260):                           # two bold 0s, 80 px tall
        r = np.hypot((yy - 150) / 40, (xx - x) / 25)
        mask |= (r <= 1) & (r >= 0.55)
    mask[150:190, 330:338] = mask[182:190, 330:370] = mask[150:190, 362:370] = True   # a small 5's body
    mask[140:147, 345:410] = True                  # ... its bar, 65 x 7, over it and on to the right
    mask[215:222, 120:300] = True                  # an underline under the 0s
    comp = label(mask)
    kept = {tuple(int(v) for v in comp.boxes[i]) for i in symbol_ids(comp, mask.shape)}
    assert (345, 140, 410, 147) in kept
    assert not any(b[1] >= 200 for b in kept)


def test_a_wide_flat_digit_is_a_line_and_a_digit_of_its_number():
    """MNIST fits a wide 5 in its box by its width, so it is shorter than the digits beside it:
    alone on its line it was no line of writing, beside taller digits a "small mark"."""
    from digitpad.photo.reader import Symbol, judge
    from digitpad.views import Thresholds
    mask = np.zeros((300, 300), bool)
    mask[20:80, 20:60] = mask[20:80, 100:140] = True     # a line of digits 60 px tall
    mask[150:182, 40:100] = True                           # a 5 alone under it, 32 tall, 60 wide
    mask[250:262, 40:52] = True                            # a speck
    comp = label(mask)
    lines = group_lines(comp, list(range(len(comp.area))), 60.0)
    assert [len(ln) for ln in lines] == [2, 1] and comp.boxes[lines[1][0]][1] == 150
    th = Thresholds()
    probs = np.full(10, 0.01, np.float32)
    probs[5] = 0.91

    def sym(height, width):
        return Symbol(0, probs, 0.99, np.zeros((28, 28), np.float32), [0.0] * 8, height, width)
    line = [sym(60, 40), sym(28, 60), sym(62, 40), sym(25, 20)]
    judge(line, th)
    assert [s.rejected(th) for s in line] == [False, False, False, True]


def test_a_doubted_mark_between_digits_is_one_of_them_when_read_fairly_surely():
    """An open 4 like a "u", doubted by the digit-or-not network (0.01) and read as a 4 at 0.81,
    between digits of a number: a label stands before a number, not inside it, so it is kept.
    At the end of the number it needs the usual p >= 0.9; a rule's remnant read at 0.53 stays out."""
    from digitpad.photo.reader import Symbol, judge
    from digitpad.views import Thresholds
    th = Thresholds()

    def sym(p_digit, p, digit=4):
        probs = np.full(10, (1 - p) / 9, np.float32)
        probs[digit] = p
        return Symbol(0, probs, p_digit, np.zeros((28, 28), np.float32), [0.0] * 8, 70.0, 45.0)
    line = [sym(1.0, 0.99, 5), sym(0.01, 0.81), sym(1.0, 0.99, 8), sym(0.0, 0.53, 2), sym(1.0, 0.99, 1), sym(0.01, 0.81)]
    judge(line, th)
    assert [s.rejected(th) for s in line] == [False, False, False, True, False, True]
