"""Teaching the page a person's handwriting: the stored samples, their features, and the personal
heads fitted on them (digitpad.personal), applied to every answer while the switch is on.

Nothing here is stored: the samples are (the page's IndexedDB store), and the heads are refitted
from them whenever the page starts, so they survive a reload, work offline, travel in an export
and can never belong to another build's networks. A fit uses at most MAX_FIT samples per label
(the most recent), which bounds its time however large the store grows.
"""
from __future__ import annotations

import time

import numpy as np

from . import kept
from .errors import UserError
from .personal import Correction, FitConfig, Subspace, fit, fit_steps, run_to_end, softmax

HEADS = ("digits", "digit_or_not")
MAX_FIT = 200          # samples per label in one fit (the most recent): 2,200 at most
FOLDS = 5              # held-out reading: each sample read by heads fitted without its fold
TINY = 1e-7


class TeachError(UserError):
    pass


def load_subspaces(blob: bytes, layout: dict, widths: dict) -> dict[str, Subspace]:
    """personal.bin as models.json lays it out; widths: each head's feature length in this graph."""
    if layout.get("dtype") != "float16":
        raise TeachError("personal.bin is not in the layout this page reads")
    out = {}
    for head in HEADS:
        parts = {}
        for name in ("basis", "moments", "mean"):
            spec = layout["arrays"].get(f"{head}.{name}")
            if spec is None:
                raise TeachError(f"personal.bin has no {head}.{name}")
            count = int(np.prod(spec["shape"]))
            if spec["offset"] + 2 * count > len(blob):
                raise TeachError("personal.bin is shorter than models.json says: it is damaged")
            parts[name] = np.frombuffer(blob, np.float16, count, spec["offset"]).reshape(spec["shape"]).astype(np.float32)
        if parts["basis"].shape[0] != widths[head]:
            raise TeachError(f"personal.bin was made for features of length {parts['basis'].shape[0]}, "
                             f"but this page's network gives {widths[head]}")
        out[head] = Subspace(**parts)
    return out


class Personal:
    """The person's heads. ``adjust`` is what every prediction passes through."""

    def __init__(self, temperature: float = 1.0, widths: dict | None = None):
        self.temperature = temperature
        self.widths = widths or {}              # each head's feature length in this page's graph
        self.spaces: dict[str, Subspace] | None = None
        self.heads: dict[str, Correction] | None = None
        self.on = False
        self.cache: dict[str, tuple] = {}       # sample key -> (h, g, shipped digits, shipped digit-or-not)
        self.stats: dict = {"samples": 0}
        self.chosen: list[tuple[str, str]] = []
        self.nets = ""                          # kept.nets_id of this page's networks
        self.labelled: list[tuple[str, str]] = []   # the store's samples, as the last plan saw them
        self._fitting: tuple | None = None      # a fit under way, a slice of steps a message (fit_slice)

    @property
    def active(self) -> bool:
        return self.on and self.heads is not None

    def adjust(self, digits, digit_or_not, h, g):
        """The shipped probabilities, through the personal heads when they are on."""
        if not self.active or h is None or digits is None:
            return digits, digit_or_not
        n = len(digits) // 10 if np.ndim(digits) == 1 else len(digits)
        h = np.asarray(h, np.float32).reshape(n, -1)
        d = np.asarray(digits, np.float32).reshape(n, 10)
        out = _shift(d, self.heads["digits"].logits(h @ self.spaces["digits"].basis) / self.temperature)
        if digit_or_not is not None and g is not None:
            g = np.asarray(g, np.float32).reshape(n, -1)
            dn = np.asarray(digit_or_not, np.float32).reshape(n, 2)
            digit_or_not = _shift(dn, self.heads["digit_or_not"].logits(g @ self.spaces["digit_or_not"].basis))
        return out, digit_or_not

    def remember(self, keys: list[str], digits, digit_or_not, h, g) -> None:
        n = len(keys)
        if h is None or g is None:
            raise TeachError("this page's network gives no features to learn from (the fallback networks "
                             "are in use): the shipped answers stay")
        h, g = np.asarray(h, np.float32).reshape(n, -1), np.asarray(g, np.float32).reshape(n, -1)
        for head, f in (("digits", h), ("digit_or_not", g)):
            if f.shape[1] != self.spaces[head].basis.shape[0]:
                raise TeachError(f"the network gave features of length {f.shape[1]} for {head}, "
                                 f"not {self.spaces[head].basis.shape[0]}: the shipped answers stay")
        d = np.asarray(digits, np.float32).reshape(n, 10)
        dn = np.asarray(digit_or_not, np.float32).reshape(n, 2) if digit_or_not is not None else np.full((n, 2), 0.5, np.float32)
        for i, k in enumerate(keys):
            self.cache[k] = (h[i], g[i], d[i], dn[i])

    def fit(self, labelled: list[tuple[str, str]]) -> dict:
        """Fit both heads on (key, label) pairs whose features are remembered; returns the stats."""
        chosen = [c for c in _recent(labelled) if c[0] in self.cache]    # a damaged sample has no features
        if not chosen:
            self.heads, self.stats = None, {"samples": 0}
            return self.stats
        t0 = time.perf_counter()
        self.heads = self._fit(chosen)
        self.chosen = chosen
        self.stats = {"samples": len(labelled), "used": len(chosen), "fit_ms": round(1000 * (time.perf_counter() - t0), 1)}
        return self.stats

    def held_out(self) -> dict:
        """The stats with how each network reads the samples held out (asked for after the answer:
        it costs FOLDS more fits)."""
        seen = all(k in self.cache for k, _ in self.chosen)   # heads kept from a visit before: no features yet
        if self.heads is not None and self.chosen and seen and "digits" not in self.stats:
            t0 = time.perf_counter()
            self.stats.update(self._held_out(self.chosen), held_out_ms=round(1000 * (time.perf_counter() - t0), 1))
        return self.stats

    def _arrays(self, chosen):
        h = np.stack([self.cache[k][0] for k, _ in chosen])
        g = np.stack([self.cache[k][1] for k, _ in chosen])
        d = np.stack([self.cache[k][2] for k, _ in chosen])
        dn = np.stack([self.cache[k][3] for k, _ in chosen])
        return h, g, d, dn

    def _fit(self, chosen) -> dict[str, Correction]:
        return run_to_end(self._fit_steps(chosen))

    def fit_slice(self, labelled: list[tuple[str, str]], steps: int) -> dict | None:
        """`steps` more gradient steps of a fit on `labelled` (begun here if it is not under way);
        the stats once it is done, else None. The page calls this once a message."""
        if self._fitting is None or self._fitting[0] != labelled:
            chosen = [c for c in _recent(labelled) if c[0] in self.cache]
            if not chosen:
                self._fitting = None
                return self.fit(labelled)
            self._fitting = (labelled, chosen, self._fit_steps(chosen), time.perf_counter(), [0.0])
        _, chosen, run, _, spent = self._fitting
        t0 = time.perf_counter()
        try:
            for _ in range(steps):
                next(run)
        except StopIteration as done:
            self._fitting = None
            self.heads, self.chosen = done.value, chosen
            self.stats = {"samples": len(labelled), "used": len(chosen),
                          "fit_ms": round(spent[0] + 1000 * (time.perf_counter() - t0), 1)}
            return self.stats
        spent[0] += 1000 * (time.perf_counter() - t0)
        return None

    def _fit_steps(self, chosen):
        """The fit as a generator of steps (both heads, one after the other); returns the heads."""
        h, g, d, dn = self._arrays(chosen)
        digit = np.array([lab != "not-digit" for _, lab in chosen])
        heads = {}
        if digit.any():
            labels = np.array([int(lab) for _, lab in chosen if lab != "not-digit"])
            sp = self.spaces["digits"]
            heads["digits"] = yield from fit_steps(h[digit] @ sp.basis, self.temperature * np.log(d[digit] + TINY),
                                                   labels, sp, FitConfig(), self.temperature)
        else:
            heads["digits"] = _zero(10, self.spaces["digits"])
        sp = self.spaces["digit_or_not"]
        heads["digit_or_not"] = yield from fit_steps(g @ sp.basis, np.log(dn + TINY), digit.astype(int), sp, FitConfig())
        return heads

    def _held_out(self, chosen) -> dict:
        """How each network reads the samples, each by heads fitted without it (FOLDS folds)."""
        h, g, d, dn = self._arrays(chosen)
        digit = np.array([lab != "not-digit" for _, lab in chosen])
        labels = np.array([int(lab) if lab != "not-digit" else -1 for _, lab in chosen])
        right = {"digits": [0, 0, 0], "digit_or_not": [0, 0, 0]}      # shipped right, personal right, read
        folds = np.arange(len(chosen)) % FOLDS
        saved = self.heads
        for f in range(min(FOLDS, len(chosen))):
            out, keep = folds == f, folds != f
            if not keep.any():
                continue
            self.heads = self._fit([c for c, k in zip(chosen, keep) if k])
            was_on, self.on = self.on, True
            pd, pdn = self.adjust(d[out].ravel(), dn[out].ravel(), h[out], g[out])
            self.on = was_on
            ok = digit[out]
            right["digits"][0] += int((d[out][ok].argmax(1) == labels[out][ok]).sum())
            right["digits"][1] += int((pd[ok].argmax(1) == labels[out][ok]).sum())
            right["digits"][2] += int(ok.sum())
            right["digit_or_not"][0] += int(((dn[out][:, 1] >= 0.5) == digit[out]).sum())
            right["digit_or_not"][1] += int(((pdn[:, 1] >= 0.5) == digit[out]).sum())
            right["digit_or_not"][2] += int(out.sum())
        self.heads = saved
        return {head: {"shipped": r[0], "personal": r[1], "read": r[2]} for head, r in right.items()}

    def signature(self, chosen: list[tuple[str, str]]) -> str:
        return kept.signature(self.nets, chosen, self.temperature, MAX_FIT)

    def plan(self, labelled: list[tuple[str, str]]) -> list[str]:
        """Remember the store's samples; the keys of the chosen ones whose features are unknown."""
        self.labelled = labelled
        return [k for k, _ in _recent(labelled) if k not in self.cache]

    def take_features(self, items: list) -> int:
        """Features kept from an earlier visit ({key, blob}); a damaged one is left out (refitted)."""
        taken = 0
        for item in items:
            f = kept.features_from(item.get("blob"), self.widths) if isinstance(item, dict) else None
            if f is not None and isinstance(item.get("key"), str):
                self.cache[item["key"]] = f
                taken += 1
        return taken

    def features_of(self, keys: list[str]) -> list[dict]:
        return [{"key": k, "blob": kept.features_bytes(*self.cache[k])} for k in keys if k in self.cache]

    def restore(self, labelled: list[tuple[str, str]], record) -> str:
        """Put heads kept from an earlier visit in force, if they were fitted on exactly these samples
        by these networks. Returns "restored", or why not (and nothing changes): "nothing" kept (never
        written, storage cleared, or a visit that ended before the write), "changed" (other samples,
        labels or networks), or "damaged" (the right signature, but bytes that are not whole heads)."""
        chosen = _recent(labelled)
        if not chosen or not isinstance(record, dict):
            return "nothing"
        if not isinstance(record.get("signature"), str) or "blob" not in record:
            return "damaged"
        if record["signature"] != self.signature(chosen):
            return "changed"
        heads = kept.heads_from(record.get("blob"), {h: self.spaces[h].basis.shape[1] for h in HEADS})
        if heads is None:
            return "damaged"
        self.heads, self.chosen, self.labelled, self.on = heads, chosen, labelled, True
        self.stats = {"samples": len(labelled), "used": len(chosen), "restored": True}
        return "restored"

    def kept_heads(self) -> dict | None:
        """The fitted heads as the page keeps them, with their signature."""
        if self.heads is None:
            return None
        return {"signature": self.signature(self.chosen), "blob": kept.heads_bytes(self.heads)}

    def reset(self) -> None:
        self.heads, self.on, self.stats, self.chosen, self._fitting = None, False, {"samples": 0}, [], None


def _shift(p: np.ndarray, delta: np.ndarray) -> np.ndarray:
    """softmax(log p + delta): the shipped probabilities with a logit change (no weights needed)."""
    return softmax(np.log(p + TINY) + delta).astype(np.float32)


def _zero(k: int, sp: Subspace) -> Correction:
    return Correction(np.zeros((k, sp.basis.shape[1]), np.float32), np.zeros(k, np.float32))


def _recent(labelled: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """At most MAX_FIT per label, the most recent (the list is oldest first)."""
    seen: dict[str, int] = {}
    out = []
    for key, label in reversed(labelled):
        if seen.get(label, 0) < MAX_FIT:
            seen[label] = seen.get(label, 0) + 1
            out.append((key, label))
    return out[::-1]


def rehearse() -> None:
    """One small fit on made-up features, while the person reaches for the pad: the first real
    fit then pays no first-call costs (in the page they made it twice as slow)."""
    rng = np.random.default_rng(0)
    sp = Subspace(np.eye(64, dtype=np.float32), np.eye(64, dtype=np.float32), np.zeros(64, np.float32))
    fit(rng.random((20, 64), np.float32), rng.random((20, 10), np.float32), np.arange(20) % 10, sp, FitConfig(steps=5))
