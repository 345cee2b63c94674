"""Guarded YAML reading: size, depth and alias limits, strict scalars, duplicate keys.

PyYAML resolves YAML 1.1 scalars: ``no`` becomes False, ``22:22`` becomes 1342 and ``012``
becomes 10. Our resolver only knows the YAML 1.2 core forms (true/false, decimal integers,
floats, null), so such values stay strings and the validator reports them as type errors.
PyYAML's C parser crashes on very deep nesting, so the text is scanned before parsing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import YamlSafetyError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 64  # nesting of [ { and indentation levels
MAX_EXPANDED_NODES = 2_000_000  # the tree size after alias expansion ("billion laughs")

try:  # the C parser is ~10x faster; the pre-scan makes it safe against deep nesting
    from yaml._yaml import CParser as _Parser
except ImportError:  # PyYAML built without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


class StrictResolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema: no yes/no/on/off booleans, no sexagesimal or octal integers."""


StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)$"),
    list("-+0123456789."),
)
StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class StrictConstructor(yaml.constructor.SafeConstructor):
    """Safe constructor that refuses duplicate mapping keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key '{key}' (first on line {seen[key] + 1})",
                    key_node.start_mark,
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


StrictConstructor.add_constructor(  # type: ignore[type-var]
    "tag:yaml.org,2002:int", yaml.constructor.SafeConstructor.construct_yaml_int
)


class StrictLoader(_Parser, StrictConstructor, StrictResolver):
    def __init__(self, stream: str) -> None:
        _Parser.__init__(self, stream)
        StrictConstructor.__init__(self)
        StrictResolver.__init__(self)


def _check_depth(text: str, source: str) -> None:
    """Refuse flow or block nesting deeper than MAX_DEPTH before any parser sees it."""
    depth = 0
    quote: str | None = None
    line = 1
    previous = "\n"
    in_comment = False
    for ch in text:
        if ch == "\n":
            # Quotes and comments end at the line: a stray quote must not hide brackets after it.
            line, quote, in_comment = line + 1, None, False
        elif in_comment:
            pass
        elif quote:
            if ch == quote:
                quote = None
        elif ch == "#" and previous in " \t\n":
            in_comment = True
        elif ch in "\"'" and previous in " \t\n:[{,":
            quote = ch
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlSafetyError(
                    f"{source}: line {line}: nesting deeper than {MAX_DEPTH} levels is refused"
                )
        elif ch in "]}":
            depth = max(0, depth - 1)
        previous = ch
    for number, raw in enumerate(text.splitlines(), start=1):
        indent = len(raw) - len(raw.lstrip(" -"))
        if indent > MAX_DEPTH * 8:
            raise YamlSafetyError(
                f"{source}: line {number}: indentation of {indent} columns is refused "
                f"(nesting deeper than {MAX_DEPTH} levels)"
            )


def _expanded_size(root: Any) -> int:
    """Count the nodes of the tree as if aliases were copied; stops once over the limit."""
    sizes: dict[int, int] = {}

    def size(obj: Any, depth: int) -> int:
        if isinstance(obj, (dict, list)):
            key = id(obj)
            if key in sizes:
                return sizes[key]
            if depth > MAX_DEPTH * 2:
                raise YamlSafetyError("nesting too deep")
            children = obj.items() if isinstance(obj, dict) else ((None, v) for v in obj)
            total = 1
            for _, value in children:
                total += size(value, depth + 1)
                if total > MAX_EXPANDED_NODES:
                    break
            sizes[key] = total
            return total
        return 1

    return size(root, 0)


def parse_yaml_text(text: str, *, source: str) -> Any:
    """Parse one YAML document with every guard; raises YamlSafetyError naming source and line."""
    if len(text) > MAX_FILE_BYTES:
        raise YamlSafetyError(
            f"{source}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, refused"
        )
    _check_depth(text, source)
    loader = StrictLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlSafetyError(f"{source}: {where}{problem}") from None
    except yaml.YAMLError as exc:
        raise YamlSafetyError(f"{source}: invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlSafetyError(f"{source}: nesting too deep") from None
    finally:
        loader.dispose()
    if _expanded_size(data) > MAX_EXPANDED_NODES:
        raise YamlSafetyError(
            f"{source}: aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (alias bomb?), refused"
        )
    return data


def read_yaml_text(path: str | Path) -> str:
    """The text of a YAML file, checked for size, binary content and encoding first."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlSafetyError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise YamlSafetyError(
            f"{path}: {size / 1024 / 1024:.1f} MB is larger than the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB limit, refused"
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlSafetyError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise YamlSafetyError(f"{path}: binary file, not YAML")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlSafetyError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def read_yaml_file(path: str | Path) -> Any:
    """Read and parse a YAML file; every failure is a YamlSafetyError naming the file."""
    return parse_yaml_text(read_yaml_text(path), source=str(path))
