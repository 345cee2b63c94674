"""Wire the review panels, actions and badges into the main window (``install_review``)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from ..document import Document
from .badges import BadgeController
from .service import ThreatService
from .threats_panel import ThreatsPanel


class ReviewController(QObject):
    """Owns the threat service and the review panels of one window."""

    def __init__(self, window: QMainWindow, document: Document) -> None:
        super().__init__(window)
        self.window, self.document = window, document
        self.scene: Any = getattr(window, "scene")
        self.view: Any = getattr(window, "view")
        self.service = ThreatService(document, parent=self)
        self.badges = BadgeController(self.scene, self.service)
        self.threats_panel = ThreatsPanel(document, self.service)
        self.docks: dict[str, QDockWidget] = {}
        self._place("Threats", self.threats_panel)
        self.scene.selectionChanged.connect(self._on_selection)

    def _place(self, title: str, widget: QWidget) -> QDockWidget:
        """Fill the window's review dock of that title (or add a dock if it has none)."""
        widget.setObjectName(title.replace(" ", "") + "Panel")
        docks = getattr(self.window, "review_docks", {})
        dock = docks.get(title)
        if dock is None:
            dock = QDockWidget(title, self.window)
            dock.setObjectName(title.replace(" ", "") + "Dock")
            self.window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        dock.setWidget(widget)
        self.docks[title] = dock
        return dock

    def _on_selection(self) -> None:
        try:
            elements, flows, boundaries = self.scene.selected_ids()
        except RuntimeError:  # scene already deleted while the window closes
            return
        self.threats_panel.set_targets(elements + flows + boundaries)


def install_review(window: QMainWindow, document: Document) -> ReviewController:
    controller = ReviewController(window, document)
    window.review = controller  # type: ignore[attr-defined]
    return controller
