"""`python -m train digit-or-not`: is it a digit at all? Transfer learning from the digit network.

Reads what `train digits` wrote: models/digits.onnx (its convolutions are reused, frozen, so the
page runs one trunk for both answers) and, from models.json, the config of its run (the
train/validation split, so validation digits stay unseen). New dense layers learn digit (1) vs
not (0) on the 1024 features, computed once: training takes seconds.

Digits: MNIST pixels and the same digits traced to pen strokes and drawn as on the pad. Non-digits
(negatives.py): letters in Hershey single-stroke hands and traced TrueType glyphs, shapes,
multi-part symbols and scribbles. The report's non-digits come from hands, font families and
generator seeds that training never sees.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .config import DigitOrNotConfig, asdict, resolve
from .data import file_hashes, load_split, mnist_dir, sha256, to_float
from .digit_or_not_eval import plot_roc, plot_worst, rates, threshold_for
from .evaluate import predict
from .negatives import HANDS, HELDOUT_HANDS, LOOKALIKES, generate
from .networks import DigitNet, DigitOrNotNet, WithSoftmax
from .onnx_io import command_line, contract, digit_net, export, update_models_json, versions
from .splits import digit_split, seed_everything
from .traced import cached_traced_digits


@torch.no_grad()
def features(net: DigitNet, x: np.ndarray, batch: int = 1000) -> torch.Tensor:
    return torch.cat([net.features(torch.from_numpy(x[i:i + batch])) for i in range(0, len(x), batch)])


def build_sets(cfg: DigitOrNotConfig, models: Path, log) -> dict:
    d = mnist_dir(cfg.data_dir)
    images, _ = load_split(d, "train")
    test_x, _ = load_split(d, "test")
    tr, va = digit_split(models, len(images))
    n_tr = cfg.limit or len(tr)
    n_neg = cfg.limit or cfg.negatives
    cache = resolve("runs/cache")
    traced = dict(normalize_p=0.85, tilt=True, log=log)   # drawn as a person would: tilted, sometimes plain
    t0 = time.perf_counter()
    sets = {
        "train_pos": np.concatenate([to_float(images[tr[:n_tr]]),
                                     cached_traced_digits(images[tr[:n_tr]], cfg.seed, cache, **traced)]),
        "val_pos": np.concatenate([to_float(images[va[: cfg.limit or len(va)]]),
                                   cached_traced_digits(images[va[: cfg.limit or len(va)]], cfg.seed + 1, cache, **traced)]),
        "test_pos": to_float(test_x[: cfg.limit or len(test_x)]),
        "test_traced": cached_traced_digits(test_x[: cfg.limit or len(test_x)], cfg.seed + 2, cache, **traced),
    }
    # seeds: training, validation and held-out negatives never share a generator seed
    sets["train_neg"], sets["train_kinds"] = generate(n_neg, seed=cfg.seed * 1000 + 1)
    sets["val_neg"], _ = generate(max(n_neg // 10, 10), seed=cfg.seed * 1000 + 2)
    sets["test_neg"], sets["test_kinds"] = generate(cfg.limit or cfg.heldout_negatives, seed=cfg.seed * 1000 + 3,
                                                    heldout=True)
    if cfg.words:                 # letters and words as a photo's reader frames them (written.py)
        from .written import confusables, font_digits, letters_and_words
        n_w = min(cfg.words, cfg.limit) if cfg.limit else cfg.words
        n_d = min(cfg.font_digits, cfg.limit) if cfg.limit else cfg.font_digits
        words, word_kinds = letters_and_words(n_w, cfg.seed * 1000 + 6)
        sets["train_neg"] = np.concatenate([sets["train_neg"], words])
        sets["train_kinds"] = list(sets["train_kinds"]) + word_kinds
        sets["train_pos"] = np.concatenate([sets["train_pos"], font_digits(n_d, cfg.seed * 1000 + 7)])
        # held out: families training never sees
        sets["test_words"], sets["test_word_kinds"] = letters_and_words(max(n_w // 6, 10), cfg.seed * 1000 + 8, True)
        sets["test_font_digits"] = font_digits(max(n_d // 4, 10), cfg.seed * 1000 + 9, True)
        sets["confusables"] = confusables(max(min(cfg.limit, 100) if cfg.limit else 100, 5), cfg.seed * 1000 + 10)
    if cfg.cut_pieces:            # what a cut gives: digits with a stub, and two or half digits (pieces.py)
        from .pieces import cut_pieces
        labels = load_split(d, "train")[1]
        n = min(cfg.cut_pieces, cfg.limit) if cfg.limit else cfg.cut_pieces
        pos, _, neg, kinds = cut_pieces(images[tr[:n_tr]], labels[tr[:n_tr]], n, n, cfg.seed * 1000 + 4)
        sets["train_pos"] = np.concatenate([sets["train_pos"], pos])
        sets["train_neg"] = np.concatenate([sets["train_neg"], neg])
        sets["train_kinds"] = list(sets["train_kinds"]) + kinds
        test_y = load_split(d, "test")[1]
        m = max(n // 6, 10)
        sets["test_cut"], _, sets["test_cut_neg"], sets["test_cut_kinds"] = cut_pieces(
            test_x[: cfg.limit or len(test_x)], test_y[: cfg.limit or len(test_x)], m, m, cfg.seed * 1000 + 5)
    if cfg.extra_samples:
        from .samples import digit_or_not_samples
        x, is_digit = digit_or_not_samples(Path(cfg.extra_samples))
        log(f"extra samples: {int(is_digit.sum())} digits, {int((1 - is_digit).sum())} non-digits")
        sets["train_pos"] = np.concatenate([sets["train_pos"], x[is_digit == 1]])
        sets["train_neg"] = np.concatenate([sets["train_neg"], x[is_digit == 0]])
    log(f"data ready in {time.perf_counter() - t0:.0f}s: " +
        ", ".join(f"{k} {len(v)}" for k, v in sets.items() if not k.endswith("kinds") and k != "confusables"))
    return sets


def train_head(net: DigitOrNotNet, f_pos, f_neg, cfg: DigitOrNotConfig, g: torch.Generator, log) -> None:
    x = torch.cat([f_pos, f_neg])
    y = torch.cat([torch.ones(len(f_pos), dtype=torch.long), torch.zeros(len(f_neg), dtype=torch.long)])
    weight = torch.tensor([len(y) / (2 * len(f_neg)), len(y) / (2 * len(f_pos))])   # balance the classes
    opt = torch.optim.Adam(net.head.parameters(), lr=cfg.lr)
    for epoch in range(cfg.epochs):
        net.head.train()
        order = torch.randperm(len(y), generator=g)
        total = 0.0
        for i in range(0, len(y), cfg.batch_size):
            idx = order[i:i + cfg.batch_size]
            loss = F.cross_entropy(net.head(x[idx]), y[idx], weight=weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        log(json.dumps({"epoch": epoch + 1, "loss": round(total / len(y), 5)}))


def run_digit_or_not(cfg: DigitOrNotConfig, log=print) -> dict:
    g = seed_everything(cfg.seed, cfg.threads)
    t0 = time.perf_counter()
    models, reports, out = resolve(cfg.models_dir), resolve(cfg.reports_dir), resolve(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(asdict(cfg), indent=2) + "\n")
    digits = digit_net(models / "digits.onnx")
    sets = build_sets(cfg, models, log)
    net = DigitOrNotNet(digits, cfg.hidden)
    for p in net.features.parameters():
        p.requires_grad = False
    t_train = time.perf_counter()
    train_head(net, features(digits, sets["train_pos"]), features(digits, sets["train_neg"]), cfg, g, log)
    train_s = time.perf_counter() - t_train
    net.eval()
    keys = ("val_pos", "val_neg", "test_pos", "test_traced", "test_neg")
    p = {k: predict(net, sets[k])[:, 1] for k in keys}
    base = {k: predict(digits, sets[k]).max(1) for k in keys}        # the baseline needs no new model
    th, th_base = threshold_for(p["val_pos"], cfg.accept_rate), threshold_for(base["val_pos"], cfg.accept_rate)
    metrics = {"digit_or_not": rates(p["test_pos"], p["test_neg"], th),
               "baseline_max_softmax": rates(base["test_pos"], base["test_neg"], th_base),
               # unseen generator seeds of the training hands and fonts: the gap to the held-out set is
               # how much new hands cost
               "validation": rates(p["val_pos"], p["val_neg"], th),
               "traced_digits_accepted": round(float((p["test_traced"] >= th).mean()), 5),
               "baseline_traced_digits_accepted": round(float((base["test_traced"] >= th_base).mean()), 5),
               "nondigits_rejected_by_kind": _by_kind(p["test_neg"], sets["test_kinds"], th),
               "baseline_nondigits_rejected_by_kind": _by_kind(base["test_neg"], sets["test_kinds"], th_base),
               "heldout": {"hands": list(HELDOUT_HANDS), "training_hands": list(HANDS)},
               **_cut_rates(net, sets, th), **_word_rates(net, sets, th),
               "train_seconds": round(train_s, 1)}
    log(json.dumps({k: metrics[k] for k in ("digit_or_not", "baseline_max_softmax", "traced_digits_accepted")}))
    reports.mkdir(parents=True, exist_ok=True)
    (reports / "digit_or_not.json").write_text(json.dumps(metrics, indent=2) + "\n")
    if not cfg.export:
        return metrics
    plot_roc({"digit or not": (p["test_pos"], p["test_neg"]),
              "max-softmax baseline": (base["test_pos"], base["test_neg"])}, reports / "digit_or_not_roc.png")
    plot_worst(sets["test_pos"], p["test_pos"], sets["test_neg"], p["test_neg"], sets["test_kinds"],
               reports / "digit_or_not_mistakes.png")
    path = export(WithSoftmax(net), models / "digit_or_not.onnx", ["probabilities"])
    entry = contract("digit_or_not.onnx", {"probabilities": 2}, {"probabilities": ["not a digit", "digit"]})
    entry.update({"sha256": sha256(path), "bytes": path.stat().st_size, "threshold": th,
                  "baseline_threshold": th_base,       # the page's fallback when this model cannot load
                  "metrics": metrics, "lookalikes_never_negative": LOOKALIKES,
                  "training": {"command": command_line(), "seed": cfg.seed, "from": "digits.onnx",
                               "from_sha256": sha256(models / "digits.onnx"),
                               "total_wall_seconds": round(time.perf_counter() - t0, 1),
                               "data_sha256": file_hashes(mnist_dir(cfg.data_dir)), "versions": versions(),
                               "config": asdict(cfg)}})
    update_models_json(models, "digit_or_not", entry)
    return metrics


def _by_kind(p: np.ndarray, kinds: list[str], th: float) -> dict:
    out = {}
    for k in sorted(set(kinds)):
        m = np.array([x == k for x in kinds])
        out[k] = round(float((p[m] < th).mean()), 4)
    return out


def _cut_rates(net, sets: dict, th: float) -> dict:
    """Touching MNIST **test** digits cut as the reader cuts them: a digit with a stub accepted,
    and two digits or half of one rejected (pieces.py)."""
    if "test_cut" not in sets:
        return {}
    pos, neg = predict(net, sets["test_cut"])[:, 1], predict(net, sets["test_cut_neg"])[:, 1]
    return {"cut_digits_accepted": round(float((pos >= th).mean()), 5), "cut_digits": len(pos),
            "cut_pieces_rejected_by_kind": _by_kind(neg, sets["test_cut_kinds"], th)}


def _word_rates(net, sets: dict, th: float) -> dict:
    """Held-out handwriting families: their letters and words rejected, their digits accepted, and
    each confusable letter beside its digit (accepted as a digit; read as which)."""
    if "test_words" not in sets:
        return {}
    words = predict(net, sets["test_words"])[:, 1]
    digits = predict(net, sets["test_font_digits"])[:, 1]
    pairs = {}
    for c, x in sets["confusables"].items():
        out = predict(net, x)
        pairs[c] = {"accepted": round(float((out[:, 1] >= th).mean()), 4), "n": len(x)}
    return {"words_rejected": round(float((words < th).mean()), 5), "words": len(words),
            "words_rejected_by_kind": _by_kind(words, sets["test_word_kinds"], th),
            "font_digits_accepted": round(float((digits >= th).mean()), 5), "font_digits": len(digits),
            "confusables_accepted": pairs}
