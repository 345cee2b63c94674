"""Review-workflow fixtures: the docker-host example model in a window, the bench fixtures."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
HOST_MODEL = REPO / "models" / "docker-host.yaml"
BENCH = REPO / "tests" / "fixtures" / "bench"
DOCKER_JSON = BENCH / "docker-bench-1.6.0.log.json"
DOCKER_TEXT = BENCH / "docker-bench-1.6.0.log"


@pytest.fixture
def host_path(tmp_path) -> Path:
    path = tmp_path / "docker-host.yaml"
    shutil.copy(HOST_MODEL, path)
    return path


@pytest.fixture
def host_window(qtbot, settings, tmp_path, host_path):
    from stride_desktop.io import load_model
    from stride_desktop.ui.main_window import MainWindow

    win = MainWindow(
        settings=settings,
        recovery_dir=tmp_path / "recovery",
        model=load_model(host_path),
        path=host_path,
    )
    qtbot.addWidget(win)
    win.files.maybe_save = lambda: True  # closing at teardown must never ask (a modal would hang)
    win.document.mark_saved()
    win.review.service.wait()
    yield win
    win.document.undo_stack.setClean()
    win.document._forced_modified = False


@pytest.fixture
def review(host_window):
    return host_window.review


def import_run(review, path: Path = DOCKER_JSON, scope: str | None = "docker_host"):
    """Import a bench file through the dialog, as a person would (without a modal loop)."""
    from stride_desktop.ui.review.bench_import_dialog import BenchImportDialog

    dialog = BenchImportDialog(review.document, path, review.window)
    assert dialog.wait_parsed(), "parsing did not finish"
    dialog.set_scope(scope)
    dialog.accept()
    review.service.wait()
    return dialog


@pytest.fixture
def import_bench():
    return import_run
