"""Seeding, and the train/validation split every step shares (the test set is for reports only)."""
from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import torch


def seed_everything(seed: int, threads: int = 0) -> torch.Generator:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)
    return torch.Generator().manual_seed(seed)


def split_train_val(n: int, val_size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A fixed validation split carved from the training images, to choose recipes on."""
    perm = np.random.default_rng(seed).permutation(n)
    return perm[val_size:], perm[:val_size]


def digit_split(models: Path, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The digit network's own split, read from the config its training run saved in models.json:
    later steps keep its validation images unseen without repeating its settings."""
    doc = json.loads((Path(models) / "models.json").read_text())
    cfg = doc["models"]["digits"]["training"]["config"]
    return split_train_val(n, cfg["val_size"], cfg["seed"])
