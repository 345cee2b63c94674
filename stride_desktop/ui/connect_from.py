"""Connect from a chosen element (its context menu): a line follows the pointer until a click on
the target, or, from the keyboard, the target is picked from a list."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QGraphicsSceneMouseEvent, QWidget

from .document import Document
from .element_chooser import ElementChooserDialog
from .tools import ConnectGesture, Tool

if TYPE_CHECKING:
    from .scene import DiagramScene


class ConnectFromTool(Tool):
    """A one-shot tool: the flow starts at ``source_id``; a left click on an element ends it."""

    name = "connect-from"
    cursor = Qt.CursorShape.CrossCursor

    def __init__(self, scene: DiagramScene, source_id: str) -> None:
        super().__init__(scene)
        self.source_id = source_id
        self.flow_id: str | None = None

    def activate(self) -> None:
        super().activate()
        source = self.scene.element_items.get(self.source_id)
        self.gesture = ConnectGesture(self.scene, source) if source is not None else None

    def deactivate(self) -> None:
        self._leaving = True
        super().deactivate()  # cancels the line if it is still drawn

    def cancel(self) -> bool:
        """Escape: the line goes, and so does this one-shot tool (back to select)."""
        cancelled = super().cancel()
        if cancelled and not getattr(self, "_leaving", False):
            self.scene.toolFinished.emit()
        return cancelled

    def press(self, event: QGraphicsSceneMouseEvent) -> bool:
        gesture, self.gesture = self.gesture, None
        if isinstance(gesture, ConnectGesture) and event.button() == Qt.MouseButton.LeftButton:
            self.flow_id = gesture.end(event.scenePos())
        elif gesture is not None:
            gesture.cancel()
        self.scene.toolFinished.emit()
        return True

    def release(self, event: QGraphicsSceneMouseEvent) -> bool:
        return True  # the press ended the gesture


def choose_target(parent: QWidget, document: Document, source_id: str) -> str | None:
    """Ask which element a new flow from ``source_id`` goes to (None when cancelled)."""
    source = document.model.element(source_id)
    name = (source.name or source_id) if source else source_id
    dialog = ElementChooserDialog(
        document,
        title="Connect to",
        heading=f"New flow from <b>{escape(name)}</b> to:",
        exclude=[source_id],
        parent=parent,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.chosen()
