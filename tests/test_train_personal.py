"""`python -m train personal`, as a smoke run CI can afford (small replay set, few steps), and the
recorded full run (reports/personal.json) against issue 21's targets."""
import json
from pathlib import Path

from train.config import PersonalConfig
from train.personal import KS, table


def test_a_smoke_run_measures_every_writer_and_writes_the_table(mnist):
    from train.personal import run_personal
    cfg = PersonalConfig(rank=16, steps=50, replay=500)
    r = run_personal(cfg, log=lambda *a: None)
    assert len(r["writers"]) == 9 and len(r["only_sevens_taught"]) == 10
    for k in KS:
        s = r["summary"][f"k={k}"]
        assert s["lowest MNIST test accuracy"] > 0.97          # a few samples never wreck the head
        assert 0.9 < s["lowest non-digits rejected"] <= 1
        assert s["median writer's error, personal"] <= s["median writer's error, shipped"] + 0.01
    text = table(r)
    assert text.startswith("| samples per digit (k) | 1 | 3 | 5 | 10 |") and "9 writers" in text


def test_the_recorded_run_meets_the_targets():
    r = json.loads((Path(__file__).resolve().parents[1] / "reports/personal.json").read_text())
    five = r["summary"]["k=5"]
    assert five["median writer's error, personal"] <= five["median writer's error, shipped"] / 2     # at least halved
    for k in KS:
        assert r["summary"][f"k={k}"]["lowest MNIST test accuracy"] >= 0.993
        assert r["summary"][f"k={k}"]["lowest non-digits rejected"] >= 0.97
    assert min(r["only_sevens_taught"].values()) >= -0.5      # points: no class reads 7 instead
