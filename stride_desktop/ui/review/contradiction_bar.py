"""A flag on the selected element when a bench result contradicts the model, with "Fix model".

The fix sets the property to what the check implies, as one undoable command.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ...rules.contradictions import Contradiction, find_contradictions
from ..commands import SetPropertyCommand
from ..document import Document


class ContradictionBar(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.contradictions: list[Contradiction] = []
        self.buttons: list[QPushButton] = []
        self.rows = QVBoxLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.setVisible(False)

    def load(self, target_ids: list[str]) -> None:
        """Flag the contradictions of the selected elements (hidden when there are none)."""
        wanted = set(target_ids)
        model = self.document.model
        found = (
            [
                c
                for c in find_contradictions(model, catalog=self.document.catalog)
                if c.element in wanted
            ]
            if wanted and model.bench_runs
            else []
        )
        if found == self.contradictions:
            return
        self.contradictions = found
        while self.rows.count():
            item = self.rows.takeAt(0)
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.buttons = []
        for c in found:
            self.rows.addWidget(self._row(c))
        self.setVisible(bool(found))

    def _row(self, c: Contradiction) -> QWidget:
        row = QWidget()
        row.setObjectName("contradiction")
        row.setStyleSheet(
            "#contradiction { background: #FEF3C7; border: 1px solid #F59E0B; border-radius: 4px; }"
        )
        text = QLabel(f"<b>⚑ Bench result contradicts the model.</b> {escape(c.message)}")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        button = QPushButton("Fix model")
        button.setToolTip(f"Set {c.label} of {c.element_name} to {c.fix!r} (undoable)")
        button.clicked.connect(lambda _=False, c=c: self.fix(c))
        self.buttons.append(button)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(text, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
        return row

    def fix(self, c: Contradiction) -> None:
        element = self.document.model.element(c.element)
        if element is None:
            return
        self.document.push(
            SetPropertyCommand(
                self.document,
                c.element,
                c.property_name,
                c.fix,
                text=f"Fix '{c.label}' of '{c.element_name}' ({c.tool} {c.check})",
            )
        )
