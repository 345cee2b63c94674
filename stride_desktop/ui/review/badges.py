"""Threat badges on the canvas and the highlight of a finding's elements.

Elements have their own badge (``ElementItem.set_badge``); flows and boundaries get a small item
of ours, so their item classes stay about drawing the diagram. A boundary's badge is a child of
its item; a flow's is a top-level item above the elements (a child would stack with its flow,
under the elements it runs between). Each flow or boundary item also carries its
``badge_state`` for the view's zoomed-out labels, which draw the counts below ``BADGE_LOD``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import shiboken6
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from ...model import Change
from ...rules.delta import ThreatDelta
from .. import style
from ..items.badge import badge_tooltip, draw_badge
from .service import ThreatService
from .slices import Slices

RADIUS = 10.0
FLOW_BADGE_Z = 150.0  # above elements (100) and flows (50)
SLICE_ABOVE = 5000  # elements, flows and boundaries to update: more go a slice per turn


def _owned_by(badge: BadgeItem, owner: QGraphicsItem) -> bool:
    """Whether ``badge`` is still the live badge of ``owner`` (a re-made or removed item, or a
    cleared scene, leaves it behind)."""
    return shiboken6.isValid(badge) and shiboken6.isValid(owner) and badge.owner is owner


class BadgeItem(QGraphicsItem):
    """A round count badge coloured by severity, with a yellow dot when evidence confirms."""

    def __init__(self, owner: QGraphicsItem, *, child: bool) -> None:
        super().__init__(owner if child else None)
        self.owner = owner  # the flow or boundary item whose open threats it counts
        self.setZValue(1000 if child else FLOW_BADGE_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.state: tuple[int, str | None, bool] = (0, None, False)

    def set_state(self, count: int, severity: str | None, confirmed: bool) -> None:
        self.state = (count, severity, confirmed)
        self.owner.badge_state = self.state if count else None  # type: ignore[attr-defined]
        self.setVisible(count > 0)
        self.setToolTip(badge_tooltip(count, severity, confirmed) if count else "")
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(-RADIUS - 14, -RADIUS - 2, 2 * RADIUS + 16, 2 * RADIUS + 4)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < style.BADGE_LOD:  # the view draws it at a readable size (zoom_labels)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw_badge(painter, QPointF(0, 0), RADIUS, self.state)


class HaloItem(QGraphicsItem):
    """A glowing outline around an element that the selected finding is attached to."""

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self.rect = rect.adjusted(-8, -8, 8, 8)
        self.setZValue(90)  # under the element, above boundaries
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-3, -3, 3, 3)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#F59E0B"), 3))
        painter.setBrush(QColor(253, 224, 71, 70))
        painter.drawRoundedRect(self.rect, 12, 12)


class BadgeController:
    """Keeps every canvas item's badge in step with the threat service's deltas."""

    def __init__(self, scene: Any, service: ThreatService) -> None:
        self.scene, self.service = scene, service
        self._flow_badges: dict[str, BadgeItem] = {}
        self._boundary_badges: dict[str, BadgeItem] = {}
        self._halos: list[HaloItem] = []
        self._slices = Slices(self._update, parent=scene)
        service.track(self._slices)
        service.threatsChanged.connect(self._on_delta)
        service.document.changed.connect(self._on_change)
        scene.flowsRouted.connect(self.place_flow_badges)  # labels moved: badges follow
        # below BADGE_LOD a badge draws nothing (the view draws the counts): Qt skips such
        # items instead of calling paint() on each (a fifth of a zoomed-out repaint at 1,000)
        self._tiny = False
        for view in scene.views():
            view.zoomChanged.connect(self._zoom_changed)
            self._tiny = view.zoom() < style.BADGE_LOD
        if service.threats:  # (none yet, a large model's derived after the first frame: the
            self.refresh()  # new items have no badges, and walking 20,000 of them took 0.1 s)

    # -- public ---------------------------------------------------------------------------
    def badge_state(self, target_id: str) -> tuple[int, str | None, bool] | None:
        """What the badge of a flow or boundary shows (None: it has none)."""
        badge = self._flow_badges.get(target_id) or self._boundary_badges.get(target_id)
        alive = badge is not None and shiboken6.isValid(badge)
        return badge.state if alive and badge.isVisible() else None

    def badge_pos(self, flow_id: str) -> tuple[float, float] | None:
        badge = self._flow_badges.get(flow_id)
        if badge is None or not shiboken6.isValid(badge):
            return None
        return (badge.pos().x(), badge.pos().y())

    def refresh(self, targets: set[str] | None = None) -> None:
        """Bring the badges of ``targets`` (None: all) in line with the service, now."""
        self._slices.flush()
        self._drop_orphans()
        for work in self._work_for(targets):
            self._update(work)

    @property
    def applying(self) -> bool:
        """Whether badges of the last delta are still being applied (a slice per turn)."""
        return self._slices.busy

    def _work_for(self, targets: set[str] | None) -> list[tuple[str, str]]:
        scene = self.scene
        return [
            (kind, obj_id)
            for kind, items in (
                ("element", scene.element_items),
                ("flow", scene.flow_items),
                ("boundary", scene.boundary_items),
            )
            for obj_id in (items if targets is None else targets & items.keys())
        ]

    def _update(self, work: tuple[str, str]) -> None:
        """The badge of one element, flow or boundary (gone since it was queued: nothing)."""
        kind, obj_id = work
        scene, service = self.scene, self.service
        if kind == "element":
            item = scene.element_items.get(obj_id)
            if item is None:
                return
            count, _severity, _confirmed = state = service.badge(obj_id)
            if item.badge_state() != (state if count else None):
                item.set_badge(*state)
            tip = item.toolTip().split("<hr>")[0]
            item.setToolTip(tip + "<hr>" + badge_tooltip(*state) if count else tip)
        elif kind == "flow":
            badge = self._sync_child(scene.flow_items, self._flow_badges, obj_id)
            if badge is not None:
                badge.setPos(scene.flow_items[obj_id].badge_anchor())
        else:
            badge = self._sync_child(scene.boundary_items, self._boundary_badges, obj_id)
            if badge is not None:
                tab = scene.boundary_items[obj_id].tab_rect()
                badge.setPos(tab.right() + RADIUS + 18, tab.center().y())

    def place_flow_badges(self, flow_ids: Iterable[str] | None = None) -> None:
        """Put flow badges next to their labels (all, or those of ``flow_ids``)."""
        badges = (
            list(self._flow_badges.items())
            if flow_ids is None
            else [(f, self._flow_badges[f]) for f in flow_ids if f in self._flow_badges]
        )
        for flow_id, badge in badges:
            item = self.scene.flow_items.get(flow_id)
            if item is None or not _owned_by(badge, item):
                continue  # dropped with the orphans at the next change
            badge.setPos(item.badge_anchor())

    # -- internals ------------------------------------------------------------------------
    def _zoom_changed(self, zoom: float) -> None:
        tiny = zoom < style.BADGE_LOD
        if tiny != self._tiny:
            self._tiny = tiny
            for badge in (*self._flow_badges.values(), *self._boundary_badges.values()):
                if shiboken6.isValid(badge):
                    badge.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, tiny)

    def _on_delta(self, delta: ThreatDelta) -> None:
        work = self._work_for(None if delta.full else delta.targets)
        if len(work) <= SLICE_ABOVE and not self._slices.busy:
            self._drop_orphans()
            for one in work:
                self._update(one)
        else:  # a large model's derivation: a slice per event-loop turn
            self._drop_orphans()
            self._slices.add(work)

    def _on_change(self, change: Change) -> None:
        if change.is_reset:  # the scene was cleared: our items went with it
            self._slices.clear()
            self._flow_badges.clear()
            self._boundary_badges.clear()
            self._halos.clear()
        elif change.kind == "flow" and change.action == "remove":
            self._drop_orphans()

    def _drop_orphans(self) -> None:
        """Take away the flow badges whose flow item is gone (a child goes with its parent)."""
        for flow_id, badge in list(self._flow_badges.items()):
            item = self.scene.flow_items.get(flow_id)
            if item is None or not _owned_by(badge, item):
                if shiboken6.isValid(badge) and badge.scene() is self.scene:
                    self.scene.removeItem(badge)
                del self._flow_badges[flow_id]

    def _badge_for(
        self, store: dict[str, BadgeItem], obj_id: str, owner: QGraphicsItem
    ) -> BadgeItem:
        badge = store.get(obj_id)
        if badge is None or not _owned_by(badge, owner):
            flow = obj_id in self.scene.flow_items
            badge = BadgeItem(owner, child=not flow)
            badge.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, self._tiny)
            store[obj_id] = badge
            if flow:
                self.scene.addItem(badge)
                badge.setPos(owner.badge_anchor())  # type: ignore[attr-defined]
        return badge

    def _sync_child(
        self, items: dict[str, Any], store: dict[str, BadgeItem], obj_id: str
    ) -> BadgeItem | None:
        """Bring the badge of one flow or boundary in line with the service; the badge it
        kept or made (None: it has none)."""
        item = items.get(obj_id)
        if item is None:
            return None
        state = self.service.badge(obj_id)
        if not state[0] and obj_id not in store:
            return None
        badge = self._badge_for(store, obj_id, item)
        if badge.state != state:
            badge.set_state(*state)
        return badge

    # -- finding highlight ----------------------------------------------------------------
    def highlight(self, element_ids: list[str]) -> None:
        for halo in self._halos:
            if halo.scene() is self.scene:
                self.scene.removeItem(halo)
        self._halos = []
        for element_id in element_ids:
            item = self.scene.element_items.get(element_id)
            if item is None:
                continue
            halo = HaloItem(item.mapRectToScene(item.body_rect()))
            self.scene.addItem(halo)
            self._halos.append(halo)

    @property
    def highlighted(self) -> int:
        return len(self._halos)
