"""Numbers built for the segmentation fit and report (train/numbers.py)."""
import numpy as np

from digitpad.segment import Params
from train.numbers import boundary_data, compose, fit_logistic, make_numbers, traced


def test_composed_numbers_keep_their_digits_apart_and_fit_the_pad(mnist_test):
    x, y = mnist_test
    pool = traced(x[:40], seed=0)
    for num in make_numbers(pool, y[:40], 20, seed=1):
        assert 2 <= len(num.labels) <= 6 and len(num.digit_of) == len(num.strokes)
        pts = np.concatenate([s.points for s in num.strokes])
        assert pts.min() >= 0 and pts.max() <= 280
        inks = [np.concatenate([s.points for s, d in zip(num.strokes, num.digit_of) if d == k]) for k in range(len(num.labels))]
        assert all(a[:, 0].mean() < b[:, 0].mean() for a, b in zip(inks, inks[1:]))   # left to right
        widths = {s.width for s in num.strokes}       # one pen, kept at its pad width as the page's is
        assert len(widths) == 1 and 10 <= widths.pop() <= 30


def test_a_gap_of_at_least_8_percent_is_what_pairs_get(mnist_test):
    x, y = mnist_test
    pool = traced(x[:20], seed=0)
    rng = np.random.default_rng(2)
    num = compose(pool[:2], list(y[:2]), rng, gap=(0.08, 0.08))
    a, b = [np.concatenate([s.points for s, d in zip(num.strokes, num.digit_of) if d == k]) for k in (0, 1)]
    ra, rb = [max(s.width for s, d in zip(num.strokes, num.digit_of) if d == k) / 2 for k in (0, 1)]
    height = max(a[:, 1].max() - a[:, 1].min(), b[:, 1].max() - b[:, 1].min())
    assert (b[:, 0].min() - rb) - (a[:, 0].max() + ra) > -0.25 * height      # apart, up to the row's slant


def test_the_boundary_model_learns_that_gaps_split(mnist_test):
    x, y = mnist_test
    nums = make_numbers(traced(x[:200], seed=0), y[:200], 150, seed=3)
    feats, split = boundary_data(nums, Params())
    assert len(split) > 100 and 0.5 < split.mean() < 1.0
    w = fit_logistic(feats, split)
    p = 1 / (1 + np.exp(-feats @ w))
    assert ((p > 0.5) == (split > 0.5)).mean() > 0.9


def test_the_report_splits_misses_into_segmentation_and_recognition(mnist_test):
    """score() reads with the shipped models, as the page does; its shares agree with each other."""
    import json

    from train.config import NumbersConfig, resolve
    from train.numbers import Reader, datasets, score
    x, y = mnist_test
    models = resolve("models")
    params = Params.from_models_json(json.loads((models / "models.json").read_text()))
    s = score(Reader(models, params), *datasets(x[:60], y[:60], NumbersConfig(), 5, 20, 30, 10))
    assert s["numbers"] == 20 and s["singles"] == 30 and s["pairs"] == 10
    assert s["numbers_exact"] + s["numbers_miscounted"] <= 1.0
    assert s["singles_right"] <= s["singles_whole"]    # read right means read as one symbol
    assert s["singles_right"] >= 0.9          # the shipped network reads clean traced test digits


def test_the_numbers_command_runs_end_to_end_on_a_few_digits(mnist_test, tmp_path):
    """Smoke run of `python -m train numbers`: fit on validation, report on test, models.json untouched."""
    import json

    from train.config import NumbersConfig, resolve
    from train.numbers import run_numbers
    before = (resolve("models") / "models.json").read_bytes()
    cfg = NumbersConfig(limit=40, val_numbers=12, test_numbers=10, overlaps="0.3,0.5", specks="0.15",
                        decided="0.02", export=False, reports_dir=str(tmp_path))
    report = run_numbers(cfg, log=lambda *a: None)
    assert json.loads((tmp_path / "numbers.json").read_text()) == json.loads(json.dumps(report))
    assert report["params"]["overlap"] in (0.3, 0.5) and len(report["params"]["weights"]) == 4
    v, t = report["validation"], report["test"]
    assert (v["numbers"], v["singles"], v["pairs"]) == (12, 40, 6)
    assert (t["numbers"], t["singles"], t["pairs"]) == (10, 40, 10)
    assert all(0 <= t[k] <= 1 for k in ("numbers_exact", "digits_right", "singles_whole", "pairs_two"))
    assert t["singles_whole"] >= 0.9      # clean traced digits drawn alone are kept whole
    assert (resolve("models") / "models.json").read_bytes() == before
