"""A threat: one rule applied to one target. The engine's output, read by the CLI, UI and report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model.elements import CLOSED_STATUSES, SEVERITY_LEVELS, STRIDE_CATEGORIES
from .texts import render

CATEGORIES = STRIDE_CATEGORIES
CATEGORY_LETTERS = dict(zip("STRIDE", CATEGORIES))
SEVERITIES = SEVERITY_LEVELS
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
# The one severity palette: canvas badges, panels and the PDF report all look colours up here.
SEVERITY_COLOURS = {"low": "#3B82F6", "medium": "#F59E0B", "high": "#EF4444", "critical": "#7F1D1D"}
NO_SEVERITY_COLOUR = "#9CA3AF"  # nothing open, or an unknown severity


def severity_colour(severity: str | None) -> str:
    """The colour (#RRGGBB) of a severity; grey for none."""
    return SEVERITY_COLOURS.get(severity or "", NO_SEVERITY_COLOUR)


SOURCES = ("element", "interaction", "rule", "custom")
TARGET_KINDS = ("element", "flow", "boundary")


@dataclass(frozen=True)
class EvidenceLink:
    """A finding that corroborates (fail) or refutes (pass) a threat."""

    finding_id: str  # "RUN_ID:KEY"
    check_id: str | None
    title: str
    status: str  # finding status: pass, fail, warn, ...
    tool: str

    @property
    def confirms(self) -> bool:
        return self.status == "fail"

    @property
    def verifies(self) -> bool:
        return self.status == "pass"


@dataclass(slots=True)  # slots: a 10,000-element model yields ~100,000 threats
class Threat:
    id: str  # "RULE_ID@TARGET_ID"
    rule: str
    category: str  # one of CATEGORIES
    target: str
    target_kind: str  # one of TARGET_KINDS
    target_name: str
    title: str
    description: str
    severity: str  # one of SEVERITIES, after exposure and evidence
    base_severity: str
    severity_reason: str
    source: str  # one of SOURCES
    mitigations: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    evidence: list[EvidenceLink] = field(default_factory=list)
    covers: list[str] = field(default_factory=list)  # ids of threats folded into this one
    status: str = "open"  # from triage
    note: str = ""
    # The STRIDE categories this root cause carries, ``category`` (the primary one) first.
    categories: list[str] = field(default_factory=list)
    likelihood: int = 0  # 1..4 (0: not graded), see docs/rules.md "Severity"
    impact: int = 0  # 1..4 (0: not graded)
    path: list[str] = field(default_factory=list)  # element ids of the attack path, start first
    group: str = ""  # same key on replicas (same rule, component and relevant properties)

    def __post_init__(self) -> None:
        if not self.categories:
            self.categories = [self.category]

    @property
    def confirmed(self) -> bool:
        return any(link.confirms for link in self.evidence)

    @property
    def verified(self) -> bool:
        """A passing check verifies its control (and nothing fails): the editor may offer
        "mitigated" for it; its likelihood is already lowered."""
        return not self.confirmed and any(link.verifies for link in self.evidence)

    @property
    def is_open(self) -> bool:
        """Open for gates, badges and counts: not mitigated, accepted or not applicable."""
        return self.status not in CLOSED_STATUSES

    def texts(
        self,
    ) -> tuple[str, str, Sequence[str], Sequence[str], Sequence[EvidenceLink], Sequence[str]]:
        """Title, description, mitigations, references, evidence and covers in one call, for a
        writer that reads every threat (rules.json_writer)."""
        return (
            self.title,
            self.description,
            self.mitigations,
            self.references,
            self.evidence,
            self.covers,
        )

    @property
    def severity_rank(self) -> int:
        return SEVERITY_RANK[self.severity]


(
    _TITLE,
    _DESCRIPTION,
    _MITIGATIONS,
    _REFERENCES,
    _EVIDENCE,
    _COVERS,
    _CATEGORIES,
    _PATH,
    _REASON,
    _GROUP,
) = (
    Threat.__dict__[name]
    for name in (
        "title",
        "description",
        "mitigations",
        "references",
        "evidence",
        "covers",
        "categories",
        "path",
        "severity_reason",
        "group",
    )
)
_FIELDS = tuple(Threat.__dataclass_fields__)


class DerivedThreat(Threat):
    """A Threat made by the engine, whose texts are formatted on first access.

    Derivation makes ~9 threats per element, and most of their titles, descriptions and lists
    are never read (the CLI's json shows titles only, the UI reads the selected row). ``text`` is
    the rule or baseline entry (title/description templates, mitigations, references) and
    ``values`` the target's placeholder values, shared by the threats of one target. Reading
    any attribute gives what the eager Threat held; assigning works too. Pickling or copying
    yields a plain Threat (rules hold compiled conditions, which do not pickle).
    """

    __slots__ = ("absorbed", "grade", "keys", "text", "values")

    def __init__(
        self,
        id: str,
        rule: str,
        category: str,
        target: str,
        target_kind: str,
        target_name: str,
        severity: str,
        base_severity: str,
        severity_reason: str | None,
        source: str,
        text: Any,
        values: dict[str, str],
        *,
        likelihood: int = 0,
        impact: int = 0,
        grade: Any = None,
    ) -> None:
        self.id, self.rule, self.category, self.target = id, rule, category, target
        self.target_kind, self.target_name, self.source = target_kind, target_name, source
        self.severity, self.base_severity = severity, base_severity
        if severity_reason is not None:
            _REASON.__set__(self, severity_reason)
        self.status, self.note = "open", ""
        self.keys: Any = None  # rules.grouping.GroupKeys: the group key, worked out when read
        self.likelihood, self.impact = likelihood, impact
        # rules.grading.Grade: the reason and the attack path, worked out when first read
        self.grade = grade
        self.text, self.values = text, values
        # rule threats folded into this one: their mitigations and references join its own
        self.absorbed: list[Threat] = []

    @property
    def group(self) -> str:
        try:
            return _GROUP.__get__(self)
        except AttributeError:
            value = self.keys.key(self, self.text) if self.keys is not None else ""
            _GROUP.__set__(self, value)
            return value

    @group.setter
    def group(self, value: str) -> None:
        _GROUP.__set__(self, value)

    @property
    def severity_reason(self) -> str:
        try:
            return _REASON.__get__(self)
        except AttributeError:
            value = self.grade.reason if self.grade is not None else ""
            _REASON.__set__(self, value)
            return value

    @severity_reason.setter
    def severity_reason(self, value: str) -> None:
        _REASON.__set__(self, value)

    @property
    def title(self) -> str:
        try:
            return _TITLE.__get__(self)
        except AttributeError:
            value = render(self.text.title, self.values)
            _TITLE.__set__(self, value)
            return value

    @title.setter
    def title(self, value: str) -> None:
        _TITLE.__set__(self, value)

    @property
    def description(self) -> str:
        try:
            return _DESCRIPTION.__get__(self)
        except AttributeError:
            value = self.text.describe(self.values)
            _DESCRIPTION.__set__(self, value)
            return value

    @description.setter
    def description(self, value: str) -> None:
        _DESCRIPTION.__set__(self, value)

    @property
    def mitigations(self) -> list[str]:
        try:
            return _MITIGATIONS.__get__(self)
        except AttributeError:
            value = self.text.mitigations_for(self.values)
            # one root cause: every fix of what it absorbed (in id order, like ``covers``)
            for other in self.absorbed_all():
                value += [m for m in other.text.mitigations_for(other.values) if m not in value]
            _MITIGATIONS.__set__(self, value)
            return value

    @mitigations.setter
    def mitigations(self, value: list[str]) -> None:
        _MITIGATIONS.__set__(self, value)

    @property
    def references(self) -> list[str]:
        try:
            return _REFERENCES.__get__(self)
        except AttributeError:
            value = list(self.text.references)
            for other in self.absorbed_all():
                value += [r for r in other.text.references if r not in value]
            _REFERENCES.__set__(self, value)
            return value

    @references.setter
    def references(self, value: list[str]) -> None:
        _REFERENCES.__set__(self, value)

    @property
    def evidence(self) -> list[EvidenceLink]:
        try:
            return _EVIDENCE.__get__(self)
        except AttributeError:
            value: list[EvidenceLink] = []
            _EVIDENCE.__set__(self, value)
            return value

    @evidence.setter
    def evidence(self, value: list[EvidenceLink]) -> None:
        _EVIDENCE.__set__(self, value)

    @property
    def covers(self) -> list[str]:
        try:
            return _COVERS.__get__(self)
        except AttributeError:
            value: list[str] = []
            _COVERS.__set__(self, value)
            return value

    @covers.setter
    def covers(self, value: list[str]) -> None:
        _COVERS.__set__(self, value)

    @property
    def categories(self) -> list[str]:
        try:
            return _CATEGORIES.__get__(self)
        except AttributeError:
            value = [self.category, *getattr(self.text, "categories", ())]
            _CATEGORIES.__set__(self, value)
            return value

    @categories.setter
    def categories(self, value: list[str]) -> None:
        _CATEGORIES.__set__(self, value)

    @property
    def path(self) -> list[str]:
        try:
            return _PATH.__get__(self)
        except AttributeError:
            value: list[str] = list(self.grade.source.path) if self.grade is not None else []
            _PATH.__set__(self, value)
            return value

    @path.setter
    def path(self, value: list[str]) -> None:
        _PATH.__set__(self, value)

    def add_categories(self, categories: list[str]) -> None:
        """Carry more STRIDE categories (kept in STRIDE order after the primary one)."""
        have = self.categories
        extra = [c for c in categories if c not in have]
        if extra:
            rest = sorted({*have[1:], *extra}, key=CATEGORIES.index)
            self.categories = [have[0], *rest]

    def absorbed_all(self) -> list[DerivedThreat]:
        """The rule threats folded into this one, directly or through another, by id."""
        if not self.absorbed:  # most threats: asked for every mitigation and reference list
            return []
        out: dict[str, DerivedThreat] = {}
        todo = list(self.absorbed)
        while todo:
            other = todo.pop()
            if isinstance(other, DerivedThreat) and other.id not in out:
                out[other.id] = other
                todo += other.absorbed
        return [out[k] for k in sorted(out)]

    @property
    def confirmed(self) -> bool:  # read per threat by badges, sort keys and counts: no list made
        return self.has_evidence() and any(link.confirms for link in self.evidence)

    @property
    def verified(self) -> bool:
        return self.has_evidence() and super().verified

    def has_evidence(self) -> bool:
        """Whether bench evidence is linked, without creating the empty list."""
        try:
            return bool(_EVIDENCE.__get__(self))
        except AttributeError:
            return False

    def has_covers(self) -> bool:
        """Whether anything was folded into it, without creating the empty list."""
        try:
            return bool(_COVERS.__get__(self))
        except AttributeError:
            return False

    def plain(self) -> Threat:
        """An eager Threat with the same values."""
        return Threat(**{name: getattr(self, name) for name in _FIELDS})

    def __reduce__(self) -> tuple[Any, ...]:
        return (Threat, tuple(getattr(self, name) for name in _FIELDS))
