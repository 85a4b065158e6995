"""Personal heads: a shipped network's last layer corrected for one person's samples, in numpy.

A head maps features f (the hidden layer that feeds the shipped last layer) to logits
``f @ W0.T + b0``. A personal head adds a correction that lives in a small subspace of the
features (``P``, the top principal directions of the features of MNIST training digits):

    logits = f @ W0.T + b0 + (f @ P) @ A.T + c

and fits A and c on the person's samples (cross-entropy) while keeping the logits of the
training digits where they were: the penalty ``tr(A S A.T) + ||c||²·s0`` is the mean squared
logit change over those digits (S, s0: their projected second moments, computed when the
subspace was made). That is distillation of the shipped head on a replay set, reduced to a
quadratic form, so the page needs no replay images and no linear algebra library (numpy.linalg
is not in the page's bundle): a fixed number of accelerated gradient steps on A and c, from zero.

Same samples, same result: the steps are deterministic, and so is their order.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Subspace:
    """What a personal head needs besides the shipped weights (made by train/personal.py)."""
    basis: np.ndarray        # P [d, r]: orthonormal directions of the features
    moments: np.ndarray      # S [r, r]: mean of (f P)^T (f P) over the replay digits
    mean: np.ndarray         # m [r]: mean of f P over the replay digits (the bias's cross term)


@dataclass(frozen=True)
class FitConfig:
    keep: float = 0.1        # weight of the replay penalty against the samples' loss (train personal chose it)
    steps: int = 200         # gradient steps (fixed: the same samples give the same head)
    rate: float = 1.0        # step size, in units of 1/L (L: a bound on the loss's curvature)


@dataclass(frozen=True)
class Correction:
    a: np.ndarray            # A [k, r]
    c: np.ndarray            # c [k]

    def logits(self, z: np.ndarray) -> np.ndarray:
        """The logit change for projected features z = f P [n, r]."""
        return z @ self.a.T + self.c


def softmax(x: np.ndarray, temperature: float = 1.0) -> np.ndarray:
    x = x / temperature
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def fit(z: np.ndarray, base_logits: np.ndarray, labels: np.ndarray, space: Subspace,
        cfg: FitConfig = FitConfig(), temperature: float = 1.0) -> Correction:
    """Fit a correction on samples (all steps at once): see fit_steps."""
    return run_to_end(fit_steps(z, base_logits, labels, space, cfg, temperature))


def run_to_end(steps):
    """What a generator of steps returns, once every step is taken."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def fit_steps(z: np.ndarray, base_logits: np.ndarray, labels: np.ndarray, space: Subspace,
              cfg: FitConfig = FitConfig(), temperature: float = 1.0):
    """Fit a correction on samples: z = f P [n, r], the shipped logits [n, k], labels [n] in 0..k-1.
    A generator: it yields after every step (the page spreads a fit over several messages, so
    strokes are answered between) and returns the Correction. The same steps, however sliced.

    Minimises   mean CE(softmax((base + z A^T + c)/T), y)
              + keep * mean over replay of ||f P A^T + c||²       (= tr(A S A^T) + 2 c·(A m) + ||c||²)
    by gradient descent with a step from a curvature bound, so it needs no tuning per person.
    """
    z = np.asarray(z, np.float32)                      # float32: half the memory traffic in the page
    base = np.asarray(base_logits, np.float32)
    n, k = base.shape
    r = z.shape[1]
    y = np.zeros((n, k), np.float32)
    y[np.arange(n), np.asarray(labels)] = 1.0
    S, m = np.asarray(space.moments, np.float32), np.asarray(space.mean, np.float32)
    a, c = np.zeros((k, r), np.float32), np.zeros(k, np.float32)
    # curvature bounds: CE's Hessian is at most 1/(2T²) times the features' second moment
    zz = float((z * z).sum(axis=1).mean()) + 1.0
    lip = zz / (2 * temperature ** 2) + 2 * cfg.keep * (float(np.trace(S)) + 1.0)
    step = np.float32(cfg.rate / lip)
    # Nesterov's accelerated gradient: a convex objective, so a fixed momentum schedule reaches in
    # a few hundred steps what plain steps reach in thousands (measured by `train personal`)
    prev_a, prev_c = a, c
    for i in range(cfg.steps):
        mom = i / (i + 3)
        la, lc = a + mom * (a - prev_a), c + mom * (c - prev_c)
        _, ga, gc = objective(la, lc, z, base, y, S, m, cfg.keep, temperature)
        prev_a, prev_c = a, c
        a, c = la - step * ga, lc - step * gc
        if i + 1 < cfg.steps:
            yield
    return Correction(a.astype(np.float32), c.astype(np.float32))


def objective(a, c, z, base, y, S, m, keep: float, temperature: float):
    """The fit's objective and its gradients in A and c (y: one-hot labels [n, k])."""
    n = len(z)
    logits = (base + z @ a.T + c) / temperature
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    penalty = float(np.sum((a @ S) * a) + 2 * c @ (a @ m) + c @ c)
    value = float(-(y * logp).sum() / n) + keep * penalty
    g = (np.exp(logp) - y) / (n * temperature)                     # dCE/dlogits, averaged
    ga = g.T @ z + 2 * keep * (a @ S + np.outer(c, m))
    gc = g.sum(axis=0) + 2 * keep * (c + a @ m)
    return value, ga, gc
