"""A trust boundary: dashed region with a title tab showing its name, kind and trust level."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ...model import Boundary
from .. import style

HANDLE = 10.0
TAB_H = 24.0


@cache
def title_font() -> QFont:  # made on first use: fonts need the QApplication
    return style.ui_font(8.5, bold=True)


@cache
def pill_font() -> QFont:
    return style.ui_font(7.0, bold=True)


class BoundaryItem(QGraphicsItem):
    """Position is the rect's top-left corner; local rect is (0, 0, w, h)."""

    def __init__(self, boundary: Boundary, depth: int = 0) -> None:
        super().__init__()
        self.boundary_id = boundary.id
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.sync(boundary, depth)

    def sync(self, boundary: Boundary, depth: int) -> None:
        self.name = boundary.name or boundary.id
        self.trust = boundary.trust
        self.kind = boundary.kind
        self._widths: tuple[float, float] | None = None  # (name, pill): measured at first use
        self.setZValue(depth)  # nested boundaries draw above their parents, below flows
        x, y, w, h = boundary.rect
        self.prepareGeometryChange()
        self.size = (w, h)
        self.setPos(x, y)
        self.setToolTip(
            f"<b>{self.name}</b><br>{self.kind} boundary · trust {self.trust}"
            + (f"<br>{boundary.description}" if boundary.description else "")
        )
        self.update()

    def local_rect(self) -> QRectF:
        return QRectF(0, 0, *self.size)

    def scene_rect_tuple(self) -> tuple[float, float, float, float]:
        return (self.pos().x(), self.pos().y(), self.size[0], self.size[1])

    def set_size(self, w: float, h: float) -> None:
        self.prepareGeometryChange()
        self.size = (max(80.0, w), max(60.0, h))
        self.update()

    def handle_rect(self) -> QRectF:
        w, h = self.size
        return QRectF(w - HANDLE, h - HANDLE, HANDLE * 2, HANDLE * 2)

    def _measure(self) -> tuple[float, float]:
        if self._widths is None:
            self._widths = (
                QFontMetricsF(title_font()).horizontalAdvance(self.name),
                QFontMetricsF(pill_font()).horizontalAdvance(self._pill_text()) + 12,
            )
        return self._widths

    def tab_rect(self) -> QRectF:
        name_w = self._measure()[0]
        return QRectF(
            0,
            0,
            min(name_w + 16 + self._pill_width() + (10 if self._pill_width() else 0), self.size[0]),
            TAB_H,
        )

    def _pill_width(self) -> float:
        """The trust pill, left out when the boundary is too narrow for it and the name."""
        name_w, pill_w = self._measure()
        return pill_w if name_w + 16 + pill_w + 10 <= self.size[0] else 0.0

    def _pill_text(self) -> str:
        return f"{self.kind.upper()} · TRUST {self.trust}"

    def boundingRect(self) -> QRectF:
        return self.local_rect().adjusted(-2, -2, HANDLE + 2, HANDLE + 2)

    def shape(self) -> QPainterPath:
        # Only the frame, the tab and the resize handle pick: clicks inside reach the canvas,
        # so rubber-band selection works inside a boundary.
        path = QPainterPath()
        outer, inner = (
            self.local_rect().adjusted(-4, -4, 4, 4),
            self.local_rect().adjusted(6, 6, -6, -6),
        )
        path.addRect(outer)
        path.addRect(inner)
        path.setFillRule(Qt.FillRule.OddEvenFill)
        tab = QPainterPath()
        tab.addRect(self.tab_rect())
        tab.addRect(self.handle_rect())
        return path.united(tab)

    def in_resize_handle(self, local: QPointF) -> bool:
        return self.handle_rect().adjusted(-3, -3, 0, 0).contains(local)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        tiny = option.levelOfDetailFromTransform(painter.worldTransform()) < style.TINY_LOD
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, not tiny)
        r = self.local_rect()
        trust = style.trust_colour(self.trust)
        tint = QColor(trust)
        tint.setAlpha(14)
        painter.setBrush(tint)
        colour = style.SELECTION if self.isSelected() else style.BOUNDARY
        width = 2.4 if self.isSelected() else 1.6
        if tiny:  # an overview: dashes and the title would be under a pixel, and cost the most
            painter.setPen(style.pen(colour, width))
            painter.drawRect(r)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRect(self.tab_rect())
            return
        pen = QPen(colour, width, Qt.PenStyle.DashLine)
        pen.setDashPattern([6, 4])
        painter.setPen(pen)
        painter.drawRoundedRect(r, 10, 10)
        tab = self.tab_rect()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        path = QPainterPath()
        path.addRoundedRect(tab, 8, 8)
        square = QPainterPath()
        square.addRect(tab.adjusted(0, tab.height() / 2, 0, 0))
        painter.drawPath(path.united(square))
        painter.setFont(title_font())
        painter.setPen(QColor("white"))
        name_rect = tab.adjusted(8, 0, -self._pill_width() - 8, 0)
        name = QFontMetricsF(painter.font()).elidedText(
            self.name, Qt.TextElideMode.ElideRight, name_rect.width()
        )
        painter.drawText(
            name_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name
        )
        if not self._pill_width():
            return self._paint_grip(painter, r)
        pill = QRectF(tab.right() - self._pill_width() - 5, 5, self._pill_width(), TAB_H - 10)
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(pill, 7, 7)
        painter.setPen(trust)
        painter.setFont(pill_font())
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, self._pill_text())
        self._paint_grip(painter, r)

    def _paint_grip(self, painter: QPainter, r: QRectF) -> None:
        if self.isSelected():
            painter.setPen(QPen(style.SELECTION, 1.2))
            painter.setBrush(QColor("white"))
            painter.drawRect(QRectF(r.right() - 5, r.bottom() - 5, HANDLE, HANDLE))
        else:
            painter.setPen(QPen(style.BOUNDARY, 1.4))
            for i in range(3):  # resize grip lines
                off = 4 + i * 4
                painter.drawLine(
                    QPointF(r.right() - off, r.bottom() - 2),
                    QPointF(r.right() - 2, r.bottom() - off),
                )
