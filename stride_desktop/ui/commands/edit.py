"""Editing one field of an element, flow, boundary or the model, and typed element properties."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from ..document import Document

_MERGE_ID = 0x5EED  # consecutive edits of the same field (typing in a box) merge into one step
TARGET_KINDS = ("element", "flow", "boundary", "model")


class EditFieldCommand(QUndoCommand):
    """Set ``field`` of the object ``target_id`` of ``kind`` (or of the model itself)."""

    def __init__(
        self,
        document: Document,
        kind: str,
        target_id: str,
        field: str,
        value: Any,
        *,
        text: str = "",
    ) -> None:
        assert kind in TARGET_KINDS, kind
        self.document, self.kind, self.target_id, self.field = document, kind, target_id, field
        self.new = copy.deepcopy(value)
        self.old = copy.deepcopy(self._get())
        label = "name" if field == "name" else field.replace("_", " ")
        what = f"'{self._object_name()}'" if kind != "model" else "model"
        super().__init__(
            text
            or (
                f"Rename {what}"
                if field == "name" and kind != "model"
                else f"Change {label} of {what}"
            )
        )

    def _object(self) -> Any:
        m = self.document.model
        return (
            {"element": m.element, "flow": m.flow, "boundary": m.boundary}[self.kind](
                self.target_id
            )
            if self.kind != "model"
            else m
        )

    def _object_name(self) -> str:
        obj = self._object()
        return getattr(obj, "name", "") or self.target_id

    def _get(self) -> Any:
        return getattr(self._object(), self.field)

    def _set(self, value: Any) -> None:
        value = copy.deepcopy(value)
        doc = self.document
        if self.kind == "element":
            doc.set_element_field(self.target_id, self.field, value)
        elif self.kind == "flow":
            doc.set_flow_field(self.target_id, self.field, value)
        elif self.kind == "boundary":
            doc.set_boundary_field(self.target_id, self.field, value)
        else:
            doc.set_model_field(self.field, value)

    def redo(self) -> None:
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditFieldCommand) or self.field in ("boundary", "parent"):
            return False
        same = (other.kind, other.target_id, other.field) == (self.kind, self.target_id, self.field)
        if same and isinstance(self.new, str) and isinstance(other.new, str):
            self.new = other.new
            return True
        return False


class SetPropertyCommand(QUndoCommand):
    """Set a catalog-typed property of an element (``None`` resets it to the default)."""

    def __init__(
        self, document: Document, element_id: str, name: str, value: Any, *, text: str = ""
    ) -> None:
        self.document, self.element_id, self.name = document, element_id, name
        element = document.model.element(element_id)
        assert element is not None, element_id
        self.new = copy.deepcopy(value)
        self.old = copy.deepcopy(element.properties.get(name))
        component = document.catalog.components.get(element.component)
        spec = component.property(name) if component else None
        label = spec.label if spec and spec.label else name
        super().__init__(text or f"Set '{label}' of '{element.name or element_id}'")

    def redo(self) -> None:
        self.document.set_element_property(self.element_id, self.name, self.new)

    def undo(self) -> None:
        self.document.set_element_property(self.element_id, self.name, self.old)
