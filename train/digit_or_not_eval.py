"""Metrics and figures for digit-or-not: AUROC, rates at a threshold, ROC curve, worst mistakes."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def auroc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(score of a random digit > score of a random non-digit), ties counted half (Mann-Whitney)."""
    scores = np.concatenate([pos, neg])
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    s = scores[order]
    i = 0
    while i < len(s):          # average ranks over ties
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    r_pos = ranks[: len(pos)].sum()
    return float((r_pos - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def threshold_for(pos_val: np.ndarray, accept_rate: float) -> float:
    """The largest threshold that still accepts `accept_rate` of the validation digits."""
    return float(np.quantile(pos_val, 1 - accept_rate, method="lower"))


def rates(pos: np.ndarray, neg: np.ndarray, threshold: float) -> dict:
    return {"auroc": round(auroc(pos, neg), 5), "threshold": round(float(threshold), 6),
            "digits_accepted": round(float((pos >= threshold).mean()), 5),
            "nondigits_rejected": round(float((neg < threshold).mean()), 5),
            "digits": int(len(pos)), "nondigits": int(len(neg))}


def roc_points(pos, neg):
    th = np.unique(np.concatenate([pos, neg]))[::-1]
    th = th[np.linspace(0, len(th) - 1, min(len(th), 2000)).astype(int)]
    return [(float((neg >= t).mean()), float((pos >= t).mean())) for t in th]


def plot_roc(curves: dict[str, tuple[np.ndarray, np.ndarray]], path: Path) -> None:
    fig, (a, b) = plt.subplots(1, 2, figsize=(10, 4.2))
    for name, (pos, neg) in curves.items():
        pts = np.array(roc_points(pos, neg))
        label = f"{name} (AUROC {auroc(pos, neg):.4f})"
        a.plot(pts[:, 0], pts[:, 1], label=label)
        b.plot(pts[:, 0], pts[:, 1], label=label)
    a.plot([0, 1], [0, 1], ":", color="grey")
    a.set_xlabel("non-digits accepted"), a.set_ylabel("digits accepted"), a.set_title("ROC, held-out set")
    b.set_xlim(0, 0.1), b.set_ylim(0.95, 1.0), b.set_title("zoom: the corner that matters")
    b.set_xlabel("non-digits accepted")
    a.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_worst(pos_x, pos_p, neg_x, neg_p, neg_kinds, path: Path, most: int = 24) -> None:
    """Digits the digit-or-not model doubted most, and non-digits it believed most."""
    worst_pos = np.argsort(pos_p)[:most]
    worst_neg = np.argsort(-neg_p)[:most]
    fig, axes = plt.subplots(6, 8, figsize=(10, 8))
    for ax in axes.ravel():
        ax.axis("off")
    for ax, i in zip(axes[:3].ravel(), worst_pos):
        ax.imshow(pos_x[i, 0], cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"digit p={pos_p[i]:.2f}", fontsize=7)
    for ax, i in zip(axes[3:].ravel(), worst_neg):
        ax.imshow(neg_x[i, 0], cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{neg_kinds[i]} p={neg_p[i]:.2f}", fontsize=7)
    fig.suptitle("Worst mistakes on the held-out set: doubted digits (top), believed non-digits (bottom)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
