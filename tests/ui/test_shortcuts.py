"""Keys, pressed on the widget that has the focus, as a person presses them (issue 16)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def shown(window, qtbot):
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def press(qtbot, widget, key, modifiers=Qt.KeyboardModifier.NoModifier):
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    qtbot.keyClick(widget, key, modifiers)


def on_canvas(qtbot, window, *ids):
    window.scene.select_ids(list(ids))
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)


def threats_tree(window):
    return window.review.threats_panel.tree


def test_delete_in_the_threats_list_leaves_the_element(shown, qtbot):
    """The issue's walkthrough: select an element, click a threat row, press Delete."""
    model = shown.document.model
    on_canvas(qtbot, shown, "dockerd")
    tree = threats_tree(shown)
    assert tree.topLevelItemCount() > 0
    for key in (Key.Key_Delete, Key.Key_Backspace):
        press(qtbot, tree, key)
        assert model.element("dockerd") is not None
    assert shown.document.undo_stack.count() == 0


def test_delete_and_backspace_on_the_canvas_delete_the_selection(shown, qtbot):
    model = shown.document.model
    on_canvas(qtbot, shown, "vol")
    press(qtbot, shown.view, Key.Key_Delete)
    assert model.element("vol") is None
    on_canvas(qtbot, shown, "images")
    press(qtbot, shown.view, Key.Key_Backspace)
    assert model.element("images") is None


def test_backspace_in_a_text_field_edits_the_text(shown, qtbot):
    on_canvas(qtbot, shown, "web")
    name = shown.inspector.findChild(QLineEdit)
    assert name is not None and name.isVisible()
    name.setFocus()
    name.end(False)
    before = name.text()
    press(qtbot, name, Key.Key_Backspace)
    assert name.text() == before[:-1]
    assert shown.document.model.element("web") is not None


def test_undo_and_both_redo_keys(shown, qtbot):
    model = shown.document.model
    on_canvas(qtbot, shown, "vol")
    press(qtbot, shown.view, Key.Key_Delete)
    press(qtbot, shown.view, Key.Key_Z, CTRL)
    assert model.element("vol") is not None
    press(qtbot, shown.view, Key.Key_Z, CTRL | SHIFT)
    assert model.element("vol") is None
    press(qtbot, shown.view, Key.Key_Z, CTRL)
    assert model.element("vol") is not None
    press(qtbot, threats_tree(shown), Key.Key_Y, CTRL)  # window-wide, from any pane
    assert model.element("vol") is None


def test_no_key_is_bound_twice(shown, qtbot, qtlog):
    """Two actions (or one action twice) on a key make Qt drop it as ambiguous."""
    bound = defaultdict(list)
    for action in shown.findChildren(QAction):
        for key in action.shortcuts():
            bound[key.toString(QKeySequence.SequenceFormat.PortableText)].append(action)
    for key, actions in bound.items():
        if len(actions) > 1:  # only the list keys (1-6), each on its own list
            assert all(a.shortcutContext() == Qt.ShortcutContext.WidgetShortcut for a in actions), (
                key
            )
            widgets = [a.associatedObjects()[0] for a in actions]
            assert len(set(map(id, widgets))) == len(widgets), key
    assert "Ctrl+Shift+Z" in bound and "Ctrl+Y" in bound
    on_canvas(qtbot, shown, "vol")
    press(qtbot, shown.view, Key.Key_Delete)
    press(qtbot, shown.view, Key.Key_Z, CTRL)
    press(qtbot, shown.view, Key.Key_Y, CTRL)
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]


def test_copy_paste_duplicate_select_all_on_the_canvas(shown, qtbot):
    model = shown.document.model
    before = len(model.elements)
    on_canvas(qtbot, shown, "web")
    press(qtbot, shown.view, Key.Key_C, CTRL)
    press(qtbot, shown.view, Key.Key_V, CTRL)
    assert len(model.elements) == before + 1
    press(qtbot, shown.view, Key.Key_D, CTRL)
    assert len(model.elements) == before + 2
    press(qtbot, shown.view, Key.Key_A, CTRL)
    assert len(shown.scene.selected_ids()[0]) == before + 2


def test_edit_keys_in_a_list_stay_in_the_list(shown, qtbot):
    model = shown.document.model
    before = len(model.elements)
    on_canvas(qtbot, shown, "web")
    tree = threats_tree(shown)
    for key, mods in ((Key.Key_A, CTRL), (Key.Key_D, CTRL), (Key.Key_V, CTRL), (Key.Key_B, 0)):
        press(qtbot, tree, key, Qt.KeyboardModifier(mods))
    assert len(model.elements) == before
    assert shown.scene.tool.name == "select"  # B drew no boundary tool from the list


def test_rename_in_place_with_f2(shown, qtbot):
    on_canvas(qtbot, shown, "web")
    press(qtbot, shown.view, Key.Key_F2)
    editor = shown.view.findChild(QLineEdit, "inlineRename")
    assert editor is not None and editor.hasFocus()
    qtbot.keyClick(editor, Key.Key_A, CTRL)
    qtbot.keyClicks(editor, "nginx front")
    qtbot.keyClick(editor, Key.Key_Backspace)  # edits the name, deletes nothing
    qtbot.keyClick(editor, Key.Key_Return)
    assert shown.document.model.element("web").name == "nginx fron"


def test_tool_keys_and_escape(shown, qtbot):
    on_canvas(qtbot, shown)
    press(qtbot, shown.view, Key.Key_B)
    assert shown.scene.tool.name == "boundary"
    press(qtbot, shown.view, Key.Key_C)
    assert shown.scene.tool.name == "connect"
    press(qtbot, shown.view, Key.Key_Escape)
    assert shown.scene.tool.name == "select"


def test_zoom_and_fit_keys(shown, qtbot):
    view = shown.view
    press(qtbot, view, Key.Key_0, CTRL)
    assert view.zoom() == pytest.approx(1.0)
    press(qtbot, view, Key.Key_Plus, CTRL)
    assert view.zoom() == pytest.approx(1.25)
    press(qtbot, view, Key.Key_Minus, CTRL)
    assert view.zoom() == pytest.approx(1.0)
    press(qtbot, threats_tree(shown), Key.Key_F, CTRL | SHIFT)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(shown.scene.itemsBoundingRect())


def test_save_key(shown, qtbot, monkeypatch):
    saved = []
    monkeypatch.setattr(shown.files, "save", lambda: saved.append(True))
    shown.act_save.triggered.disconnect()
    shown.act_save.triggered.connect(lambda: shown.files.save())
    press(qtbot, threats_tree(shown), Key.Key_S, CTRL)
    assert saved == [True]


def test_arrows_nudge_the_selection_in_one_undo_step(shown, qtbot):
    model = shown.document.model
    x, y = model.element("web").pos
    on_canvas(qtbot, shown, "web")
    for _ in range(3):
        press(qtbot, shown.view, Key.Key_Right)
    press(qtbot, shown.view, Key.Key_Up, SHIFT)
    assert model.element("web").pos[0] == x + 60
    shown.document.undo_stack.undo()  # the three presses to the right are one step
    shown.document.undo_stack.undo()
    assert model.element("web").pos == (x, y)


def test_tab_walks_through_the_items_then_leaves(shown, qtbot):
    scene, view = shown.scene, shown.view
    on_canvas(qtbot, shown)
    seen = []
    for _ in range(len(scene.element_items)):
        press(qtbot, view, Key.Key_Tab)
        (element,) = scene.selected_ids()[0]
        seen.append(element)
    assert sorted(seen) == sorted(scene.element_items)
    order = [i for items in (scene.boundary_items, scene.flow_items) for i in items]
    for _ in order:
        press(qtbot, view, Key.Key_Tab)
    qtbot.keyClick(view, Key.Key_Tab)  # past the last item the focus moves on
    assert not view.hasFocus()


def test_f6_moves_between_panes(shown, qtbot):
    view = shown.view
    press(qtbot, view, Key.Key_F6)
    assert shown.palette.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Key.Key_F6)
    assert shown.inspector.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Key.Key_F6)
    review = shown.review.threats_panel
    assert review.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Key.Key_F6, SHIFT)
    assert shown.inspector.isAncestorOf(QApplication.focusWidget())


def test_palette_by_keyboard(shown, qtbot):
    model = shown.document.model
    before = len(model.elements)
    press(qtbot, shown.view, Key.Key_F6)  # to the components
    search = shown.palette.search
    assert search.hasFocus()
    qtbot.keyClicks(search, "etcd")
    qtbot.keyClick(search, Key.Key_Return)
    assert len(model.elements) == before + 1 and model.elements[-1].component == "k8s.etcd"
    qtbot.keyClick(search, Key.Key_Down)
    tree = shown.palette.tree
    assert tree.hasFocus() and tree.currentItem().text(0) == "etcd"
    qtbot.keyClick(tree, Key.Key_Return)
    assert len(model.elements) == before + 2
    first, second = model.elements[-2:]
    assert first.pos != second.pos
