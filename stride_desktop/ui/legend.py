"""The legend: what the shapes, flow colours and threat badges of the canvas mean.

A small panel in the canvas corner (View > Legend, remembered in the settings); click it to fold
it to its title, so it costs the diagram one line.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from . import style
from .items.badge import draw_badge

LEGEND_KEY = "view/legend"
FOLDED_KEY = "view/legendFolded"
ROW = 15.0
WIDTH = 290
RIGHT = 146.0  # the badges column
SMALL_CANVAS = (900, 540)  # a canvas smaller than this starts with the legend folded
SEVERITIES = ("critical", "high", "medium", "low")


@cache
def fonts() -> tuple[QFont, QFont]:  # made on first use: fonts need the QApplication
    return style.ui_font(7.5), style.ui_font(7.5, bold=True)


class LegendOverlay(QWidget):
    """Painted, not built from labels: it is a picture of the canvas's own marks."""

    resized = Signal()  # folded, unfolded, shown or hidden: a fitted view makes room for it

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("canvasLegend")
        self.wanted = True
        self.folded = False
        self._fold_chosen = False  # until the person folds or unfolds it, the canvas size decides
        self._settings: QSettings | None = None
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Legend of the canvas: click to fold or unfold (View > Legend hides it)")
        self._resize()

    # -- state ----------------------------------------------------------------------------
    def use_settings(self, settings: QSettings) -> bool:
        """Remember View > Legend (and folding) in ``settings``; returns whether it shows."""
        self._settings = settings
        self.wanted = bool(settings.value(LEGEND_KEY, True, type=bool))
        self._fold_chosen = settings.contains(FOLDED_KEY)
        self.folded = bool(settings.value(FOLDED_KEY, False, type=bool))
        self._resize()
        self.setVisible(self.wanted)
        return self.wanted

    def set_wanted(self, on: bool) -> None:
        self.wanted = on
        if self._settings is not None:
            self._settings.setValue(LEGEND_KEY, on)
        self.setVisible(on)
        self.place()
        self.resized.emit()

    def toggle_fold(self) -> None:
        self._fold_chosen = True
        self.folded = not self.folded
        if self._settings is not None:
            self._settings.setValue(FOLDED_KEY, self.folded)
        self._resize()
        self.place()
        self.resized.emit()

    def _resize(self) -> None:
        if self.folded:
            self.setFixedSize(QSize(82, int(ROW + 8)))
        else:
            self.setFixedSize(QSize(WIDTH, int(8 * ROW + 10)))

    def place(self) -> None:
        """Bottom-left corner of the canvas; folded on a small canvas unless the person chose."""
        parent = self.parentWidget()
        viewport = getattr(parent, "viewport", lambda: parent)()
        if not self._fold_chosen:
            folded = viewport.width() < SMALL_CANVAS[0] or viewport.height() < SMALL_CANVAS[1]
            if folded != self.folded:
                self.folded = folded
                self._resize()
                self.resized.emit()
        self.move(10, viewport.height() - self.height() - 10)

    # -- painting -------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QPen(QColor("#C9D0DA"), 1))
        p.setBrush(QColor(255, 255, 255, 238))
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        plain, bold = fonts()
        y = 4.0
        p.setFont(bold)
        p.setPen(style.TEXT)
        p.drawText(QRectF(9, y, 80, ROW), Qt.AlignmentFlag.AlignVCenter, "Legend")
        p.setPen(style.SUBTEXT)
        p.drawText(
            QRectF(0, y, self.width() - 9, ROW),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            "▸" if self.folded else "▾",
        )
        if self.folded:
            return
        p.setFont(bold)
        p.setPen(style.TEXT)
        p.drawText(QRectF(RIGHT, y, 120, ROW), Qt.AlignmentFlag.AlignVCenter, "Open threats")
        y += ROW
        top = y
        for kind, label in (
            ("process", "process"),
            ("external_entity", "external entity"),
            ("data_store", "data store"),
        ):
            self._shape(p, kind, QRectF(9, y + 3, 24, ROW - 6))
            self._text(p, 40, y, label, plain)
            y += ROW
        self._boundary(p, QRectF(9, y + 3, 24, ROW - 6))
        self._text(p, 40, y, "trust boundary", plain)
        y += ROW
        for colour, label in (
            (style.FLOW, "data flow"),
            (style.FLOW_CROSSING, "crosses a boundary"),
            (style.SELECTION, "selected"),
        ):
            self._arrow(p, colour, y + ROW / 2)
            self._text(p, 40, y, label, plain)
            y += ROW
        y = top
        for severity in SEVERITIES:
            draw_badge(p, QPointF(RIGHT + 8, y + ROW / 2), 6.5, (3, severity, False))
            self._text(p, RIGHT + 20, y, f"highest {severity}", plain)
            y += ROW
        draw_badge(p, QPointF(RIGHT + 14, y + ROW / 2), 6.5, (3, "high", True))
        self._text(p, RIGHT + 26, y, "bench evidence", plain)
        y += ROW
        self._text(p, RIGHT + 1, y, "the number: open threats", plain, ink=style.SUBTEXT)

    def _text(
        self, p: QPainter, x: float, y: float, text: str, font: QFont, *, ink: QColor | None = None
    ) -> None:
        p.setFont(font)
        p.setPen(ink or style.TEXT)
        p.drawText(QRectF(x, y, self.width() - x - 4, ROW), Qt.AlignmentFlag.AlignVCenter, text)

    @staticmethod
    def _shape(p: QPainter, kind: str, r: QRectF) -> None:
        p.setBrush(style.KIND_FILL[kind])
        p.setPen(QPen(style.KIND_BORDER[kind], 1.3))
        if kind == "process":
            p.drawRoundedRect(r, r.height() / 2, r.height() / 2)
        elif kind == "data_store":
            p.setPen(Qt.PenStyle.NoPen)
            p.drawRect(r)
            p.setPen(QPen(style.KIND_BORDER[kind], 1.3))
            p.drawLine(r.topLeft(), r.topRight())
            p.drawLine(r.bottomLeft(), r.bottomRight())
            p.drawLine(r.topLeft() + QPointF(3, 0), r.bottomLeft() + QPointF(3, 0))
        else:
            p.drawRect(r)

    @staticmethod
    def _boundary(p: QPainter, r: QRectF) -> None:
        pen = QPen(style.BOUNDARY, 1.3, Qt.PenStyle.DashLine)
        pen.setDashPattern([3, 2])
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(r, 3, 3)

    @staticmethod
    def _arrow(p: QPainter, colour: QColor, y: float) -> None:
        p.setPen(QPen(colour, 1.6))
        p.drawLine(QPointF(9, y), QPointF(29, y))
        p.setBrush(colour)
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon([QPointF(34, y), QPointF(28, y - 3.5), QPointF(28, y + 3.5)])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.toggle_fold()
            event.accept()
