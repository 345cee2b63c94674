"""The main toolbar: labelled buttons while they fit, icons only (with tool tips) when not.

On a narrow window the buttons lose their labels group by group (the zoom buttons first, then
the file and undo buttons, then the rest); what still does not fit goes behind the toolbar's
» button, which the stylesheet keeps visible.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionEvent, QResizeEvent
from PySide6.QtWidgets import QToolBar, QToolButton, QWidget

TEXT = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
ICON = Qt.ToolButtonStyle.ToolButtonIconOnly
SLACK = 24  # the » button and the toolbar's margins


class MainToolBar(QToolBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Main", parent)
        self.setObjectName("MainToolbar")
        self.setMovable(False)
        self.setToolButtonStyle(TEXT)
        self.setIconSize(QSize(18, 18))
        self.compact_groups: list[list[QAction]] = []  # lose their labels first to last
        self._widths: dict[tuple[int, Qt.ToolButtonStyle], int] = {}
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_labels)

    def set_compact_groups(self, groups: list[list[QAction]]) -> None:
        self.compact_groups = groups
        self.fit_labels()

    def _buttons(self) -> list[tuple[QAction, QToolButton]]:
        out = []
        for action in self.actions():
            widget = self.widgetForAction(action)
            if isinstance(widget, QToolButton) and action.isVisible():
                out.append((action, widget))
        return out

    def _width(self, button: QToolButton, style: Qt.ToolButtonStyle) -> int:
        key = (id(button), style)
        if key not in self._widths:
            current = button.toolButtonStyle()
            button.setToolButtonStyle(style)
            self._widths[key] = button.sizeHint().width()
            button.setToolButtonStyle(current)
        return self._widths[key]

    def needed_width(self, iconic: set[int]) -> int:
        """The width the buttons need when the actions in ``iconic`` (ids) show icons only."""
        spacing = self.layout().spacing() if self.layout() else 2
        separators = sum(1 for a in self.actions() if a.isSeparator())
        return (
            sum(
                self._width(button, ICON if id(action) in iconic else TEXT) + spacing
                for action, button in self._buttons()
            )
            + separators * 12
            + SLACK
        )

    def fit_labels(self) -> None:
        """Choose per button between label and icon so that as much as possible shows."""
        buttons = self._buttons()
        if not buttons:
            return
        iconic: set[int] = set()
        stages = [*self.compact_groups, [a for a, _ in buttons]]
        for group in [[], *stages]:
            iconic |= {id(a) for a in group}
            if self.needed_width(iconic) <= self.width():
                break
        for action, button in buttons:
            style = ICON if id(action) in iconic else TEXT
            if button.toolButtonStyle() != style:
                button.setToolButtonStyle(style)

    def text_hidden(self, action: QAction) -> bool:
        button = self.widgetForAction(action)
        return isinstance(button, QToolButton) and button.toolButtonStyle() == ICON

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_labels()

    def actionEvent(self, event: QActionEvent) -> None:
        super().actionEvent(event)
        self._widths.clear()
        self._refit.start()  # once, after a run of added actions
