"""`python -m train photos` on a few photos (a smoke run of the evaluation: the full one reads 600
photos in 10-15 minutes): what it reports, and that the digits it writes are the digit network's
validation images, the training digits no network was trained on."""
import json

import numpy as np

from train.config import PhotosConfig, resolve
from train.data import load_split
from train.photos import run_photos
from train.splits import digit_split


def test_a_smoke_run_reports_rates_misses_and_the_clean_yardstick(mnist, tmp_path, monkeypatch):
    import train.photos as photos
    seen = []

    def make_photo(images, labels, *a, **kw):      # the generator's own, watched: which digits it is given
        seen.append(images)
        return real(images, labels, *a, **kw)
    real = photos.make_photo
    monkeypatch.setattr(photos, "make_photo", make_photo)
    cfg = PhotosConfig(single=4, multi=2, pictures=1, write_readme=False, reports_dir=str(tmp_path), seed=5)
    r = run_photos(cfg, log=lambda *a: None)
    images, _ = load_split(mnist, "train")
    _, va = digit_split(resolve("models"), len(images))
    assert len(seen) == 6 and all(np.array_equal(s, images[va]) for s in seen)   # validation images only
    assert json.loads((tmp_path / "photos.json").read_text())["rates"] == r["rates"]
    assert (tmp_path / "photos.png").exists()
    assert r["rates"]["all"]["n"] == 4 and r["rates"]["lines: 2-3"]["n"] == 2
    assert all(0 <= v["exact"] <= 1 for v in r["rates"].values())
    assert r["lines"] >= 4 + 2 * 2 and r["digits"] >= r["lines"]
    cut = r["cut_right"]
    assert 0 < cut["digits"] <= r["digits"]
    assert 0 <= cut["photo_right"] <= 1 and 0 <= cut["clean_right"] <= 1
    wrong_on_photo = round((1 - cut["photo_right"]) * cut["digits"])
    assert cut["photo_wrong_clean_right"] + cut["both_wrong"] == wrong_on_photo
    for miss in r["misses"]:
        assert [len(ids) for ids in miss["images"]] == [len(n) for n in miss["want"]]


def test_each_line_records_the_mnist_images_it_was_written_with(mnist):
    """The yardstick reads these images clean: each line's digits are their labels."""
    from train.photo_make import make_photo
    images, labels = load_split(mnist, "train")
    photo = make_photo(images[:500], labels[:500], np.random.default_rng(0), n_lines=3)
    for number, ids in zip(photo.lines, photo.meta["images"]):
        assert number == "".join(str(int(labels[i])) for i in ids) and max(ids) < 500


def test_the_forms_variant_writes_held_out_hands_and_scores_each_row(mnist, tmp_path):
    """--forms: tables of handwritten words and numbers, scored row by row; the words are in
    families digit-or-not never trained on."""
    from train.hand_fonts import FONTSOURCE_HELDOUT, handwriting_fonts, is_heldout
    cfg = PhotosConfig(single=2, pictures=1, write_readme=False, reports_dir=str(tmp_path), seed=5, forms=True)
    r = run_photos(cfg, log=lambda *a: None)
    assert json.loads((tmp_path / "photos_forms.json").read_text())["rates"] == r["rates"]
    assert (tmp_path / "photos_forms.png").exists()
    assert r["rates"]["first row"]["n"] == 2 and r["rates"]["rows"]["n"] >= 2
    assert set(FONTSOURCE_HELDOUT) <= set(r["hands"])
    assert not any(is_heldout(f) for f in handwriting_fonts(False))


def test_a_forms_row_reads_right_only_with_its_numbers_and_nothing_else():
    from train.forms import score_form

    def view(*lines):      # (number, y) each: one symbol a line, its box's middle at y
        symbols = [{"quad": [0, y - 0.01, 1, y - 0.01, 1, y + 0.01, 0, y + 0.01]} for _, y in lines]
        return {"photo": {"symbols": symbols, "lines": [{"number": n, "symbols": [i]} for i, (n, _) in enumerate(lines)]}}
    want, rows = ["22 1", "", "7"], [0.3, 0.4, 0.5]
    s = score_form(view(("22 1", 0.3), ("7", 0.5)), want, rows, 0.1)
    assert s["rows"] == [True, True, True] and not s["stray"]
    s = score_form(view(("Item", 0.2), ("221", 0.3), ("0", 0.4), ("7", 0.51)), want, rows, 0.1)
    assert s["rows"] == [False, False, True] and s["stray"] == ["Item"]
    assert s["digits_right"] == [True, True]          # "221" has the right digits, wrongly parted
