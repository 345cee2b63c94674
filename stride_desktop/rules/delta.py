"""What a refresh of the threats changed (``ThreatDelta``) and how threats are compared for it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.elements import TriageEntry
from .threat import DerivedThreat, Threat


@dataclass
class ThreatDelta:
    """What one refresh changed: threats added, changed (a new object, or the same object with a
    new triage decision) and removed (the old objects); the stale triage decisions (ids whose
    threat no longer arises) and whether they changed. ``full``: everything was re-derived."""

    added: list[Threat] = field(default_factory=list)
    changed: list[Threat] = field(default_factory=list)
    removed: list[Threat] = field(default_factory=list)
    stale: tuple[str, ...] = ()
    stale_changed: bool = False
    full: bool = False

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.stale_changed)

    @property
    def ids(self) -> set[str]:
        return {t.id for t in (*self.added, *self.changed, *self.removed)}

    @property
    def targets(self) -> set[str]:
        return {t.target for t in (*self.added, *self.changed, *self.removed)}

    def has_evidence(self) -> bool:
        """Whether a threat linked to bench evidence came, went or changed."""
        return any(has_evidence(t) for t in (*self.added, *self.changed, *self.removed))


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
            and (a.likelihood, a.impact) == (b.likelihood, b.impact)
            and a.categories == b.categories
            and a.path == b.path  # the reason names it, two elements may share a name
            and a.group == b.group
        )
    return a == b


def keep_unchanged(
    old: list[Threat], old_by_id: dict[str, Threat], threats: list[Threat]
) -> tuple[list[Threat], list[Threat], list[Threat]]:
    """Put back into ``threats`` (in place) the old object of every threat that came out the
    same, so listeners can skip it; returns the added, changed and removed threats."""
    before = {id(t) for t in old}
    added, changed = [], []
    for i, t in enumerate(threats):
        if id(t) in before:
            continue
        previous = old_by_id.get(t.id)
        if previous is None:
            added.append(t)
        elif same_threat(previous, t):
            threats[i] = previous
        else:
            changed.append(t)
    alive = {t.id for t in threats}
    return added, changed, [t for t in old if t.id not in alive]


def stale_decisions(
    triage: dict[str, TriageEntry], by_id: dict[str, Threat], threats: list[Threat]
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
