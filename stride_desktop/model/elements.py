"""Elements, flows, boundaries, triage and hardening entries: the DFD and the person's decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TRIAGE_STATUSES = ("open", "mitigated", "accepted", "transferred", "not_applicable")
# Statuses that close a threat for gates and badges ("transferred" stays someone's open risk).
CLOSED_STATUSES = frozenset({"mitigated", "accepted", "not_applicable"})
AUTHENTICATION_VALUES = ("none", "basic", "token", "mtls")
CLASSIFICATIONS = ("public", "internal", "confidential", "secret")
BOUNDARY_KINDS = (
    "generic",
    "internet",
    "cloud",
    "cluster",
    "host",
    "node",
    "network",
    "namespace",
    "container",
)


@dataclass
class Boundary:
    """A trust boundary. ``trust`` grows with trust: 0 is the untrusted outside world."""

    id: str
    name: str
    trust: int = 1
    kind: str = "generic"
    parent: str | None = None
    rect: tuple[float, float, float, float] = (0.0, 0.0, 400.0, 300.0)  # x, y, width, height
    description: str = ""


@dataclass
class Element:
    """A node of the DFD. Its DFD kind comes from its catalog component."""

    id: str
    name: str
    component: str
    boundary: str | None = None
    pos: tuple[float, float] = (0.0, 0.0)  # centre on the canvas
    properties: dict[str, Any] = field(default_factory=dict)
    description: str = ""


@dataclass
class Flow:
    """A directed data flow from ``source`` to ``target`` (element ids)."""

    id: str
    source: str
    target: str
    name: str = ""
    protocol: str = "tcp"
    port: int | None = None
    encrypted: bool = False
    authenticated: str = "none"  # one of AUTHENTICATION_VALUES
    data: str = "internal"  # data classification, one of CLASSIFICATIONS
    description: str = ""


@dataclass
class TriageEntry:
    """The person's decision on one threat, keyed in the model by threat id."""

    status: str = "open"
    note: str = ""

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


@dataclass
class HardeningEntry:
    """A finding chosen for hardening, with the plan and the threats it addresses."""

    finding: str  # finding id, "RUN_ID:FINDING_KEY"
    note: str = ""
    threats: list[str] = field(default_factory=list)
