"""The recipe sweep: recipes are ranked by their validation mean, and its table is what the runs say."""
import json

import pytest

from train.sweep import main, summarize, table


def run(recipe, seed, val, test, traced=None):
    return {"recipe": recipe, "overrides": {"traced_p": 0.5}, "seed": seed, "device": "cpu", "epochs": 20,
            "val_accuracy": val, "val_traced_accuracy": traced, "test_accuracy": test, "wall_seconds": 1.0}


def test_ranked_by_validation_mean_never_by_test():
    runs = [run("a", 1, 0.9950, 0.9990), run("a", 2, 0.9954, 0.9980),
            run("b", 1, 0.9962, 0.9950, 0.986), run("b", 2, 0.9960, 0.9952, 0.984)]
    rows = summarize(runs)
    assert [r["recipe"] for r in rows] == ["b", "a"]
    assert rows[0]["val"] == pytest.approx(0.9961) and rows[0]["val_traced"] == pytest.approx(0.985)
    assert rows[1]["test_min"] == 0.998 and rows[1]["test_max"] == 0.999 and rows[1]["val_traced"] is None
    text = table(rows, runs)
    assert "| b (traced_p 0.5) | 2 | 99.61% | 98.50% | 99.51% (99.50%-99.52%) |" in text
    assert "| a (traced_p 0.5) | 2 | 99.52% | – |" in text and "4 runs" in text


def test_the_default_recipe_is_marked():
    runs = [dict(run("x", 1, 0.99, 0.99), overrides={"traced_p": 0.25, "label_smoothing": 0.05}),
            dict(run("y", 1, 0.98, 0.98), overrides={"traced_p": 0.0})]
    text = table(summarize(runs), runs)
    assert "| **x** (the default) (traced_p 0.25, label_smoothing 0.05) |" in text
    assert "| y (traced_p 0) |" in text


def test_smoke_sweep_appends_runs_and_writes_the_table(tmp_path):
    out, readme = tmp_path / "sweep.jsonl", tmp_path / "README.md"
    readme.write_text("a\n<!-- sweep:start -->\nold\n<!-- sweep:end -->\nb\n")
    main(["--recipes", "base,ls10", "--seeds", "1", "--smoke", "--out", str(out), "--readme", str(readme)])
    runs = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["recipe"] for r in runs) == ["base", "ls10"]
    assert all(0 < r["val_accuracy"] <= 1 and r["epochs"] == 1 for r in runs)
    text = readme.read_text()
    assert "old" not in text and "| ls10 (traced_p 0, label_smoothing 0.1)" in text.replace("**", "")
