"""Export the diagram as PNG (raster, 2x) or SVG (vectors, via QtSvg)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QGraphicsScene, QWidget

from . import style
from .document import Document

MARGIN = 30.0


def _source_rect(scene: QGraphicsScene) -> QRectF:
    return scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def _render(scene: QGraphicsScene, painter: QPainter, target: QRectF) -> None:
    selected = scene.selectedItems()
    scene.clearSelection()  # exports show the diagram, not the editing state
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    painter.fillRect(target, style.CANVAS)
    scene.render(painter, target, _source_rect(scene), Qt.AspectRatioMode.KeepAspectRatio)
    for item in selected:
        item.setSelected(True)


def export_png(scene: QGraphicsScene, path: str | Path, *, scale: float = 2.0) -> Path:
    source = _source_rect(scene)
    image = QImage(
        QSize(max(1, int(source.width() * scale)), max(1, int(source.height() * scale))),
        QImage.Format.Format_ARGB32,
    )
    image.fill(style.CANVAS)
    painter = QPainter(image)
    _render(scene, painter, QRectF(0, 0, image.width(), image.height()))
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")
    return Path(path)


def export_svg(scene: QGraphicsScene, path: str | Path, *, title: str = "STRIDE diagram") -> Path:
    source = _source_rect(scene)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(int(source.width()), int(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(title)
    painter = QPainter(generator)
    _render(scene, painter, QRectF(0, 0, source.width(), source.height()))
    painter.end()
    return Path(path)


def ask_export_path(parent: QWidget, fmt: str, document: Document) -> str:
    stem = document.path.stem if document.path else (document.model.name or "diagram")
    folder = document.path.parent if document.path else Path.home()
    path, _ = QFileDialog.getSaveFileName(
        parent,
        f"Export diagram as {fmt.upper()}",
        str(folder / f"{stem}.{fmt}"),
        f"{fmt.upper()} (*.{fmt})",
    )
    if path and not path.lower().endswith("." + fmt):
        path += "." + fmt
    return path
