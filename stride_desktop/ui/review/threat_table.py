"""The all-threats table model and its filter proxy (category, severity, status, source, evidence,
text)."""

from __future__ import annotations

from bisect import bisect_left
from functools import partial
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor

from ...rules import Threat
from ...rules.delta import ThreatDelta
from ...rules.threat import CATEGORIES, SEVERITY_RANK
from .common import STATUS_LABELS, evidence_label, severity_icon
from .service import ThreatService
from .slices import Slices

COLUMNS = ("Severity", "Category", "Target", "Threat", "Status", "Source", "Evidence", "Id")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole
CATEGORY_RANK = {c: i for i, c in enumerate(CATEGORIES)}
_Index = QModelIndex | QPersistentModelIndex


# Sort key of each column; only the sorted column's is computed (the evidence label is not free).
COLUMN_KEYS = (
    lambda t: SEVERITY_RANK[t.severity],
    lambda t: CATEGORY_RANK.get(t.category, 9),
    lambda t: t.target_name.lower(),
    lambda t: t.title.lower(),
    lambda t: t.status,
    lambda t: t.source,
    evidence_label,
    lambda t: t.id,
)

INCREMENTAL_LIMIT = 3000  # more changed threats than this: a reset is cheaper than row updates
FEED_ABOVE = 5000  # rows: a reset with more fills them a slice per turn, FEED_CHUNK at a time
FEED_CHUNK = 1000


class _Ordered:
    """A sort key compared in the table's order (reversed when descending), for bisect."""

    __slots__ = ("descending", "key")

    def __init__(self, key: Any, descending: bool) -> None:
        self.key, self.descending = key, descending

    def __lt__(self, other: _Ordered) -> bool:
        return other.key < self.key if self.descending else self.key < other.key


class ThreatTableModel(QAbstractTableModel):
    def __init__(self, service: ThreatService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.sort_column, self.sort_order = 0, Qt.SortOrder.DescendingOrder
        self.rows: list[Threat] = list(service.threats)
        self._sort_rows()
        # a large reset sorts and fills the rows a slice per event-loop turn (the filter proxy
        # and the view follow each slice), so the window is never blocked for long
        self._feed = Slices(lambda step: step(), parent=self, check_every=1)
        self._arriving: list[Threat] = []  # the reset's threats, sorted by the feed's steps
        service.track(self._feed)
        service.threatsChanged.connect(self.refresh)

    @property
    def filling(self) -> bool:
        """Whether rows of the last reset are still being added."""
        return self._feed.busy

    def refresh(self, delta: ThreatDelta) -> None:
        changed = delta.ids
        if len(changed) > INCREMENTAL_LIMIT or (changed and not self.rows and not self.filling):
            # (an empty table, as before the first derivation: one reset, not a row at a time)
            self._feed.clear()
            threats = list(self.service.threats)
            self.beginResetModel()
            if len(threats) <= FEED_ABOVE:
                self.rows = threats
                self._sort_rows()
            else:  # 28,000 threats: their keys, their order and the rows, each a few turns
                self.rows, self._keys, self._arriving = [], {}, threats
                chunks = range(0, len(threats), FEED_CHUNK)
                self._feed.add(partial(self._key_rows, i) for i in chunks)
                self._feed.add([partial(self._sort_arriving, by_id=True), self._sort_arriving])
                self._feed.add(partial(self._append_arriving, i) for i in chunks)
            self.endResetModel()
        elif changed:
            self._feed.flush()
            self.update_rows(changed)

    def _key_rows(self, start: int) -> None:
        keys, full_key = self._keys, self._full_key
        for t in self._arriving[start : start + FEED_CHUNK]:
            keys[t.id] = full_key(t)

    def _sort_arriving(self, *, by_id: bool = False) -> None:
        """The order of ``_full_key`` in two stable sorts, a turn each: by id, then by the
        column's key (comparing (key, id) tuples took 40 ms at 28,000 threats)."""
        keys, reverse = self._keys, self.sort_order == Qt.SortOrder.DescendingOrder
        if by_id:
            self._arriving.sort(key=attrgetter("id"), reverse=reverse)
        else:
            self._arriving.sort(key=lambda t: keys[t.id][0], reverse=reverse)

    def _append_arriving(self, start: int) -> None:
        rows = self._arriving[start : start + FEED_CHUNK]
        if start + FEED_CHUNK >= len(self._arriving):
            self._arriving = []  # the last of them
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def update_rows(self, changed: set[str]) -> None:
        """Bring the rows of ``changed`` threat ids in line with the service: a row whose threat
        keeps its place gets dataChanged, one that moves is removed and inserted, so the filter
        proxy re-reads only these rows and views keep their selection."""
        by_id = self.service.by_id
        last = len(COLUMNS) - 1
        remove: list[int] = []
        insert: list[Threat] = []
        move: list[tuple[Threat, Threat]] = []  # (row's old threat, its new self)
        for tid in changed:
            row, new = self._row(tid), by_id.get(tid)
            if row is None:
                if new is not None:
                    insert.append(new)
                continue
            if new is None:
                remove.append(row)
            elif self._full_key(new) == self._keys[tid]:  # (triage changes threats in place)
                self.rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            else:
                move.append((self.rows[row], new))
        if not remove and not insert and not move:
            return
        remove.sort(reverse=True)
        i = 0
        while i < len(remove):  # contiguous runs, from the bottom up
            j = i
            while j + 1 < len(remove) and remove[j + 1] == remove[j] - 1:
                j += 1
            first, end = remove[j], remove[i]
            self.beginRemoveRows(QModelIndex(), first, end)
            for t in self.rows[first : end + 1]:
                del self._keys[t.id]
            del self.rows[first : end + 1]
            self.endRemoveRows()
            i = j + 1
        for old, new in move:  # moved, not removed and inserted: a selected row stays selected
            row = self._place(self._keys[old.id])
            del self.rows[row]
            key = self._keys[new.id] = self._full_key(new)
            dest = self._place(key)
            self.rows.insert(row, old)
            target = dest + 1 if dest >= row else dest  # Qt counts the destination before the move
            if target in (row, row + 1):  # stays in place: Qt refuses a no-op move
                self.rows[row] = new
                self.dataChanged.emit(self.index(row, 0), self.index(row, last))
                continue
            self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target)
            del self.rows[row]
            self.rows.insert(dest, new)
            self.endMoveRows()
            self.dataChanged.emit(self.index(dest, 0), self.index(dest, last))
        for threat in insert:
            key = self._keys[threat.id] = self._full_key(threat)
            row = self._place(key)
            self.beginInsertRows(QModelIndex(), row, row)
            self.rows.insert(row, threat)
            self.endInsertRows()

    def _row(self, threat_id: str) -> int | None:
        """The row of a threat (rows stay sorted by the keys they were placed with)."""
        key = self._keys.get(threat_id)
        return None if key is None else self._place(key)

    def _place(self, key: Any) -> int:
        """Where a row of sort ``key`` goes (rows compare by the keys they were placed with)."""
        descending, keys = self.sort_order == Qt.SortOrder.DescendingOrder, self._keys
        return bisect_left(
            self.rows, _Ordered(key, descending), key=lambda t: _Ordered(keys[t.id], descending)
        )

    def _full_key(self, t: Threat) -> Any:
        return (self._key(t), t.id)

    # Sorting happens here, in one Python list sort: a sorting proxy would call data() n log n
    # times through Qt (seconds for 9,000 threats).
    def _key(self, t: Threat) -> Any:
        return COLUMN_KEYS[self.sort_column](t)

    def _sort_rows(self) -> None:
        self._keys = {t.id: self._full_key(t) for t in self.rows}  # each row's key where it sits
        self.rows.sort(
            key=lambda t: self._keys[t.id], reverse=self.sort_order == Qt.SortOrder.DescendingOrder
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if (column, order) == (self.sort_column, self.sort_order):
            return  # rows are kept in this order as threats change: nothing to redo
        self.sort_column, self.sort_order = column, order
        self._feed.flush()
        self.beginResetModel()
        self._sort_rows()
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def threat(self, row: int) -> Threat:
        return self.rows[row]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        t, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                t.severity,
                t.category,
                t.target_name,
                t.title,
                STATUS_LABELS.get(t.status, t.status),
                t.source,
                evidence_label(t),
                t.id,
            )[col]
        if role == SORT_ROLE:
            return COLUMN_KEYS[col](t)
        if role == ID_ROLE:
            return t.id
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return severity_icon(t.severity, t.confirmed)
        if role == Qt.ItemDataRole.ForegroundRole and not t.is_open:
            return QColor("#9CA3AF")
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                f"{t.title}\n{t.severity_reason}"
                + (f"\nnote: {t.note}" if t.note else "")
                + (f"\n{t.id}")
            )
        return None


class ThreatFilterProxy(QSortFilterProxyModel):
    """Each filter is "" for any; text matches id, title, target, category and description."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.filters: dict[str, str] = {
            "category": "",
            "severity": "",
            "status": "",
            "source": "",
            "evidence": "",
        }
        self.text = ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)  # the source sorts; the proxy only filters

    def set_filter(self, name: str, value: str) -> None:
        assert name in self.filters, name
        self._refilter(lambda: self.filters.__setitem__(name, value or ""))

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "text", text.strip().lower()))

    def _refilter(self, change: Any) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10: invalidateFilter is deprecated
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        t: Threat = self.sourceModel().threat(source_row)  # type: ignore[attr-defined]
        f = self.filters
        if f["category"] and t.category != f["category"]:
            return False
        if f["severity"] and t.severity != f["severity"]:
            return False
        if f["status"]:
            if f["status"] == "@open" and not t.is_open:
                return False
            if f["status"] == "@closed" and t.is_open:
                return False
            if not f["status"].startswith("@") and t.status != f["status"]:
                return False
        if f["source"] and t.source != f["source"]:
            return False
        if f["evidence"]:
            label = evidence_label(t) or ("none" if not t.evidence else "noted")
            if f["evidence"] == "any" and not t.evidence:
                return False
            if f["evidence"] != "any" and label != f["evidence"]:
                return False
        if self.text:
            hay = " ".join(
                (t.id, t.title, t.target_name, t.category, t.description, t.note)
            ).lower()
            return all(word in hay for word in self.text.split())
        return True
