"""A large diagram far zoomed out is drawn by the view from one picture; its items draw nothing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QSettings
from PySide6.QtWidgets import QGraphicsItem

from stride_desktop.ui import style

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import make_model

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


@pytest.fixture
def large(qtbot, tmp_path, monkeypatch, prompts):
    """200 elements treated as a large diagram."""
    from stride_desktop.ui import overview_sketch
    from stride_desktop.ui.main_window import MainWindow

    monkeypatch.setattr(overview_sketch, "SKETCH_LIMIT", 10)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, recovery_dir=tmp_path / "rec", model=make_model(200))
    qtbot.addWidget(win, before_close_func=lambda w: w.document.mark_saved())
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    return win


def diagram_items(scene):
    return [
        *scene.element_items.values(),
        *scene.flow_items.values(),
        *scene.boundary_items.values(),
    ]


def colours_on_canvas(view) -> set[str]:
    image = view.viewport().grab().toImage()
    return {
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    }


def test_far_out_the_view_draws_the_boxes_and_the_items_nothing(large):
    view, scene = large.view, large.scene
    view.set_zoom(0.06)
    far = view.far
    assert far.active and all(item.flags() & NO_CONTENTS for item in diagram_items(scene))
    kinds = {item.kind for item in scene.element_items.values()}
    assert {style.KIND_BORDER[k].name() for k in kinds} <= colours_on_canvas(view)
    rects = far.element_rects()
    for eid, item in scene.element_items.items():
        assert rects[eid][1] == item.mapRectToScene(item.body_rect()), eid
    view.set_zoom(0.5)  # names readable again: the items draw themselves
    assert not far.active and not any(item.flags() & NO_CONTENTS for item in diagram_items(scene))


def test_far_drawing_follows_edits_and_new_items(large, qtbot):
    from stride_desktop.ui.commands import MoveCommand

    view, scene, doc = large.view, large.scene, large.document
    view.set_zoom(0.06)
    far = view.far
    view.viewport().repaint()
    recorded = far.recorded
    eid = doc.model.elements[0].id
    doc.push(MoveCommand(doc, positions={eid: (-3000.0, -3000.0)}))
    view.viewport().repaint()
    assert far.recorded == recorded + 1  # the picture was recorded again
    assert far.element_rects()[eid][1].center() == QPointF(-3000.0, -3000.0)
    new = scene.add_component("docker.container", QPointF(-2000, -2000))
    assert scene.element_items[new].flags() & NO_CONTENTS  # drawn by the view as well
    assert new in far.element_rects()
    doc.undo_stack.undo()
    assert new not in far.element_rects()
    shown = doc.model.elements[1].id  # (the moved one left the view)
    scene.element_items[shown].setSelected(True)  # drawn over the picture in selection colour
    view.viewport().repaint()
    assert style.SELECTION.name() in colours_on_canvas(view)


def test_the_far_picture_is_cached_until_the_drawing_changes(large):
    """A repaint that changes nothing drawn far out (a badge, the overview over the canvas)
    blits the view's cached background; a zoom, an edit or a selection draws it again, and the
    boxes are where their items are."""
    from stride_desktop.ui.commands import MoveCommand

    view, scene, doc = large.view, large.scene, large.document
    far = view.far
    drawn = []
    real_draw = far.draw
    far.draw = lambda painter: (drawn.append(1), real_draw(painter))  # type: ignore[method-assign]

    def box_colour(eid):
        item = scene.element_items[eid]
        point = view.mapFromScene(item.mapRectToScene(item.body_rect()).center())
        return view.viewport().grab().toImage().pixelColor(point).name()

    view.set_zoom(0.06)
    view.viewport().repaint()
    assert len(drawn) == 1
    view.viewport().repaint()
    view.viewport().repaint()
    assert len(drawn) == 1  # from the cache
    view.set_zoom(0.08)  # every box elsewhere on the screen
    view.viewport().repaint()
    assert len(drawn) == 2
    for eid in list(scene.element_items)[:5]:
        assert box_colour(eid) == style.KIND_FILL[scene.element_items[eid].kind].name(), eid
    moved = doc.model.elements[0].id
    fill = style.KIND_FILL[scene.element_items[moved].kind].name()
    was = view.mapFromScene(scene.element_items[moved].pos())
    corner = view.mapToScene(view.viewport().rect().topLeft()) + QPointF(300, 300)
    doc.push(MoveCommand(doc, positions={moved: (corner.x(), corner.y())}))
    view.viewport().repaint()
    assert len(drawn) == 3
    assert box_colour(moved) == fill
    assert view.viewport().grab().toImage().pixelColor(was).name() != fill  # it left
    scene.element_items[moved].setSelected(True)
    view.viewport().repaint()
    assert len(drawn) == 4  # the selected box left the picture, drawn over it instead
    assert box_colour(moved) == style.KIND_FILL[scene.element_items[moved].kind].name()


def test_a_large_diagrams_index_is_shallower_and_finds_every_item(qtbot, tmp_path, monkeypatch):
    """Qt's own index depth (log2 of the items) cost a second of the first paint at 10,000
    elements: a large diagram's is capped, and a click still finds what is under it."""
    from stride_desktop.ui import scene as scene_module
    from stride_desktop.ui.main_window import MainWindow

    monkeypatch.setattr(scene_module, "BSP_DEPTH", 5)  # 200 elements count as large
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings, recovery_dir=tmp_path / "rec", model=make_model(200))
    qtbot.addWidget(win, before_close_func=lambda w: w.document.mark_saved())
    scene = win.scene
    assert scene.bspTreeDepth() == 5
    for eid, item in scene.element_items.items():
        assert item in scene.items(item.sceneBoundingRect().center()), eid
    for fid, item in list(scene.flow_items.items())[:50]:
        assert item in scene.items(item.mapToScene(item.line.pointAt(0.5))), fid
