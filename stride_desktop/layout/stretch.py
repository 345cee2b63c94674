"""Take the last flows off the boxes they run through by stretching the drawing.

A stretch cuts the drawing along a line across one axis (x or y) and moves everything past the
cut further by the same amount: elements whose centre lies past it, and every boundary edge past
it (a boundary the cut runs through grows). That keeps every member inside its boundary and
keeps apart whatever was apart, wherever the cut runs. A flow whose two ends lie on either side
of the cut tilts, while the boxes beside it stay or move whole, so a line through a box can be
tilted off it: the cut runs just past the box (the box stays, the far end moves) or just before
it (the box moves with the far end, further than the line does). A stretch is kept when flows
through boxes and crossings, weighted, go down.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .drawing import Layout

if TYPE_CHECKING:
    from .compound import Tree
    from .metrics import Box, Segment
    from .refine import Scorer

MAX_STRETCH = 360.0  # px: a longer stretch empties more of the drawing than it mends
TRIALS = 240
EDGE = 1.0  # px between the cut and the box it passes


Scope = tuple[str | None, set[str]]  # a boundary (None: the whole drawing) and what is inside


def stretch_off_boxes(layout: Layout, score: Scorer) -> Layout:
    """``layout`` stretched until no flow runs through a box or no stretch helps."""
    tree = score.tree
    inside = dict(scopes(tree))
    best = score(layout)
    hits, segments, boxes = score.hits, score.segments, score.boxes
    given_up: set[tuple[str, str]] = set()
    trials = TRIALS
    while trials > 0:
        pending = [h for h in hits if h not in given_up]
        if not pending:
            break
        flow, box = pending[0]
        ends = tree.flows[int(flow)]
        around = [(b, inside[b]) for b in [*reversed(tree.chain[box]), None] if b in inside]
        chosen = None
        for scope, axis, cut, amount in cuts(layout, segments[flow], ends, box, boxes[box], around):
            trials -= 1
            candidate = stretched(layout, scope, axis, cut, amount)
            result = score(candidate)
            if result[0] < best[0] and (chosen is None or result < chosen[0]):
                chosen = (result, candidate, score.hits, score.segments, score.boxes)
            if trials <= 0:
                break
        if chosen is None:
            given_up.add((flow, box))
        else:
            best, layout, hits, segments, boxes = chosen
    return layout


def scopes(tree: Tree) -> list[Scope]:
    """The whole drawing (None, nothing) and each boundary with what is inside it."""
    inside: dict[str | None, set[str]] = {None: set()}
    for element, chain in tree.chain.items():
        for boundary in chain:
            inside.setdefault(boundary, set()).add(element)
    for boundary in tree.parent:
        outer = tree.parent.get(boundary)
        while outer is not None and boundary not in inside.setdefault(outer, set()):
            inside[outer].add(boundary)
            outer = tree.parent.get(outer)
    return list(inside.items())


def _moves(layout: Layout, scope: Scope, node: str, axis: int, cut: float) -> bool:
    """Whether an element (or a boundary's far edge, ``node`` prefixed with ``>``) moves."""
    boundary, members = scope
    if node.startswith(">"):
        x, y, w, h = layout.rects[node[1:]]
        value, node = (x + w, y + h)[axis], node[1:]
    else:
        value = layout.positions[node][axis]
    if boundary is None or node in members:
        return value > cut
    x, y, w, h = layout.rects[boundary]
    return value >= (x + w, y + h)[axis]


def cuts(
    layout: Layout,
    segment: Segment,
    ends: tuple[str, str],
    box_id: str,
    box: Box,
    scopes: list[Scope],
) -> Iterator[tuple[Scope, int, float, float]]:
    """(scope, axis, cut, amount) of the stretches that take ``segment`` (between the elements
    ``ends``) off ``box``, shortest first."""
    found = []
    for axis in (1, 0):
        other = 1 - axis
        start_o, end_o = segment[other], segment[2 + other]
        if start_o == end_o:
            continue
        samples = []  # where the line runs along the axis, and how far along it is (t)
        for o in (box[other], box[2 + other]):
            t = min(1.0, max(0.0, (o - start_o) / (end_o - start_o)))
            samples.append((segment[axis] + (segment[2 + axis] - segment[axis]) * t, t))
        low, high = box[axis], box[2 + axis]
        for index, scope in enumerate(scopes):
            centres = [layout.positions[n][axis] for n in ends]
            for cut in (high + EDGE, low - EDGE, *(c + d for c in centres for d in (-EDGE, EDGE))):
                start, end, moved = (  # flow_segments draws from the smaller id
                    float(_moves(layout, scope, n, axis, cut)) for n in (*sorted(ends), box_id)
                )
                rates = [start * (1 - t) + end * t - moved for _, t in samples]
                if all(r > 0 for r in rates):  # the line moves past the box's far side
                    need = max((high - a) / r for (a, _), r in zip(samples, rates))
                elif all(r < 0 for r in rates):  # the box moves past the line
                    need = max((a - low) / -r for (a, _), r in zip(samples, rates))
                else:
                    continue
                found.append((need + EDGE, index, axis, cut, scope))
    for amount, _, axis, cut, scope in sorted(found, key=lambda f: f[:4]):
        if 0 < amount <= MAX_STRETCH:
            yield scope, axis, cut, amount


def stretched(layout: Layout, scope: Scope, axis: int, cut: float, amount: float) -> Layout:
    """Everything past ``cut`` along ``axis`` moved ``amount`` further (see the module); with
    a boundary's ``scope``, only inside it, and beyond it everything past its far side."""
    boundary, members = scope
    if boundary is not None:
        x, y, w, h = layout.rects[boundary]
        beyond = (x + w, y + h)[axis]

    def shifted(node: str, value: float) -> float:
        if boundary is None or node in members:
            return value + amount if value > cut else value
        return value + amount if value >= beyond else value  # its parents grow with it

    result = Layout()
    for eid, centre in layout.positions.items():
        if shifted(eid, centre[axis]) != centre[axis]:
            moved = list(centre)
            moved[axis] += amount
            result.positions[eid] = (moved[0], moved[1])
        else:
            result.positions[eid] = centre
    for bid, (x, y, w, h) in layout.rects.items():
        near = shifted(bid, (x, y)[axis])
        far = (x + w, y + h)[axis]
        far = far + amount if bid == boundary else shifted(bid, far)
        if axis == 0:
            result.rects[bid] = (near, y, far - near, h)
        else:
            result.rects[bid] = (x, near, w, far - near)
    return result
