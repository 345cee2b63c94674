"""Context menus of the canvas: on elements, flows and boundaries, and on the empty canvas.

A right click on an item that is not selected selects it alone first (as file managers do);
the menu key or Shift+F10 opens the menu of the selection, under it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QAction, QContextMenuEvent
from PySide6.QtWidgets import QMenu

from .commands import MoveCommand
from .connect_from import ConnectFromTool, choose_target
from .palette import SECTIONS
from .placement import free_spot
from .tools import add_boundary, connect

if TYPE_CHECKING:
    from .main_window import MainWindow

NEW_BOUNDARY = (480.0, 320.0)


class CanvasMenus:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.scene, self.view = window.scene, window.view
        self.last_menu: QMenu | None = None  # for tests: the menu shown last
        self.view.context_menu_handler = self.show

    # -- entry ----------------------------------------------------------------------------
    def show(self, event: QContextMenuEvent) -> None:
        keyboard = event.reason() == QContextMenuEvent.Reason.Keyboard
        if keyboard:
            where = self._selection_point()
        else:
            where = self.view.mapToScene(event.pos())
            self._select_under(event.pos())
        menu = self.menu_for(where, keyboard=keyboard)
        self.last_menu = menu
        at = self.view.viewport().mapToGlobal(self.view.mapFromScene(where))
        menu.popup(event.globalPos() if not keyboard else at)

    def _select_under(self, pos: QPoint) -> None:
        item = self.view.itemAt(pos)
        label = self.view.labels.label_at(self.view.mapToScene(pos))
        obj_id = next(
            (
                getattr(item, attr)
                for attr in ("element_id", "flow_id", "boundary_id")
                if item is not None and hasattr(item, attr)
            ),
            None,
        )
        if label is not None and (obj_id is None or hasattr(item, "boundary_id")):
            obj_id = label.obj_id
        if obj_id is None:
            self.scene.clearSelection()
        elif obj_id not in {i for ids in self.scene.selected_ids() for i in ids}:
            self.scene.select_ids([obj_id])

    def _selection_point(self) -> QPointF:
        items = self.scene.selectedItems()
        if not items:
            return self.view.mapToScene(self.view.viewport().rect().center())
        return items[0].sceneBoundingRect().center()

    def menu_for(self, where: QPointF, *, keyboard: bool = False) -> QMenu:
        """The menu for the current selection (or the empty canvas at ``where``)."""
        elements, flows, boundaries = self.scene.selected_ids()
        menu = QMenu(self.view)
        if not (elements or flows or boundaries):
            self._canvas_menu(menu, where)
        else:
            self._items_menu(menu, elements, flows, boundaries, keyboard=keyboard)
        return menu

    # -- items ----------------------------------------------------------------------------
    def _items_menu(
        self,
        menu: QMenu,
        elements: list[str],
        flows: list[str],
        boundaries: list[str],
        *,
        keyboard: bool,
    ) -> None:
        w = self.window
        single = len(elements) + len(flows) + len(boundaries) == 1
        if single:
            menu.addAction(w.act_rename)
        if len(elements) == 1 and single:
            text = "Connect to…" if keyboard else "Connect from Here"
            menu.addAction(text, lambda: self.connect_from(elements[0], choose=keyboard))
        menu.addAction("Show &Threats", lambda: w.show_threats([*elements, *flows, *boundaries]))
        if elements:
            menu.addMenu(self._boundary_menu(elements))
        menu.addAction("Bring to &Front", lambda _=False: self.bring_to_front())
        menu.addSeparator()
        menu.addActions([w.act_copy, w.act_duplicate, w.act_delete])

    def _boundary_menu(self, element_ids: list[str]) -> QMenu:
        model = self.scene.document.model
        sub = QMenu("Set &Boundary", self.view)
        current = {e.boundary for e in model.elements if e.id in element_ids}
        choices = [(None, "None (outside every boundary)")] + [
            (b.id, b.name or b.id) for b in sorted(model.boundaries, key=lambda b: b.name.lower())
        ]
        for boundary_id, name in choices:
            action = sub.addAction(name, lambda b=boundary_id: self.set_boundary(element_ids, b))
            action.setCheckable(True)
            action.setChecked(current == {boundary_id})
        return sub

    def set_boundary(self, element_ids: list[str], boundary_id: str | None) -> None:
        """Make the elements members of ``boundary_id`` (None: of none), moving those that lie
        elsewhere to a free spot inside it (outside every boundary for None): one undo step."""
        scene, doc = self.scene, self.scene.document
        model = doc.model
        memberships: dict[str, str | None] = {}
        positions: dict[str, tuple[float, float]] = {}
        for element_id in element_ids:
            element, item = model.element(element_id), scene.element_items.get(element_id)
            if element is None or item is None:
                continue
            if element.boundary != boundary_id:
                memberships[element_id] = boundary_id
            if scene.innermost_boundary_at(item.pos()) == boundary_id:
                continue  # already drawn there
            spot = self._spot_in(boundary_id, item.pos(), set(element_ids) - {element_id})
            positions[element_id] = (spot.x(), spot.y())
        if memberships or positions:
            name = model.boundary(boundary_id).name if boundary_id else "no boundary"
            doc.push(
                MoveCommand(
                    doc,
                    positions=positions,
                    memberships=memberships,
                    text=f"Set boundary of {len(element_ids)} element(s) to '{name}'",
                )
            )

    def _spot_in(self, boundary_id: str | None, near: QPointF, moving: set[str]) -> QPointF:
        scene = self.scene
        items = scene.boundary_items
        if boundary_id is None:
            if not items:
                return near
            union = QRectF()
            for item in items.values():
                union = union.united(QRectF(*item.scene_rect_tuple()))
            start = QPointF(union.right() + 160, min(max(near.y(), union.top()), union.bottom()))
            return free_spot(scene, start, inside=None, outside=self._frames())
        frame = QRectF(*items[boundary_id].scene_rect_tuple())
        children = [
            QRectF(*item.scene_rect_tuple())
            for bid, item in items.items()
            if bid != boundary_id and frame.contains(QRectF(*item.scene_rect_tuple()))
        ]
        return free_spot(scene, frame.center(), inside=frame, outside=children)

    def _frames(self) -> list[QRectF]:
        return [QRectF(*item.scene_rect_tuple()) for item in self.scene.boundary_items.values()]

    def connect_from(self, element_id: str, *, choose: bool = False) -> None:
        """Draw a flow from ``element_id``: a line follows the pointer to the target (click it;
        Escape cancels), or, from the keyboard, pick the target from a list."""
        if choose:
            target = choose_target(self.window, self.scene.document, element_id)
            if target:
                connect(self.scene, element_id, target)
            return
        self.window.start_tool(ConnectFromTool(self.scene, element_id))

    def bring_to_front(self) -> None:
        """Draw the selection above what overlaps it (the canvas order, not saved in the model)."""
        for item in self.scene.selectedItems():
            peers = [i for i in self.scene.items() if type(i) is type(item) and i is not item]
            top = max((p.zValue() for p in peers), default=item.zValue())
            ceiling = (
                int(item.zValue()) + 0.999
            )  # elements stay above flows, children above parents
            item.setZValue(min(max(item.zValue(), top + 0.001), ceiling))

    # -- the empty canvas -----------------------------------------------------------------
    def _canvas_menu(self, menu: QMenu, where: QPointF) -> None:
        w = self.window
        add = menu.addMenu("&Add Component Here")
        catalog = self.scene.document.catalog
        for platform, title in SECTIONS:
            components = sorted(catalog.by_platform(platform), key=lambda c: c.name.lower())
            if not components:
                continue
            sub = add.addMenu(title)
            for component in components:
                sub.addAction(
                    component.name, lambda c=component.id: self.add_component(c, where)
                ).setToolTip(component.description)
        menu.addAction("Add &Boundary Here", lambda: self.add_boundary(where))
        paste = QAction("&Paste", menu)
        paste.setShortcuts(w.act_paste.shortcuts())
        paste.triggered.connect(lambda: w.editing.paste(at=(where.x(), where.y())))
        menu.addAction(paste)
        menu.addSeparator()
        menu.addActions([w.act_select_all, w.act_fit])

    def add_component(self, component_id: str, where: QPointF) -> str:
        return self.scene.add_component(component_id, free_spot(self.scene, where))

    def add_boundary(self, where: QPointF) -> str:
        w, h = NEW_BOUNDARY
        top_left = self.scene.snap(QPointF(where.x() - w / 2, where.y() - h / 2))
        return add_boundary(self.scene, QRectF(top_left.x(), top_left.y(), w, h))
