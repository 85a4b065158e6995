"""What the panel says, for someone who has never seen a convolution. Plain sentences, each
about what the person is looking at; the figures in them come from the network itself."""
from __future__ import annotations

from .network import Row


def about(row: Row, previous: Row | None) -> str:
    """One or two sentences on a layer of the table."""
    if row.op == "input":
        return ("The picture the network is given: your drawing, framed as the MNIST digits were "
                "(white ink on black, 28×28 pixels, centred by its ink).")
    if row.op == "Conv":
        n, k = row.shape[0], row.weight.shape[-1] if row.weight is not None else 3
        if previous is not None and previous.op == "input":
            return (f"{n} filters slide over the image; each lights up where its pattern is "
                    f"(an edge, the end of a stroke, a bend). Each filter is {k}×{k} pixels.")
        return (f"{n} filters slide over the {previous.shape[0] if previous else ''} maps below them at once, "
                f"combining their patterns into bigger ones. One cell here sees a {row.size}×{row.size} "
                f"patch of your drawing.")
    if row.op == "MaxPool":
        return ("Each map is halved: a cell keeps the strongest of a 2×2 block, so a pattern still "
                "counts when your stroke is a pixel off.")
    if row.op == "Flatten":
        return f"The {previous.shape[0]} small maps laid end to end as one row of {row.shape[0]:,} numbers."
    if row.op == "Gemm" and row.layer.startswith("dense") and "logits" not in row.layer:
        lead = "The digit-or-not network's own" if row.branch != "digits" else "The"
        return (f"{lead} {row.shape[0]} units: each adds up all {row.weight.shape[1]:,} numbers with weights of "
                f"its own and keeps the sum if it is positive. Select one to see its weights.")
    if row.op == "Gemm":
        what = "digit" if row.branch == "digits" else "answer (not a digit, digit)"
        return f"One score per {what}: a weighted sum of the {row.weight.shape[1]} units. Higher means more likely."
    if row.op == "Softmax":
        if row.branch == "digits":
            return ("The scores made into probabilities that add up to 1 (first divided by a temperature "
                    "that keeps “90%” honest): the answer's chart.")
        return "The two scores made into probabilities: is it a digit at all?"
    return ""


def closer_map(row: Row, index: int, below: Row | None) -> str:
    if row.op == "input":
        return "The 28×28 input. Point at a pixel: it is the one outlined on your drawing."
    head = f"{row.name}, map {index + 1}. Point at a cell to see which {row.size}×{row.size} patch of the input it looks at."
    if row.op == "Conv" and below is not None:
        chans, k = row.weight.shape[1], row.weight.shape[-1]
        what = f"its {k}×{k} filter" if chans == 1 else f"its filter: one {k}×{k} grid for each of the {chans} maps of {below.name}"
        return f"{head} Beside it, {what} (orange adds where the ink below is bright, blue takes away)."
    if row.op == "MaxPool":
        return f"{head} It has no weights: each cell is the largest of 2×2 cells of {below.name if below else 'the layer below'}'s map {index + 1}."
    return head


def closer_unit(row: Row, index: int, value: float) -> str:
    return (f"{row.name}, unit {index + 1}: {value:.2f} for your drawing. Its {row.weight.shape[1]:,} weights, "
            f"one per number of the flattened layer, folded back into its {row.weight.shape[1] // 16} maps of 4×4: "
            f"orange where a bright cell raises this unit, blue where it lowers it.")
