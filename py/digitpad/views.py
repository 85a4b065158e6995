"""From the networks' outputs to what the page shows: checks, verdict, top 3, view models.

The networks run outside Python (onnxruntime-web in the page, onnxruntime in tests): a
controller step hands out a batch, and gets back ``digits`` [n,10] and ``gate`` [n,2] or None
(gate index 1 = digit; None when there is no gate model). The thresholds come from models.json,
where the training run that produced the gate measured them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import UserError

EMPTY, ACCEPTED, REJECTED, MULTIPLE = "empty", "accepted", "rejected", "multiple"
# Without a gate model, fall back to the digit net's own confidence (the max-softmax baseline).
DEFAULT_BASELINE_THRESHOLD = 0.90
DEFAULT_GATE_THRESHOLD = 0.5


@dataclass
class Thresholds:
    gate: float = DEFAULT_GATE_THRESHOLD
    baseline: float = DEFAULT_BASELINE_THRESHOLD

    @classmethod
    def from_models_json(cls, doc: dict) -> "Thresholds":
        models = (doc or {}).get("models", {})
        gate = models.get("digit_or_not", {}).get("threshold", DEFAULT_GATE_THRESHOLD)
        base = models.get("digits", {}).get("baseline_threshold", DEFAULT_BASELINE_THRESHOLD)
        return cls(float(gate), float(base))


class ModelOutputError(UserError):
    """A model answered outside its contract: the file is wrong or damaged."""


def check_probabilities(p, n: int, k: int, name: str) -> np.ndarray:
    """Refuse a model output that breaks the contract, with a message the page can show."""
    a = np.asarray(p, dtype=np.float32).reshape(-1)
    if a.size != n * k:
        raise ModelOutputError(f"{name} returned {a.size} numbers, expected {n}x{k}: is it the right model file?")
    a = a.reshape(n, k)
    sums = a.sum(1)          # NaN and inf show up in the sums: one reduction checks all three
    if not (np.abs(sums - 1) <= 1e-3).all() or a.min() < -1e-4:
        raise ModelOutputError(f"{name} returned values that are not probabilities: is the model file corrupt?")
    return np.clip(a, 0, 1)


def top3(p: np.ndarray) -> list[dict]:
    order = np.argsort(-p, kind="stable")[:3]
    return [{"digit": int(i), "p": float(p[i])} for i in order]


def verdict(p_digit: float | None, probs: np.ndarray, symbols: int, th: Thresholds) -> tuple[str, float]:
    """(verdict, digit share for the bar). The bar uses the gate when there is one."""
    share = float(p_digit) if p_digit is not None else float(probs.max())
    if symbols > 1:
        return MULTIPLE, share
    threshold = th.gate if p_digit is not None else th.baseline
    return (ACCEPTED if share >= threshold else REJECTED), share


def empty_view() -> dict:
    return {"verdict": EMPTY, "digit": None, "probabilities": None, "top3": [], "digit_share": None,
            "symbols": 0, "image": None, "message": "Draw a digit on the pad."}


def prediction_view(probs: np.ndarray, p_digit: float | None, image: np.ndarray, symbols: int,
                    th: Thresholds) -> dict:
    v, share = verdict(p_digit, probs, symbols, th)
    digit = int(np.argmax(probs))
    messages = {ACCEPTED: f"Looks like a {digit}.",
                REJECTED: "This does not look like a digit.",
                MULTIPLE: f"{symbols} symbols on the pad: draw one digit at a time."}
    return {"verdict": v, "digit": digit, "probabilities": [float(x) for x in probs],
            "top3": top3(probs), "digit_share": share, "symbols": symbols,
            "gate": p_digit is not None,
            "image": image_bytes(image), "message": messages[v]}


def image_bytes(image: np.ndarray) -> bytes:
    """28x28 float image -> 784 bytes, for painting the model's eye view."""
    return (np.clip(image, 0, 1) * 255).round().astype(np.uint8).tobytes()


def sweep_view(angles: list[float], probs: np.ndarray, p_digit: np.ndarray | None) -> list[dict]:
    out = []
    for i, a in enumerate(angles):
        d = int(np.argmax(probs[i]))
        out.append({"angle": float(a), "digit": d, "p": float(probs[i, d]),
                    "digit_share": float(p_digit[i]) if p_digit is not None else None})
    return out
