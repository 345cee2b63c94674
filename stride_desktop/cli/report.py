"""``stride-desktop report MODEL -o OUT.pdf``: the PDF report for stakeholders.

Exit codes: 0 written; 2 bad input (model, rule file, bench file, output path), one line per
problem on stderr. The PDF is written atomically: on any failure no partial file is left.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..io import ModelError, load_model
from ..model import Model
from .common import EXIT_OK, CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="write the PDF report of a model")
    parser.add_argument("model", metavar="MODEL", help="model file")
    parser.add_argument("-o", "--output", required=True, metavar="OUT.pdf", help="PDF file to write")
    parser.add_argument("--bench", action="append", default=[], metavar="FILE[@SCOPE]",
                        help="a docker-bench or kube-bench output to include as evidence, attached "
                             "to the boundary SCOPE (default: the whole model) (repeatable)")
    parser.add_argument("--include-closed", action="store_true",
                        help="also list mitigated, accepted and not-applicable threats")
    parser.add_argument("--summary-only", action="store_true",
                        help="cover, summary, diagram, bench overview and plan; no per-target tables")
    parser.add_argument("--rules", action="append", default=[], metavar="DIR",
                        help="extra rule file or folder (repeatable)")
    parser.add_argument("--invariant", action="store_true",
                        help="deterministic output: the same input gives a byte-identical PDF")
    parser.set_defaults(func=run)


def _add_bench_runs(model: Model, specs: list[str]) -> None:
    """Import each ``FILE[@SCOPE]`` into the in-memory model, so the report lists the runs."""
    if not specs:
        return
    from ..bench import BenchError, add_run, parse_bench_file

    problems = []
    for spec in specs:
        path, _, scope = spec.partition("@")
        if scope and model.boundary(scope) is None:
            known = ", ".join(sorted(b.id for b in model.boundaries)) or "(none)"
            problems.append(f"--bench {spec}: unknown boundary '{scope}'; known: {known}")
            continue
        try:
            add_run(model, parse_bench_file(path).run, scope=scope or None)
        except BenchError as exc:
            problems.append(str(exc))
    if problems:
        raise CliError(problems)


def run(args: argparse.Namespace) -> int:
    from ..report import ReportOptions, build_report
    from ..rules import RulesError, derive, load_rules, stale_triage

    out = Path(args.output)
    if out.is_dir():
        raise CliError(f"{out}: is a folder; give a file name such as {out / 'report.pdf'}")
    if not out.parent.is_dir() and str(out.parent):
        raise CliError(f"{out}: the folder {out.parent} does not exist")
    try:
        model = load_model(args.model)
    except ModelError as exc:
        raise CliError([f"{exc.source}: {p}" for p in exc.problems]) from None
    try:
        rules = load_rules(args.rules, model=model, model_path=args.model)
    except RulesError as exc:
        raise CliError(str(exc)) from None
    _add_bench_runs(model, args.bench)
    threats = derive(model, rules)
    stale = stale_triage(model, threats)
    options = ReportOptions(include_closed=args.include_closed, summary_only=args.summary_only,
                            invariant=args.invariant)
    try:
        stats = build_report(model, threats, stale, out, options=options)
    except OSError as exc:
        raise CliError(f"{out}: cannot write: {exc.strerror or exc}") from None
    print(f"wrote {out}: {stats.pages} pages, {stats.threats} threats, "
          f"{stats.elements} elements", file=sys.stderr)
    return EXIT_OK
