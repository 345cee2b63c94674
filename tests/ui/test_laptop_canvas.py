"""The canvas at a laptop's size: what fit shows at 1366x768 and 1024x700 is readable (names,
badges with counts, titles), labels keep clear of each other, the legend, the review area's
size, the toolbar (issue 16)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QToolButton

from stride_desktop.io import load_model
from stride_desktop.ui import style
from stride_desktop.ui.main_window import MainWindow
from stride_desktop.ui.theme import QSS

MODELS = Path(__file__).resolve().parents[2] / "models"
EXAMPLES = sorted(MODELS.glob("*.yaml"))


def open_window(qtbot, tmp_path, path, size, settings=None, *, defaults=True):
    settings = settings or QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(
        settings=settings, recovery_dir=tmp_path / "rec", model=load_model(path), path=path
    )
    qtbot.addWidget(window)
    window.files.maybe_save = lambda: True
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not window.review.service.pending, timeout=10_000)
    if defaults:  # the docks settle at their default sizes, and the view fits itself to them
        view = window.view

        def settled() -> bool:
            shown = view.mapToScene(view.viewport().rect()).boundingRect()
            return (
                view.viewport().height() > 0.45 * size[1]
                and not view.refit_pending
                and shown.contains(window.scene.itemsBoundingRect())
            )

        qtbot.waitUntil(settled)
        assert view.fitted
    return window


def labels(window, kind):
    return [b for b in window.view.labels.layout() if b.kind == kind]


@pytest.mark.parametrize(
    ("example", "size", "least_zoom", "least_named"),
    [
        ("kubernetes-cluster.yaml", (1366, 768), 0.32, 0.9),
        ("docker-host.yaml", (1366, 768), 0.32, 0.9),
        ("online-shop-k8s.yaml", (1366, 768), 0.28, 0.8),
        ("docker-host.yaml", (1024, 700), 0.2, 0.75),
        ("online-shop-k8s.yaml", (1024, 700), 0.2, 0.6),  # ten services in a small namespace
    ],
)
def test_fit_zoom_shows_names_and_counted_badges(
    qtbot, tmp_path, example, size, least_zoom, least_named
):
    window = open_window(qtbot, tmp_path, MODELS / example, size)
    view, scene = window.view, window.scene
    assert view.zoom() >= least_zoom
    assert view.zoom() < style.TEXT_LOD  # the names below come from the zoomed-out labels
    named = {b.obj_id for b in labels(window, "element")}
    assert len(named) >= least_named * len(scene.element_items)
    titled = {b.obj_id for b in labels(window, "boundary")}
    assert titled == set(scene.boundary_items)
    # every name and title is on screen whole, the tabs on the outer frames included
    screen = view.viewport().rect()
    for label in labels(window, "element") + labels(window, "boundary"):
        assert screen.contains(view.mapFromScene(label.rect).boundingRect()), label.obj_id
    # every open-threat badge is drawn with its count, readable: 16 pixels across
    badged = {eid for eid, item in scene.element_items.items() if item.badge_state()}
    shown = {b.obj_id: b for b in labels(window, "badge")}
    assert badged and badged <= set(shown)
    for eid in badged:
        rect = view.mapFromScene(shown[eid].rect).boundingRect()
        assert rect.width() >= 15
        assert shown[eid].badge[0] == scene.element_items[eid].badge_state()[0]
    # names and titles never cover each other nor another element's box
    texts = labels(window, "element") + labels(window, "boundary") + labels(window, "flow")
    for a, b in itertools.combinations(texts, 2):
        assert not a.rect.intersects(b.rect), (a.obj_id, b.obj_id)
    bodies = {e: i.mapRectToScene(i.body_rect()) for e, i in scene.element_items.items()}
    for label in labels(window, "element"):
        for eid, body in bodies.items():
            assert eid == label.obj_id or not body.intersects(label.rect), (label.obj_id, eid)


def test_names_are_drawn_at_a_readable_size(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, MODELS / "kubernetes-cluster.yaml", (1366, 768))
    view = window.view
    for label in labels(window, "element"):
        height = view.mapFromScene(label.rect).boundingRect().height()
        # an 8 point bold line and its padding; 7 points where the 8 point name did not fit
        assert height >= {"element": 14, "compact": 12}[label.font] * len(label.lines)
    view.set_zoom(1.0)
    assert not window.view.labels.layout()  # at 100 % the items draw their own text


def test_a_click_on_a_zoomed_out_name_selects_its_element(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, MODELS / "kubernetes-cluster.yaml", (1366, 768))
    view = window.view

    def outside_the_box(label):  # a pixel of the name where no diagram item is
        rect = view.mapFromScene(label.rect).boundingRect().adjusted(2, 2, -2, -2)
        for x in range(rect.left(), rect.right(), 3):
            for y in range(rect.top(), rect.bottom(), 3):
                item = view.itemAt(x, y)
                if item is None or hasattr(item, "boundary_id"):
                    return QPoint(x, y)
        return None

    label, point = next(
        (b, p) for b in labels(window, "element") if (p := outside_the_box(b)) is not None
    )
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.scene.selected_ids()[0] == [label.obj_id]


def test_severity_colours_differ_from_the_selection():
    def distance(a: QColor, b: QColor) -> float:
        return sum((x - y) ** 2 for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3], strict=True))

    from stride_desktop.rules.threat import SEVERITY_COLOURS  # the one palette

    for severity in SEVERITY_COLOURS:
        colour = style.severity_colour(severity)
        assert distance(colour, style.SELECTION) > 0.15, severity
        hue = colour.hsvHue()
        assert not 190 <= hue <= 230, severity  # no blue: blue means selected


def test_legend_toggles_from_view_and_is_remembered(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", (1600, 1000), settings)
    legend = window.view.legend
    assert legend.isVisible() and not legend.folded  # room enough: unfolded
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton)
    assert legend.folded and legend.height() < 30
    window.act_legend.trigger()
    assert not legend.isVisible()
    window.close()
    again = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", (1600, 1000), settings)
    assert not again.view.legend.isVisible() and not again.act_legend.isChecked()
    again.act_legend.trigger()
    assert again.view.legend.isVisible() and again.view.legend.folded


def test_legend_starts_folded_on_a_small_canvas(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", (1024, 700))
    legend = window.view.legend
    assert legend.isVisible() and legend.folded
    assert legend.geometry().bottom() < window.view.viewport().height()


@pytest.mark.parametrize("size", [(1366, 768), (1024, 700)])
def test_review_area_leaves_the_canvas_most_of_the_height(qtbot, tmp_path, size):
    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", size)
    review = window.review_docks["Threats"]
    assert review.height() <= 0.3 * window.height()
    assert window.view.height() >= 0.5 * window.height()
    assert window.palette_dock.width() + window.inspector_dock.width() <= 0.45 * size[0]


def test_review_area_size_is_remembered(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", (1366, 768), settings)
    dock = window.review_docks["Threats"]
    window.resizeDocks([dock], [330], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: dock.height() > 300)
    height = dock.height()
    window.close()
    again = open_window(
        qtbot, tmp_path, MODELS / "docker-host.yaml", (1366, 768), settings, defaults=False
    )
    again_dock = again.review_docks["Threats"]
    qtbot.waitUntil(lambda: abs(again_dock.height() - height) <= 4)


@pytest.mark.parametrize("width", [1600, 1366, 1024])
def test_toolbar_shows_every_action_on_a_laptop(qtbot, tmp_path, width):
    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", (width, 700))
    toolbar = window.toolbar
    for action in toolbar.actions():
        if not action.isSeparator():
            assert toolbar.widgetForAction(action).isVisible(), (width, action.text())
    if width >= 1366:  # the labels that matter most stay
        for action in (window.act_layout, window.review.act_pdf, *window.tool_actions.values()):
            assert not toolbar.text_hidden(action), action.text()


def test_toolbar_overflows_behind_a_visible_button(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", (1024, 700))
    toolbar = window.toolbar
    window.removeToolBar(toolbar)  # alone, narrower than its icons
    toolbar.setParent(None)
    toolbar.setStyleSheet(QSS)  # the application's look, whose button padding hid the »
    qtbot.addWidget(toolbar)
    toolbar.resize(300, 40)
    toolbar.show()
    qtbot.waitExposed(toolbar)
    qtbot.waitUntil(lambda: all(toolbar.text_hidden(a) for a in window.tool_actions.values()))
    buttons = [toolbar.widgetForAction(a) for a in toolbar.actions() if not a.isSeparator()]
    assert any(not b.isVisible() for b in buttons)
    extension = toolbar.findChild(QToolButton, "qt_toolbar_ext_button")
    assert extension.isVisible() and extension.width() >= 12
    image = extension.grab().toImage()  # the » is drawn, not squeezed out by the padding
    background = image.pixelColor(0, 0)
    ink = [
        (x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).lightness() < background.lightness() - 60
    ]
    assert len(ink) >= 6


def test_every_toolbar_button_and_badge_has_a_tooltip(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", (1366, 768))
    for action in window.toolbar.actions():
        if action.isSeparator():
            continue
        button = window.toolbar.widgetForAction(action)
        assert button.toolTip(), action.text()
        keys = action.shortcuts()
        if keys:
            assert keys[0].toString() in button.toolTip(), action.text()
    scene, badges = window.scene, window.review.badges
    for eid, item in scene.element_items.items():
        if item.badge_state():
            assert "open threat" in item.toolTip(), eid
    for badge in [*badges._flow_badges.values(), *badges._boundary_badges.values()]:
        if badge.isVisible():
            assert "open threat" in badge.toolTip()


def test_flow_and_boundary_badges_draw_above_elements(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", (1366, 768))
    badges = window.review.badges
    top = max(i.zValue() for i in window.scene.element_items.values())
    assert badges._flow_badges
    for badge in [*badges._flow_badges.values(), *badges._boundary_badges.values()]:
        assert badge.parentItem() is None and badge.zValue() > top


def test_zoomed_out_badges_and_names_have_tooltips(qtbot, tmp_path):
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", (1366, 768))
    view = window.view
    badge = labels(window, "badge")[0]
    pos = view.mapFromScene(badge.rect.center())
    event = QHelpEvent(QHelpEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert f"{badge.badge[0]} open threat" in QToolTip.text()
    QToolTip.hideText()


@pytest.mark.parametrize("size", [(1600, 1000), (1366, 768)])
def test_the_legend_covers_nothing_at_fit_zoom(qtbot, tmp_path, size):
    window = open_window(qtbot, tmp_path, MODELS / "kubernetes-cluster.yaml", size)
    view, legend = window.view, window.view.legend
    covered = view.mapToScene(legend.geometry()).boundingRect()
    for eid, item in window.scene.element_items.items():
        assert not covered.intersects(item.sceneBoundingRect()), eid
    for label in view.labels.layout():
        assert not covered.intersects(label.rect), label.obj_id
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton)  # folding or unfolding refits
    covered = view.mapToScene(legend.geometry()).boundingRect()
    assert view.fitted
    for eid, item in window.scene.element_items.items():
        assert not covered.intersects(item.sceneBoundingRect()), eid


def test_all_threats_shows_rows_and_whole_titles_at_1366(qtbot, tmp_path):
    window = open_window(qtbot, tmp_path, MODELS / "kubernetes-cluster.yaml", (1366, 768))
    window.review_docks["All threats"].raise_()
    panel = window.review.all_threats_panel
    table = panel.table
    qtbot.waitUntil(table.isVisible)
    assert panel.triage_beside  # wide enough: the triage row sits beside the table

    def whole_rows():
        return table.viewport().height() // table.rowHeight(0)

    qtbot.waitUntil(lambda: whole_rows() >= 5)  # (the issue saw 5 of 260, titles cut)
    rows = whole_rows()
    assert panel.table_model.headerData(3, Qt.Orientation.Horizontal) == "Threat"
    width = table.columnWidth(3)
    metrics = table.fontMetrics()
    titles = [panel.table_model.threat(r).title for r in range(rows)]
    whole = [t for t in titles if metrics.horizontalAdvance(t) + 8 <= width]
    assert len(whole) >= 0.75 * len(titles), (width, titles)


@pytest.mark.parametrize("size", [(1366, 768), (1024, 700)])
def test_all_threats_filters_read_whole_at_laptop_sizes(qtbot, tmp_path, size):
    """At 1366 the filters read "All categor" and a bare "Evidence:" beside a wide search box."""
    window = open_window(qtbot, tmp_path, MODELS / "docker-host.yaml", size)
    window.review_docks["All threats"].raise_()
    panel = window.review.all_threats_panel
    qtbot.waitUntil(panel.search.isVisible)
    for name, combo in panel.combos.items():
        text = combo.currentText()
        assert combo.fontMetrics().horizontalAdvance(text) + 24 <= combo.width(), (name, text)


def test_a_large_diagram_draws_its_labels_once_a_zoom_settles(qtbot, tmp_path):
    from stride_desktop.model import Element, Model
    from stride_desktop.ui.zoom_labels import DEFER_AT

    model = Model(name="grid")
    for i in range(DEFER_AT + 20):
        model.elements.append(
            Element(
                id=f"e{i}",
                name=f"service {i}",
                component="generic.process",
                pos=((i % 20) * 400.0, (i // 20) * 240.0),
            )
        )
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings=settings, recovery_dir=tmp_path / "rec", model=model)
    qtbot.addWidget(window, before_close_func=lambda w: w.document.mark_saved())
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    view = window.view
    view.set_zoom(0.3)
    view.viewport().grab()  # the zoomed items at once...
    assert view.labels.pending
    qtbot.waitUntil(lambda: not view.labels.pending)  # ...their names a moment later
    named = [b for b in view.labels.layout() if b.kind == "element"]
    assert len(named) >= 20


@pytest.mark.parametrize("size", [(1366, 768), (1024, 700)])
def test_long_property_captions_leave_the_fields_room_for_a_whole_name(qtbot, tmp_path, size):
    """kube-apiserver's "Version (e.g. 1.35.2; empty = not stated)" sat beside its field and
    widened the caption column until the Name field showed "kube-apiser"."""
    window = open_window(qtbot, tmp_path, MODELS / "kubernetes-cluster.yaml", size)
    for element_id in ("apiserver", "kcm", "kubelet1"):
        window.scene.select_ids([element_id])
        window.inspector.rebuild()
        name = window.inspector.fields["name"]
        qtbot.waitUntil(lambda name=name: name.isVisible() and name.width() > 0)
        room = name.width() - 12  # frame and text margins
        assert name.fontMetrics().horizontalAdvance(name.text()) <= room, (element_id, room)
