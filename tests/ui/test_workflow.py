"""Draw a small Docker host from an empty canvas, without YAML; open a model by dropping it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from test_canvas import drag, drop_component, send_mouse

from stride_desktop.io import load_model
from stride_desktop.model import Model

MINI = Path(__file__).parent / "data" / "docker-host-mini.yaml"


def test_draw_docker_host_from_scratch_and_save(window, qtbot, tmp_path, monkeypatch):
    window.document.set_model(Model(name="My host"))
    window.show()
    qtbot.waitExposed(window)
    window.view.set_zoom(1.0)
    window.view.centerOn(400, 300)
    window.set_tool("boundary")
    drag(window, (100, 100), (700, 500))
    host = window.document.model.boundaries[0]
    window.inspector.rebuild()
    window.inspector.fields["name"].setText("Docker host")
    window.inspector.fields["name"].editingFinished.emit()
    drop_component(window, "docker.daemon", (260, 300))
    drop_component(window, "docker.container", (560, 300))
    drop_component(window, "docker.client", (-200, 300))  # outside: the person's laptop
    model = window.document.model
    daemon, container, cli = model.elements
    assert daemon.boundary == host.id and container.boundary == host.id and cli.boundary is None
    window.set_tool("connect")
    drag(window, (-200, 300), (260, 300))
    drag(window, (260, 300), (560, 300))
    assert [(f.source, f.target) for f in model.flows] == [
        (cli.id, daemon.id),
        (daemon.id, container.id),
    ]
    window.set_tool("select")
    window.scene.select_ids([container.id])
    window.inspector.rebuild()
    window.inspector.fields["properties.privileged"].setChecked(True)
    target = tmp_path / "my-host.yaml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.act_save.trigger()
    saved = load_model(target)
    assert saved.boundary(host.id).name == "Docker host"
    assert saved.element(container.id).properties == {"privileged": True}
    assert len(saved.flows) == 2
    assert window.windowTitle().startswith("my-host.yaml")


def test_drop_model_file_on_canvas_opens_it(window, qtbot, tmp_path):
    other = tmp_path / "dropped.yaml"
    other.write_text(MINI.read_text().replace("Docker host (test)", "Dropped"))
    window.show()
    qtbot.waitExposed(window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    viewport = window.view.viewport()
    pos = QPointF(viewport.rect().center())
    QApplication.sendEvent(
        viewport,
        QDragEnterEvent(
            pos.toPoint(),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
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
    assert window.document.model.name == "Dropped"


def test_middle_drag_pans_without_editing(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.view.set_zoom(1.0)
    before_h = window.view.horizontalScrollBar().value()
    count = window.document.undo_stack.count()
    send_mouse(
        window,
        QEvent.Type.MouseButtonPress,
        (500, 300),
        buttons=Qt.MouseButton.MiddleButton,
        button=Qt.MouseButton.MiddleButton,
    )
    send_mouse(
        window,
        QEvent.Type.MouseMove,
        (400, 300),
        buttons=Qt.MouseButton.MiddleButton,
        button=Qt.MouseButton.NoButton,
    )
    assert window.view.horizontalScrollBar().value() != before_h
    assert window.document.undo_stack.count() == count
    send_mouse(
        window,
        QEvent.Type.MouseButtonRelease,
        (400, 300),
        buttons=Qt.MouseButton.NoButton,
        button=Qt.MouseButton.MiddleButton,
    )
