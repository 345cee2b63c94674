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
        self.boundaries = [
            item.mapRectToScene(item.local_rect()) for item in scene.boundary_items.values()
        ]
        self.elements: dict[str, list[QRectF]] = defaultdict(list)
        for kind, rect in elements.values():
            self.elements[kind].append(rect)
        w, h = style.ELEMENT_W, style.ELEMENT_H
        xs = [e.pos[0] for e in scene.document.model.elements]
        ys = [e.pos[1] for e in scene.document.model.elements]
        extent = (
            QRectF(min(xs) - w / 2, min(ys) - h / 2, max(xs) - min(xs) + w, max(ys) - min(ys) + h)
            if xs
            else QRectF()
        )
        for rect in self.boundaries:
            extent = extent.united(rect)
        self.extent = extent

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
