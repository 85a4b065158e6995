"""The README's model tables, written from models/models.json (never typed in by hand).

`python -m train readme` (and the end of `python -m train all`) rewrites the part of README.md
between `<!-- models:start -->` and `<!-- models:end -->`, so the figures there are always the ones
the training steps measured and recorded.
"""
from __future__ import annotations

import json
from pathlib import Path

from buildtools.readme import README, replace_sections

TFJS = {"test_accuracy": 0.994, "parameters": 594922}    # the TensorFlow.js app we compete with


def _pct(v, digits: int = 2) -> str:
    return "–" if v is None else f"{100 * v:.{digits}f}%"


def digits_table(e: dict) -> list[str]:
    m, t = e["metrics"], e.get("training", {})
    cal = m.get("calibration", {})
    cfg = t.get("config", {})
    recipe = (f"{cfg.get('epochs')} epochs, OneCycle Adam, batch {cfg.get('batch_size')}, "
              f"{'BatchNorm (folded for export), ' if cfg.get('batchnorm') else ''}"
              f"affine + stroke-width augmentation"
              f"{', label smoothing ' + str(cfg['label_smoothing']) if cfg.get('label_smoothing') else ''}"
              f"{', ' + format(cfg['traced_p'], '.0%') + ' of images traced and drawn as on the pad' if cfg.get('traced_p') else ''}"
              f"{', ' + format(cfg['cut_pieces'], ',') + ' cut pieces of touching digits added' if cfg.get('cut_pieces') else ''}"
              f", seed {t.get('seed')}")
    return [
        "| digit network (`models/digits.onnx`) | digitpad | TF.js app |",
        "|---|---|---|",
        f"| MNIST test accuracy ({m['test_images']:,} images) | **{_pct(m['test_accuracy'])}** | {_pct(TFJS['test_accuracy'], 1)} |",
        f"| validation accuracy (5,000 training images held out; recipe chosen here) | {_pct(m.get('val_accuracy'))} | – |",
        *([f"| validation digits traced and drawn as on the pad | {_pct(m['val_traced_accuracy'])} | – |"]
          if m.get("val_traced_accuracy") else []),
        *([f"| touching test digits cut as a photo's reader cuts them: a stub of a neighbour, or a bit lost "
           f"({m['cut_test_pieces']:,}) | {_pct(m['cut_test_accuracy'])} | – |"] if m.get("cut_test_accuracy") else []),
        f"| parameters | {e['parameters']:,} | {TFJS['parameters']:,} |",
        f"| expected calibration error on test, before → after temperature scaling "
        f"(T = {cal.get('temperature', 1):.3f}, fitted on validation) | "
        f"{_pct(cal.get('test_ece_before'))} → **{_pct(cal.get('test_ece_after'))}** | – |",
        f"| training on 2 CPU cores | {t.get('train_wall_seconds', 0) / 60:.0f} min ({recipe}) | – |",
    ]


def digit_or_not_table(e: dict) -> list[str]:
    m = e["metrics"]
    ours, base = m["digit_or_not"], m["baseline_max_softmax"]
    kinds = m["nondigits_rejected_by_kind"]
    worst = sorted(kinds.items(), key=lambda kv: kv[1])[:6]
    return [
        "| digit or not (held-out hands, fonts and generator seeds) | digit-or-not network | max-softmax baseline |",
        "|---|---|---|",
        f"| non-digits rejected ({ours['nondigits']:,}) | **{_pct(ours['nondigits_rejected'], 1)}** | {_pct(base['nondigits_rejected'], 1)} |",
        f"| MNIST test digits accepted ({ours['digits']:,}) | **{_pct(ours['digits_accepted'])}** | {_pct(base['digits_accepted'])} |",
        f"| traced test digits accepted (drawn as on the pad) | **{_pct(m['traced_digits_accepted'])}** | {_pct(m['baseline_traced_digits_accepted'])} |",
        f"| area under the ROC curve | {ours['auroc']:.4f} | {base['auroc']:.4f} |",
        *([f"| touching test digits cut apart: cut digits accepted ({m['cut_digits']:,}) / "
           + " / ".join(f"{k} rejected" for k in m["cut_pieces_rejected_by_kind"]) + " | "
           + " / ".join([_pct(m["cut_digits_accepted"], 1)] + [_pct(v, 1) for v in m["cut_pieces_rejected_by_kind"].values()])
           + " | – |"] if "cut_digits_accepted" in m else []),
        *([f"| held-out handwriting families: letters, pairs and words rejected ({m['words']:,}) | "
           f"**{_pct(m['words_rejected'], 1)}** | – |",
           f"| ... digits written in those families accepted ({m['font_digits']:,}) | {_pct(m['font_digits_accepted'], 1)} | – |"]
          if "words_rejected" in m else []),
        *([f"| validation: non-digits of the training hands and fonts, unseen seeds, rejected "
           f"({m['validation']['nondigits']:,}) | {_pct(m['validation']['nondigits_rejected'], 1)} | – |"]
          if "validation" in m else []),
        "",
        "Rejected, by kind, the hardest six: " + ", ".join(f"{k} {_pct(v, 1)}" for k, v in worst) +
        " (all kinds in [reports/digit_or_not.json](reports/digit_or_not.json); ROC in "
        "[reports/digit_or_not_roc.png](reports/digit_or_not_roc.png), the mistakes in "
        "[reports/digit_or_not_mistakes.png](reports/digit_or_not_mistakes.png)); handwritten letters and words, "
        "and the letters people also write as digits (O, l, S, B, ...) beside their digits: "
        "[docs/models.md](docs/models.md#letters-and-words).",
    ]


def letters_lines(r: dict) -> list[str]:
    """docs/models.md: what `python -m train letters` measured on the page's graph."""
    k = r["words_rejected_by_kind"]
    return [f"Held-out families ({', '.join(r['families'])}), the page's graph at its threshold "
            f"({r['threshold']:.3f}), `{r['command']}`: letters, pairs and words rejected **{_pct(r['words_rejected'], 1)}** "
            f"of {r['words']:,} (letters {_pct(k.get('letter', 0), 1)}, pairs {_pct(k.get('pair', 0), 1)}, "
            f"words {_pct(k.get('word', 0), 1)}); digits written in them accepted {_pct(r['font_digits_accepted'], 1)} "
            f"of {r['font_digits']:,}. Figures in [reports/letters.json](reports/letters.json)."]


def confusables_table(m: dict) -> str:
    """docs/models.md: each confusable letter beside its digit, in held-out handwriting families."""
    from .written import CONFUSABLE
    acc = m["confusables_accepted"]
    rows = ["| letter | taken for a digit | its digit | accepted as a digit |", "|---|---|---|---|"]
    for letter, digit in CONFUSABLE.items():
        rows.append(f"| {letter} | {_pct(acc[letter]['accepted'], 0)} | {digit} | {_pct(acc[digit]['accepted'], 0)} |")
    return "\n".join(rows)


def numbers_table(e: dict) -> list[str]:
    m = e["metrics"]
    return [
        "| numbers from MNIST **test** digits, traced, written side by side, read by the page's code | measured | target |",
        "|---|---|---|",
        f"| numbers of 2-6 digits read exactly ({m['numbers']:,}) | **{_pct(m['numbers_exact'], 1)}** | ≥ 97% |",
        f"| digits read right within them ({m['digits']:,}) | {_pct(m['digits_right'])} | ≥ 99.3% |",
        *([f"| numbers read with the wrong count of digits (segmentation's share of the misses) | "
           f"{_pct(m['numbers_miscounted'], 1)} | – |"] if "numbers_miscounted" in m else []),
        f"| single digits kept as one symbol (all {m['singles']:,}, many in several strokes) | "
        f"{_pct(m['singles_whole'])} | ≥ 99.7% |",
        *([f"| single traced digits read right (recognition alone) | {_pct(m['singles_right'])} | – |"]
          if "singles_right" in m else []),
        f"| two digits with a gap ≥ 8% of their height read as two ({m['pairs']:,}) | {_pct(m['pairs_two'])} | ≥ 99% |",
        *([f"| numbers of 2-4 digits written without lifting the pen, one stroke from digit to digit ({m['joined']:,}) | "
           f"**{_pct(m['joined_exact'], 1)}** | ≥ 95% |"] if "joined_exact" in m else []),
    ]


def page_graph_line(e: dict) -> list[str]:
    """The graph the page runs: both networks, int8 weights, measured where it runs."""
    m = e.get("metrics", {})
    ref = m.get("float32 (digits.onnx + digit_or_not.onnx)")
    rows = [(k.split(", ")[-1].replace("onnxruntime CPU", "CPU"), v) for k, v in m.items() if k.startswith("combined.onnx")]
    if not ref or not rows:
        return []
    where = " / ".join(w for w, _ in rows)
    fig = lambda key, d: " / ".join(_pct(v[key], d) for _, v in rows)  # noqa: E731
    return [f"The page runs `models/combined.onnx`: both networks in one graph with int8 weights, "
            f"{e['bytes'] / 1e6:.2f} MB against {e.get('float32_bytes', 0) / 1e6:.2f} MB in float32. On the same held-out "
            f"images ({where}): MNIST test accuracy {fig('test_accuracy', 2)}, non-digits rejected "
            f"{fig('nondigits_rejected', 1)}, traced digits accepted {fig('traced_digits_accepted', 2)}; the two float32 "
            f"files: {_pct(ref['test_accuracy'])}, {_pct(ref['nondigits_rejected'], 1)}, {_pct(ref['traced_digits_accepted'])} "
            "(`python -m train combine`, `python -m bench.accuracy`).", ""]


def models_section(doc: dict) -> str:
    models = doc["models"]
    out = []
    if "digits" in models:
        out += digits_table(models["digits"]) + [""]
    if "digit_or_not" in models:
        out += digit_or_not_table(models["digit_or_not"]) + [""]
    if "combined" in models:
        out += page_graph_line(models["combined"])
    if "segmentation" in doc:           # fitted rules, not a model file: at the top of models.json
        out += numbers_table(doc["segmentation"]) + [""]
    out.append("Written from `models/models.json` by `python -m train readme`; each figure is what the training "
               "step printed on the full test set. Reproduce: `python -m train all`.")
    return "\n".join(out)


def write_readme(models_dir: Path, readme: Path = README) -> None:
    doc = json.loads((models_dir / "models.json").read_text())
    replace_sections({"models": models_section(doc)}, readme, required=True)
    print(f"wrote the models section of {readme}")
