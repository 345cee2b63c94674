"""Findings of each bench run: status, check, title, attached elements; assignment by hand."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...model import BenchRun, Change, Finding
from ...rules.delta import ThreatDelta
from ..commands.review import AssignFindingCommand, RemoveBenchRunCommand
from ..document import Document
from .common import FINDING_COLOURS, chip_icon, row_of, severity_colour, side_by_side, side_column
from .service import ThreatService

FINDING_MIME = "application/x-stride-finding"
SHOW_CHOICES = (
    ("All findings", ""),
    ("Failed", "fail"),
    ("Warnings", "warn"),
    ("Passed", "pass"),
    ("Unassigned", "@unassigned"),
)


class FindingsTree(QTreeWidget):
    """Rows can be dragged onto an element of the canvas to assign the finding to it."""

    def mimeTypes(self) -> list[str]:
        return [FINDING_MIME]

    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        ids = [i.data(0, Qt.ItemDataRole.UserRole) for i in items]
        data.setData(FINDING_MIME, "\n".join(ids).encode())
        data.setText("\n".join(ids))
        return data


class ElementChooserDialog(QDialog):
    """Pick the element an unassigned finding belongs to (filterable list)."""

    def __init__(self, document: Document, finding: Finding, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Assign finding to an element")
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter elements…")
        self.list = QListWidget()
        catalog = document.catalog
        for e in sorted(document.model.elements, key=lambda e: (e.name or e.id).lower()):
            spec = catalog.components.get(e.component)
            item = QListWidgetItem(f"{e.name or e.id}  ·  {spec.name if spec else e.component}")
            item.setData(Qt.ItemDataRole.UserRole, e.id)
            self.list.addItem(item)
        self.filter.textChanged.connect(self._apply_filter)
        self.list.itemDoubleClicked.connect(lambda _: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{escape(finding.check_id or finding.key)}</b> {escape(finding.title)}")
        head.setWordWrap(True)
        layout.addWidget(head)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(420, 460)

    def _apply_filter(self, text: str) -> None:
        words = text.lower().split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(not all(w in item.text().lower() for w in words))

    def select(self, element_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == element_id:
                self.list.setCurrentRow(i)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


class FindingsPanel(QWidget):
    findingSelected = Signal(str)  # finding id, "" when none
    threatActivated = Signal(str)

    def __init__(
        self, document: Document, service: ThreatService, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document, self.service = document, service
        self.run_combo = QComboBox()
        self.run_combo.currentIndexChanged.connect(lambda _: self.refresh_findings())
        self.show_combo = QComboBox()
        for text, value in SHOW_CHOICES:
            self.show_combo.addItem(text, value)
        self.show_combo.currentIndexChanged.connect(lambda _: self.refresh_findings())
        self.summary = QLabel()
        self.remove_run = QPushButton("Remove run")
        self.remove_run.clicked.connect(self._remove_run)
        top = QHBoxLayout()
        top.addWidget(QLabel("Run:"))
        top.addWidget(self.run_combo, 2)
        top.addWidget(self.show_combo)
        top.addWidget(self.summary, 1)
        top.addWidget(self.remove_run)
        self.tree = FindingsTree()
        self.tree.setHeaderLabels(("Status", "Check", "Title", "Elements"))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setDragEnabled(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tree.setColumnWidth(0, 74)
        self.tree.setColumnWidth(1, 58)
        self.tree.setColumnWidth(3, 230)
        self.tree.itemSelectionChanged.connect(self._on_selection)
        self.related = QListWidget()
        self.related.itemActivated.connect(
            lambda item: self.threatActivated.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.related.itemClicked.connect(
            lambda item: self.threatActivated.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.related_label = QLabel()
        self.related_label.setWordWrap(True)
        self.assign_button = QPushButton("Assign to element…")
        self.assign_button.setToolTip("Or drag the finding onto an element of the diagram")
        self.assign_button.clicked.connect(self.assign_selected)
        self.custom_button = QPushButton("Make a custom threat")
        self.custom_button.setToolTip(
            "No threat names this failing check: record it as a threat of its element"
        )
        self.custom_button.clicked.connect(self.make_custom_threat)
        split = side_by_side(
            self.tree,
            side_column(
                self.related_label, self.related, row_of(self.assign_button, self.custom_button)
            ),
            (3, 2),
        )
        self.empty = QLabel(
            "No bench run yet. Import a docker-bench-security or kube-bench output "
            "(File ▸ Import Bench Results…, or drop the file on the window)."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.empty, 1)
        layout.addWidget(split, 3)
        self._split = split
        document.changed.connect(self._on_change)
        service.threatsChanged.connect(self._on_delta)
        self.refresh_runs()

    # -- data -----------------------------------------------------------------------------
    def current_run(self) -> BenchRun | None:
        return self.document.model.bench_run(self.run_combo.currentData() or "")

    def set_run(self, run_id: str) -> None:
        self.run_combo.setCurrentIndex(max(0, self.run_combo.findData(run_id)))

    def set_show(self, value: str) -> None:
        self.show_combo.setCurrentIndex(self.show_combo.findData(value))

    def selected_finding_ids(self) -> list[str]:
        return [i.data(0, Qt.ItemDataRole.UserRole) for i in self.tree.selectedItems()]

    def select_finding(self, finding_id: str) -> None:
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            item.setSelected(item.data(0, Qt.ItemDataRole.UserRole) == finding_id)
            if item.isSelected():
                self.tree.scrollToItem(item)

    def shown_finding_ids(self) -> list[str]:
        return [
            self.tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
            for i in range(self.tree.topLevelItemCount())
        ]

    # -- refresh --------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.touches("bench_run", "boundary"):  # runs, and the scopes their labels name
            self.refresh_runs()
        elif change.kind == "finding" or (
            change.kind == "element" and (change.action == "remove" or "name" in change.fields)
        ):  # assignments, and the element names the findings show
            self.refresh_findings()

    def _on_delta(self, delta: ThreatDelta) -> None:
        if delta.full or delta.has_evidence():  # the threats a finding corroborates
            self._on_selection()

    def refresh_runs(self) -> None:
        keep = self.run_combo.currentData()
        self.run_combo.blockSignals(True)
        self.run_combo.clear()
        model = self.document.model
        for run in model.bench_runs:
            scope = model.boundary(run.scope) if run.scope else None
            where = (scope.name or scope.id) if scope else "whole model"
            version = f" {run.tool_version}" if run.tool_version else ""
            self.run_combo.addItem(
                f"{run.id} · {run.tool}{version} · {where} · {run.source_file or 'unnamed'}", run.id
            )
        index = self.run_combo.findData(keep)
        self.run_combo.setCurrentIndex(index if index >= 0 else self.run_combo.count() - 1)
        self.run_combo.blockSignals(False)
        has_runs = bool(model.bench_runs)
        self.empty.setVisible(not has_runs)
        self._split.setVisible(has_runs)
        for w in (self.run_combo, self.show_combo, self.remove_run):
            w.setEnabled(has_runs)
        self.refresh_findings()

    def refresh_findings(self) -> None:
        run = self.current_run()
        keep = set(self.selected_finding_ids())
        self.tree.blockSignals(True)
        self.tree.clear()
        if run is None:
            self.summary.setText("")
            self.tree.blockSignals(False)
            self._on_selection()
            return
        names = {e.id: e.name or e.id for e in self.document.model.elements}
        show = self.show_combo.currentData()
        counts = {"fail": 0, "warn": 0, "pass": 0}
        unassigned = 0
        for finding in run.findings:
            counts[finding.status] = counts.get(finding.status, 0) + 1
            unassigned += not finding.elements
            if (show == "@unassigned" and finding.elements) or (
                show and show[0] != "@" and finding.status != show
            ):
                continue
            attached = ", ".join(
                names.get(e, e) + (" ✋" if e in finding.assigned_by_hand else "")
                for e in finding.elements
            )
            item = QTreeWidgetItem(
                [
                    finding.status,
                    finding.check_id or finding.key,
                    finding.title,
                    attached or "unassigned",
                ]
            )
            fid = run.finding_id(finding)
            item.setData(0, Qt.ItemDataRole.UserRole, fid)
            item.setIcon(0, chip_icon(FINDING_COLOURS.get(finding.status, "#6B7280")))
            item.setToolTip(
                2,
                finding.title
                + (f"\n\nRemediation: {finding.remediation}" if finding.remediation else ""),
            )
            if not finding.elements:
                font = item.font(3)
                font.setItalic(True)
                item.setFont(3, font)
                item.setForeground(3, QColor("#B45309"))
            self.tree.addTopLevelItem(item)
            item.setSelected(fid in keep)
        self.tree.blockSignals(False)
        self.summary.setText(
            f"<span style='color:#DC2626'><b>{counts['fail']}</b> fail</span> · "
            f"<span style='color:#D97706'>{counts['warn']} warn</span> · "
            f"<span style='color:#16A34A'>{counts['pass']} pass</span> · "
            f"{unassigned} unassigned"
        )
        self._on_selection()

    def _on_selection(self) -> None:
        ids = self.selected_finding_ids()
        self.assign_button.setEnabled(len(ids) >= 1)
        self.custom_button.setEnabled(False)
        self.related.clear()
        if len(ids) != 1:
            self.related_label.setText(
                "Select a finding to see its elements and the threats it corroborates or refutes."
                if not ids
                else f"{len(ids)} findings selected."
            )
            self.findingSelected.emit("")
            return
        fid = ids[0]
        for threat in self.service.threats:
            for link in threat.evidence:
                if link.finding_id == fid:
                    verb = (
                        "corroborates" if link.confirms else "refutes" if link.verifies else "notes"
                    )
                    item = QListWidgetItem(f"{verb}: {threat.title}  [{threat.target_name}]")
                    item.setIcon(chip_icon(severity_colour(threat.severity).name()))
                    item.setData(Qt.ItemDataRole.UserRole, threat.id)
                    item.setToolTip(threat.id)
                    self.related.addItem(item)
        n = self.related.count()
        self.related_label.setText(
            f"<b>{fid}</b>: {n} related threat{'s' if n != 1 else ''}"
            if n
            else f"<b>{fid}</b>: no threat names this check."
        )
        found = self.document.model.find_finding(fid)
        self.custom_button.setEnabled(
            n == 0 and found is not None and found[1].status == "fail" and bool(found[1].elements)
        )
        self.findingSelected.emit(fid)

    # -- actions --------------------------------------------------------------------------
    def assign_selected(self, *, element_id: str | None = None) -> bool:
        """Assign the selected findings to an element (asks with a chooser when not given)."""
        ids = self.selected_finding_ids()
        if not ids:
            return False
        if element_id is None:
            found = self.document.model.find_finding(ids[0])
            assert found is not None
            dialog = ElementChooserDialog(self.document, found[1], self)
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen():
                return False
            element_id = dialog.chosen()
        assign(self.document, ids, element_id)  # type: ignore[arg-type]
        return True

    def make_custom_threat(self) -> str | None:
        """The selected failing check becomes a custom threat (one undo step); its threat id."""
        from .custom_threats import threat_from_finding

        ids = self.selected_finding_ids()
        custom = threat_from_finding(self.document, ids[0]) if len(ids) == 1 else None
        return custom.threat_id if custom else None

    def _remove_run(self) -> None:
        run = self.current_run()
        if run is not None:
            self.document.push(RemoveBenchRunCommand(self.document, run.id))


def assign(document: Document, finding_ids: list[str], element_id: str) -> None:
    """Assign findings to an element: one undo step however many findings."""
    stack = document.undo_stack
    element = document.model.element(element_id)
    if element is None:
        return
    if len(finding_ids) > 1:
        stack.beginMacro(f"Assign {len(finding_ids)} findings to '{element.name or element_id}'")
    for fid in finding_ids:
        document.push(AssignFindingCommand(document, fid, element_id))
    if len(finding_ids) > 1:
        stack.endMacro()
