"""What ``threats`` and ``report`` both read: a model, its rules and extra bench runs."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..io import ModelError, load_model
from ..model import BenchRun, Model
from .common import CliError

if TYPE_CHECKING:  # rules imports networkx: only when a command derives
    from ..rules import RuleSet


def add_input_arguments(parser: argparse.ArgumentParser, *, bench_help: str) -> None:
    parser.add_argument(
        "model",
        metavar="MODEL",
        help="model file, or a docker-compose file or Kubernetes manifests (imported in memory)",
    )
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="DIR",
        help="extra rule file or folder; a rule with a built-in id overrides it (repeatable)",
    )
    parser.add_argument(
        "--bench",
        action="append",
        default=[],
        metavar="FILE[@SCOPE]",
        help=bench_help + ", attached to the boundary SCOPE (default: the whole "
        "model) (repeatable)",
    )


@dataclass
class Inputs:
    model: Model
    rules: RuleSet
    runs: list[BenchRun]  # from --bench, attached but not stored in the model


def load_inputs(args: argparse.Namespace) -> Inputs:
    """Load MODEL, its rules and every ``--bench FILE[@SCOPE]``; CliError lists all problems."""
    from ..rules import RulesError, load_rules

    model = _load_or_import(args.model)
    try:
        rules = load_rules(args.rules, model=model, model_path=args.model)
    except RulesError as exc:
        raise CliError(str(exc)) from None
    return Inputs(model, rules, _bench_runs(model, args.bench))


def _load_or_import(path: str) -> Model:
    """The model file, or a compose file / manifests imported in memory (by content)."""
    from ..importers import COMPOSE, KUBERNETES, ImporterError, import_files, sniff

    if sniff(path) in (COMPOSE, KUBERNETES):
        from .import_files import print_notices

        try:
            result = import_files([path])
        except ImporterError as exc:
            raise CliError(exc.lines) from None
        print_notices(result)
        return result.model
    try:
        return load_model(path)
    except ModelError as exc:
        raise CliError([f"{exc.source}: {p}" for p in exc.problems]) from None


def _bench_runs(model: Model, specs: list[str]) -> list[BenchRun]:
    if not specs:
        return []
    from ..bench import BenchError, parse_bench_file, prepare_run

    runs: list[BenchRun] = []
    problems: list[str] = []
    for spec in specs:
        path, _, scope = spec.partition("@")
        if scope and model.boundary(scope) is None:
            known = ", ".join(sorted(b.id for b in model.boundaries)) or "(none)"
            problems.append(f"--bench {spec}: unknown boundary '{scope}'; known: {known}")
            continue
        try:
            parsed = parse_bench_file(path).run
        except BenchError as exc:
            problems.append(str(exc))
            continue
        runs.append(prepare_run(model, parsed, scope=scope or None, taken=[r.id for r in runs]))
    if problems:
        raise CliError(problems)
    return runs
