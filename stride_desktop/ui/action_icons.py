"""Small line icons for the toolbar, drawn with QPainter so they match at every scale."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QPolygonF

INK = QColor("#374151")
ACCENT = QColor("#0A84FF")


def _icon(draw: Callable[[QPainter], None]) -> QIcon:
    pixmap = QPixmap(48, 48)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(INK, 1.6)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    draw(painter)
    painter.end()
    return QIcon(pixmap)


def _select(p: QPainter) -> None:
    p.setBrush(INK)
    p.drawPolygon(
        QPolygonF(
            [
                QPointF(7, 4),
                QPointF(7, 19),
                QPointF(11, 15),
                QPointF(14, 21),
                QPointF(16, 20),
                QPointF(13, 14),
                QPointF(18, 14),
            ]
        )
    )


def _connect(p: QPainter) -> None:
    p.drawEllipse(QRectF(3, 14, 6, 6))
    p.drawLine(QPointF(9, 15), QPointF(19, 6))
    p.setBrush(INK)
    p.drawPolygon(QPolygonF([QPointF(21, 4), QPointF(14.5, 6), QPointF(19, 10.5)]))


def _boundary(p: QPainter) -> None:
    pen = QPen(QColor("#C62F3A"), 1.6, Qt.PenStyle.DashLine)
    pen.setDashPattern([2.5, 2])
    p.setPen(pen)
    p.drawRoundedRect(QRectF(3, 5, 18, 15), 3, 3)


def _magnifier(sign: str) -> Callable[[QPainter], None]:
    def draw(p: QPainter) -> None:
        p.drawEllipse(QRectF(4, 4, 12, 12))
        p.drawLine(QPointF(14.5, 14.5), QPointF(20, 20))
        p.drawLine(QPointF(7, 10), QPointF(13, 10))
        if sign == "+":
            p.drawLine(QPointF(10, 7), QPointF(10, 13))

    return draw


def _fit(p: QPainter) -> None:
    for x, y, dx, dy in ((4, 4, 1, 1), (20, 4, -1, 1), (4, 20, 1, -1), (20, 20, -1, -1)):
        path = QPainterPath(QPointF(x + 5 * dx, y))
        path.lineTo(x, y)
        path.lineTo(x, y + 5 * dy)
        p.drawPath(path)
    p.drawRect(QRectF(9, 9, 6, 6))


def _layout(p: QPainter) -> None:
    p.setBrush(QColor("#DCEBFF"))
    for rect in (QRectF(3, 9, 6, 6), QRectF(15, 3, 6, 6), QRectF(15, 15, 6, 6)):
        p.drawRect(rect)
    p.drawLine(QPointF(9, 12), QPointF(15, 6))
    p.drawLine(QPointF(9, 12), QPointF(15, 18))


ICONS: dict[str, Callable[[QPainter], None]] = {
    "select": _select,
    "connect": _connect,
    "boundary": _boundary,
    "zoom_in": _magnifier("+"),
    "zoom_out": _magnifier("-"),
    "fit": _fit,
    "layout": _layout,
}


def action_icon(name: str) -> QIcon:
    return _icon(ICONS[name])
