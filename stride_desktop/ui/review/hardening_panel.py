"""The hardening plan: failing findings ranked by the threats they confirm; the chosen ones, with notes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...model import Change
from ...rules.delta import ThreatDelta
from ...rules.hardening import Suggestion, suggest_hardening, threats_addressed
from ..commands.review import HardeningAddCommand, HardeningNoteCommand, HardeningRemoveCommand
from ..document import Document
from .common import chip_icon, row_of, severity_colour, side_by_side, side_column
from .service import ThreatService


def _tree(headers: tuple[str, ...], stretch: int) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    header = tree.header()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return tree


class HardeningPanel(QWidget):
    def __init__(
        self, document: Document, service: ThreatService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document, self.service = document, service
        self.suggestions: list[Suggestion] = []
        self.suggest_tree = _tree(("Severity", "Check", "Finding", "Confirms"), 2)
        for col, width in ((0, 80), (1, 56), (3, 130)):
            self.suggest_tree.setColumnWidth(col, width)
        self.suggest_tree.itemSelectionChanged.connect(self._update_buttons)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Plan note: what will be done, by whom, when…")
        self.note.returnPressed.connect(self.add_selected)
        self.add_button = QPushButton("Add to plan")
        self.add_button.clicked.connect(self.add_selected)
        self.suggest_label = QLabel()
        left = side_column(
            self.suggest_label, self.suggest_tree, row_of(self.note, self.add_button)
        )
        self.plan_tree = _tree(("Check", "Finding", "Note", "Threats"), 2)
        for col, width in ((0, 56), (1, 240), (3, 64)):
            self.plan_tree.setColumnWidth(col, width)
        self.plan_tree.itemSelectionChanged.connect(self._on_plan_selection)
        self.plan_note = QLineEdit()
        self.plan_note.setPlaceholderText("Edit the note of the selected plan entry…")
        self.plan_note.returnPressed.connect(self.save_note)
        self.save_button = QPushButton("Save note")
        self.save_button.clicked.connect(self.save_note)
        self.remove_button = QPushButton("Remove from plan")
        self.remove_button.clicked.connect(self.remove_selected)
        self.plan_label = QLabel()
        right = side_column(
            self.plan_label,
            self.plan_tree,
            row_of(self.plan_note, self.save_button, self.remove_button),
        )
        split = side_by_side(left, right, (1, 1))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(split)
        service.threatsChanged.connect(self._on_threats)
        document.changed.connect(self._on_change)
        self.refresh()

    # -- API ------------------------------------------------------------------------------
    def planned(self) -> list[str]:
        return [h.finding for h in self.document.model.hardening]

    def suggestion_ids(self) -> list[str]:
        return [s.finding_id for s in self.suggestions]

    def select_suggestions(self, finding_ids: list[str]) -> None:
        wanted = set(finding_ids)
        for i in range(self.suggest_tree.topLevelItemCount()):
            item = self.suggest_tree.topLevelItem(i)
            item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) in wanted)

    def select_plan(self, finding_ids: list[str]) -> None:
        wanted = set(finding_ids)
        for i in range(self.plan_tree.topLevelItemCount()):
            item = self.plan_tree.topLevelItem(i)
            item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) in wanted)

    def add_selected(self, note: str | None = None) -> int:
        """Add the selected suggestions (not yet planned) with the note; one undo step."""
        note = self.note.text().strip() if note is None else note
        planned = set(self.planned())
        ids = [i.data(0, Qt.ItemDataRole.UserRole) for i in self.suggest_tree.selectedItems()]
        ids = [i for i in ids if i not in planned]
        if not ids:
            return 0
        doc, stack = self.document, self.document.undo_stack
        if len(ids) > 1:
            stack.beginMacro(f"Add {len(ids)} findings to the hardening plan")
        for fid in ids:
            doc.push(
                HardeningAddCommand(
                    doc,
                    fid,
                    note=note,
                    threats=threats_addressed(doc.model, self.service.threats, fid),
                )
            )
        if len(ids) > 1:
            stack.endMacro()
        self.note.clear()
        return len(ids)

    def remove_selected(self) -> int:
        ids = [i.data(0, Qt.ItemDataRole.UserRole) for i in self.plan_tree.selectedItems()]
        doc, stack = self.document, self.document.undo_stack
        if len(ids) > 1:
            stack.beginMacro(f"Remove {len(ids)} findings from the hardening plan")
        for fid in ids:
            doc.push(HardeningRemoveCommand(doc, fid))
        if len(ids) > 1:
            stack.endMacro()
        return len(ids)

    def save_note(self) -> None:
        ids = [i.data(0, Qt.ItemDataRole.UserRole) for i in self.plan_tree.selectedItems()]
        if len(ids) == 1:
            entry = next(h for h in self.document.model.hardening if h.finding == ids[0])
            if entry.note != self.plan_note.text():
                self.document.push(
                    HardeningNoteCommand(self.document, ids[0], self.plan_note.text())
                )

    # -- refresh --------------------------------------------------------------------------
    def _on_threats(self, delta: ThreatDelta) -> None:
        # suggestions rank findings by the threats they confirm: nothing to do unless one of
        # those changed (or their triage did)
        if delta.full or delta.has_evidence():
            self.refresh()

    def _on_change(self, change: Change) -> None:
        if change.touches("hardening", "bench_run", "finding"):
            self.refresh()

    def refresh(self) -> None:
        model = self.document.model
        self.suggestions = suggest_hardening(model, self.service.threats)
        planned = set(self.planned())
        keep = {i.data(0, Qt.ItemDataRole.UserRole) for i in self.suggest_tree.selectedItems()}
        self.suggest_tree.blockSignals(True)
        self.suggest_tree.clear()
        for s in self.suggestions:
            confirms = (
                (
                    f"{len(s.threats)} threat{'s' if len(s.threats) != 1 else ''}"
                    + (f" ({s.open_threats} open)" if s.threats else "")
                )
                if s.threats
                else "—"
            )
            item = QTreeWidgetItem(
                [
                    s.best_severity or "none",
                    s.finding.check_id or s.finding.key,
                    s.finding.title,
                    confirms,
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, s.finding_id)
            item.setIcon(0, chip_icon(severity_colour(s.best_severity).name()))
            item.setToolTip(
                2,
                f"{s.finding_id}\n{s.finding.title}"
                + (f"\n\nRemediation: {s.finding.remediation}" if s.finding.remediation else "")
                + ("\n\nConfirms:\n" + "\n".join(s.threats) if s.threats else ""),
            )
            if s.finding_id in planned:
                item.setText(3, "✔ in plan")
                for col in range(4):
                    item.setForeground(col, self.palette().placeholderText())
            self.suggest_tree.addTopLevelItem(item)
            item.setSelected(s.finding_id in keep)
        self.suggest_tree.blockSignals(False)
        self.suggest_label.setText(
            f"<b>Suggestions</b> — {len(self.suggestions)} failing findings, "
            "most severe confirmed threat first"
            if self.suggestions
            else "<b>Suggestions</b> — no failing finding yet: import a bench run"
        )
        keep_plan = {i.data(0, Qt.ItemDataRole.UserRole) for i in self.plan_tree.selectedItems()}
        self.plan_tree.blockSignals(True)
        self.plan_tree.clear()
        for entry in model.hardening:
            found = model.find_finding(entry.finding)
            check = (found[1].check_id or found[1].key) if found else "?"
            title = found[1].title if found else f"{entry.finding} (finding no longer in the model)"
            item = QTreeWidgetItem([check, title, entry.note, str(len(entry.threats))])
            item.setData(0, Qt.ItemDataRole.UserRole, entry.finding)
            item.setToolTip(1, entry.finding)
            item.setToolTip(3, "\n".join(entry.threats) or "no linked threat")
            self.plan_tree.addTopLevelItem(item)
            item.setSelected(entry.finding in keep_plan)
        self.plan_tree.blockSignals(False)
        self.plan_label.setText(
            f"<b>Hardening plan</b> — {len(model.hardening)} finding"
            f"{'s' if len(model.hardening) != 1 else ''} chosen"
        )
        self._update_buttons()
        self._on_plan_selection()

    def _update_buttons(self) -> None:
        planned = set(self.planned())
        ids = [i.data(0, Qt.ItemDataRole.UserRole) for i in self.suggest_tree.selectedItems()]
        fresh = [i for i in ids if i not in planned]
        self.add_button.setEnabled(bool(fresh))
        self.add_button.setText("Add to plan" if len(fresh) <= 1 else f"Add {len(fresh)} to plan")

    def _on_plan_selection(self) -> None:
        items = self.plan_tree.selectedItems()
        self.remove_button.setEnabled(bool(items))
        self.save_button.setEnabled(len(items) == 1)
        self.plan_note.setEnabled(len(items) == 1)
        self.plan_note.setText(items[0].text(2) if len(items) == 1 else "")
