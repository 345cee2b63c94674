"""A synthetic model of any size: N elements, N flows, N/10 boundaries, Docker and Kubernetes.

``make_model(n, seed=0)`` is deterministic for a seed. The topology looks like real ones: an
internet zone with users, clusters and Docker hosts holding nodes and namespaces, most flows
inside one boundary, some crossing into more trusted zones, a mix of encrypted and plain flows,
and component properties flipped away from their defaults at random (so rules fire).

The model is laid out as a person would draw it: each boundary holds its elements on a small
grid and its child boundaries beside them, and the top level is packed into rows about as wide
as a screen is wide, so a 1,000-element model fits a window at a readable zoom instead of a tall
column at ~1 %.
"""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass, field
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


# An element box is 176 x 64 at 100 % (wider for long names); a grid cell leaves room for flows.
CELL_W, CELL_H = 230.0, 115.0
PAD, TITLE = 24.0, 36.0  # inside a boundary: margin, and the title tab on top
GAP = 36.0  # between boxes packed side by side
ASPECT = 1.6  # width / height the top level aims at (a desktop window)


@dataclass
class _Box:
    """A block to place: a boundary (with what it holds) or a grid of loose elements."""

    w: float
    h: float
    boundary: str | None = None
    elements: list[Element] = field(default_factory=list)  # on a grid (a block of loose elements)
    children: list[tuple[float, float, _Box]] = field(default_factory=list)  # offset, box


def _grid(elements: list[Element]) -> tuple[int, float, float]:
    cols = max(1, math.ceil(math.sqrt(len(elements) * CELL_H / CELL_W * ASPECT)))
    rows = math.ceil(len(elements) / cols)
    return cols, cols * CELL_W, rows * CELL_H


def _pack(boxes: list[_Box], width: float) -> tuple[list[tuple[float, float, _Box]], float, float]:
    """Shelf packing: left to right, a new row when the next box would pass ``width``."""
    placed, x, y, row_h, used_w = [], 0.0, 0.0, 0.0, 0.0
    for box in boxes:
        if x > 0 and x + box.w > width:
            x, y, row_h = 0.0, y + row_h + GAP, 0.0
        placed.append((x, y, box))
        used_w = max(used_w, x + box.w)
        x += box.w + GAP
        row_h = max(row_h, box.h)
    return placed, used_w, y + row_h


def _best_pack(
    boxes: list[_Box], at_least: float, aspect: float
) -> tuple[list[tuple[float, float, _Box]], float, float]:
    """The row width whose packing fits an ``aspect`` window at the largest zoom."""
    if not boxes:
        return [], 0.0, 0.0
    total = sum(b.w for b in boxes) + GAP * (len(boxes) - 1)
    low = max([at_least] + [b.w for b in boxes])
    best = None
    for step in range(25):
        width = low + (max(total, low) - low) * step / 24
        placed, w, h = _pack(boxes, width)
        score = max(w / aspect, h)  # the side that limits the zoom when fitted
        if best is None or score < best[0]:
            best = (score, placed, w, h)
    assert best is not None
    return best[1], best[2], best[3]


def _container(
    boundary: str | None,
    members: dict[str | None, list[Element]],
    children: dict[str | None, list[str]],
    *,
    aspect: float,
) -> _Box:
    boxes = [_container(c, members, children, aspect=aspect) for c in children.get(boundary, [])]
    elements = members.get(boundary, [])
    if elements:  # the boundary's own elements: one more block, packed with its children
        _, grid_w, grid_h = _grid(elements)
        boxes.append(_Box(grid_w, grid_h, None, elements))
    boxes.sort(key=lambda b: -b.h)  # tallest first: rows waste less height
    placed, w, h = _best_pack(boxes, 0.0, aspect)
    if boundary is None:
        return _Box(w, h, None, [], placed)
    return _Box(w + 2 * PAD, h + 2 * PAD + TITLE, boundary, [], placed)


def _place(box: _Box, x: float, y: float, model: Model) -> None:
    if box.boundary is not None:
        model.boundary(box.boundary).rect = (x, y, box.w, box.h)
        x, y = x + PAD, y + PAD + TITLE
    if box.elements:
        cols, _, _ = _grid(box.elements)
        for i, element in enumerate(box.elements):
            row, col = divmod(i, cols)
            element.pos = (x + (col + 0.5) * CELL_W, y + (row + 0.5) * CELL_H)
    for dx, dy, child in box.children:
        _place(child, x + dx, y + dy, model)


def lay_out(model: Model) -> None:
    """Boundaries around their members on a grid, the whole about ASPECT wide (in place)."""
    members: dict[str | None, list[Element]] = {}
    for e in model.elements:
        members.setdefault(e.boundary, []).append(e)
    children: dict[str | None, list[str]] = {}
    for b in model.boundaries:
        children.setdefault(b.parent, []).append(b.id)
    _place(_container(None, members, children, aspect=ASPECT), 0.0, 0.0, model)


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
    model = Model(name=f"Synthetic {n}", boundaries=boundaries, elements=elements, flows=flows)
    lay_out(model)
    return model


if __name__ == "__main__":
    from stride_desktop.io import dump_model

    print(dump_model(make_model(int(sys.argv[1]) if len(sys.argv) > 1 else 30)))
