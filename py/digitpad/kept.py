"""What a reload keeps of teaching, so that the heads are in force from the first answer.

Fitting the personal heads needs each chosen sample's features, and the features need the networks:
at every start that was a network run over every stored sample, then the fit (seconds for 3,000
samples). Neither changes between visits unless the samples or the networks do, so the page keeps
(in IndexedDB, beside the samples) two things, both keyed by the networks' identity:

- each sample's features (what the graph's `digit_features` / `dnn_features` gave, with the
  shipped probabilities), so a later fit runs the networks only on samples never seen;
- the fitted heads, with the signature of everything the fit depended on (the networks, the
  chosen samples and their labels, the fit's settings). A start whose signature matches puts the
  heads in force at once; anything else refits.

A damaged or foreign record is refused here and the page refits: a cache never changes an answer.
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict

import numpy as np

from .personal import Correction, FitConfig

HEADS = ("digits", "digit_or_not")
CLASSES = {"digits": 10, "digit_or_not": 2}


def as_bytes(blob) -> bytes:
    """Bytes as the page keeps them: base64 text (the replies are JSON), or bytes."""
    if isinstance(blob, str):
        try:
            return base64.b64decode(blob, validate=True)
        except ValueError:
            return b""
    return bytes(blob) if isinstance(blob, (bytes, bytearray, memoryview)) else b""


def nets_id(doc: dict) -> str:
    """The networks the features and heads belong to: the graph and the personal subspaces."""
    graph = doc.get("models", {}).get("combined", {}).get("sha256", "")
    spaces = doc.get("personal", {}).get("sha256", "")
    return hashlib.sha256(f"{graph}:{spaces}".encode()).hexdigest()[:32]


def signature(nets: str, chosen: list[tuple[str, str]], temperature: float, max_fit: int) -> str:
    """Everything a fit depends on, hashed: the same signature is the same heads."""
    doc = [nets, asdict(FitConfig()), temperature, max_fit, chosen]
    return hashlib.sha256(json.dumps(doc, separators=(",", ":")).encode()).hexdigest()


def heads_bytes(heads: dict[str, Correction]) -> bytes:
    return b"".join(np.concatenate([heads[h].a.ravel(), heads[h].c]).astype("<f4").tobytes() for h in HEADS)


def heads_from(blob, ranks: dict[str, int]) -> dict[str, Correction] | None:
    """The heads from their bytes, or None when they are not heads of these subspaces' ranks."""
    blob = as_bytes(blob)
    sizes = [CLASSES[h] * (ranks[h] + 1) for h in HEADS]
    if len(blob) != 4 * sum(sizes):
        return None
    flat = np.frombuffer(blob, "<f4").astype(np.float32)
    if not np.isfinite(flat).all():
        return None
    out, at = {}, 0
    for h, size in zip(HEADS, sizes):
        k, rank = CLASSES[h], ranks[h]
        part = flat[at:at + size]
        out[h] = Correction(part[:k * rank].reshape(k, rank).copy(), part[k * rank:].copy())
        at += size
    return out


def features_bytes(h: np.ndarray, g: np.ndarray, d: np.ndarray, dn: np.ndarray) -> bytes:
    return np.concatenate([h, g, d, dn]).astype("<f4").tobytes()


def features_from(blob, widths: dict) -> tuple | None:
    """(h, g, shipped digits, shipped digit-or-not) from their bytes, or None when they do not fit."""
    blob = as_bytes(blob)
    wh, wg = widths["digits"], widths["digit_or_not"]
    if len(blob) != 4 * (wh + wg + 12):
        return None
    f = np.frombuffer(blob, "<f4").astype(np.float32)
    if not np.isfinite(f).all():
        return None
    return f[:wh], f[wh:wh + wg], f[wh + wg:wh + wg + 10], f[wh + wg + 10:]
