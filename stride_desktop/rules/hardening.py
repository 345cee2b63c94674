"""Which failing bench findings are worth hardening first: those that confirm severe threats."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Finding, Model
from .threat import SEVERITY_RANK, Threat


@dataclass
class Suggestion:
    finding_id: str  # "RUN_ID:KEY"
    finding: Finding
    threats: list[str] = field(default_factory=list)  # ids of the threats it confirms
    best_severity: str | None = None  # the most severe of those threats
    open_threats: int = 0  # how many of them are still open after triage


def _confirmed_by(threats: Iterable[Threat]) -> dict[str, list[Threat]]:
    by_finding: dict[str, list[Threat]] = defaultdict(list)
    for threat in threats:
        for link in threat.evidence:
            if link.confirms:
                by_finding[link.finding_id].append(threat)
    return by_finding


def suggest_hardening(model: Model, threats: Iterable[Threat]) -> list[Suggestion]:
    """Every failing finding of the model, ranked by the threats it confirms.

    Order: most severe confirmed threat first, then most open threats, then finding id; failing
    findings that confirm no threat come last (still worth a look, but nothing argues for them).
    """
    by_finding = _confirmed_by(threats)
    suggestions = []
    for run in model.bench_runs:
        for finding in run.findings:
            if finding.status != "fail":
                continue
            fid = run.finding_id(finding)
            confirmed = sorted(by_finding.get(fid, ()), key=lambda t: (-t.severity_rank, t.id))
            suggestions.append(
                Suggestion(
                    finding_id=fid,
                    finding=finding,
                    threats=[t.id for t in confirmed],
                    best_severity=confirmed[0].severity if confirmed else None,
                    open_threats=sum(1 for t in confirmed if t.is_open),
                )
            )
    suggestions.sort(
        key=lambda s: (
            -(SEVERITY_RANK[s.best_severity] + 1 if s.best_severity else 0),
            -s.open_threats,
            s.finding_id,
        )
    )
    return suggestions


def threats_addressed(model: Model, threats: Iterable[Threat], finding_id: str) -> list[str]:
    """Ids of the threats that hardening this finding addresses (the ones it links to)."""
    return sorted(
        t.id for t in threats if any(link.finding_id == finding_id for link in t.evidence)
    )
