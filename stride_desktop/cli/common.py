"""Shared pieces of the sub-commands: errors, exit codes, argument parser."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

EXIT_OK = 0
EXIT_GATE = 1
EXIT_BAD_INPUT = 2

# Under the console script a command's process leaves with os._exit (cli.entry): what it built is
# kept alive until then, since freeing ~1M objects one by one (0.1-0.3 s at 10,000 elements) is
# time no one waits for. Called in-process (tests), nothing is kept.
leaving_fast = False
_kept: list[object] = []


def keep_until_exit(*objects: object) -> None:
    if leaving_fast:
        _kept.extend(objects)


class CliError(Exception):
    """Bad input or usage: each line is printed on stderr, exit code 2."""

    def __init__(self, lines: str | Sequence[str]):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


class Parser(argparse.ArgumentParser):
    """argparse exits with 2 on usage errors already; keep its one-line message."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def run_gui(argv: list[str]) -> int:
    """Start the editor; imported lazily so the headless commands never load Qt."""
    try:
        from ..app import main as app_main
    except ImportError as exc:
        print(f"stride-desktop: the editor cannot start: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return app_main(argv)
