"""``stride-desktop validate MODEL...``: OK or every problem, exit 0 / 2."""

from __future__ import annotations

import argparse
import sys

from ..io import ModelError, load_model
from .common import EXIT_BAD_INPUT, EXIT_OK


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("validate", help="check model files and list every problem")
    parser.add_argument("models", nargs="+", metavar="MODEL", help="model file(s) to check")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    status = EXIT_OK
    for path in args.models:
        try:
            model = load_model(path)
        except ModelError as exc:
            status = EXIT_BAD_INPUT
            for problem in exc.problems:
                print(f"{path}: {problem}", file=sys.stderr)
            continue
        print(
            f"{path}: OK ({len(model.elements)} elements, {len(model.flows)} flows, "
            f"{len(model.boundaries)} boundaries)"
        )
    return status
