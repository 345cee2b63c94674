"""``threats --format json`` written as it is made, the same text as
``json.dumps(threats_to_json(model, threats, stale), indent=2, ensure_ascii=False)``.

At 10,000 elements that document holds ~100,000 threats (80 MB): building a dict per threat,
running the pure-Python indenting encoder and holding the whole text took longer than deriving
the threats, and more memory. Here each threat is one f-string of JSON literals made by the C
string encoder, values that repeat (rule ids, severities, targets, mitigations) are encoded once,
and the text goes out in chunks. ``threats_to_json`` stays the definition of the format;
tests/rules/test_json_writer.py holds the two to the same bytes.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import Any, TextIO

from ..model import Model
from .export import Kinds, stale_entries, summary_of
from .threat import EvidenceLink, Threat

CHUNK = 2_000  # threats per write


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return encode_basestring(value)  # what json.dumps(ensure_ascii=False) writes
    return json.dumps(value, ensure_ascii=False)


class _Literals(dict[Any, str]):
    """JSON literals of the values seen so far: lookups at C speed, each value encoded once."""

    def __missing__(self, value: Any) -> str:
        text = self[value] = _literal(value)
        return text


class _Lists(dict[tuple[str, ...], str]):
    """JSON arrays of strings (mitigations, references, paths) seen so far: most repeat."""

    def __init__(self, lit: _Literals) -> None:
        super().__init__()
        self.lit = lit

    def __missing__(self, items: tuple[str, ...]) -> str:
        lit = self.lit
        text = self[items] = (
            "[\n        " + ",\n        ".join([lit[item] for item in items]) + "\n      ]"
        )
        return text


def _array(items: Sequence[str]) -> str:
    """A JSON array of strings that rarely repeats (a threat's covers): not worth a cache."""
    return "[\n        " + ",\n        ".join(map(encode_basestring, items)) + "\n      ]"


def _evidence(links: Sequence[EvidenceLink]) -> str:
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
    return "[\n" + ",\n".join(entries) + "\n      ]"


def _threats(threats: Sequence[Threat], out: TextIO) -> tuple[Kinds, int]:
    """Writes the threats; returns what the summary counts of them (kinds, covered)."""
    esc = encode_basestring  # always a str here: the fields are typed str
    kinds: Kinds = Counter()
    covered = 0
    lit = _Literals()
    arrays = _Lists(lit)
    chunk: list[str] = []
    separator = ""
    target: Any = object()
    about = ""  # the target's three lines, shared by its threats (they come grouped)
    for t in threats:
        if t.target != target:
            target = t.target
            about = (
                f'      "target": {esc(t.target)},\n'
                f'      "target_kind": {lit[t.target_kind]},\n'
                f'      "target_name": {esc(t.target_name)},\n'
            )
        title, description, mitigations, references, links, covers, cats, path = t.texts()
        confirmed = bool(links) and t.confirmed
        kinds[t.severity, t.category, t.source, t.status, confirmed] += 1
        covered += len(covers)
        chunk.append(
            "    {\n"
            f'      "id": {esc(t.id)},\n'
            f'      "rule": {lit[t.rule]},\n'
            f'      "category": {lit[t.category]},\n'
            f"{about}"
            f'      "title": {esc(title)},\n'
            f'      "severity": {lit[t.severity]},\n'
            f'      "status": {lit[t.status]},\n'
            f'      "source": {lit[t.source]},\n'
            f'      "description": {esc(description)},\n'
            f'      "base_severity": {lit[t.base_severity]},\n'
            f'      "likelihood": {lit[t.likelihood]},\n'
            f'      "impact": {lit[t.impact]},\n'
            f'      "severity_reason": {lit[t.severity_reason]},\n'
            f'      "categories": {arrays[tuple(cats)] if cats else "[]"},\n'
            f'      "path": {arrays[tuple(path)] if path else "[]"},\n'
            f'      "group": {lit[t.group]},\n'
            f'      "mitigations": {arrays[tuple(mitigations)] if mitigations else "[]"},\n'
            f'      "references": {arrays[tuple(references)] if references else "[]"},\n'
            f'      "covers": {_array(covers) if covers else "[]"},\n'
            f'      "evidence": {_evidence(links) if links else "[]"},\n'
            f'      "confirmed": {"true" if confirmed else "false"},\n'
            f'      "verified": {"true" if links and t.verified else "false"},\n'
            f'      "note": {lit[t.note]}\n'
            "    }"
        )
        if len(chunk) == CHUNK:
            out.write(separator + ",\n".join(chunk))
            separator, chunk = ",\n", []
    if chunk:
        out.write(separator + ",\n".join(chunk))
    return kinds, covered


def write_threats_json(
    out: TextIO, model: Model, threats: Sequence[Threat], stale: Sequence[str] = ()
) -> None:
    """Write the threats document (``threats_to_json``'s, indented by 2) to ``out``."""
    out.write('{\n  "model": ' + _literal(model.name) + ',\n  "threats": ')
    kinds: Kinds = Counter()
    covered = 0
    if threats:
        out.write("[\n")
        kinds, covered = _threats(threats, out)
        out.write("\n  ]")
    else:
        out.write("[]")
    tail = {
        "stale_triage": stale_entries(model, stale),
        "summary": summary_of(kinds, covered, len(threats), stale),
    }
    # the rest is small: the library encoder, its opening brace replaced by the comma
    out.write("," + json.dumps(tail, indent=2, ensure_ascii=False)[1:] + "\n")
