"""A large diagram far zoomed out, drawn by the view from one recorded picture.

At 10,000 elements a repaint at the fit zoom called ``paint`` on some 10,000 items (a fifth of a
second and more each time, a second the first time): every badge or edit cost one. Below
``FAR_LOD`` a box is a few pixels across and items draw plain shapes anyway (no names, icons,
arrowheads or badges), so there the canvas items of a large diagram (over
``overview_sketch.SKETCH_LIMIT`` elements) are flagged as having no contents and the view draws
the same shapes, batched, into a ``QPicture`` it replays on every repaint: boundaries, flows,
then elements in their colours. The picture is recorded again after a change of the diagram or
of the selection (selected items are drawn over it, in the foreground, where their items are
now: a drag moves them ahead of the model); the geometry is kept per id and measured again for
what changed. Meanwhile the view caches its background (``CacheBackground``): a repaint that is
not a change of the drawing (a badge, the overview over the canvas, a rubber band) blits it
instead of replaying the picture, so the cache is invalidated whenever the picture is forgotten.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QLineF, QObject, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPicture
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView

from ..model import Change
from . import style
from .overview_sketch import Sketch, wants_sketch

FAR_LOD = 0.1  # below this zoom a large diagram is drawn by the view
NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
CACHE = QGraphicsView.CacheModeFlag.CacheBackground


class FarDrawing(QObject):
    """Draws ``scene``'s boundaries, flows and elements below ``FAR_LOD`` for ``view`` (see the
    module); a child of the view, so that the scene's signals stop reaching it with the view."""

    def __init__(self, scene: Any, view: QGraphicsView) -> None:
        super().__init__(view)
        self.scene, self._view = scene, view
        self.active = False
        self._elements: dict[str, tuple[str, QRectF]] = {}  # id: (kind, scene rect)
        self._flows: dict[str, tuple[bool, QLineF]] = {}  # id: (crossing, scene line)
        self._picture: QPicture | None = None
        self._sketch: Sketch | None = None  # the overview's, kept until the boxes change
        self.recorded = 0  # pictures recorded (tests)
        scene.document.changed.connect(self._on_change)
        scene.flowsRouted.connect(self._forget_flows)
        scene.selectionChanged.connect(self._forget_picture)

    def update_for(self, zoom: float) -> bool:
        """Take over the drawing (or give it back) for ``zoom``; whether it changed."""
        active = zoom < FAR_LOD and wants_sketch(self.scene)
        self._picture = None  # hairlines are as faint as the zoom makes the items' lines
        if active == self.active:
            return False
        self.active = active
        # the view caches its background while the picture is in it (its grid alone is cheap
        # to draw: a cache would only add a copy to every zoom of a smaller diagram)
        view = self._view
        view.setCacheMode(CACHE if active else QGraphicsView.CacheModeFlag.CacheNone)
        view.resetCachedContent()
        view.viewport().update()
        scene = self.scene
        stores = (scene.boundary_items, scene.flow_items, scene.element_items)
        self._flag([item for store in stores for item in store.values()], active)
        return True

    @staticmethod
    def _flag(items: Iterable[QGraphicsItem], on: bool) -> None:
        for item in items:
            item.setFlag(NO_CONTENTS, on)

    def _zoom(self) -> float:
        return self._view.transform().m11()

    # -- what changed ---------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        self._forget_picture()
        if change.is_reset or change.kind in ("element", "boundary"):
            self._sketch = None
        if change.is_reset:
            self._elements.clear()
            self._flows.clear()
            self.active = False  # all items are new
            self.update_for(self._zoom())
            return
        if change.kind == "element":
            for eid in change.ids:
                self._elements.pop(eid, None)
        elif change.kind == "flow":
            self._forget_flows(change.ids)
        if self.active:  # items made for the change draw nothing here either
            scene = self.scene
            stores = (scene.element_items, scene.flow_items, scene.boundary_items)
            self._flag([s[i] for s in stores for i in change.ids if i in s], True)
            if change.kind in ("element", "boundary"):  # their flows may have been made anew
                self._flag(scene.flow_items.values(), True)

    def _forget_flows(self, flow_ids: Iterable[str]) -> None:
        self._forget_picture()
        for fid in flow_ids:
            self._flows.pop(fid, None)

    def _forget_picture(self) -> None:
        self._picture = None
        if self.active:  # the view's cached background holds the old one
            self._view.resetCachedContent()

    def element_rects(self) -> dict[str, tuple[str, QRectF]]:
        """Each element's kind and box in the scene (the overview's sketch shares them)."""
        return _complete(self._elements, self.scene.element_items, _element_entry)

    def sketch(self) -> Sketch:
        """The overview's sketch of the boxes, kept until an element or a boundary changes."""
        if self._sketch is None:
            self._sketch = Sketch(self.scene, self.element_rects())
        return self._sketch

    # -- drawing --------------------------------------------------------------------------
    def draw(self, painter: QPainter) -> None:
        """The picture of everything but the selected elements (the view's background)."""
        if self._picture is None:
            self._picture = self._record()
            # the overview draws its picture in a turn after the first frame, while a worker
            # derives the threats and every step in Python takes two to four times longer:
            # its sketch is made here, beside the boxes just measured
            self.sketch()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # as the items this far
        painter.drawPicture(0, 0, self._picture)
        painter.restore()

    def draw_selected(self, painter: QPainter) -> None:
        """The selected elements, where their items are (the view's foreground: not cached)."""
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for item in self.scene.selectedItems():
            if hasattr(item, "element_id"):
                painter.setBrush(style.KIND_FILL.get(item.kind, QColor("white")))
                painter.setPen(style.pen(style.SELECTION, 2.2, cosmetic=True))
                painter.drawRect(item.body_rect().translated(item.pos()))
        painter.restore()

    def _record(self) -> QPicture:
        self.recorded += 1
        scene = self.scene
        selected = {id(item) for item in scene.selectedItems()}
        picture = QPicture()
        painter = QPainter(picture)
        # boundaries: a faint tint of their trust, an outline and the title tab
        tints: dict[tuple[int, bool], list[QRectF]] = defaultdict(list)
        tabs: list[QRectF] = []
        for item in scene.boundary_items.values():
            pos = item.pos()
            tints[item.trust, id(item) in selected].append(item.local_rect().translated(pos))
            tabs.append(item.tab_rect().translated(pos))
        zoom = self._zoom()
        for (trust, chosen), rects in tints.items():
            tint = QColor(style.trust_colour(trust))
            tint.setAlpha(14)
            painter.setBrush(tint)
            colour = style.SELECTION if chosen else _faint(style.BOUNDARY, 1.6 * zoom)
            painter.setPen(style.pen(colour, 2.0 if chosen else 1.0, cosmetic=True))
            painter.drawRects(rects)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.BOUNDARY)
        painter.drawRects(tabs)
        # flows: their shafts, a pixel wide (as an item draws them this far out)
        chosen_flows = {i.flow_id for i in scene.selectedItems() if hasattr(i, "flow_id")}
        flows = _complete(self._flows, scene.flow_items, _flow_entry)
        plain: list[QLineF] = []
        crossing: list[QLineF] = []
        chosen: list[QLineF] = []
        for fid, (crosses, line) in flows.items():
            (chosen if fid in chosen_flows else crossing if crosses else plain).append(line)
        for colour, shafts in ((style.FLOW, plain), (style.FLOW_CROSSING, crossing)):
            painter.setPen(style.pen(_faint(colour, 1.5 * zoom), 1.0, cosmetic=True))
            painter.drawLines(shafts)
        painter.setPen(style.pen(style.SELECTION, 2.0, cosmetic=True))
        painter.drawLines(chosen)
        # elements (the selected ones are drawn over the picture, see draw)
        chosen_elements = {i.element_id for i in scene.selectedItems() if hasattr(i, "element_id")}
        boxes: dict[str, list[QRectF]] = defaultdict(list)
        elements = self.element_rects()
        for eid, (kind, rect) in elements.items():
            if eid not in chosen_elements:
                boxes[kind].append(rect)
        for kind, rects in boxes.items():
            painter.setBrush(style.KIND_FILL.get(kind, QColor("white")))
            painter.setPen(style.pen(style.KIND_BORDER.get(kind, style.FLOW), 1.0, cosmetic=True))
            painter.drawRects(rects)
        painter.end()
        return picture


def _faint(colour: QColor, width_px: float) -> QColor:
    """``colour`` for a pixel-wide line standing in for one ``width_px`` wide (an item's line
    a fraction of a pixel wide covers that fraction of the pixels it crosses): mixed with the
    canvas, opaque (blending 10,000 lines cost more than drawing them)."""
    a = min(1.0, max(0.12, 3 * width_px))
    back = style.CANVAS
    return QColor.fromRgbF(
        a * colour.redF() + (1 - a) * back.redF(),
        a * colour.greenF() + (1 - a) * back.greenF(),
        a * colour.blueF() + (1 - a) * back.blueF(),
    )


def _complete(cache: dict[str, Any], items: dict[str, Any], measure: Any) -> dict[str, Any]:
    """``cache`` with an entry for every item of ``items`` (and for no other)."""
    if cache.keys() != items.keys():
        for obj_id in cache.keys() - items.keys():
            del cache[obj_id]
        for obj_id in items.keys() - cache.keys():
            cache[obj_id] = measure(items[obj_id])
    return cache


def _element_entry(item: Any) -> tuple[str, QRectF]:
    return item.kind, item.body_rect().translated(item.pos())


def _flow_entry(item: Any) -> tuple[bool, QLineF]:
    return item.crossing, QLineF(item._shaft)
