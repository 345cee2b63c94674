"""Custom threats in the editor: a form to write one, a dialog to add, edit and delete them, and
the one-click "make a custom threat" from a failing check no threat names. Every change is one
undo step (CustomThreatCommand)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...bench.remediation import remediation_for
from ...model import SEVERITY_LEVELS, STRIDE_CATEGORIES, Change, CustomThreat
from ...rules.custom import new_custom_id, threat_from_check
from ..commands.custom import CustomThreatCommand
from ..document import Document


def _label(name: str, item_id: str) -> str:
    return item_id if not name or name == item_id else f"{name}  ({item_id})"


class CustomThreatForm(QDialog):
    """Title, target (element or flow), STRIDE category, severity, description, mitigation."""

    def __init__(
        self, document: Document, custom: CustomThreat, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Custom threat")
        self.custom = custom
        model = document.model
        self.target = QComboBox()
        for e in model.elements:
            self.target.addItem(_label(e.name, e.id), e.id)
        for f in model.flows:
            self.target.addItem("flow " + _label(f.name, f.id), f.id)
        self.target.setCurrentIndex(max(0, self.target.findData(custom.target)))
        self.title = QLineEdit(custom.title)
        self.title.setPlaceholderText("What can go wrong, in one line")
        self.category = QComboBox()
        self.category.addItems(list(STRIDE_CATEGORIES))
        self.category.setCurrentText(custom.category)
        self.severity = QComboBox()
        self.severity.addItems(list(SEVERITY_LEVELS))
        self.severity.setCurrentText(custom.severity)
        self.description = QPlainTextEdit(custom.description)
        self.mitigation = QPlainTextEdit(custom.mitigation)
        for edit in (self.description, self.mitigation):
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(70)
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Element or flow", self.target)
        form.addRow("STRIDE category", self.category)
        form.addRow("Severity", self.severity)
        form.addRow("Description", self.description)
        form.addRow("Mitigation", self.mitigation)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.title.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self._check()
        self.resize(480, 380)

    def _check(self) -> None:
        ok = bool(self.title.text().strip()) and self.target.count() > 0
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def value(self) -> CustomThreat:
        return dataclasses.replace(
            self.custom,
            target=self.target.currentData(),
            title=self.title.text().strip(),
            category=self.category.currentText(),
            severity=self.severity.currentText(),
            description=self.description.toPlainText().strip(),
            mitigation=self.mitigation.toPlainText().strip(),
        )


def edit_custom_threat(
    document: Document, custom: CustomThreat, parent: QWidget | None = None
) -> bool:
    """Show the form; on OK push the add or edit command. Returns whether anything changed."""
    form = CustomThreatForm(document, custom, parent)
    try:
        if form.exec() != QDialog.DialogCode.Accepted:
            return False
        new = form.value()
    finally:
        form.deleteLater()
    if new == custom and any(c.id == custom.id for c in document.model.custom_threats):
        return False
    document.push(CustomThreatCommand(document, custom.id, new))
    return True


def threat_from_finding(document: Document, finding_id: str) -> CustomThreat | None:
    """Make a failing check a custom threat in one undo step; None when it names no element."""
    found = document.model.find_finding(finding_id)
    if found is None:
        return None
    run, finding = found
    try:
        custom = threat_from_check(
            document.model, finding_id, remediation=remediation_for(run, finding)
        )
    except ValueError:
        return None
    document.push(CustomThreatCommand(document, custom.id, custom))
    return custom


class CustomThreatsDialog(QDialog):
    """The model's custom threats: add, edit, delete."""

    def __init__(
        self, document: Document, *, target: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Custom threats")
        self.document, self.default_target = document, target
        self.list = QListWidget()
        self.list.itemSelectionChanged.connect(self._update)
        self.list.itemDoubleClicked.connect(lambda _: self.edit_selected())
        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(close)
        document.changed.connect(self._on_change)
        self.refresh()
        self.resize(520, 320)

    def _on_change(self, change: Change) -> None:
        if change.touches("custom_threat"):
            self.refresh()

    def refresh(self) -> None:
        keep = self.selected_id()
        self.list.clear()
        for c in self.document.model.custom_threats:
            item = QListWidgetItem(f"[{c.severity}] {c.title}  — {c.category}, on {c.target}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setToolTip(c.threat_id)
            self.list.addItem(item)
            item.setSelected(c.id == keep)
        self._update()

    def selected_id(self) -> str | None:
        items = self.list.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def _update(self) -> None:
        chosen = self.selected_id() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def add(self) -> bool:
        model = self.document.model
        target = self.default_target or (model.elements[0].id if model.elements else "")
        blank = CustomThreat(id=new_custom_id(model), target=target, title="")
        return edit_custom_threat(self.document, blank, self)

    def edit_selected(self) -> bool:
        custom = next(
            (c for c in self.document.model.custom_threats if c.id == self.selected_id()), None
        )
        return edit_custom_threat(self.document, custom, self) if custom else False

    def delete_selected(self) -> bool:
        custom_id = self.selected_id()
        if custom_id is None:
            return False
        self.document.push(CustomThreatCommand(self.document, custom_id, None))
        return True
