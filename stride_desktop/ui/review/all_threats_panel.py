"""Every threat of the model: sortable, filterable table; bulk triage; stale triage decisions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...model.elements import TRIAGE_STATUSES
from ...rules import Threat
from ...rules.delta import ThreatDelta
from ...rules.threat import CATEGORIES, SEVERITIES, SOURCES
from ..commands.review import TriageCommand
from ..document import Document
from .common import STATUS_LABELS, side_by_side, side_column
from .service import ThreatService
from .threat_table import COLUMNS, ThreatFilterProxy, ThreatTableModel
from .triage_bar import TriageBar

EVIDENCE_CHOICES = (
    ("Any evidence", "any"),
    ("Confirmed", "confirmed"),
    ("Verified", "verified"),
    ("No evidence", "none"),
)


class AllThreatsPanel(QWidget):
    targetActivated = Signal(str)  # a row was chosen: select and centre its target

    def __init__(
        self, document: Document, service: ThreatService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document, self.service = document, service
        self.table_model = ThreatTableModel(service, self)
        self.proxy = ThreatFilterProxy(self)
        self.proxy.setSourceModel(self.table_model)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search id, title, target, description…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.combos: dict[str, QComboBox] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.search, 2)
        for name, label, choices in (
            ("category", "All categories", [(c, c) for c in CATEGORIES]),
            ("severity", "All severities", [(s.capitalize(), s) for s in reversed(SEVERITIES)]),
            (
                "status",
                "Any status",
                [("Open (not closed)", "@open"), ("Closed", "@closed")]
                + [(STATUS_LABELS[s].capitalize(), s) for s in TRIAGE_STATUSES],
            ),
            ("source", "All sources", [(s.capitalize(), s) for s in SOURCES]),
            ("evidence", "Evidence: all", list(EVIDENCE_CHOICES)),
        ):
            combo = QComboBox()
            combo.addItem(label, "")
            for text, value in choices:
                combo.addItem(text, value)
            combo.currentIndexChanged.connect(
                lambda _=0, n=name, c=combo: self.proxy.set_filter(n, c.currentData())
            )
            self.combos[name] = combo
            bar.addWidget(combo)
        self.count = QLabel()
        bar.addWidget(self.count)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMNS.index("Threat"), QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 86), (1, 150), (2, 170), (4, 96), (5, 84), (6, 84), (7, 250)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.triage = TriageBar(document, self.selected_threats)
        self.stale_list = QListWidget()
        self.stale_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.stale_label = QLabel()
        self.forget = QPushButton("Forget decision")
        self.forget.setToolTip("Remove the selected stale triage entries from the model")
        self.forget.clicked.connect(self.forget_stale)
        stale_box = side_column(self.stale_label, self.stale_list, self.forget)
        split = side_by_side(self.table, stale_box, (5, 1))
        self.stale_box = stale_box
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.triage)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_count)
        service.threatsChanged.connect(self._on_threats)
        self._update_count()
        self._show_stale()

    # -- API ------------------------------------------------------------------------------
    def set_filter(self, name: str, value: str) -> None:
        combo = self.combos[name]
        combo.setCurrentIndex(combo.findData(value))

    def visible_threats(self) -> list[Threat]:
        return [
            self.table_model.threat(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
            for r in range(self.proxy.rowCount())
        ]

    def selected_threats(self) -> list[Threat]:
        rows = self.table.selectionModel().selectedRows()
        return [self.table_model.threat(self.proxy.mapToSource(i).row()) for i in rows]

    def select_threat(self, threat_id: str) -> bool:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if index.data(Qt.ItemDataRole.UserRole) == threat_id:
                self.table.selectionModel().select(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(index)
                return True
        return False

    def forget_stale(self) -> None:
        ids = [i.data(Qt.ItemDataRole.UserRole) for i in self.stale_list.selectedItems()]
        if ids:
            self.document.push(
                TriageCommand(
                    self.document,
                    ids,
                    status="open",
                    note="",
                    text=f"Forget {len(ids)} stale triage decision(s)",
                )
            )

    # -- refresh --------------------------------------------------------------------------
    def _on_threats(self, delta: ThreatDelta) -> None:
        self._update_count()
        if delta.stale_changed or delta.full:
            self._show_stale()
        if not delta.ids.isdisjoint(t.id for t in self.selected_threats()):
            self.triage.load(self.selected_threats())

    def _show_stale(self) -> None:
        self.stale_list.clear()
        triage = self.document.model.triage
        for tid in self.service.stale:
            entry = triage.get(tid)
            text = tid + (f"  —  {STATUS_LABELS.get(entry.status, entry.status)}" if entry else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, tid)
            item.setToolTip(
                (entry.note if entry and entry.note else "no note")
                + "\nThis decision's threat no longer arises; it is kept until you forget it."
            )
            self.stale_list.addItem(item)
        n = len(self.service.stale)
        self.stale_label.setText(
            f"<b>Stale triage ({n})</b>"
            if n
            else "<b>Stale triage</b><br>"
            "<span style='color:#6B7280'>none: every decision matches a threat</span>"
        )
        self.forget.setEnabled(bool(n))

    def _update_count(self) -> None:
        total = len(self.service.threats)
        shown = self.proxy.rowCount()
        opened = self.service.open_count
        self.count.setText(
            f"{shown} of {total} shown · {opened} open"
            if shown != total
            else f"{total} threats · {opened} open"
        )

    def _on_selection(self) -> None:
        chosen = self.selected_threats()
        self.triage.load(chosen)
        current = self.table.selectionModel().currentIndex()
        if len(chosen) == 1:
            self.targetActivated.emit(chosen[0].target)
        elif current.isValid() and chosen:
            self.targetActivated.emit(
                self.table_model.threat(self.proxy.mapToSource(current).row()).target
            )
