"""`python -m train gate`: the digit-or-not network, by transfer learning from the digit network.

The digit network's convolutions are loaded from the shipped models/digits.onnx (so the gate can
be retrained from a fresh clone) and frozen; new dense layers learn digit (1) vs not (0). With
frozen convolutions the 1024 features are computed once, and the dense layers train in seconds.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper

from digitpad.render import render

from .config import GateConfig, asdict, resolve
from .data import file_hashes, mnist_dir, load_split, to_float
from .export import command_line, contract, export_onnx, sha256, update_models_json, versions
from .gate_eval import plot_roc, plot_worst, rates, threshold_for
from .loop import predict, seed_everything, split_train_val
from .negatives import LOOKALIKES, generate, jitter
from .networks import DigitNet, GateNet
from .trace import image_to_strokes

DIGITS_SEED = 1   # the digit network's train/validation split, so validation digits stay unseen


def digit_net_from_onnx(path: Path) -> DigitNet:
    net = DigitNet()
    weights = {i.name.removeprefix("net."): torch.from_numpy(numpy_helper.to_array(i).copy())
               for i in onnx.load(str(path)).graph.initializer}
    state = net.state_dict()
    missing = [k for k in state if k not in weights]
    if missing:
        raise ValueError(f"{path} does not hold the digit network's weights (missing {missing[:3]})")
    net.load_state_dict({k: weights[k] for k in state})
    return net.eval()


def traced_digits(images: np.ndarray, seed: int, normalize_p: float = 0.85) -> np.ndarray:
    """MNIST digits as the page would render them when drawn: traced strokes, random pens."""
    rng = np.random.default_rng(seed)
    out = []
    for img in images:
        strokes = image_to_strokes(img / 255.0, width=float(rng.uniform(10, 30)))
        strokes = jitter(strokes, rng, rotate=10, shear=0.1) if strokes else strokes
        r = render(strokes, normalize=bool(rng.random() < normalize_p)) if strokes else None
        out.append(r if r is not None else img / 255.0)
    return np.stack(out)[:, None].astype(np.float32)


@torch.no_grad()
def features(net: DigitNet, x: np.ndarray, batch: int = 1000) -> torch.Tensor:
    return torch.cat([net.features(torch.from_numpy(x[i:i + batch])) for i in range(0, len(x), batch)])


def build_sets(cfg: GateConfig, log) -> dict:
    d = mnist_dir(cfg.data_dir)
    images, labels = load_split(d, "train")
    test_x, _ = load_split(d, "test")
    tr, va = split_train_val(len(images), 5000, DIGITS_SEED)
    n_tr = cfg.limit or len(tr)
    n_neg = cfg.limit or cfg.negatives
    n_traced = min(n_tr, max(n_neg // 3, 1))
    t0 = time.perf_counter()
    sets = {
        "train_pos": np.concatenate([to_float(images[tr[:n_tr]]), traced_digits(images[tr[:n_traced]], cfg.seed)]),
        "val_pos": np.concatenate([to_float(images[va[: cfg.limit or len(va)]]),
                                   traced_digits(images[va[: (cfg.limit or 1000)]], cfg.seed + 1)]),
        "test_pos": to_float(test_x[: cfg.limit or len(test_x)]),
        "test_traced": traced_digits(test_x[: cfg.limit or 1000], cfg.seed + 2),
    }
    # seeds: training, validation and held-out negatives never share a generator seed
    sets["train_neg"], sets["train_kinds"] = generate(n_neg, seed=cfg.seed * 1000 + 1)
    sets["val_neg"], _ = generate(max(n_neg // 10, 10), seed=cfg.seed * 1000 + 2)
    sets["test_neg"], sets["test_kinds"] = generate(cfg.limit or cfg.heldout_negatives, seed=cfg.seed * 1000 + 3,
                                                    heldout=True)
    extra = None
    if cfg.extra_samples:
        from .samples import gate_samples
        extra = gate_samples(Path(cfg.extra_samples))
        log(f"extra samples: {int(extra[1].sum())} digits, {int((1 - extra[1]).sum())} non-digits")
        sets["train_pos"] = np.concatenate([sets["train_pos"], extra[0][extra[1] == 1]])
        sets["train_neg"] = np.concatenate([sets["train_neg"], extra[0][extra[1] == 0]])
    log(f"data ready in {time.perf_counter() - t0:.0f}s: " +
        ", ".join(f"{k} {len(v)}" for k, v in sets.items() if not k.endswith("kinds")))
    return sets


def train_head(gate: GateNet, f_pos, f_neg, cfg: GateConfig, g: torch.Generator, log) -> None:
    x = torch.cat([f_pos, f_neg])
    y = torch.cat([torch.ones(len(f_pos), dtype=torch.long), torch.zeros(len(f_neg), dtype=torch.long)])
    weight = torch.tensor([len(y) / (2 * len(f_neg)), len(y) / (2 * len(f_pos))])   # balance the classes
    opt = torch.optim.Adam(gate.head.parameters(), lr=cfg.lr)
    for epoch in range(cfg.epochs):
        gate.head.train()
        order = torch.randperm(len(y), generator=g)
        total = 0.0
        for i in range(0, len(y), cfg.batch_size):
            idx = order[i:i + cfg.batch_size]
            loss = F.cross_entropy(gate.head(x[idx]), y[idx], weight=weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        log(json.dumps({"epoch": epoch + 1, "loss": round(total / len(y), 5)}))


def train_unfrozen(gate: GateNet, pos, neg, cfg: GateConfig, g: torch.Generator, log) -> None:
    """Fine-tune some convolutions too (cfg.unfreeze = conv4 | all); slower, for the comparison."""
    layers = {"conv4": list(gate.features)[7:], "all": list(gate.features)}[cfg.unfreeze]
    for p in gate.features.parameters():
        p.requires_grad = False
    params = list(gate.head.parameters()) + [p for m in layers for p in m.parameters()]
    for p in params:
        p.requires_grad = True
    x = torch.from_numpy(np.concatenate([pos, neg]))
    y = torch.cat([torch.ones(len(pos), dtype=torch.long), torch.zeros(len(neg), dtype=torch.long)])
    weight = torch.tensor([len(y) / (2 * len(neg)), len(y) / (2 * len(pos))])
    opt = torch.optim.Adam(params, lr=cfg.lr)
    for epoch in range(cfg.epochs):
        gate.train()
        order = torch.randperm(len(y), generator=g)
        total = 0.0
        for i in range(0, len(y), cfg.batch_size):
            idx = order[i:i + cfg.batch_size]
            loss = F.cross_entropy(gate(x[idx]), y[idx], weight=weight)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        log(json.dumps({"epoch": epoch + 1, "loss": round(total / len(y), 5), "unfreeze": cfg.unfreeze}))


def run_gate(cfg: GateConfig, log=print) -> dict:
    g = seed_everything(cfg.seed, cfg.threads)
    t0 = time.perf_counter()
    models, reports, out = resolve(cfg.models_dir), resolve(cfg.reports_dir), resolve(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(asdict(cfg), indent=2) + "\n")
    digit_path = resolve(cfg.digits_model)
    digit_net = digit_net_from_onnx(digit_path)
    sets = build_sets(cfg, log)
    gate = GateNet(digit_net)
    t_train = time.perf_counter()
    if cfg.unfreeze == "dense":
        for p in gate.features.parameters():
            p.requires_grad = False
        train_head(gate, features(digit_net, sets["train_pos"]), features(digit_net, sets["train_neg"]), cfg, g, log)
    else:
        train_unfrozen(gate, sets["train_pos"], sets["train_neg"], cfg, g, log)
    train_s = time.perf_counter() - t_train
    gate.eval()
    p = {k: predict(gate, sets[k])[:, 1] for k in ("val_pos", "test_pos", "test_traced", "test_neg")}
    base = {k: predict(digit_net, sets[k]).max(1) for k in ("val_pos", "test_pos", "test_traced", "test_neg")}
    th, th_base = threshold_for(p["val_pos"], cfg.accept_rate), threshold_for(base["val_pos"], cfg.accept_rate)
    metrics = {"gate": rates(p["test_pos"], p["test_neg"], th),
               "baseline_max_softmax": rates(base["test_pos"], base["test_neg"], th_base),
               "gate_traced_digits_accepted": round(float((p["test_traced"] >= th).mean()), 5),
               "baseline_traced_digits_accepted": round(float((base["test_traced"] >= th_base).mean()), 5),
               "nondigits_rejected_by_kind": _by_kind(p["test_neg"], sets["test_kinds"], th),
               "unfreeze": cfg.unfreeze, "train_seconds": round(train_s, 1)}
    log(json.dumps({k: metrics[k] for k in ("gate", "baseline_max_softmax")}))
    reports.mkdir(parents=True, exist_ok=True)
    tag = "" if cfg.unfreeze == "dense" else f"_{cfg.unfreeze}"
    (reports / f"gate{tag}.json").write_text(json.dumps(metrics, indent=2) + "\n")
    if not cfg.export:
        return metrics
    plot_roc({"gate": (p["test_pos"], p["test_neg"]), "max-softmax baseline": (base["test_pos"], base["test_neg"])},
             reports / "gate_roc.png")
    plot_worst(sets["test_pos"], p["test_pos"], sets["test_neg"], p["test_neg"], sets["test_kinds"],
               reports / "gate_mistakes.png")
    path = export_onnx(gate, models / "digit_or_not.onnx")
    entry = contract("digit_or_not.onnx", 2, ["not a digit", "digit"])
    entry.update({"sha256": sha256(path), "bytes": path.stat().st_size, "threshold": th,
                  "metrics": metrics, "lookalikes_never_negative": LOOKALIKES,
                  "training": {"command": command_line(), "seed": cfg.seed, "from": digit_path.name,
                               "from_sha256": sha256(digit_path), "total_wall_seconds": round(time.perf_counter() - t0, 1),
                               "data_sha256": file_hashes(mnist_dir(cfg.data_dir)), "versions": versions(),
                               "config": asdict(cfg)}})
    doc = update_models_json(models, "digit_or_not", entry)
    if "digits" in doc["models"]:   # the page's fallback when the gate cannot load
        doc["models"]["digits"]["baseline_threshold"] = th_base
        update_models_json(models, "digits", doc["models"]["digits"])
        from .combine import combine
        combine(models, log)
    return metrics


def _by_kind(p: np.ndarray, kinds: list[str], th: float) -> dict:
    out = {}
    for k in sorted(set(kinds)):
        m = np.array([x == k for x in kinds])
        out[k] = round(float((p[m] < th).mean()), 4)
    return out
