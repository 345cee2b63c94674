"""Import a docker-bench-security or kube-bench output: what was detected, which run, which scope.

Parsing runs in a worker thread (large logs take a moment) while the dialog shows a busy bar; the
import itself is one undo step (``ImportBenchRunCommand``).
"""

from __future__ import annotations

import threading
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...bench import BenchError, ParseResult, parse_bench_file, prepare_run, unassigned
from ...model import BenchRun
from ..commands.review import ImportBenchRunCommand
from ..document import Document

BENCH_SUFFIXES = (".json", ".log", ".txt", ".xml", ".out")
SCOPE_KINDS = {"docker-bench-security": ("host", "node"), "kube-bench": ("node", "cluster", "host")}


class BenchImportDialog(QDialog):
    _parsed = Signal(int, object)  # request number, ParseResult or BenchError (worker thread)

    def __init__(self, document: Document, path: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document, self.path = document, Path(path)
        self.result: ParseResult | None = None
        self.error = ""
        self.imported: BenchRun | None = None
        self._request = 0
        self.setWindowTitle(f"Import bench results — {self.path.name}")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: parsers do not report progress, the size is bounded
        self.progress.setTextVisible(False)
        self.status = QLabel(f"Reading {escape(self.path.name)}…")
        self.status.setWordWrap(True)
        self.detected = QLabel()
        self.detected.setTextFormat(Qt.TextFormat.RichText)
        self.detected.setWordWrap(True)
        self.run_spin = QSpinBox()
        self.run_spin.setMinimum(1)
        self.run_spin.valueChanged.connect(lambda n: self._parse(run=n))
        self.run_label = QLabel("Run")
        self.scope_combo = QComboBox()
        self.scope_combo.addItem("Whole model", None)
        for b in document.model.boundaries:
            self.scope_combo.addItem(f"{b.name or b.id}  ({b.kind}, trust {b.trust})", b.id)
        self.scope_combo.currentIndexChanged.connect(lambda _: self._preview())
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.run_label, self.run_spin)
        form.addRow("Scope", self.scope_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.detected)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self._parsed.connect(self._on_parsed)
        self._set_ready(False)
        self.run_label.hide()
        self.run_spin.hide()
        self._parse(run=None)

    # -- parsing --------------------------------------------------------------------------
    def _parse(self, *, run: int | None) -> None:
        self._request += 1
        request = self._request
        self._set_ready(False)
        self.progress.show()

        def work() -> None:
            try:
                outcome: object = parse_bench_file(self.path, run=run)
            except BenchError as exc:
                outcome = exc
            self._parsed.emit(request, outcome)

        threading.Thread(target=work, name="stride-bench-parse", daemon=True).start()

    @property
    def parsing(self) -> bool:
        """Whether the file (or the chosen run) is still being parsed."""
        return not self.progress.isHidden()

    def _on_parsed(self, request: int, outcome: object) -> None:
        if request != self._request:
            return  # superseded by a later run choice
        self.progress.hide()
        if isinstance(outcome, BenchError):
            self.result, self.error = None, str(outcome)
            self.status.setText(
                f"<span style='color:#B91C1C'><b>Cannot import:</b> {escape(str(outcome))}</span>"
            )
            self.detected.clear()
            self.preview.clear()
            return
        assert isinstance(outcome, ParseResult)
        self.result, self.error = outcome, ""
        self.status.setText(f"<b>{escape(self.path.name)}</b>")
        self._show_detected(outcome)
        if outcome.runs_available > 1:
            self.run_label.show()
            self.run_spin.show()
            self.run_spin.blockSignals(True)
            self.run_spin.setMaximum(outcome.runs_available)
            self.run_spin.setValue(outcome.run_index)
            self.run_spin.setSuffix(f" of {outcome.runs_available}")
            self.run_spin.blockSignals(False)
        if self.scope_combo.currentIndex() == 0:
            self._guess_scope(outcome.run.tool)
        self._preview()
        self._set_ready(True)

    def _show_detected(self, result: ParseResult) -> None:
        run = result.run
        counts = {k: v for k, v in result.counts.items() if v}
        rows = [
            ("Tool", run.tool + (f" {run.tool_version}" if run.tool_version else "")),
            ("Format", run.format),
            ("Benchmark", run.benchmark or "not stated"),
            (
                "Findings",
                f"{len(run.findings)}: " + ", ".join(f"{n} {s}" for s, n in counts.items()),
            ),
        ]
        if result.runs_available > 1:
            rows.append(
                ("Runs in file", f"{result.runs_available} (choose one below; default the last)")
            )
        if result.skipped:
            rows.append(
                ("Skipped", f"{len(result.skipped)} unreadable part(s), e.g. {result.skipped[0]}")
            )
        for warning in result.warnings[:2]:
            rows.append(("Note", warning))
        self.detected.setText(
            "<table cellspacing='3'>"
            + "".join(
                f"<tr><td style='color:#6B7280; padding-right:10px'>{escape(k)}</td><td>{escape(v)}</td></tr>"
                for k, v in rows
            )
            + "</table>"
        )

    def _guess_scope(self, tool: str) -> None:
        kinds = SCOPE_KINDS.get(tool, ())
        for kind in kinds:
            for i in range(1, self.scope_combo.count()):
                b = self.document.model.boundary(self.scope_combo.itemData(i))
                if b is not None and b.kind == kind:
                    self.scope_combo.setCurrentIndex(i)
                    return

    # -- scope and import -----------------------------------------------------------------
    def scope(self) -> str | None:
        return self.scope_combo.currentData()

    def set_scope(self, boundary_id: str | None) -> None:
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(boundary_id)))

    def set_run(self, number: int) -> None:
        self.run_spin.setValue(number)

    def _preview(self) -> None:
        if self.result is None:
            return
        run = prepare_run(
            self.document.model,
            self.result.run,
            scope=self.scope(),
            catalog_components=self.document.catalog,
        )
        attached = {e for f in run.findings for e in f.elements}
        loose = len(unassigned(run))
        self.preview.setText(
            f"{len(run.findings) - loose} findings attach to {len(attached)} element(s) in "
            f"{'the whole model' if self.scope() is None else 'this boundary'}; "
            + (
                f"<span style='color:#B45309'>{loose} unassigned</span> (assign them in the "
                "Findings panel)"
                if loose
                else "none unassigned"
            )
            + "."
        )

    def _set_ready(self, ready: bool) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ready)
        self.scope_combo.setEnabled(ready)

    def accept(self) -> None:
        if self.result is None:
            return
        run = prepare_run(
            self.document.model,
            self.result.run,
            scope=self.scope(),
            catalog_components=self.document.catalog,
        )
        self.document.push(ImportBenchRunCommand(self.document, run))
        self.imported = run
        super().accept()


def is_bench_file(path: str | Path) -> bool:
    return Path(path).suffix.lower() in BENCH_SUFFIXES
