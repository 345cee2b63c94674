"""Pick an element from a filterable list (assign a finding, connect a flow by keyboard)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .document import Document


class ElementChooserDialog(QDialog):
    def __init__(
        self,
        document: Document,
        *,
        title: str,
        heading: str,
        exclude: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter elements…")
        self.list = QListWidget()
        catalog, skip = document.catalog, set(exclude)
        for e in sorted(document.model.elements, key=lambda e: (e.name or e.id).lower()):
            if e.id in skip:
                continue
            spec = catalog.components.get(e.component)
            item = QListWidgetItem(f"{e.name or e.id}  ·  {spec.name if spec else e.component}")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self.accept)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        head = QLabel(heading)  # rich text: callers escape what they put in it
        head.setWordWrap(True)
        layout.addWidget(head)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(420, 460)

    def _apply_filter(self, text: str) -> None:
        words = text.lower().split()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = not all(w in item.text().lower() for w in words)
            item.setHidden(hidden)
            if not hidden and first is None:
                first = i
        if first is not None and (
            self.list.currentItem() is None or self.list.currentItem().isHidden()
        ):
            self.list.setCurrentRow(first)

    def select(self, element_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == element_id:
                self.list.setCurrentRow(i)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return item.data(Qt.ItemDataRole.UserRole)
