"""A threat: one rule applied to one target. The engine's output, read by the CLI, UI and report."""
from __future__ import annotations

from dataclasses import dataclass, field

CATEGORIES = ("Spoofing", "Tampering", "Repudiation", "Information Disclosure",
              "Denial of Service", "Elevation of Privilege")
CATEGORY_LETTERS = dict(zip("STRIDE", CATEGORIES))
SEVERITIES = ("low", "medium", "high", "critical")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}
SOURCES = ("element", "interaction", "rule")
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
    covers: list[str] = field(default_factory=list)  # ids of generic threats folded into this one
    status: str = "open"  # from triage
    note: str = ""

    @property
    def confirmed(self) -> bool:
        return any(link.confirms for link in self.evidence)

    @property
    def verified(self) -> bool:
        return not self.confirmed and any(link.verifies for link in self.evidence)

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "transferred")

    @property
    def severity_rank(self) -> int:
        return SEVERITY_RANK[self.severity]
