"""The hardening plan: failing checks grouped into actions by the threat they would close and
ranked by the risk they remove (rules.hardening); the chosen checks with note, owner, due date
and state, and the residual severity of the threats once the plan is done."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...model import PLAN_STATES, Change
from ...rules.delta import ThreatDelta
from ...rules.hardening import Action, Suggestion, rank_actions, residuals, threats_addressed
from ..commands.review import HardeningAddCommand, HardeningEditCommand, HardeningRemoveCommand
from ..document import Document
from .common import chip_icon, row_of, severity_colour, side_by_side, side_column
from .service import ThreatService

ROLE = Qt.ItemDataRole.UserRole
NO_DATE = QDate(2000, 1, 1)  # the date edit's minimum, shown as "no due date"


def _tree(headers: tuple[str, ...], stretch: int, *, nested: bool = False) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(headers)
    tree.setRootIsDecorated(nested)
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
        self.actions: list[Action] = []
        self.suggestions: list[Suggestion] = []
        self.suggest_tree = _tree(("Risk", "Action / check", "Where", "Closes"), 1, nested=True)
        for col, width in ((0, 86), (2, 130), (3, 70)):
            self.suggest_tree.setColumnWidth(col, width)
        self.suggest_tree.itemSelectionChanged.connect(self._update_buttons)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Plan note: what will be done…")
        self.note.returnPressed.connect(self.add_selected)
        self.add_button = QPushButton("Add to plan")
        self.add_button.clicked.connect(self.add_selected)
        self.suggest_label = QLabel()
        self.suggest_label.setWordWrap(True)
        left = side_column(
            self.suggest_label, self.suggest_tree, row_of(self.note, self.add_button)
        )
        self.plan_tree = _tree(("Check", "Finding", "Owner", "Due", "State", "Residual"), 1)
        for col, width in ((0, 56), (2, 80), (3, 80), (4, 80), (5, 120)):
            self.plan_tree.setColumnWidth(col, width)
        self.plan_tree.itemSelectionChanged.connect(self._on_plan_selection)
        self.plan_note = QLineEdit()
        self.plan_note.setPlaceholderText("Note of the selected plan item…")
        self.plan_note.returnPressed.connect(self.save_plan)
        self.plan_owner = QLineEdit()
        self.plan_owner.setPlaceholderText("Owner")
        self.plan_owner.setMaximumWidth(110)
        self.plan_due = QDateEdit()
        self.plan_due.setCalendarPopup(True)
        self.plan_due.setDisplayFormat("yyyy-MM-dd")
        self.plan_due.setMinimumDate(NO_DATE)
        self.plan_due.setSpecialValueText("no due date")
        self.plan_state = QComboBox()
        for state in PLAN_STATES:
            self.plan_state.addItem(state.replace("_", " "), state)
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save_plan)
        self.remove_button = QPushButton("Remove from plan")
        self.remove_button.clicked.connect(self.remove_selected)
        self.plan_label = QLabel()
        self.plan_label.setWordWrap(True)
        footer = QWidget()
        rows = QVBoxLayout(footer)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.addWidget(row_of(self.plan_note, self.plan_owner, self.plan_due, self.plan_state))
        rows.addWidget(row_of(QWidget(), self.save_button, self.remove_button))
        right = side_column(self.plan_label, self.plan_tree, footer)
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

    def _check_items(self) -> list[QTreeWidgetItem]:
        items = []
        for i in range(self.suggest_tree.topLevelItemCount()):
            top = self.suggest_tree.topLevelItem(i)
            items += [top.child(j) for j in range(top.childCount())]
        return items

    def select_suggestions(self, finding_ids: list[str]) -> None:
        wanted = set(finding_ids)
        self.suggest_tree.clearSelection()
        for item in self._check_items():
            item.setSelected(item.data(0, ROLE) in wanted)

    def select_action(self, index: int) -> None:
        self.suggest_tree.clearSelection()
        self.suggest_tree.topLevelItem(index).setSelected(True)

    def select_plan(self, finding_ids: list[str]) -> None:
        wanted = set(finding_ids)
        for i in range(self.plan_tree.topLevelItemCount()):
            item = self.plan_tree.topLevelItem(i)
            item.setSelected(item.data(0, ROLE) in wanted)

    def selected_checks(self) -> list[str]:
        """Finding ids of the selected checks and of every check of a selected action."""
        ids: list[str] = []
        for item in self.suggest_tree.selectedItems():
            if item.parent() is None:
                ids += [item.child(j).data(0, ROLE) for j in range(item.childCount())]
            else:
                ids.append(item.data(0, ROLE))
        return list(dict.fromkeys(ids))

    def add_selected(self, note: str | None = None) -> int:
        """Add the selected checks (not yet planned) with the note; one undo step."""
        note = self.note.text().strip() if note is None else note
        planned = set(self.planned())
        ids = [i for i in self.selected_checks() if i not in planned]
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
        ids = [i.data(0, ROLE) for i in self.plan_tree.selectedItems()]
        doc, stack = self.document, self.document.undo_stack
        if len(ids) > 1:
            stack.beginMacro(f"Remove {len(ids)} findings from the hardening plan")
        for fid in ids:
            doc.push(HardeningRemoveCommand(doc, fid))
        if len(ids) > 1:
            stack.endMacro()
        return len(ids)

    def save_plan(self) -> bool:
        """Save note, owner, due date and state of the selected plan item (one undo step)."""
        ids = [i.data(0, ROLE) for i in self.plan_tree.selectedItems()]
        if len(ids) != 1:
            return False
        entry = next(h for h in self.document.model.hardening if h.finding == ids[0])
        due = self.plan_due.date()
        new = {
            "note": self.plan_note.text().strip(),
            "owner": self.plan_owner.text().strip(),
            "due": "" if due == NO_DATE else due.toString("yyyy-MM-dd"),
            "state": self.plan_state.currentData(),
        }
        changed = {k: v for k, v in new.items() if getattr(entry, k) != v}
        if not changed:
            return False
        self.document.push(HardeningEditCommand(self.document, ids[0], **changed))
        return True

    # -- refresh --------------------------------------------------------------------------
    def _on_threats(self, delta: ThreatDelta) -> None:
        # actions rank findings by the threats they confirm: nothing to do unless one of
        # those changed (or their triage did)
        if delta.full or delta.has_evidence():
            self.service.later(self.refresh)  # (ranking 28,000 threats: ~20 ms)

    def _on_change(self, change: Change) -> None:
        if change.touches("hardening", "bench_run", "finding"):
            self.refresh()

    def refresh(self) -> None:
        model = self.document.model
        self.actions = rank_actions(model, self.service.threats)
        self.suggestions = [s for a in self.actions for s in a.suggestions]
        planned = set(self.planned())
        keep = set(self.selected_checks())
        tree = self.suggest_tree
        tree.blockSignals(True)
        tree.clear()
        names = {e.id: e.name or e.id for e in model.elements}
        for action in self.actions:
            tree.addTopLevelItem(self._action_item(action, planned, keep, names))
        tree.expandAll()
        tree.blockSignals(False)
        top = [a for a in self.actions if a.closes][:3]
        self.suggest_label.setText(
            f"<b>Suggestions</b> — {len(self.suggestions)} failing checks in "
            f"{len(self.actions)} actions, ranked by the risk they remove"
            + (f"; the top {len(top)} close {len(top)} different threats" if len(top) > 1 else "")
            if self.suggestions
            else "<b>Suggestions</b> — no failing finding yet: import a bench run"
        )
        self._refresh_plan()
        self._update_buttons()

    def _action_item(
        self, action: Action, planned: set[str], keep: set[str], names: dict[str, str]
    ) -> QTreeWidgetItem:
        closes = len(action.closes)
        title = f"{action.threat.title}" if action.threat else "Confirms no open threat"
        item = QTreeWidgetItem(
            [
                f"−{action.risk_removed}" if action.threat else "–",
                title,
                ", ".join(action.elements) or "—",
                f"{closes} threat{'s' if closes != 1 else ''}" if closes else "—",
            ]
        )
        item.setIcon(0, chip_icon(severity_colour(action.severity).name()))
        item.setToolTip(
            1, "\n".join(t.id for t in action.closes) or "no open threat is confirmed by it"
        )
        for s in action.suggestions:
            child = QTreeWidgetItem(
                [
                    "✔ plan" if s.finding_id in planned else "",
                    f"{s.check}  {s.finding.title}",
                    ", ".join(names.get(e, e) for e in s.finding.elements[:4]),
                    f"{s.open_threats} open" if s.threats else "",
                ]
            )
            child.setData(0, ROLE, s.finding_id)
            child.setToolTip(
                1,
                f"{s.finding_id}\n{s.finding.title}"
                + (f"\n\nRemediation: {s.finding.remediation}" if s.finding.remediation else ""),
            )
            if s.finding_id in planned:
                for col in range(4):
                    child.setForeground(col, self.palette().placeholderText())
            item.addChild(child)
            child.setSelected(s.finding_id in keep)
        return item

    def _refresh_plan(self) -> None:
        model = self.document.model
        done = residuals(model, self.service.threats, done_only=True)
        projected = residuals(model, self.service.threats, done_only=False)
        by_id = self.service.by_id
        keep = {i.data(0, ROLE) for i in self.plan_tree.selectedItems()}
        self.plan_tree.blockSignals(True)
        self.plan_tree.clear()
        for entry in model.hardening:
            found = model.find_finding(entry.finding)
            check = (found[1].check_id or found[1].key) if found else "?"
            title = found[1].title if found else f"{entry.finding} (finding no longer in the model)"
            lowered = [t for t in entry.threats if t in projected and t in by_id]
            residual = ", ".join(
                f"{by_id[t].severity} → {projected[t]}" + (" ✔" if t in done else "")
                for t in lowered[:2]
            ) + (f" +{len(lowered) - 2}" if len(lowered) > 2 else "")
            item = QTreeWidgetItem(
                [
                    check,
                    title,
                    entry.owner,
                    entry.due,
                    entry.state.replace("_", " "),
                    residual or "—",
                ]
            )
            item.setData(0, ROLE, entry.finding)
            item.setToolTip(1, f"{entry.finding}\n{entry.note}".strip())
            item.setToolTip(5, "\n".join(entry.threats) or "no linked threat")
            self.plan_tree.addTopLevelItem(item)
            item.setSelected(entry.finding in keep)
        self.plan_tree.blockSignals(False)
        n = len(model.hardening)
        finished = sum(h.done for h in model.hardening)
        self.plan_label.setText(
            f"<b>Hardening plan</b> — {n} check{'s' if n != 1 else ''} chosen, {finished} done; "
            "residual: the threat's severity once every check confirming it is fixed"
        )
        self._on_plan_selection()

    def _update_buttons(self) -> None:
        planned = set(self.planned())
        fresh = [i for i in self.selected_checks() if i not in planned]
        self.add_button.setEnabled(bool(fresh))
        self.add_button.setText("Add to plan" if len(fresh) <= 1 else f"Add {len(fresh)} to plan")

    def _on_plan_selection(self) -> None:
        items = self.plan_tree.selectedItems()
        one = len(items) == 1
        self.remove_button.setEnabled(bool(items))
        for widget in (self.save_button, self.plan_note, self.plan_owner, self.plan_due):
            widget.setEnabled(one)
        self.plan_state.setEnabled(one)
        entry = (
            next(
                (h for h in self.document.model.hardening if h.finding == items[0].data(0, ROLE)),
                None,
            )
            if one
            else None
        )
        self.plan_note.setText(entry.note if entry else "")
        self.plan_owner.setText(entry.owner if entry else "")
        self.plan_due.setDate(
            QDate.fromString(entry.due, "yyyy-MM-dd") if entry and entry.due else NO_DATE
        )
        self.plan_state.setCurrentIndex(
            max(0, self.plan_state.findData(entry.state if entry else "planned"))
        )
