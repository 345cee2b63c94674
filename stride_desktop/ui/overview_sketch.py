"""The overview's picture of a large diagram: its boxes, batched, instead of the whole scene.

Rendering the scene into the overview paints every item (over a second at 10,000 elements, in
one turn of the event loop); at the overview's size a box is a pixel or two anyway. Above
``SKETCH_LIMIT`` elements the overview draws boundaries as outlines and elements as dots in
their kind's colour (the boxes the far drawing keeps, ``far_drawing``), a few batched calls.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter

from . import style

SKETCH_LIMIT = 1500  # elements: below this the overview renders the scene itself


def wants_sketch(scene: Any) -> bool:
    return len(scene.element_items) > SKETCH_LIMIT


class Sketch:
    """Boundaries and elements of ``scene`` as scene rectangles, and their extent (from the
    model's positions: asking 10,000 items for their geometry costs a tenth of a second)."""

    def __init__(self, scene: Any, elements: dict[str, tuple[str, QRectF]]) -> None:
        model = scene.document.model
        self.boundaries = [QRectF(*b.rect) for b in model.boundaries]
        self.elements: dict[str, list[QRectF]] = defaultdict(list)
        for kind, rect in elements.values():
            self.elements[kind].append(rect)
        w, h = style.ELEMENT_W, style.ELEMENT_H
        lefts = [e.pos[0] - w / 2 for e in model.elements] + [b.rect[0] for b in model.boundaries]
        tops = [e.pos[1] - h / 2 for e in model.elements] + [b.rect[1] for b in model.boundaries]
        rights = [e.pos[0] + w / 2 for e in model.elements]
        rights += [b.rect[0] + b.rect[2] for b in model.boundaries]
        bottoms = [e.pos[1] + h / 2 for e in model.elements]
        bottoms += [b.rect[1] + b.rect[3] for b in model.boundaries]
        self.extent = (
            QRectF(min(lefts), min(tops), max(rights) - min(lefts), max(bottoms) - min(tops))
            if lefts
            else QRectF()
        )

    def draw(self, painter: QPainter, target: QRectF, source: QRectF) -> None:
        """Draw ``source`` (scene) into ``target`` (the picture), keeping the aspect ratio."""
        scale = min(target.width() / source.width(), target.height() / source.height())
        painter.save()
        painter.translate(
            target.center().x() - source.center().x() * scale,
            target.center().y() - source.center().y() * scale,
        )
        painter.scale(scale, scale)
        painter.setPen(style.pen(style.BOUNDARY, 1.0, cosmetic=True))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRects(self.boundaries)
        painter.setPen(Qt.PenStyle.NoPen)
        for kind, rects in self.elements.items():
            painter.setBrush(style.KIND_BORDER.get(kind, style.FLOW))
            painter.drawRects(rects)
        painter.restore()
