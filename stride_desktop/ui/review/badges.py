"""Threat badges on the canvas and the highlight of a finding's elements.

Elements have their own badge (``ElementItem.set_badge``); flows and boundaries get a small child
item of ours, so their item classes stay about drawing the diagram.
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
from ..items.badge import draw_badge
from .service import ThreatService

RADIUS = 10.0


def badge_tooltip(count: int, severity: str | None, confirmed: bool) -> str:
    text = f"{count} open threat{'s' if count != 1 else ''}, highest {severity}"
    return text + (" · confirmed by bench evidence" if confirmed else "")


def _child_of(badge: QGraphicsItem, parent: QGraphicsItem) -> bool:
    """Whether ``badge`` still hangs on ``parent`` (a re-made or removed item took it along)."""
    return shiboken6.isValid(badge) and badge.parentItem() is parent


class BadgeItem(QGraphicsItem):
    """A round count badge coloured by severity, with a yellow dot when evidence confirms."""

    def __init__(self, parent: QGraphicsItem) -> None:
        super().__init__(parent)
        self.setZValue(1000)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.state: tuple[int, str | None, bool] = (0, None, False)

    def set_state(self, count: int, severity: str | None, confirmed: bool) -> None:
        self.state = (count, severity, confirmed)
        self.setVisible(count > 0)
        self.setToolTip(badge_tooltip(count, severity, confirmed) if count else "")
        self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(-RADIUS - 14, -RADIUS - 2, 2 * RADIUS + 16, 2 * RADIUS + 4)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, lod >= style.TINY_LOD)
        draw_badge(painter, QPointF(0, 0), RADIUS, self.state, lod)


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
        service.threatsChanged.connect(self._on_delta)
        service.document.changed.connect(self._on_change)
        scene.flowsRouted.connect(self.place_flow_badges)  # labels moved: badges follow
        # below DOT_LOD a badge draws nothing: Qt skips such items instead of calling paint()
        # on each (about a fifth of a repaint of the zoomed-out overview at 1,000 elements)
        self._tiny = False
        for view in scene.views():
            view.zoomChanged.connect(self._zoom_changed)
            self._tiny = view.zoom() < style.DOT_LOD
        self.refresh()

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
        """Bring the badges of ``targets`` (None: all) in line with the service."""
        service, scene = self.service, self.scene
        for element_id, item in scene.element_items.items():
            if targets is not None and element_id not in targets:
                continue
            count, _severity, _confirmed = state = service.badge(element_id)
            if item.badge_state() != (state if count else None):
                item.set_badge(*state)
            tip = item.toolTip().split("<hr>")[0]
            item.setToolTip(tip + "<hr>" + badge_tooltip(*state) if count else tip)
        self._sync_children(scene.flow_items, self._flow_badges, targets)
        for boundary_id, badge in self._sync_children(
            scene.boundary_items, self._boundary_badges, targets
        ):
            tab = scene.boundary_items[boundary_id].tab_rect()
            badge.setPos(tab.right() + RADIUS + 18, tab.center().y())
        if targets is None:
            self.place_flow_badges()

    def place_flow_badges(self, flow_ids: Iterable[str] | None = None) -> None:
        """Put flow badges next to their labels (all, or those of ``flow_ids``)."""
        badges = (
            list(self._flow_badges.items())
            if flow_ids is None
            else [(f, self._flow_badges[f]) for f in flow_ids if f in self._flow_badges]
        )
        for flow_id, badge in badges:
            item = self.scene.flow_items.get(flow_id)
            if item is None or not _child_of(badge, item):
                self._flow_badges.pop(flow_id)
                continue
            r = item.label_rect()
            badge.setPos(r.right() + 2, r.top() - 2)

    # -- internals ------------------------------------------------------------------------
    def _zoom_changed(self, zoom: float) -> None:
        tiny = zoom < style.DOT_LOD
        if tiny != self._tiny:
            self._tiny = tiny
            for badge in (*self._flow_badges.values(), *self._boundary_badges.values()):
                if shiboken6.isValid(badge):
                    badge.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, tiny)

    def _on_delta(self, delta: ThreatDelta) -> None:
        self.refresh(None if delta.full else delta.targets)

    def _on_change(self, change: Change) -> None:
        if change.is_reset:  # the scene was cleared: our child items went with it
            self._flow_badges.clear()
            self._boundary_badges.clear()
            self._halos.clear()

    def _badge_for(
        self, store: dict[str, BadgeItem], obj_id: str, parent: QGraphicsItem
    ) -> BadgeItem:
        badge = store.get(obj_id)
        if badge is None or not _child_of(badge, parent):
            badge = BadgeItem(parent)
            badge.setFlag(QGraphicsItem.GraphicsItemFlag.ItemHasNoContents, self._tiny)
            store[obj_id] = badge
            if obj_id in self.scene.flow_items:
                r = parent.label_rect()  # type: ignore[attr-defined]
                badge.setPos(r.right() + 2, r.top() - 2)
        return badge

    def _sync_children(
        self, items: dict[str, Any], store: dict[str, BadgeItem], targets: set[str] | None
    ) -> list[tuple[str, BadgeItem]]:
        """Bring the child badges of ``items`` (flows or boundaries) in line with the service;
        returns the badges it kept or made, for placing."""
        kept = []
        for obj_id, item in items.items():
            if targets is not None and obj_id not in targets:
                continue
            state = self.service.badge(obj_id)
            if state[0] or obj_id in store:
                badge = self._badge_for(store, obj_id, item)
                if badge.state != state:
                    badge.set_state(*state)
                kept.append((obj_id, badge))
        return kept

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
