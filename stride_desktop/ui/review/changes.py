"""What changed: signatures of what the engine reads, and threats that came out the same."""

from __future__ import annotations

from typing import Any

from ...rules import Threat
from ...rules.threat import DerivedThreat


def element_sig(e: Any) -> tuple:
    """What derivation reads of an element (never its position)."""
    return (e.name, e.component, e.boundary, repr(sorted(e.properties.items())))


def boundary_sig(b: Any) -> tuple:
    return (b.name, b.trust, b.kind, b.parent)


def flow_sig(f: Any) -> tuple:
    return (f.source, f.target, f.name, f.protocol, f.port, f.encrypted, f.authenticated, f.data)


def has_evidence(t: Threat) -> bool:
    return t.has_evidence() if isinstance(t, DerivedThreat) else bool(t.evidence)


def same_threat(a: Threat, b: Threat) -> bool:
    """Same content (texts compared by template and values, without formatting them)."""
    if isinstance(a, DerivedThreat) and isinstance(b, DerivedThreat):
        return (
            a.severity == b.severity
            and a.severity_reason == b.severity_reason
            and a.target_name == b.target_name
            and a.source == b.source
            and a.text is b.text
            and a.values == b.values
            and a.evidence == b.evidence
            and a.covers == b.covers
            and a.base_severity == b.base_severity
            and (a.status, a.note) == (b.status, b.note)
        )
    return a == b


def keep_unchanged(
    old: list[Threat], old_by_id: dict[str, Threat], threats: list[Threat]
) -> tuple[list[Threat], list[Threat]]:
    """Put back into ``threats`` (in place) the old object of every re-derived threat that came
    out the same, so listeners can skip it; returns the new threats and the removed ones."""
    before = {id(t) for t in old}
    fresh = []
    for i, t in enumerate(threats):
        if id(t) in before:
            continue
        previous = old_by_id.get(t.id)
        if previous is not None and same_threat(previous, t):
            threats[i] = previous
        else:
            fresh.append(t)
    after = {id(t) for t in threats}
    return fresh, [t for t in old if id(t) not in after]


def stale_decisions(
    triage: dict[str, Any], by_id: dict[str, Threat], threats: list[Threat]
) -> list[str]:
    """``rules.stale_triage`` without walking every threat's covers when no decision is missing."""
    missing = [tid for tid in triage if tid not in by_id]
    if not missing:
        return []
    covered: set[str] = set()
    for t in threats:
        if t.has_covers() if isinstance(t, DerivedThreat) else t.covers:
            covered.update(t.covers)
    return sorted(tid for tid in missing if tid not in covered)
