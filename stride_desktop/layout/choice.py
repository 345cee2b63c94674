"""A fresh layout of a whole model: the tree of boundaries drawn up to three ways, the best kept.

The roomy drawing (``refine``) comes first; when it is small enough to read whole, or no larger
than the drawing it replaces, it stays (its labels have the most room). Otherwise the same tree is
drawn with any boundary's columns as rows, and squeezed (``squeeze``: every change judged on the
compact drawing), and the smallest on screen at fit zoom is kept among those that run no more
lines through boxes than the roomy drawing or the one it replaces (one more for a drawing a
quarter smaller) and cross no more lines than either.
"""

from __future__ import annotations

import math

from ..model import Catalog, Model
from .compound import Tree
from .drawing import Layout
from .metrics import count_crossings, flow_segments, segments_through_boxes, views
from .refine import READABLE, REFINE_LIMIT, drawn_boxes, refine
from .sizes import SizeFn, size_function

SMALLER = 1.25  # a drawing this much smaller on screen may run one more line through a box
ROOMY_VIEWS = 1.2  # a roomy drawing this much larger than the one it replaces is kept (its
# labels have more room); a larger one gives way to the squeezed drawing
SNAP = 10.0


def _snapped(layout: Layout) -> Layout:
    down = lambda v: math.floor(v / SNAP) * SNAP
    up = lambda v: math.ceil(v / SNAP) * SNAP
    result = Layout()
    for eid, (x, y) in layout.positions.items():
        result.positions[eid] = (round(x / SNAP) * SNAP, round(y / SNAP) * SNAP)
    for bid, (x, y, w, h) in layout.rects.items():
        result.rects[bid] = (down(x), down(y), up(x + w) - down(x), up(y + h) - down(y))
    return result


def layout_model(model: Model, *, catalog: Catalog, size_of: SizeFn | None = None) -> Layout:
    """A fresh layout of every element and boundary of ``model`` (the model is not changed).

    ``catalog`` gives each element's DFD kind; ``size_of`` its box (default: an estimate).
    """
    size_of = size_of or size_function(catalog)
    roomy, roomy_through = _refined(model, catalog, size_of, squeezed=False, turn_all=False)
    if len(model.elements) > REFINE_LIMIT or not model.flows:
        return _snapped(roomy)  # no search, so nothing to squeeze
    small = max(READABLE, ROOMY_VIEWS * _views(_current(model), model, size_of))
    if _views(roomy, model, size_of) <= small:
        return _snapped(roomy)  # read whole, or as large as the drawing it replaces: keep room
    current = {e.id: e.pos for e in model.elements}
    most_through = max(roomy_through, _through(model, current, size_of))
    most_crossings = max(_crossings(model, roomy.positions), _crossings(model, current))
    best = roomy
    # smaller on screen: any boundary drawn as rows, then the squeezed drawing; kept when they
    # run no more lines through boxes than the roomy drawing or the one it replaces (one more
    # for a drawing a quarter smaller), and cross no more lines than either
    for squeezed in (False, True):
        drawn, through = _refined(model, catalog, size_of, squeezed=squeezed, turn_all=True)
        size = _views(drawn, model, size_of)
        slack = 1 if size * SMALLER <= _views(roomy, model, size_of) else 0
        if (
            through <= most_through + slack
            and _crossings(model, drawn.positions) <= most_crossings
            and size < _views(best, model, size_of)
        ):
            best = drawn
    return _snapped(best)


def _current(model: Model) -> Layout:
    return Layout({e.id: e.pos for e in model.elements}, {b.id: b.rect for b in model.boundaries})


def _views(layout: Layout, model: Model, size_of: SizeFn) -> float:
    """How many canvases at 1366 x 768 the drawing takes at 100 % (1 / fit zoom)."""
    return views(drawn_boxes(layout, {e.id: size_of(e) for e in model.elements}))


def _through(model: Model, positions: dict[str, tuple[float, float]], size_of: SizeFn) -> int:
    flows = [(f.id, f.source, f.target) for f in model.flows]
    boxes = {}
    for e in model.elements:
        (x, y), (w, h) = positions[e.id], size_of(e)
        boxes[e.id] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    segments = flow_segments(positions, flows)
    return len(segments_through_boxes(segments, boxes, {f: {s, t} for f, s, t in flows}))


def _crossings(model: Model, positions: dict[str, tuple[float, float]]) -> int:
    flows = [(f.id, f.source, f.target) for f in model.flows]
    segments = flow_segments(positions, flows)
    return count_crossings(segments, {f: {s, t} for f, s, t in flows})


def _refined(
    model: Model, catalog: Catalog, size_of: SizeFn, *, squeezed: bool, turn_all: bool
) -> tuple[Layout, int]:
    """The refined drawing and the number of lines it runs through boxes."""
    tree = Tree(model, catalog, size_of)
    layout, score, through = refine(tree, squeezed=squeezed, turn_all=turn_all)
    if through:  # again, now that it is known on which side each boundary's flows leave
        sides = layout.positions
        again, better, through_again = refine(
            Tree(model, catalog, size_of, sides=sides), squeezed=squeezed, turn_all=turn_all
        )
        if better < score:
            layout, through = again, through_again
    return layout, through
