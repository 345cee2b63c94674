"""Wire the review panels, actions, badges and drops into the main window (``install_review``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QToolBar,
    QWidget,
)

from ..document import Document
from .all_threats_panel import AllThreatsPanel
from .badges import BadgeController
from .bench_import_dialog import BenchImportDialog, is_bench_file
from .export import PdfExportDialog, PdfExportJob, default_name, export_threats, run_pdf_export
from .findings_panel import FINDING_MIME, FindingsPanel, assign
from .hardening_panel import HardeningPanel
from .service import ThreatService
from .threats_panel import ThreatsPanel

MODEL_SUFFIXES = (".yaml", ".yml")


class ReviewController(QObject):
    """Owns the threat service, the review panels and the review actions of one window."""

    def __init__(self, window: QMainWindow, document: Document) -> None:
        super().__init__(window)
        self.window, self.document = window, document
        self.scene: Any = window.scene
        self.view: Any = window.view
        self.service = ThreatService(document, parent=self)
        self.badges = BadgeController(self.scene, self.service)
        self.threats_panel = ThreatsPanel(document, self.service)
        self.all_threats_panel = AllThreatsPanel(document, self.service)
        self.findings_panel = FindingsPanel(document, self.service)
        self.hardening_panel = HardeningPanel(document, self.service)
        self.docks: dict[str, QDockWidget] = {}
        for title, panel in (
            ("Threats", self.threats_panel),
            ("All threats", self.all_threats_panel),
            ("Findings", self.findings_panel),
            ("Hardening plan", self.hardening_panel),
        ):
            self._place(title, panel)
        self.last_job: PdfExportJob | None = None
        first = self.docks["Threats"]
        if self.window.dockWidgetArea(first) == Qt.DockWidgetArea.BottomDockWidgetArea:
            self.window.resizeDocks([first], [330], Qt.Orientation.Vertical)  # room for the tables
        self._build_actions()
        self.scene.selectionChanged.connect(self._on_selection)
        self.all_threats_panel.targetActivated.connect(self.show_target)
        self.findings_panel.findingSelected.connect(self._on_finding)
        self.findings_panel.threatActivated.connect(self.show_threat)
        self.service.rulesProblem.connect(self._on_rules_problem)
        if self.service.pending:  # a large model: its first derivation runs after the first frame
            self.window.statusBar().showMessage("Deriving threats…")
            self.service.threatsChanged.connect(self._first_threats)
        for widget in (window, self.view.viewport()):
            widget.setAcceptDrops(True)
            widget.installEventFilter(self)

    def _first_threats(self, _delta: object) -> None:
        self.service.threatsChanged.disconnect(self._first_threats)
        if self.window.statusBar().currentMessage() == "Deriving threats…":
            self.window.statusBar().showMessage(
                f"{len(self.service.threats)} threats derived", 4000
            )

    # -- layout ---------------------------------------------------------------------------
    def _place(self, title: str, widget: QWidget) -> QDockWidget:
        """Fill the window's review dock of that title (or add a dock if it has none)."""
        widget.setObjectName(title.replace(" ", "") + "Panel")
        dock = getattr(self.window, "review_docks", {}).get(title)
        if dock is None:
            dock = QDockWidget(title, self.window)
            dock.setObjectName(title.replace(" ", "") + "Dock")
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.setWidget(widget)
        self.docks[title] = dock
        return dock

    def _action(self, text: str, slot: Any, tip: str, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _=False: slot())
        return action

    def _build_actions(self) -> None:
        self.act_import = self._action(
            "Import &Bench Results…",
            self.import_bench_dialog,
            "Import a docker-bench-security or kube-bench output",
            "Ctrl+I",
        )
        self.act_pdf = self._action(
            "Export &PDF Report…",
            self.export_pdf_dialog,
            "Export the threat model report as PDF",
            "Ctrl+E",
        )
        self.act_csv = self._action(
            "Export Threats as &CSV…",
            lambda: self.export_threats_dialog("csv"),
            "Export every threat as CSV",
        )
        self.act_json = self._action(
            "Export Threats as &JSON…",
            lambda: self.export_threats_dialog("json"),
            "Export every threat as JSON (same as the command line)",
        )
        self.act_import.setText("Import &Bench Results…")
        menu = self.window.menuBar().addMenu("&Review")
        menu.addAction(self.act_import)
        menu.addSeparator()
        menu.addActions([self.act_pdf, self.act_csv, self.act_json])
        menu.addSeparator()
        for dock in self.docks.values():
            menu.addAction(dock.toggleViewAction())
        self.menu = menu
        toolbar = self.window.findChild(QToolBar, "MainToolbar") or self.window.addToolBar("Review")
        toolbar.addSeparator()
        self.act_import.setIconText("Import Bench")
        self.act_pdf.setIconText("Export PDF")
        toolbar.addActions([self.act_import, self.act_pdf])

    # -- selection ------------------------------------------------------------------------
    def _on_selection(self) -> None:
        try:
            elements, flows, boundaries = self.scene.selected_ids()
        except RuntimeError:  # the scene is being destroyed with the window
            return
        self.threats_panel.set_targets(elements + flows + boundaries)

    def show_target(self, target_id: str) -> None:
        """Select a target on the canvas and centre it in the view."""
        self.scene.select_ids([target_id])
        for mapping in (self.scene.element_items, self.scene.flow_items, self.scene.boundary_items):
            item = mapping.get(target_id)
            if item is not None:
                self.view.centerOn(item.sceneBoundingRect().center())
                break

    def show_threat(self, threat_id: str) -> None:
        threat = self.service.by_id.get(threat_id)
        if threat is None:
            return
        self.show_target(threat.target)
        self.threats_panel.select_threats([threat_id])
        self.docks["Threats"].raise_()

    def _on_finding(self, finding_id: str) -> None:
        found = self.document.model.find_finding(finding_id) if finding_id else None
        self.badges.highlight(list(found[1].elements) if found else [])

    def _on_rules_problem(self, message: str) -> None:
        if message:
            status = getattr(self.window, "statusBar", None)
            if status:
                status().showMessage(f"Model rule file ignored: {message}", 15000)

    # -- import and export ----------------------------------------------------------------
    def import_bench_dialog(self) -> None:
        folder = str(self.document.path.parent) if self.document.path else ""
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            "Import bench results",
            folder,
            "Bench outputs (*.json *.log *.txt *.xml *.out);;All files (*)",
        )
        if path:
            self.import_bench(path)

    def import_bench(self, path: str | Path) -> BenchImportDialog:
        dialog = BenchImportDialog(self.document, path, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.imported is not None:
            self.findings_panel.refresh_runs()
            self.findings_panel.set_run(dialog.imported.id)
            self.docks["Findings"].raise_()
        return dialog

    def export_pdf_dialog(self) -> None:
        dialog = PdfExportDialog(self.document, self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.path_edit.text().strip():
            self.last_job = run_pdf_export(
                self.window,
                self.service,
                dialog.path_edit.text().strip(),
                open_after=dialog.open_after.isChecked(),
                **dialog.options(),
            )

    def export_threats_dialog(self, fmt: str) -> None:
        suffix = f"-threats.{fmt}"
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            f"Export threats as {fmt.upper()}",
            default_name(self.document, suffix),
            f"{fmt.upper()} files (*.{fmt})",
        )
        if not path:
            return
        try:
            export_threats(self.service, path, fmt)
        except OSError as exc:
            QMessageBox.warning(
                self.window, "Export threats", f"{path}: cannot write: {exc.strerror or exc}"
            )
            return
        status = getattr(self.window, "statusBar", None)
        if status:
            status().showMessage(f"Exported {len(self.service.threats)} threats to {path}", 6000)

    # -- drag and drop --------------------------------------------------------------------
    def _bench_urls(self, event: QDragEnterEvent | QDropEvent) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        return [
            u.toLocalFile()
            for u in mime.urls()
            if u.isLocalFile()
            and is_bench_file(u.toLocalFile())
            and Path(u.toLocalFile()).suffix.lower() not in MODEL_SUFFIXES
        ]

    def element_at(self, view_pos: Any) -> str | None:
        item = self.view.itemAt(view_pos)
        while item is not None and not hasattr(item, "element_id"):
            item = item.parentItem()
        return getattr(item, "element_id", None)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        mime = event.mimeData()  # type: ignore[attr-defined]
        if mime.hasFormat(FINDING_MIME) and obj is self.view.viewport():
            target = self.element_at(event.position().toPoint())  # type: ignore[attr-defined]
            if kind == QEvent.Type.DragEnter:
                event.acceptProposedAction()  # type: ignore[attr-defined]
            elif target is None:
                event.ignore()
            elif kind == QEvent.Type.DragMove:
                event.acceptProposedAction()  # type: ignore[attr-defined]
            else:
                ids = bytes(mime.data(FINDING_MIME).data()).decode().split("\n")
                assign(self.document, [i for i in ids if i], target)
                event.acceptProposedAction()  # type: ignore[attr-defined]
            return True
        urls = self._bench_urls(event)  # type: ignore[arg-type]
        if not urls:
            return False
        if kind == QEvent.Type.Drop:
            event.acceptProposedAction()  # type: ignore[attr-defined]
            self.import_bench(urls[0])
        else:
            event.acceptProposedAction()  # type: ignore[attr-defined]
        return True


def install_review(window: QMainWindow, document: Document) -> ReviewController:
    """Add the review workflow to ``window`` (once: a second call returns the same controller)."""
    existing = getattr(window, "review", None)
    if isinstance(existing, ReviewController):
        return existing
    controller = ReviewController(window, document)
    window.review = controller  # type: ignore[attr-defined]
    return controller
