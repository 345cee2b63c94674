"""Component icons: the catalog's SVG files, with a drawn kind glyph when a file is missing."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ..model import ComponentType
from ..paths import ResourceError, resource
from .style import KIND_BORDER, KIND_FILL


@lru_cache(maxsize=256)
def _renderer(icon_name: str) -> QSvgRenderer | None:
    if not icon_name:
        return None
    try:
        path = resource("icons", icon_name)
    except ResourceError:
        return None
    renderer = QSvgRenderer(str(path))
    return renderer if renderer.isValid() else None


def draw_kind_glyph(painter: QPainter, rect: QRectF, kind: str) -> None:
    """The fallback: the DFD shape of the kind, small, in the kind's colours."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(KIND_BORDER.get(kind, QColor("#555")), max(1.5, rect.width() / 14)))
    painter.setBrush(KIND_FILL.get(kind, QColor("#eee")))
    r = rect.adjusted(
        rect.width() * 0.1, rect.height() * 0.18, -rect.width() * 0.1, -rect.height() * 0.18
    )
    if kind == "process":
        painter.drawEllipse(
            rect.adjusted(
                rect.width() * 0.1, rect.height() * 0.1, -rect.width() * 0.1, -rect.height() * 0.1
            )
        )
    elif kind == "data_store":
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRect(r)
        painter.setPen(QPen(KIND_BORDER["data_store"], max(1.5, rect.width() / 14)))
        painter.drawLine(r.topLeft(), r.topRight())
        painter.drawLine(r.bottomLeft(), r.bottomRight())
    else:
        painter.drawRect(r)
    painter.restore()


def paint_icon(painter: QPainter, rect: QRectF, component: ComponentType | None, kind: str) -> None:
    renderer = _renderer(component.icon) if component else None
    if renderer is None:
        draw_kind_glyph(painter, rect, kind)
    else:
        renderer.render(painter, rect)


@lru_cache(maxsize=512)
def icon_pixmap(icon_name: str, kind: str, size: int, ratio: float = 1.0) -> QPixmap:
    """A cached raster of the icon: painting 1,000 SVGs per frame would be slow."""
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer = _renderer(icon_name)
    rect = QRectF(0, 0, size, size)
    if renderer is None:
        draw_kind_glyph(painter, rect, kind)
    else:
        renderer.render(painter, rect)
    painter.end()
    return pixmap


def component_icon(component: ComponentType, size: int = 32) -> QIcon:
    return QIcon(icon_pixmap(component.icon, component.kind.value, size, 2.0))


def shape_path(kind: str, rect: QRectF) -> QPainterPath:
    path = QPainterPath()
    if kind == "process":
        path.addRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    else:
        path.addRect(rect)
    return path
