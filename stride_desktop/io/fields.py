"""Typed field readers that collect problems as ``path: message`` instead of raising."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
MISSING = object()

Checker = Callable[[Any], str | None]  # None when fine, else what was expected


def describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_str(value: Any) -> str | None:
    return None if isinstance(value, str) else "a string"


def is_opt_str(value: Any) -> str | None:
    return None if value is None or isinstance(value, str) else "a string or null"


def is_date(value: Any) -> str | None:
    """An ISO date (YYYY-MM-DD) as text, or empty."""
    import datetime

    if isinstance(value, str):
        try:
            if value == "" or datetime.date.fromisoformat(value).isoformat() == value:
                return None
        except ValueError:
            pass
    return "a date such as 2026-03-31 (quoted) or empty"


def is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


def is_opt_bool(value: Any) -> str | None:
    return None if value is None or isinstance(value, bool) else "true, false or null"


def is_int(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "an integer"


def is_id(value: Any) -> str | None:
    if isinstance(value, str) and ID_PATTERN.match(value):
        return None
    return "an id (letters, digits, '_', '.', '-'; at most 100 characters)"


def one_of(*choices: str) -> Checker:
    def check(value: Any) -> str | None:
        return None if value in choices else "one of " + ", ".join(choices)

    return check


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def number_list(length: int) -> Checker:
    def check(value: Any) -> str | None:
        if isinstance(value, list) and len(value) == length and all(is_number(v) for v in value):
            return None
        return f"a list of {length} numbers"

    return check


def str_list(value: Any) -> str | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return None
    return "a list of strings"


def str_map(value: Any) -> str | None:
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return None
    return "a mapping of strings to strings"


class FieldReader:
    """Reads one mapping against a spec {name: (checker, default)}; unknown keys are problems."""

    def __init__(self, problems: list[str]):
        self.problems = problems

    def read(
        self, raw: Any, path: str, spec: Mapping[str, tuple[Checker, Any]]
    ) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.problems.append(f"{path}: expected a mapping, got {describe(raw)}")
            return None
        values: dict[str, Any] = {}
        for key in raw:
            if key not in spec:
                known = ", ".join(spec)
                self.problems.append(f"{path}.{key}: unknown key (known: {known})")
        for name, (check, default) in spec.items():
            if name not in raw:
                if default is MISSING:
                    self.problems.append(f"{path}.{name}: required")
                    values[name] = None
                else:
                    values[name] = default() if callable(default) else default
                continue
            value = raw[name]
            if (expected := check(value)) is not None:
                self.problems.append(f"{path}.{name}: expected {expected}, got {describe(value)}")
                values[name] = (
                    default() if callable(default) else (None if default is MISSING else default)
                )
            else:
                values[name] = value
        return values
