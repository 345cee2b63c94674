"""Squeeze a drawing along one axis: everything as close as its neighbours allow.

Layered blocks leave room that no band across the drawing shows: a boundary drawn in a later
column than a sibling it does not overlap sideways, members spread over a boundary wider than
they need. Here every element box and boundary edge gets a place along the axis from the
constraints that keep the drawing correct: boxes and boundaries that face each other across the
other axis keep their order and a gap (the gap they had, or less, down to what labels and
title tabs need), members stay inside their boundaries with the padding, a boundary keeps the
room for its title. The tightest places that meet them (a longest path over the constraints,
taken in order) bound how far each thing may move; within those bounds each keeps its place in
the drawing scaled to the new extent, so rows and columns stay lined up.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from .drawing import Layout

if TYPE_CHECKING:
    from .compound import Tree

GAP = (124.0, 60.0)  # between boxes that face each other: room for a flow label (x, y)
LABEL_AIR = 24.0  # beside the label of a flow between boxes side by side
SIDE_GAP = 40.0  # between a boundary and what faces it outside
PAD = (28.0, 28.0)  # inside a boundary: near side (x), far side
TITLE = 40.0  # inside a boundary's top edge: the title tab and some air
MIN_SIZE = (220.0, 140.0)  # a boundary's least width (its title) and height
FACING = 20.0  # boxes closer than this across the axis face each other

Var = tuple[str, str]  # ("e", element) for a box's near side, ("<" | ">", boundary) for edges


def squeeze(layout: Layout, tree: Tree, axis: int) -> Layout:
    """``layout`` with everything as near as the constraints allow along ``axis`` (0: x)."""
    sizes = tree.element_size
    spans: dict[Var, tuple[float, float, float, float]] = {}  # near, far along; across
    other = 1 - axis
    for eid, centre in layout.positions.items():
        size = sizes[eid]
        near = centre[axis] - size[axis] / 2
        across = centre[other] - size[other] / 2
        spans[("e", eid)] = (near, near + size[axis], across, across + size[other])
    for bid, rect in layout.rects.items():
        spans[("<", bid)] = (
            rect[axis],
            rect[axis] + rect[2 + axis],
            rect[other],
            rect[other] + rect[2 + other],
        )
    original = {var: span[0] for var, span in spans.items()}
    original.update({(">", bid): spans[("<", bid)][1] for bid in layout.rects})
    edges: dict[Var, list[tuple[Var, float]]] = defaultdict(list)

    def keep(u: Var, v: Var, want: float) -> None:
        edges[u].append((v, min(want, original[v] - original[u])))

    def far_var(var: Var) -> Var:
        return (">", var[1]) if var[0] == "<" else var

    def length(var: Var) -> float:
        return spans[var][1] - spans[var][0] if var[0] == "e" else 0.0

    near_pad = TITLE if axis == 1 else PAD[0]
    for eid in layout.positions:
        chain = tree.chain[eid]
        if chain:
            keep(("<", chain[-1]), ("e", eid), near_pad)
            keep(("e", eid), (">", chain[-1]), length(("e", eid)) + PAD[1])
    for bid in layout.rects:
        keep(("<", bid), (">", bid), MIN_SIZE[axis])
        parent = tree.parent.get(bid)
        if parent is not None:
            keep(("<", parent), ("<", bid), near_pad)
            keep((">", bid), (">", parent), PAD[1])
    around = {bid: _around(tree, bid) for bid in layout.rects}
    labels = _Labels(tree)
    items = sorted(spans, key=lambda var: spans[var][2])
    for i, a in enumerate(items):  # pairs that face each other across the axis
        for b in items[i + 1 :]:
            if spans[b][2] >= spans[a][3] + FACING:
                break
            if spans[a][2] >= spans[b][3] + FACING or _nested(a, b, tree, around):
                continue
            first, second = (a, b) if spans[a][0] <= spans[b][0] else (b, a)
            if spans[first][1] > spans[second][0]:
                continue  # they overlap along the axis too (nested or already clashing)
            gap = SIDE_GAP
            if first[0] == "e" and second[0] == "e":
                gap = GAP[axis]
                if axis == 0:  # the labels of the flows between them sit between them
                    gap = max(gap, labels.between(first, second) + LABEL_AIR)
            keep(far_var(first), second, length(first) + gap)
    return _placed(layout, tree, axis, _solve(original, edges), sizes)


class _Labels:
    """The widest label of the flows between two things drawn (boxes, or what a boundary
    holds)."""

    def __init__(self, tree: Tree) -> None:
        self.inside: dict[str, set[str]] = defaultdict(set)
        for eid, chain in tree.chain.items():
            for bid in chain:
                self.inside[bid].add(eid)
        self.lines: dict[str, list[tuple[str, float]]] = defaultdict(list)  # end -> other, width
        for source, target in tree.flows:
            width = tree.label_width.get((min(source, target), max(source, target)), 0.0)
            if width:
                self.lines[source].append((target, width))
                self.lines[target].append((source, width))

    def between(self, a: Var, b: Var) -> float:
        ends_a = {a[1]} if a[0] == "e" else self.inside[a[1]]
        ends_b = {b[1]} if b[0] == "e" else self.inside[b[1]]
        if len(ends_b) < len(ends_a):
            ends_a, ends_b = ends_b, ends_a
        return max(
            (width for end in ends_a for other, width in self.lines[end] if other in ends_b),
            default=0.0,
        )


def _around(tree: Tree, bid: str) -> set[str]:
    found: set[str] = set()
    current: str | None = bid
    while current is not None and current not in found:
        found.add(current)
        current = tree.parent.get(current)
    return found


def _nested(a: Var, b: Var, tree: Tree, around: dict[str, set[str]]) -> bool:
    """Whether one of the two holds the other (their constraints are the padding)."""
    if a[0] == "e" and b[0] == "e":
        return False
    if a[0] == "e" or b[0] == "e":
        eid, bid = (a[1], b[1]) if a[0] == "e" else (b[1], a[1])
        return bid in tree.chain[eid]
    return a[1] in around[b[1]] or b[1] in around[a[1]]


def _solve(
    original: dict[Var, float], edges: dict[Var, list[tuple[Var, float]]]
) -> dict[Var, float]:
    """Places that meet every constraint, each as near its scaled original as the tightest
    places before and after it allow."""
    order = _topological(original, edges)
    if order is None:
        return dict(original)
    start = min(original.values(), default=0.0)
    tight = dict.fromkeys(original, start)
    for u in order:
        for v, gap in edges.get(u, []):
            tight[v] = max(tight[v], tight[u] + gap)
    end = max(tight.values(), default=start)
    latest = dict.fromkeys(original, end)
    for u in reversed(order):
        for v, gap in edges.get(u, []):
            latest[u] = min(latest[u], latest[v] - gap)
    old_end = max(original.values(), default=start)
    scale = (end - start) / (old_end - start) if old_end > start else 1.0
    lower = dict.fromkeys(original, start)
    placed: dict[Var, float] = {}
    for u in order:
        wanted = start + (original[u] - start) * scale
        placed[u] = max(lower[u], min(latest[u], wanted))
        for v, gap in edges.get(u, []):
            lower[v] = max(lower[v], placed[u] + gap)
    return placed


def _topological(
    original: dict[Var, float], edges: dict[Var, list[tuple[Var, float]]]
) -> list[Var] | None:
    incoming: dict[Var, int] = dict.fromkeys(original, 0)
    for targets in edges.values():
        for v, _ in targets:
            incoming[v] += 1
    ready = sorted((var for var, n in incoming.items() if n == 0), key=original.__getitem__)
    order: list[Var] = []
    while ready:
        u = ready.pop()
        order.append(u)
        for v, _ in edges.get(u, []):
            incoming[v] -= 1
            if incoming[v] == 0:
                ready.append(v)
    return order if len(order) == len(original) else None  # a cycle: leave the drawing


def _placed(
    layout: Layout,
    tree: Tree,
    axis: int,
    places: dict[Var, float],
    sizes: dict[str, tuple[float, float]],
) -> Layout:
    result = Layout()
    for eid, centre in layout.positions.items():
        moved = list(centre)
        moved[axis] = places[("e", eid)] + sizes[eid][axis] / 2
        result.positions[eid] = (moved[0], moved[1])
    for bid, rect in layout.rects.items():
        near, far = places[("<", bid)], places[(">", bid)]
        if axis == 0:
            result.rects[bid] = (near, rect[1], far - near, rect[3])
        else:
            result.rects[bid] = (rect[0], near, rect[2], far - near)
    return result
