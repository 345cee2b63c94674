"""Status, note, owner and ticket + Apply: triage the threats chosen in a panel (one undo step
for all). When a passing check verifies the control of every chosen threat, one click marks
them mitigated."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QGridLayout, QLineEdit, QPushButton, QWidget

from ...model.elements import TRIAGE_STATUSES
from ...rules import Threat
from ..commands.review import TriageCommand
from ..document import Document
from .common import STATUS_LABELS


def _shared(values: set[str]) -> str:
    return values.pop() if len(values) == 1 else ""


def verified_note(threats: list[Threat]) -> str:
    checks = sorted(
        {link.check_id or link.title for t in threats for link in t.evidence if link.verifies}
    )
    return "control verified by passing check " + ", ".join(checks)


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
        self.owner = QLineEdit()
        self.owner.setPlaceholderText("Owner")
        self.owner.setMaximumWidth(110)
        self.ticket = QLineEdit()
        self.ticket.setPlaceholderText("Ticket")
        self.ticket.setMaximumWidth(110)
        for edit in (self.note, self.owner, self.ticket):
            edit.returnPressed.connect(self.apply)
        self.apply_button = QPushButton("Apply")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.verified_button = QPushButton("Mitigated ✓")
        self.verified_button.setToolTip(
            "A passing check verifies the control: mark the selected threats mitigated"
        )
        self.verified_button.clicked.connect(self.mark_verified)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.stacked = True
        self.set_stacked(False)
        self.load([])

    def set_stacked(self, stacked: bool) -> None:
        """One row (under a table), or two columns (beside one): status and Apply, the note,
        owner and ticket."""
        if stacked == self.stacked:
            return
        self.stacked = stacked
        grid = self._grid
        widgets = (
            self.status,
            self.note,
            self.owner,
            self.ticket,
            self.apply_button,
            self.verified_button,
        )
        for widget in widgets:
            grid.removeWidget(widget)
        for column in range(len(widgets)):
            grid.setColumnStretch(column, 0)
        if stacked:
            grid.addWidget(self.status, 0, 0)
            grid.addWidget(self.apply_button, 0, 1)
            grid.addWidget(self.note, 1, 0, 1, 2)
            grid.addWidget(self.owner, 2, 0)
            grid.addWidget(self.ticket, 2, 1)
            grid.addWidget(self.verified_button, 3, 0, 1, 2)
            grid.setColumnStretch(0, 1)
        else:
            for column, widget in enumerate(widgets):
                grid.addWidget(widget, 0, column)
            grid.setColumnStretch(1, 1)  # the note takes the room

    def load(self, threats: list[Threat]) -> None:
        """Show the decision of the chosen threats (the shared one, or blank when they differ)."""
        self.setEnabled(bool(threats))
        triage = self.document.model.triage
        entries = [triage.get(t.id) for t in threats]
        statuses = {t.status for t in threats}
        self.status.setCurrentIndex(
            max(0, self.status.findData(statuses.pop() if len(statuses) == 1 else "open"))
        )
        values = {
            "note": {t.note for t in threats},
            "owner": {e.owner if e else "" for e in entries},
            "ticket": {e.ticket if e else "" for e in entries},
        }
        # a field whose value differs among the chosen threats is kept unless typed into
        self._varies = {name for name, found in values.items() if len(found) > 1}
        for name, found in values.items():
            getattr(self, name).setText(_shared(found))
        for name in ("owner", "ticket"):
            getattr(self, name).setPlaceholderText(
                "(varies)" if name in self._varies else name.capitalize()
            )
        self.note.setPlaceholderText(
            "Note (why, who, when)…"
            if len(threats) <= 1
            else f"Note for all {len(threats)} threats…"
        )
        self.apply_button.setText("Apply" if len(threats) <= 1 else f"Apply to {len(threats)}")
        offer = bool(threats) and all(t.verified and t.is_open for t in threats)
        self.verified_button.setVisible(offer)

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
                note=self._typed("note"),
                owner=self._typed("owner"),
                ticket=self._typed("ticket"),
            )
        )

    def _typed(self, name: str) -> str | None:
        """The field's text, or None (keep each threat's own) when it varies and is left blank."""
        text = getattr(self, name).text().strip()
        return None if not text and name in self._varies else text

    def mark_verified(self) -> None:
        """One click: the threats whose control a passing check verifies become mitigated."""
        threats = [t for t in self.selected() if t.verified]
        if not threats:
            return
        self.document.push(
            TriageCommand(
                self.document,
                [t.id for t in threats],
                status="mitigated",
                note=self.note.text() or verified_note(threats),
                text=f"Mark {len(threats)} verified threat{'s' if len(threats) != 1 else ''} "
                "mitigated",
            )
        )
