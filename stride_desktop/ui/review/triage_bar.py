"""Status, note, owner and ticket + Apply: triage the threats chosen in a panel (one undo step
for all). When a passing check verifies the control of every chosen threat, one click marks
them mitigated."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.status)
        layout.addWidget(self.note, 1)
        layout.addWidget(self.owner)
        layout.addWidget(self.ticket)
        layout.addWidget(self.apply_button)
        layout.addWidget(self.verified_button)
        self.load([])

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
