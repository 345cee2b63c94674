"""Colours, sizes and fonts of the diagram, in one place so the canvas looks consistent."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPen

from ..rules import threat

GRID = 20  # scene units; element centres snap to it
ELEMENT_W, ELEMENT_H = 176.0, 64.0
ICON_SIZE = 32

KIND_FILL = {
    "process": QColor("#EEF3FE"),
    "external_entity": QColor("#FFF3E2"),
    "data_store": QColor("#E8F6EC"),
}
KIND_BORDER = {
    "process": QColor("#3D6FD6"),
    "external_entity": QColor("#D27B22"),
    "data_store": QColor("#2B9355"),
}
TEXT = QColor("#1F2430")
SUBTEXT = QColor("#6B7280")
SELECTION = QColor("#0A84FF")
FLOW = QColor("#4B5563")
FLOW_CROSSING = QColor("#C2410C")  # a flow that crosses a trust boundary
BOUNDARY = QColor("#C62F3A")
CANVAS = QColor("#FAFBFC")
GRID_DOT = QColor("#D5DAE1")


def severity_colour(severity: str | None) -> QColor:
    """A severity's colour from the one palette (rules.threat.SEVERITY_COLOURS)."""
    return QColor(threat.severity_colour(severity))


def trust_colour(trust: int) -> QColor:
    """Red for the untrusted world, through amber, to green for the most trusted zones."""
    palette = ["#DC2626", "#EA580C", "#CA8A04", "#16A34A", "#0F766E"]
    return QColor(palette[max(0, min(trust, len(palette) - 1))])


TINY_LOD = (
    0.2  # below this zoom items draw plain shapes without antialiasing (overview of a big model)
)
DOT_LOD = 0.15  # below this zoom a badge is under a pixel or two across: not drawn


_PENS: dict[tuple[int, float, bool], QPen] = {}


def pen(colour: QColor, width: float, *, round_cap: bool = False) -> QPen:
    """A shared pen: the canvas paints thousands of items per frame at scale, and a new QPen per
    item and paint showed in the profile of a repaint."""
    key = (colour.rgba(), width, round_cap)
    made = _PENS.get(key)
    if made is None:
        made = _PENS[key] = QPen(colour, width)
        if round_cap:
            made.setCapStyle(Qt.PenCapStyle.RoundCap)
    return made


def ui_font(point_size: float = 9.0, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font
