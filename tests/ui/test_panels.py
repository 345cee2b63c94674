"""Inspector, auto-layout, palette icons, zoom and the command line: change the model, assert the widget."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QSpinBox
from ui_helpers import palette_items, rename_editor


def inspect(window, obj_id):
    window.scene.select_ids([obj_id])
    window.inspector.rebuild()
    return window.inspector.fields


def test_inspector_element_properties_from_catalog(window):
    fields = inspect(window, "dockerd")
    spec_names = {p.name for p in window.document.catalog.get("docker.daemon").properties}
    assert {
        k.removeprefix("properties.") for k in fields if k.startswith("properties.")
    } == spec_names
    box = fields["properties.tls_verify"]
    assert isinstance(box, QCheckBox) and not box.isChecked()
    box.setChecked(True)
    element = window.document.model.element("dockerd")
    assert element.properties["tls_verify"] is True
    window.act_undo.trigger()
    assert "tls_verify" not in element.properties
    assert window.inspector.fields["properties.tls_verify"].isChecked() is False


def test_inspector_enum_int_and_text(window):
    fields = inspect(window, "web")
    combo = fields["properties.seccomp_profile"]
    assert isinstance(combo, QComboBox)
    combo.activated.emit(combo.findData("unconfined"))
    spin = window.inspector.fields["properties.pids_limit"]
    assert isinstance(spin, QSpinBox)
    spin.setValue(100)
    spin.editingFinished.emit()
    props = window.document.model.element("web").properties
    assert props["seccomp_profile"] == "unconfined" and props["pids_limit"] == 100


def test_inspector_flow_fields(window):
    fields = inspect(window, "f2")
    fields["encrypted"].setChecked(True)
    window.inspector.rebuild()
    port = window.inspector.fields["port"]
    port.setValue(2376)
    port.editingFinished.emit()
    auth = window.inspector.fields["authenticated"]
    auth.activated.emit(auth.findData("mtls"))
    flow = window.document.model.flow("f2")
    assert (flow.encrypted, flow.port, flow.authenticated) == (True, 2376, "mtls")
    assert window.document.undo_stack.count() == 3
    channel = window.inspector.fields["channel"]
    assert channel.itemText(channel.findData("unix_socket")) == "unix socket"
    before = flow.channel
    channel.activated.emit(channel.findData("loopback"))
    assert flow.channel == "loopback" and window.document.undo_stack.count() == 4
    window.document.undo_stack.undo()
    assert flow.channel == before


def test_inspector_boundary_fields(window):
    fields = inspect(window, "app")
    name = fields["name"]
    assert isinstance(name, QLineEdit)
    name.setText("App zone")
    name.editingFinished.emit()
    window.inspector.rebuild()
    trust = window.inspector.fields["trust"]
    trust.setValue(4)
    trust.editingFinished.emit()
    boundary = window.document.model.boundary("app")
    assert (boundary.name, boundary.trust) == ("App zone", 4)
    assert window.scene.boundary_items["app"].name == "App zone"


def test_auto_layout_keeps_members_inside_and_is_undoable(window):
    model = window.document.model
    before = {e.id: e.pos for e in model.elements}
    window.act_layout.trigger()
    for element in model.elements:
        for boundary_id in model.boundary_chain(element.boundary):
            rect = QRectF(*model.boundary(boundary_id).rect)
            assert rect.contains(*element.pos), (element.id, boundary_id)
    for element in model.elements:  # elements outside every boundary stay outside
        if element.boundary is None:
            assert not any(QRectF(*b.rect).contains(*element.pos) for b in model.boundaries)
    window.act_undo.trigger()
    assert {e.id: e.pos for e in model.elements} == before


def test_layout_of_examples_nests_boundaries(document):
    from stride_desktop.ui.layout import auto_layout_command

    command = auto_layout_command(document)
    assert set(command.positions) == {e.id for e in document.model.elements}
    inner, outer = QRectF(*command.rects["app"]), QRectF(*command.rects["host"])
    assert outer.contains(inner)


def test_every_palette_entry_has_an_icon(window):
    items = palette_items(window.palette)
    assert len(items) == len(window.document.catalog.components)
    for item in items.values():
        assert not item.icon(0).isNull()


def test_zoom_actions(window):
    start = window.view.zoom()
    window.act_zoom_in.trigger()
    assert window.view.zoom() > start
    window.act_zoom_out.trigger()
    window.act_zoom_out.trigger()
    assert window.view.zoom() < start
    window.act_fit.trigger()
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.itemsBoundingRect().center())


def test_screenshot_command_line(tmp_path):
    from stride_desktop.app import main

    out = tmp_path / "shot.png"
    mini = Path(__file__).parent / "data" / "docker-host-mini.yaml"
    assert main([str(mini), "--screenshot", str(out), "--size", "900x600"]) == 0
    from PySide6.QtGui import QImage

    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)


def test_screenshot_of_bad_model_exits_2(tmp_path, capsys):
    from stride_desktop.app import main

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "stride_model: 1\nname: x\nelements: [{id: a, component: nope.nope, pos: [0, 0]}]\n"
    )
    assert main([str(bad), "--screenshot", str(tmp_path / "x.png")]) == 2
    assert "bad.yaml" in capsys.readouterr().err


def test_ctrl_wheel_zooms(window, qtbot):
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    window.show()
    qtbot.waitExposed(window)
    start = window.view.zoom()
    pos = QPointF(window.view.viewport().rect().center())
    event = QWheelEvent(
        pos,
        window.view.viewport().mapToGlobal(pos),
        QPoint(),
        QPoint(0, 240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(window.view.viewport(), event)
    assert window.view.zoom() > start * 1.2


def test_rename_flow_and_boundary_in_place(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    for obj_id, new in (("f2", "Engine API"), ("host", "Host 1")):
        window.scene.select_ids([obj_id])
        window.act_rename.trigger()
        rename_editor(window).setText(new)
        rename_editor(window).editingFinished.emit()
    assert window.document.model.flow("f2").name == "Engine API"
    assert window.document.model.boundary("host").name == "Host 1"


def test_inspector_stays_narrow_with_long_labels_and_choices(qtbot, settings, tmp_path, prompts):
    """The catalog's longest labels and enum values wrap or elide: they never widen the panel."""
    from stride_desktop.io import load_model
    from stride_desktop.ui.main_window import MainWindow

    path = Path(__file__).resolve().parents[2] / "models" / "kubernetes-cluster.yaml"
    win = MainWindow(
        settings=settings, recovery_dir=tmp_path / "recovery", model=load_model(path), path=path
    )
    qtbot.addWidget(win)
    widest = 0
    for element in win.document.model.elements:
        inspect(win, element.id)
        widest = max(widest, win.inspector.widget().minimumSizeHint().width())
    assert widest <= 320


def test_tab_after_an_edit_moves_to_the_next_field(window, qtbot):
    """An edit updates the form in place: focus goes on along the form, not to the canvas."""
    from PySide6.QtCore import Qt

    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # focus and Tab need the active window
    fields = inspect(window, "web")
    name, description = fields["name"], fields["description"]
    name.setFocus()
    name.selectAll()
    qtbot.keyClicks(name, "nginx 2")
    qtbot.keyClick(name, Qt.Key.Key_Tab)
    QApplication.processEvents()  # anything the edit scheduled has run
    assert window.document.model.element("web").name == "nginx 2"
    assert QApplication.focusWidget() is window.inspector.fields["id"]
    assert window.inspector.fields["name"] is name  # the same form, updated in place
    description.setFocus()
    qtbot.keyClicks(description, "serves the site")
    qtbot.keyClick(description, Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert window.document.model.element("web").description == "serves the site"
    keys = list(window.inspector.fields)  # in the order of the form
    after = keys[keys.index("description") + 1]
    assert after.startswith("properties.")
    assert QApplication.focusWidget() is window.inspector.fields[after]
    window.act_undo.trigger()  # an edit from elsewhere shows in the same fields
    window.act_undo.trigger()
    QApplication.processEvents()
    assert (name.text(), description.text()) == ("nginx", "")
    assert window.inspector.fields["name"] is name


def test_canvas_and_report_share_one_severity_palette():
    from stride_desktop.report.styles import hex_of, severity_color
    from stride_desktop.rules.threat import SEVERITIES
    from stride_desktop.ui import style
    from stride_desktop.ui.review.common import severity_colour

    for severity in (*SEVERITIES, None, "unknown"):
        canvas = style.severity_colour(severity).name().lower()
        assert canvas == severity_colour(severity).name().lower()
        assert canvas == hex_of(severity_color(severity)).lower(), severity
    assert len({style.severity_colour(s).name() for s in SEVERITIES}) == len(SEVERITIES)
