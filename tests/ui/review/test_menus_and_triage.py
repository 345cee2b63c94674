"""Context menus where hands expect them, and triage at speed (issue 16)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QApplication, QDialog, QMenu

from stride_desktop.ui.element_chooser import ElementChooserDialog
from stride_desktop.ui.items import FlowItem
from stride_desktop.ui.review.common import is_untriaged
from stride_desktop.ui.review.triage_nav import STATUS_KEYS
from stride_desktop.ui.tools import connect

Key = Qt.Key


@pytest.fixture
def shown(host_window, qtbot):
    host_window.resize(1366, 768)
    host_window.show()
    qtbot.waitExposed(host_window)
    host_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is host_window)
    return host_window


def entries(menu: QMenu) -> dict[str, object]:
    """Menu texts without their & marks -> action (or sub-menu)."""
    out = {}
    for action in menu.actions():
        if not action.isSeparator():
            out[action.text().replace("&", "")] = action.menu() or action
    return out


def right_click(window, scene_point: QPointF) -> QMenu:
    view = window.view
    pos = view.mapFromScene(scene_point)
    view.viewport().setFocus()
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, view.viewport().mapToGlobal(pos))
    view.contextMenuEvent(event)
    menu = window.menus.last_menu
    assert menu is not None
    menu.hide()
    return menu


def keyboard_menu(window) -> QMenu:
    view = window.view
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(0, 0), QPoint(0, 0))
    view.contextMenuEvent(event)
    menu = window.menus.last_menu
    menu.hide()
    return menu


def centre_of(window, obj_id):
    scene = window.scene
    for mapping in (scene.element_items, scene.flow_items):
        if obj_id in mapping:
            item = mapping[obj_id]
            return item.label_rect().center() if obj_id in scene.flow_items else item.pos()
    item = scene.boundary_items[obj_id]
    return item.tab_rect().translated(item.pos()).center()


# -- canvas menus ---------------------------------------------------------------------------
def test_element_menu_selects_it_and_offers_the_actions(shown):
    menu = right_click(shown, centre_of(shown, "dockerd"))
    assert shown.scene.selected_ids()[0] == ["dockerd"]
    names = entries(menu)
    for text in (
        "Rename",
        "Connect from Here",
        "Show Threats",
        "Set Boundary",
        "Bring to Front",
        "Delete",
    ):
        assert text in names, text
    names["Show Threats"].trigger()
    review = shown.review
    assert review.threats_panel.targets == ["dockerd"]
    assert review.threats_panel.isVisible()


def test_flow_and_boundary_menus(shown):
    flow_id = next(iter(shown.scene.flow_items))
    names = entries(right_click(shown, centre_of(shown, flow_id)))
    assert shown.scene.selected_ids()[1] == [flow_id]
    assert {"Rename", "Show Threats", "Bring to Front", "Delete"} <= set(names)
    boundary_id = next(iter(shown.scene.boundary_items))
    names = entries(right_click(shown, centre_of(shown, boundary_id)))
    assert shown.scene.selected_ids()[2] == [boundary_id]
    assert {"Rename", "Show Threats", "Bring to Front", "Delete"} <= set(names)
    names["Delete"].trigger()
    assert shown.document.model.boundary(boundary_id) is None


def test_set_boundary_moves_the_element_inside_in_one_step(shown):
    doc, scene = shown.document, shown.scene
    element = doc.model.element("cli")
    before = (element.boundary, element.pos)
    target = next(b.id for b in doc.model.boundaries if b.id != element.boundary)
    menu = right_click(shown, centre_of(shown, "cli"))
    boundary_menu = entries(menu)["Set Boundary"]
    name = doc.model.boundary(target).name
    entries(boundary_menu)[name].trigger()
    assert element.boundary == target
    assert scene.innermost_boundary_at(scene.element_items["cli"].pos()) == target
    doc.undo_stack.undo()
    assert (element.boundary, element.pos) == before


def test_connect_from_here_follows_the_pointer_to_a_click(shown):
    doc, scene, view = shown.document, shown.scene, shown.view
    before = len(doc.model.flows)
    entries(right_click(shown, centre_of(shown, "cli")))["Connect from Here"].trigger()
    assert scene.tool.name == "connect-from"
    target = view.mapFromScene(scene.element_items["mysql_data"].pos())
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(target),
        QPointF(view.viewport().mapToGlobal(target)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), move)
    QApplication.sendEvent(
        view.viewport(),
        QMouseEvent(
            QEvent.Type.MouseButtonPress,
            QPointF(target),
            QPointF(view.viewport().mapToGlobal(target)),
            Qt.MouseButton.LeftButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    assert len(doc.model.flows) == before + 1
    flow = doc.model.flows[-1]
    assert (flow.source, flow.target, flow.name) == ("cli", "mysql_data", "")
    assert scene.tool.name == "select"


def test_connect_from_here_is_cancelled_by_escape(shown, qtbot):
    scene, view = shown.scene, shown.view
    entries(right_click(shown, centre_of(shown, "cli")))["Connect from Here"].trigger()
    line = scene.tool.gesture.line
    qtbot.keyClick(view, Key.Key_Escape)
    assert scene.tool.name == "select" and line.scene() is None


def test_connect_to_by_keyboard_picks_the_target_from_a_list(shown, monkeypatch):
    doc, scene = shown.document, shown.scene
    scene.select_ids(["cli"])

    def choose(dialog):
        dialog.filter.setText("nginx:")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ElementChooserDialog, "exec", choose)
    entries(keyboard_menu(shown))["Connect to…"].trigger()
    flow = doc.model.flows[-1]
    assert flow.source == "cli" and doc.model.element(flow.target).component == "docker.image"


def test_canvas_menu_adds_pastes_and_fits(shown):
    doc, scene = shown.document, shown.scene
    empty = scene.itemsBoundingRect().bottomRight() + QPointF(300, 300)
    menu = right_click(shown, empty)
    assert scene.selected_ids() == ([], [], [])
    names = entries(menu)
    assert {
        "Add Component Here",
        "Add Boundary Here",
        "Paste",
        "Select All",
        "Fit to Window",
    } <= set(names)
    docker = entries(names["Add Component Here"])["Docker"]
    before = len(doc.model.elements)
    entries(docker)["Container"].trigger()
    assert len(doc.model.elements) == before + 1
    added = scene.element_items[doc.model.elements[-1].id].pos()
    assert (added - empty).manhattanLength() < 200
    scene.select_ids(["cli"])
    shown.act_copy.trigger()
    elsewhere = empty + QPointF(0, 400)
    names = entries(right_click(shown, elsewhere))
    names["Paste"].trigger()
    pasted = doc.model.elements[-1]
    assert pasted.id.startswith("cli-copy")
    assert abs(pasted.pos[0] - elsewhere.x()) <= 20 and abs(pasted.pos[1] - elsewhere.y()) <= 20
    names["Add Boundary Here"].trigger()
    assert doc.model.boundaries[-1].name == "Trust boundary"


def test_bring_to_front(shown):
    scene = shown.scene
    scene.select_ids(["img_nginx"])
    shown.menus.bring_to_front()
    front = scene.element_items["img_nginx"].zValue()
    assert all(front > i.zValue() for e, i in scene.element_items.items() if e != "img_nginx")
    assert front < min(b.zValue() for b in shown.review.badges._flow_badges.values())


def test_a_new_flow_between_neighbours_keeps_label_and_badge_clear(shown, settle):
    doc, scene, review = shown.document, shown.scene, shown.review
    flow_id = connect(scene, "web_user", "developer")  # neighbours across a boundary
    settle(review.service)
    footprint = FlowItem.footprint(scene.flow_items[flow_id].label_rect())
    for eid, item in scene.element_items.items():
        assert not item.mapRectToScene(item.body_rect()).intersects(footprint), eid
    badge = review.badges._flow_badges[flow_id]
    assert badge.isVisible() and badge.zValue() > scene.element_items["dockerd"].zValue()
    assert doc.model.flow(flow_id).name == ""


# -- row menus ------------------------------------------------------------------------------
def row_menu(view, row=0):
    rect = view.visualRect(view.model().index(row, 0))
    view.customContextMenuRequested.emit(rect.center())
    return view.window().review.row_menus.last_menu


def test_threat_row_menu_sets_status_shows_and_copies(shown):
    review, doc = shown.review, shown.document
    panel = review.all_threats_panel
    panel.table.setFocus()
    menu = row_menu(panel.table, 2)
    threat = panel.selected_threats()[0]
    names = entries(menu)
    assert {"Set Status", "Next Untriaged Threat", "Show on Canvas", "Copy Id"} <= set(names)
    statuses = entries(names["Set Status"])
    assert statuses["Mitigated"].shortcut().toString() == STATUS_KEYS["mitigated"]
    statuses["Mitigated"].trigger()
    assert doc.model.triage[threat.id].status == "mitigated"
    names["Copy Id"].trigger()
    assert QGuiApplication.clipboard().text() == threat.id
    names["Show on Canvas"].trigger()
    assert threat.target in {i for ids in shown.scene.selected_ids() for i in ids}


def test_threats_list_row_menu(shown):
    review = shown.review
    shown.scene.select_ids(["dockerd"])
    tree = review.threats_panel.tree
    menu = row_menu(tree, 1)
    names = entries(menu)
    assert {"Set Status", "Show on Canvas", "Copy Id"} <= set(names)
    chosen = review.threats_panel.selected_threats()
    entries(names["Set Status"])["Accepted"].trigger()
    assert shown.document.model.triage[chosen[0].id].status == "accepted"


def test_finding_and_plan_row_menus(shown, review, import_bench):
    import_bench(review)
    findings = review.findings_panel
    tree = findings.tree
    first = tree.topLevelItem(0)
    first.setSelected(True)
    names = entries(row_menu(tree, 0))
    assert {"Show on Canvas", "Assign to Element…", "Copy Id"} <= set(names)
    names["Copy Id"].trigger()
    assert QGuiApplication.clipboard().text() == first.data(0, Qt.ItemDataRole.UserRole)
    hardening = review.hardening_panel
    if hardening.suggest_tree.topLevelItemCount():
        hardening.suggest_tree.topLevelItem(0).setSelected(True)
        names = entries(row_menu(hardening.suggest_tree, 0))
        checks = hardening.selected_checks()  # an action: all of its checks
        names["Add to Plan"].trigger()
        assert [h.finding for h in shown.document.model.hardening] == checks
        hardening.plan_tree.topLevelItem(0).setSelected(True)
        names = entries(row_menu(hardening.plan_tree, 0))
        assert {"Edit Note", "Remove from Plan", "Show on Canvas", "Copy Id"} <= set(names)


# -- triage at speed ------------------------------------------------------------------------
def untriaged_count(window):
    triage = window.document.model.triage
    return sum(1 for t in window.review.service.threats if is_untriaged(t, triage))


def test_status_bar_counts_the_untriaged(shown):
    button = shown.review.navigator.count_button
    total = len(shown.review.service.threats)
    assert button.isVisible()
    assert button.text() == f"{untriaged_count(shown)} of {total} untriaged"
    panel = shown.review.all_threats_panel
    panel.select_row(0)
    shown.review.navigator.set_status(panel, "accepted")
    assert button.text() == f"{untriaged_count(shown)} of {total} untriaged"
    assert untriaged_count(shown) == total - 1


def test_keys_set_the_status_and_f8_goes_to_the_next_untriaged(shown, qtbot):
    review, doc = shown.review, shown.document
    panel = review.all_threats_panel
    table = panel.table
    panel.select_row(0)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    first = panel.selected_threats()[0]
    qtbot.keyClicks(table, STATUS_KEYS["mitigated"])
    assert doc.model.triage[first.id].status == "mitigated"
    qtbot.keyClick(table, Key.Key_F8)
    second = panel.selected_threats()[0]
    assert second.id != first.id and is_untriaged(second, doc.model.triage)
    qtbot.keyClicks(table, STATUS_KEYS["not_applicable"])
    qtbot.keyClick(table, Key.Key_F8)
    third = panel.selected_threats()[0]
    assert doc.model.triage[second.id].status == "not_applicable"
    assert is_untriaged(third, doc.model.triage) and third.id not in (first.id, second.id)
    doc.undo_stack.undo()
    assert is_untriaged(second, doc.model.triage)


def test_status_key_in_an_open_filter_moves_on_to_the_next_row(shown, qtbot):
    panel = shown.review.all_threats_panel
    panel.set_filter("status", "@open")
    panel.select_row(0)
    first = panel.selected_threats()[0]
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)
    qtbot.keyClicks(panel.table, STATUS_KEYS["accepted"])  # the row leaves the filter
    assert first.id not in {t.id for t in panel.visible_threats()}
    assert panel.selected_threats() and panel.selected_threats()[0].id != first.id


def test_next_untriaged_in_the_threats_list_goes_on_to_the_next_element(shown, qtbot):
    review, doc = shown.review, shown.document
    panel = review.threats_panel
    shown.scene.select_ids(["dockerd"])
    ids = panel.shown_threat_ids()
    for _ in ids:
        panel.nextUntriagedRequested.emit()
        current = panel.selected_threats()[0]
        review.navigator.set_status(panel, "mitigated", [current])
    assert all(not is_untriaged(review.service.by_id[i], doc.model.triage) for i in ids)
    panel.next_button.click()  # nothing left here: the next element that has some
    assert panel.targets and panel.targets != ["dockerd"]
    assert is_untriaged(panel.selected_threats()[0], doc.model.triage)


def test_threats_list_sorts_and_searches(shown, qtbot):
    panel = shown.review.threats_panel
    shown.scene.select_ids(["dockerd"])
    tree = panel.tree
    header = tree.header()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(2) + 5, header.height() // 2),
    )
    titles = [tree.topLevelItem(i).text(2).lower() for i in range(tree.topLevelItemCount())]
    assert titles == sorted(titles) or titles == sorted(titles, reverse=True)
    tree.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    ranks = [shown.review.service.by_id[i].severity_rank for i in panel.shown_threat_ids()]
    assert ranks == sorted(ranks, reverse=True)
    word = shown.review.service.by_id[panel.shown_threat_ids()[-1]].title.split()[-1]
    qtbot.keyClicks(panel.search, word)
    shown_ids = panel.shown_threat_ids()
    assert 0 < len(shown_ids) < tree.topLevelItemCount()
    assert all(word.lower() in shown.review.service.by_id[i].title.lower() for i in shown_ids)


def test_all_threats_columns_shown_from_the_header_menu(shown):
    panel = shown.review.all_threats_panel
    table = panel.table
    ident = 7
    assert table.isColumnHidden(ident)
    names = entries(panel.column_menu())
    assert "Threat" not in names and not names["Id"].isChecked()
    names["Id"].trigger()
    assert not table.isColumnHidden(ident)
    index = panel.proxy.index(0, 3)
    tip, threat_id = index.data(Qt.ItemDataRole.ToolTipRole), index.data(Qt.ItemDataRole.UserRole)
    assert tip.endswith(threat_id)  # the id is in the row's tool tip while its column is hidden


def test_assign_from_a_row_keeps_each_status_in_one_step(shown, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    review, doc = shown.review, shown.document
    panel = review.all_threats_panel
    panel.select_row(0)
    first = panel.selected_threats()[0]
    review.navigator.set_status(panel, "accepted")
    panel.table.selectRow(0)
    panel.table.selectionModel().select(
        panel.proxy.index(1, 0),
        panel.table.selectionModel().SelectionFlag.Select
        | panel.table.selectionModel().SelectionFlag.Rows,
    )
    chosen = panel.selected_threats()
    assert len(chosen) == 2 and first.id in {t.id for t in chosen}
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Ana", True))
    steps = doc.undo_stack.count()
    entries(row_menu(panel.table, 0))["Assign…"].trigger()
    assert doc.undo_stack.count() == steps + 1
    for threat in chosen:
        assert doc.model.triage[threat.id].owner == "Ana"
    assert doc.model.triage[first.id].status == "accepted"
    other = next(t for t in chosen if t.id != first.id)
    assert doc.model.triage[other.id].status == "open"
    doc.undo_stack.undo()
    assert other.id not in doc.model.triage and doc.model.triage[first.id].owner == ""


def test_triage_fields_beside_the_table_take_two_columns(shown, qtbot):
    panel = shown.review.all_threats_panel
    shown.review_docks["All threats"].raise_()
    qtbot.waitUntil(lambda: panel.isVisible() and panel.triage_beside)
    bar = panel.triage
    assert bar.stacked
    rows = {w.geometry().top() for w in (bar.status, bar.note, bar.owner, bar.ticket)}
    assert len(rows) == 3  # status and Apply, the note, owner and ticket
    assert bar.height() <= panel.table.height()
    panel.place_triage(False)  # under the table: one row
    assert not bar.stacked
    qtbot.waitUntil(lambda: len({w.geometry().top() for w in (bar.status, bar.owner)}) == 1)
