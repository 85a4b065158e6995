"""The digit network's training loop: seeded, logged one JSON line per epoch."""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from .augment import augment
from .config import DigitsConfig, asdict, resolve
from .data import mnist_dir, load_split, to_float
from .networks import DigitNet


def seed_everything(seed: int, threads: int = 0) -> torch.Generator:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)
    return torch.Generator().manual_seed(seed)


def split_train_val(n: int, val_size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A fixed validation split carved from the training images (the test set is for the report)."""
    perm = np.random.default_rng(seed).permutation(n)
    return perm[val_size:], perm[:val_size]


@torch.no_grad()
def predict(net: torch.nn.Module, x: np.ndarray | torch.Tensor, batch: int = 1000) -> np.ndarray:
    """Softmax probabilities for float32 [n,1,28,28] images."""
    net.eval()
    x = torch.as_tensor(x)
    out = [torch.softmax(net(x[i: i + batch].contiguous(memory_format=torch.channels_last)), 1)
           for i in range(0, len(x), batch)]
    return torch.cat(out).numpy() if out else np.zeros((0, 10), np.float32)


def accuracy(net, x, y) -> float:
    return float((predict(net, x).argmax(1) == np.asarray(y)).mean()) if len(y) else float("nan")


def train_epoch(net, opt, sched, x, y, g, cfg, desc: str) -> float:
    net.train()
    order = torch.randperm(len(x), generator=g)
    total, count = 0.0, 0
    bar = tqdm(range(0, len(x), cfg.batch_size), desc=desc, leave=False, mininterval=1.0)
    for i in bar:
        idx = order[i: i + cfg.batch_size]
        xb = augment(x[idx], g, cfg).contiguous(memory_format=torch.channels_last)
        loss = F.cross_entropy(net(xb), y[idx])
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
    if extra is not None and len(extra[1]):
        x = torch.cat([x, torch.from_numpy(extra[0])])
        y = torch.cat([y, torch.from_numpy(extra[1])])
    val_x, val_y = to_float(images[va]), labels[va]
    test_xf = to_float(test_x)

    net = DigitNet().to(memory_format=torch.channels_last)
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
        loss = train_epoch(net, opt, sched, x, y, g, cfg, f"epoch {epoch}/{cfg.epochs}")
        train_s = time.perf_counter() - t0
        row = {"epoch": epoch, "loss": round(loss, 5), "val_accuracy": accuracy(net, val_x, val_y),
               "test_accuracy": accuracy(net, test_xf, test_y), "seconds": round(train_s, 2)}
        with open(log_path, "a") as f:
            f.write(json.dumps(row) + "\n")
        log(json.dumps(row))
    wall = time.perf_counter() - start
    torch.save(net.state_dict(), out / "model.pt")
    summary = {"train_images": int(len(x)), "val_images": int(len(va)), "test_images": int(len(test_y)),
               "val_accuracy": row["val_accuracy"], "test_accuracy": row["test_accuracy"],
               "train_wall_seconds": round(wall, 1), "epochs": cfg.epochs}
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    return net, summary
