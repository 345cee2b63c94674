"""UI test fixtures: offscreen Qt, temporary settings and recovery folder, a small model."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI = DATA / "docker-host-mini.yaml"


@pytest.fixture
def settings(tmp_path):
    from PySide6.QtCore import QSettings

    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def model():
    from stride_desktop.io import load_model

    return load_model(MINI)


@pytest.fixture
def prompts(monkeypatch):
    """Answers to the unsaved-changes prompt ("discard" unless a test says otherwise)."""
    record = {"asked": [], "answer": "discard"}

    def ask(parent, name):
        record["asked"].append(name)
        return record["answer"]

    monkeypatch.setattr("stride_desktop.ui.files.ask_save_changes", ask)
    return record


@pytest.fixture
def window(qtbot, settings, tmp_path, model, prompts):
    from stride_desktop.ui.main_window import MainWindow

    win = MainWindow(settings=settings, recovery_dir=tmp_path / "recovery", model=model, path=MINI)
    qtbot.addWidget(win)
    win.document.mark_saved()
    yield win
    win.document.undo_stack.setClean()
    win.document._forced_modified = False


@pytest.fixture
def document(qtbot, model):
    from stride_desktop.ui.document import Document

    return Document(model)
