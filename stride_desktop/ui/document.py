"""The open model, its file and its undo stack. The only writer of the model.

Commands call the mutators of ``model.edits.ModelEditor``; each mutation emits ``changed`` once,
carrying the typed ``Change`` it made (loading another model emits a reset), so the scene, the
inspector and the threat service mirror the model without polling it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..io import default_catalog
from ..model import Catalog, Change, Element, Model
from ..model.edits import ModelEditor


class Document(QObject, ModelEditor):
    changed = Signal(object)  # model.Change: one per mutation, and a reset for another model
    pathChanged = Signal(str)
    modifiedChanged = Signal(bool)

    def __init__(
        self,
        model: Model | None = None,
        *,
        path: str | Path | None = None,
        catalog: Catalog | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalog = catalog or default_catalog()
        self.model = model or Model()
        self.path: Path | None = Path(path) if path else None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._forced_modified = False

    def report(self, change: Change) -> None:
        self.changed.emit(change)

    def _clean_changed(self, clean: bool) -> None:
        self.modifiedChanged.emit(not clean or self._forced_modified)

    # -- whole document -------------------------------------------------------------------
    def set_model(
        self, model: Model, *, path: str | Path | None = None, modified: bool = False
    ) -> None:
        self.model = model
        self.undo_stack.clear()
        self.set_path(path)
        self._forced_modified = modified
        self.report(Change.reset())
        self.modifiedChanged.emit(self.is_modified)

    def set_path(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None
        self.pathChanged.emit(str(self.path or ""))

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean() or self._forced_modified

    def mark_saved(self) -> None:
        self._forced_modified = False
        self.undo_stack.setClean()
        self.modifiedChanged.emit(False)

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def new_id(self, prefix: str) -> str:
        return self.model.new_id(prefix)

    def kind_of(self, element: Element) -> str:
        try:
            return self.catalog.kind_of(element.component).value
        except KeyError:
            return "process"
