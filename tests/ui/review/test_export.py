"""Export from the editor: PDF in a worker thread (pypdf-readable), CSV, and the CLI's JSON."""

from __future__ import annotations

import csv
import io
import json

from pypdf import PdfReader

from stride_desktop.cli import main as cli_main
from stride_desktop.io import save_model
from stride_desktop.ui.review.export import PdfExportDialog, export_threats, run_pdf_export


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_pdf_export_from_the_gui(review, tmp_path, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(
        "stride_desktop.ui.review.export.QDesktopServices.openUrl",
        lambda url: opened.append(url.toLocalFile()),
    )
    out = tmp_path / "report.pdf"
    progress = []
    job = run_pdf_export(
        review.window,
        review.service,
        str(out),
        include_closed=True,
        appendix=True,
        open_after=True,
    )
    job.progress.connect(lambda f, m: progress.append(f))
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    assert out.exists() and out.read_bytes().startswith(b"%PDF")
    text = pdf_text(out)
    assert review.document.model.name.split(" - ")[0] in text
    worst = max(review.service.threats, key=lambda t: t.severity_rank)
    assert worst.rule in text.replace("\n", "")
    assert opened == [str(out)]


def test_pdf_dialog_options(review):
    dialog = PdfExportDialog(review.document, review.window)
    assert dialog.path_edit.text().endswith("docker-host-report.pdf")
    dialog.include_closed.setChecked(True)
    dialog.appendix.setChecked(True)
    assert dialog.options() == {"include_closed": True, "appendix": True}


def test_json_export_is_the_cli_json(review, tmp_path, host_path, import_bench, capsys):
    import_bench(review)
    save_model(review.document.model, host_path)
    out = tmp_path / "threats.json"
    export_threats(review.service, out, "json")
    assert cli_main(["threats", str(host_path), "--format", "json"]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(capsys.readouterr().out)


def test_csv_export(review, tmp_path):
    out = tmp_path / "threats.csv"
    export_threats(review.service, out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == [t.id for t in review.service.threats]
