"""Where new things go and what they are called: components added from the palette, new flows
and their labels, labels clear of each other and of the elements (issue 16)."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QPointF, QRectF

from stride_desktop.io import load_model
from stride_desktop.ui.commands import EditFieldCommand
from stride_desktop.ui.tools import connect

MODELS = Path(__file__).resolve().parents[2] / "models"


def bodies(scene):
    return {e: i.mapRectToScene(i.body_rect()) for e, i in scene.element_items.items()}


def palette_activate(window, component_id):
    """Double-click (or Enter) on the palette entry, as the person does."""
    item = window.palette._items[component_id]
    window.palette.tree.itemActivated.emit(item, 0)
    (element_id,) = window.scene.selected_ids()[0]
    return element_id


def test_two_components_from_the_palette_land_apart_near_the_centre(window, qtbot):
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    view, scene = window.view, window.scene
    centre = view.mapToScene(view.viewport().rect().center())
    first = palette_activate(window, "docker.container")
    second = palette_activate(window, "docker.container")
    boxes = bodies(scene)
    assert not boxes[first].intersects(boxes[second])
    for eid, box in boxes.items():  # nothing covered
        for new in (first, second):
            assert eid == new or not box.intersects(boxes[new]), (new, eid)
    for new in (first, second):  # near where the person looks, and in view
        p = scene.element_items[new].pos()
        assert (p - centre).manhattanLength() < 700
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        assert visible.contains(boxes[new])


def test_a_new_flow_is_labelled_by_protocol_and_port_and_never_goes_stale(window):
    doc, scene = window.document, window.scene
    flow_id = connect(scene, "cli", "vol")
    flow = doc.model.flow(flow_id)
    assert flow.name == ""  # the model keeps no made-up name
    item = scene.flow_items[flow_id]
    assert item.name == "TCP"
    doc.push(EditFieldCommand(doc, "flow", flow_id, "protocol", "https"))
    doc.push(EditFieldCommand(doc, "flow", flow_id, "port", 443))
    assert item.name == "HTTPS :443"
    doc.push(EditFieldCommand(doc, "element", "vol", "name", "Static files"))
    assert item.name == "HTTPS :443"  # renaming an end changes nothing
    doc.push(EditFieldCommand(doc, "flow", flow_id, "name", "publish"))
    assert item.name == "publish" and "https:443" in item.detail


def test_flow_labels_of_every_example_keep_clear_at_full_size(qtbot, settings, tmp_path):
    from stride_desktop.ui.main_window import MainWindow

    for path in sorted(MODELS.glob("*.yaml")):
        window = MainWindow(settings=settings, model=load_model(path), review=False)
        qtbot.addWidget(window)
        scene = window.scene
        flows = [f for f in scene.flow_items.values() if f.line.length() >= 1]
        boxes = bodies(scene)
        for a, b in itertools.combinations(flows, 2):
            assert not a.label_rect().intersects(b.label_rect()), (path.name, a.flow_id, b.flow_id)
        for flow in flows:
            label = flow.label_rect()
            for eid, box in boxes.items():
                assert not label.intersects(box), (path.name, flow.flow_id, eid)
        window.close()


def test_add_component_here_from_the_canvas_menu_takes_a_free_spot(window):
    scene = window.scene
    box = bodies(scene)["dockerd"]
    eid = window.menus.add_component("docker.container", box.center())  # right on dockerd
    new = bodies(scene)[eid]
    assert not new.intersects(box)
    assert (new.center() - box.center()).manhattanLength() < 400


def test_placement_inside_a_boundary_stays_inside(window):
    from stride_desktop.ui.placement import free_spot

    scene = window.scene
    frame = QRectF(*scene.boundary_items["app"].scene_rect_tuple())
    for _ in range(3):
        spot = free_spot(scene, frame.center(), inside=frame)
        box = QRectF(spot - QPointF(88, 32), spot + QPointF(88, 32))
        assert frame.contains(box)
        eid = scene.add_component("docker.container", spot)
        assert window.document.model.element(eid).boundary == "app"
