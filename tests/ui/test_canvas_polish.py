"""Element boxes fit their names; the overview shows only while part of the diagram is hidden."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontMetricsF

from stride_desktop.ui import style
from stride_desktop.ui.commands import MoveCommand
from stride_desktop.ui.items.element_item import MAX_W, name_font, wrap_two
from stride_desktop.ui.main_window import MainWindow


def rename(window, element_id, name):
    from stride_desktop.ui.commands import EditFieldCommand

    window.document.push(EditFieldCommand(window.document, "element", element_id, "name", name))
    return window.scene.element_items[element_id]


def test_element_width_grows_with_the_name(window):
    short = rename(window, "web", "web").body_rect().width()
    assert short == style.ELEMENT_W
    medium = rename(window, "web", "nginx reverse").body_rect().width()
    assert medium >= short
    item = rename(window, "web", "kube-controller-manager")
    width, lines, _ = item.text_layout()
    assert item.body_rect().width() == width <= MAX_W
    assert lines == ["kube-controller-", "manager"]  # wrapped, nothing elided


def test_every_name_is_readable_without_eliding(window):
    names = [
        "kube-apiserver",
        "cloud-controller-manager",
        "Cluster admin (kubectl)",
        "Cloud API / metadata (169.254.169.254)",
        "Cloud registry (registry.example.com)",
        "Engine API tcp://0.0.0.0:2375",
        "frontend-external (LoadBalancer)",
    ]
    for name in names:
        _, lines, _ = rename(window, "web", name).text_layout()
        assert "…" not in "".join(lines), name
        assert "".join(lines).replace(" ", "") == name.replace(" ", ""), name  # all of it, in order


def test_flows_follow_the_wider_box(window):
    item = rename(window, "web", "a very long element name that wraps")
    rect = item.sceneBoundingRect()
    for flow in window.scene.flow_items.values():
        if flow.source_id == "web":
            start = flow.line.p1()
            assert rect.adjusted(-1, -1, 1, 1).contains(start)


def test_wrap_two_prefers_balanced_lines(qtbot):
    fm = QFontMetricsF(name_font())
    width, lines = wrap_two("Cluster admin (kubectl)", fm)
    assert lines == ["Cluster admin", "(kubectl)"]
    assert width < fm.horizontalAdvance("Cluster admin (kubectl)")
    assert wrap_two("etcd", fm)[1] == ["etcd"]  # nowhere to break
    assert wrap_two("Engine API tcp://0.0.0.0:2375", fm)[1] == ["Engine API", "tcp://0.0.0.0:2375"]
    assert wrap_two("productcatalogservice", fm)[1] == ["productcatalog", "service"]


def test_overview_hidden_while_the_diagram_fits(window, qtbot):
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    minimap = window.view.minimap
    window.view.fit()
    minimap.refit()
    assert minimap.diagram_fits() and not minimap.isVisible()
    window.view.set_zoom(3.0)
    assert not minimap.diagram_fits() and minimap.isVisible()
    window.act_minimap.trigger()  # View > Overview off
    assert not minimap.isVisible()
    window.view.fit()
    window.view.set_zoom(3.0)
    assert not minimap.isVisible()


def test_overview_choice_is_remembered(qtbot, settings, tmp_path, model):
    first = MainWindow(settings=settings, recovery_dir=tmp_path / "r1", model=model, review=False)
    qtbot.addWidget(first)
    assert first.act_minimap.isChecked()
    first.act_minimap.trigger()
    settings.sync()
    again = MainWindow(
        settings=QSettings(settings.fileName(), QSettings.Format.IniFormat),
        recovery_dir=tmp_path / "r2",
        model=model,
        review=False,
    )
    qtbot.addWidget(again)
    assert not again.act_minimap.isChecked() and not again.view.minimap.wanted


def test_flow_label_slides_off_an_element_in_its_way(window):
    from PySide6.QtCore import QPointF

    from stride_desktop.model import Flow
    from stride_desktop.ui.commands import AddItemsCommand

    scene = window.scene
    far = QPointF(4000, 3000)  # clear of the model's own items
    a = scene.add_component("generic.process", far)
    b = scene.add_component("generic.process", far + QPointF(800, 0))
    window.document.push(
        AddItemsCommand(
            window.document, flows=[Flow(id="long", source=a, target=b, name="a long flow")]
        )
    )
    flow = scene.flow_items["long"]
    assert flow.label_t == 0.5  # nothing in the way
    blocker = scene.element_items[scene.add_component("generic.process", far + QPointF(400, 0))]
    scene.sync_flows(["long"])
    assert flow.label_t != 0.5
    assert not flow.label_rect().intersects(blocker.mapRectToScene(blocker.body_rect()))


def test_hidden_overview_renders_its_picture_only_once_shown(window, qtbot):
    """Rendering the overview costs a full repaint of the scene: not while it is hidden."""
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    minimap = window.view.minimap
    window.view.fit()
    minimap.refit()
    assert not minimap.isVisible()
    assert minimap._picture.isNull()  # skipped: nobody can see it
    window.view.set_zoom(3.0)  # part of the diagram out of view: the overview shows
    assert minimap.isVisible()
    qtbot.waitUntil(lambda: not minimap._picture.isNull(), timeout=3000)


def test_a_large_diagrams_overview_sketches_every_box(window, qtbot, monkeypatch):
    """Above SKETCH_LIMIT elements the overview draws the boxes itself (rendering the scene
    would paint every item): its extent holds every element and boundary, in their colours."""
    from PySide6.QtGui import QColor

    from stride_desktop.ui import overview_sketch

    monkeypatch.setattr(overview_sketch, "SKETCH_LIMIT", 2)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    scene, minimap = window.scene, window.view.minimap
    rendered = []
    monkeypatch.setattr(scene, "render", lambda *args: rendered.append(args))
    window.view.set_zoom(3.0)
    minimap.refit()
    assert minimap.isVisible() and not minimap._picture.isNull() and not rendered
    extent = minimap._items_rect
    for item in scene.element_items.values():
        centre = item.pos()
        assert extent.contains(centre), item.element_id
    for item in scene.boundary_items.values():
        assert extent.contains(item.mapRectToScene(item.local_rect())), item.boundary_id
    image = minimap._picture.toImage()
    pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    colours = {c.name() for c in pixels}
    kinds = {item.kind for item in scene.element_items.values()}
    assert {style.KIND_BORDER[k].name() for k in kinds} <= colours
    red = QColor(style.BOUNDARY)  # the outlines, a pixel wide (smoothed)
    assert any(c.red() > 150 and c.green() < red.green() + 30 and c.blue() < 120 for c in pixels)


def test_fit_shows_a_diagram_that_grew_past_its_scroll_area(window, qtbot):
    """An auto-layout can double the diagram: the scroll area follows, so Fit shows it all."""
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    model, scene, view = window.document.model, window.scene, window.view
    far = {e.id: (e.pos[0] * 3 + 6000, e.pos[1] * 3 + 4000) for e in model.elements}
    rects = {
        b.id: (b.rect[0] * 3 + 6000, b.rect[1] * 3 + 4000, *b.rect[2:]) for b in model.boundaries
    }
    window.document.push(MoveCommand(window.document, positions=far, rects=rects, text="Spread"))
    qtbot.waitUntil(lambda: scene.sceneRect().contains(scene.itemsBoundingRect()))
    window.view.fit()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(scene.itemsBoundingRect())


def test_view_show_grid_toggles_the_dots(window, qtbot):
    """The grid is in the view's cached background: turning it off or on redraws it."""
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    view = window.view

    def colours() -> set[str]:
        view.viewport().repaint()
        image = view.viewport().grab().toImage()
        return {
            image.pixelColor(x, y).name()
            for x in range(0, image.width(), 2)
            for y in range(0, image.height(), 2)
        }

    dot = style.GRID_DOT.name()
    assert dot in colours()
    window.act_grid.trigger()  # View > Show Grid off
    assert dot not in colours()
    window.act_grid.trigger()
    assert dot in colours()
