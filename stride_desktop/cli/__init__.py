"""Command line: ``stride-desktop [MODEL]`` opens the editor; sub-commands run headless.

Exit codes for every sub-command: 0 success, 1 a requested gate failed (``--fail-on``),
2 bad input or usage, with one line per problem on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from .. import __version__
from . import common

# The sub-commands: name -> (module in this package, one-line help for the command list).
# Only the module of the command being run is imported; its ``register(subparsers)`` adds the
# full parser (a module may register several commands) and sets ``func``. So ``--help`` and
# ``validate`` never load networkx, reportlab or Qt. tests/test_cli_startup.py checks that each
# module registers the commands listed here with the same help.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "check model files and list every problem"),
    "threats": ("threats", "derive the STRIDE threats of a model"),
    "bench": ("bench", "parse a docker-bench-security or kube-bench output and print it"),
    "import-bench": ("bench", "attach a bench output to a model file"),
    "report": ("report", "write the PDF report of a model"),
    "harden": ("harden", "list hardening suggestions, or add/update/remove plan items"),
    "triage": ("triage", "set the triage decision of threats"),
    "custom-threat": ("custom_threat", "add, list or remove custom threats"),
    "import": (
        "import_files",
        "import docker-compose files or Kubernetes manifests as a laid-out model",
    ),
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser, with the full sub-parser of ``command`` (others only listed with their help)."""
    parser = common.Parser(
        prog="stride-desktop",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="%(prog)s [MODEL] [--screenshot OUT.png [--size WxH]]\n       %(prog)s COMMAND ...",
        description="STRIDE threat modelling for Docker and Kubernetes.\n\n"
        "Without a command, opens the editor on MODEL (default: the Docker host example);\n"
        "--screenshot renders the main window to OUT.png and exits.",
        epilog="Exit codes: 0 success, 1 a requested gate failed (--fail-on), 2 bad input or usage.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = COMMANDS[command][0] if command in COMMANDS else None
    for name, (module_name, help_text) in COMMANDS.items():
        if name in subparsers.choices:  # registered with an earlier command of its module
            continue
        if module_name == wanted:
            importlib.import_module(f"{__name__}.{module_name}").register(subparsers)
        else:
            subparsers.add_parser(name, help=help_text, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a sub-command (or the editor); whatever it prints is escaped (cli/terminal.py)."""
    from .terminal import escaped_output

    with escaped_output():
        return _main(list(sys.argv[1:] if argv is None else argv))


def _main(argv: list[str]) -> int:
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version")):
        return common.run_gui(argv)
    args = build_parser(argv[0]).parse_args(argv)
    # A command builds large acyclic structures (a 10,000-element model, ~100,000 threats) and
    # ends: the cyclic collector's repeated passes over them were a third of its time.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return args.func(args)
    except common.CliError as exc:
        for line in exc.lines:
            print(f"stride-desktop: {line}", file=sys.stderr)
        return common.EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into head & co: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return common.EXIT_OK
    finally:
        # Enabled again, the collector's first pass would walk every object the command made
        # (all of them still in its youngest generation): 0.3 s at 10,000 elements, spent just
        # before a fast exit (entry) that frees nothing. In-process callers get it back.
        if collecting and not common.leaving_fast:
            gc.enable()


def entry() -> NoReturn:
    """The ``stride-desktop`` script: ``main``, then a headless command leaves without tearing
    down what it built (freeing ~100,000 threats object by object is time no one waits for)."""
    headless = sys.argv[1:2] and sys.argv[1] in COMMANDS
    common.leaving_fast = bool(headless)
    code = main()
    if headless:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BrokenPipeError:
            pass
        os._exit(code)
    sys.exit(code)
