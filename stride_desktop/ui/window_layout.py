"""The window's dock sizes: sensible defaults for the screen, then what the person chose.

By default the review area takes about a quarter of the height and the side panels a sixth and a
fifth of the width, so the canvas keeps most of a laptop screen. The layout (dock sizes, which
docks show, where) is saved in the settings when the window closes and restored when it opens.
F6 / Shift+F6 move the focus from pane to pane (canvas, components, properties, review).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from .main_window import MainWindow

STATE_KEY = "window/state"
GEOMETRY_KEY = "window/geometry"
STATE_VERSION = 2  # bump when the docks change, so an old saved layout is not applied


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, value)))


def default_sizes(width: int, height: int) -> tuple[int, int, int]:
    """(palette width, properties width, review height) for a window of that size."""
    return (
        _clamp(width * 0.15, 180, 250),
        _clamp(width * 0.24, 270, 340),
        _clamp(height * 0.27, 170, 300),
    )


def apply_default_sizes(window: MainWindow) -> None:
    palette, inspector, review = default_sizes(window.width(), window.height())
    window.resizeDocks(
        [window.palette_dock, window.inspector_dock],
        [palette, inspector],
        Qt.Orientation.Horizontal,
    )
    first = window.review_docks[next(iter(window.review_docks))]
    window.resizeDocks([first], [review], Qt.Orientation.Vertical)


def restore_layout(window: MainWindow) -> bool:
    """Apply the saved dock layout (and window geometry); False when there is none."""
    state = window.settings.value(STATE_KEY)
    if not isinstance(state, QByteArray) or state.isEmpty():
        return False
    geometry = window.settings.value(GEOMETRY_KEY)
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    return bool(window.restoreState(state, STATE_VERSION))


def save_layout(window: MainWindow) -> None:
    window.settings.setValue(STATE_KEY, window.saveState(STATE_VERSION))
    window.settings.setValue(GEOMETRY_KEY, window.saveGeometry())


# -- moving between panes ---------------------------------------------------------------------
def panes(window: MainWindow) -> list[QWidget]:
    """The focusable panes in F6 order: canvas, components, properties, the shown review panel."""
    out: list[QWidget] = [window.view]
    for dock in (window.palette_dock, window.inspector_dock, *window.review_docks.values()):
        widget = dock.widget()
        if widget is None or dock.isHidden() or not widget.isVisible():
            continue  # a closed dock, or a tab behind another one
        out.append(widget)
    return out


def focus_pane(window: MainWindow, step: int) -> QWidget | None:
    """Move the focus ``step`` panes on from the one that has it; returns the pane."""
    order = panes(window)
    focus = QApplication.focusWidget()
    current = next(
        (
            i
            for i, pane in enumerate(order)
            if focus is not None and (focus is pane or pane.isAncestorOf(focus))
        ),
        -1,
    )
    target = order[(current + step) % len(order)] if current >= 0 else order[0]
    _first_focusable(target).setFocus(Qt.FocusReason.ShortcutFocusReason)
    return target


def _first_focusable(pane: QWidget) -> QWidget:
    """The pane itself (or its focus proxy) when it takes focus, else its first field."""
    if pane.focusProxy() is not None or pane.focusPolicy() & Qt.FocusPolicy.TabFocus:
        return pane
    widget = pane.nextInFocusChain()
    while widget is not None and widget is not pane:
        if (
            pane.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return widget
        widget = widget.nextInFocusChain()
    return pane
