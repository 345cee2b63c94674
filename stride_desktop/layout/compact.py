"""Take the empty bands out of a drawing: the reverse of ``stretch``.

Stretches that tilt lines off boxes, and blocks sized by their widest column, leave bands
across the drawing (or across one boundary) where nothing is drawn. A band is found along one
axis between the things drawn in its scope, each kept with its margin: element boxes with half
the gap they need between them (flow labels sit between columns and rows), boundary edges with
the room between an edge and its members (the title tab on top). Everything past the band moves
back by its width, as a stretch would move it forward, so boundaries still hold their members
and what was apart stays apart in the scope; a band inside a boundary also moves what lies
beyond that boundary, which is checked. A band is taken out when flows through boxes do not
increase and the drawing, weighted as ``refine`` weighs it, gets better.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .drawing import Layout
from .squeeze import squeeze
from .stretch import Scope, scopes, stretch_off_boxes, stretched

if TYPE_CHECKING:
    from .compound import Tree
    from .refine import Scorer

ELEMENT_MARGIN = (62.0, 38.0)  # x, y: half the gap kept between boxes (labels between them)
EDGE_OUT = 14.0  # outside a boundary's edge: half the gap between sibling boundaries
EDGE_IN = (6.0, 6.0)  # inside its near and far edge, past a member's own margin (x)
TITLE_IN = 10.0  # inside its top edge, past a member's margin: the title tab and air
SHARES = (1.0, 0.8, 0.6, 0.4, 0.2)  # how much of a squeeze to try
MIN_BAND = 8.0  # px: narrower bands are not worth a redraw
CLEAR = 16.0  # px between boxes, and boxes and boundaries they are not in, after a move


def compact(layout: Layout, score: Scorer, *, unstretched: Layout | None = None) -> Layout:
    """``layout`` squeezed (see ``squeeze``) and without its empty bands, when that helps.

    A squeeze undoes some of what the stretches did to take lines off boxes: the squeezed
    drawing is stretched again (from ``unstretched`` too, the drawing before the stretches)
    and kept when it is better and runs no more lines through boxes."""
    tree = score.tree
    score(layout)
    through = len(score.hits)
    candidates = [layout]
    if unstretched is not None:
        squeezed = squeeze(squeeze(unstretched, tree, 0), tree, 1)
        candidates.append(stretch_off_boxes(squeezed, score))
    best_layout, best = layout, score(layout)
    for candidate in candidates:
        for axis in (0, 1, 0, 1):
            candidate = _squeezed_some(candidate, score, axis, through)
        candidate = without_bands(candidate, score)
        result = score(candidate)
        if len(score.hits) <= through and result[0] < best[0]:
            best_layout, best = candidate, result
    score(best_layout)
    return best_layout


def _squeezed_some(layout: Layout, score: Scorer, axis: int, through: int) -> Layout:
    """``layout`` squeezed along ``axis`` all the way or part of the way (the squeeze keeps
    the order and gaps of the drawing it starts from, so anything between the two keeps them
    too), whichever is best and runs no more than ``through`` lines through boxes."""
    full = squeeze(layout, score.tree, axis)
    best_layout, best = layout, score(layout)
    if len(score.hits) > through:
        best = (math.inf, math.inf)
    for share in SHARES:
        candidate = _between(layout, full, share)
        result = score(candidate)
        if len(score.hits) <= through and result < best:
            best_layout, best = candidate, result
    return best_layout


def _between(a: Layout, b: Layout, share: float) -> Layout:
    mix = lambda p, q: p + (q - p) * share
    result = Layout()
    for eid, (x, y) in a.positions.items():
        bx, by = b.positions[eid]
        result.positions[eid] = (mix(x, bx), mix(y, by))
    for bid, rect in a.rects.items():
        other = b.rects[bid]
        x0, y0 = mix(rect[0], other[0]), mix(rect[1], other[1])
        x1 = mix(rect[0] + rect[2], other[0] + other[2])
        y1 = mix(rect[1] + rect[3], other[1] + other[3])
        result.rects[bid] = (x0, y0, x1 - x0, y1 - y0)
    return result


def without_bands(layout: Layout, score: Scorer) -> Layout:
    """``layout`` without its empty bands, widest first, as long as taking one out helps."""
    tree = score.tree
    best = score(layout)
    through = len(score.hits)
    tried: set[tuple[str | None, int, float]] = set()
    for _ in range(200):
        candidates = [
            band
            for scope in scopes(tree)
            for axis in (0, 1)
            for band in _bands(layout, tree.element_size, scope, axis)
            if (scope[0], axis, band[0]) not in tried
        ]
        if not candidates:
            break
        candidates.sort(key=lambda band: -band[1])
        for cut, width, scope, axis in candidates:
            tried.add((scope[0], axis, cut))
            candidate = stretched(layout, scope, axis, cut, -width)
            if scope[0] is not None and not keeps_apart(candidate, tree):
                continue
            result = score(candidate)
            if len(score.hits) <= through and result[0] < best[0]:
                layout, best, through = candidate, result, len(score.hits)
                tried.clear()
                break
        else:
            break
    score(layout)
    return layout


def _bands(
    layout: Layout, sizes: dict[str, tuple[float, float]], scope: Scope, axis: int
) -> list[tuple[float, float, Scope, int]]:
    """(start, width, scope, axis) of the empty bands of ``scope`` along ``axis``."""
    boundary, members = scope
    taken: list[tuple[float, float]] = []
    for eid, centre in layout.positions.items():
        if boundary is None or eid in members:
            half = sizes[eid][axis] / 2 + ELEMENT_MARGIN[axis]
            taken.append((centre[axis] - half, centre[axis] + half))
    for bid, rect in layout.rects.items():
        if boundary is None or bid in members:
            near, far = rect[axis], rect[axis] + rect[2 + axis]
            inside = TITLE_IN if axis == 1 else EDGE_IN[0]
            taken.append((near - EDGE_OUT, near + inside))
            taken.append((far - EDGE_IN[1], far + EDGE_OUT))
    if boundary is not None:  # the room inside the boundary's own edges
        rect = layout.rects[boundary]
        near, far = rect[axis], rect[axis] + rect[2 + axis]
        taken.append((near - EDGE_OUT, near + (TITLE_IN if axis == 1 else EDGE_IN[0])))
        taken.append((far - EDGE_IN[1], far + EDGE_OUT))
    taken.sort()
    bands = []
    end = taken[0][1] if taken else 0.0
    for start, stop in taken[1:]:
        if start - end >= MIN_BAND:
            bands.append((end, start - end, scope, axis))
        end = max(end, stop)
    return bands


def keeps_apart(layout: Layout, tree: Tree) -> bool:
    """Members inside their boundaries; no element box closer than ``CLEAR`` to another, or
    to a boundary it is not in; no boundary into one that is not around it or inside it."""
    sizes, chain, parent = tree.element_size, tree.chain, tree.parent
    rects = layout.rects
    for eid, (x, y) in layout.positions.items():
        w, h = sizes[eid]
        for bid in chain[eid]:
            bx, by, bw, bh = rects[bid]
            if x - w / 2 < bx or y - h / 2 < by or x + w / 2 > bx + bw or y + h / 2 > by + bh:
                return False
    for bid, (x, y, w, h) in rects.items():
        outer_id = parent.get(bid)
        if outer_id is not None:
            px, py, pw, ph = rects[outer_id]
            if x < px or y < py or x + w > px + pw or y + h > py + ph:
                return False
    items: list[tuple[float, float, float, float, str, str]] = []
    for eid, (x, y) in layout.positions.items():
        w, h = sizes[eid]
        items.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2, "e", eid))
    for bid, (x, y, w, h) in layout.rects.items():
        items.append((x, y, x + w, y + h, "b", bid))

    def outer(bid: str) -> set[str]:
        found: set[str] = set()
        current: str | None = bid
        while current is not None and current not in found:
            found.add(current)
            current = parent.get(current)
        return found

    items.sort()
    active: list[tuple[float, float, float, float, str, str]] = []
    for item in items:
        active = [a for a in active if a[2] + CLEAR > item[0]]
        for other in active:
            if other[1] >= item[3] + CLEAR or item[1] >= other[3] + CLEAR:
                continue
            kinds = other[4] + item[4]
            if kinds == "ee":
                return False
            if kinds in ("eb", "be"):
                (_, _, _, _, _, eid), (_, _, _, _, _, bid) = (
                    (other, item) if other[4] == "e" else (item, other)
                )
                if bid not in chain[eid]:
                    return False
            elif other[5] not in outer(item[5]) and item[5] not in outer(other[5]):
                return False
        active.append(item)
    return True
