"""Canvas gestures through the real view: drop from the palette, connect, move, membership."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication
from ui_helpers import palette_items, rename_editor

from stride_desktop.ui.palette import component_mime


def viewport_point(window, scene_point) -> QPoint:
    return window.view.mapFromScene(QPointF(*scene_point))


def send_mouse(
    window,
    kind,
    scene_point,
    *,
    buttons=Qt.MouseButton.LeftButton,
    button=Qt.MouseButton.LeftButton,
):
    pos = QPointF(viewport_point(window, scene_point))
    viewport = window.view.viewport()
    event = QMouseEvent(
        kind, pos, viewport.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(viewport, event)


def drag(window, start, end, steps=4):
    send_mouse(window, QEvent.Type.MouseButtonPress, start)
    for i in range(1, steps + 1):
        t = i / steps
        send_mouse(
            window,
            QEvent.Type.MouseMove,
            (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t),
            button=Qt.MouseButton.NoButton,
        )
    send_mouse(window, QEvent.Type.MouseButtonRelease, end, buttons=Qt.MouseButton.NoButton)


def drop_component(window, component_id, scene_point):
    """Drive the view's drag-and-drop handlers with the palette's MIME data."""
    mime = component_mime(component_id)
    pos = QPointF(viewport_point(window, scene_point))
    viewport = window.view.viewport()
    actions = Qt.DropAction.CopyAction
    for event in (
        QDragEnterEvent(
            pos.toPoint(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        ),
        QDragMoveEvent(
            pos.toPoint(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        ),
        QDropEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier),
    ):
        QApplication.sendEvent(viewport, event)


def shown(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.view.set_zoom(1.0)
    window.view.centerOn(600, 250)


def test_palette_drop_adds_element_inside_boundary_and_undo(window, qtbot):
    shown(window, qtbot)
    before = len(window.document.model.elements)
    drop_component(window, "docker.secret", (620, 420))  # inside "Web container" (app)
    model = window.document.model
    assert len(model.elements) == before + 1
    added = model.elements[-1]
    assert added.component == "docker.secret" and added.boundary == "app"
    assert added.id in window.scene.element_items
    assert window.document.undo_stack.undoText().startswith("Add element")
    window.document.undo_stack.undo()
    assert len(model.elements) == before and added.id not in window.scene.element_items


def test_palette_double_click_adds_at_view_centre(window, qtbot):
    shown(window, qtbot)
    item = palette_items(window.palette)["k8s.etcd"]
    window.palette.tree.itemActivated.emit(item, 0)
    assert window.document.model.elements[-1].component == "k8s.etcd"


def test_palette_search_filters(window):
    window.palette.search.setText("kubelet")
    visible = window.palette.visible_components()
    assert "k8s.kubelet" in visible and not [c for c in visible if c.startswith("docker.")]
    window.palette.search.setText("")
    assert len(window.palette.visible_components()) == len(window.document.catalog.components)


def test_move_is_one_undo_step(window, qtbot):
    shown(window, qtbot)
    stack = window.document.undo_stack
    count = stack.count()
    drag(window, (970, 420), (1010, 460), steps=6)  # the "Web content" volume, body centre
    element = window.document.model.element("vol")
    assert element.pos == (1000.0, 460.0)
    assert stack.count() == count + 1
    stack.undo()
    assert element.pos == (960.0, 420.0)
    assert window.scene.element_items["vol"].pos() == QPointF(960, 420)


def test_drag_into_and_out_of_boundary_changes_membership(window, qtbot):
    shown(window, qtbot)
    model = window.document.model
    drag(window, (970, 420), (610, 400))  # volume into the Web container boundary
    assert model.element("vol").boundary == "app"
    drag(window, (610, 400), (-300, 600))  # out of every boundary
    assert model.element("vol").boundary is None
    window.document.undo_stack.undo()
    assert model.element("vol").boundary == "app"
    window.document.undo_stack.undo()
    assert model.element("vol").boundary == "host"


def test_moving_a_boundary_moves_its_members(window, qtbot):
    shown(window, qtbot)
    model = window.document.model
    drag(window, (400, 312), (440, 352))  # the tab of "Web container"
    assert model.boundary("app").rect[:2] == (380.0, 340.0)
    assert model.element("web").pos == (560.0, 440.0)
    window.document.undo_stack.undo()
    assert model.element("web").pos == (520.0, 400.0)


def test_connect_by_dragging_from_an_element_edge(window, qtbot):
    shown(window, qtbot)
    model = window.document.model
    before = len(model.flows)
    right_port = (1060 + 88, 100)  # containerd's right-hand port
    drag(window, right_port, (1060, 240))  # onto the image store
    assert len(model.flows) == before + 1
    flow = model.flows[-1]
    assert (flow.source, flow.target) == ("containerd", "images")
    assert flow.id in window.scene.flow_items
    window.document.undo_stack.undo()
    assert len(model.flows) == before


def test_connect_tool(window, qtbot):
    shown(window, qtbot)
    window.set_tool("connect")
    drag(window, (460, 100), (1060, 100))
    flow = window.document.model.flows[-1]
    assert (flow.source, flow.target) == ("cli", "containerd")


def test_opposite_flows_do_not_overlap(window):
    f2, f3 = window.scene.flow_items["f2"], window.scene.flow_items["f3"]
    assert abs(f2.line.p1().y() - f3.line.p2().y()) > 8
    assert not f2.label_rect().intersects(f3.label_rect())


def test_boundary_tool_draws_boundary_with_members(window, qtbot):
    shown(window, qtbot)
    window.set_tool("boundary")
    drag(window, (900, 180), (1200, 300))  # around the image store, inside the host
    model = window.document.model
    boundary = model.boundaries[-1]
    assert boundary.parent == "host" and boundary.trust == 3
    assert model.element("images").boundary == boundary.id
    assert window.scene.tool.name == "select"
    window.document.undo_stack.undo()  # the whole gesture is one step
    assert model.element("images").boundary == "host"
    assert model.boundary(boundary.id) is None


def test_resize_boundary(window, qtbot):
    shown(window, qtbot)
    drag(
        window, (718, 478), (800, 500)
    )  # bottom-right corner of "Web container" (340+380, 300+180)
    assert window.document.model.boundary("app").rect == (340.0, 300.0, 460.0, 200.0)


def test_delete_and_undo_restores_flows(window, qtbot):
    window.scene.select_ids(["dockerd"])
    window.act_delete.trigger()
    model = window.document.model
    assert model.element("dockerd") is None
    assert {"f2", "f3", "f4", "f5"}.isdisjoint({f.id for f in model.flows})
    assert "f2" not in window.scene.flow_items
    window.act_undo.trigger()
    assert {"f2", "f3", "f4", "f5"} <= {f.id for f in model.flows}
    assert {"f2", "f3", "f4", "f5"} <= set(window.scene.flow_items)


def test_select_all_copy_paste_duplicate(window):
    window.scene.select_ids(["web", "vol"])
    before_e, before_f = len(window.document.model.elements), len(window.document.model.flows)
    window.act_duplicate.trigger()
    model = window.document.model
    assert len(model.elements) == before_e + 2 and len(model.flows) == before_f + 1  # f7 copied
    new_flow = model.flows[-1]
    assert {new_flow.source, new_flow.target} == {"web-copy", "vol-copy"}
    window.act_copy.trigger()
    window.act_paste.trigger()
    assert len(model.elements) == before_e + 4
    window.act_select_all.trigger()
    assert len(window.scene.selectedItems()) == (
        len(model.elements) + len(model.flows) + len(model.boundaries)
    )


def test_rename_in_place(window, qtbot):
    shown(window, qtbot)
    window.scene.select_ids(["web"])
    window.act_rename.trigger()
    editor = rename_editor(window)
    assert editor is not None and editor.text() == "nginx"
    editor.setText("frontend")
    editor.editingFinished.emit()
    assert window.document.model.element("web").name == "frontend"
    assert window.act_undo.text() == "&Undo Rename 'nginx'"


def test_undo_menu_text_names_the_command(window):
    window.scene.select_ids(["vol"])
    window.act_delete.trigger()
    assert "Delete 'Web content'" in window.act_undo.text()
    assert window.act_undo.iconText() == "Undo"  # the toolbar button does not grow with it


def test_quitting_after_copy_exits_cleanly(tmp_path):
    """The clipboard outlives the interpreter: a copied fragment once crashed the process on exit."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    mini = Path(__file__).parent / "data" / "docker-host-mini.yaml"
    script = (
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from stride_desktop.io import load_model\n"
        "from stride_desktop.ui.main_window import MainWindow\n"
        f"w = MainWindow(model=load_model({str(mini)!r}))\n"
        "w.scene.select_ids([w.document.model.elements[0].id])\n"
        "w.act_copy.trigger()\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]


def press_and_move(window, start, end, steps=3):
    """A drag with the button still down (no release)."""
    send_mouse(window, QEvent.Type.MouseButtonPress, start)
    for i in range(1, steps + 1):
        t = i / steps
        point = (start[0] + (end[0] - start[0]) * t, start[1] + (end[1] - start[1]) * t)
        send_mouse(window, QEvent.Type.MouseMove, point, button=Qt.MouseButton.NoButton)


def release(window, point):
    send_mouse(window, QEvent.Type.MouseButtonRelease, point, buttons=Qt.MouseButton.NoButton)


def test_escape_during_a_drag_puts_the_items_back(window, qtbot):
    shown(window, qtbot)
    scene, stack = window.scene, window.document.undo_stack
    count = stack.count()
    item = scene.element_items["vol"]
    flows = [f for f in scene.flow_items.values() if "vol" in (f.source_id, f.target_id)]
    routes = [f.line for f in flows]
    press_and_move(window, (970, 420), (1100, 520))
    assert item.pos() != QPointF(960, 420)  # the item runs ahead of the model while dragged
    assert [f.line for f in flows] != routes
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert item.pos() == QPointF(960, 420)
    assert [f.line for f in flows] == routes  # its flows are routed back too
    send_mouse(window, QEvent.Type.MouseMove, (1150, 560), button=Qt.MouseButton.NoButton)
    release(window, (1150, 560))
    assert item.pos() == QPointF(960, 420)
    assert window.document.model.element("vol").pos == (960.0, 420.0)
    assert stack.count() == count  # nothing to undo


def test_escape_cancels_a_resize_a_connection_and_a_new_boundary(window, qtbot):
    shown(window, qtbot)
    scene, model, stack = window.scene, window.document.model, window.document.undo_stack
    count, items, zones = stack.count(), len(scene.items()), len(model.boundaries)
    boundary = scene.boundary_items["app"]
    press_and_move(window, (718, 478), (800, 500))  # resize "Web container"
    assert boundary.size != (380.0, 180.0)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert boundary.size == (380.0, 180.0)
    release(window, (800, 500))
    assert model.boundary("app").rect == (340.0, 300.0, 380.0, 180.0)
    flows = len(model.flows)
    press_and_move(window, (1060 + 88, 100), (1060, 240))  # connect from containerd's port
    assert len(scene.items()) == items + 1  # the rubber line
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert len(scene.items()) == items
    release(window, (1060, 240))
    assert len(model.flows) == flows
    window.set_tool("boundary")
    press_and_move(window, (900, 180), (1200, 300))
    assert len(scene.items()) == items + 1  # the rectangle being drawn
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert len(scene.items()) == items
    release(window, (1200, 300))
    assert len(model.boundaries) == zones and stack.count() == count
    assert scene.tool.name == "select"  # a one-shot tool, done either way
