"""Forms: handwritten words beside the numbers, several numbers in a line, a table's rows
(words.py, table.py), in CPython with the shipped networks."""
import numpy as np
import pytest

from digitpad.photo import table, words

from photos import form


# ---- the rules, on boxes (left, top, right, bottom) ----------------------------------------
def test_clusters_part_at_a_wide_gap_and_at_a_wall():
    boxes = [(0, 0, 10, 40), (12, 0, 22, 40), (40, 0, 50, 40), (52, 0, 60, 40)]
    assert words.clusters(boxes, 40.0) == [[0, 1], [2, 3]]            # 18 px > 0.3 x 40
    assert words.clusters(boxes, 40.0, [False, False, True]) == [[0, 1], [2], [3]]


def test_a_word_of_digit_like_letters_is_a_word_but_a_flat_digit_is_not():
    # "Bar": a tall B, a small a and r on the same line; the r surely no digit
    bar = [(0, 0, 30, 40), (32, 16, 52, 40), (54, 16, 66, 40)]
    assert words.words(bar, [False, False, True], 40.0) == [True, True, True]
    # "29": a flat 2 beside a 9, neither doubted: two digits
    flat = [(0, 12, 30, 40), (32, 0, 60, 40)]
    assert words.words(flat, [False, False], 40.0) == [False, False]


def test_a_blot_between_digits_of_a_number_is_no_word():
    # 5 1 1 [0 4?] 8: the 4 doubted, its cluster between digits of the same number
    boxes = [(0, 0, 30, 40), (48, 0, 56, 40), (74, 0, 82, 40), (100, 5, 130, 40), (132, 5, 160, 40), (178, 0, 206, 40)]
    sure_not = [False, False, False, False, True, False]
    assert not any(words.words(boxes, sure_not, 40.0))


def test_numbers_part_at_words_walls_and_wide_gaps_but_not_at_a_dot():
    boxes = [(0, 0, 30, 40), (35, 0, 65, 40), (80, 0, 200, 40), (220, 0, 250, 40)]
    digit, mark = [True, True, False, True], [False, False, True, False]
    assert words.numbers(boxes, digit, mark, 40.0) == [[0, 1], [3]]              # "22 Bar 1"
    dot = [(0, 0, 30, 40), (36, 34, 42, 40), (48, 0, 78, 40)]                     # "3.5": no mark between
    assert words.numbers(dot, [True, False, True], [False] * 3, 40.0) == [[0, 2]]
    assert words.numbers(boxes, [True] * 4, [False] * 4, 40.0, [True, False, False]) == [[0], [1, 2, 3]]
    far = [(0, 0, 30, 40), (100, 0, 130, 40)]                                    # 70 px > 1.5 x 40
    assert words.numbers(far, [True, True], [False, False], 40.0) == [[0], [1]]


def test_a_tables_wall_parts_cells_but_a_squared_papers_grid_does_not():
    rules = np.zeros((100, 600), bool)
    rules[:, 300] = True                                   # one column wall
    boxes = [(200, 30, 240, 70), (320, 30, 360, 70)]
    assert table.walls(rules, boxes, 40.0) == [True]
    grid = np.zeros((400, 600), bool)
    grid[:, ::30] = True                                    # squares smaller than a digit: a rule at 240 ...
    assert table.walls(grid, [(205, 30, 235, 70), (245, 30, 270, 70)], 40.0) == [False]   # ... parts nothing
    wide = np.zeros((400, 600), bool)
    wide[:, ::150] = True                                   # a table's columns
    assert table.walls(wide, [(105, 30, 135, 70), (165, 30, 190, 70)], 40.0) == [True]


def test_a_word_running_into_the_next_row_keeps_to_its_own_row():
    rules = np.zeros((400, 800), bool)
    rules[100, :] = rules[200, :] = True
    assert table.rule_rows(rules, 40.0) == [100.0, 200.0]
    # a piece from 60 to 150 spans the rule at 100: it keeps to the side where more of it lies
    assert table.within_row(60, 150, [100.0, 200.0], 40.0) == (100, 150)
    assert table.within_row(110, 150, [100.0, 200.0], 40.0) == (110, 150)   # not tall: unchanged


# ---- photos, read by the page's code and the shipped networks --------------------------------
@pytest.fixture(scope="module")
def reader():
    from train.config import resolve
    from train.photos import PhotoReader
    return PhotoReader(resolve("models"))


def numbers(reader, p):
    return [ln["number"] for ln in reader.read(p.jpeg)["photo"]["lines"]]


def test_a_line_of_words_and_numbers_gives_its_numbers(reader):
    p = form([("Qty", "12", "Bar", "3")], table=False)
    assert p.lines == ["12 3"] and numbers(reader, p) == ["12 3"]


def test_words_alone_give_no_number(reader):
    p = form([("Captain Morgan", "", None, None), ("Vodka", "", None, None)], table=False)
    assert numbers(reader, p) == []


def test_every_row_of_a_table_is_a_line_first_and_last_too_and_a_blank_row_none(reader):
    rows = [("Captain Morgan", "22", "Bar", "1"), ("Gin", "13", "Shelf", "4"), None, ("Limes", "7", "Back", "10")]
    p = form(rows)
    view = reader.read(p.jpeg)
    assert [ln["number"] for ln in view["photo"]["lines"]] == ["22 1", "13 4", "7 10"]
    assert [ln["numbers"] for ln in view["photo"]["lines"]][0] == ["22", "1"]
