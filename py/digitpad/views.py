"""From the networks' outputs to what the page shows: checks, verdict, top 3, view models.

The networks run outside Python (onnxruntime-web in the page, onnxruntime in tests): a
controller step hands out a batch, and gets back ``digits`` [n,10] and ``digit_or_not`` [n,2] or
None (index 1 = digit; None when the digit-or-not model could not load). The thresholds come
from models.json, where the training run of the digit-or-not model measured them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import UserError

EMPTY, ACCEPTED, REJECTED, MULTIPLE = "empty", "accepted", "rejected", "multiple"
# Without the digit-or-not model, fall back to the digit net's own confidence (the max-softmax baseline).
DEFAULT_BASELINE_THRESHOLD = 0.90
DEFAULT_DIGIT_OR_NOT_THRESHOLD = 0.5


@dataclass
class Thresholds:
    digit_or_not: float = DEFAULT_DIGIT_OR_NOT_THRESHOLD
    baseline: float = DEFAULT_BASELINE_THRESHOLD

    @classmethod
    def from_models_json(cls, doc: dict) -> "Thresholds":
        models = (doc or {}).get("models", {})
        entry = models.get("digit_or_not", {})
        threshold = entry.get("threshold", DEFAULT_DIGIT_OR_NOT_THRESHOLD)
        base = entry.get("baseline_threshold", models.get("digits", {}).get("baseline_threshold",
                                                                           DEFAULT_BASELINE_THRESHOLD))
        return cls(float(threshold), float(base))


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
    """(verdict, digit share for the bar). The bar uses the digit-or-not model when there is one."""
    share = float(p_digit) if p_digit is not None else float(probs.max())
    if symbols > 1:
        return MULTIPLE, share
    threshold = th.digit_or_not if p_digit is not None else th.baseline
    return (ACCEPTED if share >= threshold else REJECTED), share


def empty_view() -> dict:
    return {"verdict": EMPTY, "digit": None, "probabilities": None, "top3": [], "digit_share": None,
            "symbols": 0, "image": None, "message": "Draw a digit on the pad.", "number": "", "number_symbols": []}


def prediction_view(probs: np.ndarray, p_digit: float | None, image: np.ndarray, symbols: int,
                    th: Thresholds, number: list[dict] | None = None) -> dict:
    """The answer; `number` holds the symbol views of the whole pad read as a number, if any."""
    v, share = verdict(p_digit, probs, symbols, th)
    digit = int(np.argmax(probs))
    return {"verdict": v, "digit": digit, "probabilities": [float(x) for x in probs],
            "top3": top3(probs), "digit_share": share, "symbols": symbols,
            "digit_or_not": p_digit is not None,
            "image": image_bytes(image), "message": answer_message(v, digit, float(probs[digit]), number or [])}


def answer_message(v: str, digit: int, p: float, number: list[dict]) -> str:
    """The one sentence the page shows under the pad and announces to screen readers, once per answer."""
    if v == ACCEPTED:
        return f"Looks like a {digit} ({100 * p:.1f}% sure)."
    if v == REJECTED:
        return f"This does not look like a digit (best guess {digit}, {100 * p:.1f}%)."
    read = "".join(str(s["digit"]) for s in number)
    unsure = sum(s["uncertain"] for s in number)
    more = f", {unsure} of them uncertain" if unsure else ""
    return f"Reads {read}: {len(number)} digits{more}." if read else "More than one symbol on the pad."


UNCERTAIN = 0.8   # a digit of a number read with less confidence than this is highlighted


def symbol_view(probs: np.ndarray, p_digit: float | None, image: np.ndarray, box: list[float], th: Thresholds) -> dict:
    """One symbol of the number: its digit, how sure, whether it looks like a digit at all."""
    digit = int(np.argmax(probs))
    p = float(probs[digit])
    is_digit = p_digit is None or p_digit >= th.digit_or_not
    return {"digit": digit, "p": p, "p_digit": p_digit, "uncertain": p < UNCERTAIN or not is_digit,
            "image": image_bytes(image), "box": [float(v) for v in box]}


def least_certain(symbols: list[dict]) -> int:
    """The digit a person most likely needs to look at: the least sure of the uncertain ones, else the first."""
    unsure = [i for i, s in enumerate(symbols) if s["uncertain"]]
    if not unsure:
        return 0
    return min(unsure, key=lambda i: symbols[i]["p"] * (1.0 if symbols[i]["p_digit"] is None else symbols[i]["p_digit"]))


def selected_view(view: dict, index: int, probs: np.ndarray, p_digit: float | None, image: np.ndarray,
                  th: Thresholds) -> dict:
    """A number's view whose answer (digit, probabilities, top 3, eye, verdict) is its selected symbol's.

    ``verdict`` stays "multiple" (the number is the headline); ``selected_verdict`` says whether that
    one symbol is a digit. The whole pad squeezed into one image is kept as ``whole`` only: it is
    no answer to a number, but it is what Normalize-off shows the network's view of."""
    v, share = verdict(p_digit, probs, 1, th)
    digit = int(np.argmax(probs))
    n = len(view["number_symbols"])
    said = answer_message(v, digit, float(probs[digit]), [])
    return {**view, "digit": digit, "probabilities": [float(x) for x in probs], "top3": top3(probs),
            "digit_share": share, "image": image_bytes(image), "selected": index, "selected_verdict": v,
            "selected_of": [index + 1, n],
            "whole": {"digit": view["digit"], "p": view["probabilities"][view["digit"]]},
            "message": f"{view['message']} Digit {index + 1} of {n}: {said[0].lower()}{said[1:]}"}


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
