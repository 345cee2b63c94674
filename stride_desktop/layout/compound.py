"""Boundary-aware layout of a whole model: each boundary is laid out as a block of its members.

A boundary's block holds its own elements and its child boundaries (blocks laid out first, so
nested boundaries are sized to their content); the block is then one node of its parent's
columns. Flows between elements in different blocks become edges between the blocks that hold
them at each level; flows that leave a block get a port on the side where their other end is
(a first drawing tells), so that the block keeps their lines free of its boxes. The top level
is laid out the same way; ``refine`` then improves the orders with the whole drawing in view and
takes lines off the boxes they do not connect. ``choice.layout_model`` draws the model up to
three ways with it and keeps the best. The result is pure data: element centres and boundary
rectangles, applied to a model with ``apply_layout``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Catalog, Model
from .drawing import Layout
from .layers import EXIT, EXTERNAL, PROCESS, STORE, Layering, assign_ranks, order_columns
from .placement import GAP_ROWS, place
from .sizes import SizeFn, label_width

PAD = 28.0  # inside a boundary, around its content
TITLE = 40.0  # the title tab (24 px) and some air below it
MIN_W, MIN_H = 220.0, 140.0
ASPECT = 1.5  # the width / height a block should have
WIDE = 3.0  # wider than this many heights: try the block's columns as rows
ORIGIN = (40.0, 40.0)
BLOCK = "\1"  # prefix of a child boundary's node id in its parent's columns
ENTRY = "\2entry"  # stands for what enters a boundary from outside: keeps those lines free
EXIT_PORT = "\2exit"  # and for what its flows reach outside on the right


@dataclass
class Container:
    """One boundary (or the top level, ``id`` None) and the columns of its children."""

    id: str | None
    depth: int
    nodes: list[str]  # element ids and BLOCK + child boundary ids
    edges: dict[tuple[str, str], float]
    layering: Layering
    vertical: bool = False  # columns drawn as rows, top to bottom
    shift: dict[str, float] = field(default_factory=dict)  # nodes moved along their column
    size: tuple[float, float] = (0.0, 0.0)
    corners: dict[str, tuple[float, float]] = field(default_factory=dict)  # of nodes, relative


class Tree:
    """The containers of a model, innermost first, and how to draw them."""

    def __init__(
        self,
        model: Model,
        catalog: Catalog,
        size_of: SizeFn,
        *,
        sides: dict[str, tuple[float, float]] | None = None,
    ) -> None:
        self.sides = sides  # element centres of a first drawing: where outside flows go
        by_id = model.boundaries_by_id()
        self.children: dict[str | None, list[str]] = defaultdict(list)
        for b in model.boundaries:
            parent = b.parent if b.parent in by_id and b.parent != b.id else None
            self.children[parent].append(b.id)
        self.members: dict[str | None, list[str]] = defaultdict(list)
        self.role: dict[str, str] = {}
        self.element_size: dict[str, tuple[float, float]] = {}
        for e in model.elements:
            self.members[e.boundary if e.boundary in by_id else None].append(e.id)
            spec = catalog.components.get(e.component)
            kind = spec.kind.value if spec else "process"
            self.role[e.id] = {"external_entity": EXTERNAL, "data_store": STORE}.get(kind, PROCESS)
            self.element_size[e.id] = size_of(e)
        self.parent: dict[str, str | None] = {
            child: parent for parent, kids in self.children.items() for child in kids
        }
        self.chain = {e.id: _chain(e.boundary, by_id) for e in model.elements}
        self.flows = [
            (f.source, f.target)
            for f in model.flows
            if f.source in self.chain and f.target in self.chain and f.source != f.target
        ]
        self.label_width: dict[tuple[str, str], float] = {}  # widest label between two ends
        for f in model.flows:
            pair = (min(f.source, f.target), max(f.source, f.target))
            width = label_width(f.name)
            self.label_width[pair] = max(width, self.label_width.get(pair, 0.0))
        self.flows_of: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
        for source, target in self.flows:  # each flow concerns the boundaries around its ends
            for container in {None, *self.chain[source], *self.chain[target]}:
                self.flows_of[container].append((source, target))
        self.containers: list[Container] = []  # innermost first
        self.by_id: dict[str | None, Container] = {}
        self._build(None, 0, frozenset())

    def node_of(self, element_id: str, container: Container) -> str | None:
        """The child of ``container`` that holds the element (None when it is elsewhere)."""
        chain, depth = self.chain[element_id], container.depth
        if container.id is not None and (len(chain) < depth or chain[depth - 1] != container.id):
            return None
        return element_id if len(chain) == depth else BLOCK + chain[depth]

    def node_size(self, node: str) -> tuple[float, float]:
        if node.startswith(BLOCK):
            return self.by_id[node[1:]].size
        return self.element_size[node]

    def _build(self, cid: str | None, depth: int, seen: frozenset[str]) -> None:
        nodes = []
        for child in self.children.get(cid, []):
            if child not in seen:
                self._build(child, depth + 1, seen | {child})
                nodes.append(BLOCK + child)
        nodes += self.members.get(cid, [])
        nodes.sort()
        container = Container(cid, depth, nodes, {}, Layering([], {}, {}))
        edges: dict[tuple[str, str], float] = defaultdict(float)
        node_set = set(nodes)
        for source, target in self.flows_of.get(cid, []):
            a, b = self.node_of(source, container), self.node_of(target, container)
            if a is not None and b is not None and a != b and a in node_set and b in node_set:
                edges[(a, b)] += 1.0
        role = {n: self._role(n) for n in nodes}
        if cid is not None:  # flows to and from outside leave on their side: keep those lines free
            for port, node in self._ports(container, node_set):
                edges[(port, node) if port == ENTRY else (node, port)] += 1.0
                role[port] = EXTERNAL if port == ENTRY else EXIT
        container.edges = dict(edges)
        ranked = sorted(role)
        container.layering = Layering(ranked, container.edges, assign_ranks(ranked, edges, role))
        container.layering.role_dummy.update(p for p in (ENTRY, EXIT_PORT) if p in role)
        order_columns(container.layering)
        self.containers.append(container)
        self.by_id[cid] = container
        self.place_container(container)
        blocks = sum(1 for n in nodes if n.startswith(BLOCK))
        w, h = container.size
        mostly_blocks = blocks >= 2 and 2 * blocks >= len(nodes)  # e.g. a cluster of nodes
        if cid is not None and mostly_blocks and w > WIDE * max(h, 1.0):
            container.vertical = True  # try the columns as rows; keep the squarer
            self.place_container(container)
            tw, th = container.size
            if abs(math.log(tw / max(th, 1.0) / ASPECT)) >= abs(math.log(w / max(h, 1.0) / ASPECT)):
                container.vertical = False
                self.place_container(container)

    def _ports(self, container: Container, node_set: set[str]) -> set[tuple[str, str]]:
        """(port, node) for each child with a flow to or from outside the container: the port
        on the side where the other end was drawn in a first drawing (``sides``); without one,
        external entities outside come in on the left."""
        ports = set()
        for source, target in self.flows_of.get(container.id, []):
            a, b = self.node_of(source, container), self.node_of(target, container)
            if (a is None) == (b is None):
                continue
            inside, outside = (source, target) if b is None else (target, source)
            node = a if b is None else b
            if node not in node_set:
                continue
            if self.sides is not None:
                right = self.sides[outside][0] > self.sides[inside][0]
                ports.add((EXIT_PORT if right else ENTRY, node))
            elif self.role[outside] == EXTERNAL:
                ports.add((ENTRY, node))
        return ports

    def _role(self, node: str) -> str:
        """An element's role; a boundary holding only external entities goes left too."""
        if not node.startswith(BLOCK):
            return self.role[node]
        inner = self.by_id[node[1:]]
        roles = {self._role(n) for n in inner.nodes}
        return EXTERNAL if roles == {EXTERNAL} else PROCESS

    def place_container(self, container: Container) -> None:
        """Corners of the container's children and its size, from their sizes and order."""
        if container.vertical:
            turned, tw, th = place(
                container.layering,
                lambda n: (self.node_size(n)[1], self.node_size(n)[0]),
                gap_x=GAP_ROWS,
                shift=container.shift,
            )
            corners, content_w, content_h = {n: (y, x) for n, (x, y) in turned.items()}, th, tw
        else:
            corners, content_w, content_h = place(
                container.layering, self.node_size, shift=container.shift
            )
        if container.id is None:
            container.corners, container.size = corners, (content_w, content_h)
            return
        w = max(MIN_W, content_w + 2 * PAD)
        h = max(MIN_H, content_h + TITLE + PAD)
        left = PAD + (w - 2 * PAD - content_w) / 2
        container.corners = {n: (left + x, TITLE + y) for n, (x, y) in corners.items()}
        container.size = (w, h)

    def compose(self, changed: Container | None = None) -> Layout:
        """Absolute coordinates; with ``changed``, only it and the containers around it are
        placed again (their other children's sizes are as before), up to the first that keeps
        its size."""
        if changed is not None:
            current: str | None = changed.id
            while True:
                container = self.by_id[current]
                size = container.size
                self.place_container(container)
                if current is None or container.size == size:
                    break  # the same size: the containers around it stay as they are
                current = self.parent[current]
        layout = Layout()
        stack: list[tuple[Container, float, float]] = [(self.by_id[None], *ORIGIN)]
        while stack:
            container, ox, oy = stack.pop()
            for node, (x, y) in container.corners.items():
                if node.startswith(BLOCK):
                    child = self.by_id[node[1:]]
                    layout.rects[node[1:]] = (ox + x, oy + y, *child.size)
                    stack.append((child, ox + x, oy + y))
                else:
                    w, h = self.element_size[node]
                    layout.positions[node] = (ox + x + w / 2, oy + y + h / 2)
        return layout


def _chain(boundary: str | None, by_id: dict) -> list[str]:
    """Enclosing boundaries, outermost first (stops on a cycle)."""
    chain: list[str] = []
    while boundary in by_id and boundary not in chain:
        chain.append(boundary)  # type: ignore[arg-type]
        boundary = by_id[boundary].parent
    return chain[::-1]


def apply_layout(model: Model, layout: Layout) -> None:
    """Move the model's elements and boundaries to ``layout``'s places."""
    for element in model.elements:
        if element.id in layout.positions:
            element.pos = layout.positions[element.id]
    for boundary in model.boundaries:
        if boundary.id in layout.rects:
            boundary.rect = layout.rects[boundary.id]
