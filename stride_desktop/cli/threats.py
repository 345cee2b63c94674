"""``stride-desktop threats MODEL``: derive the threats, print them, optionally gate CI.

Exit codes: 0 printed; 1 ``--fail-on`` found an open threat at or above that severity;
2 bad input (model, rule file or bench file), one line per problem on stderr.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Callable
from typing import Any

from ..rules import SEVERITIES, derive, stale_triage
from ..rules.export import (
    FORMATS,
    threats_to_csv,
    threats_to_markdown,
    threats_to_table,
)
from ..rules.json_writer import write_threats_json
from ..rules.threat import SEVERITY_RANK
from .common import EXIT_GATE, EXIT_OK, CliError, keep_until_exit
from .inputs import add_input_arguments, load_inputs


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("threats", help="derive the STRIDE threats of a model")
    add_input_arguments(parser, bench_help="a docker-bench or kube-bench output to use as evidence")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        metavar="SEVERITY",
        help="exit 1 when an open threat of this severity or above exists "
        f"({', '.join(SEVERITIES)})",
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    parser.set_defaults(func=run)


def _write(path: str | None, write: Callable[[Any], object], *, binary: bool = False) -> None:
    """To ``path`` (as bytes for a writer that makes UTF-8 itself), or to stdout."""
    if not path:
        write(sys.stdout)
        return
    try:
        with open(path, "wb") if binary else open(path, "w", encoding="utf-8") as out:
            write(out)
    except OSError as exc:
        raise CliError(f"{path}: cannot write: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    inputs = load_inputs(args)
    model, rules, runs = inputs.model, inputs.rules, inputs.runs
    threats = derive(model, rules, runs)
    stale = stale_triage(model, threats)
    keep_until_exit(inputs, threats)
    if args.format == "json":  # written as it is made: ~100,000 threats at 10,000 elements
        _write(args.output, lambda out: write_threats_json(out, model, threats, stale), binary=True)
    else:
        if args.format == "csv":
            text = threats_to_csv(threats)
        elif args.format == "markdown":
            text = threats_to_markdown(model, threats, stale)
        else:
            # a pipe has no size: COLUMNS if set, else 100 columns
            width = shutil.get_terminal_size(fallback=(100, 24)).columns
            text = threats_to_table(model, threats, stale, width=max(60, width))
        _write(args.output, lambda out: out.write(text))
    if stale and args.format == "csv":  # the other formats list them
        print(
            f"stride-desktop: {len(stale)} stale triage decision(s): {', '.join(stale)}",
            file=sys.stderr,
        )
    if args.fail_on:
        floor = SEVERITY_RANK[args.fail_on]
        failing = [t for t in threats if t.is_open and t.severity_rank >= floor]
        if failing:
            print(
                f"stride-desktop: {len(failing)} open threat(s) of severity {args.fail_on} or "
                f"above",
                file=sys.stderr,
            )
            return EXIT_GATE
    return EXIT_OK
