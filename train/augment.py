"""Batch augmentation on the CPU: random affine maps and stroke-thickness changes.

People draw rotated, slanted, bigger or smaller, and with bolder or thinner pens than MNIST's;
the network should have seen all of that.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def elastic_field(n: int, g: torch.Generator, alpha: float, sigma: float, size: int = 28) -> torch.Tensor:
    """Smooth random displacements (Simard et al. 2003), in grid units, [n, size, size, 2]."""
    d = torch.rand(n * 2, 1, size, size, generator=g) * 2 - 1
    r = int(2 * sigma)
    t = torch.arange(-r, r + 1, dtype=torch.float32)
    k = torch.exp(-t ** 2 / (2 * sigma ** 2))
    k = k / k.sum()
    d = F.conv2d(F.pad(d, (r, r, 0, 0), mode="reflect"), k.view(1, 1, 1, -1))
    d = F.conv2d(F.pad(d, (0, 0, r, r), mode="reflect"), k.view(1, 1, -1, 1))
    return (d.view(n, 2, size, size) * alpha * 2 / size).permute(0, 2, 3, 1)


def random_affine(x: torch.Tensor, g: torch.Generator, rotate_deg: float, scale: float,
                  shear: float, shift_px: float, elastic: tuple[float, float, float] = (0.0, 0.0, 0.0)) -> torch.Tensor:
    n = x.shape[0]

    def u(lo, hi):
        return torch.rand(n, generator=g) * (hi - lo) + lo

    a = u(-rotate_deg, rotate_deg) * math.pi / 180
    s = u(1 - scale, 1 + scale)
    sh = u(-shear, shear)
    t = u(-shift_px, shift_px) * 2 / 28, u(-shift_px, shift_px) * 2 / 28
    cos, sin = torch.cos(a), torch.sin(a)
    # inverse map (output -> input coordinates), as affine_grid expects
    m = torch.zeros(n, 2, 3)
    m[:, 0, 0], m[:, 0, 1] = cos / s, (-sin + sh * cos) / s
    m[:, 1, 0], m[:, 1, 1] = sin / s, (cos + sh * sin) / s
    m[:, 0, 2], m[:, 1, 2] = t
    grid = F.affine_grid(m, list(x.shape), align_corners=False)
    p, alpha, sigma = elastic
    if p > 0:   # one resampling for both: affine and elastic displacements added in grid units
        use = (torch.rand(n, generator=g) < p).view(n, 1, 1, 1).float()
        grid = grid + use * elastic_field(n, g, alpha, sigma, x.shape[-1])
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def thickness(x: torch.Tensor, g: torch.Generator, thicken_p: float, thin_p: float) -> torch.Tensor:
    """Blend each image towards its 3x3 dilation (bolder) or erosion (thinner) by a random amount."""
    n = x.shape[0]
    r = torch.rand(n, generator=g)
    amount = torch.rand(n, generator=g).view(n, 1, 1, 1) * 0.7 + 0.3
    dil = F.max_pool2d(x, 3, 1, 1)
    ero = -F.max_pool2d(-x, 3, 1, 1)
    thick = (r < thicken_p).view(n, 1, 1, 1).float()
    thin = ((r >= thicken_p) & (r < thicken_p + thin_p)).view(n, 1, 1, 1).float()
    return x + amount * (thick * (dil - x) + thin * (ero - x))


def augment(x: torch.Tensor, g: torch.Generator, cfg) -> torch.Tensor:
    x = random_affine(x, g, cfg.rotate_deg, cfg.scale, cfg.shear, cfg.shift_px,
                      (cfg.elastic_p, cfg.elastic_alpha, cfg.elastic_sigma))
    x = thickness(x, g, cfg.thicken_p, cfg.thin_p)
    return x.clamp_(0, 1)
