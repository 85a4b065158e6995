"""Typed defaults for every training command, in one place. Saved next to each model."""
from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass, field, fields
from pathlib import Path

from . import ROOT


@dataclass
class DigitsConfig:
    data_dir: str = ""            # empty: found by train.data.mnist_dir (downloaded when missing)
    out_dir: str = "runs/digits"
    models_dir: str = "models"
    reports_dir: str = "reports"
    seed: int = 1
    epochs: int = 20             # chosen on validation: 20 with BatchNorm 99.68%; without BN, 8 epochs 99.56%, 24 epochs 99.60%
    batch_size: int = 128         # fastest on 2 CPU cores with channels_last (measured: about 34 s an epoch)
    max_lr: float = 3e-3          # OneCycle peak for Adam; 1e-2 diverged without BatchNorm
    weight_decay: float = 0.0
    val_size: int = 5000          # carved from the 60k training images to choose recipes
    limit: int = 0                # >0: train on this many images only (smoke runs)
    test_limit: int = 0           # >0: evaluate on this many test images only (smoke runs)
    # augmentation: drawings are rotated, sheared and bolder/thinner than MNIST's pen
    rotate_deg: float = 12.0
    scale: float = 0.10           # +-10% size
    shear: float = 0.15           # radians
    shift_px: float = 2.0
    thicken_p: float = 0.25
    thin_p: float = 0.15
    elastic_p: float = 0.0        # share of images also given a smooth random warp (Simard 2003)
    elastic_alpha: float = 34.0   # warp strength in pixels before smoothing, Simard's value
    elastic_sigma: float = 4.0    # smoothing of the warp field, pixels
    batchnorm: bool = True        # BatchNorm after each conv while training, folded into the convs for export
    # The recipe's sweep (README, "Choosing the recipe"): 3-6 seeds per recipe, chosen on validation mean.
    traced_p: float = 0.25        # share of images swapped for the same digit traced and drawn as on the pad:
                                  # traced digits read right 98.1% -> 98.6%, at no cost on validation
    traced_seed: int = 11         # pens for the traced renderings (cached under runs/cache)
    report_traced: bool = False   # also measure traced validation digits when traced_p is 0 (the sweep does)
    label_smoothing: float = 0.05 # with traced_p 0.25: best validation mean (99.63%); temperature scaling undoes its underconfidence
    extra_samples: str = ""       # a file exported by the page's Collect panel
    # touching training digits cut as the photo reader cuts them (train/pieces.py): a digit with a
    # stub of its neighbour, or missing a bit of its own, keeps its label; added to the 55,000.
    # 0 (off): tried at 10,000 with digit-or-not's 6,000, the networks read MNIST test 99.79% and cut
    # digits 99.1%, but separate-digit photos fell 97.7% -> 95.8% and 2-3 lines 95.8% -> 90.8%
    # for 5 points on touching ones (docs/models.md, "Cut pieces"): not shipped
    cut_pieces: int = 0
    threads: int = 0              # 0: all cores
    device: str = "cpu"           # "cuda" trains on a GPU; the recipe and its 30-minute budget are for 2 CPU cores
    export: bool = True


@dataclass
class DigitOrNotConfig:
    data_dir: str = ""
    out_dir: str = "runs/digit_or_not"
    models_dir: str = "models"    # reads digits.onnx and its run's config; writes digit_or_not.onnx
    reports_dir: str = "reports"
    seed: int = 2
    epochs: int = 12
    hidden: int = 512             # chosen on validation non-digits (2 seeds each): 512 rejected 98.6%, 128 98.3%
    batch_size: int = 256
    lr: float = 1e-3
    negatives: int = 24000        # generated non-digits for training
    heldout_negatives: int = 3000 # from hands, fonts and seeds training never sees
    accept_rate: float = 0.993    # threshold: accept this share of validation digits (target >= 99%, with margin)
    # touching training digits cut as the reader cuts them (train/pieces.py): this many cut digits
    # are digits, and as many "two digits" and "half a digit" pieces are not; the report's come from
    # test digits. 0 (off): see DigitsConfig.cut_pieces
    cut_pieces: int = 0
    # letters, pairs and words in handwriting fonts, framed as a photo's ink (written.py): not digits;
    # and digits in the same fonts: digits. The report's come from held-out families. 0 (off): tried
    # at 12,000 / 4,000 with --accept-rate 0.995, held-out letters and words rejected 97.9% -> 99.0%,
    # MNIST test accepted 99.76%, non-digits rejected 98.0%, forms rows (seed 5) 78.5% -> 85.6%, but
    # separate-digit photos fell 97.7% -> 96.9% (docs/models.md, "Letters and words"): not shipped
    words: int = 0
    font_digits: int = 0
    extra_samples: str = ""
    limit: int = 0
    threads: int = 0
    export: bool = True


@dataclass
class NumbersConfig:
    data_dir: str = ""
    models_dir: str = "models"    # reads combined.onnx; writes the fitted rules into models.json
    reports_dir: str = "reports"
    seed: int = 3
    val_numbers: int = 600        # numbers from the validation images, and half as many pairs
    val_singles: int = 0          # validation digits the singles rule is held to; 0: all 5,000 (600 let
                                  # one digit move the rate by 0.17 points, too coarse for a 99.7% line)
    test_numbers: int = 2000      # numbers, and as many two-digit pairs, from the test images
    test_singles: int = 0         # single test digits to keep whole; 0: all 10,000
    limit: int = 0                # >0: only this many validation and test images (smoke runs)
    joined_numbers: int = 400     # test numbers of 2-4 digits written without lifting the pen (numbers.join_digits)
    fit: bool = True              # False: measure the rules in models.json as they are (the fit takes 15 minutes)
    pair_min_gap: float = 0.08    # pairs for "two digits apart are read as two": gap >= 8% of the height
    min_singles_whole: float = 0.997   # a rule set must keep this share of validation digits whole
    # The grid each run searches on validation. In the 18-set run of 2026-11-23, overlap 0.7 and
    # decided 0.05 kept the fewest validation singles whole in every row; larger specks kept more.
    overlaps: str = "0.3,0.5"          # candidate atom rules: horizontal overlap that joins for sure
    specks: str = "0.1,0.2,0.3"        # candidate speck sizes (share of the row height)
    decided: str = "0.01,0.02"         # candidate "no need to ask the networks" margins
    export: bool = True


def floats(text: str) -> list[float]:
    return [float(v) for v in text.split(",") if v.strip()]


@dataclass(frozen=True)
class PersonalConfig:
    """`python -m train personal`: personal heads measured on writers the project builds."""
    models_dir: str = "models"
    data_dir: str = ""
    rank: int = 64          # dimensions of the correction's subspace (the features' top directions)
    keep: float = 0.1       # how strongly the training digits' logits stay put (digitpad.personal);
                            # 1.0 barely moved a writer's error, 0.01 cost 0.9 points of 9s when only 7s were taught
    steps: int = 200        # gradient steps of each fit (fixed: same samples, same head)
    seed: int = 0
    replay: int = 5000      # MNIST training digits that define the subspace and the penalty
    out: str = "reports/personal.json"


@dataclass(frozen=True)
class PhotosConfig:
    """`python -m train photos`: photos of numbers made from MNIST training digits (the digit network's
    validation images), read by the page's code."""
    data_dir: str = ""
    models_dir: str = "models"
    reports_dir: str = "reports"
    seed: int = 27
    single: int = 480           # one-line photos: 4 papers x 3 inks, 1-6 digits
    multi: int = 120            # photos of 2-3 lines
    phone: float = 0.2          # share at phone size (4032x3024); the rest are 2 MP scans
    pictures: int = 6           # photos drawn with their boxes in reports/photos.png
    # the touching variant (--touching 0.75): this share of neighbouring digits written so close
    # that their inks meet, 2-6 digits a line; reported in reports/photos_touching.json
    touching: float = 0.0
    # the forms variant (--forms): `single` photos of printed tables, a handwritten item name, a
    # quantity and sometimes a place and its number a row (form_make.py); reports/photos_forms.json
    forms: bool = False
    # the ballpoint variant (--ballpoint): every digit redrawn from its centre lines with a thin
    # even pen (3.5-7% of its height; MNIST's is about 12%); reports/photos_ballpoint.json
    ballpoint: bool = False
    write_readme: bool = True


@dataclass(frozen=True)
class InsideConfig:
    """`python -m train inside`: the layer table of the page's graph, and every layer's output
    checked against PyTorch (int8 weights dequantized)."""
    data_dir: str = ""
    models_dir: str = "models"
    reports_dir: str = "reports"
    images: int = 100           # MNIST test images run through both, layer by layer


def add_arguments(parser: argparse.ArgumentParser, cls) -> None:
    for f in fields(cls):
        flag = "--" + f.name.replace("_", "-")
        if f.type in ("bool", bool):
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=f.default)
        else:
            typ = {"int": int, "float": float, "str": str}[f.type if isinstance(f.type, str) else f.type.__name__]
            parser.add_argument(flag, type=typ, default=f.default)


def from_args(cls, args: argparse.Namespace):
    return cls(**{f.name: getattr(args, f.name) for f in fields(cls)})


def resolve(path: str) -> Path:
    p = Path(path)
    return p if p.is_absolute() else ROOT / p


def asdict(cfg) -> dict:
    return dataclasses.asdict(cfg)
