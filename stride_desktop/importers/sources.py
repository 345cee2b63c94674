"""Reading the files an import starts from: guarded YAML, one document or many.

Every document goes through the model loader's guarded parser (size, nesting depth, alias
bombs, strict scalars, duplicate keys). A multi-document file is split at its ``---`` lines
first, so that one broken document is reported with its line and the others still import.
YAML merge keys (``<<: *anchor``), which compose files use a lot, are resolved afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..io.errors import YamlSafetyError
from ..io.safe_yaml import parse_yaml_text, read_yaml_text
from .errors import ImporterError, Notices

MERGE_KEY = "<<"


@dataclass
class Document:
    """One YAML document of a file: where it starts and what it holds."""

    source: str
    index: int  # counts from 1
    line: int  # first line in the file, from 1
    data: Any


def read_text(path: str | Path) -> str:
    try:
        return read_yaml_text(path)
    except YamlSafetyError as exc:
        raise ImporterError(str(exc)) from None


def _is_marker(line: str, marker: str) -> bool:
    return line.startswith(marker) and (len(line) == 3 or line[3] in " \t\r\n")


def _has_content(lines: list[str]) -> bool:
    for line in lines:
        text = line.strip()
        if text and not text.startswith("#") and not text.startswith("%"):
            return True
    return False


def split_documents(text: str) -> list[tuple[int, int, str]]:
    """(number, first line, text) of each document with content. Documents are numbered as a
    person counts them: every ``---`` starts one, even an empty one (Helm writes those)."""
    chunks: list[tuple[int, int, str]] = []
    current: list[str] = []
    start, number, explicit = 0, 0, False

    def close() -> None:
        nonlocal number
        if _has_content(current) or explicit:
            number += 1
            if _has_content(current):
                chunks.append((number, start + 1, "".join(current)))

    for index, line in enumerate(text.splitlines(keepends=True)):
        if _is_marker(line, "---") or _is_marker(line, "..."):
            close()
            explicit = line.startswith("-")
            current, start = ([line], index) if explicit else ([], index + 1)
        else:
            current.append(line)
    close()
    return chunks


def _shift_line(message: str, source: str, offset: int) -> str:
    """Make a parser message's line number count from the start of the file."""
    prefix = re.escape(source) + r": line (\d+)"
    return re.sub(
        "^" + prefix, lambda m: f"{source}: line {int(m.group(1)) + offset}", message, count=1
    )


def parse_documents(
    text: str, *, source: str, notices: Notices, strict: bool = False
) -> list[Document]:
    """The documents of ``text`` that are not empty. A broken one is a notice (and skipped);
    with ``strict`` (files that must hold one good document) it is an ImporterError."""
    documents = []
    for index, line, chunk in split_documents(text):
        try:
            data = parse_yaml_text(chunk, source=source)
        except YamlSafetyError as exc:
            message = _shift_line(str(exc), source, line - 1)
            if strict:
                raise ImporterError(message) from None
            notices.warn(source, f"skipped: {message.removeprefix(source + ': ')}", document=index)
            continue
        if data is not None:
            documents.append(Document(source, index, line, resolve_merge_keys(data)))
    return documents


def resolve_merge_keys(data: Any) -> Any:
    """A copy of ``data`` where ``<<: *anchor`` mappings are merged in (explicit keys win,
    and of several merged mappings the first wins), as YAML 1.1 readers do."""
    done: dict[int, Any] = {}

    def resolve(node: Any) -> Any:
        key = id(node)
        if key in done:
            return done[key]
        if isinstance(node, dict):
            merged: dict[Any, Any] = {}
            done[key] = merged
            sources = node.get(MERGE_KEY)
            for source in sources if isinstance(sources, list) else [sources]:
                if isinstance(source, dict):
                    for k, v in resolve(source).items():
                        merged.setdefault(k, v)
            for k, v in node.items():
                if k != MERGE_KEY or not isinstance(sources, dict | list):
                    merged[k] = resolve(v)
            return merged
        if isinstance(node, list):
            items: list[Any] = []
            done[key] = items
            items.extend(resolve(v) for v in node)
            return items
        return node

    return resolve(data)
