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
def settle(qtbot):
    """Process events until the threat service has nothing left to derive."""

    def wait(service) -> None:
        qtbot.waitUntil(lambda: not service.pending and not service.applying, timeout=10_000)

    return wait


@pytest.fixture
def host_window(qtbot, settings, tmp_path, host_path, settle):
    from stride_desktop.io import load_model
    from stride_desktop.ui.main_window import MainWindow

    win = MainWindow(
        settings=settings,
        recovery_dir=tmp_path / "recovery",
        model=load_model(host_path),
        path=host_path,
    )
    qtbot.addWidget(win, before_close_func=lambda w: w.document.mark_saved())
    win.files.maybe_save = lambda: True  # closing at teardown must never ask (a modal would hang)
    win.document.mark_saved()
    settle(win.review.service)
    return win


@pytest.fixture
def review(host_window):
    return host_window.review


def parsed(qtbot, dialog):
    """``dialog`` once its file is parsed."""
    qtbot.waitUntil(lambda: not dialog.parsing, timeout=10_000)
    return dialog


@pytest.fixture
def import_bench(qtbot, settle):
    """Import a bench file through the dialog, as a person would (without a modal loop)."""
    from stride_desktop.ui.review.bench_import_dialog import BenchImportDialog

    def run(review, path: Path = DOCKER_JSON, scope: str | None = "docker_host"):
        dialog = parsed(qtbot, BenchImportDialog(review.document, path, review.window))
        dialog.set_scope(scope)
        dialog.accept()
        settle(review.service)
        return dialog

    return run
