"""What a rule may cite, and the reference list every citation resolves against.

The list is data, one file per catalogue in ``resources/references/*.yaml``: the Microsoft Threat
Matrix for Kubernetes, the 2019 Kubernetes audit's threat model, the OWASP Kubernetes and Docker
Top 10s (complete catalogues), and the CIS, ATT&CK and CWE entries the built-in rules cite.
A citation is ``<prefix><id>: <name>`` (the name may be left out, except for CIS checks, whose
numbers differ between benchmark versions); when the name is given it must be the list's. Built-in rules must cite entries of the list; a user's rule may also cite an id the
list does not hold from a catalogue the list holds only in part (CIS, ATT&CK, CWE).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..io.safe_yaml import read_yaml_file
from ..paths import ResourceError, resources_dir


@dataclass(frozen=True)
class CitationFormat:
    display: str  # shown to rule authors when a citation fits no format
    catalogue: str  # the reference file's stem
    pattern: re.Pattern[str]  # group 1: id (or name, for by_name), group 2/3: name
    complete: bool  # the list holds the whole catalogue: an unknown id is an error
    by_name: bool = False


# No nested or overlapping quantifiers: citations come from user files too.
FORMATS: tuple[CitationFormat, ...] = (
    CitationFormat(
        "CIS Docker <id>: <title>",
        "cis-docker",
        re.compile(r"^CIS Docker ([0-9][0-9.]*): (\S.*)$"),
        complete=False,
    ),
    CitationFormat(
        "CIS Kubernetes <id>: <title>",
        "cis-kubernetes",
        re.compile(r"^CIS Kubernetes ([0-9][0-9.]*): (\S.*)$"),
        complete=False,
    ),
    CitationFormat(
        "ATT&CK T1234[.001]: <name>",
        "attack",
        re.compile(r"^ATT&CK (T[0-9]{4}(?:\.[0-9]{3})?)(?:: (\S.*)| (\S.*))?$"),
        complete=False,
    ),
    CitationFormat(
        "CWE-<n>: <name>",
        "cwe",
        re.compile(r"^(CWE-[0-9]+)(?:: (\S.*)| (\S.*))?$"),
        complete=False,
    ),
    CitationFormat(
        "MS-TA9xxx / MS-M9xxx: <name>",
        "ms-threat-matrix",
        re.compile(r"^(MS-(?:TA|M)9[0-9]{3})(?:: (\S.*)| (\S.*))?$"),
        complete=True,
    ),
    CitationFormat(
        "MS-TM <technique name>",
        "ms-threat-matrix",
        re.compile(r"^MS-TM (\S.*)$"),
        complete=True,
        by_name=True,
    ),
    CitationFormat(
        "OWASP K01..K10 / D01..D10: <name>",
        "owasp",
        re.compile(r"^OWASP ([KD][0-9]{2})(?:: (\S.*)| (\S.*))?$"),
        complete=True,
    ),
    CitationFormat(
        "K8s audit TMnn: <name>",
        "k8s-audit-2019",
        re.compile(r"^K8s audit (TM[0-9]{2})(?:: (\S.*)| (\S.*))?$"),
        complete=True,
    ),
)
REFERENCE_FORMATS: dict[str, re.Pattern[str]] = {f.display: f.pattern for f in FORMATS}


@dataclass(frozen=True)
class Reference:
    """One entry of the reference list."""

    catalogue: str  # file stem, e.g. "attack"
    id: str
    name: str
    citation: str  # the canonical way to cite it
    data: Mapping[str, Any] = field(default_factory=dict)  # tactic, severity, ...


@dataclass
class ReferenceList:
    entries: dict[tuple[str, str], Reference] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # catalogue -> its title

    def __iter__(self) -> Iterator[Reference]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def catalogue(self, name: str) -> list[Reference]:
        return [r for r in self.entries.values() if r.catalogue == name]

    def get(self, catalogue: str, entry_id: str) -> Reference | None:
        return self.entries.get((catalogue, entry_id))

    def _by_name(self, catalogue: str, name: str) -> Reference | None:
        wanted = _norm(name)
        return next(
            (r for r in self.catalogue(catalogue) if _norm(r.name) == wanted),
            None,
        )

    def resolve(self, citation: str) -> Reference | None:
        """The entry a citation names, or None (unknown format, id or name)."""
        parsed = _parse(citation)
        if parsed is None:
            return None
        fmt, key, name = parsed
        if fmt.by_name:
            return self._by_name(fmt.catalogue, key)
        entry = self.get(fmt.catalogue, key)
        if entry is None or (name is not None and _norm(name) != _norm(entry.name)):
            return None
        return entry

    def problem(self, citation: object, *, strict: bool = False) -> str | None:
        """None when the citation resolves (or, unless ``strict``, cites an id the list holds
        only in part); else what is wrong, naming what the list holds."""
        if not isinstance(citation, str):
            return f"expected a string, got {citation!r}"
        parsed = _parse(citation)
        if parsed is None:
            return f"unknown reference format {citation!r}; expected one of: " + "; ".join(
                f.display for f in FORMATS
            )
        fmt, key, name = parsed
        where = f"resources/references/{fmt.catalogue}.yaml"
        if fmt.by_name:
            if self._by_name(fmt.catalogue, key) is None:
                return f"no technique named {key!r} in {where}"
            return None
        entry = self.get(fmt.catalogue, key)
        if entry is None:
            if fmt.complete or strict:
                return f"{key} is not in the reference list ({where})"
            return None
        if name is not None and _norm(name) != _norm(entry.name):
            return f"{key} is {entry.name!r} in the reference list, not {name!r}"
        return None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _parse(citation: str) -> tuple[CitationFormat, str, str | None] | None:
    for fmt in FORMATS:
        if m := fmt.pattern.match(citation):
            names = [g for g in m.groups()[1:] if g is not None]
            key = m.group(1)
            if not fmt.by_name and fmt.catalogue.startswith("cis-") and not _dotted(key):
                return None
            return fmt, key, (names[0] if names else None)
    return None


def _dotted(key: str) -> bool:
    return all(part.isdigit() for part in key.split("."))


def read_reference_file(path: Path) -> list[Reference]:
    """One catalogue file: ``catalogue`` (title), ``cite`` (template), ``entries`` (id -> data)."""
    return _references(path, read_yaml_file(path))


def _references(path: Path, data: Any) -> list[Reference]:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), dict):
        raise ValueError(f"{path}: expected a mapping with 'catalogue', 'cite' and 'entries'")
    cite = str(data.get("cite", "{id}: {name}"))
    out = []
    for entry_id, raw in data["entries"].items():
        info = raw if isinstance(raw, dict) else {"name": raw}
        name = info.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{path}: entries.{entry_id}: expected a name")
        out.append(
            Reference(
                catalogue=path.stem,
                id=str(entry_id),
                name=name,
                citation=cite.format(id=entry_id, name=name),
                data={k: v for k, v in info.items() if k != "name"},
            )
        )
    return out


def load_reference_list(folder: Path) -> ReferenceList:
    refs = ReferenceList()
    for path in sorted(folder.glob("*.yaml")):
        data = read_yaml_file(path)  # once: each command that derives reads the whole list
        entries = _references(path, data)
        refs.titles[path.stem] = str(data.get("catalogue", path.stem))
        for ref in entries:
            refs.entries[(ref.catalogue, ref.id)] = ref
    return refs


@cache
def reference_list() -> ReferenceList:
    """The shipped reference list (empty when the resources folder has none)."""
    try:
        folder = resources_dir() / "references"
    except ResourceError:
        return ReferenceList()
    return load_reference_list(folder) if folder.is_dir() else ReferenceList()


def reference_kind(reference: str) -> str | None:
    """The format name a reference fits, or None."""
    parsed = _parse(reference)
    return parsed[0].display if parsed else None


def reference_problem(reference: object, *, strict: bool = False) -> str | None:
    """None when the reference is well formed and resolves against the reference list."""
    return reference_list().problem(reference, strict=strict)
