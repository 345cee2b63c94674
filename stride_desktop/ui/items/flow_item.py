"""A data flow: an arrow between two elements with its name, re-routed when they move.

A flow the person has not named shows a label made from its protocol and port ("HTTPS :443");
the model keeps its name empty, so the label never goes stale when an end is renamed.
"""

from __future__ import annotations

import math
from functools import cache

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

ARROW = 11.0
BADGE_ROOM = QRectF(-8, -12, 20, 20)  # the review badge, relative to the label's top-right
PROTOCOL_NAMES = {
    "http": "HTTP",
    "https": "HTTPS",
    "grpc": "gRPC",
    "tcp": "TCP",
    "udp": "UDP",
    "dns": "DNS",
    "ssh": "SSH",
    "tls": "TLS",
    "mysql": "MySQL",
    "postgresql": "PostgreSQL",
    "redis": "Redis",
    "amqp": "AMQP",
    "unix": "Unix socket",
    "tty": "TTY",
}


def derived_name(flow: Flow) -> str:
    """The label of an unnamed flow: its protocol and port, "HTTPS :443", "Unix socket"."""
    protocol = PROTOCOL_NAMES.get(flow.protocol.lower(), flow.protocol) or "flow"
    return f"{protocol} :{flow.port}" if flow.port else protocol


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
        self.label_t, self.label_side = 0.5, 0
        self._normal, self._offset = QPointF(0, 1), 0.0
        self.badge_state: tuple[int, str | None, bool] | None = None  # set by the review
        self.sync(flow)

    def sync(self, flow: Flow) -> None:
        self.source_id, self.target_id = flow.source, flow.target
        self.named = bool(flow.name)
        self.name = flow.name or derived_name(flow)
        flags = []
        if flow.encrypted:
            flags.append("encrypted")
        if flow.authenticated != "none":
            flags.append(f"auth {flow.authenticated}")
        protocol = flow.protocol + (f":{flow.port}" if flow.port else "")
        self.detail = " · ".join(([protocol] if self.named else []) + flags)
        self.setToolTip(
            f"<b>{self.name}</b><br>{protocol}"
            + "".join(f" · {f}" for f in flags)
            + f"<br>data: {flow.data}"
        )
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
        self._update_label_rect()
        self.update()

    def set_label_spot(self, t: float, side: int = 0) -> None:
        """Move the label to fraction ``t`` of the line, on it (0) or beside it (+1/-1)."""
        if (t, side) != (self.label_t, self.label_side):
            self.prepareGeometryChange()
            self.label_t, self.label_side = t, side
            self._update_label_rect()
            self.update()

    def _measure_label(self) -> None:
        fm = _metrics(name_font())
        detail_h = _metrics(detail_font()).height() if self.detail else 0.0
        self._text_heights = (fm.height(), detail_h)
        self._name_w = fm.horizontalAdvance(self.name)
        self._label_size = (
            max(self._name_w, _detail_width(self.detail)) + 12,
            fm.height() + detail_h + 4,
        )

    def _update_label_rect(self) -> None:
        """The label's rect and the item's bounds, after the line or the label changed (the
        bounds are cached: Qt asks for them several times per item and paint)."""
        self._label_rect = self.label_rect_at(self.label_t, self.label_side)
        self._bounds = (
            QRectF(self.line.p1(), self.line.p2())
            .normalized()
            .adjusted(-ARROW, -ARROW, ARROW, ARROW)
            .united(self._label_rect.adjusted(-2, -2, 2, 2))
        )

    def label_sides(self, *, far: bool = False) -> tuple[int, ...]:
        """Where the label may sit across the line: on it (0), beside it (+1/-1) or a label's
        height further (+2/-2, for a line too short to hold it, or ``far``); parallel flows keep
        to their own side."""
        short = far or self.line.length() < 2.5 * self._label_size[0]
        if self._offset:
            side = 1 if self._offset > 0 else -1
            return (side, 2 * side) if short else (side,)
        return (0, 1, -1, 2, -2) if short else (0, 1, -1)

    def label_rect_at(self, t: float, side: int = 0) -> QRectF:
        """Where the label would be at fraction ``t`` of the line (scene coordinates), centred
        on the line (``side`` 0) or beside it (+1/-1 just beside, +2/-2 further, along the
        line's normal)."""
        w, h = self._label_size
        mid = self.line.pointAt(t)
        if side:
            n = self._normal
            extent = abs(n.x()) * w / 2 + abs(n.y()) * h / 2 + 3
            mid = mid + n * (extent * (side if abs(side) == 1 else 3 * side / 2))  # 2: clear a box
        return QRectF(mid.x() - w / 2, mid.y() - h / 2, w, h)

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    @staticmethod
    def footprint(label: QRectF) -> QRectF:
        """The label with the room its threat badge takes (at its top-right corner)."""
        return label.united(BADGE_ROOM.translated(label.topRight()))

    def badge_anchor(self) -> QPointF:
        """Where the review's badge of this flow is centred (scene coordinates)."""
        r = self._label_rect
        return QPointF(r.right() + 2, r.top() - 2)

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
        if lod < style.TEXT_LOD:  # the view draws the name at a readable size (zoom_labels)
            return
        r = self._label_rect
        painter.setBrush(QColor(255, 255, 255, 235))
        painter.setPen(QPen(QColor(colour.red(), colour.green(), colour.blue(), 90), 1))
        painter.drawRoundedRect(r, 4, 4)
        y = r.top() + 2
        name_h, detail_h = self._text_heights
        painter.setFont(name_font())
        painter.setPen(style.TEXT)
        painter.drawText(
            QRectF(r.left(), y, r.width(), name_h), Qt.AlignmentFlag.AlignCenter, self.name
        )
        if self.detail:
            painter.setFont(detail_font())
            painter.setPen(style.SUBTEXT)
            painter.drawText(
                QRectF(r.left(), y + name_h, r.width(), detail_h),
                Qt.AlignmentFlag.AlignCenter,
                self.detail,
            )

    def _unit(self) -> QPointF:
        length = self.line.length() or 1.0
        return QPointF(self.line.dx() / length, self.line.dy() / length)
