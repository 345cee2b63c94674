"""Threats of the canvas selection: a sortable, searchable list, the chosen threat in full, and
triage in place."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...model import Change
from ...rules import Threat
from ...rules.delta import ThreatDelta
from ...rules.hardening import residual_severity
from ...rules.threat import CATEGORIES
from ..document import Document
from .common import (
    STATUS_LABELS,
    evidence_label,
    is_untriaged,
    row_of,
    severity_icon,
    threat_html,
)
from .contradiction_bar import ContradictionBar
from .service import ThreatService
from .triage_bar import TriageBar

COLUMNS = ("Severity", "Category", "Threat", "Status")
NARROW_LIST = 520  # px: below this the Category column gives way to the title
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ORDER = {s: i for i, s in enumerate(STATUS_LABELS)}


def sort_keys(t: Threat) -> tuple[Any, ...]:
    """Per column: severity (open first among equals), category, title, status."""
    return (
        (t.severity_rank, t.is_open),
        CATEGORIES.index(t.category) if t.category in CATEGORIES else 9,
        t.title.lower(),
        STATUS_ORDER.get(t.status, 9),
    )


class ThreatItem(QTreeWidgetItem):
    """A row that sorts by its column's key, not by the text shown ("critical" > "low")."""

    def __lt__(self, other: QTreeWidgetItem) -> bool:
        column = self.treeWidget().sortColumn() if self.treeWidget() else 0
        mine, theirs = self.data(column, SORT_ROLE), other.data(column, SORT_ROLE)
        if mine is None or theirs is None or mine == theirs:
            return str(self.data(0, Qt.ItemDataRole.UserRole)) < str(
                other.data(0, Qt.ItemDataRole.UserRole)
            )
        return bool(mine < theirs)


class ThreatsPanel(QWidget):
    nextUntriagedRequested = Signal()  # the "Next untriaged" button

    def __init__(
        self, document: Document, service: ThreatService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document, self.service = document, service
        self.targets: list[str] = []
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSortingEnabled(True)
        self.tree.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.tree.setMinimumHeight(60)
        self.setFocusProxy(self.tree)
        header = self.tree.header()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        for col in (0, 1, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemSelectionChanged.connect(self._on_threat_selection)
        self.tree.installEventFilter(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search these threats…")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(
            "Show only the threats whose title, category, id or note has all the words"
        )
        self.search.textChanged.connect(lambda _: self._apply_search())
        self.next_button = QPushButton("Next untriaged")
        self.next_button.setToolTip(
            "Select the next threat without a triage decision (F8); past the last one of this "
            "selection, the next element that has one"
        )
        self.next_button.clicked.connect(self.nextUntriagedRequested)
        self.detail = QTextBrowser()
        self.detail.setOpenExternalLinks(True)
        self.detail.setMinimumHeight(40)
        self.triage = TriageBar(document, self.selected_threats)
        self.contradictions = ContradictionBar(document)
        split = QSplitter(Qt.Orientation.Vertical)
        self.split = split
        split.addWidget(self.tree)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.custom_button = QPushButton("Custom threats…")
        self.custom_button.setToolTip("Add, edit or delete threats of your own")
        self.custom_button.clicked.connect(self.open_custom_threats)
        self.search.setMaximumWidth(220)
        layout.addWidget(row_of(self.header, self.search, self.next_button, self.custom_button))
        layout.addWidget(self.contradictions)
        layout.addWidget(split, 1)
        layout.addWidget(self.triage)
        service.threatsChanged.connect(self._on_delta)
        document.changed.connect(self._on_change)
        self.refresh()

    def resizeEvent(self, event: object) -> None:
        # docked below the canvas the panel is wide and short: list and detail side by side
        wide = self.width() > 1.6 * self.height()
        self.split.setOrientation(Qt.Orientation.Horizontal if wide else Qt.Orientation.Vertical)
        super().resizeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.tree and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """A narrow list gives the title the room: the category is in the detail beside it."""
        self.tree.setColumnHidden(1, self.tree.width() < NARROW_LIST)

    # -- API ------------------------------------------------------------------------------
    def open_custom_threats(self) -> None:
        from .custom_threats import CustomThreatsDialog

        dialog = CustomThreatsDialog(
            self.document, target=self.targets[0] if self.targets else None, parent=self
        )
        dialog.exec()
        dialog.deleteLater()

    def set_targets(self, target_ids: list[str]) -> None:
        self.targets = list(target_ids)
        self.refresh()

    def threats(self) -> list[Threat]:
        return self.service.threats_of(self.targets)

    def shown_threat_ids(self) -> list[str]:
        """The ids of the rows shown, in their order (the search hides rows)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if not item.isHidden():
                out.append(item.data(0, Qt.ItemDataRole.UserRole))
        return out

    def next_untriaged(self) -> bool:
        """Select the next shown threat without a decision after the current one (wrapping);
        False when there is none."""
        triage = self.document.model.triage
        shown = self.shown_threat_ids()
        if not shown:
            return False
        current = self.tree.currentItem()
        start = (
            shown.index(current.data(0, Qt.ItemDataRole.UserRole)) + 1
            if current is not None and current.data(0, Qt.ItemDataRole.UserRole) in shown
            else 0
        )
        for tid in shown[start:] + shown[:start]:
            threat = self.service.by_id.get(tid)
            if threat is not None and is_untriaged(threat, triage):
                self.select_threats([tid])
                return True
        return False

    def _apply_search(self) -> None:
        words = self.search.text().lower().split()
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            threat = self.service.by_id.get(item.data(0, Qt.ItemDataRole.UserRole))
            hay = (
                " ".join((threat.id, threat.title, threat.category, threat.status, threat.note))
                if threat
                else ""
            ).lower()
            item.setHidden(not all(w in hay for w in words))

    def selected_threats(self) -> list[Threat]:
        ids = [item.data(0, Qt.ItemDataRole.UserRole) for item in self.tree.selectedItems()]
        return [self.service.by_id[i] for i in ids if i in self.service.by_id]

    def select_threats(self, threat_ids: list[str]) -> None:
        wanted = set(threat_ids)
        self.tree.blockSignals(True)
        self.tree.clearSelection()
        first = None
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) in wanted:
                item.setSelected(True)
                first = first or item
        if first is not None:
            self.tree.setCurrentItem(first, 0, self.tree.selectionModel().SelectionFlag.NoUpdate)
        self.tree.blockSignals(False)
        if first is not None:
            self.tree.scrollToItem(first)
        self._on_threat_selection()

    # -- refresh --------------------------------------------------------------------------
    def _on_delta(self, delta: ThreatDelta) -> None:
        if delta.full or not delta.targets.isdisjoint(self.targets):
            self.refresh()

    def _on_change(self, change: Change) -> None:
        if change.is_reset or not set(change.ids).isdisjoint(self.targets):
            self.header.setText(self._title() + self._summary())  # a rename shows at once
        if change.touches("element", "bench_run", "finding"):  # what a contradiction compares
            self.contradictions.load(self.targets)

    def _title(self) -> str:
        m = self.document.model
        if not self.targets:
            return "<span style='color:#6B7280'>Select an element, flow or boundary to see its threats.</span>"
        if len(self.targets) > 1:
            return f"<b>{len(self.targets)} objects selected</b>"
        tid = self.targets[0]
        obj = m.element(tid) or m.flow(tid) or m.boundary(tid)
        kind = "element" if m.element(tid) else "flow" if m.flow(tid) else "boundary"
        name = (getattr(obj, "name", "") or tid) if obj is not None else tid
        return f"<b>{escape(name)}</b> <span style='color:#6B7280'>{kind}</span>"

    def _summary(self) -> str:
        if not self.targets:
            return ""
        threats = self.threats()
        opened = sum(1 for t in threats if t.is_open)
        confirmed = sum(1 for t in threats if t.confirmed)
        return f" — {len(threats)} threats, {opened} open" + (
            f", {confirmed} confirmed by evidence" if confirmed else ""
        )

    def refresh(self) -> None:
        keep = [t.id for t in self.selected_threats()]
        threats = self.threats()
        self.header.setText(self._title() + self._summary())
        self.contradictions.load(self.targets)
        self.tree.blockSignals(True)
        self.tree.setSortingEnabled(False)  # sorted once, after the rows are in
        self.tree.clear()
        for t in threats:
            item = ThreatItem(
                [t.severity, t.category, t.title, STATUS_LABELS.get(t.status, t.status)]
            )
            item.setIcon(0, severity_icon(t.severity, t.confirmed))
            item.setData(0, Qt.ItemDataRole.UserRole, t.id)
            for column, key in enumerate(sort_keys(t)):
                item.setData(column, SORT_ROLE, key)
            item.setToolTip(
                2, f"{t.title}\n{t.id}" + (f"\nevidence: {evidence_label(t)}" if t.evidence else "")
            )
            if not t.is_open:
                for col in range(len(COLUMNS)):
                    item.setForeground(col, self.palette().placeholderText())
            self.tree.addTopLevelItem(item)
        self.tree.setSortingEnabled(True)
        self._apply_search()
        current = None
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) in keep)
            if item.isSelected() and current is None:
                current = item
        shown = [
            self.tree.topLevelItem(i)
            for i in range(self.tree.topLevelItemCount())
            if not self.tree.topLevelItem(i).isHidden()
        ]
        if current is None and shown:
            current = shown[0]
            current.setSelected(True)
        if current is not None:
            self.tree.setCurrentItem(current, 0, self.tree.selectionModel().SelectionFlag.NoUpdate)
        self.tree.blockSignals(False)
        self._on_threat_selection()

    def _on_threat_selection(self) -> None:
        chosen = self.selected_threats()
        self.triage.load(chosen)
        if len(chosen) == 1:
            threat = chosen[0]
            entry = self.document.model.triage.get(threat.id)
            plan = {h.finding: h for h in self.document.model.hardening}
            self.detail.setHtml(
                threat_html(
                    threat,
                    owner=entry.owner if entry else "",
                    ticket=entry.ticket if entry else "",
                    residual=residual_severity(threat, plan, done_only=True) if plan else None,
                )
            )
        elif chosen:
            self.detail.setHtml(
                f"<p><b>{len(chosen)} threats selected.</b> Set a status and a note "
                "below to triage them all in one step.</p>"
            )
        else:
            self.detail.setHtml("")
