"""Elements, flows, boundaries, triage and hardening entries: the DFD and the person's decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TRIAGE_STATUSES = (
    "open",
    "needs_investigation",
    "mitigated",
    "accepted",
    "transferred",
    "not_applicable",
)
# Statuses that close a threat for gates and badges ("transferred" and "needs_investigation"
# stay someone's open risk).
CLOSED_STATUSES = frozenset({"mitigated", "accepted", "not_applicable"})
AUTHENTICATION_VALUES = ("none", "basic", "token", "mtls")
# How a flow travels: over a network, or locally on one machine. Only a network channel can be
# sniffed, altered or spoofed in transit by someone on the path.
CHANNELS = ("network", "loopback", "in_pod", "unix_socket", "mount", "syscall", "ipc")
CHANNEL_LABELS = {
    "network": "network",
    "loopback": "loopback (127.0.0.1)",
    "in_pod": "inside one pod (shared network namespace)",
    "unix_socket": "unix socket",
    "mount": "file or volume mount",
    "syscall": "system call",
    "ipc": "local IPC (exec, pipe, environment, terminal)",
}
# Protocol names that imply a local channel (format 1 models had no channel field).
_LOCAL_PROTOCOLS = {
    "unix": "unix_socket",
    "unix-socket": "unix_socket",
    "syscall": "syscall",
    "file": "mount",
    "mount": "mount",
    "volume": "mount",
    "hostpath": "mount",
    "exec": "ipc",
    "env": "ipc",
    "tty": "ipc",
    "pipe": "ipc",
    "ipc": "ipc",
    "stdio": "ipc",
    "loopback": "loopback",
    "localhost": "loopback",
}


def channel_for_protocol(protocol: str) -> str:
    """The channel a protocol name implies: ``unix`` -> unix_socket, ``file`` -> mount, ...;
    anything else travels a network."""
    return _LOCAL_PROTOCOLS.get(protocol.strip().lower(), "network")


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
    channel: str = "network"  # one of CHANNELS
    port: int | None = None
    encrypted: bool = False
    authenticated: str = "none"  # one of AUTHENTICATION_VALUES
    data: str = "internal"  # data classification, one of CLASSIFICATIONS
    description: str = ""

    @property
    def is_network(self) -> bool:
        """Whether it travels a network (local channels have no in-transit threats)."""
        return self.channel == "network"


PLAN_STATES = ("planned", "in_progress", "done")
STRIDE_CATEGORIES = (
    "Spoofing",
    "Tampering",
    "Repudiation",
    "Information Disclosure",
    "Denial of Service",
    "Elevation of Privilege",
)
SEVERITY_LEVELS = ("low", "medium", "high", "critical")


@dataclass
class TriageEntry:
    """The person's decision on one threat, keyed in the model by threat id."""

    status: str = "open"
    note: str = ""
    owner: str = ""  # who follows it up
    ticket: str = ""  # a link or key in the team's tracker

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


@dataclass
class HardeningEntry:
    """A finding chosen for hardening, with the plan and the threats it addresses."""

    finding: str  # finding id, "RUN_ID:FINDING_KEY"
    note: str = ""
    threats: list[str] = field(default_factory=list)
    owner: str = ""
    due: str = ""  # ISO date, YYYY-MM-DD
    state: str = "planned"  # one of PLAN_STATES

    @property
    def done(self) -> bool:
        return self.state == "done"


@dataclass
class CustomThreat:
    """A threat a person wrote for an element or a flow; derived like a rule threat."""

    id: str  # unique among custom threats; the threat id is CUSTOM-<id>@<target>
    target: str  # element or flow id
    title: str
    category: str = "Tampering"  # one of STRIDE_CATEGORIES
    severity: str = "medium"  # one of SEVERITY_LEVELS
    description: str = ""
    mitigation: str = ""
    finding: str = ""  # "RUN_ID:KEY" of the failing check it was made from, if any

    @property
    def threat_id(self) -> str:
        return custom_threat_id(self.id, self.target)


def custom_threat_id(custom_id: str, target: str) -> str:
    return f"CUSTOM-{custom_id}@{target}"
