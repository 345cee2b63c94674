"""Auto-layout with networkx: layered left to right, boundary by boundary, members kept inside.

Each boundary is laid out as a block: its direct member elements and child boundaries are placed
in layers (longest path over the flows between them, cycles condensed), then the boundary's
rectangle is fitted around them. The top level is laid out the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from ..model import Model
from . import style
from .commands import MoveCommand
from .document import Document

GAP_X, GAP_Y = 90.0, 50.0
PAD, TITLE = 30.0, 34.0


@dataclass
class _Block:
    id: str  # element id or "b:" + boundary id
    w: float
    h: float
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)  # relative to top-left
    rects: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)


def _layout_container(model: Model, boundary_id: str | None, owner: dict[str, str]) -> _Block:
    blocks: dict[str, _Block] = {}
    for child in (b for b in model.boundaries if b.parent == boundary_id):
        blocks["b:" + child.id] = _layout_container(model, child.id, owner)
    for element in (e for e in model.elements if e.boundary == boundary_id):
        w, h = style.ELEMENT_W, style.ELEMENT_H
        blocks[element.id] = _Block(element.id, w, h, {element.id: (w / 2, h / 2)})
    graph = nx.DiGraph()
    graph.add_nodes_from(blocks)
    for flow in model.flows:
        a, b = (
            _child_block(model, flow.source, boundary_id, owner),
            _child_block(model, flow.target, boundary_id, owner),
        )
        if a in blocks and b in blocks and a != b:
            graph.add_edge(a, b)
    condensed = nx.condensation(graph)
    layer_of_scc: dict[int, int] = {}
    for node in nx.topological_sort(condensed):
        preds = list(condensed.predecessors(node))
        layer_of_scc[node] = max((layer_of_scc[p] + 1 for p in preds), default=0)
    layers: dict[int, list[str]] = {}
    for node in sorted(graph.nodes):
        layers.setdefault(layer_of_scc[condensed.graph["mapping"][node]], []).append(node)
    order: dict[str, float] = {}
    x = PAD
    content_w, content_h = 0.0, 0.0
    placed: dict[str, tuple[float, float]] = {}
    for layer in sorted(layers):
        nodes = layers[layer]
        # barycentre ordering against already placed predecessors keeps edges short
        nodes.sort(
            key=lambda n: (
                sum(order.get(p, 0) for p in graph.predecessors(n))
                / max(1, sum(1 for p in graph.predecessors(n) if p in order)),
                n,
            )
        )
        y = TITLE if boundary_id else 0.0
        width = max(blocks[n].w for n in nodes)
        for index, node in enumerate(nodes):
            order[node] = index
            placed[node] = (x + (width - blocks[node].w) / 2, y)
            y += blocks[node].h + GAP_Y
        content_h = max(content_h, y - GAP_Y)
        x += width + GAP_X
        content_w = x - GAP_X
    result = _Block(
        "b:" + (boundary_id or ""), max(content_w + PAD, 260.0), max(content_h + PAD, 160.0)
    )
    for node, (bx, by) in placed.items():
        block = blocks[node]
        for eid, (px, py) in block.positions.items():
            result.positions[eid] = (bx + px, by + py)
        for bid, (rx, ry, rw, rh) in block.rects.items():
            result.rects[bid] = (bx + rx, by + ry, rw, rh)
        if node.startswith("b:"):
            result.rects[node[2:]] = (bx, by, block.w, block.h)
    return result


def _child_block(
    model: Model, element_id: str, container: str | None, owner: dict[str, str]
) -> str:
    """The block of ``container`` that holds the element: itself or the child boundary."""
    element = model.element(element_id)
    if element is None:
        return ""
    chain = model.boundary_chain(element.boundary)
    if container is None:
        return element_id if not chain else "b:" + chain[-1]
    if container not in chain:
        return ""
    index = chain.index(container)
    return element_id if index == 0 else "b:" + chain[index - 1]


def compute_layout(
    model: Model,
) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[float, float, float, float]]]:
    """Element centres and boundary rects of a tidy layout (pure: no Qt, no model change)."""
    top = _layout_container(model, None, {})
    snap = lambda v: round(v / style.GRID) * style.GRID
    positions = {k: (snap(x), snap(y)) for k, (x, y) in top.positions.items()}
    rects = {k: (snap(x), snap(y), snap(w), snap(h)) for k, (x, y, w, h) in top.rects.items()}
    return positions, rects


def auto_layout_command(document: Document) -> MoveCommand | None:
    if not document.model.elements and not document.model.boundaries:
        return None
    positions, rects = compute_layout(document.model)
    command = MoveCommand(document, positions=positions, rects=rects, text="Auto-layout")
    return None if command.is_empty() else command
