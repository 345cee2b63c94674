"""The threat badge drawing shared by elements (their own badge), the review's flow and
boundary badges and the view's zoomed-out labels: a count disc coloured by highest severity,
with a yellow dot when bench evidence confirms a threat."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen

from .. import style

CONFIRMED = QColor("#FDE047")
BadgeState = tuple[int, str | None, bool]  # open count, highest open severity, confirmed


@cache
def badge_font(point_size: float) -> QFont:  # made on first use: fonts need the QApplication
    return style.ui_font(point_size, bold=True)


def badge_tooltip(count: int, severity: str | None, confirmed: bool) -> str:
    text = f"{count} open threat{'s' if count != 1 else ''}, highest {severity}"
    return text + (" · confirmed by bench evidence" if confirmed else "")


def draw_badge(painter: QPainter, centre: QPointF, radius: float, state: BadgeState) -> None:
    """A disc of ``radius`` at ``centre`` with the open count, coloured by severity."""
    count, severity, confirmed = state
    fill = style.severity_colour(severity)
    painter.setPen(QPen(QColor("white"), max(1.0, radius / 6)))
    painter.setBrush(fill)
    painter.drawEllipse(centre, radius, radius)
    painter.setPen(style.SEVERITY_TEXT.get(severity or "", QColor("white")))
    painter.setFont(badge_font(round(radius * 0.7, 1)))
    painter.drawText(
        QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius),
        Qt.AlignmentFlag.AlignCenter,
        str(count) if count < 100 else "99+",
    )
    if confirmed:  # bench evidence confirms a threat
        dot = radius * 0.45
        painter.setPen(QPen(QColor("#111827"), 1.2))
        painter.setBrush(CONFIRMED)
        painter.drawEllipse(centre + QPointF(-radius - dot - 1, 0), dot, dot)
