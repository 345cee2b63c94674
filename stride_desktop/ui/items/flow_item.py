"""A data flow: an arrow between two elements with its name, re-routed when they move."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ...model import Flow
from .. import style
from .boundary_item import BoundaryItem
from .element_item import ElementItem

ARROW = 11.0
LABEL_TS = (0.5, 0.35, 0.65, 0.22, 0.78)  # where along the line a label may sit, best first
FEW_FLOWS = 40  # re-placing this many labels or fewer looks only at their neighbourhood
DETAIL_LOD = 0.6  # below this zoom the protocol line is unreadable: the label shows the name only


@cache
def name_font() -> QFont:  # made on first use: fonts need the QApplication
    return style.ui_font(8.0, bold=True)


@cache
def detail_font() -> QFont:  # made on first use: fonts need the QApplication
    return style.ui_font(7.0)


@cache
def _metrics(font: QFont) -> QFontMetricsF:
    return QFontMetricsF(font)


@cache
def _detail_width(detail: str) -> float:
    """Protocol and flags ("https:443 · encrypted") repeat across a big model."""
    return _metrics(detail_font()).horizontalAdvance(detail)


def exit_point(rect: QRectF, start: QPointF, direction: QPointF) -> QPointF:
    """Where the ray from ``start`` (inside ``rect``) along ``direction`` leaves ``rect``."""
    ts = []
    if abs(direction.x()) > 1e-9:
        bound = rect.right() if direction.x() > 0 else rect.left()
        ts.append((bound - start.x()) / direction.x())
    if abs(direction.y()) > 1e-9:
        bound = rect.bottom() if direction.y() > 0 else rect.top()
        ts.append((bound - start.y()) / direction.y())
    t = max(0.0, min(ts)) if ts else 0.0
    return start + direction * t


class FlowItem(QGraphicsItem):
    def __init__(self, flow: Flow) -> None:
        super().__init__()
        self.flow_id = flow.id
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setZValue(50)
        self.line = QLineF()
        self._shaft = QLineF()
        self.crossing = False
        self._label_rect = QRectF()
        self._bounds = QRectF()
        self.sync(flow)

    def sync(self, flow: Flow) -> None:
        self.source_id, self.target_id = flow.source, flow.target
        self.name = flow.name
        detail = flow.protocol + (f":{flow.port}" if flow.port else "")
        flags = []
        if flow.encrypted:
            flags.append("encrypted")
        if flow.authenticated != "none":
            flags.append(f"auth {flow.authenticated}")
        self.detail = " · ".join([detail] + flags)
        self.setToolTip(f"<b>{flow.name or flow.id}</b><br>{self.detail}<br>data: {flow.data}")
        self.prepareGeometryChange()
        self._measure_label()
        self._update_label_rect()
        self.update()

    def set_route(
        self,
        source_rect: QRectF,
        target_rect: QRectF,
        offset: float,
        *,
        crossing: bool,
        label_t: float = 0.5,
    ) -> None:
        """Route between two scene rects; ``offset`` shifts the line sideways (parallel flows)."""
        a, b = source_rect.center(), target_rect.center()
        d = b - a
        length = math.hypot(d.x(), d.y()) or 1.0
        unit = QPointF(d.x() / length, d.y() / length)
        normal = QPointF(-unit.y(), unit.x())
        a2, b2 = a + normal * offset, b + normal * offset
        start = exit_point(source_rect, a2, unit)
        end = exit_point(target_rect, b2, -unit)
        self.prepareGeometryChange()
        self.line = QLineF(start, end)
        self._shaft = QLineF(start, end - self._unit() * (ARROW * 0.6))  # to the arrowhead's base
        self.crossing = crossing
        self._normal, self._offset = normal, offset
        self.label_t = label_t
        self._update_label_rect()
        self.update()

    def set_label_t(self, t: float) -> None:
        """Move the label to fraction ``t`` of the line."""
        if t != self.label_t:
            self.prepareGeometryChange()
            self.label_t = t
            self._update_label_rect()
            self.update()

    def _measure_label(self) -> None:
        fm = _metrics(name_font())
        name_h, detail_h = self._text_heights = (fm.height(), _metrics(detail_font()).height())
        self._name_w = fm.horizontalAdvance(self.name or "")
        self._label_size = (
            max(self._name_w, _detail_width(self.detail)) + 12,
            (name_h if self.name else 0) + detail_h + 4,
        )

    def _update_label_rect(self) -> None:
        """The label's rect and the item's bounds, after the line or the label changed (the
        bounds are cached: Qt asks for them several times per item and paint)."""
        self._label_rect = self.label_rect_at(getattr(self, "label_t", 0.5))
        self._bounds = (
            QRectF(self.line.p1(), self.line.p2())
            .normalized()
            .adjusted(-ARROW, -ARROW, ARROW, ARROW)
            .united(self._label_rect.adjusted(-2, -2, 2, 2))
        )

    def label_rect_at(self, t: float) -> QRectF:
        """Where the label would be at fraction ``t`` of the line (scene coordinates)."""
        w, h = self._label_size
        mid = self.line.pointAt(t)
        offset = getattr(self, "_offset", 0.0)
        if offset:  # parallel flows: each label sits on its own side of the pair
            n = self._normal
            extent = abs(n.x()) * w / 2 + abs(n.y()) * h / 2 + 2
            mid = mid + n * (extent if offset > 0 else -extent)
        return QRectF(mid.x() - w / 2, mid.y() - h / 2, w, h)

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    def _path(self) -> QPainterPath:
        path = QPainterPath(self.line.p1())
        path.lineTo(self.line.p2())
        return path

    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        path = stroker.createStroke(self._path())
        path.addRect(self._label_rect)
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.line.length() < 1:
            return
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, lod >= style.TINY_LOD)
        colour = (
            style.SELECTION
            if self.isSelected()
            else (style.FLOW_CROSSING if self.crossing else style.FLOW)
        )
        painter.setPen(style.pen(colour, 2.2 if self.isSelected() else 1.5, round_cap=True))
        painter.drawLine(self._shaft)
        if lod < style.DOT_LOD:  # the arrowhead would be under a pixel
            return
        tip = self.line.p2()
        u = self._unit()
        n = QPointF(-u.y(), u.x())
        base = tip - u * ARROW
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(QPolygonF([tip, base + n * (ARROW * 0.45), base - n * (ARROW * 0.45)]))
        if lod < 0.3:
            return
        r = self._label_rect
        if self.name and lod < DETAIL_LOD:  # name only, in a compact tag
            r = QRectF(
                r.left(),
                r.center().y() - self._text_heights[0] / 2 - 1,
                r.width(),
                self._text_heights[0] + 2,
            )
            r.setWidth(self._name_w + 10)
            r.moveCenter(self._label_rect.center())
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.setPen(QPen(QColor(colour.red(), colour.green(), colour.blue(), 90), 1))
        painter.drawRoundedRect(r, 4, 4)
        y = r.top() + (1 if r.height() < self._label_rect.height() else 2)
        name_h, detail_h = self._text_heights
        if self.name:
            painter.setFont(name_font())
            painter.setPen(style.TEXT)
            painter.drawText(
                QRectF(r.left(), y, r.width(), name_h), Qt.AlignmentFlag.AlignCenter, self.name
            )
            y += name_h
            if r.height() < self._label_rect.height():
                return
        painter.setFont(detail_font())
        painter.setPen(style.SUBTEXT)
        painter.drawText(
            QRectF(r.left(), y, r.width(), detail_h), Qt.AlignmentFlag.AlignCenter, self.detail
        )

    def _unit(self) -> QPointF:
        length = self.line.length() or 1.0
        return QPointF(self.line.dx() / length, self.line.dy() / length)


class _Grid:
    """Rects bucketed by cell, so a label checks only its neighbours (no scene index queries:
    those re-index the scene after every route change and made opening big models quadratic)."""

    CELL = 160.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[QRectF]] = defaultdict(list)

    def _keys(self, r: QRectF) -> list[tuple[int, int]]:
        c = self.CELL
        return [
            (x, y)
            for x in range(int(r.left() // c), int(r.right() // c) + 1)
            for y in range(int(r.top() // c), int(r.bottom() // c) + 1)
        ]

    def add(self, r: QRectF) -> None:
        for key in self._keys(r):
            self.cells[key].append(r)

    def hits(self, r: QRectF) -> bool:
        return any(o.intersects(r) for key in self._keys(r) for o in self.cells.get(key, ()))


def _obstacle(item: QGraphicsItem) -> QRectF | None:
    """What a label must not cover of ``item`` (scene coordinates), if anything."""
    if isinstance(item, ElementItem):
        return item.mapRectToScene(item.body_rect())
    if isinstance(item, BoundaryItem):
        return item.mapRectToScene(item.tab_rect())
    if isinstance(item, FlowItem):
        return item.label_rect()
    return None


def place_labels(scene: Any, flows: Iterable[FlowItem]) -> None:
    """Slide each of ``flows``' labels along its line off elements, boundary titles and other
    labels: the first free spot of LABEL_TS, else the middle."""
    flows = [f for f in flows if f.line.length() >= 1]
    if not flows:
        return
    # One pass over the items, no scene index queries: after every moved label those re-index,
    # and long flows' bounding boxes make each query return half the scene.
    moving = {id(f) for f in flows}
    region = None
    if len(flows) <= FEW_FLOWS:  # a drag or an edit: only obstacles near the candidate spots
        region = QRectF()
        for flow in flows:
            for t in LABEL_TS:
                region = region.united(flow.label_rect_at(t))
    grid = _Grid()
    for item in [
        *scene.element_items.values(),
        *scene.boundary_items.values(),
        *scene.flow_items.values(),
    ]:
        obstacle = _obstacle(item)
        if (
            obstacle is not None
            and id(item) not in moving
            and (region is None or region.intersects(obstacle))
        ):
            grid.add(obstacle)
    for flow in flows:  # candidates are measured, not tried: moving an item costs more
        t = next((t for t in LABEL_TS if not grid.hits(flow.label_rect_at(t))), LABEL_TS[0])
        flow.set_label_t(t)
        grid.add(flow.label_rect())
