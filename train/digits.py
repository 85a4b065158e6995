"""`python -m train digits`: train, calibrate, export, evaluate and record the digit network.

Seeded and logged one JSON line per epoch (runs/digits/log.jsonl). With BatchNorm, it is folded
into the convolutions before export: the shipped graph is the reference architecture exactly.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from . import calibrate
from .augment import augment
from .config import DigitsConfig, asdict, resolve
from .data import file_hashes, load_split, mnist_dir, sha256, to_float
from .evaluate import accuracy, evaluate_digits
from .networks import DigitNet, WithSoftmax, count_parameters, fold_batchnorm
from .onnx_io import command_line, contract, export, update_models_json, versions
from .splits import seed_everything, split_train_val


def train_epoch(net, opt, sched, x, y, g, cfg, desc: str, xt: torch.Tensor | None = None) -> float:
    """One epoch; with xt (the same digits traced and rendered as the page does), each image is
    swapped for its traced rendering with probability cfg.traced_p before augmentation."""
    net.train()
    order = torch.randperm(len(x), generator=g)
    total, count = 0.0, 0
    bar = tqdm(range(0, len(x), cfg.batch_size), desc=desc, leave=False, mininterval=1.0)
    for i in bar:
        idx = order[i: i + cfg.batch_size]
        xb = x[idx]
        if xt is not None:
            swap = (torch.rand(len(idx), generator=g) < cfg.traced_p).view(-1, 1, 1, 1)
            xb = torch.where(swap, xt[idx], xb)
        xb = augment(xb, g, cfg).to(cfg.device).contiguous(memory_format=torch.channels_last)
        loss = F.cross_entropy(net(xb), y[idx].to(cfg.device), label_smoothing=cfg.label_smoothing)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        total += loss.item() * len(idx)
        count += len(idx)
        bar.set_postfix(loss=f"{total / count:.4f}")
    return total / max(count, 1)


def train_digits(cfg: DigitsConfig, extra: tuple[np.ndarray, np.ndarray] | None = None,
                 log=print) -> tuple[DigitNet, dict]:
    g = seed_everything(cfg.seed, cfg.threads)
    d = mnist_dir(cfg.data_dir)
    images, labels = load_split(d, "train")
    test_x, test_y = load_split(d, "test")
    if cfg.test_limit:
        test_x, test_y = test_x[: cfg.test_limit], test_y[: cfg.test_limit]
    tr, va = split_train_val(len(images), cfg.val_size, cfg.seed)
    if cfg.limit:
        tr = tr[: cfg.limit]
        va = va[: max(cfg.limit // 5, 1)]
    x = torch.from_numpy(to_float(images[tr]))
    y = torch.from_numpy(labels[tr])
    if cfg.cut_pieces:            # touching digits cut as the reader cuts them: from training images only
        from .pieces import cut_pieces
        n = min(cfg.cut_pieces, cfg.limit // 5) if cfg.limit else cfg.cut_pieces
        px, py, _, _ = cut_pieces(images[tr], labels[tr], n, 0, cfg.seed + 500)
        log(f"cut pieces: {len(py)} digits cut from touching runs")
        extra = (px, py) if extra is None or not len(extra[1]) else \
            (np.concatenate([extra[0], px]), np.concatenate([extra[1], py]))
    if extra is not None and len(extra[1]):
        x = torch.cat([x, torch.from_numpy(extra[0])])
        y = torch.cat([y, torch.from_numpy(extra[1])])
    val_x, val_y = to_float(images[va]), labels[va]
    test_xf = to_float(test_x)
    xt = val_traced = None
    if cfg.traced_p > 0 or cfg.report_traced:    # the digits as the page draws them (cached: tracing takes minutes)
        from .traced import cached_traced_digits
        cache = resolve("runs/cache")
        if cfg.limit:       # a smoke run traces only the images it uses (all 60,000 take minutes)
            traced_tr, val_traced = (cached_traced_digits(images[i], cfg.traced_seed, cache, log=log) for i in (tr, va))
        else:               # one cache for every full run, whatever its split
            traced = cached_traced_digits(images, cfg.traced_seed, cache, log=log)
            traced_tr, val_traced = traced[tr], traced[va]
        if cfg.traced_p > 0:
            xt = torch.from_numpy(traced_tr)
            if extra is not None and len(extra[1]):       # collected samples have no traced twin: themselves
                xt = torch.cat([xt, torch.from_numpy(extra[0])])

    net = DigitNet(cfg.batchnorm).to(cfg.device, memory_format=torch.channels_last)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.max_lr, weight_decay=cfg.weight_decay)
    steps = (len(x) + cfg.batch_size - 1) // cfg.batch_size
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, cfg.max_lr, total_steps=cfg.epochs * steps)

    out = resolve(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(asdict(cfg), indent=2) + "\n")
    log_path = out / "log.jsonl"
    log_path.write_text("")
    start = time.perf_counter()
    for epoch in range(1, cfg.epochs + 1):
        t0 = time.perf_counter()
        loss = train_epoch(net, opt, sched, x, y, g, cfg, f"epoch {epoch}/{cfg.epochs}", xt)
        # validation only: test is measured once, after training (it never steers anything, and
        # 10,000 more images an epoch cost over a minute of the 2-core budget)
        row = {"epoch": epoch, "loss": round(loss, 5), "val_accuracy": accuracy(net, val_x, val_y),
               "seconds": round(time.perf_counter() - t0, 2)}
        if val_traced is not None:
            row["val_traced_accuracy"] = accuracy(net, val_traced, val_y)
        with open(log_path, "a") as f:
            f.write(json.dumps(row) + "\n")
        log(json.dumps(row))
    wall = time.perf_counter() - start
    test_accuracy = accuracy(net, test_xf, test_y)
    net = net.cpu()     # folding, calibration and export run on the CPU whatever trained it
    net = fold_batchnorm(net.eval()) if cfg.batchnorm else net.eval()   # the shipped architecture, unchanged
    torch.save(net.state_dict(), out / "model.pt")
    temperature = calibrate.fit_temperature(calibrate.logits(net, val_x), val_y)
    summary = {"train_images": int(len(x)), "val_images": int(len(va)), "test_images": int(len(test_y)),
               "val_accuracy": row["val_accuracy"], "test_accuracy": test_accuracy,
               "val_traced_accuracy": row.get("val_traced_accuracy"), "temperature": round(temperature, 4),
               "train_wall_seconds": round(wall, 1), "epochs": cfg.epochs}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return net, summary


def run_digits(cfg: DigitsConfig, log=print) -> dict:
    extra = None
    if cfg.extra_samples:
        from .samples import digit_samples
        extra = digit_samples(Path(cfg.extra_samples))
        log(f"extra samples: {len(extra[1])} digits from {cfg.extra_samples}")
    t0 = time.perf_counter()
    net, summary = train_digits(cfg, extra, log)
    if not cfg.export:
        return summary
    models, reports = resolve(cfg.models_dir), resolve(cfg.reports_dir)
    temperature = summary["temperature"]
    onnx_path = export(WithSoftmax(net, temperature), models / "digits.onnx", ["probabilities"])
    d = mnist_dir(cfg.data_dir)
    test_x, test_y = load_split(d, "test")
    if cfg.test_limit:
        test_x, test_y = test_x[: cfg.test_limit], test_y[: cfg.test_limit]
    test_xf = to_float(test_x)
    metrics = evaluate_digits(onnx_path, test_xf, test_y, reports, resolve(cfg.out_dir) / "log.jsonl")
    if cfg.cut_pieces:            # touching test digits, cut as the reader cuts them
        from .evaluate import predict
        from .pieces import cut_pieces
        px, py, _, _ = cut_pieces(test_x, test_y, min(2000, len(test_y)), 0, cfg.seed + 600)
        metrics["cut_test_accuracy"] = round(float((predict(net, px).argmax(1) == py).mean()), 5)
        metrics["cut_test_pieces"] = len(py)
    z = calibrate.logits(net, test_xf)
    before, after = calibrate.softmax(z), calibrate.softmax(z, temperature)
    calibrate.plot_reliability(before, after, test_y, temperature, reports / "digits_reliability.png")
    calibration = {"temperature": temperature, "fitted_on": "validation split",
                   "test_ece_before": round(calibrate.ece(before, test_y), 5),
                   "test_ece_after": round(calibrate.ece(after, test_y), 5)}
    entry = contract("digits.onnx", {"probabilities": 10}, {"probabilities": [str(i) for i in range(10)]})
    entry.update({
        "sha256": sha256(onnx_path), "bytes": onnx_path.stat().st_size, "parameters": count_parameters(net),
        "temperature": temperature,
        "metrics": {"test_accuracy": metrics["test_accuracy"], "test_images": metrics["test_images"],
                    "val_accuracy": summary["val_accuracy"], "val_traced_accuracy": summary["val_traced_accuracy"],
                    "cut_test_accuracy": metrics.get("cut_test_accuracy"), "cut_test_pieces": metrics.get("cut_test_pieces"),
                    "per_class_accuracy": metrics["per_class_accuracy"], "calibration": calibration},
        "training": {"command": command_line(), "seed": cfg.seed, "epochs": cfg.epochs,
                     "train_images": summary["train_images"], "train_wall_seconds": summary["train_wall_seconds"],
                     "total_wall_seconds": round(time.perf_counter() - t0, 1),
                     "data_sha256": file_hashes(d), "versions": versions(), "config": asdict(cfg)},
    })
    update_models_json(models, "digits", entry)
    log(f"test accuracy {metrics['test_accuracy']:.4%} on {metrics['test_images']} images ({metrics['errors']} errors); "
        f"ECE {calibration['test_ece_before']:.4f} -> {calibration['test_ece_after']:.4f} at T = {temperature:.3f}; "
        f"wrote {onnx_path}")
    return entry


def evaluate_shipped(data: str, models: Path, reports: Path) -> dict:
    x, y = load_split(mnist_dir(data), "test")
    m = evaluate_digits(models / "digits.onnx", to_float(x), y, reports, None)
    m.pop("confusion")
    return m
