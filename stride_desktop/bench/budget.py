"""Bounds on the work a bench output can ask for, checked before the parsers start.

Each parser is linear in its input; these limits (io/limits.py, stated in the README) bound the
input itself, so that no file makes an import take minutes or hundreds of megabytes: the
containers a JSON or XML file asks the decoder to build, the lines of a text log, the digits of
a number, the findings of a run, the objects named by one finding and the length of every text
(cut to what a model file may hold, so that what import-bench writes, the loader opens).
"""

from __future__ import annotations

import json
from typing import Any

from ..io.limits import (
    MAX_AFFECTED,
    MAX_BENCH_CONTAINERS,
    MAX_BENCH_LINES,
    MAX_BENCH_VALUES,
    MAX_NUMBER_CHARS,
    MAX_TEXT_CHARS,
)
from ..model.findings import BenchRun
from .errors import BenchError


class NumberTooLongError(ValueError):
    """A JSON number with more digits than MAX_NUMBER_CHARS (Python refuses > 4,300 anyway)."""


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberTooLongError(f"a number of {len(text):,} digits (at most {MAX_NUMBER_CHARS})")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise NumberTooLongError(f"a number of {len(text):,} characters")
    return float(text)


def json_decoder(**options: Any) -> json.JSONDecoder:
    """A JSON decoder whose numbers are bounded (pass object_pairs_hook and the like)."""
    return json.JSONDecoder(parse_int=_parse_int, parse_float=_parse_float, **options)


def check_input(text: str, fmt: str, *, source: str) -> None:
    """Refuse a text whose size in lines or containers is beyond any real output."""
    lines = text.count("\n")
    if lines > MAX_BENCH_LINES:
        raise BenchError(
            f"{lines:,} lines: more than the {MAX_BENCH_LINES:,} a bench output may have",
            file=source,
        )
    if fmt == "kb-junit":
        containers, what = text.count("<"), "XML elements"
    elif fmt in ("dbs-json", "kb-json"):
        containers, what = text.count("{") + text.count("["), "JSON objects and arrays"
        values = containers + text.count(",")  # every value but a container's first follows one
        if values > MAX_BENCH_VALUES:
            raise BenchError(
                f"up to {values:,} JSON values: more than the {MAX_BENCH_VALUES:,} "
                "a bench output may have",
                file=source,
            )
    else:
        return
    if containers > MAX_BENCH_CONTAINERS:  # counted before decoding: an upper bound
        raise BenchError(
            f"up to {containers:,} {what}: more than the {MAX_BENCH_CONTAINERS:,} "
            "a bench output may have",
            file=source,
        )


def clip(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    if len(text) <= limit:
        return text
    note = f" … (cut, {len(text):,} characters)"
    return text[: limit - len(note)] + note


def fit_to_model(run: BenchRun, warnings: list[str]) -> None:
    """Cut every text of the run to what a model file may hold, and the objects of a finding
    to MAX_AFFECTED, so that the model the run is saved into loads again."""
    for name, value in vars(run).items():
        if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
            setattr(run, name, clip(value))
    for finding in run.findings:
        for name, value in vars(finding).items():
            if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                setattr(finding, name, clip(value))
        finding.evidence = {clip(k, 200): clip(v) for k, v in finding.evidence.items()}
        if len(finding.affected) > MAX_AFFECTED:
            warnings.append(
                f"{finding.key}: {len(finding.affected):,} affected objects, "
                f"the first {MAX_AFFECTED:,} kept"
            )
            del finding.affected[MAX_AFFECTED:]
        for obj in finding.affected:
            for name, value in vars(obj).items():
                if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
                    setattr(obj, name, clip(value))
