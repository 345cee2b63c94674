"""The threat badge drawing shared by elements (their own badge) and the review's flow and
boundary badges: a count disc coloured by highest severity, a yellow dot when evidence confirms."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from .. import style

TEXT_LOD = 0.45  # below this zoom the count is unreadable: the badge is a plain coloured dot
CONFIRMED = QColor("#FDE047")


@cache
def badge_font(point_size: float) -> QFont:  # made on first use: fonts need the QApplication
    return style.ui_font(point_size, bold=True)


def draw_badge(
    painter: QPainter,
    centre: QPointF,
    radius: float,
    state: tuple[int, str | None, bool],
    lod: float,
) -> None:
    """``state`` is (open count, highest severity, confirmed); ``lod`` the item's level of detail."""
    count, severity, confirmed = state
    if lod < style.DOT_LOD:  # under a pixel or two across
        return
    fill = style.severity_colour(severity)
    if lod < TEXT_LOD:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawEllipse(centre, radius, radius)
        return
    painter.setPen(QPen(QColor("white"), 2))
    painter.setBrush(fill)
    painter.drawEllipse(centre, radius, radius)
    painter.setPen(QColor("white"))
    painter.setFont(badge_font(round(radius * 0.7, 1)))
    painter.drawText(
        QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius),
        Qt.AlignmentFlag.AlignCenter,
        str(count) if count < 100 else "99+",
    )
    if confirmed:  # bench evidence confirms a threat
        painter.setPen(QPen(QColor("#111827"), 1.2))
        painter.setBrush(CONFIRMED)
        painter.drawEllipse(centre + QPointF(-radius - 6, 0), 5, 5)
