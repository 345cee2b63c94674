"""Typed field readers that collect problems as ``path: message`` instead of raising."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from .limits import MAX_COORDINATE, MAX_ID_CHARS, MAX_INT, MAX_NAME_CHARS, MAX_TEXT_CHARS

ID_PATTERN = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9_.\-]{{0,{MAX_ID_CHARS - 1}}}$")
# not in a name: control characters, line separators, bidi overrides and isolates (which turn
# the text around a name backwards wherever it is shown); the editor's name fields use the same
NOT_IN_NAMES = ((0x00, 0x1F), (0x7F, 0x9F), (0x2028, 0x2029), (0x202A, 0x202E), (0x2066, 0x2069))
CONTROL = re.compile("[" + "".join(f"\\u{a:04x}-\\u{b:04x}" for a, b in NOT_IN_NAMES) + "]")
MISSING = object()

Checker = Callable[[Any], str | None]  # None when fine, else what was expected


def describe(value: Any) -> str:
    """A value as a message shows it: repr (control characters escaped), long ones shortened."""
    text = repr(value[:80] if isinstance(value, (str, list)) else value)
    if len(text) <= 60:
        return text
    size = f" ({len(value):,} characters)" if isinstance(value, str) else ""
    return text[:57] + "..." + size


def describe_key(key: Any) -> str:
    """A mapping key inside a path: bare when short and plain, else described."""
    if isinstance(key, str) and len(key) <= 60 and key.isprintable() and " " not in key:
        return key
    return describe(key)


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


def is_name(value: Any) -> str | None:
    """The name of the model, an element, a flow or a boundary: one line of bounded length."""
    if isinstance(value, str) and len(value) <= MAX_NAME_CHARS and not CONTROL.search(value):
        return None
    return f"a name (one line of at most {MAX_NAME_CHARS} characters, no control characters)"


def is_int(value: Any) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) else "an integer"


def int_in(low: int, high: int, *, what: str = "an integer", nullable: bool = False) -> Checker:
    def check(value: Any) -> str | None:
        if nullable and value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
            return None
        return f"{what} from {low} to {high}" + (" or null" if nullable else "")

    return check


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


def is_coordinate(value: Any) -> bool:
    return is_number(value) and math.isfinite(value) and abs(value) <= MAX_COORDINATE


def number_list(length: int) -> Checker:
    def check(value: Any) -> str | None:
        if (
            isinstance(value, list)
            and len(value) == length
            and all(is_coordinate(v) for v in value)
        ):
            return None
        return f"a list of {length} numbers from -{MAX_COORDINATE:,.0f} to {MAX_COORDINATE:,.0f}"

    return check


def is_record_list(value: Any) -> str | None:
    """A list of records, each read (and bounded) by its own spec."""
    return None if isinstance(value, list) else "a list"


def is_record_map(value: Any) -> str | None:
    """A mapping of keys to records, each read (and bounded) by its own spec."""
    return None if isinstance(value, dict) else "a mapping"


_RECORDS = (is_record_list, is_record_map)


def bounds_problem(value: Any) -> str | None:
    """What is out of bounds in a value of any shape, or None: every string at most
    MAX_TEXT_CHARS, every integer within MAX_INT, every float finite and within MAX_COORDINATE.
    Fields with tighter bounds check them in their own checker; this guards every field,
    including those added later, and the properties of elements."""
    pending = [value]
    while pending:
        item = pending.pop()
        kind = type(item)
        if kind is str:
            if len(item) > MAX_TEXT_CHARS:
                return f"text of {len(item):,} characters is too long (at most {MAX_TEXT_CHARS:,})"
        elif kind is int:
            if not -MAX_INT <= item <= MAX_INT:
                return f"{describe(item)} is out of range (at most {MAX_INT:,} either way)"
        elif kind is float:
            if not -MAX_COORDINATE <= item <= MAX_COORDINATE:  # also false for NaN
                return (
                    f"{describe(item)} is out of range (at most {MAX_COORDINATE:,.0f} either way)"
                )
        elif kind is list:
            pending.extend(item)
        elif kind is dict:
            pending.extend(item)
            pending.extend(item.values())
    return None


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
        if not raw.keys() <= spec.keys():
            for key in raw:
                if key not in spec:
                    known = ", ".join(spec)
                    self.problems.append(
                        f"{path}.{describe_key(key)}: unknown key (known: {known})"
                    )
        for name, (check, default) in spec.items():
            if name not in raw:
                if default is MISSING:
                    self.problems.append(f"{path}.{name}: required")
                    values[name] = None
                else:
                    values[name] = default() if callable(default) else default
                continue
            value = raw[name]
            expected = check(value)
            if expected is None:
                kind = type(value)
                # the common cases inline (this runs for every field of every record)
                if kind is str:
                    bad = len(value) > MAX_TEXT_CHARS
                elif kind is bool or value is None:
                    bad = False
                elif kind is int:
                    bad = not -MAX_INT <= value <= MAX_INT
                else:
                    bad = check not in _RECORDS
                problem = bounds_problem(value) if bad else None
                if problem is None:
                    values[name] = value
                    continue
                self.problems.append(f"{path}.{name}: {problem}")
            else:
                self.problems.append(f"{path}.{name}: expected {expected}, got {describe(value)}")
            values[name] = (
                default() if callable(default) else (None if default is MISSING else default)
            )
        return values
