"""Export from the editor: the PDF report (in a worker thread, with progress) and the threats as
CSV or JSON (the same JSON as ``stride-desktop threats --format json``)."""

from __future__ import annotations

import json
import pickle
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...io import write_atomic
from ...rules.export import threats_to_csv, threats_to_json
from ..document import Document
from .service import ThreatService


def threats_text(service: ThreatService, fmt: str) -> str:
    model = service.document.model
    if fmt == "json":
        return (
            json.dumps(
                threats_to_json(model, service.threats, service.stale), indent=2, ensure_ascii=False
            )
            + "\n"
        )
    if fmt == "csv":
        return threats_to_csv(service.threats)
    raise ValueError(f"unknown threat export format '{fmt}'; known: csv, json")


def export_threats(service: ThreatService, path: str | Path, fmt: str) -> None:
    """Write the current threats (derived now, so the file matches the model) as CSV or JSON."""
    if service.pending:
        service.refresh_now()
    write_atomic(path, threats_text(service, fmt).encode("utf-8"))


def default_name(document: Document, suffix: str) -> str:
    stem = (
        document.path.stem if document.path else (document.model.name or "model").replace(" ", "-")
    )
    folder = document.path.parent if document.path else Path.home()
    return str(folder / f"{stem}{suffix}")


class PdfExportDialog(QDialog):
    """Where to write the report and what to put in it."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export PDF report")
        self.path_edit = QLineEdit(default_name(document, "-report.pdf"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.include_closed = QCheckBox(
            "Include closed threats (mitigated, accepted, not applicable)"
        )
        self.appendix = QCheckBox(
            "Add the appendix (every threat, the rule catalogue, full check lists)"
        )
        self.open_after = QCheckBox("Open the report when it is ready")
        self.open_after.setChecked(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>File</b>"))
        layout.addLayout(row)
        layout.addSpacing(6)
        layout.addWidget(self.include_closed)
        layout.addWidget(self.appendix)
        layout.addWidget(self.open_after)
        layout.addWidget(buttons)
        self.resize(520, 200)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export PDF report", self.path_edit.text(), "PDF files (*.pdf)"
        )
        if path:
            self.path_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def options(self) -> dict[str, bool]:
        return {
            "include_closed": self.include_closed.isChecked(),
            "appendix": self.appendix.isChecked(),
        }


class PdfExportJob(QObject):
    """Builds the report from a snapshot in a worker thread; the window stays responsive."""

    progress = Signal(float, str)
    finished = Signal(str, object)  # path, ReportStats
    failed = Signal(str)

    def __init__(
        self,
        service: ThreatService,
        path: str | Path,
        *,
        include_closed: bool = False,
        appendix: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.path = str(path)
        if service.pending:
            service.refresh_now()
        # a snapshot: edits made while the report is built do not reach the worker
        self._payload = pickle.dumps((service.document.model, service.threats, list(service.stale)))
        self._options = {"include_closed": include_closed, "appendix": appendix}
        self.thread: threading.Thread | None = None
        self.done = False
        self.error = ""

    def start(self) -> None:
        self.thread = threading.Thread(target=self._work, name="stride-report", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        from ...report import ReportOptions, build_report

        try:
            model, threats, stale = pickle.loads(self._payload)
            stats = build_report(
                model,
                threats,
                stale,
                self.path,
                options=ReportOptions(**self._options),
                progress=lambda f, m: self.progress.emit(float(f), str(m)),
            )
        except OSError as exc:
            self.error = f"{self.path}: cannot write the report: {exc.strerror or exc}"
            self.failed.emit(self.error)
        except Exception as exc:
            self.error = f"{self.path}: the report could not be built: {type(exc).__name__}: {exc}"
            self.failed.emit(self.error)
        else:
            self.finished.emit(self.path, stats)
        finally:
            self.done = True


def run_pdf_export(
    parent: QWidget,
    service: ThreatService,
    path: str,
    *,
    include_closed: bool,
    appendix: bool,
    open_after: bool,
) -> PdfExportJob:
    """Start the export with a window-modal progress dialog; report the outcome in the status bar."""
    job = PdfExportJob(
        service, path, include_closed=include_closed, appendix=appendix, parent=parent
    )
    dialog = QProgressDialog("Preparing the report…", "Hide", 0, 100, parent)
    dialog.setWindowTitle("Exporting PDF")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(True)
    job.progress.connect(lambda f, m: (dialog.setValue(int(f * 100)), dialog.setLabelText(m)))

    def done(out: str, stats: object) -> None:
        dialog.reset()
        message = f"Exported {out} ({getattr(stats, 'pages', '?')} pages)"
        status = getattr(parent, "statusBar", None)
        if status:
            status().showMessage(message, 8000)
        if open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(out))

    def failed(message: str) -> None:
        dialog.reset()
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, "Export PDF", message)

    job.finished.connect(done)
    job.failed.connect(failed)
    job.dialog = dialog  # type: ignore[attr-defined]
    job.start()
    return job
