"""`python -m train digits`: train, export, evaluate and record the digit network."""
from __future__ import annotations

import json
import time
from pathlib import Path

from .config import DigitsConfig, resolve
from .data import file_hashes, mnist_dir, load_split, to_float
from .evaluate import evaluate_digits
from .export import command_line, contract, export_onnx, sha256, update_models_json, versions
from .loop import train_digits
from .networks import count_parameters


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
    onnx_path = export_onnx(net, models / "digits.onnx")
    d = mnist_dir(cfg.data_dir)
    test_x, test_y = load_split(d, "test")
    if cfg.test_limit:
        test_x, test_y = test_x[: cfg.test_limit], test_y[: cfg.test_limit]
    metrics = evaluate_digits(onnx_path, to_float(test_x), test_y, reports, resolve(cfg.out_dir) / "log.jsonl")
    entry = contract("digits.onnx", 10, [str(i) for i in range(10)])
    entry.update({
        "sha256": sha256(onnx_path), "bytes": onnx_path.stat().st_size,
        "parameters": count_parameters(net),
        "metrics": {"test_accuracy": metrics["test_accuracy"], "test_images": metrics["test_images"],
                    "val_accuracy": summary["val_accuracy"],
                    "per_class_accuracy": metrics["per_class_accuracy"]},
        "training": {"command": command_line(), "seed": cfg.seed, "epochs": cfg.epochs,
                     "train_images": summary["train_images"],
                     "train_wall_seconds": summary["train_wall_seconds"],
                     "total_wall_seconds": round(time.perf_counter() - t0, 1),
                     "data_sha256": file_hashes(d), "versions": versions(),
                     "config": json.loads((resolve(cfg.out_dir) / "config.json").read_text())},
    })
    update_models_json(models, "digits", entry)
    log(f"test accuracy {metrics['test_accuracy']:.4%} on {metrics['test_images']} images "
        f"({metrics['errors']} errors); wrote {onnx_path}")
    return entry


def evaluate_shipped(data: str, models: Path, reports: Path) -> dict:
    x, y = load_split(mnist_dir(data), "test")
    m = evaluate_digits(models / "digits.onnx", to_float(x), y, reports, None)
    m.pop("confusion")
    return m
