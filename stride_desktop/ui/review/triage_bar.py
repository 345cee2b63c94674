"""Status combo + note + Apply: triage the threats chosen in a panel (one undo step for all)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from ...model.elements import TRIAGE_STATUSES
from ...rules import Threat
from ..commands.review import TriageCommand
from ..document import Document
from .common import STATUS_LABELS


class TriageBar(QWidget):
    def __init__(
        self,
        document: Document,
        selected: Callable[[], list[Threat]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.selected = document, selected
        self.status = QComboBox()
        for status in TRIAGE_STATUSES:
            self.status.addItem(STATUS_LABELS[status].capitalize(), status)
        self.status.setToolTip("Triage status of the selected threats")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note (why, who, when)…")
        self.note.setClearButtonEnabled(True)
        self.note.returnPressed.connect(self.apply)
        self.apply_button = QPushButton("Apply")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.apply_button)
        self.load([])

    def load(self, threats: list[Threat]) -> None:
        """Show the decision of the chosen threats (the shared one, or blank when they differ)."""
        self.setEnabled(bool(threats))
        statuses = {t.status for t in threats}
        notes = {t.note for t in threats}
        self.status.setCurrentIndex(
            max(0, self.status.findData(statuses.pop() if len(statuses) == 1 else "open"))
        )
        self.note.setText(notes.pop() if len(notes) == 1 else "")
        self.note.setPlaceholderText(
            "Note (why, who, when)…"
            if len(threats) <= 1
            else f"Note for all {len(threats)} threats…"
        )
        self.apply_button.setText("Apply" if len(threats) <= 1 else f"Apply to {len(threats)}")

    def set_status(self, status: str) -> None:
        self.status.setCurrentIndex(self.status.findData(status))

    def apply(self) -> None:
        threats = self.selected()
        if not threats:
            return
        self.document.push(
            TriageCommand(
                self.document,
                [t.id for t in threats],
                status=self.status.currentData(),
                note=self.note.text(),
            )
        )
