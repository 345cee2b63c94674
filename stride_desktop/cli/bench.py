"""``stride-desktop bench FILE`` (parse and print) and ``import-bench MODEL FILE`` (attach a run)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from ..bench import BenchError, ParseResult, add_run, parse_bench_file, unassigned
from .common import EXIT_OK, CliError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "bench", help="parse a docker-bench-security or kube-bench output and print it"
    )
    parser.add_argument(
        "file", metavar="FILE", help="the tool's output (JSON, text log or JUnit XML)"
    )
    parser.add_argument(
        "--run",
        type=int,
        default=None,
        metavar="N",
        help="which run of an appended docker-bench text log (1 = first; default: the last)",
    )
    parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )
    parser.set_defaults(func=run_bench)

    parser = subparsers.add_parser("import-bench", help="attach a bench output to a model file")
    parser.add_argument("model", metavar="MODEL", help="the model file")
    parser.add_argument("file", metavar="FILE", help="the bench output")
    parser.add_argument(
        "--scope",
        default=None,
        metavar="BOUNDARY_ID",
        help="the host or node boundary the tool ran on (default: the whole model)",
    )
    parser.add_argument(
        "--run", type=int, default=None, metavar="N", help="run of an appended text log"
    )
    parser.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="OUT",
        help="write the model here instead of in place (a backup is kept either way)",
    )
    parser.set_defaults(func=run_import)


def _parse(path: str, run: int | None) -> ParseResult:
    try:
        return parse_bench_file(path, run=run)
    except BenchError as exc:
        raise CliError(str(exc)) from None


def result_to_json(result: ParseResult) -> dict[str, Any]:
    run = result.run
    return {
        "tool": run.tool,
        "format": run.format,
        "benchmark": run.benchmark,
        "tool_version": run.tool_version,
        "source_file": run.source_file,
        "runs_available": result.runs_available,
        "run": result.run_index,
        "counts": result.counts,
        "tool_totals": result.tool_totals,
        "findings": [
            {
                "key": f.key,
                "check_id": f.check_id,
                "title": f.title,
                "status": f.status,
                "raw_status": f.raw_status,
                "severity": f.severity,
                "component": f.component,
                "section": f.section_id,
                "section_title": f.section_title,
                "group": f.group_id,
                "group_title": f.group_title,
                "remediation": f.remediation,
                "evidence": f.evidence,
                "affected": [
                    {"kind": o.kind, "name": o.name, "qualifier": o.qualifier} for o in f.affected
                ],
                "locator": f.locator,
            }
            for f in run.findings
        ],
        "skipped": result.skipped,
        "warnings": result.warnings,
    }


def _cell(text: str | None, width: int) -> str:
    text = (text or "-").replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(result: ParseResult, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    run = result.run
    print(
        f"{run.tool} · {run.format} · {run.benchmark or 'benchmark unknown'}"
        + (
            f" · run {result.run_index} of {result.runs_available}"
            if result.runs_available > 1
            else ""
        ),
        file=out,
    )
    print(f"{'CHECK':<9} {'STATUS':<7} {'SEV':<6} {'COMPONENT':<24} TITLE", file=out)
    for f in run.findings:
        print(
            f"{_cell(f.check_id or f.key, 9):<9} {f.status:<7} {_cell(f.severity, 6):<6} "
            f"{_cell(f.component, 24):<24} {_cell(f.title, 80)}",
            file=out,
        )
    counts = ", ".join(f"{n} {status}" for status, n in result.counts.items() if n)
    print(f"{len(run.findings)} findings: {counts}", file=out)
    if result.tool_totals:
        print(
            "tool totals: " + ", ".join(f"{k} {v}" for k, v in result.tool_totals.items()), file=out
        )
    for line in result.warnings:
        print(f"warning: {line}", file=out)
    for line in result.skipped:
        print(f"skipped: {line}", file=out)


def run_bench(args: argparse.Namespace) -> int:
    result = _parse(args.file, args.run)
    if args.format == "json":
        json.dump(result_to_json(result), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print_table(result)
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from ..io import ModelError, load_model, loadable_problems, save_model

    try:
        model = load_model(args.model)
    except ModelError as exc:
        raise CliError([f"{args.model}: {p}" for p in exc.problems] or [str(exc)]) from None
    if args.scope is not None and model.boundary(args.scope) is None:
        known = ", ".join(sorted(b.id for b in model.boundaries)) or "(none)"
        raise CliError(f"{args.model}: unknown boundary '{args.scope}' for --scope; known: {known}")
    result = _parse(args.file, args.run)
    run = add_run(model, result.run, scope=args.scope)
    out = Path(args.output) if args.output else Path(args.model)
    if problems := loadable_problems(model):  # never write a model the loader would refuse
        raise CliError(
            [f"{out}: not written: with this bench run {p}" for p in problems[:10]]
            + ([f"{out}: ... and {len(problems) - 10:,} more"] if len(problems) > 10 else [])
        )
    try:
        save_model(model, out)
    except OSError as exc:
        raise CliError(f"{out}: cannot write the model ({exc.strerror or exc})") from None
    lost = unassigned(run)
    counts = ", ".join(f"{n} {s}" for s, n in result.counts.items() if n)
    print(
        f"{out}: added bench run {run.id} ({run.tool}, {len(run.findings)} findings: {counts}; "
        f"scope {args.scope or 'whole model'}; {len(run.findings) - len(lost)} attached, "
        f"{len(lost)} unassigned)"
    )
    for line in result.skipped:
        print(f"skipped: {line}", file=sys.stderr)
    return EXIT_OK
