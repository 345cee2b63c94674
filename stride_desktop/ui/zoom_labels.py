"""Names, titles and badges at a readable size when the diagram is zoomed out.

Below ``style.TEXT_LOD`` an element's own name would be smaller than 8 pixels, and below
``style.BADGE_LOD`` a badge's count: the items then leave them out and the view draws them on
top, at a steady screen size, in order of importance: boundary titles, element names (the
selected ones, then the most threatened), threat badges, flow names. A label that would cover one
placed before it is left out (the element keeps its icon; its tool tip still names it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from . import style
from .items import BoundaryItem, ElementItem, FlowItem
from .items.badge import BadgeState, draw_badge
from .items.element_item import MAX_W, wrap_two
from .items.label_placement import _Grid

if TYPE_CHECKING:
    from .view import DiagramView

BADGE_PX = 8.0  # badge radius on screen
PAD_X, PAD_Y = 5.0, 2.0
WRAP_PX = 130.0  # a name wider than this (and than its box) goes onto two lines
DEFER_AT = 200  # elements: from this many, labels follow a zoom instead of slowing it
LATER_MS = 80
CELL_PX = 64.0  # the buckets of the overlap test, in screen pixels
DENSE = 150  # more elements than this in view: one try per name, no flow names
CROWDED_PX = 3000  # less screen room per element than this (px²): no names would fit
REGION_MARGIN = 0.15  # laid out beyond the visible area, so a short scroll needs no new layout
DRAW_ORDER = {"boundary": 0, "flow": 1, "element": 2, "badge": 3}


@cache
def fonts() -> dict[str, QFont]:  # made on first use: fonts need the QApplication
    return {
        "element": style.ui_font(8.0, bold=True),
        "compact": style.ui_font(7.0, bold=True),  # a second try where the name did not fit
        "boundary": style.ui_font(7.5, bold=True),
        "flow": style.ui_font(7.0, bold=True),
    }


@cache
def metrics(kind: str) -> QFontMetricsF:
    return QFontMetricsF(fonts()[kind])


@cache
def text_size(kind: str, lines: tuple[str, ...]) -> tuple[float, float]:
    """A label's size on screen (pixels): measured once per text, whatever the zoom."""
    fm = metrics(kind)
    return (
        max(fm.horizontalAdvance(line) for line in lines) + 2 * PAD_X,
        fm.height() * len(lines) + 2 * PAD_Y,
    )


@cache
def _one_and_two_lines(name: str, font: str) -> tuple[float, tuple[str, ...]]:
    fm = metrics(font)
    return fm.horizontalAdvance(name), tuple(wrap_two(name, fm)[1])


def name_lines(name: str, box_px: float, font: str = "element") -> tuple[str, ...]:
    """An element's name on one line, or two when it is much wider than its box."""
    width, two = _one_and_two_lines(name, font)
    return two if width > max(WRAP_PX, box_px - 2 * PAD_X) else (name,)


@dataclass(eq=False)  # compared by identity: a label is one mark on the canvas
class Label:
    kind: str  # element, boundary, flow, badge
    obj_id: str
    rect: QRectF  # scene coordinates (its size is fixed on screen, so it depends on the zoom)
    lines: tuple[str, ...] = ()
    fill: QColor | None = None
    border: QColor | None = None
    ink: QColor | None = None
    badge: BadgeState | None = None
    font: str = ""  # a key of fonts(); the kind's own when empty


class ZoomLabels:
    """Lays out and paints the view's zoomed-out labels; cached until the scene or zoom changes."""

    def __init__(self, view: DiagramView) -> None:
        self.view = view
        self.labels: list[Label] = []
        self._zoom = -1.0
        self._dirty = True
        self._region = QRectF()  # the scene area laid out: the visible one and a margin
        self._bounds = QRectF()
        self._bounds_dirty = True  # measured again after an edit (it visits every item)
        self._flow_badges: dict[str, Label] = {}
        self._dense = False
        self._timer = QTimer(view)  # re-laid out once the event loop is back: not mid-rebuild
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._relayout)
        self._later = QTimer(view)  # the labels of a large diagram, once a zoom settles
        self._later.setSingleShot(True)
        self._later.setInterval(LATER_MS)
        self._later.timeout.connect(self._relayout)
        view.scene().changed.connect(self._scene_changed)
        view.scene().selectionChanged.connect(self._scene_changed)
        view.diagram.document.changed.connect(self._model_changed)

    @staticmethod
    def active(zoom: float) -> bool:
        return style.LABEL_MIN_LOD <= zoom < style.BADGE_LOD

    def _scene_changed(self, *_args: object) -> None:
        self._dirty = True
        self._timer.start()

    def _model_changed(self, _change: object) -> None:
        self._bounds_dirty = True

    @property
    def pending(self) -> bool:
        """Labels deferred after a zoom of a large diagram, not laid out yet."""
        return self._later.isActive()

    def settle(self) -> None:
        """Lay the deferred labels out now (and ask for the repaint that shows them)."""
        self._later.stop()
        self._relayout()

    def _relayout(self) -> None:
        if not hasattr(self.view.scene(), "element_items"):
            return  # the scene is being destroyed with the window
        if self.active(self.view.zoom()):
            before = self._signature()
            self.layout()
            if self._signature() != before:  # labels moved beyond the items' own repaint
                self.view.viewport().update()

    def _signature(self) -> list[tuple[str, str, float, float, bool]]:
        return [(b.kind, b.obj_id, b.rect.x(), b.rect.y(), b.fill is None) for b in self.labels]

    # -- layout ---------------------------------------------------------------------------
    def _visible(self) -> QRectF:
        return self.view.mapToScene(self.view.viewport().rect()).boundingRect()

    def layout(self) -> list[Label]:
        """The labels of the visible part of the diagram (and a margin), in placing order."""
        zoom = self.view.zoom()
        visible = self._visible()
        if not self._dirty and zoom == self._zoom and self._region.contains(visible):
            return self.labels
        self._dirty, self._zoom = False, zoom
        self.labels = []
        if not self.active(zoom):
            return self.labels
        mx, my = visible.width() * REGION_MARGIN, visible.height() * REGION_MARGIN
        region = self._region = visible.adjusted(-mx, -my, mx, my)
        scene = self.view.diagram
        if self._bounds_dirty:  # names stay inside the diagram: fit shows them
            self._bounds, self._bounds_dirty = scene.itemsBoundingRect(), False
        near = region.adjusted(-MAX_W, -MAX_W, MAX_W, MAX_W)  # (centres: cheaper than boxes)
        elements = {
            eid: item for eid, item in scene.element_items.items() if near.contains(item.pos())
        }
        grid = _Grid()
        grid.CELL = CELL_PX / zoom  # about a label's size: a bucket holds a few of them
        self._dense = len(elements) > DENSE  # many names in view: first tries only
        room = region.width() * region.height() * zoom * zoom / max(1, len(elements))
        names = zoom < style.TEXT_LOD
        crowded = names and room < CROWDED_PX  # too little room for names: titles and counts
        if names:
            bodies = {eid: item.mapRectToScene(item.body_rect()) for eid, item in elements.items()}
            boxes = _Grid()
            boxes.CELL = grid.CELL
            for body in bodies.values():
                boxes.add(body)
            for bid, boundary in sorted(
                scene.boundary_items.items(), key=lambda kv: (kv[1].zValue(), kv[0])
            ):
                if region.intersects(boundary.sceneBoundingRect()):
                    self._boundary_title(bid, boundary, zoom, grid, boxes)
            ranked = sorted(
                elements.items(),
                key=lambda kv: (not kv[1].isSelected(), -kv[1].badge_count(), kv[0]),
            )
            fonts_tried = ("element",) if self._dense else ("element", "compact")
            for font in fonts_tried if not crowded else ():  # else a smaller font may fit
                named = {b.obj_id for b in self.labels if b.kind == "element"}
                for eid, item in ranked:
                    if eid not in named:
                        self._element_name(eid, item, bodies[eid], boxes, zoom, grid, font)
        flows = {
            fid: item
            for fid, item in scene.flow_items.items()
            if item.line.length() >= 1 and near.contains(item.label_rect().center())
        }
        self._badges(scene, elements, flows, zoom, grid)
        if names and not self._dense and not crowded:  # (a dense view keeps its room)
            for fid, item in flows.items():
                self._flow_name(fid, item, self._flow_badges.get(fid), zoom, grid)
        else:  # names drawn by the items: the counts go at their label's corner
            for fid, badge in self._flow_badges.items():
                badge.rect.moveCenter(flows[fid].badge_anchor())
                self.labels.append(badge)
        return self.labels

    def _chip(self, kind: str, lines: tuple[str, ...], centre: QPointF, zoom: float) -> QRectF:
        w, h = text_size(kind, lines)
        return self._inside(
            QRectF(centre.x() - w / zoom / 2, centre.y() - h / zoom / 2, w / zoom, h / zoom)
        )

    def _inside(self, rect: QRectF) -> QRectF:
        """``rect`` moved inside the diagram's extent (where it sticks out at an edge)."""
        b = self._bounds
        if b.isEmpty():
            return rect
        dx = max(0.0, b.left() - rect.left()) - max(0.0, rect.right() - b.right())
        dy = max(0.0, b.top() - rect.top()) - max(0.0, rect.bottom() - b.bottom())
        return rect.translated(dx, dy)

    def _boundary_title(
        self, bid: str, item: BoundaryItem, zoom: float, grid: _Grid, boxes: _Grid
    ) -> None:
        frame = QRectF(*item.scene_rect_tuple())
        room = frame.width() * zoom - 2 * PAD_X
        text = metrics("boundary").elidedText(item.name, Qt.TextElideMode.ElideRight, room)
        if not text or text == "…":
            return
        chip = self._chip("boundary", (text,), QPointF(), zoom)
        # along the top of the frame like its tab: inside it, or standing on the frame line
        inside, standing = frame.top(), frame.top() - chip.height() + 3 / zoom
        # a nested boundary's title stands on its frame line, in the gap under its parent's
        # top, which leaves the inside for its members; an outer one's stays inside the diagram
        tops = [standing, inside] if item.zValue() > 0 else [inside, standing]
        tops += [frame.top() + k * (chip.height() + 2 / zoom) for k in (1, 2)]  # under a parent's
        step = max(chip.width() / 2, 40 / zoom)
        lefts = [frame.left() + i * step for i in range(8)]
        spots = [
            QRectF(left, top, chip.width(), chip.height())
            for left in lefts
            if left + chip.width() <= frame.right()
            for top in tops
        ]
        free = [s for s in spots if not grid.hits(s)]  # clear of every name placed so far
        chip = next((s for s in free if not boxes.hits(s)), free[0] if free else None)
        if chip is None:  # (over an element's box rather than no title at all)
            return
        colour = style.SELECTION if item.isSelected() else style.BOUNDARY
        self._add(Label("boundary", bid, chip, (text,), colour, None, QColor("white")), grid)

    def _element_name(
        self,
        eid: str,
        item: ElementItem,
        body: QRectF,
        boxes: _Grid,
        zoom: float,
        grid: _Grid,
        font: str,
    ) -> None:
        lines = name_lines(item.name, body.width() * zoom, font)
        variants = [lines]
        two = _one_and_two_lines(item.name, font)[1]
        if len(lines) == 1 and len(two) == 2 and not self._dense:
            variants.append(two)  # narrower on two lines, where one line finds no room
        chip = None  # on the box, else a little beside it (never over another element's box)
        for lines in variants:
            centred = self._chip(font, lines, body.center(), zoom)
            dy = min(centred.height(), body.height()) / 2
            dx = max(0.0, (centred.width() - body.width()) / 2)
            spots = ((0, 0),) if self._dense else ((0, 0), (0, -dy), (0, dy), (dx, 0), (-dx, 0))
            for x, y in spots + ((dx, -dy), (-dx, -dy)) * (not self._dense):
                spot = self._inside(centred.translated(x, y))
                if not grid.hits(spot) and not boxes.hits(spot, ignore=body):
                    chip = spot
                    break
            if chip is not None:
                break
        if chip is None:
            return
        inside = body.contains(chip)
        selected = item.isSelected()
        border = None if inside and not selected else style.KIND_BORDER.get(item.kind, style.FLOW)
        if selected:
            border = style.SELECTION
        fill = style.KIND_FILL.get(item.kind, QColor("white"))
        self._add(Label("element", eid, chip, lines, fill, border, style.TEXT, font=font), grid)

    def _badges(
        self,
        scene: object,
        elements: dict[str, ElementItem],
        flows: dict[str, FlowItem],
        zoom: float,
        grid: _Grid,
    ) -> None:
        """Element and boundary badges at a corner of their name (or box) that covers no other
        name; flow badges on their line, moved onto their name's corner if it shows."""
        named = {b.obj_id: b for b in self.labels if b.kind == "element"}
        titled = {b.obj_id: b.rect for b in self.labels if b.kind == "boundary"}
        r = BADGE_PX / zoom
        for eid, item in elements.items():
            state = item.badge_state()
            if not state:
                continue
            body = item.mapRectToScene(item.body_rect())
            own = named.get(eid)
            box = own.rect.united(body) if own else body
            corner = box.topRight()
            spot = QRectF(corner.x() - r, corner.y() - r, 2 * r, 2 * r)
            if self._dense:  # its corner, no search: a crowded view keeps to what is cheap
                self.labels.append(Label("badge", eid, spot, badge=state))
                continue
            corners = (box.topLeft(), box.bottomRight(), box.bottomLeft())
            spots = [spot] + [QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r) for c in corners]
            ignore = own.rect if own else None
            spot = next((s for s in spots if not grid.hits(s, ignore=ignore)), spots[0])
            self._add(Label("badge", eid, spot, badge=state), grid)
        boundary: BoundaryItem
        for bid, boundary in scene.boundary_items.items():
            if boundary.badge_state and self._region.intersects(boundary.sceneBoundingRect()):
                tab = titled.get(bid, boundary.tab_rect().translated(boundary.pos()))
                centre = QPointF(tab.right() + r + 3 / zoom, tab.center().y())
                rect = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
                self._add(Label("badge", bid, rect, badge=boundary.badge_state), grid)
        self._flow_badges = {
            fid: Label("badge", fid, QRectF(0, 0, 2 * r, 2 * r), badge=flow.badge_state)
            for fid, flow in flows.items()
            if flow.badge_state
        }  # placed with their flow's name: a count without its name would be a stray number

    def _flow_name(
        self, fid: str, item: FlowItem, badge: Label | None, zoom: float, grid: _Grid
    ) -> None:
        chip = self._chip("flow", (item.name,), item.label_rect().center(), zoom)
        if badge is not None:  # a flow's badge sits on its name's top-right corner
            badge.rect.moveCenter(QPointF(chip.right(), chip.top()))
            if grid.hits(chip.united(badge.rect)):
                return
            self.labels.append(badge)
        elif grid.hits(chip):
            return
        colour = style.FLOW_CROSSING if item.crossing else style.FLOW
        if item.isSelected():
            colour = style.SELECTION
        self._add(Label("flow", fid, chip, (item.name,), QColor("white"), colour, style.TEXT), grid)

    def _add(self, label: Label, grid: _Grid) -> None:
        self.labels.append(label)
        grid.add(label.rect.adjusted(-1, -1, 1, 1))

    # -- painting and picking -------------------------------------------------------------
    def paint(self, painter: QPainter, exposed: QRectF) -> None:
        zoom = self.view.zoom()
        if not self.active(zoom):
            return
        if zoom != self._zoom and len(self.view.diagram.element_items) >= DEFER_AT:
            # a large diagram: the zoomed items first, the labels a moment later (a run of
            # zoom steps lays them out once, when it stops)
            self._dirty = True
            self._later.start()
            return
        before = self._signature()
        labels = self.layout()
        if self._signature() != before:  # scrolled past the laid-out area: paint it all again
            self.view.viewport().update()
        if not labels:
            return
        to_view = self.view.viewportTransform()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        for label in sorted(labels, key=lambda b: DRAW_ORDER[b.kind]):
            if not label.rect.intersects(exposed):
                continue
            rect = to_view.mapRect(label.rect)
            if label.kind == "badge":
                draw_badge(painter, rect.center(), rect.width() / 2, label.badge)
                continue
            painter.setPen(QPen(label.border, 1.4) if label.border else Qt.PenStyle.NoPen)
            painter.setBrush(label.fill or QColor("white"))
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(label.ink or style.TEXT)
            painter.setFont(fonts()[label.font or label.kind])
            painter.drawText(
                rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y),
                Qt.AlignmentFlag.AlignCenter,
                "\n".join(label.lines),
            )
        painter.restore()

    def label_at(self, scene_pos: QPointF, *, badges: bool = False) -> Label | None:
        """The topmost name or title label at ``scene_pos`` (or badge, with ``badges``)."""
        if not self.active(self.view.zoom()):
            return None
        for label in sorted(self.layout(), key=lambda b: -DRAW_ORDER[b.kind]):
            if (badges or label.kind != "badge") and label.rect.contains(scene_pos):
                return label
        return None
