"""Helpers for the UI tests: reach widgets through their public parts."""

from __future__ import annotations


def palette_items(palette) -> dict:
    """Component id -> its entry in the palette's tree."""
    from stride_desktop.ui.palette import ROLE_COMPONENT

    tree, out = palette.tree, {}
    for i in range(tree.topLevelItemCount()):
        section = tree.topLevelItem(i)
        for j in range(section.childCount()):
            out[section.child(j).data(0, ROLE_COMPONENT)] = section.child(j)
    return out


def rename_editor(window):
    """The newest in-place rename box on the canvas (None when none was opened)."""
    from PySide6.QtWidgets import QLineEdit

    boxes = window.view.findChildren(QLineEdit, "inlineRename")
    return boxes[-1] if boxes else None
