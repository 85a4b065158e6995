"""Evaluation: batched predictions (PyTorch and ONNX), the digit model's test-set metrics and figures."""
from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402
import torch  # noqa: E402


@torch.no_grad()
def predict(net: torch.nn.Module, x: np.ndarray | torch.Tensor, batch: int = 1000) -> np.ndarray:
    """Softmax probabilities for float32 [n,1,28,28] images."""
    net.eval()
    x = torch.as_tensor(x)
    device = next(net.parameters()).device
    out = [torch.softmax(net(x[i: i + batch].to(device).contiguous(memory_format=torch.channels_last)), 1)
           for i in range(0, len(x), batch)]
    return torch.cat(out).cpu().numpy() if out else np.zeros((0, 10), np.float32)


def accuracy(net, x, y) -> float:
    return float((predict(net, x).argmax(1) == np.asarray(y)).mean()) if len(y) else float("nan")


def onnx_predict(path: Path, x: np.ndarray, batch: int = 1000) -> np.ndarray:
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return np.concatenate([sess.run(["probabilities"], {"image": x[i: i + batch]})[0]
                           for i in range(0, len(x), batch)])


def digit_metrics(probs: np.ndarray, y: np.ndarray) -> dict:
    pred = probs.argmax(1)
    confusion = np.zeros((10, 10), np.int64)
    np.add.at(confusion, (y, pred), 1)
    per_class = {str(c): round(float(confusion[c, c] / max(confusion[c].sum(), 1)), 5) for c in range(10)}
    return {"test_images": int(len(y)), "test_accuracy": round(float((pred == y).mean()), 5),
            "errors": int((pred != y).sum()), "per_class_accuracy": per_class,
            "confusion": confusion.tolist()}


def plot_confusion(confusion: np.ndarray, path: Path) -> None:
    fig, ax = plt.subplots(figsize=(6, 5.4))
    off = confusion.copy()
    np.fill_diagonal(off, 0)
    ax.imshow(off, cmap="Reds")
    for i in range(10):
        for j in range(10):
            ax.text(j, i, str(confusion[i, j]), ha="center", va="center", fontsize=7,
                    color="black" if i != j else "green")
    ax.set_xticks(range(10)), ax.set_yticks(range(10))
    ax.set_xlabel("predicted"), ax.set_ylabel("true")
    ax.set_title("Confusion on the MNIST test set (off-diagonal shaded)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_mistakes(x: np.ndarray, y: np.ndarray, probs: np.ndarray, path: Path, most: int = 64,
                  title: str = "Misclassified test digits: true -> predicted (confidence)") -> None:
    pred = probs.argmax(1)
    wrong = np.nonzero(pred != y)[0]
    wrong = wrong[np.argsort(-probs[wrong, pred[wrong]])][:most]
    cols = 8
    rows = max((len(wrong) + cols - 1) // cols, 1)
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.3, rows * 1.5))
    for ax in np.ravel(axes):
        ax.axis("off")
    for ax, i in zip(np.ravel(axes), wrong):
        ax.imshow(x[i, 0], cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{y[i]}->{pred[i]} ({probs[i, pred[i]]:.2f})", fontsize=8)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_curve(log_path: Path, path: Path) -> None:
    rows = [json.loads(line) for line in log_path.read_text().splitlines() if line.strip()]
    if not rows:
        return
    ep = [r["epoch"] for r in rows]
    fig, ax1 = plt.subplots(figsize=(6, 3.6))
    ax1.plot(ep, [r["loss"] for r in rows], "o-", color="tab:blue", label="train loss")
    ax1.set_xlabel("epoch"), ax1.set_ylabel("train loss (augmented)")
    ax2 = ax1.twinx()
    ax2.plot(ep, [100 * r["val_accuracy"] for r in rows], "s-", color="tab:green", label="validation")
    if all("val_traced_accuracy" in r for r in rows):
        ax2.plot(ep, [100 * r["val_traced_accuracy"] for r in rows], "^-", color="tab:orange",
                 label="validation, traced as on the pad")
    ax2.set_ylabel("accuracy %")
    ax1.legend(*[sum(p, []) for p in zip(ax1.get_legend_handles_labels(), ax2.get_legend_handles_labels())],
               loc="upper right", bbox_to_anchor=(0.98, 0.52), fontsize=8)   # between the falling loss and the accuracies
    ax1.set_title("Digit network training")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def evaluate_digits(model: Path, x: np.ndarray, y: np.ndarray, reports: Path, log_path: Path | None) -> dict:
    reports.mkdir(parents=True, exist_ok=True)
    probs = onnx_predict(model, x)
    m = digit_metrics(probs, y)
    plot_confusion(np.array(m["confusion"]), reports / "digits_confusion.png")
    plot_mistakes(x, y, probs, reports / "digits_mistakes.png")
    if log_path is not None and log_path.exists():
        plot_curve(log_path, reports / "digits_training.png")
    (reports / "digits.json").write_text(json.dumps(m, indent=2) + "\n")
    return m
