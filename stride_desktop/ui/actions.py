"""The main window's actions and their keys.

Keys come from the platform's lists (``QKeySequence.keyBindings``) plus the common extras, each
once: a key bound twice on one action, or on two actions, is an "Ambiguous shortcut overload" and
does nothing. Edit keys that act on the canvas selection (Delete, Backspace, copy, paste, the tool
letters, ...) are scoped to the canvas: with the focus in a table or a text box the key belongs
to that widget, never to the diagram.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QStyle

from .action_icons import action_icon

if TYPE_CHECKING:
    from .main_window import MainWindow

SK = QKeySequence.StandardKey
Keys = QKeySequence.StandardKey | str | None


def key_list(*keys: Keys) -> list[QKeySequence]:
    """Every binding of ``keys`` (standard keys expand to the platform's list), each once."""
    seen: dict[str, QKeySequence] = {}
    for key in keys:
        if key is None:
            continue
        sequences = (
            QKeySequence.keyBindings(key)
            if isinstance(key, QKeySequence.StandardKey)
            else [QKeySequence(key)]
        )
        for sequence in sequences:
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            if text and text not in seen:
                seen[text] = sequence
    return list(seen.values())


def shortcut_hint(action: QAction) -> str:
    """The action's first key as the person reads it ("Ctrl+S"), or ""."""
    keys = action.shortcuts()
    return keys[0].toString(QKeySequence.SequenceFormat.NativeText) if keys else ""


def make_action(
    parent: MainWindow,
    text: str,
    slot: Callable[..., object],
    *keys: Keys,
    checkable: bool = False,
    tip: str = "",
) -> QAction:
    action = QAction(text, parent)
    action.setShortcuts(key_list(*keys))
    action.setCheckable(checkable)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    return action


def scope_to_canvas(window: MainWindow, actions: list[QAction]) -> None:
    """Keys of ``actions`` work only while the canvas (or its in-place editor) has the focus."""
    for action in actions:
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        window.view.addAction(action)


def add_tooltips(actions: list[QAction]) -> None:
    """Tool tips name the action and its key: "Save (Ctrl+S)"."""
    for action in actions:
        tip = action.toolTip() if action.statusTip() else action.iconText()
        hint = shortcut_hint(action)
        if hint and hint not in tip:
            tip = f"{tip} ({hint})"
        action.setToolTip(tip)


def build_actions(w: MainWindow) -> None:
    """Create the window's actions as ``w.act_*`` and the tool actions in ``w.tool_actions``."""
    f, e, v = w.files, w.editing, w.view
    w.act_new = make_action(w, "&New…", f.new_model, SK.New, tip="New model")
    w.act_open = make_action(w, "&Open…", f.open_dialog, SK.Open, tip="Open a model file")
    w.act_save = make_action(w, "&Save", f.save, SK.Save, tip="Save the model")
    w.act_save_as = make_action(w, "Save &As…", f.save_as, SK.SaveAs, tip="Save under a new name")
    w.act_export_png = make_action(w, "Export Diagram as &PNG…", lambda: w.export("png"))
    w.act_export_svg = make_action(w, "Export Diagram as S&VG…", lambda: w.export("svg"))
    w.act_quit = make_action(w, "&Quit", w.close, SK.Quit, "Ctrl+Q")
    stack = w.document.undo_stack
    w.act_undo = stack.createUndoAction(w, "&Undo")
    w.act_undo.setShortcuts(key_list(SK.Undo, "Ctrl+Z"))
    w.act_redo = stack.createRedoAction(w, "&Redo")
    w.act_redo.setShortcuts(key_list(SK.Redo, "Ctrl+Shift+Z", "Ctrl+Y"))
    # the menu names what will be undone; the toolbar button keeps a short, steady label
    w.act_undo.setIconText("Undo")
    w.act_redo.setIconText("Redo")
    w.act_copy = make_action(w, "&Copy", e.copy, SK.Copy)
    w.act_paste = make_action(w, "&Paste", e.paste, SK.Paste)
    w.act_duplicate = make_action(w, "D&uplicate", e.duplicate, "Ctrl+D")
    w.act_delete = make_action(w, "&Delete", e.delete_selection, SK.Delete, "Backspace")
    w.act_select_all = make_action(w, "Select &All", e.select_all, SK.SelectAll)
    w.act_rename = make_action(w, "&Rename", e.rename_selection, "F2")
    w.act_zoom_in = make_action(w, "Zoom &In", v.zoom_in, SK.ZoomIn, "Ctrl+=", tip="Zoom in")
    w.act_zoom_out = make_action(w, "Zoom &Out", v.zoom_out, SK.ZoomOut, tip="Zoom out")
    w.act_zoom_reset = make_action(w, "&Actual Size", v.zoom_reset, "Ctrl+0")
    w.act_fit = make_action(
        w, "&Fit to Window", v.fit, "Ctrl+Shift+F", tip="Show the whole diagram"
    )
    w.act_grid = make_action(w, "Show &Grid", w.toggle_grid, checkable=True)
    w.act_grid.setChecked(True)
    w.act_snap = make_action(w, "&Snap to Grid", w.toggle_snap, checkable=True)
    w.act_snap.setChecked(True)
    w.act_minimap = make_action(w, "&Overview", v.minimap.set_wanted, checkable=True)
    w.act_minimap.setChecked(v.minimap.use_settings(w.settings))  # remembered
    w.act_legend = make_action(w, "&Legend", v.legend.set_wanted, checkable=True)
    w.act_legend.setChecked(v.legend.use_settings(w.settings))
    w.act_layout = make_action(
        w,
        "Auto-&Layout",
        w.auto_layout,
        "Ctrl+L",
        tip="Arrange elements inside their boundaries",
    )
    w.act_next_pane = make_action(w, "Next &Pane", w.focus_next_pane, "F6")
    w.act_prev_pane = make_action(w, "Previous Pa&ne", w.focus_previous_pane, "Shift+F6")
    w.tool_group = QActionGroup(w)
    w.tool_actions = {}
    for name, text, key, tip in (
        ("select", "Select", "V", "Select and move"),
        ("connect", "Connect", "C", "Draw a flow: drag from one element to another"),
        ("boundary", "Boundary", "B", "Draw a trust boundary"),
    ):
        action = make_action(
            w, text, lambda _=False, n=name: w.set_tool(n), key, checkable=True, tip=tip
        )
        w.tool_group.addAction(action)
        w.tool_actions[name] = action
    w.tool_actions["select"].setChecked(True)
    w.act_escape = make_action(w, "Cancel", lambda: w.set_tool("select"), "Escape")
    w.addAction(w.act_escape)
    for name, action in [
        *w.tool_actions.items(),
        ("zoom_in", w.act_zoom_in),
        ("zoom_out", w.act_zoom_out),
        ("fit", w.act_fit),
        ("layout", w.act_layout),
    ]:
        action.setIcon(action_icon(name))
    style = w.style()
    for pixmap, action in (
        (QStyle.StandardPixmap.SP_FileIcon, w.act_new),
        (QStyle.StandardPixmap.SP_DirOpenIcon, w.act_open),
        (QStyle.StandardPixmap.SP_DialogSaveButton, w.act_save),
        (QStyle.StandardPixmap.SP_ArrowBack, w.act_undo),
        (QStyle.StandardPixmap.SP_ArrowForward, w.act_redo),
    ):
        action.setIcon(style.standardIcon(pixmap))
    for action in w.findChildren(QAction):
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    scope_to_canvas(
        w,
        [
            w.act_copy,
            w.act_paste,
            w.act_duplicate,
            w.act_delete,
            w.act_select_all,
            w.act_rename,
            w.act_escape,
            *w.tool_actions.values(),
        ],
    )
