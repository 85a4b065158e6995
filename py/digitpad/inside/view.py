"""The panel's view: every row of the table with its output for the image, and the selected map or
unit looked at closer. Python does the scaling, the layout and the receptive fields; the page's
JavaScript only paints (grey bytes and RGBA pictures) and outlines."""
from __future__ import annotations

import numpy as np

from . import tiles, words
from .network import Network, Row

COLUMNS = 8          # maps per row of tiles
STRIP = 64           # values per row of a strip (1,024 values: 16 rows)
GAP = 1              # pixels between tiles


def _maps(row: Row, a: np.ndarray) -> dict:
    """The layer's maps as one grey picture, `cols` tiles to a row, a white line between them: the
    page paints a layer in one go (a canvas per map cost ten times as much to paint)."""
    top = 1.0 if row.op == "input" else max(float(a.max()), tiles.TINY)   # the input keeps its 0..1 scale
    cols = min(COLUMNS, a.shape[0])
    pixels, _ = tiles.grey(tiles.grid(a, cols, GAP, fill=top), top)
    values, rs, cs = tiles.strongest(a)
    # each map's strongest cell, for its text alternative: row, column, % of the layer's strongest
    # (the page names the one under the keyboard's cursor; 288 sentences a stroke cost 3 ms here)
    peaks = np.stack([rs, cs, np.round(np.maximum(values, 0) / top * 100)], axis=1).astype(int).ravel().tolist()
    return {"kind": "maps", "n": a.shape[0], "h": a.shape[1], "w": a.shape[2], "cols": cols, "gap": GAP,
            "pixels": pixels, "top": top, "peaks": peaks, "jump": row.jump, "size": row.size}


def _strip(row: Row, a: np.ndarray) -> dict:
    pixels, top = tiles.grey(a)
    k = int(a.argmax())
    on = int((a > 0).sum())
    return {"kind": "strip", "n": a.size, "cols": min(STRIP, a.size), "pixels": pixels, "top": top,
            "alt": f"{row.name}: {a.size:,} values, {on:,} above zero; the largest is number {k + 1} ({float(a[k]):.2f})"}


def _values(row: Row, a: np.ndarray) -> dict:
    labels = [str(i) for i in range(a.size)] if a.size == 10 else ["not a digit", "digit"]
    return {"kind": "values", "values": [round(float(v), 4) for v in a], "labels": labels}


def overview(net: Network, outs: list[np.ndarray]) -> list[dict]:
    rows = []
    for row, a in zip(net.rows, outs):
        previous = net.rows[row.index - 1] if row.index else None
        if row.branch != "digits" and previous is not None and previous.branch == "digits" and row.op == "Gemm":
            previous = next(r for r in net.rows if r.op == "Flatten")      # the gate reads the flattened maps
        body = _maps(row, a) if row.spatial else _strip(row, a) if row.op in ("Flatten", "Gemm") and a.size > 16 \
            else _values(row, a)
        rows.append({"row": row.index, "layer": row.layer, "network": row.branch, "name": row.name,
                     "shape": list(row.shape), "params": row.params, "text": words.about(row, previous), **body})
    return rows


def closer(net: Network, outs: list[np.ndarray], index: int, item: int) -> dict:
    """The selected map of a spatial layer (with its filters), or unit of a dense layer (with its
    weights folded back into the maps they read)."""
    row = net.row(index)
    a = outs[index]
    if row.op == "Flatten":                           # a flattened number is a cell of the maps before
        return closer(net, outs, index - 1, item // int(np.prod(net.rows[index - 1].shape[1:])))
    if not 0 <= item < row.shape[0] or not (row.spatial or row.op == "Gemm" and row.shape[0] > 16):
        return {}
    if row.spatial:
        below = net.rows[index - 1] if index else None
        pixels, top = tiles.grey(a[item], 1.0 if row.op == "input" else float(a.max()))
        out = {"kind": "map", "row": index, "index": item, "name": row.name, "h": row.shape[1], "w": row.shape[2],
               "pixels": pixels, "jump": row.jump, "size": row.size, "text": words.closer_map(row, item, below)}
        if row.op == "Conv" and row.weight is not None:
            w = row.weight[item]                      # [in, k, k]: one grid per input channel
            out["filters"] = tiles.picture(tiles.signed_rgba(tiles.grid(w, min(COLUMNS, len(w)))))
        return out
    w = row.weight[item]
    flat = next(r for r in net.rows if r.op == "Flatten")
    maps = net.rows[flat.index - 1].shape              # the flattened layer's maps: 64 x 4 x 4
    folded = w.reshape(maps) if w.size == int(np.prod(maps)) else w.reshape(1, 1, -1)
    return {"kind": "unit", "row": index, "index": item, "name": row.name, "value": round(float(a[item]), 4),
            "weights": tiles.picture(tiles.signed_rgba(tiles.grid(folded, COLUMNS))),
            "text": words.closer_unit(row, item, float(a[item]))}


def table(net: Network) -> list[dict]:
    """The rows without outputs (an empty pad): the table still says what each layer is."""
    return [{"row": r.index, "layer": r.layer, "network": r.branch, "name": r.name, "shape": list(r.shape),
             "params": r.params, "kind": "none",
             "text": words.about(r, net.rows[r.index - 1] if r.index else None)} for r in net.rows]
