"""UI test fixtures: offscreen Qt, temporary settings and recovery folder, a small model."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
MINI = DATA / "docker-host-mini.yaml"


def _delete_later_now() -> None:
    """Run the deletions deleteLater() queued (no event loop runs between tests)."""
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _top_level() -> dict[int, object]:
    import shiboken6
    from PySide6.QtWidgets import QApplication

    return {shiboken6.getCppPointer(w)[0]: w for w in QApplication.topLevelWidgets()}


@pytest.fixture(autouse=True)
def no_widget_outlives_its_test(qapp):
    """Fails a test that leaves a window or widget behind. Widgets registered with
    ``qtbot.addWidget`` are closed and deleted by pytest-qt before this runs."""
    _delete_later_now()
    before = set(_top_level())
    yield
    _delete_later_now()
    left = {key: w for key, w in _top_level().items() if key not in before}
    for widget in left.values():  # so that the next tests start clean
        widget.close()
        widget.deleteLater()
    _delete_later_now()
    if left:
        names = ", ".join(sorted({type(w).__name__ for w in left.values()}))
        pytest.fail(f"{len(left)} top-level widget(s) outlived the test: {names}")


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
    qtbot.addWidget(win, before_close_func=lambda w: w.document.mark_saved())
    win.document.mark_saved()
    return win


@pytest.fixture
def document(qtbot, model):
    from stride_desktop.ui.document import Document

    return Document(model)
