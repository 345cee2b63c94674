"""Autosave and recovery: atomic recovery files, every crashed session offered, damaged ones
set aside with a message, nothing deleted before the person decides."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from stride_desktop.io import dump_model, load_model
from stride_desktop.ui.commands import EditFieldCommand
from stride_desktop.ui.main_window import MainWindow

MINI = Path(__file__).parent / "data" / "docker-host-mini.yaml"


def dead_pids(count: int) -> list[int]:
    pids = []
    for _ in range(count):
        child = subprocess.Popen([sys.executable, "-c", "pass"])
        child.wait()
        pids.append(child.pid)
    return pids


def crashed_session(folder: Path, pid: int, *, name: str, at: float, text: str | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    model = load_model(MINI)
    model.element("web").name = name
    file = folder / f"recovery-{pid}.yaml"
    file.write_text(dump_model(model) if text is None else text, encoding="utf-8")
    note = file.with_suffix(".json")
    note.write_text(json.dumps({"path": str(MINI), "saved_at": at}))
    return file


@pytest.fixture
def answers(monkeypatch):
    """Clicks the named button of each recovery question in turn; records the questions."""
    record: dict[str, list] = {"asked": [], "answers": [], "warnings": []}

    def click(box):
        record["asked"].append(box.text())
        choice = record["answers"].pop(0)
        next(b for b in box.buttons() if b.text() == choice).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click)
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text: record["warnings"].append(text)
    )
    return record


def new_window(qtbot, settings, recovery: Path) -> MainWindow:
    window = MainWindow(settings=settings, recovery_dir=recovery)
    qtbot.addWidget(window)
    return window


def close_quietly(window: MainWindow) -> None:
    window.document.mark_saved()


def test_every_crashed_session_is_offered_and_kept_until_decided(
    qtbot, settings, tmp_path, answers
):
    recovery = tmp_path / "recovery"
    older_pid, newer_pid = dead_pids(2)
    older = crashed_session(recovery, older_pid, name="older work", at=time.time() - 600)
    newer = crashed_session(recovery, newer_pid, name="newer work", at=time.time() - 60)
    answers["answers"] = ["Recover", "Later"]
    first = new_window(qtbot, settings, recovery)
    assert first.files.offer_recovery() is True
    assert len(answers["asked"]) == 2  # both offered, the newest first
    assert "Recover the changes to" in answers["asked"][0]
    assert "Another session" in answers["asked"][1]
    assert first.document.model.element("web").name == "newer work"
    assert first.document.is_modified and first.document.path == MINI
    # the recovered session is this editor's own recovery file now; the other one is kept
    assert not newer.exists() and older.exists() and older.with_suffix(".json").exists()
    assert load_model(first.files.recovery_file).element("web").name == "newer work"
    close_quietly(first)
    first.files.discard_recovery()

    answers["answers"] = ["Discard"]
    second = new_window(qtbot, settings, recovery)
    assert second.files.offer_recovery() is False
    assert "Recover the changes to" in answers["asked"][2]
    assert not older.exists() and not older.with_suffix(".json").exists()
    assert list(recovery.iterdir()) == []


def test_later_keeps_the_session_for_the_next_start(qtbot, settings, tmp_path, answers):
    recovery = tmp_path / "recovery"
    (pid,) = dead_pids(1)
    file = crashed_session(recovery, pid, name="kept", at=time.time())
    answers["answers"] = ["Later"]
    window = new_window(qtbot, settings, recovery)
    assert window.files.offer_recovery() is False
    assert file.exists() and window.document.model.elements == []
    answers["answers"] = ["Recover"]
    assert window.files.offer_recovery() is True
    assert window.document.model.element("web").name == "kept"
    close_quietly(window)


@pytest.mark.parametrize(
    "text",
    ["", "stride_model: 1\nname: trunc\nelements:\n  - {id: a, comp", "\x00\x01binary", "[1, 2]"],
)
def test_a_damaged_recovery_file_is_set_aside_with_a_message(
    qtbot, settings, tmp_path, answers, text
):
    recovery = tmp_path / "recovery"
    damaged_pid, good_pid = dead_pids(2)
    crashed_session(recovery, damaged_pid, name="x", at=time.time(), text=text)
    crashed_session(recovery, good_pid, name="good", at=time.time() - 10)
    answers["answers"] = ["Recover"]
    window = new_window(qtbot, settings, recovery)
    assert window.files.offer_recovery() is True  # the readable one is still offered
    assert window.document.model.element("web").name == "good"
    assert len(answers["warnings"]) == 1 and "set aside" in answers["warnings"][0]
    aside = sorted(p.name for p in recovery.glob("damaged-recovery-*"))
    assert [p.split("-")[2] for p in aside] == [str(damaged_pid)] * 2  # the .yaml and its note
    assert aside[1].endswith(".yaml") and (recovery / aside[1]).read_bytes() == text.encode()
    close_quietly(window)
    window.files.discard_recovery()
    assert window.files.offer_recovery() is False  # set aside: never offered again
    assert len(answers["warnings"]) == 1


def test_a_damaged_note_still_offers_the_session(qtbot, settings, tmp_path, answers):
    recovery = tmp_path / "recovery"
    (pid,) = dead_pids(1)
    file = crashed_session(recovery, pid, name="noted", at=time.time())
    file.with_suffix(".json").write_text("{trunc")
    answers["answers"] = ["Recover"]
    window = new_window(qtbot, settings, recovery)
    assert window.files.offer_recovery() is True
    assert "an unsaved model" in answers["asked"][0]
    assert window.document.path is None
    close_quietly(window)


def test_autosave_is_atomic_and_a_failure_only_shows_a_message(window, monkeypatch):
    window.document.push(EditFieldCommand(window.document, "element", "web", "name", "first"))
    window.files.autosave()
    recovery_file = window.files.recovery_file
    assert load_model(recovery_file).element("web").name == "first"
    window.document.push(EditFieldCommand(window.document, "element", "web", "name", "second"))

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    window.files.autosave()  # no exception reaches Qt's event loop
    assert "Autosave failed: No space left on device" in window.statusBar().currentMessage()
    assert load_model(recovery_file).element("web").name == "first"  # the last whole autosave
    assert not [p for p in recovery_file.parent.iterdir() if p.name.endswith(".tmp")]
