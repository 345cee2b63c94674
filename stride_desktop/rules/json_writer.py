"""``threats --format json`` written as it is made, the same text as
``json.dumps(threats_to_json(model, threats, stale), indent=2, ensure_ascii=False)``.

At 10,000 elements that document holds ~30,000 threats (50 MB): building a dict per threat,
running the pure-Python indenting encoder and holding the whole text took longer than deriving
the threats, and more memory. Here each threat is one ``bytes % tuple`` of JSON literals made by
the C string encoder, values that repeat (rule ids, severities, reasons, mitigations) are
encoded once, and the document goes out in chunks.

It is made as UTF-8 bytes: nearly every threat holds a "×" or "→" (its severity reason), which
made each threat's text, and every chunk joined from them, a two-byte-per-character string that
the output stream then encoded character by character; bytes are copied as they are. A binary
stream (the CLI's output file) takes the bytes, a text stream (stdout, a StringIO) their text.
``threats_to_json`` stays the definition of the format; tests/rules/test_json_writer.py holds the
two to the same bytes.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
from typing import IO, Any

from ..model import Model
from .export import Kinds, stale_entries, summary_of
from .threat import EvidenceLink, Threat

# Threats per write: ~350 KB. Chunks of 2,000 (3.5 MB) were each a fresh allocation that the
# C library handed back to the system once written, so every chunk's pages were faulted in
# again: 25,000 page faults (0.1-0.15 s of system time) for the 50 MB of 10,000 elements.
CHUNK = 200


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)  # what json.dumps(ensure_ascii=False) writes
    return json.dumps(value, ensure_ascii=False)


def _utf8(value: str) -> bytes:
    """A string's JSON literal in UTF-8."""
    return encode_basestring(value).encode()


class _Literals(dict[Any, bytes]):
    """JSON literals of the values seen so far: lookups at C speed, each value encoded once."""

    def __missing__(self, value: Any) -> bytes:
        text = self[value] = _literal(value).encode()
        return text


class _Lists(dict[tuple[str, ...], bytes]):
    """JSON arrays of strings (mitigations, references, paths) seen so far: most repeat."""

    def __init__(self, lit: _Literals) -> None:
        super().__init__()
        self.lit = lit

    def __missing__(self, items: tuple[str, ...]) -> bytes:
        lit = self.lit
        text = self[items] = (
            b"[\n        " + b",\n        ".join([lit[item] for item in items]) + b"\n      ]"
        )
        return text


def _array(items: Sequence[str]) -> bytes:
    """A JSON array of strings that rarely repeats (a threat's covers): not worth a cache."""
    return b"[\n        " + b",\n        ".join(map(_utf8, items)) + b"\n      ]"


def _evidence(links: Sequence[EvidenceLink]) -> bytes:
    entries = [
        "        {\n"
        f'          "finding": {_literal(e.finding_id)},\n'
        f'          "check": {_literal(e.check_id)},\n'
        f'          "title": {_literal(e.title)},\n'
        f'          "status": {_literal(e.status)},\n'
        f'          "tool": {_literal(e.tool)}\n'
        "        }"
        for e in links
    ]
    return ("[\n" + ",\n".join(entries) + "\n      ]").encode()


# One threat; the target's three lines (``_ABOUT``) are shared by its threats.
_THREAT = (
    b"    {\n"
    b'      "id": %b,\n'
    b'      "rule": %b,\n'
    b'      "category": %b,\n'
    b"%b"
    b'      "title": %b,\n'
    b'      "severity": %b,\n'
    b'      "status": %b,\n'
    b'      "source": %b,\n'
    b'      "description": %b,\n'
    b'      "base_severity": %b,\n'
    b'      "likelihood": %b,\n'
    b'      "impact": %b,\n'
    b'      "severity_reason": %b,\n'
    b'      "categories": %b,\n'
    b'      "path": %b,\n'
    b'      "group": %b,\n'
    b'      "mitigations": %b,\n'
    b'      "references": %b,\n'
    b'      "covers": %b,\n'
    b'      "evidence": %b,\n'
    b'      "confirmed": %b,\n'
    b'      "verified": %b,\n'
    b'      "note": %b\n'
    b"    }"
)
_ABOUT = b'      "target": %b,\n      "target_kind": %b,\n      "target_name": %b,\n'


def _threats(threats: Sequence[Threat], write: Callable[[bytes], object]) -> tuple[Kinds, int]:
    """Writes the threats; returns what the summary counts of them (kinds, covered)."""
    kinds: Kinds = Counter()
    covered = 0
    lit = _Literals()
    arrays = _Lists(lit)
    chunk: list[bytes] = []
    separator = b""
    target: Any = object()
    about = b""
    for t in threats:
        if t.target != target:  # a target's threats come together
            target = t.target
            about = _ABOUT % (_utf8(target), lit[t.target_kind], _utf8(t.target_name))
        title, description, mitigations, references, links, covers, cats, path = t.texts()
        confirmed = bool(links) and t.confirmed
        kinds[t.severity, t.category, t.source, t.status, confirmed] += 1
        covered += len(covers)
        chunk.append(
            _THREAT
            % (
                _utf8(t.id),
                lit[t.rule],
                lit[t.category],
                about,
                _utf8(title),
                lit[t.severity],
                lit[t.status],
                lit[t.source],
                _utf8(description),
                lit[t.base_severity],
                lit[t.likelihood],
                lit[t.impact],
                lit[t.severity_reason],
                arrays[tuple(cats)] if cats else b"[]",
                arrays[tuple(path)] if path else b"[]",
                lit[t.group],
                arrays[tuple(mitigations)] if mitigations else b"[]",
                arrays[tuple(references)] if references else b"[]",
                _array(covers) if covers else b"[]",
                _evidence(links) if links else b"[]",
                b"true" if confirmed else b"false",
                b"true" if links and t.verified else b"false",
                lit[t.note],
            )
        )
        if len(chunk) == CHUNK:
            write(separator + b",\n".join(chunk))
            separator, chunk = b",\n", []
    if chunk:
        write(separator + b",\n".join(chunk))
    return kinds, covered


def write_threats_json(
    out: IO[str] | IO[bytes], model: Model, threats: Sequence[Threat], stale: Sequence[str] = ()
) -> None:
    """Write the threats document (``threats_to_json``'s, indented by 2) to ``out``: its UTF-8
    bytes to a binary stream, its text to a text stream."""
    write: Callable[[bytes], object]
    if isinstance(out, (io.BufferedIOBase, io.RawIOBase)):
        write = out.write
    else:
        text_out: Any = out
        write = lambda data: text_out.write(data.decode())
    write(('{\n  "model": ' + _literal(model.name) + ',\n  "threats": ').encode())
    kinds: Kinds = Counter()
    covered = 0
    if threats:
        write(b"[\n")
        kinds, covered = _threats(threats, write)
        write(b"\n  ]")
    else:
        write(b"[]")
    tail = {
        "stale_triage": stale_entries(model, stale),
        "summary": summary_of(kinds, covered, len(threats), stale),
    }
    # the rest is small: the library encoder, its opening brace replaced by the comma
    write(("," + json.dumps(tail, indent=2, ensure_ascii=False)[1:] + "\n").encode())
