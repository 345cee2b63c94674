"""Take flows off the boxes they do not connect.

The canvas and the report draw a flow as one straight line between its elements' centres; a
line that runs through a third box reads as a flow into it. The layered drawing keeps a gap in
every column a flow spans inside one boundary, but a straight line drawn between two ends in
different boundaries, or between ends whose rows differ a lot, can still cut a box. For each
such (flow, box) this tries targeted changes, at every level of boundaries around the box and
around the flow's ends (the element itself, or the boundary that holds it, moves as a block):

- the box moved along its column just past the line (either way), or an end of the flow moved
  the other way so that the line leaves the box;
- the box or an end swapped with its neighbour in the column, or moved to the column's end.

Every change goes through the search of ``refine``: the whole drawing is placed again
(boundaries still hold their members, nothing overlaps) and the change is kept only when flows
through boxes and crossings, weighted, go down.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from .metrics import Box, Segment, flow_segments
from .stretch import Scope, cuts

if TYPE_CHECKING:
    from .compound import Container, Tree
    from .refine import _Search

CLEAR = 22.0  # between a line and a box moved off it: room for the line and its arrow
MAX_SHIFT = 480.0  # an end moved further than this spoils more than it mends
REPORT_BOX = (186.0, 68.0)  # the report's boxes at its legible scale (74 x 27 pt at 0.4)
TRIALS = 150  # drawings tried at most, whatever the search has left
AIR = 10.0  # a line must pass at least this far from a box: room for its label, and snapping

Move = tuple["Container", Callable[[], None], Callable[[], None]]


def clear_lines(
    search: _Search, *, trials: int = TRIALS, only: set[tuple[str, str]] | None = None
) -> None:
    """Improve ``search``'s drawing until no flow runs through a box, or nothing helps, or
    ``trials`` more drawings were tried. Lines that a stretch of the drawing can tilt off
    their box are left to ``stretch``, which costs far less, unless they are named in
    ``only`` (those a stretch did not take off)."""
    search.trials = trials
    given_up: set[tuple[str, str]] = set()
    while search.trials > 0:
        hits = [
            h
            for h in search.hits
            if h not in given_up and (h in only if only is not None else not _tilts(search, *h))
        ]
        if not hits:
            return
        flow, box = hits[0]
        if not any(
            search.attempt(container, apply, undo, fewer_bad=True)
            for container, apply, undo in _moves(search, int(flow), box)
        ):
            given_up.add((flow, box))


def _tilts(search: _Search, flow: str, box: str) -> bool:
    tree, positions = search.tree, search.layout.positions
    source, target = tree.flows[int(flow)]
    segment = flow_segments(positions, [("f", source, target)])["f"]
    box_rect = kept_clear(tree, positions, box)
    every: list[Scope] = [(None, set())]
    return any(True for _ in cuts(search.layout, segment, (source, target), box, box_rect, every))


def _moves(search: _Search, index: int, box_id: str) -> Iterator[Move]:
    tree, layout = search.tree, search.layout
    source, target = tree.flows[index]
    segment = flow_segments(layout.positions, [("f", source, target)])["f"]
    box = kept_clear(tree, layout.positions, box_id)
    for element, sign in ((box_id, 1.0), (source, -1.0), (target, -1.0)):
        for container in _levels(tree, element):
            node = tree.node_of(element, container)
            if node is None:
                continue
            axis = 0 if container.vertical else 1
            past, before = clearing(segment, box, axis)
            if sign < 0:  # an end: the line moves less than the end, and the other way
                factor = lever(segment, box, layout.positions[element])
                past, before = -past * factor, -before * factor
            for delta in (past, before):
                if abs(delta) <= MAX_SHIFT:
                    yield _shift(container, node, delta)
            yield from _reorders(container, node)


def _levels(tree: Tree, element: str) -> Iterator[Container]:
    """The containers in which ``element`` or a boundary around it is a node, innermost first."""
    chain = tree.chain[element]
    for depth in range(len(chain), -1, -1):
        container = tree.by_id.get(chain[depth - 1] if depth else None)
        if container is not None and container.depth == depth:
            yield container


def kept_clear(tree: Tree, positions: dict[str, tuple[float, float]], element: str) -> Box:
    """The room a line must not enter around an element: its box as the canvas or the report
    draws it, whichever is larger, and some air."""
    x, y = positions[element]
    w, h = tree.element_size[element]
    w, h = max(w, REPORT_BOX[0]) / 2 + AIR, max(h, REPORT_BOX[1]) / 2 + AIR
    return (x - w, y - h, x + w, y + h)


def clearing(segment: Segment, box: Box, axis: int) -> tuple[float, float]:
    """How far the box must move along ``axis`` to lie past the line (positive) or before it
    (negative), over the box's extent across the axis."""
    other = 1 - axis
    a0, a1 = segment[axis], segment[2 + axis]
    o0, o1 = segment[other], segment[2 + other]
    lo, hi = box[other], box[2 + other]
    if o0 == o1:
        along = [a0, a1]
    else:
        ts = sorted(
            min(1.0, max(0.0, (v - o0) / (o1 - o0))) for v in (lo, hi)
        )  # the part of the line across the box
        along = [a0 + (a1 - a0) * t for t in ts]
    return max(along) - box[axis] + CLEAR, -(box[2 + axis] - min(along) + CLEAR)


def lever(segment: Segment, box: Box, end: tuple[float, float]) -> float:
    """How much an end must move for the line to move one unit at the box."""
    sx, sy, tx, ty = segment
    if abs(end[0] - tx) + abs(end[1] - ty) < abs(end[0] - sx) + abs(end[1] - sy):
        sx, sy, tx, ty = tx, ty, sx, sy  # from this end
    dx, dy = tx - sx, ty - sy
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    length2 = dx * dx + dy * dy or 1.0
    t = min(1.0, max(0.0, ((cx - sx) * dx + (cy - sy) * dy) / length2))
    return 1.0 / max(0.25, 1.0 - t)


def _shift(container: Container, node: str, delta: float) -> Move:
    old = container.shift.get(node, 0.0)

    def apply() -> None:
        container.shift[node] = old + delta

    def undo() -> None:
        if old:
            container.shift[node] = old
        else:
            container.shift.pop(node, None)

    return container, apply, undo


def _reorders(container: Container, node: str) -> Iterator[Move]:
    columns = container.layering.columns
    index = next((i for i, column in enumerate(columns) if node in column), None)
    if index is None or len(columns[index]) < 2:
        return
    old = list(columns[index])
    at = old.index(node)
    orders = []
    for other in (at - 1, at + 1):
        if 0 <= other < len(old):
            order = list(old)
            order[at], order[other] = order[other], order[at]
            orders.append(order)
    rest = old[:at] + old[at + 1 :]
    orders += [[node, *rest], [*rest, node]]
    seen = [old]
    for order in orders:
        if order in seen:
            continue
        seen.append(order)

        def put(value: list[str] = order) -> None:
            columns[index] = list(value)

        yield container, put, lambda: columns.__setitem__(index, list(old))
