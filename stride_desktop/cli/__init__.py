"""Command line: ``stride-desktop [MODEL]`` opens the editor; sub-commands run headless.

Exit codes for every sub-command: 0 success, 1 a requested gate failed (``--fail-on``),
2 bad input or usage, with one line per problem on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .. import __version__
from . import common

# Each sub-command module has ``register(subparsers)`` that sets ``func`` on its parser.
_SUBCOMMAND_MODULES = (
    "validate",
    "threats",
    "bench",
    "report",
    "harden",
    "triage",
    "custom_threat",
    "import_files",
)


def build_parser() -> argparse.ArgumentParser:
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
    parser.set_defaults(commands=subparsers.choices)
    import importlib

    for name in _SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a sub-command still being built
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a sub-command (or the editor); whatever it prints is escaped (cli/terminal.py)."""
    from .terminal import escaped_output

    with escaped_output():
        return _main(list(sys.argv[1:] if argv is None else argv))


def _main(argv: list[str]) -> int:
    parser = build_parser()
    known_commands = set(parser.get_default("commands"))
    if not argv or (argv[0] not in known_commands and argv[0] not in ("-h", "--help", "--version")):
        return common.run_gui(argv)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except common.CliError as exc:
        for line in exc.lines:
            print(f"stride-desktop: {line}", file=sys.stderr)
        return common.EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into head & co: stop quietly, as Unix tools do
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return common.EXIT_OK
