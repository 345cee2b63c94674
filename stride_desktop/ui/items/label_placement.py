"""Flow labels placed clear of elements, boundary titles, badges and each other.

Each label tries spots along its line (the middle first), on the line or beside it, and takes
the first one that touches nothing; when every spot touches something it takes the one that
covers the least. Labels are placed one after the other, each an obstacle for the next, the
shortest flows first (they have the fewest spots).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsItem

from .boundary_item import BoundaryItem
from .element_item import ElementItem
from .flow_item import FlowItem

LABEL_TS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)  # along the line, best first
MORE_TS = (0.45, 0.55, 0.35, 0.65, 0.25, 0.75, 0.16, 0.84)  # when none of those is free
SIDE_COST = 0.05  # beside the line reads a little worse than on it, at the same spot
FEW_FLOWS = 40  # re-placing this many labels or fewer looks only at their neighbourhood
MANY_FLOWS = 300  # placing more at once (opening a large model) tries fewer spots per label
ELEMENT_WEIGHT = 4.0  # covering an element's name is worse than touching another label


class _Grid:
    """Rects bucketed by cell, so a label checks only its neighbours (no scene index queries:
    those re-index the scene after every route change and made opening big models quadratic)."""

    CELL = 160.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[QRectF, float]]] = defaultdict(list)

    def _keys(self, r: QRectF) -> list[tuple[int, int]]:
        c = self.CELL
        return [
            (x, y)
            for x in range(int(r.left() // c), int(r.right() // c) + 1)
            for y in range(int(r.top() // c), int(r.bottom() // c) + 1)
        ]

    def add(self, r: QRectF, weight: float = 1.0) -> None:
        for key in self._keys(r):
            self.cells[key].append((r, weight))

    def hits(self, r: QRectF, *, ignore: QRectF | None = None) -> bool:
        """Whether ``r`` touches an obstacle (other than the rect object ``ignore``)."""
        return any(
            o is not ignore and o.intersects(r)
            for key in self._keys(r)
            for o, _ in self.cells.get(key, ())
        )

    def cost(self, r: QRectF) -> float:
        """The weighted area of ``r`` that obstacles cover (each obstacle counted once)."""
        seen: set[int] = set()
        total = 0.0
        for key in self._keys(r):
            for o, weight in self.cells.get(key, ()):
                if id(o) in seen or not o.intersects(r):
                    continue
                seen.add(id(o))
                overlap = o.intersected(r)
                total += weight * overlap.width() * overlap.height()
        return total


def obstacles(item: QGraphicsItem) -> list[tuple[QRectF, float]]:
    """What a label must not cover of ``item`` (scene coordinates), with a weight."""
    if isinstance(item, ElementItem):
        body = item.mapRectToScene(item.body_rect())
        return [(body, ELEMENT_WEIGHT), (item.mapRectToScene(item.badge_rect()), 1.0)]
    if isinstance(item, BoundaryItem):
        return [(item.mapRectToScene(item.tab_rect()), 2.0)]
    if isinstance(item, FlowItem) and item.line.length() >= 1:
        return [(FlowItem.footprint(item.label_rect()), 1.0)]
    return []


def best_spot(flow: FlowItem, grid: _Grid, *, thorough: bool = True) -> tuple[float, int]:
    """The first free spot of ``flow``'s label, else the one covering the least (or, not
    ``thorough``, the middle: a large model's first placement keeps to the likeliest spots)."""
    if thorough:
        candidates = [(t, side) for t in LABEL_TS for side in flow.label_sides()]
        candidates += [(t, side) for t in MORE_TS for side in flow.label_sides(far=True)]
    else:
        candidates = [(t, flow.label_sides()[0]) for t in LABEL_TS[:5]]
    for t, side in candidates:
        if not grid.hits(FlowItem.footprint(flow.label_rect_at(t, side))):
            return t, side
    if not thorough:
        return candidates[0]
    scored = []
    for rank, (t, side) in enumerate(candidates):
        cost = grid.cost(FlowItem.footprint(flow.label_rect_at(t, side)))
        scored.append((cost * (1 + SIDE_COST * abs(side)) + rank * 1e-3, t, side))
    _, t, side = min(scored)
    return t, side


def place_labels(scene: Any, flows: Iterable[FlowItem]) -> None:
    """Place the labels of ``flows`` (the other flows' labels stay where they are)."""
    flows = [f for f in flows if f.line.length() >= 1]
    if not flows:
        return
    # One pass over the items, no scene index queries: after every moved label those re-index,
    # and long flows' bounding boxes make each query return half the scene.
    moving = {id(f) for f in flows}
    region = None
    if len(flows) <= FEW_FLOWS:  # a drag or an edit: only obstacles near the candidate spots
        region = QRectF()
        for flow in flows:
            for t in (LABEL_TS[-2], LABEL_TS[-1]):
                for side in flow.label_sides(far=True):  # (the union is their bounding rect)
                    region = region.united(FlowItem.footprint(flow.label_rect_at(t, side)))
    near = region.adjusted(-24, -24, 24, 24) if region is not None else None  # (badge room)
    fixed: list[tuple[QRectF, float]] = []
    for item in [
        *scene.element_items.values(),
        *scene.boundary_items.values(),
        *scene.flow_items.values(),
    ]:
        if id(item) in moving:
            continue
        if near is not None and not near.intersects(item.sceneBoundingRect()):
            continue  # a cheap test first: its obstacles lie within 24 units of its bounds
        fixed += [(r, w) for r, w in obstacles(item) if region is None or region.intersects(r)]
    grid = _Grid()
    for rect, weight in fixed:
        grid.add(rect, weight)
    # short flows first: they have the fewest spots, long ones find room around them
    thorough = len(flows) <= MANY_FLOWS
    for flow in sorted(flows, key=lambda f: f.line.length()):
        flow.set_label_spot(*best_spot(flow, grid, thorough=thorough))  # measured, not tried
        grid.add(FlowItem.footprint(flow.label_rect()))
    if thorough:
        _repair(flows, fixed)


def _repair(flows: list[FlowItem], fixed: list[tuple[QRectF, float]]) -> None:
    """A label placed early may block a later one that had nowhere else to go: move the labels
    that still touch another, now that all the others are known (twice at most)."""
    for _ in range(2):
        footprints = {id(f): FlowItem.footprint(f.label_rect()) for f in flows}
        clashing = [
            f
            for f in flows
            if any(o is not f and footprints[id(o)].intersects(footprints[id(f)]) for o in flows)
        ]
        if not clashing:
            return
        for flow in clashing:
            grid = _Grid()
            for rect, weight in fixed:
                grid.add(rect, weight)
            for other in flows:
                if other is not flow:
                    grid.add(FlowItem.footprint(other.label_rect()))
            flow.set_label_spot(*best_spot(flow, grid))
