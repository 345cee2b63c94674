"""The overview's picture of a large diagram: its boxes, batched, instead of the whole scene.

Rendering the scene into the overview paints every item (over a second at 10,000 elements, in
one turn of the event loop); at the overview's size a box is a pixel or two anyway. Above
``SKETCH_LIMIT`` elements the overview draws boundaries as outlines and elements as dots in
their kind's colour, a few batched calls in all.
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
    """Boundaries and elements of ``scene`` as scene rectangles, and their extent. Elements are
    drawn at the model's positions with the standard box size (a pixel or two at this scale):
    asking 10,000 items for their geometry costs a tenth of a second."""

    def __init__(self, scene: Any) -> None:
        self.boundaries = [
            item.mapRectToScene(item.local_rect()) for item in scene.boundary_items.values()
        ]
        w, h = style.ELEMENT_W, style.ELEMENT_H
        kinds = {eid: item.kind for eid, item in scene.element_items.items()}
        corners: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for element in scene.document.model.elements:
            kind = kinds.get(element.id)
            if kind is not None:
                x, y = element.pos
                corners[kind].append((x - w / 2, y - h / 2))
        self.elements = {
            kind: [QRectF(x, y, w, h) for x, y in points] for kind, points in corners.items()
        }
        xs = [x for points in corners.values() for x, _ in points]
        ys = [y for points in corners.values() for _, y in points]
        extent = (
            QRectF(min(xs), min(ys), max(xs) - min(xs) + w, max(ys) - min(ys) + h)
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
