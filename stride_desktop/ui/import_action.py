"""File ▸ Import Compose / Kubernetes… and dropping such files onto the window.

Files are told apart by content (a model opens, a compose file or manifests import). Into an
empty window the import opens as a new, unsaved model; into a model being worked on, the person
chooses between updating it (a re-import that keeps layout, triage, bench runs and hand-drawn
additions, undone in one step) and opening the import as a new model. Notices and the
re-import's summary are listed in a dialog that does not block the window.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..importers import COMPOSE, KUBERNETES, ImporterError, ImportResult, import_files, sniff
from ..importers.reimport import ReimportSummary, reimport
from ..model import Change, Element, Model
from .document import Document

FILTER = "Compose files and manifests (*.yaml *.yml *.json);;All files (*)"


class ReplaceModelCommand(QUndoCommand):
    """Swap the open model's contents for another (a re-import), as one undo step."""

    def __init__(self, document: Document, model: Model, text: str) -> None:
        super().__init__(text)
        self.document = document
        self.other = model

    def _swap(self) -> None:
        current = self.document.model
        for field in dataclasses.fields(Model):
            mine, theirs = getattr(current, field.name), getattr(self.other, field.name)
            setattr(current, field.name, theirs)
            setattr(self.other, field.name, mine)
        self.document.report(Change.reset())

    def redo(self) -> None:
        self._swap()

    def undo(self) -> None:
        self._swap()


class ImportReportDialog(QDialog):
    """What an import noticed or changed, one line each."""

    def __init__(self, title: str, heading: str, lines: list[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.lines = list(lines)
        layout = QVBoxLayout(self)
        label = QLabel(heading)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.list = QListWidget()
        self.list.addItems(self.lines)
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 360)


def editor_sizes(document: Document) -> Any:
    """Box sizes as the canvas draws them (names measured with the editor's fonts)."""
    from .items.element_item import ElementItem

    cache: dict[tuple[str, str], tuple[float, float]] = {}

    def size_of(element: Element) -> tuple[float, float]:
        key = (element.name or element.id, element.component)
        if key not in cache:
            component = document.catalog.components.get(element.component)
            item = ElementItem(element, component, document.kind_of(element))
            rect = item.body_rect()
            cache[key] = (rect.width(), rect.height())
        return cache[key]

    return size_of


def importable(paths: list[str]) -> list[str]:
    """The paths whose content is a compose file or Kubernetes manifests."""
    return [p for p in paths if sniff(p) in (COMPOSE, KUBERNETES)]


class ImportController(QObject):
    """The Import action and the drop hook of one main window."""

    def __init__(self, window: QMainWindow, document: Document) -> None:
        super().__init__(window)
        self.window, self.document = window, document
        self.report: ImportReportDialog | None = None
        self.action = QAction("&Import Compose / Kubernetes…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.action.setStatusTip("Import docker-compose files or Kubernetes manifests as a diagram")
        self.action.triggered.connect(lambda _=False: self.import_dialog())
        self._add_to_file_menu()
        for widget in (window, getattr(window, "view", window).viewport()):
            widget.setAcceptDrops(True)
            widget.installEventFilter(self)

    def _add_to_file_menu(self) -> None:
        bar = self.window.menuBar()
        menu = next((a.menu() for a in bar.actions() if a.text().replace("&", "") == "File"), None)
        if menu is None:
            bar.addAction(self.action)
            return
        actions = menu.actions()
        recent = getattr(self.window, "recent_menu", None)
        anchor = recent.menuAction() if recent is not None else None
        index = actions.index(anchor) + 1 if anchor in actions else len(actions)
        menu.insertAction(actions[index] if index < len(actions) else None, self.action)

    # -- what the person sees --------------------------------------------------------------
    def import_dialog(self) -> None:
        start = str(self.document.path.parent) if self.document.path else ""
        paths, _ = QFileDialog.getOpenFileNames(
            self.window, "Import compose files or manifests", start, FILTER
        )
        if paths:
            self.import_paths(paths)

    def choose_target(self, names: str) -> str | None:
        """'update' the open model, open a 'new' one, or None (cancel)."""
        box = QMessageBox(self.window)
        box.setWindowTitle("Import")
        box.setText(f"Update the open model with {names}, or open the import as a new model?")
        update = box.addButton("Update open model", QMessageBox.ButtonRole.AcceptRole)
        new = box.addButton("New model", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        clicked = box.clickedButton()
        return "update" if clicked is update else "new" if clicked is new else None

    def show_report(self, title: str, heading: str, lines: list[str]) -> None:
        if self.report is not None:
            self.report.close()
        self.report = ImportReportDialog(title, heading, lines, self.window)
        self.report.open()  # window-modal but not blocking: the diagram stays visible

    # -- the work --------------------------------------------------------------------------
    def import_paths(self, paths: list[str]) -> ImportResult | None:
        names = ", ".join(Path(p).name for p in paths)
        try:
            result = import_files(
                paths, catalog=self.document.catalog, size_of=editor_sizes(self.document)
            )
        except ImporterError as exc:
            self.show_report(
                "Cannot import",
                f"<b>{names}</b> could not be imported; the open model is unchanged.",
                exc.lines,
            )
            return None
        status = self.window.statusBar()
        model = self.document.model
        target = "new" if not (model.elements or model.boundaries) else self.choose_target(names)
        if target is None:
            return None
        if target == "update":
            summary = self.update_model(result, names)
            status.showMessage(
                f"Re-imported {names}: {len(summary.added)} added, {len(summary.removed)} removed, {len(summary.changed)} changed",
                8000,
            )
            notes = [str(n) for n in result.notices]
            self.show_report(
                "Re-import",
                f"<b>{names}</b>: what changed in the open model",
                summary.lines() + notes,
            )
            return result
        files = getattr(self.window, "files", None)
        if files is not None and not files.maybe_save():
            return None
        self.document.set_model(result.model, path=None, modified=True)
        status.showMessage(
            f"Imported {names}: {len(result.model.elements)} elements, {len(result.model.flows)} flows",
            8000,
        )
        if result.warnings:
            self.show_report(
                "Import",
                f"<b>{names}</b> imported with {len(result.warnings)} warning(s):",
                [str(n) for n in result.notices],
            )
        return result

    def update_model(self, result: ImportResult, names: str) -> ReimportSummary:
        merged, summary = reimport(
            self.document.model,
            result,
            catalog=self.document.catalog,
            size_of=editor_sizes(self.document),
        )
        self.document.push(ReplaceModelCommand(self.document, merged, f"Re-import {names}"))
        return summary

    # -- drops -----------------------------------------------------------------------------
    def _paths(self, event: Any) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return importable([u.toLocalFile() for u in mime.urls() if u.isLocalFile()])

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        paths = self._paths(event)
        if not paths:
            return False
        event.acceptProposedAction()  # type: ignore[attr-defined]
        if kind == QEvent.Type.Drop:
            self.import_paths(paths)
        return True


def install_import(window: QMainWindow, document: Document) -> ImportController:
    """Add File ▸ Import… and the drop hook to ``window`` (once)."""
    existing = getattr(window, "importer", None)
    if isinstance(existing, ImportController):
        return existing
    controller = ImportController(window, document)
    window.importer = controller  # type: ignore[attr-defined]
    return controller
