"""digitpad.personal: the fit's gradient against finite differences, and what a fit must do."""
import numpy as np

from digitpad.personal import FitConfig, Subspace, fit, objective


def problem(seed=0, n=30, k=4, r=6):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, r))
    base = rng.normal(size=(n, k))
    labels = (z @ rng.normal(size=(r, k)) * 3).argmax(1)      # a writer's style: linear in the features
    replay = rng.normal(size=(200, r)) + 0.3
    space = Subspace(np.eye(r), replay.T @ replay / len(replay), replay.mean(0))
    return z, base, labels, space, replay


def test_the_gradient_matches_finite_differences():
    z, base, labels, space, _ = problem()
    y = np.eye(base.shape[1])[labels]
    rng = np.random.default_rng(1)
    a, c = rng.normal(size=(4, 6)) * 0.1, rng.normal(size=4) * 0.1
    _, ga, gc = objective(a, c, z, base, y, space.moments, space.mean, 0.3, 0.7)
    eps = 1e-6
    for i, j in [(0, 0), (2, 3), (3, 5)]:
        d = np.zeros_like(a)
        d[i, j] = eps
        up = objective(a + d, c, z, base, y, space.moments, space.mean, 0.3, 0.7)[0]
        down = objective(a - d, c, z, base, y, space.moments, space.mean, 0.3, 0.7)[0]
        assert abs((up - down) / (2 * eps) - ga[i, j]) < 1e-6
    for i in range(4):
        d = np.zeros_like(c)
        d[i] = eps
        up = objective(a, c + d, z, base, y, space.moments, space.mean, 0.3, 0.7)[0]
        down = objective(a, c - d, z, base, y, space.moments, space.mean, 0.3, 0.7)[0]
        assert abs((up - down) / (2 * eps) - gc[i]) < 1e-6


def test_the_penalty_is_the_mean_squared_logit_change_over_the_replay_set():
    z, base, labels, space, replay = problem()
    rng = np.random.default_rng(2)
    a, c = rng.normal(size=(4, 6)), rng.normal(size=4)
    y = np.eye(4)[labels]
    with_keep = objective(a, c, z, base, y, space.moments, space.mean, 1.0, 1.0)[0]
    without = objective(a, c, z, base, y, space.moments, space.mean, 0.0, 1.0)[0]
    change = replay @ a.T + c
    assert abs((with_keep - without) - float((change ** 2).sum(axis=1).mean())) < 1e-9


def test_a_fit_learns_the_samples_lowers_its_objective_and_repeats_exactly():
    z, base, labels, space, _ = problem()
    cfg = FitConfig(keep=0.01, steps=400)
    corr = fit(z, base, labels, space, cfg)
    before = (base.argmax(1) == labels).mean()
    after = ((base + corr.logits(z)).argmax(1) == labels).mean()
    assert before < 0.5 and after > 0.9
    y = np.eye(4)[labels]
    zero = objective(np.zeros((4, 6)), np.zeros(4), z, base, y, space.moments, space.mean, cfg.keep, 1.0)[0]
    fitted = objective(corr.a.astype(float), corr.c.astype(float), z, base, y, space.moments, space.mean, cfg.keep, 1.0)[0]
    assert fitted < zero
    again = fit(z, base, labels, space, cfg)
    assert np.array_equal(again.a, corr.a) and np.array_equal(again.c, corr.c)
    # a strong keep holds the replay digits' logits: the change shrinks as keep grows
    strong = fit(z, base, labels, space, FitConfig(keep=10.0, steps=400))
    assert np.abs(strong.a).sum() < np.abs(corr.a).sum()
