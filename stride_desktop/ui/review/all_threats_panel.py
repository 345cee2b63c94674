"""Every threat of the model: sortable, filterable table; bulk triage; stale triage decisions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
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
from .common import STATUS_LABELS, is_untriaged, side_by_side, side_column
from .service import ThreatService
from .threat_table import COLUMNS, ThreatFilterProxy, ThreatTableModel
from .triage_bar import TriageBar

EVIDENCE_CHOICES = (
    ("Any evidence", "any"),
    ("Confirmed", "confirmed"),
    ("Verified", "verified"),
    ("No evidence", "none"),
)


HIDDEN_COLUMNS = ("Source", "Id")  # the title gets the room (the id is in the tool tip)
WIDE = 1100  # a panel this wide has the triage row beside the table, not under it
SIDE_W = 250  # the side column's width when the triage fields are in it
COMBO_CHROME = 44  # a combo box's frame, arrow and padding beyond its text, in pixels


class AllThreatsPanel(QWidget):
    targetActivated = Signal(str)  # a row was chosen: select and centre its target
    nextUntriagedRequested = Signal()  # the "Next untriaged" button

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
        self.search.setMinimumWidth(110)
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
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(5)  # a narrow window keeps every filter in view
            combo.setToolTip(label)
            combo.addItem(label, "")
            for text, value in choices:
                combo.addItem(text, value)
            combo.currentIndexChanged.connect(
                lambda _=0, n=name, c=combo: self.proxy.set_filter(n, c.currentData())
            )
            self.combos[name] = combo
            # room permitting (1366 px), as wide as its longest choice: "All categor" and a bare
            # "Evidence:" said too little; a narrow window still shrinks it to five characters
            longest = max(
                combo.fontMetrics().horizontalAdvance(combo.itemText(i))
                for i in range(combo.count())
            )
            combo.setMaximumWidth(longest + COMBO_CHROME)
            bar.addWidget(combo, 1)
        self.count = QLabel()
        bar.addWidget(self.count)
        self.next_button = QPushButton("Next untriaged")
        self.next_button.setToolTip(
            "Select the next threat (in this order and filter) without a triage decision (F8)"
        )
        self.next_button.clicked.connect(self.nextUntriagedRequested)
        bar.addWidget(self.next_button)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.setMinimumHeight(60)
        self.setFocusProxy(self.table)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMNS.index("Threat"), QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 78), (1, 140), (2, 150), (4, 90), (5, 84), (6, 78), (7, 250)):
            self.table.setColumnWidth(col, width)
        for name in HIDDEN_COLUMNS:
            self.table.setColumnHidden(COLUMNS.index(name), True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._column_menu)
        header.setToolTip("Click to sort; right-click to show or hide columns")
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.triage = TriageBar(document, self.selected_threats)
        self.stale_list = QListWidget()
        self.stale_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.stale_list.setMinimumHeight(30)
        self.stale_label = QLabel()
        self.forget = QPushButton("Forget decision")
        self.forget.setToolTip("Remove the selected stale triage entries from the model")
        self.forget.clicked.connect(self.forget_stale)
        stale_box = side_column(self.stale_label, self.stale_list, self.forget)
        self.stale_box = stale_box
        self.side = QWidget()  # beside the table: triage (on a wide panel) and stale decisions
        self._side_layout = QVBoxLayout(self.side)
        self._side_layout.setContentsMargins(0, 0, 0, 0)
        self._side_layout.addWidget(stale_box, 1)
        self._side_layout.addStretch(0)
        self.side.setMaximumWidth(SIDE_W + 40)
        split = side_by_side(self.table, self.side, (5, 1))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        layout.addWidget(self.triage)
        self._layout = layout
        self.triage_beside = False  # on a wide panel the triage row moves beside the table
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

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.place_triage(self.width() >= WIDE)

    def column_menu(self) -> QMenu:
        """Show or hide columns (all but the threat's title)."""
        menu = QMenu(self)
        for col, name in enumerate(COLUMNS):
            if name == "Threat":
                continue
            action = menu.addAction(name)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(col))
            action.toggled.connect(lambda on, c=col: self.table.setColumnHidden(c, not on))
        return menu

    def _column_menu(self, pos: QPoint) -> None:
        self.column_menu().popup(self.table.horizontalHeader().mapToGlobal(pos))

    def place_triage(self, beside: bool) -> None:
        """The triage row under the table, or beside it (a row more for the table)."""
        if beside == self.triage_beside:
            return
        self.triage_beside = beside
        if beside:
            self._layout.removeWidget(self.triage)
            self._side_layout.insertWidget(0, self.triage)
        else:
            self._side_layout.removeWidget(self.triage)
            self._layout.addWidget(self.triage)
        self.side.setMinimumWidth(SIDE_W if beside else 0)
        self.triage.set_stacked(beside)  # beside the table its fields take two columns
        self.side.setVisible(beside or bool(self.service.stale))

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
            if self.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole) == threat_id:
                self.select_row(r)
                return True
        return False

    def next_untriaged(self) -> bool:
        """Select the next shown row without a triage decision after the current one (wrapping
        round); False when the shown rows have none."""
        rows = self.proxy.rowCount()
        if not rows:
            return False
        triage = self.document.model.triage
        current = self.table.selectionModel().currentIndex()
        start = current.row() + 1 if current.isValid() else 0
        for step in range(rows):
            row = (start + step) % rows
            threat = self.table_model.threat(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if is_untriaged(threat, triage):
                self.select_row(row)
                return True
        return False

    def select_row(self, row: int) -> None:
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

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
        selected = self.selected_threats()  # (none, mostly: then no set of 28,000 ids)
        if selected and not delta.ids.isdisjoint(t.id for t in selected):
            self.triage.load(selected)

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
        self.stale_box.setVisible(bool(n))  # no stale decision: the table takes the width
        self.side.setVisible(bool(n) or self.triage_beside)

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
