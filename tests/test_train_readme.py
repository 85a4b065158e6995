"""The README's model tables come from models.json: a figure there is the figure recorded."""
import json

from train.readme import models_section, write_readme


def doc() -> dict:
    rates = {"auroc": 0.9991, "threshold": 0.3, "digits_accepted": 0.9951, "nondigits_rejected": 0.9823,
             "digits": 10000, "nondigits": 3000}
    return {"models": {
        "digits": {"parameters": 594922, "metrics": {
            "test_accuracy": 0.9961, "test_images": 10000, "val_accuracy": 0.9968,
            "calibration": {"temperature": 1.25, "test_ece_before": 0.0042, "test_ece_after": 0.0017}},
            "training": {"seed": 1, "train_wall_seconds": 1500, "config": {"epochs": 20, "batch_size": 128, "batchnorm": True}}},
        "digit_or_not": {"metrics": {"digit_or_not": rates, "baseline_max_softmax": dict(rates, nondigits_rejected=0.41),
                                     "traced_digits_accepted": 0.991, "baseline_traced_digits_accepted": 0.98,
                                     "nondigits_rejected_by_kind": {"glyph": 0.97, "star": 1.0},
                                     "validation": dict(rates, nondigits=2400, nondigits_rejected=0.9888)}}},
        "segmentation": {"metrics": {"numbers": 2000, "numbers_exact": 0.95, "digits": 8000, "digits_right": 0.99,
                                     "singles": 10000, "singles_whole": 0.998, "pairs": 2000, "pairs_two": 0.995,
                                     "numbers_miscounted": 0.012, "singles_right": 0.9871}}}


COMBINED = {"bytes": 1135979, "float32_bytes": 4487386, "metrics": {
    "float32 (digits.onnx + digit_or_not.onnx)": {"test_accuracy": 0.997, "nondigits_rejected": 0.98433,
                                                  "traced_digits_accepted": 0.9926},
    "max_abs_difference": 0.04,
    "combined.onnx, onnxruntime CPU": {"test_accuracy": 0.9969, "nondigits_rejected": 0.984, "traced_digits_accepted": 0.9925},
    "combined.onnx in the page, webgl": {"test_accuracy": 0.9968, "nondigits_rejected": 0.985, "traced_digits_accepted": 0.9924}}}


def test_section_holds_the_recorded_figures():
    d = doc()
    d["models"]["combined"] = COMBINED
    text = models_section(d)
    for figure in ("**99.61%**", "99.68%", "594,922", "0.42% → **0.17%**", "T = 1.250", "**98.2%**", "41.0%",
                   "**99.10%**", "glyph 97.0%", "1.14 MB against 4.49 MB", "(CPU / webgl)", "99.69% / 99.68%",
                   "98.4% / 98.5%", "files: 99.70%, 98.4%, 99.26%", "**95.0%**", "99.80%", "99.50%", "25 min", "| 1.2% |", "| 98.71% |", "(2,400) | 98.9% |"):
        assert figure in text, figure


def test_readme_rewritten_between_markers_only(tmp_path):
    (tmp_path / "models.json").write_text(json.dumps(doc()))
    readme = tmp_path / "README.md"
    readme.write_text("head\n<!-- models:start -->\nold figures\n<!-- models:end -->\ntail\n")
    write_readme(tmp_path, readme)
    text = readme.read_text()
    assert text.startswith("head\n<!-- models:start -->\n| digit network") and text.endswith("<!-- models:end -->\ntail\n")
    assert "old figures" not in text and "**99.61%**" in text
