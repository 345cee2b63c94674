"""Commands start fast: only the module of the command being run is imported, and ``--help``,
``validate`` and ``bench`` never load networkx, reportlab or Qt (checked in ``sys.modules`` of a
fresh interpreter, not with a clock; benchmarks/bench_startup.py prints the times)."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stride_desktop.cli import COMMANDS, build_parser, main

MODELS = Path(__file__).resolve().parents[1] / "models"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HEAVY = ("networkx", "reportlab", "PySide6", "shiboken6", "stride_desktop.rules")

PROBE = """
import json, sys
from stride_desktop.cli import main
try:
    code = main(json.loads(sys.argv[1]))
except SystemExit as exc:  # --help exits through argparse
    code = exc.code
heavy = sorted({m.split('.')[0] if not m.startswith('stride_desktop') else m
                for m in sys.modules if m.startswith(HEAVY)})
print(json.dumps({"code": code, "heavy": heavy}))
"""


def run_in_fresh_interpreter(argv: list[str], heavy: tuple[str, ...] = HEAVY) -> dict:
    code = f"HEAVY = {heavy!r}\n" + PROBE
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["validate", str(MODELS / "docker-host.yaml")],
        ["validate", str(MODELS / "kubernetes-cluster.yaml"), str(MODELS / "online-shop-k8s.yaml")],
        ["validate", "--help"],
        ["bench", str(FIXTURES / "bench" / "docker-bench-1.6.0.log.json"), "--format", "json"],
    ],
    ids=["help", "validate", "validate-two", "validate-help", "bench"],
)
def test_light_commands_do_not_import_heavy_libraries(argv: list[str]) -> None:
    result = run_in_fresh_interpreter(argv)
    assert result["code"] == 0
    assert result["heavy"] == []


def test_threats_loads_the_rules_but_not_networkx() -> None:
    """The probe sees heavy imports when they happen (a check that cannot fail proves nothing);
    derivation walks plain adjacency dicts, so ``threats`` does not load networkx either."""
    result = run_in_fresh_interpreter(["threats", str(MODELS / "docker-host.yaml")])
    assert result["code"] == 0
    assert "stride_desktop.rules" in result["heavy"]
    assert "networkx" not in result["heavy"]
    assert "PySide6" not in result["heavy"]


def test_threats_of_a_model_file_skips_the_importers_machinery() -> None:
    """A model file is recognised without loading the layout and the model builder that only
    an import needs; a compose file given to ``threats`` does load them (imported in memory)."""
    machinery = ("stride_desktop.layout", "stride_desktop.importers.builder")
    model = run_in_fresh_interpreter(["threats", str(MODELS / "docker-host.yaml")], machinery)
    assert model["code"] == 0
    assert model["heavy"] == []
    compose = next((FIXTURES / "compose").glob("*.y*ml"))
    imported = run_in_fresh_interpreter(["threats", str(compose)], machinery)
    assert imported["code"] == 0
    assert "stride_desktop.layout" in imported["heavy"]


def _registered(module_name: str) -> dict[str, str]:
    """The commands a sub-command module registers, with their help."""
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    importlib.import_module(f"stride_desktop.cli.{module_name}").register(subparsers)
    helps = {a.dest: a.help for a in subparsers._choices_actions}
    return {name: helps.get(name, "") for name in subparsers.choices}


def test_command_table_matches_what_the_modules_register() -> None:
    modules = {module for module, _ in COMMANDS.values()}
    registered: dict[str, str] = {}
    for module in modules:
        for name, help_text in _registered(module).items():
            assert COMMANDS.get(name, (None,))[0] == module, f"{name} is not listed for {module}"
            registered[name] = help_text
    assert registered == {name: help_text for name, (_, help_text) in COMMANDS.items()}


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for name, (_, help_text) in COMMANDS.items():
        assert name in out
        assert help_text.split()[0] in out


def test_each_command_gets_its_full_parser() -> None:
    for name in COMMANDS:
        parser = build_parser(name)
        subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        assert subparsers.choices[name].get_default("func") is not None, name
