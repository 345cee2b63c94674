"""Identical threats on replicas read as one row listing their targets.

One function decides what "identical" means: the engine's replica key (``Threat.group``: the same
rule at the same severity on the same component with the same relevant properties, see
``rules.grouping``) and the same triage status. Each target keeps its threat id (triage is per
id); only the reading is grouped.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..rules.threat import Threat


def replica_key(threat: Threat) -> tuple[str, ...]:
    return (threat.group or f"{threat.rule}|{threat.severity}", threat.status)


def group_replicas(threats: Iterable[Threat]) -> list[list[Threat]]:
    """Groups in the order their first threat comes; members in input order."""
    groups: dict[tuple[str, ...], list[Threat]] = {}
    for threat in threats:
        groups.setdefault(replica_key(threat), []).append(threat)
    return list(groups.values())
