"""Fit new elements and boundaries into a drawn model, keeping the person's layout.

Used by re-import: what is new goes into its boundary below what is already there, in rows; a
new boundary (with its members) is laid out on its own first and goes in as one box. When a
boundary has to grow, everything below it moves down by the same amount, so nothing that did
not overlap before overlaps afterwards, and nothing above moves at all.
"""

from __future__ import annotations

from collections import defaultdict

from ..model import Boundary, Catalog, Element, Model
from .choice import layout_model
from .compound import PAD, TITLE
from .placement import GAP_X, GAP_Y
from .sizes import SizeFn, size_function

ROW_W = 1400.0  # rows of new things at the top level wrap at this width


def _subtree_model(model: Model, root: Boundary) -> Model:
    inside = {root.id} | {b.id for b in model.boundaries if root.id in model.boundary_chain(b.id)}
    sub = Model(
        boundaries=[
            Boundary(
                id=b.id,
                name=b.name,
                trust=b.trust,
                kind=b.kind,
                parent=None if b.id == root.id else b.parent,
            )
            for b in model.boundaries
            if b.id in inside
        ],
        elements=[e for e in model.elements if e.boundary in inside],
    )
    ids = {e.id for e in sub.elements}
    sub.flows = [f for f in model.flows if f.source in ids and f.target in ids]
    return sub


class _Canvas:
    def __init__(self, model: Model, size_of: SizeFn) -> None:
        self.model = model
        self.size_of = size_of
        self.by_id = model.boundaries_by_id()

    def element_box(self, e: Element) -> tuple[float, float, float, float]:
        w, h = self.size_of(e)
        return (e.pos[0] - w / 2, e.pos[1] - h / 2, e.pos[0] + w / 2, e.pos[1] + h / 2)

    def content_bottom(self, container: str | None, skip: set[str]) -> float | None:
        bottoms = [
            self.element_box(e)[3]
            for e in self.model.elements
            if e.boundary == container and e.id not in skip
        ]
        bottoms += [
            b.rect[1] + b.rect[3]
            for b in self.model.boundaries
            if b.parent == container and b.id not in skip
        ]
        return max(bottoms) if bottoms else None

    def content_left(self, skip: set[str]) -> float:
        lefts = [self.element_box(e)[0] for e in self.model.elements if e.id not in skip]
        lefts += [b.rect[0] for b in self.model.boundaries if b.id not in skip]
        return min(lefts) if lefts else 40.0

    def grow(self, container: str, needed_bottom: float, skip: set[str]) -> None:
        """Make ``container`` reach ``needed_bottom``; what lies below moves down as much."""
        box = self.by_id[container]
        old_bottom = box.rect[1] + box.rect[3]
        delta = needed_bottom - old_bottom
        if delta <= 0:
            return
        ancestors = set(self.model.boundary_chain(container))  # itself included
        shifted: set[str] = set()
        for b in sorted(self.model.boundaries, key=lambda b: len(self.model.boundary_chain(b.id))):
            if b.id in ancestors or b.id in skip:
                continue
            parent_ok = b.parent is None or b.parent in shifted or b.parent in ancestors
            if parent_ok and b.rect[1] >= old_bottom:
                shifted.add(b.id)
                x, y, w, h = b.rect
                b.rect = (x, y + delta, w, h)
        for e in self.model.elements:
            if e.id in skip:
                continue
            owner_ok = (
                e.boundary is None
                or e.boundary in shifted
                or (e.boundary in ancestors and e.boundary != container)
            )
            if owner_ok and self.element_box(e)[1] >= old_bottom:
                e.pos = (e.pos[0], e.pos[1] + delta)
        for bid in ancestors:
            x, y, w, h = self.by_id[bid].rect
            self.by_id[bid].rect = (x, y, w, h + delta)


def place_new(
    model: Model, new_ids: set[str], *, catalog: Catalog, size_of: SizeFn | None = None
) -> None:
    """Give the elements and boundaries in ``new_ids`` a place; move the others only to make
    room (everything below a growing boundary moves down together)."""
    size_of = size_of or size_function(catalog)
    by_id = model.boundaries_by_id()
    elements = model.elements_by_id()
    roots: dict[str | None, list[str]] = defaultdict(list)  # container -> new things going in
    blocks: dict[str, tuple[float, float, dict, dict]] = {}  # boundary root -> w, h, pos, rects
    for b in model.boundaries:
        if b.id in new_ids and not (b.parent in new_ids and b.parent in by_id):
            layout = layout_model(_subtree_model(model, b), catalog=catalog, size_of=size_of)
            x, y, w, h = layout.rects[b.id]
            positions = {k: (px - x, py - y) for k, (px, py) in layout.positions.items()}
            rects = {k: (rx - x, ry - y, rw, rh) for k, (rx, ry, rw, rh) in layout.rects.items()}
            blocks[b.id] = (w, h, positions, rects)
            roots[b.parent if b.parent in by_id else None].append(b.id)
    placed_inside = {
        e.id for e in model.elements if set(model.boundary_chain(e.boundary)) & set(blocks)
    } | {bid for block in blocks.values() for bid in block[3]}
    for e in model.elements:
        if e.id in new_ids and e.id not in placed_inside:
            roots[e.boundary if e.boundary in by_id else None].append(e.id)
    skip = set(new_ids) | placed_inside
    canvas = _Canvas(model, size_of)
    # innermost containers first: their growth is then seen by the containers around them
    for container in sorted(roots, key=lambda c: -len(model.boundary_chain(c))):
        items = []
        for item in sorted(roots[container]):
            if item in blocks:
                items.append((item, blocks[item][0], blocks[item][1]))
            else:
                w, h = size_of(elements[item])
                items.append((item, w, h))
        if container is None:
            bottom = canvas.content_bottom(None, skip)
            left, top, width = canvas.content_left(skip), (bottom or 0.0) + GAP_Y * 2, ROW_W
        else:
            x, y, w, _ = by_id[container].rect
            bottom = canvas.content_bottom(container, skip)
            left, width = x + PAD, max(w - 2 * PAD, *(i[1] for i in items))
            top = bottom + GAP_Y if bottom is not None else y + TITLE
        cx, cy, row_h = left, top, 0.0
        for item, w, h in items:
            if cx > left and cx + w > left + width:
                cx, cy, row_h = left, cy + row_h + GAP_Y, 0.0
            if item in blocks:
                _, _, positions, rects = blocks[item]
                for eid, (px, py) in positions.items():
                    elements[eid].pos = (round(cx + px), round(cy + py))
                for bid, (rx, ry, rw, rh) in rects.items():
                    by_id[bid].rect = (round(cx + rx), round(cy + ry), rw, rh)
            else:
                elements[item].pos = (round(cx + w / 2), round(cy + h / 2))
            cx += w + GAP_X / 2
            row_h = max(row_h, h)
        placed = {i[0] for i in items}
        for item in placed & set(blocks):
            placed |= set(blocks[item][2]) | set(blocks[item][3])
        if container is not None:  # grow while the new things are still left out of the move
            canvas.grow(container, cy + row_h + PAD, skip | placed)
        skip -= placed
