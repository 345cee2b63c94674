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
# "low" is teal, not blue: in the editor blue is the selection (a selected flow, a selected row)
SEVERITY_COLOURS = {"low": "#0F9D8A", "medium": "#F59E0B", "high": "#EF4444", "critical": "#7F1D1D"}
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


# title, description, mitigations, references, evidence, covers, categories, path
Texts = tuple[
    str,
    str,
    Sequence[str],
    Sequence[str],
    Sequence[EvidenceLink],
    Sequence[str],
    Sequence[str],
    Sequence[str],
]


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

    def texts(self) -> Texts:
        """Title, description, mitigations, references, evidence, covers, categories and path in
        one call, for a writer that reads every threat (rules.json_writer). The sequences are
        only to be read: a derived threat may hand out ones its replicas share."""
        return (
            self.title,
            self.description,
            self.mitigations,
            self.references,
            self.evidence,
            self.covers,
            self.categories,
            self.path,
        )

    @property
    def severity_rank(self) -> int:
        return SEVERITY_RANK[self.severity]


_FIELDS = tuple(Threat.__dataclass_fields__)


class DerivedThreat(Threat):
    """A Threat made by the engine, whose texts are formatted on first access.

    Derivation makes ~9 threats per element, and most of their titles, descriptions and lists
    are never read (the CLI's json shows titles only, the UI reads the selected row). ``text`` is
    the rule or baseline entry (title/description templates, mitigations, references) and
    ``values`` the target's placeholder values, shared by the threats of one target. Reading
    any attribute gives what the eager Threat held; assigning works too. Pickling or copying
    yields a plain Threat (rules hold compiled conditions, which do not pickle).

    The lazy fields live in slots of their own, None until worked out or assigned: a test for
    None costs a tenth of the AttributeError an unset slot raises, read ~10 times per threat.
    """

    __slots__ = (
        "_categories",
        "_covers",
        "_description",
        "_evidence",
        "_group",
        "_mitigations",
        "_path",
        "_reason",
        "_references",
        "_title",
        "absorbed",
        "grade",
        "keys",
        "text",
        "values",
    )

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
        self._reason: str | None = severity_reason
        self.status, self.note = "open", ""
        self.keys: Any = None  # rules.grouping.GroupKeys: the group key, worked out when read
        self.likelihood, self.impact = likelihood, impact
        # rules.grading.Grade: the reason and the attack path, worked out when first read
        self.grade = grade
        self.text, self.values = text, values
        # rule threats folded into this one: their mitigations and references join its own
        self.absorbed: list[Threat] = []
        self._title: str | None = None
        self._description: str | None = None
        self._group: str | None = None
        self._mitigations: list[str] | None = None
        self._references: list[str] | None = None
        self._evidence: list[EvidenceLink] | None = None
        self._covers: list[str] | None = None
        self._categories: list[str] | None = None
        self._path: list[str] | None = None

    @property
    def group(self) -> str:
        value = self._group
        if value is None:
            value = self._group = self.keys.key(self, self.text) if self.keys is not None else ""
        return value

    @group.setter
    def group(self, value: str) -> None:
        self._group = value

    @property
    def severity_reason(self) -> str:
        value = self._reason
        if value is None:
            value = self._reason = self.grade.reason if self.grade is not None else ""
        return value

    @severity_reason.setter
    def severity_reason(self, value: str) -> None:
        self._reason = value

    @property
    def title(self) -> str:
        value = self._title
        if value is None:
            value = self._title = render(self.text.title, self.values)
        return value

    @title.setter
    def title(self, value: str) -> None:
        self._title = value

    @property
    def description(self) -> str:
        value = self._description
        if value is None:
            value = self._description = self.text.describe(self.values)
        return value

    @description.setter
    def description(self, value: str) -> None:
        self._description = value

    @property
    def mitigations(self) -> list[str]:
        value = self._mitigations
        if value is None:
            value = self._mitigations = list(self._shared_mitigations())
        return value

    @mitigations.setter
    def mitigations(self, value: list[str]) -> None:
        self._mitigations = value

    def _shared_mitigations(self) -> Sequence[str]:
        """The mitigations, as the rule's own tuple when nothing was absorbed (most threats)."""
        own = self.text.mitigations_for(self.values)
        if not self.absorbed:
            return own
        value = list(own)
        # one root cause: every fix of what it absorbed (in id order, like ``covers``)
        for other in self.absorbed_all():
            value += [m for m in other.text.mitigations_for(other.values) if m not in value]
        return value

    @property
    def references(self) -> list[str]:
        value = self._references
        if value is None:
            value = self._references = list(self._shared_references())
        return value

    @references.setter
    def references(self, value: list[str]) -> None:
        self._references = value

    def _shared_references(self) -> Sequence[str]:
        own = self.text.references
        if not self.absorbed:
            return own
        value = list(own)
        for other in self.absorbed_all():
            value += [r for r in other.text.references if r not in value]
        return value

    @property
    def evidence(self) -> list[EvidenceLink]:
        value = self._evidence
        if value is None:
            value = self._evidence = []
        return value

    @evidence.setter
    def evidence(self, value: list[EvidenceLink]) -> None:
        self._evidence = value

    @property
    def covers(self) -> list[str]:
        value = self._covers
        if value is None:
            value = self._covers = []
        return value

    @covers.setter
    def covers(self, value: list[str]) -> None:
        self._covers = value

    @property
    def categories(self) -> list[str]:
        value = self._categories
        if value is None:
            value = self._categories = [self.category, *getattr(self.text, "categories", ())]
        return value

    @categories.setter
    def categories(self, value: list[str]) -> None:
        self._categories = value

    @property
    def path(self) -> list[str]:
        value = self._path
        if value is None:
            value = self._path = list(self._shared_path())
        return value

    @path.setter
    def path(self, value: list[str]) -> None:
        self._path = value

    def _shared_path(self) -> Sequence[str]:
        return self.grade.source.path if self.grade is not None else ()

    def texts(self) -> Texts:
        """As Threat's, without making the lists nobody asked for: the mitigations and
        references of a threat that absorbed nothing are its rule's tuples, its attack path is
        its likelihood's list, an empty evidence or covers list is an empty tuple."""
        title = self._title
        if title is None:
            title = self._title = render(self.text.title, self.values)
        description = self._description
        if description is None:
            description = self._description = self.text.describe(self.values)
        mitigations = self._mitigations
        references = self._references
        categories = self._categories
        path = self._path
        return (
            title,
            description,
            self._shared_mitigations() if mitigations is None else mitigations,
            self._shared_references() if references is None else references,
            self._evidence or (),
            self._covers or (),
            (self.category, *getattr(self.text, "categories", ()))
            if categories is None
            else categories,
            self._shared_path() if path is None else path,
        )

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
        return bool(self._evidence)

    def has_covers(self) -> bool:
        """Whether anything was folded into it, without creating the empty list."""
        return bool(self._covers)

    def plain(self) -> Threat:
        """An eager Threat with the same values."""
        return Threat(**{name: getattr(self, name) for name in _FIELDS})

    def __reduce__(self) -> tuple[Any, ...]:
        return (Threat, tuple(getattr(self, name) for name in _FIELDS))
