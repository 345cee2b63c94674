"""Improve a layered drawing with the whole model in view.

Each block is ordered on its own first, blind to the flows that leave it. Here every column of
every block is re-sorted by where its flows really go (inside or outside the block), blocks are
tried mirrored, turned (columns as rows) and with neighbours swapped; a change is kept only when
the drawing gets better: fewer crossing flows, fewer flows through boxes, then shorter lines.
What still runs through a box is then moved off by ``clear`` (boxes shifted or reordered in
their column) and ``stretch`` (the drawing stretched along a cut so that the line tilts off).
The size of the drawing at fit zoom counts too, so that names stay legible when it is seen
whole; with ``squeezed`` every change is judged on the squeezed drawing (``squeeze``), which
``compact`` and ``nudge`` then tidy.
Small and medium models only: each trial redraws the model (milliseconds at this size).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .clear import clear_lines, kept_clear
from .compact import compact, without_bands
from .metrics import (
    VIEW,
    Box,
    Segment,
    count_crossings,
    extent,
    flow_segments,
    segments_through_boxes,
)
from .nudge import nudge_off_lines
from .squeeze import squeeze
from .stretch import stretch_off_boxes

if TYPE_CHECKING:
    from .compound import Container, Layout, Tree

REFINE_LIMIT = 300  # elements; larger models keep the per-block order
SWAP_LIMIT = 60  # elements; trying every neighbour swap costs more
ROUNDS = 4
MAX_TRIALS = 400
WORK = 1_500_000  # trials x (elements + flows)^2: the search stops there, whatever the machine
READABLE = 2.0  # views: a drawing this small is read whole at half size, no need to squeeze
SPREAD = 12.0  # badness of one more view of drawing (at fit zoom): a drawing that grows
# to take a line off a box or a crossing away shrinks every name on screen
THROUGH = 4  # a flow drawn through a box it does not connect reads as a false flow: worse than
# a crossing (the search gives up one crossing to take a line off a box; more, and stretches
# that would have taken the line off for free leave the extra crossings behind)


class Scorer:
    """How bad a drawing of the tree is: crossings and flows through boxes (the room of
    ``kept_clear``), weighted, then the lines' length and the drawing's size. The last drawing
    scored leaves its hits, segments and boxes behind for ``clear`` and ``stretch``."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.flows = [(str(i), s, t) for i, (s, t) in enumerate(tree.flows)]
        self.ends = {f: {s, t} for f, s, t in self.flows}
        self.hits: list[tuple[str, str]] = []  # (flow index, element) of the last drawing scored
        self.segments: dict[str, Segment] = {}
        self.boxes: dict[str, Box] = {}

    def __call__(self, layout: Layout) -> tuple[float, float]:
        segments = flow_segments(layout.positions, self.flows)
        boxes = {eid: kept_clear(self.tree, layout.positions, eid) for eid in layout.positions}
        hits = segments_through_boxes(segments, boxes, self.ends)
        self.hits, self.segments, self.boxes = hits, segments, boxes
        width, height = self.extent(layout)
        across, down = width / VIEW[0], height / VIEW[1]  # the larger is 1 / fit zoom
        views = 0.75 * max(across, down) + 0.25 * min(across, down)  # either side counts
        spread = SPREAD * max(0.0, views - READABLE)
        bad = count_crossings(segments, self.ends) + THROUGH * len(hits) + spread
        length = sum(math.hypot(s[2] - s[0], s[3] - s[1]) for s in segments.values())
        return bad, length + math.sqrt(width * height)

    def extent(self, layout: Layout) -> tuple[float, float]:
        """Width and height of the drawing: element boxes and boundaries."""
        return extent(drawn_boxes(layout, self.tree.element_size))


def drawn_boxes(layout: Layout, sizes: dict[str, tuple[float, float]]) -> list[Box]:
    """The element boxes and boundary rectangles of a drawing."""
    boxes = []
    for eid, (x, y) in layout.positions.items():
        w, h = sizes[eid]
        boxes.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    boxes += [(x, y, x + w, y + h) for x, y, w, h in layout.rects.values()]
    return boxes


def _centre(layout: Layout, node: str) -> tuple[float, float]:
    if node.startswith("\1"):
        x, y, w, h = layout.rects[node[1:]]
        return x + w / 2, y + h / 2
    return layout.positions[node]


def _global_order(tree: Tree, container: Container, column: list[str], layout: Layout) -> list[str]:
    """The column sorted by the mean position of where its nodes' flows go."""
    axis = 0 if container.vertical else 1
    pulls: dict[str, list[float]] = {n: [] for n in column}
    for source, target in tree.flows:
        a, b = tree.node_of(source, container), tree.node_of(target, container)
        if a == b:
            continue
        if a in pulls:
            pulls[a].append(layout.positions[target][axis])
        if b in pulls:
            pulls[b].append(layout.positions[source][axis])
    keys = {}
    rank = container.layering.rank
    for i, node in enumerate(column):
        if node.startswith("\2"):  # the way in from outside: keep its place
            own = float(i)
        elif node.startswith("\0"):  # a dummy: where the line it stands for runs
            _, lo, hi, r = node.split("\0")
            t = (int(r) - rank[lo]) / max(1, rank[hi] - rank[lo])
            start = _centre(layout, hi if lo.startswith("\2") else lo)  # from outside: level
            end = _centre(layout, lo if hi.startswith("\2") else hi)  # to outside: level
            own = start[axis] * (1 - t) + end[axis] * t
        else:
            own = _centre(layout, node)[axis]
        keys[node] = (sum(pulls[node]) / len(pulls[node]) if pulls[node] else own, i)
    return sorted(column, key=keys.__getitem__)


class _Search:
    def __init__(self, tree: Tree, *, squeezed: bool) -> None:
        self.tree = tree
        self.squeezed = squeezed
        self.score = Scorer(tree)
        self.layout = self.drawn(None)
        self.best = self.score(self.layout)
        self.hits = self.score.hits  # of the best drawing so far
        size = len(tree.element_size) + len(tree.flows)
        self.trials = min(MAX_TRIALS, max(10, WORK // size**2))

    def drawn(self, changed: Container | None) -> Layout:
        """The tree composed again (after a change in ``changed``), squeezed both ways: every
        change is judged on the compact drawing that it gives."""
        layout = self.tree.compose(changed)
        return squeeze(squeeze(layout, self.tree, 0), self.tree, 1) if self.squeezed else layout

    def attempt(self, container: Container, apply, undo, *, fewer_bad: bool = False) -> bool:  # type: ignore[no-untyped-def]
        """Apply a change; keep it when the drawing gets better (with ``fewer_bad``, only when
        crossings and flows through boxes go down: shorter lines alone do not count)."""
        if self.trials <= 0:
            return False
        self.trials -= 1
        apply()
        layout = self.drawn(container)
        score = self.score(layout)
        better = score[0] < self.best[0] if fewer_bad else score < self.best
        if better:
            self.best, self.layout, self.hits = score, layout, self.score.hits
            return True
        undo()
        self.tree.compose(container)
        return False

    def set_column(self, container: Container, index: int, order: list[str]) -> bool:
        old = list(container.layering.columns[index])
        if order == old:
            return False

        def put(value: list[str]) -> None:
            container.layering.columns[index] = list(value)

        return self.attempt(container, lambda: put(order), lambda: put(old))

    def flip(self, container: Container) -> bool:
        def toggle() -> None:
            container.vertical = not container.vertical

        # columns as rows put stores below their users: only worth it for a clearly better drawing
        return self.attempt(container, toggle, toggle, fewer_bad=True)

    def mirror(self, container: Container) -> bool:
        def reverse() -> None:
            for column in container.layering.columns:
                column.reverse()

        return self.attempt(container, reverse, reverse)


def _turnable(container: Container, *, turn_all: bool) -> bool:
    """Whether to try the container's columns as rows: any boundary (``turn_all``: rows make
    a long chain fit), or one mostly of blocks (e.g. a cluster of nodes)."""
    if turn_all:
        return sum(1 for column in container.layering.columns if column) >= 2
    blocks = sum(node.startswith("\1") for node in container.nodes)
    return blocks >= 2 and 2 * blocks >= len(container.nodes)


def refine(
    tree: Tree, *, squeezed: bool = True, turn_all: bool = True
) -> tuple[Layout, tuple[float, float], int]:
    """The tree's drawing after local improvements (the tree keeps the improved orders), its
    score (flows through boxes and crossings, weighted, then the lines' length) and the number
    of flows through boxes left."""
    if len(tree.element_size) > REFINE_LIMIT or not tree.flows:
        return tree.compose(), (0, 0.0), 0
    search = _Search(tree, squeezed=squeezed)
    swaps = len(tree.element_size) <= SWAP_LIMIT
    outermost_first = list(reversed(tree.containers))
    for _ in range(ROUNDS):
        improved = False
        for container in outermost_first:
            columns = container.layering.columns
            for index, column in enumerate(columns):
                if len(column) > 1:
                    order = _global_order(tree, container, column, search.layout)
                    improved |= search.set_column(container, index, order)
            if any(len(c) > 1 for c in columns):
                improved |= search.mirror(container)
            if container.id is not None and _turnable(container, turn_all=turn_all):
                improved |= search.flip(container)
            if swaps:
                for index, column in enumerate(columns):
                    for i in range(len(column) - 1):
                        order = list(column)
                        order[i], order[i + 1] = order[i + 1], order[i]
                        improved |= search.set_column(container, index, order)
        if not improved or search.trials <= 0:
            break
    clear_lines(search)
    unstretched = search.layout
    layout = stretch_off_boxes(search.layout, search.score)
    best, left = search.score(layout), set(search.score.hits)
    if left:  # what no stretch took off: move boxes for those, and stretch again
        clear_lines(search, only=left)
        again = stretch_off_boxes(search.layout, search.score)
        if search.score(again) < best:
            layout, best = again, search.score(again)
    if search.squeezed:
        layout = compact(layout, search.score, unstretched=unstretched)
    else:
        layout = without_bands(layout, search.score)
    layout = nudge_off_lines(layout, search.score)
    best = search.score(layout)
    return layout, best, len(search.score.hits)
