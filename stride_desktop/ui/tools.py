"""Mouse tools (select, connect, boundary) and the gestures they start.

A gesture starts on a press, moves items ahead of the model while the button is down, and either
ends on release, pushing exactly one command (one drag is one undo step), or is cancelled
(Escape, or another tool chosen), which puts the scene back as the model still has it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPen, QTransform
from PySide6.QtWidgets import QGraphicsLineItem, QGraphicsRectItem, QGraphicsSceneMouseEvent

from ..model import Boundary, Flow
from . import style
from .commands import AddItemsCommand, MoveCommand
from .items import BoundaryItem, ElementItem, FlowItem

if TYPE_CHECKING:
    from .scene import DiagramScene


def _item_at(scene: DiagramScene, pos: QPointF) -> object | None:
    return scene.itemAt(pos, QTransform())


class MoveGesture:
    def __init__(self, scene: DiagramScene, press: QPointF, anchor: object) -> None:
        self.scene, self.press = scene, press
        model = scene.document.model
        selected_b = {i.boundary_id for i in scene.selectedItems() if isinstance(i, BoundaryItem)}
        # moving a boundary moves what it contains: nested boundaries and member elements
        self.boundary_ids = {
            b.id for b in model.boundaries if selected_b & set(model.boundary_chain(b.id))
        }
        self.element_ids = {
            i.element_id for i in scene.selectedItems() if isinstance(i, ElementItem)
        }
        self.element_ids |= {
            e.id
            for e in model.elements
            if self.boundary_ids & set(model.boundary_chain(e.boundary))
        }
        self.items = [scene.element_items[i] for i in self.element_ids] + [
            scene.boundary_items[i] for i in self.boundary_ids
        ]
        self.start = {id(item): QPointF(item.pos()) for item in self.items}
        self.anchor = anchor if anchor in self.items else (self.items[0] if self.items else None)
        self.delta = QPointF()

    def move(self, pos: QPointF) -> None:
        if self.anchor is None:
            return
        origin = self.start[id(self.anchor)]
        self.delta = self.scene.snap(origin + (pos - self.press)) - origin
        for item in self.items:
            item.setPos(self.start[id(item)] + self.delta)

    def cancel(self) -> None:
        for item in self.items:  # elements re-route their flows as they move back
            item.setPos(self.start[id(item)])
        self.delta = QPointF()

    def end(self) -> None:
        if self.delta.isNull() or not self.items:
            return
        scene, model = self.scene, self.scene.document.model
        positions = {
            i: (scene.element_items[i].pos().x(), scene.element_items[i].pos().y())
            for i in self.element_ids
        }
        rects = {i: scene.boundary_items[i].scene_rect_tuple() for i in self.boundary_ids}
        memberships: dict[str, str | None] = {}
        for element_id in self.element_ids:
            element = model.element(element_id)
            if element is not None and element.boundary not in self.boundary_ids:
                memberships[element_id] = scene.innermost_boundary_at(
                    scene.element_items[element_id].pos(), exclude=self.boundary_ids
                )
        parents: dict[str, str | None] = {}
        for boundary_id in self.boundary_ids:
            boundary = model.boundary(boundary_id)
            if boundary is not None and boundary.parent not in self.boundary_ids:
                parents[boundary_id] = scene.innermost_boundary_around(
                    QRectF(*rects[boundary_id]), exclude=self.boundary_ids
                )
        command = MoveCommand(
            scene.document,
            positions=positions,
            rects=rects,
            memberships={k: v for k, v in memberships.items() if v != model.element(k).boundary},  # type: ignore[union-attr]
            parents={k: v for k, v in parents.items() if v != model.boundary(k).parent},
        )  # type: ignore[union-attr]
        scene.document.push(command)
        scene.update_scene_rect()


class ResizeGesture:
    def __init__(self, scene: DiagramScene, item: BoundaryItem) -> None:
        self.scene, self.item = scene, item
        self.original = item.scene_rect_tuple()

    def move(self, pos: QPointF) -> None:
        corner = self.scene.snap(pos)
        self.item.set_size(corner.x() - self.item.pos().x(), corner.y() - self.item.pos().y())

    def cancel(self) -> None:
        self.item.set_size(*self.original[2:])

    def end(self) -> None:
        new = self.item.scene_rect_tuple()
        if new != self.original:
            self.scene.document.push(
                MoveCommand(
                    self.scene.document,
                    rects={self.item.boundary_id: new},
                    text=f"Resize boundary '{self.item.name}'",
                )
            )


class ConnectGesture:
    def __init__(self, scene: DiagramScene, source: ElementItem) -> None:
        self.scene, self.source = scene, source
        self.line = QGraphicsLineItem()
        pen = QPen(style.SELECTION, 1.6, Qt.PenStyle.DashLine)
        self.line.setPen(pen)
        self.line.setZValue(1000)
        self.line.setLine(source.pos().x(), source.pos().y(), source.pos().x(), source.pos().y())
        scene.addItem(self.line)

    def move(self, pos: QPointF) -> None:
        self.line.setLine(self.source.pos().x(), self.source.pos().y(), pos.x(), pos.y())

    def cancel(self) -> None:
        self.scene.removeItem(self.line)

    def end(self, pos: QPointF | None = None) -> str | None:
        self.scene.removeItem(self.line)
        end = self.line.line().p2() if pos is None else pos
        target = next((i for i in self.scene.items(end) if isinstance(i, ElementItem)), None)
        if target is None or target is self.source:
            return None
        return connect(self.scene, self.source.element_id, target.element_id)


def connect(scene: DiagramScene, source_id: str, target_id: str) -> str:
    """Create a flow from ``source_id`` to ``target_id`` (one undo step) and select it."""
    doc = scene.document
    flow = Flow(id=doc.new_id("flow"), source=source_id, target=target_id)
    target = doc.model.element(target_id)
    flow.name = f"to {target.name}" if target else ""
    doc.push(AddItemsCommand(doc, flows=[flow]))
    scene.select_ids([flow.id])
    return flow.id


class BoundaryGesture:
    def __init__(self, scene: DiagramScene, press: QPointF) -> None:
        self.scene, self.press = scene, scene.snap(press)
        self.rect_item = QGraphicsRectItem()
        self.rect_item.setPen(QPen(style.BOUNDARY, 1.5, Qt.PenStyle.DashLine))
        self.rect_item.setBrush(QColor(198, 47, 58, 20))
        self.rect_item.setZValue(1000)
        scene.addItem(self.rect_item)

    def move(self, pos: QPointF) -> None:
        self.rect_item.setRect(QRectF(self.press, self.scene.snap(pos)).normalized())

    def cancel(self) -> None:
        self.scene.removeItem(self.rect_item)

    def end(self) -> str | None:
        rect = self.rect_item.rect()
        self.scene.removeItem(self.rect_item)
        if rect.width() < 60 or rect.height() < 40:
            return None
        return add_boundary(self.scene, rect)


def add_boundary(scene: DiagramScene, rect: QRectF, *, name: str = "Trust boundary") -> str:
    """Add a boundary; what lies inside it (and shares its parent) becomes its member."""
    doc, model = scene.document, scene.document.model
    parent = scene.innermost_boundary_around(rect)
    parent_trust = model.boundary(parent).trust if parent else 0  # type: ignore[union-attr]
    boundary = Boundary(
        id=doc.new_id("boundary"),
        name=name,
        trust=parent_trust + 1,
        parent=parent,
        rect=(rect.x(), rect.y(), rect.width(), rect.height()),
    )
    members = {
        e.id: boundary.id
        for e in model.elements
        if e.boundary == parent and rect.contains(QPointF(*e.pos))
    }
    children = {
        b.id: boundary.id
        for b in model.boundaries
        if b.parent == parent and rect.contains(QRectF(*b.rect))
    }
    doc.undo_stack.beginMacro(f"Add boundary '{name}'")
    doc.push(AddItemsCommand(doc, boundaries=[boundary]))
    if members or children:
        doc.push(MoveCommand(doc, memberships=members, parents=children))
    doc.undo_stack.endMacro()
    scene.select_ids([boundary.id])
    return boundary.id


Gesture = MoveGesture | ResizeGesture | ConnectGesture | BoundaryGesture


class Tool:
    """Base: a tool gets the scene's mouse events first; returning False lets Qt handle them.
    A press may start a gesture, moves update it, the release ends it; ``cancel`` abandons it."""

    name = "tool"
    cursor = Qt.CursorShape.ArrowCursor

    def __init__(self, scene: DiagramScene) -> None:
        self.scene = scene
        self.gesture: Gesture | None = None

    def activate(self) -> None:
        for view in self.scene.views():
            view.viewport().setCursor(self.cursor)

    def deactivate(self) -> None:
        self.cancel()

    def cancel(self) -> bool:
        """Abandon the gesture in progress and put the scene back as the model has it; whether
        there was one."""
        gesture, self.gesture = self.gesture, None
        if gesture is None:
            return False
        gesture.cancel()
        return True

    def press(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False

    def move(self, event: QGraphicsSceneMouseEvent) -> bool:
        if self.gesture is None:
            return False
        self.gesture.move(event.scenePos())
        return True

    def release(self, event: QGraphicsSceneMouseEvent) -> bool:
        if self.gesture is None:
            return False
        gesture, self.gesture = self.gesture, None
        if isinstance(gesture, ConnectGesture):
            gesture.end(event.scenePos())
        else:
            gesture.end()
        return True

    def double_click(self, event: QGraphicsSceneMouseEvent) -> bool:
        return False


class SelectTool(Tool):
    """Click / rubber band to select, drag to move, drag from an element's edge to connect,
    drag a boundary's corner to resize, double-click to rename."""

    name = "select"

    def press(self, event: QGraphicsSceneMouseEvent) -> bool:
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        item = _item_at(self.scene, event.scenePos())
        if item is None:
            return False  # empty canvas: Qt starts the rubber band
        if isinstance(item, ElementItem) and item.port_at(item.mapFromScene(event.scenePos())):
            self.gesture = ConnectGesture(self.scene, item)
            return True
        if isinstance(item, BoundaryItem) and item.in_resize_handle(
            item.mapFromScene(event.scenePos())
        ):
            self.scene.select_ids([item.boundary_id])
            self.gesture = ResizeGesture(self.scene, item)
            return True
        # let Qt do the selection (Ctrl toggles), then drag whatever is selected
        self.scene.default_press(event)
        self._qt_pressed = True
        if isinstance(item, (ElementItem, BoundaryItem)) and item.isSelected():
            self.gesture = MoveGesture(self.scene, event.scenePos(), item)
        return True

    def release(self, event: QGraphicsSceneMouseEvent) -> bool:
        handled = super().release(event)
        if getattr(self, "_qt_pressed", False):
            self._qt_pressed = False
            self.scene.default_release(event)  # click semantics and ungrabbing the item
            return True
        return handled

    def double_click(self, event: QGraphicsSceneMouseEvent) -> bool:
        item = _item_at(self.scene, event.scenePos())
        obj_id = (
            getattr(item, "element_id", None)
            or getattr(item, "flow_id", None)
            or getattr(item, "boundary_id", None)
        )
        if obj_id is None:
            return False
        self.scene.renameRequested.emit(obj_id)
        return True


class ConnectTool(Tool):
    name = "connect"
    cursor = Qt.CursorShape.CrossCursor

    def press(self, event: QGraphicsSceneMouseEvent) -> bool:
        item = _item_at(self.scene, event.scenePos())
        if event.button() == Qt.MouseButton.LeftButton and isinstance(item, ElementItem):
            self.gesture = ConnectGesture(self.scene, item)
        return True


class BoundaryTool(Tool):
    name = "boundary"
    cursor = Qt.CursorShape.CrossCursor

    def press(self, event: QGraphicsSceneMouseEvent) -> bool:
        if event.button() == Qt.MouseButton.LeftButton:
            self.gesture = BoundaryGesture(self.scene, event.scenePos())
        return True

    def release(self, event: QGraphicsSceneMouseEvent) -> bool:
        handled = super().release(event)
        self.scene.toolFinished.emit()
        return handled


__all__ = [
    "BoundaryTool",
    "ConnectTool",
    "FlowItem",
    "SelectTool",
    "Tool",
    "add_boundary",
    "connect",
]
