"""Normalized benchmark findings and the bench runs that carry them (bench-formats.md §4)."""

from __future__ import annotations

from dataclasses import dataclass, field

FINDING_STATUSES = ("pass", "fail", "warn", "manual", "info", "skip", "error")


@dataclass
class AffectedObject:
    """One object a check names: a container, image, user, port or network."""

    kind: str  # container | image | user | port | network | other
    name: str
    qualifier: str = ""  # port number, bind address, ...
    raw: str = ""


@dataclass
class Finding:
    """One check result of a bench run."""

    key: str  # unique within its run: the check id, or "L<line>" for id-less text lines
    check_id: str | None
    title: str
    status: str  # one of FINDING_STATUSES
    raw_status: str
    section_id: str | None = None
    section_title: str | None = None
    group_id: str | None = None
    group_title: str | None = None
    automated: bool | None = None
    scored: bool | None = None
    deprecated: bool = False
    severity: str | None = None  # derived: low | medium | high, None for pass/info/skip
    remediation: str = ""
    remediation_impact: str = ""
    evidence: dict[str, str] = field(
        default_factory=dict
    )  # details, actual_value, expected_result, reason
    affected: list[AffectedObject] = field(default_factory=list)
    component: str | None = None  # canonical component hint: "docker-daemon", "kubelet", ...
    locator: str = ""  # JSON pointer or "line N"
    elements: list[str] = field(default_factory=list)  # element ids it is attached to
    assigned_by_hand: list[str] = field(
        default_factory=list
    )  # subset of elements chosen by a person


@dataclass
class BenchRun:
    """One imported docker-bench-security or kube-bench output."""

    id: str  # unique within the model, e.g. "run1"
    tool: str  # "docker-bench-security" | "kube-bench"
    format: str  # "dbs-json-structured" | "dbs-json-flat" | "dbs-text" | "kb-json" | ...
    benchmark: str | None = None
    tool_version: str | None = None
    source_file: str = ""
    imported_at: str = ""  # ISO 8601
    scope: str | None = None  # boundary id, or None for the whole model
    findings: list[Finding] = field(default_factory=list)

    def finding_id(self, finding: Finding) -> str:
        return f"{self.id}:{finding.key}"
