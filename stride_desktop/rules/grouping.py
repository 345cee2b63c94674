"""Replicas: the same threat on identical targets (one rule on 11 pods) is read as one row.

The engine gives every threat a ``group`` key: the rule, the target's component, the values of
the properties the rule's condition reads on it (for a flow: its own fields and its ends'
components) and the severity. Threats with equal keys are replicas; ``group_threats`` gathers them
so a panel or the report can show one row listing the targets, while each threat keeps its id
(triage stays per target).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .graph import Facts
from .threat import Threat

# Matchers that look at another element: the properties they read are not the target's.
_ELSEWHERE = (
    "source",
    "target",
    "has_flow_from",
    "has_flow_to",
    "shares_boundary_with",
    "contains",
    "model_has",
)


def read_properties(when: Any) -> tuple[str, ...]:
    """Names of the target's own properties a rule condition reads (sorted, no duplicates)."""
    names: set[str] = set()

    def walk(raw: Any) -> None:
        if not isinstance(raw, dict):
            return
        for key, value in raw.items():
            if key in ("all", "any"):
                for item in value if isinstance(value, list) else ():
                    walk(item)
            elif key == "not":
                walk(value)
            elif (
                key == "property"
                and isinstance(value, dict)
                and isinstance(name := value.get("name"), str)
            ):
                names.add(name)

    walk(when)
    return tuple(sorted(names))


class GroupKeys:
    """Computes group keys for the threats of one derivation."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self._reads: dict[int, tuple[str, ...]] = {}
        self._flow_shapes: dict[str, str] = {}

    def key(self, threat: Threat, text: Any) -> str:
        facts, target, kind = self.facts, threat.target, threat.target_kind
        if kind == "element":
            if (reads := self._reads.get(id(text))) is None:
                reads = self._reads[id(text)] = read_properties(getattr(text, "when", None))
            shape = facts.elements[target].component
            if reads:  # one rule's reads on one element: no other threat has this shape
                props = facts.props[target]
                shape += "".join([f"|{name}={props.get(name)!r}" for name in reads])
        elif kind == "flow":
            if (known := self._flow_shapes.get(target)) is not None:  # several threats per flow
                shape = known
            else:
                f = facts.flows[target]
                src, dst = facts.elements[f.source], facts.elements[f.target]
                shape = self._flow_shapes[target] = (
                    f"{src.component}>{dst.component}|{f.protocol}|{f.port}|{f.channel}|"
                    f"{f.encrypted}|{f.authenticated}|{f.data}"
                )
        else:
            shape = facts.boundaries[target].kind
        return f"{threat.rule}|{threat.severity}|{shape}"


@dataclass
class ThreatGroup:
    """Replicas of one threat: same rule, component, relevant properties and severity."""

    key: str
    threats: list[Threat] = field(default_factory=list)

    @property
    def first(self) -> Threat:
        return self.threats[0]

    @property
    def targets(self) -> list[str]:
        return [t.target for t in self.threats]

    @property
    def target_names(self) -> list[str]:
        return [t.target_name for t in self.threats]

    def __len__(self) -> int:
        return len(self.threats)


def group_threats(threats: Iterable[Threat]) -> list[ThreatGroup]:
    """Threats gathered by their ``group`` key, in the order of each group's first threat; a
    threat without a key is a group of its own."""
    groups: dict[str, ThreatGroup] = {}
    out: list[ThreatGroup] = []
    for t in threats:
        key = t.group or f"#{t.id}"
        if (group := groups.get(key)) is None:
            group = groups[key] = ThreatGroup(key)
            out.append(group)
        group.threats.append(t)
    return out
