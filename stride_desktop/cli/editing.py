"""What the editing sub-commands share: load a model for a change, resolve ids with close-match
suggestions, and save atomically with a backup (the editor's File > Save does the same)."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..io import ModelError, load_model, save_model
from ..model import Model
from .common import CliError


@dataclass
class Edit:
    path: Path
    model: Model

    def derive(self) -> list:
        """The model's threats (its own rule files and bench runs count)."""
        from ..rules import RulesError, derive, load_rules

        try:
            rules = load_rules(model=self.model, model_path=self.path)
        except RulesError as exc:
            raise CliError(str(exc)) from None
        return derive(self.model, rules)

    def save(self) -> None:
        try:
            save_model(self.model, self.path)
        except OSError as exc:
            raise CliError(f"{self.path}: cannot write: {exc.strerror or exc}") from None


def open_for_edit(path: str) -> Edit:
    try:
        return Edit(Path(path), load_model(path))
    except ModelError as exc:
        raise CliError([f"{exc.source}: {p}" for p in exc.problems]) from None


def unknown(what: str, value: str, known: Iterable[str], *, hint: str = "") -> str:
    """``unknown check '5.1O'; did you mean 5.10, 5.1?`` (or the hint when nothing is close)."""
    known = sorted(set(known))
    close = difflib.get_close_matches(value, known, n=6, cutoff=0.6)
    close = sorted(close, key=lambda k: abs(len(k) - len(value)))[:3]  # typos keep the length
    if not close:
        close = [k for k in known if value.lower() in k.lower()][:3]
    if close:
        return f"unknown {what} '{value}'; did you mean {', '.join(close)}?"
    return f"unknown {what} '{value}'" + (f"; {hint}" if hint else "")


def iso_date(value: str) -> str:
    """argparse type for --due: an ISO date, or empty to clear it."""
    if value == "":
        return value
    try:
        return datetime.date.fromisoformat(value).isoformat()
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"'{value}' is not a date such as 2026-03-31") from None
