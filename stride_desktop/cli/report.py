"""``stride-desktop report MODEL -o OUT.pdf``: the PDF report for stakeholders.

Exit codes: 0 written; 2 bad input (model, rule file, bench file, output path), one line per
problem on stderr. The PDF is written atomically: on any failure no partial file is left.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_OK, CliError
from .inputs import add_input_arguments, load_inputs


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="write the PDF report of a model")
    add_input_arguments(
        parser, bench_help="a docker-bench or kube-bench output to include as evidence"
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="OUT.pdf", help="PDF file to write"
    )
    parser.add_argument(
        "--include-closed",
        action="store_true",
        help="also list mitigated, accepted and not-applicable threats",
    )
    parser.add_argument(
        "--appendix",
        action="store_true",
        help="add the appendix: every threat of every target, the rule catalogue, full check "
        "lists and stale triage (the body alone is the decision, summary, diagram, threats "
        "that matter, benchmark results and plan)",
    )
    parser.add_argument(  # the body is now what --summary-only used to promise; kept for scripts
        "--summary-only", action="store_true", help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--invariant",
        action="store_true",
        help="deterministic output: the same input gives a byte-identical PDF",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..report import ReportOptions, build_report
    from ..rules import derive, stale_triage

    out = Path(args.output)
    if out.is_dir():
        raise CliError(f"{out}: is a folder; give a file name such as {out / 'report.pdf'}")
    if not out.parent.is_dir() and str(out.parent):
        raise CliError(f"{out}: the folder {out.parent} does not exist")
    inputs = load_inputs(args)
    model, rules = inputs.model, inputs.rules
    model.bench_runs.extend(inputs.runs)  # in memory only: the report lists them as runs
    threats = derive(model, rules)
    stale = stale_triage(model, threats)
    options = ReportOptions(
        include_closed=args.include_closed,
        appendix=args.appendix and not args.summary_only,
        invariant=args.invariant,
    )
    try:
        stats = build_report(model, threats, stale, out, options=options)
    except OSError as exc:
        raise CliError(f"{out}: cannot write: {exc.strerror or exc}") from None
    print(
        f"wrote {out}: {stats.pages} pages, {stats.threats} threats listed, "
        f"{stats.elements} elements",
        file=sys.stderr,
    )
    return EXIT_OK
