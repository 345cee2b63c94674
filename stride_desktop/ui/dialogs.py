"""Dialogs: the problems of a bad model file, the new-model chooser, the unsaved-changes prompt."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..paths import models_dir


class ProblemsDialog(QDialog):
    """Lists every problem of a file that could not be opened, each with its path in the file."""

    def __init__(self, source: str, problems: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cannot open model")
        self.problems = list(problems)
        layout = QVBoxLayout(self)
        heading = QLabel(
            f"<b>{Path(source).name}</b> could not be opened; the current model is "
            f"unchanged.<br>{len(problems)} problem{'s' if len(problems) != 1 else ''} "
            f"in <code>{source}</code>:"
        )
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.list = QListWidget()
        for problem in problems:
            self.list.addItem(QListWidgetItem(problem))
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(640, 320)


def template_paths() -> list[Path]:
    folder = models_dir()
    return sorted(folder.glob("*.yaml")) if folder else []


class NewModelDialog(QDialog):
    """Choose a blank model or one of the example models as a template."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New model")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Start from:"))
        self.list = QListWidget()
        self.list.addItem("Blank model")
        self.templates = template_paths()
        for path in self.templates:
            self.list.addItem(f"Template: {path.stem.replace('-', ' ')}")
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen_template(self) -> Path | None:
        row = self.list.currentRow()
        return self.templates[row - 1] if row > 0 else None


def ask_save_changes(parent: QWidget, name: str) -> str:
    """'save', 'discard' or 'cancel'."""
    buttons = (
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel
    )
    answer = QMessageBox.warning(
        parent,
        "Unsaved changes",
        f"Save the changes to {name} before closing it?",
        buttons,
        QMessageBox.StandardButton.Save,
    )
    if answer == QMessageBox.StandardButton.Save:
        return "save"
    if answer == QMessageBox.StandardButton.Discard:
        return "discard"
    return "cancel"
