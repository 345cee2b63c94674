"""File ▸ Import and drops of compose files / manifests in the editor; re-import is one undo step."""

from __future__ import annotations

import shutil
from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QRectF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from stride_desktop.io import dump_model
from stride_desktop.model import Model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FLASK = FIXTURES / "compose" / "awesome-compose__nginx-flask-mysql-compose.yml"
SHOP = FIXTURES / "k8s" / "microservices-demo__release-kubernetes-manifests.yaml"


@pytest.fixture
def empty_window(qtbot, settings, tmp_path, prompts):
    from stride_desktop.ui.main_window import MainWindow

    win = MainWindow(settings=settings, recovery_dir=tmp_path / "recovery", model=Model())
    qtbot.addWidget(win)
    yield win
    win.document.undo_stack.setClean()
    win.document._forced_modified = False


def drop(window, qtbot, path: Path) -> bool:
    window.show()
    qtbot.waitExposed(window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    viewport = window.view.viewport()
    pos = QPointF(viewport.rect().center())
    enter = QDragEnterEvent(
        pos.toPoint(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, enter)
    QApplication.sendEvent(
        viewport,
        QDropEvent(
            pos,
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    return enter.isAccepted()


def test_file_menu_offers_the_import_after_open_recent(window) -> None:
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    texts = [a.text() for a in file_menu.actions()]
    index = texts.index("&Import Compose / Kubernetes…")
    assert texts[index - 1] == "Open &Recent"
    assert window.importer.action.shortcut().toString() == "Ctrl+Shift+I"


def test_import_into_an_empty_window_opens_a_new_unsaved_model(empty_window) -> None:
    result = empty_window.importer.import_paths([str(SHOP)])
    model = empty_window.document.model
    assert result is not None and model is result.model
    assert model.element("deploy.default.frontend") is not None
    assert empty_window.document.path is None and empty_window.document.is_modified
    assert set(empty_window.scene.element_items) == {e.id for e in model.elements}
    assert empty_window.importer.report is not None  # the shoppingassistantservice warning
    assert any("shoppingassistantservice" in line for line in empty_window.importer.report.lines)


def _boxes(scene) -> dict[str, QRectF]:
    return {eid: item.mapRectToScene(item.body_rect()) for eid, item in scene.element_items.items()}


@pytest.mark.parametrize("path", [FLASK, SHOP], ids=lambda p: p.name)
def test_imported_boxes_as_drawn_do_not_overlap_and_sit_in_their_boundaries(
    empty_window, path
) -> None:
    empty_window.importer.import_paths([str(path)])
    scene, model = empty_window.scene, empty_window.document.model
    boxes = _boxes(scene)
    assert [(a, b) for a, b in combinations(boxes, 2) if boxes[a].intersects(boxes[b])] == []
    for element in model.elements:
        for boundary_id in model.boundary_chain(element.boundary):
            frame = QRectF(*scene.boundary_items[boundary_id].scene_rect_tuple())
            assert frame.contains(boxes[element.id]), (element.id, boundary_id)


def test_reimport_into_the_open_model_is_one_undo_step(empty_window, tmp_path) -> None:
    compose = tmp_path / "compose.yaml"
    shutil.copy(FLASK, compose)
    importer, document = empty_window.importer, empty_window.document
    importer.import_paths([str(compose)])
    document.mark_saved()
    before = dump_model(document.model)
    steps = document.undo_stack.count()
    compose.write_text(
        compose.read_text().replace(
            "    build: proxy\n", "    build: proxy\n    privileged: true\n"
        )
    )
    importer.choose_target = lambda names: "update"
    importer.import_paths([str(compose)])
    assert document.undo_stack.count() == steps + 1
    assert document.undo_stack.undoText() == "Re-import compose.yaml"
    assert document.model.element("svc.proxy").properties["privileged"] is True
    assert any("privileged false -> true" in line for line in importer.report.lines)
    document.undo_stack.undo()
    assert dump_model(document.model) == before
    assert "privileged" not in empty_window.document.model.element("svc.proxy").properties
    document.undo_stack.redo()
    assert document.model.element("svc.proxy").properties["privileged"] is True
    assert set(empty_window.scene.element_items) == {e.id for e in document.model.elements}


def test_choosing_a_new_model_replaces_the_open_one(window) -> None:
    window.importer.choose_target = lambda names: "new"
    window.importer.import_paths([str(FLASK)])
    assert window.document.model.element("svc.db") is not None
    assert window.document.path is None


def test_cancelling_leaves_the_open_model_alone(window) -> None:
    before = dump_model(window.document.model)
    window.importer.choose_target = lambda names: None
    assert window.importer.import_paths([str(FLASK)]) is None
    assert dump_model(window.document.model) == before


def test_a_file_that_cannot_be_imported_is_reported(window, tmp_path) -> None:
    before = dump_model(window.document.model)
    bad = tmp_path / "compose.yml"
    bad.write_text("services:\n  web: [unclosed\n")
    assert window.importer.import_paths([str(bad)]) is None
    assert window.importer.report.windowTitle() == "Cannot import"
    assert any("compose.yml" in line for line in window.importer.report.lines)
    assert dump_model(window.document.model) == before


def test_dropping_a_compose_file_imports_it(empty_window, qtbot) -> None:
    assert drop(empty_window, qtbot, FLASK)
    assert empty_window.document.model.element("svc.backend") is not None


def test_dropping_a_model_still_opens_it(empty_window, qtbot) -> None:
    model = FIXTURES.parent / "ui" / "data" / "docker-host-mini.yaml"
    drop(empty_window, qtbot, model)
    assert empty_window.document.model.name == "Docker host (test)"
    assert empty_window.document.path == model.resolve()
