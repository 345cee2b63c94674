"""What every part of the Kubernetes import shares: the objects, the model being built, and
where workloads and Services ended up."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .builder import ModelBuilder
from .compose_props import PORT_PROTOCOLS, holds_data
from .errors import Notices
from .k8s_netpol import Policies
from .k8s_objects import K8sObject
from .k8s_pods import PodFacts

INTERNET, CLUSTER, USERS = "internet", "cluster", "users"


@dataclass
class Workload:
    obj: K8sObject
    id: str
    facts: PodFacts


def port_style(name: str, number: int | None) -> tuple[str, bool]:
    """(protocol, encrypted) of a port from its name (http, grpc, tcp-redis) or number."""
    lowered = name.lower()
    for word, style in (
        ("https", ("https", True)),
        ("grpc", ("grpc", False)),
        ("http", ("http", False)),
        ("redis", ("redis", False)),
        ("mysql", ("mysql", False)),
        ("postgres", ("postgresql", False)),
        ("mongo", ("mongodb", False)),
        ("amqp", ("amqp", False)),
        ("tls", ("tls", True)),
    ):
        if word in lowered:
            return style
    return PORT_PROTOCOLS.get(number, ("tcp", False)) if number else ("tcp", False)


class K8sContext:
    def __init__(
        self, objects: list[K8sObject], notices: Notices, name: str | None, source: str
    ) -> None:
        self.objects = objects
        self.notices = notices
        self.source = source
        self.b = ModelBuilder(
            name or f"{Path(source).stem} (Kubernetes)", f"Imported from {Path(source).name}."
        )
        self.by_key = {o.key: o for o in objects}
        self.workloads: list[Workload] = []
        self.services: dict[tuple[str, str], str] = {}  # (namespace, name) -> element id
        self.backends: dict[str, list[Workload]] = defaultdict(list)  # service id -> workloads
        self.service_ports: dict[str, list[tuple[str, int | None, int | None]]] = {}
        self.policies = Policies(objects)
        self.exposed: set[str] = set()

    def warn(self, obj: K8sObject, message: str, path: str = "") -> None:
        self.notices.warn(
            obj.doc.source,
            message,
            document=obj.doc.index,
            what=obj.what,
            path=obj.at(path) if path else obj.path,
        )

    def namespace(self, name: str) -> str:
        self.b.boundary(CLUSTER, "Kubernetes cluster", kind="cluster", trust=2)
        ns = self.by_key.get(("Namespace", None, name))
        return self.b.boundary(
            self.b.new_id("ns", name),
            f"{name} namespace",
            kind="namespace",
            trust=3,
            parent=CLUSTER,
            description="" if ns else "Namespace named by the objects (not defined in the files).",
        )

    def users(self) -> str:
        self.b.boundary(INTERNET, "Internet", kind="internet", trust=0)
        return self.b.element(USERS, "Users", "generic.external_entity", boundary=INTERNET)

    def data(self, workload: Workload) -> str:
        """The classification of what flows to a workload: its image says whether it stores data."""
        image = workload.facts.properties.get("image", "")
        return "confidential" if holds_data(image) else "internal"
