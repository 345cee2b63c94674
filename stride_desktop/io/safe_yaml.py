"""Guarded YAML reading: size, depth, node and alias limits, strict scalars, duplicate keys.

PyYAML resolves YAML 1.1 scalars: ``no`` becomes False, ``22:22`` becomes 1342 and ``012``
becomes 10. Our reader only knows the YAML 1.2 core forms (true/false, decimal integers,
floats, null), so such values stay strings and the validator reports them as type errors.

The document is built straight from the parser's events (libyaml's when PyYAML has it) in one
loop that also enforces the limits as it goes (yaml_events.py): nesting depth, the node count
with every alias counted as a copy (alias bombs), and number lengths. Nothing recurses, so no
input can exhaust the stack, and the work is linear in the text. The cyclic garbage collector
is paused while the tree grows: it would otherwise walk the growing tree again and again
(quadratic in the size).
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .atomic import file_kind
from .errors import YamlSafetyError
from .limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES
from .yaml_events import (
    BOOL_RE,
    FLOAT_RE,
    INT_RE,
    LIBYAML,
    NULL_RE,
    TAG,
    Duplicate,
    EventParser,
    PurePythonParser,
    Refused,
    build_documents,
    first_key_line,
)

__all__ = [
    "FLOAT_RE",
    "INT_RE",
    "LIBYAML",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "EventParser",
    "PurePythonParser",
    "StrictResolver",
    "YamlSafetyError",
    "collector_paused",
    "parse_yaml_documents",
    "parse_yaml_text",
    "read_yaml_file",
]

# Characters YAML forbids in a stream (YAML 1.1 "printable"): reported with their place.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class StrictResolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema: no yes/no/on/off booleans, no sexagesimal or octal integers.

    The reader below applies the same forms; the writer uses this resolver to quote every
    string that would otherwise read back as something else.
    """


StrictResolver.add_implicit_resolver(f"{TAG}bool", BOOL_RE, list("tTfF"))
StrictResolver.add_implicit_resolver(f"{TAG}int", INT_RE, list("-+0123456789"))
StrictResolver.add_implicit_resolver(f"{TAG}float", FLOAT_RE, list("-+0123456789."))
StrictResolver.add_implicit_resolver(f"{TAG}null", NULL_RE, ["~", "n", "N", ""])


def _place(text: str, position: int) -> str:
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return f"line {line}, column {column}"


def _reader_problem(text: str, exc: yaml.reader.ReaderError) -> str:
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return f"unreadable character #x{exc.character:04x}" if exc.character else "unreadable"
    char = found.group()
    return (
        f"{_place(text, found.start())}: control character U+{ord(char):04X} is not allowed "
        "in YAML (write it as an escape such as \\x1b inside double quotes)"
    )


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large acyclic tree is built (nestable)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_yaml_text(text: str, *, source: str, parser_class: type | None = None) -> Any:
    """Parse one YAML document with every guard; raises YamlSafetyError naming source and place.

    ``parser_class`` picks the event parser (default: libyaml's when available); tests run both.
    """
    roots = _parse(text, source=source, parser_class=parser_class, documents_allowed=1)
    return roots[0] if roots else None


def parse_yaml_documents(
    text: str, *, source: str, max_documents: int = 10_000, parser_class: type | None = None
) -> list[Any]:
    """Every document of a multi-document stream (``---``), with the same guards; the node
    limit counts the whole stream."""
    return _parse(text, source=source, parser_class=parser_class, documents_allowed=max_documents)


def _parse(text: str, *, source: str, parser_class: type | None, documents_allowed: int) -> Any:
    if len(text) > MAX_FILE_BYTES:
        raise YamlSafetyError(
            f"{source}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, refused"
        )
    try:
        with collector_paused():
            return build_documents(
                text, parser_class or EventParser, documents_allowed=documents_allowed
            )
    except Duplicate as exc:
        first = first_key_line(text, exc.mapping_mark, exc.key)
        seen = f" (first on line {first + 1})" if first is not None else ""
        raise YamlSafetyError(
            f"{source}: line {exc.mark.line + 1}, column {exc.mark.column + 1}: "
            f"duplicate key {_short(exc.key)}{seen}"
        ) from None
    except Refused as exc:
        raise YamlSafetyError(
            f"{source}: line {exc.mark.line + 1}, column {exc.mark.column + 1}: {exc}"
        ) from None
    except yaml.reader.ReaderError as exc:
        raise YamlSafetyError(f"{source}: {_reader_problem(text, exc)}") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        if "maximum nesting depth" in problem:  # libyaml's own guard (1,000), met on lookahead
            problem = f"nesting deeper than {MAX_DEPTH} levels is refused"
        raise YamlSafetyError(f"{source}: {where}{problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSafetyError(f"{source}: invalid YAML: {' '.join(str(exc).split())}") from None
    except RecursionError:  # defensive: nothing above recurses
        raise YamlSafetyError(f"{source}: nesting too deep") from None


def _short(key: Any) -> str:
    text = repr(key) if not isinstance(key, str) else f"'{key}'"
    return text if len(text) <= 60 else text[:57] + "..."


def read_yaml_text(path: str | Path) -> str:
    """The text of a YAML file, checked for size, binary content and encoding first."""
    path = Path(path)
    try:
        status = path.stat()
    except OSError as exc:
        raise YamlSafetyError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if (kind := file_kind(status.st_mode)) is not None:  # a FIFO would block, a device stream
        raise YamlSafetyError(f"{path}: cannot read: it is {kind}, not a file")
    size = status.st_size
    if size > MAX_FILE_BYTES:
        raise YamlSafetyError(
            f"{path}: {size / 1024 / 1024:.1f} MB is larger than the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit, refused"
        )
    try:
        with open(path, "rb") as handle:  # a FIFO or device could stream forever: cap the read
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise YamlSafetyError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise YamlSafetyError(
            f"{path}: larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB limit, refused"
        )
    if b"\x00" in raw[:8192]:
        raise YamlSafetyError(f"{path}: binary file, not YAML")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlSafetyError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def read_yaml_file(path: str | Path) -> Any:
    """Read and parse a YAML file; every failure is a YamlSafetyError naming the file."""
    return parse_yaml_text(read_yaml_text(path), source=str(path))
