"""The network as the panel shows it: the layer table and the weights of the graph the page runs.

The table (models/inside.json) is written from the graph by ``python -m train combine`` (and
``inside``); the weights come from the very bytes the page runs, dequantized from int8 by the model
worker. Nothing here is written by hand, so a retrained network shows itself.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import UserError


@dataclass
class Row:
    index: int
    layer: str                  # "conv 1", "max-pool 2", "dense (logits)", ...
    branch: str                 # "digits" or "digit-or-not"
    op: str                     # the ONNX operator: input, Conv, MaxPool, Flatten, Gemm, Softmax
    tensor: str                 # the graph tensor holding this layer's output
    shape: tuple[int, ...]      # per image
    params: int
    weight: np.ndarray | None = None   # conv [out, in, k, k] or dense [out, in], float32
    jump: int = 0               # receptive field: input pixels between neighbouring cells ...
    size: int = 0               # ... and the side of the input patch one cell sees (0: not spatial)

    @property
    def spatial(self) -> bool:
        return len(self.shape) == 3

    @property
    def name(self) -> str:
        return self.layer if self.branch == "digits" else f"digit-or-not {self.layer}"


@dataclass
class Network:
    rows: list[Row]

    @classmethod
    def from_page(cls, table: dict, weights: dict) -> "Network":
        """table: models/inside.json; weights: {name: (dims, float32 values)} from the graph."""
        try:
            raw = table["layers"]
            rows = [Row(i, str(r["layer"]), str(r["branch"]), str(r["op"]), str(r["tensor"]),
                        tuple(int(d) for d in r["shape"]), int(r["params"])) for i, r in enumerate(raw)]
        except (KeyError, TypeError, ValueError) as e:
            raise UserError(f"The layer table (models/inside.json) is damaged: {e}.") from None
        jump, size = 1, 1
        for row, r in zip(rows, raw):
            if r.get("weight"):
                if r["weight"] not in weights:
                    raise UserError(f"The graph has no weights {r['weight']!r} for {row.name}.")
                dims, values = weights[r["weight"]]
                row.weight = np.asarray(values, np.float32).reshape([int(d) for d in dims])
            if row.branch == "digits" and row.spatial:     # walk the receptive field down the trunk
                k, s = int(r.get("kernel", 1)), int(r.get("stride", 1))
                size, jump = size + (k - 1) * jump, jump * s
                row.jump, row.size = jump, size
        return cls(rows)

    def row(self, index) -> Row:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(self.rows):
            raise UserError(f"There is no layer {index!r}.")
        return self.rows[index]

    @property
    def digit_params(self) -> int:
        return sum(r.params for r in self.rows if r.branch == "digits")

    @property
    def tensors(self) -> list[str]:
        return [r.tensor for r in self.rows]

    def outputs(self, layers: dict, image: np.ndarray) -> list[np.ndarray]:
        """Each row's output for the one image, from the graph's outputs (the input is the image)."""
        out = []
        for r in self.rows:
            a = image if r.op == "input" else layers.get(r.tensor)
            if a is None:
                raise UserError(f"The network gave no output for {r.name}.")
            a = np.asarray(a, np.float32)
            if a.size != int(np.prod(r.shape)):
                raise UserError(f"{r.name} gave {a.size} values, not {int(np.prod(r.shape))}.")
            out.append(a.reshape(r.shape))
        return out
