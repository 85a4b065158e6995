"""python -m train {fetch-mnist, digits, gate, combine, evaluate}."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import ROOT  # noqa: F401  (puts py/ on sys.path)
from .config import DigitsConfig, GateConfig, add_arguments, from_args, resolve
from .data import DataError


def cmd_fetch(args) -> None:
    from .data import mnist_dir
    from .fetch import MIRRORS, fetch
    fetch(mnist_dir(args.data_dir), mirrors=args.mirror or MIRRORS)


def cmd_digits(args) -> None:
    from .digits import run_digits
    run_digits(from_args(DigitsConfig, args))


def cmd_gate(args) -> None:
    from .gate import run_gate
    run_gate(from_args(GateConfig, args))


def cmd_combine(args) -> None:
    from .combine import combine
    combine(resolve(args.models_dir))


def cmd_evaluate(args) -> None:
    from .digits import evaluate_shipped
    print(json.dumps(evaluate_shipped(args.data_dir, resolve(args.models_dir), resolve(args.reports_dir)), indent=2))


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m train", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    f = sub.add_parser("fetch-mnist", help="download MNIST and verify sha256")
    f.add_argument("--data-dir", default="")
    f.add_argument("--mirror", action="append", help="base URL; may repeat (default: public mirrors)")
    f.set_defaults(func=cmd_fetch)
    d = sub.add_parser("digits", help="train, export and evaluate models/digits.onnx")
    add_arguments(d, DigitsConfig)
    d.set_defaults(func=cmd_digits)
    g = sub.add_parser("gate", help="train, export and evaluate models/digit_or_not.onnx")
    add_arguments(g, GateConfig)
    g.set_defaults(func=cmd_gate)
    c = sub.add_parser("combine", help="build models/digitpad.onnx (both networks, one trunk) for the page")
    c.add_argument("--models-dir", default="models")
    c.set_defaults(func=cmd_combine)
    e = sub.add_parser("evaluate", help="evaluate the shipped digit model on the full test set")
    e.add_argument("--data-dir", default="")
    e.add_argument("--models-dir", default="models")
    e.add_argument("--reports-dir", default="reports")
    e.set_defaults(func=cmd_evaluate)
    args = p.parse_args(argv)
    try:
        args.func(args)
    except DataError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
