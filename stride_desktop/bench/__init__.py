"""docker-bench-security and kube-bench outputs: parsing (shape-sniffed) and attaching to a model.

Public API::

    parse_bench_file(path, *, run=None) -> ParseResult   (bounds: see budget.py)
    parse_bench_bytes(data, *, source_name, run=None) -> ParseResult
    attach_run(model, run, *, scope, catalog_components=None) -> BenchRun
    prepare_run(model, run, *, scope, catalog_components=None, taken=()) -> BenchRun
    add_run(model, run, *, scope, catalog_components=None) -> BenchRun
    unassigned(run) -> list[Finding]
    assign_finding(run, finding_key, element_id) -> Finding
    BenchError, ParseResult, MAX_BYTES
"""

from __future__ import annotations

from pathlib import Path

from ..io.atomic import file_kind
from .attach import (
    add_run,
    assign_finding,
    attach_run,
    prepare_run,
    unassign_finding,
    unassigned,
)
from .budget import NumberTooLongError, check_input, fit_to_model
from .errors import BenchError, UnsupportedToolError
from .normalize import TooManyFindingsError
from .result import ParseResult
from .sniff import MAX_BYTES, decode, detect_format

__all__ = [
    "MAX_BYTES",
    "BenchError",
    "ParseResult",
    "UnsupportedToolError",
    "add_run",
    "assign_finding",
    "attach_run",
    "parse_bench_bytes",
    "parse_bench_file",
    "prepare_run",
    "unassign_finding",
    "unassigned",
]


def parse_bench_file(path: str | Path, *, run: int | None = None) -> ParseResult:
    """Parse a bench output file; every failure is a BenchError naming the file."""
    path = Path(path)
    name = str(path)
    try:
        status = path.stat()
        if (kind := file_kind(status.st_mode)) is not None:  # a FIFO would block, /dev/zero stream
            raise BenchError(f"cannot read: it is {kind}, not a file", file=name)
        size = status.st_size
        if size > MAX_BYTES:
            raise BenchError(
                f"file too large ({size} bytes; the limit is {MAX_BYTES} bytes)", file=name
            )
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise BenchError(f"cannot read the file ({exc.strerror or exc})", file=name) from None
    return parse_bench_bytes(data, source_name=name, run=run)


def parse_bench_bytes(data: bytes, *, source_name: str, run: int | None = None) -> ParseResult:
    """Parse bench output bytes. ``run`` picks one run of an appended docker-bench text log
    (1-based; negative counts from the end; default the last)."""
    from . import docker_json, docker_text, kube_json, kube_junit, kube_text

    text = decode(bytes(data), source=source_name)
    fmt = detect_format(text, source=source_name)
    check_input(text, fmt, source=source_name)
    try:
        if fmt == "dbs-json":
            result = docker_json.parse(text, source=source_name)
        elif fmt == "dbs-text":
            result = docker_text.parse(text, source=source_name, run=run)
        elif fmt == "kb-json":
            result = kube_json.parse(text, source=source_name)
        elif fmt == "kb-junit":
            result = kube_junit.parse(text, source=source_name)
        else:
            result = kube_text.parse(text, source=source_name)
    except BenchError:
        raise
    except (NumberTooLongError, TooManyFindingsError) as exc:
        raise BenchError(f"{exc}: not a real bench output", file=source_name) from None
    except (RecursionError, MemoryError) as exc:
        raise BenchError(
            f"cannot parse the file ({type(exc).__name__})", file=source_name
        ) from None
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:  # last resort
        raise BenchError(
            f"internal error while reading a {fmt} file: {type(exc).__name__}: {exc}",
            file=source_name,
        ) from exc
    if run is not None and fmt != "dbs-text" and run not in (1, -1):
        raise BenchError(
            f"run {run} does not exist: this {fmt} file holds one run", file=source_name
        )
    result.run.source_file = Path(source_name).name
    fit_to_model(result.run, result.warnings)
    return result
