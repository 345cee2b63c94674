"""A synthetic model of any size: N elements, N flows, N/10 boundaries, Docker and Kubernetes.

``make_model(n, seed=0)`` is deterministic for a seed. The topology looks like real ones: an
internet zone with users, clusters and Docker hosts holding nodes and namespaces, most flows
inside one boundary, some crossing into more trusted zones, a mix of encrypted and plain flows,
and component properties flipped away from their defaults at random (so rules fire).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stride_desktop.io import default_catalog
from stride_desktop.model import Boundary, Element, Flow, Model

EXTERNAL = ("generic.external_entity", "k8s.user", "k8s.cloud_api")
DOCKER = (
    "docker.daemon",
    "docker.container",
    "docker.container",
    "docker.container",
    "docker.image",
    "docker.volume",
    "docker.socket",
    "docker.registry",
    "docker.network",
    "docker.secret",
    "docker.build_context",
    "docker.host",
    "docker.client",
)
KUBERNETES = (
    "k8s.pod",
    "k8s.pod",
    "k8s.pod",
    "k8s.pod",
    "k8s.service",
    "k8s.apiserver",
    "k8s.etcd",
    "k8s.kubelet",
    "k8s.kube_proxy",
    "k8s.secret",
    "k8s.configmap",
    "k8s.service_account",
    "k8s.ingress",
    "k8s.admission_webhook",
    "k8s.cni",
    "k8s.coredns",
    "k8s.persistent_volume",
    "k8s.container_runtime",
    "k8s.dashboard",
    "k8s.scheduler",
    "k8s.controller_manager",
)


def _boundaries(count: int, rng: random.Random) -> list[Boundary]:
    """An internet zone, then platforms (cluster / Docker host) with nodes and namespaces."""
    boundaries = [Boundary(id="b0", name="Internet", trust=0, kind="internet")]
    platforms: list[Boundary] = []
    for i in range(1, count):
        if not platforms or len(platforms) * 8 < i:
            kind = rng.choice(("cluster", "host"))
            b = Boundary(
                id=f"b{i}",
                name=f"{kind.title()} {i}",
                trust=1 if kind == "cluster" else 2,
                kind=kind,
            )
            platforms.append(b)
        else:
            parent = rng.choice(platforms)
            kind = rng.choice(("node", "namespace")) if parent.kind == "cluster" else "network"
            b = Boundary(
                id=f"b{i}",
                name=f"{kind.title()} {i}",
                trust=parent.trust + 1,
                kind=kind,
                parent=parent.id,
            )
        boundaries.append(b)
    return boundaries


def _properties(component: str, rng: random.Random) -> dict[str, object]:
    spec = default_catalog().get(component)
    props: dict[str, object] = {}
    for p in spec.properties:
        if p.type == "bool" and rng.random() < 0.25:
            props[p.name] = not p.default
        elif p.type == "enum" and rng.random() < 0.15:
            props[p.name] = rng.choice(p.values)
    return props


def make_model(n: int, *, seed: int = 0) -> Model:
    rng = random.Random(seed)
    boundaries = _boundaries(max(1, n // 10), rng)
    inner = boundaries[1:] or boundaries
    elements: list[Element] = []
    for i in range(n):
        if i % 20 == 0:
            component, boundary = rng.choice(EXTERNAL), rng.choice((None, "b0"))
        else:
            b = rng.choice(inner)
            root = b if b.parent is None else next(x for x in boundaries if x.id == b.parent)
            component = rng.choice(KUBERNETES if root.kind == "cluster" else DOCKER)
            boundary = b.id
        elements.append(
            Element(
                id=f"e{i}",
                name=f"{component.split('.')[-1]} {i}",
                component=component,
                boundary=boundary,
                pos=(float(i % 100) * 80, float(i // 100) * 80),
                properties=_properties(component, rng),
            )
        )
    by_boundary: dict[str | None, list[Element]] = {}
    for e in elements:
        by_boundary.setdefault(e.boundary, []).append(e)
    flows: list[Flow] = []
    for i in range(n):
        source = rng.choice(elements)
        neighbours = by_boundary[source.boundary]
        target = (
            rng.choice(neighbours)
            if rng.random() < 0.7 and len(neighbours) > 1
            else rng.choice(elements)
        )
        if target.id == source.id:
            target = elements[(int(source.id[1:]) + 1) % n]
        flows.append(
            Flow(
                id=f"f{i}",
                source=source.id,
                target=target.id,
                name=f"flow {i}",
                protocol=rng.choice(("https", "http", "grpc", "tcp")),
                port=rng.choice((443, 80, 2375, 2379, 6443, 10250, 10255, 5432)),
                encrypted=rng.random() < 0.5,
                authenticated=rng.choice(("none", "none", "token", "mtls")),
                data=rng.choice(("public", "internal", "confidential", "secret")),
            )
        )
    return Model(name=f"Synthetic {n}", boundaries=boundaries, elements=elements, flows=flows)


if __name__ == "__main__":
    from stride_desktop.io import dump_model

    print(dump_model(make_model(int(sys.argv[1]) if len(sys.argv) > 1 else 30)))
