"""Triage at speed: the untriaged count in the status bar, "next untriaged" (F8 and the panels'
buttons), and status keys 1-6 on the threat lists (1 open, 2 needs investigation, …).

A threat is untriaged while the model holds no decision for it. "Next untriaged" follows the
list the person works in: in the Threats list of the selection, the next untriaged threat there
and then the next element that has one; anywhere else, the next row of All threats in its
current order and filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QToolButton, QWidget

from ...model.elements import TRIAGE_STATUSES
from ..commands.review import TriageCommand
from .common import STATUS_LABELS, is_untriaged

if TYPE_CHECKING:
    from ...rules import Threat
    from .install import ReviewController

NEXT_KEY = "F8"
STATUS_KEYS = {status: str(i + 1) for i, status in enumerate(TRIAGE_STATUSES)}  # 1 = open, …


class TriageNavigator(QObject):
    def __init__(self, review: ReviewController) -> None:
        super().__init__(review)
        self.review = review
        self.document, self.service = review.document, review.service
        window = review.window
        self.act_next = QAction("&Next Untriaged Threat", window)
        self.act_next.setShortcut(QKeySequence(NEXT_KEY))
        self.act_next.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.act_next.setStatusTip("Go to the next threat without a triage decision")
        self.act_next.triggered.connect(lambda _=False: self.next_untriaged())
        window.addAction(self.act_next)
        self.count_button = QToolButton()
        self.count_button.setObjectName("untriagedCount")
        self.count_button.setAutoRaise(True)
        self.count_button.setToolTip(
            f"Threats without a triage decision — click (or press {NEXT_KEY}) for the next one"
        )
        self.count_button.clicked.connect(lambda _=False: self.next_untriaged())
        # no taller than the status bar's labels: a bar that grows after the first frame
        # makes the canvas paint everything a second time
        self.count_button.setMaximumHeight(window.statusBar().fontMetrics().height() + 4)
        window.statusBar().insertPermanentWidget(0, self.count_button)
        self.status_actions = {
            "threats": self._status_keys(review.threats_panel.tree, review.threats_panel),
            "all": self._status_keys(review.all_threats_panel.table, review.all_threats_panel),
        }
        review.threats_panel.nextUntriagedRequested.connect(
            lambda: self.next_untriaged(in_threats_panel=True)
        )
        review.all_threats_panel.nextUntriagedRequested.connect(
            lambda: self.next_untriaged(in_threats_panel=False)
        )
        self.service.threatsChanged.connect(self._on_threats)
        self.update_count()

    # -- the count ------------------------------------------------------------------------
    def _on_threats(self, _delta: object) -> None:
        self.service.later(self.update_count)  # (28,000 threats: ~10 ms)

    def untriaged(self) -> list[Threat]:
        triage = self.document.model.triage
        return [t for t in self.service.threats if is_untriaged(t, triage)]

    def update_count(self, _delta: object = None) -> None:
        n = len(self.untriaged())
        total = len(self.service.threats)
        self.count_button.setText(f"{n} of {total} untriaged" if total else "no threats")
        self.count_button.setEnabled(n > 0)

    # -- next untriaged -------------------------------------------------------------------
    def next_untriaged(self, *, in_threats_panel: bool | None = None) -> bool:
        review = self.review
        if in_threats_panel is None:  # the key: follow the list that has the focus
            focus = QApplication.focusWidget()
            in_threats_panel = focus is not None and (
                focus is review.threats_panel or review.threats_panel.isAncestorOf(focus)
            )
        if in_threats_panel:
            panel = review.threats_panel
            if panel.next_untriaged() or self._next_target():
                review.docks["Threats"].raise_()
                panel.tree.setFocus()
                return True
        else:
            panel = review.all_threats_panel
            if panel.next_untriaged():
                review.docks["All threats"].raise_()
                panel.table.setFocus()
                return True
        self._say("No untriaged threat left" + ("" if in_threats_panel else " in this filter"))
        return False

    def _next_target(self) -> bool:
        """Select the next target (in All threats order) that has an untriaged threat."""
        review = self.review
        rows = review.all_threats_panel.visible_threats() or self.service.threats
        current = set(review.threats_panel.targets)
        triage = self.document.model.triage
        candidates = [t for t in rows if is_untriaged(t, triage)]
        if not candidates:
            return False
        after = [t for t in candidates if t.target not in current]
        chosen = (after or candidates)[0]
        review.show_target(chosen.target)
        review.threats_panel.select_threats([chosen.id])
        return True

    def _say(self, text: str) -> None:
        self.review.window.statusBar().showMessage(text, 4000)

    # -- status keys ----------------------------------------------------------------------
    def _status_keys(self, view: QWidget, panel: QWidget) -> dict[str, QAction]:
        """Keys 1-6 set the status of the selected threats of ``panel`` (on its list only)."""
        actions = {}
        for status, key in STATUS_KEYS.items():
            action = QAction(f"{STATUS_LABELS[status].capitalize()}", view)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, s=status, p=panel: self.set_status(p, s))
            view.addAction(action)
            actions[status] = action
        return actions

    def set_status(self, panel: QWidget, status: str, threats: list[Threat] | None = None) -> None:
        """Triage the selected threats of ``panel`` as ``status`` (one undo step, notes kept)."""
        chosen = threats if threats is not None else panel.selected_threats()
        if not chosen:
            return
        row = None
        table = getattr(panel, "table", None)
        if table is not None:
            current = table.selectionModel().currentIndex()
            row = current.row() if current.isValid() else None
        self.document.push(TriageCommand(self.document, [t.id for t in chosen], status=status))
        if table is not None and row is not None and not panel.selected_threats():
            rows = panel.proxy.rowCount()
            if rows:  # the row left the filter: go on with the one now in its place
                panel.select_row(min(row, rows - 1))
