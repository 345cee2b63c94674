"""Bench import through the dialog: detection, scope, run choice, one undo step, drops, errors."""

from __future__ import annotations

from conftest import DOCKER_JSON, DOCKER_TEXT, parsed
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox

from stride_desktop.ui.review.bench_import_dialog import BenchImportDialog


def test_dialog_shows_what_was_detected(review, qtbot):
    dialog = parsed(qtbot, BenchImportDialog(review.document, DOCKER_JSON, review.window))
    text = dialog.detected.text()
    for part in (
        "docker-bench-security 1.6.0",
        "dbs-json-structured",
        "CIS Docker",
        "117",
        "38 fail",
    ):
        assert part in text, part
    assert dialog.scope() == "docker_host"  # guessed: the host boundary
    assert dialog.run_spin.isHidden()  # one run in a JSON log
    assert "unassigned" in dialog.preview.text()


def test_import_with_a_scope_is_one_undo_step(review, import_bench, settle):
    doc = review.document
    dialog = import_bench(review, scope="docker_host")
    run = doc.model.bench_runs[0]
    assert run.scope == "docker_host" and run.tool == "docker-bench-security"
    inside = {e.id for e in doc.model.members("docker_host")}
    attached = {e for f in run.findings for e in f.elements}
    assert attached and attached <= inside
    assert doc.undo_stack.count() == 1
    assert any(t.confirmed for t in review.service.threats)
    assert review.findings_panel.run_combo.count() == 1
    doc.undo_stack.undo()
    settle(review.service)
    assert doc.model.bench_runs == []
    assert not any(t.evidence for t in review.service.threats)
    assert review.findings_panel.run_combo.count() == 0
    doc.undo_stack.redo()
    settle(review.service)
    assert doc.model.bench_runs[0].id == dialog.imported.id
    assert any(t.confirmed for t in review.service.threats)


def test_whole_model_scope_reaches_outside_the_boundary(review, import_bench):
    import_bench(review, scope=None)
    run = review.document.model.bench_runs[0]
    assert run.scope is None
    inside = {e.id for e in review.document.model.members("docker_host")}
    attached = {e for f in run.findings for e in f.elements}
    assert attached - inside  # e.g. the private registry on the LAN


def test_multi_run_log_offers_the_run_choice(review, tmp_path, qtbot):
    log = tmp_path / "appended.log"
    text = DOCKER_TEXT.read_text(encoding="utf-8")
    log.write_text(text + "\n" + text.replace("[WARN] 1.1.1", "[PASS] 1.1.1", 1), encoding="utf-8")
    dialog = parsed(qtbot, BenchImportDialog(review.document, log, review.window))
    assert not dialog.run_spin.isHidden()
    assert dialog.run_spin.maximum() == 2 and dialog.run_spin.value() == 2
    dialog.set_run(1)
    parsed(qtbot, dialog)
    assert dialog.result.run_index == 1
    dialog.set_scope("docker_host")
    dialog.accept()
    assert len(review.document.model.bench_runs) == 1


def test_a_bad_file_is_an_error_message_not_a_traceback(review, tmp_path, qtbot):
    bad = tmp_path / "notes.json"
    bad.write_text('{"hello": "world"}', encoding="utf-8")
    dialog = parsed(qtbot, BenchImportDialog(review.document, bad, review.window))
    assert "Cannot import" in dialog.status.text() and "notes.json" in dialog.status.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    dialog.accept()
    assert review.document.model.bench_runs == []


def test_dropping_a_bench_file_on_the_window_opens_the_import(review, monkeypatch, qtbot):
    seen = []

    def fake_exec(dialog):
        seen.append(parsed(qtbot, dialog))
        dialog.set_scope("docker_host")
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(BenchImportDialog, "exec", fake_exec)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(DOCKER_JSON))])
    enter = QDragEnterEvent(
        QPoint(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(review.window, enter)
    assert enter.isAccepted()
    event = QDropEvent(
        QPointF(50, 50),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(review.window, event)
    assert len(seen) == 1
    assert review.document.model.bench_runs[0].scope == "docker_host"


def test_menu_and_toolbar_offer_the_import(review):
    assert review.act_import in review.menu.actions()
    from PySide6.QtWidgets import QToolBar

    toolbars = review.window.findChildren(QToolBar)
    assert any(review.act_import in tb.actions() for tb in toolbars)
    assert any(review.act_pdf in tb.actions() for tb in toolbars)
