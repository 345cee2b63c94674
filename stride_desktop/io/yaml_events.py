"""The YAML event loop behind safe_yaml: a document's data built straight from the parser's
events, every limit enforced as it grows (see safe_yaml for what and why).

Scalars follow the YAML 1.2 core schema: true/false, decimal integers, floats and null are
typed, everything else (``no``, ``0x1F``, ``22:22``, ``012``) stays a string.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.scanner import Scanner

from .limits import MAX_DEPTH, MAX_NODES, MAX_NUMBER_CHARS


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
TAG = "tag:yaml.org,2002:"
_COLLECTIONTAGS = frozenset({"!", f"{TAG}map", f"{TAG}seq"})


class Refused(Exception):
    """A limit or rule broken at a parser mark; turned into a YamlSafetyError with the place."""

    def __init__(self, message: str, mark: Any):
        super().__init__(message)
        self.mark = mark


class Duplicate(Refused):
    def __init__(self, key: Any, mark: Any, mapping_mark: Any):
        super().__init__("", mark)
        self.key, self.mapping_mark = key, mapping_mark


def _number(value: str, mark: Any) -> Any:
    """A plain scalar that starts like a number: int, float or (anything else) the string."""
    if INT_RE.match(value):
        if len(value) > MAX_NUMBER_CHARS:
            raise Refused(
                f"a number of {len(value):,} digits is refused (at most {MAX_NUMBER_CHARS})", mark
            )
        return int(value)
    if FLOAT_RE.match(value):
        if len(value) > MAX_NUMBER_CHARS:
            raise Refused(
                f"a number of {len(value):,} characters is refused (at most {MAX_NUMBER_CHARS})",
                mark,
            )
        return float(value)
    return value


def _tagged_scalar(tag: str, value: str, mark: Any) -> Any:
    """A scalar with an explicit core tag (``!!int 3``): the core form of that type, or refused."""
    kind = tag.removeprefix(TAG) if tag.startswith(TAG) else None
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
        raise Refused(f"'{value[:40]}' is not a YAML 1.2 {kind}", mark)
    raise Refused(f"could not determine a constructor for the tag '{tag}'", mark)


def build_documents(text: str, parser_class: type, *, documents_allowed: int = 1) -> list[Any]:
    """Each document's data, built from parser events with every limit enforced on the way
    (the node count over the whole stream)."""
    parser = parser_class(text)
    get_event = parser.get_event
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    no_key = Refused  # a sentinel no document can contain
    number_start, special_start, special = _NUMBER_START, _SPECIAL_START, _SPECIAL
    max_nodes, max_depth = MAX_NODES, MAX_DEPTH  # locals: read once per event
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
                raise Refused("a mapping key must be a plain value", event.start_mark)
            tag = event.tag
            if tag is not None and tag not in _COLLECTIONTAGS:
                raise Refused(
                    f"could not determine a constructor for the tag '{tag}'", event.start_mark
                )
            if len(frames) >= max_depth:
                raise Refused(
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
                raise Refused(
                    f"alias '{event.anchor}' refers to the collection it is in (recursive data)"
                    if opening
                    else f"found undefined alias '{event.anchor}'",
                    event.start_mark,
                )
            value, size = found
            aliased = True
            if key is no_key and type(top) is dict and isinstance(value, (dict, list)):
                raise Refused("a mapping key must be a plain value", event.start_mark)
            nodes += size
        elif kind is yaml.DocumentStartEvent:
            if len(roots) >= documents_allowed:
                raise Refused(
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
        if nodes > max_nodes:
            raise Refused(
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
                raise Duplicate(value, event.start_mark, frames[-1][4])
            key = value
        else:
            top[key] = value
            key = no_key
    return roots


def resolve_scalar(event: Any) -> Any:
    """The value of a scalar event, as the reader resolves it."""
    value, tag = event.value, event.tag
    if tag is not None and tag != "!":
        return _tagged_scalar(tag, value, event.start_mark)
    if not event.implicit[0]:
        return value
    if value[:1] in _NUMBER_START:
        return _number(value, event.start_mark)
    return _SPECIAL.get(value, value) if value[:1] in _SPECIAL_START or not value else value


def first_key_line(text: str, mapping_mark: Any, key: Any) -> int | None:
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
            if parent[0] and is_key and kind is yaml.ScalarEvent and resolve_scalar(event) == key:
                return int(event.start_mark.line)
        start = event.start_mark
        if kind is yaml.MappingStartEvent:
            sought = (start.line, start.column) == (mapping_mark.line, mapping_mark.column)
            stack.append([sought, True])
        elif kind is yaml.SequenceStartEvent:
            stack.append([False, None])
    return None
