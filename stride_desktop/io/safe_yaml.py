"""Guarded YAML reading: size, depth, node and alias limits, strict scalars, duplicate keys.

PyYAML resolves YAML 1.1 scalars: ``no`` becomes False, ``22:22`` becomes 1342 and ``012``
becomes 10. Our reader only knows the YAML 1.2 core forms (true/false, decimal integers,
floats, null), so such values stay strings and the validator reports them as type errors.

The document is built straight from the parser's events (libyaml's when PyYAML has it) in one
loop that also enforces the limits as it goes: nesting depth, the node count with every alias
counted as a copy (alias bombs), and number lengths. Nothing recurses, so no input can exhaust
the stack, and the work is linear in the text. The cyclic garbage collector is paused while the
tree grows: it would otherwise walk the growing tree again and again (quadratic in the size).
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from .atomic import file_kind
from .errors import YamlSafetyError
from .limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, MAX_NUMBER_CHARS


class PurePythonParser(Reader, Scanner, Parser):
    """PyYAML's own event parser: the same events as libyaml's, about ten times slower."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)


try:  # libyaml's parser, when PyYAML was built with it
    from yaml._yaml import CParser

    EventParser: type = CParser
    LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    EventParser = PurePythonParser
    LIBYAML = False

__all__ = [
    "LIBYAML",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "StrictResolver",
    "YamlSafetyError",
    "parse_yaml_documents",
    "parse_yaml_text",
    "read_yaml_file",
]

# The YAML 1.2 core schema: the only plain scalars that are not strings.
BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
INT_RE = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
FLOAT_RE = re.compile(
    r"^[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)$"
)
NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")
_SPECIAL = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "": None,
}
_NUMBER_START = frozenset("-+.0123456789")
_SPECIAL_START = frozenset("tTfF~nN")
# Characters YAML forbids in a stream (YAML 1.1 "printable"): reported with their place.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_TAG = "tag:yaml.org,2002:"
_COLLECTION_TAGS = frozenset({"!", f"{_TAG}map", f"{_TAG}seq"})


class StrictResolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema: no yes/no/on/off booleans, no sexagesimal or octal integers.

    The reader below applies the same forms; the writer uses this resolver to quote every
    string that would otherwise read back as something else.
    """


StrictResolver.add_implicit_resolver(f"{_TAG}bool", BOOL_RE, list("tTfF"))
StrictResolver.add_implicit_resolver(f"{_TAG}int", INT_RE, list("-+0123456789"))
StrictResolver.add_implicit_resolver(f"{_TAG}float", FLOAT_RE, list("-+0123456789."))
StrictResolver.add_implicit_resolver(f"{_TAG}null", NULL_RE, ["~", "n", "N", ""])


class _Refused(Exception):
    """A limit or rule broken at a parser mark; turned into a YamlSafetyError with the place."""

    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.mark = mark


class _Duplicate(_Refused):
    def __init__(self, key: Any, mark: Any, mapping_mark: Any):
        super().__init__("", mark)
        self.key, self.mapping_mark = key, mapping_mark


def _number(value: str, mark: Any) -> Any:
    """A plain scalar that starts like a number: int, float or (anything else) the string."""
    if INT_RE.match(value):
        if len(value) > MAX_NUMBER_CHARS:
            raise _Refused(
                f"a number of {len(value):,} digits is refused (at most {MAX_NUMBER_CHARS})", mark
            )
        return int(value)
    if FLOAT_RE.match(value):
        if len(value) > MAX_NUMBER_CHARS:
            raise _Refused(
                f"a number of {len(value):,} characters is refused (at most {MAX_NUMBER_CHARS})",
                mark,
            )
        return float(value)
    return value


def _tagged_scalar(tag: str, value: str, mark: Any) -> Any:
    """A scalar with an explicit core tag (``!!int 3``): the core form of that type, or refused."""
    kind = tag.removeprefix(_TAG) if tag.startswith(_TAG) else None
    if kind == "str":
        return value
    if kind in ("int", "float") and value[:1] in _NUMBER_START:
        number = _number(value, mark)
        if not isinstance(number, str) and (kind == "float" or isinstance(number, int)):
            return float(number) if kind == "float" else number
    if kind == "bool" and BOOL_RE.match(value):
        return _SPECIAL[value]
    if kind == "null" and NULL_RE.match(value):
        return None
    if kind in ("int", "float", "bool", "null"):
        raise _Refused(f"'{value[:40]}' is not a YAML 1.2 {kind}", mark)
    raise _Refused(f"could not determine a constructor for the tag '{tag}'", mark)


def _build(text: str, parser_class: type, *, documents_allowed: int = 1) -> list[Any]:
    """Each document's data, built from parser events with every limit enforced on the way
    (the node count over the whole stream)."""
    parser = parser_class(text)
    get_event = parser.get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    no_key = _Refused  # a sentinel no document can contain
    number_start, special_start, special = _NUMBER_START, _SPECIAL_START, _SPECIAL
    # One frame per open collection: (parent container, parent's pending key, anchor,
    # node count when it opened, its start mark).
    frames: list[tuple[Any, Any, Any, int, Any]] = []
    anchors: dict[str, tuple[Any, int]] = {}  # name -> (value, expanded size)
    memo: dict[str, Any] = {}  # plain scalars seen before (keys repeat): resolved once
    top: Any = None
    key: Any = no_key
    nodes = 0  # values so far, every alias counted as a copy of what it names
    aliased = False
    roots: list[Any] = []
    while True:
        event: Any = get_event()
        if event is None:
            break
        kind = type(event)
        if kind is scalar_event:
            value = event.value
            tag = event.tag
            if tag is None or tag == "!":
                if event.implicit[0]:
                    resolved = memo.get(value, memo)
                    if resolved is memo:
                        first = value[:1]
                        if first in number_start:
                            resolved = _number(value, event.start_mark)
                        elif first in special_start or not value:
                            resolved = special.get(value, value)
                        else:
                            resolved = value
                        if len(value) <= 40 and len(memo) < 50_000:
                            memo[value] = resolved
                    value = resolved
            else:
                value = _tagged_scalar(tag, value, event.start_mark)
            if event.anchor is not None:
                anchors[event.anchor] = (value, 1)
            nodes += 1
        elif kind is map_start or kind is seq_start:
            if key is no_key and type(top) is dict:
                raise _Refused("a mapping key must be a plain value", event.start_mark)
            tag = event.tag
            if tag is not None and tag not in _COLLECTION_TAGS:
                raise _Refused(
                    f"could not determine a constructor for the tag '{tag}'", event.start_mark
                )
            if len(frames) >= MAX_DEPTH:
                raise _Refused(
                    f"nesting deeper than {MAX_DEPTH} levels is refused", event.start_mark
                )
            nodes += 1
            frames.append((top, key, event.anchor, nodes, event.start_mark))
            top, key = ({} if kind is map_start else []), no_key
            continue
        elif kind is map_end or kind is seq_end:
            value = top
            top, key, anchor, opened, _ = frames.pop()
            if anchor is not None:
                anchors[anchor] = (value, nodes - opened + 1)
        elif kind is alias_event:
            found = anchors.get(event.anchor)
            if found is None:
                opening = any(frame[2] == event.anchor for frame in frames)
                raise _Refused(
                    f"alias '{event.anchor}' refers to the collection it is in (recursive data)"
                    if opening
                    else f"found undefined alias '{event.anchor}'",
                    event.start_mark,
                )
            value, size = found
            aliased = True
            if key is no_key and type(top) is dict and isinstance(value, (dict, list)):
                raise _Refused("a mapping key must be a plain value", event.start_mark)
            nodes += size
        elif kind is yaml.DocumentStartEvent:
            if len(roots) >= documents_allowed:
                raise _Refused(
                    "expected a single document in the stream"
                    if documents_allowed == 1
                    else f"more than {documents_allowed:,} documents",
                    event.start_mark,
                )
            roots.append(None)
            anchors.clear()  # an alias names an anchor of its own document
            continue
        else:  # stream start/end, document end
            continue
        if nodes > MAX_NODES:
            raise _Refused(
                f"more than {MAX_NODES:,} values"
                + (" (counting each alias as a copy: an alias bomb?)" if aliased else "")
                + ", refused",
                event.start_mark,
            )
        if type(top) is list:
            top.append(value)
        elif top is None:
            roots[-1] = value
        elif key is no_key:
            if value in top:
                raise _Duplicate(value, event.start_mark, frames[-1][4])
            key = value
        else:
            top[key] = value
            key = no_key
    return roots


def _resolve(event: Any) -> Any:
    """The value of a scalar event, as the reader resolves it."""
    value, tag = event.value, event.tag
    if tag is not None and tag != "!":
        return _tagged_scalar(tag, value, event.start_mark)
    if not event.implicit[0]:
        return value
    if value[:1] in _NUMBER_START:
        return _number(value, event.start_mark)
    return _SPECIAL.get(value, value) if value[:1] in _SPECIAL_START or not value else value


def _first_key_line(text: str, mapping_mark: Any, key: Any) -> int | None:
    """The 0-based line where ``key`` first appears in the mapping that starts at the mark
    (an error path only: a second walk over the events, so the first one stays lean)."""
    parser = EventParser(text)
    # per open collection: [is the mapping sought, next child is a key (None in a list)]
    stack: list[list[Any]] = []
    while True:
        event: Any = parser.get_event()
        if event is None:
            break
        kind = type(event)
        if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            stack.pop()
            continue
        if kind not in (
            yaml.ScalarEvent,
            yaml.AliasEvent,
            yaml.MappingStartEvent,
            yaml.SequenceStartEvent,
        ):
            continue
        if stack and stack[-1][1] is not None:  # a child of a mapping: key and value alternate
            parent = stack[-1]
            is_key, parent[1] = parent[1], not parent[1]
            if parent[0] and is_key and kind is yaml.ScalarEvent and _resolve(event) == key:
                return int(event.start_mark.line)
        start = event.start_mark
        if kind is yaml.MappingStartEvent:
            sought = (start.line, start.column) == (mapping_mark.line, mapping_mark.column)
            stack.append([sought, True])
        elif kind is yaml.SequenceStartEvent:
            stack.append([False, None])
    return None


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
            return _build(text, parser_class or EventParser, documents_allowed=documents_allowed)
    except _Duplicate as exc:
        first = _first_key_line(text, exc.mapping_mark, exc.key)
        seen = f" (first on line {first + 1})" if first is not None else ""
        raise YamlSafetyError(
            f"{source}: line {exc.mark.line + 1}, column {exc.mark.column + 1}: "
            f"duplicate key {_short(exc.key)}{seen}"
        ) from None
    except _Refused as exc:
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


def read_yaml_file(path: str | Path) -> Any:
    """Read and parse a YAML file; every failure is a YamlSafetyError naming the file."""
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
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlSafetyError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return parse_yaml_text(text, source=str(path))
