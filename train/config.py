"""Typed defaults for every training command, in one place. Saved next to each model."""
from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field, fields
from pathlib import Path

from . import ROOT


@dataclass
class DigitsConfig:
    data_dir: str = ""            # empty: $DIGITPAD_MNIST_DIR, else data/mnist/
    out_dir: str = "runs/digits"
    models_dir: str = "models"
    reports_dir: str = "reports"
    seed: int = 1
    epochs: int = 8
    batch_size: int = 128         # fastest on 2 CPU cores with channels_last (DESIGN.md)
    max_lr: float = 3e-3          # OneCycle peak for Adam; 1e-2 diverged without BatchNorm
    weight_decay: float = 0.0
    val_size: int = 5000          # carved from the 60k training images to choose recipes
    limit: int = 0                # >0: train on this many images only (smoke runs)
    test_limit: int = 0           # >0: evaluate on this many test images only (smoke runs)
    # augmentation: drawings are rotated, sheared and bolder/thinner than MNIST's pen
    rotate_deg: float = 12.0
    scale: float = 0.10           # +-10% size
    shear: float = 0.15           # radians
    shift_px: float = 2.0
    thicken_p: float = 0.25
    thin_p: float = 0.15
    extra_samples: str = ""       # a file exported by the page's Collect panel
    threads: int = 0              # 0: all cores
    export: bool = True


@dataclass
class GateConfig:
    data_dir: str = ""
    digits_model: str = "models/digits.onnx"   # the shipped digit net; its convolutions are reused
    out_dir: str = "runs/gate"
    models_dir: str = "models"
    reports_dir: str = "reports"
    seed: int = 2
    epochs: int = 12
    batch_size: int = 256
    lr: float = 1e-3
    negatives: int = 24000        # generated non-digits for training
    heldout_negatives: int = 3000 # from fonts and seeds training never sees
    digits_per_epoch: int = 0     # 0: all 55k training digits
    unfreeze: str = "dense"       # dense | conv4 | all: which layers of the digit net train
    accept_rate: float = 0.993    # threshold: accept this share of validation digits (target >= 99%, with margin)
    extra_samples: str = ""
    limit: int = 0
    threads: int = 0
    export: bool = True


def add_arguments(parser: argparse.ArgumentParser, cls) -> None:
    for f in fields(cls):
        flag = "--" + f.name.replace("_", "-")
        if f.type in ("bool", bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default)
        else:
            typ = {"int": int, "float": float, "str": str}[f.type if isinstance(f.type, str) else f.type.__name__]
            parser.add_argument(flag, type=typ, default=f.default)


def from_args(cls, args: argparse.Namespace):
    return cls(**{f.name: getattr(args, f.name) for f in fields(cls)})


def resolve(path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() else ROOT / p


def asdict(cfg) -> dict:
    return dataclasses.asdict(cfg)
