"""Context menus on the rows of the review panels: threats (set status, next untriaged, show
on canvas, assign, copy id), findings, the hardening plan and stale decisions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QInputDialog, QMenu, QWidget

from ..commands.review import TriageCommand
from .common import STATUS_LABELS

if TYPE_CHECKING:
    from ...rules import Threat
    from .install import ReviewController


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


class RowMenus:
    """Builds and shows the menus; ``last_menu`` is the menu shown last (tests read it)."""

    def __init__(self, review: ReviewController) -> None:
        self.review = review
        self.last_menu: QMenu | None = None
        threats, everything = review.threats_panel, review.all_threats_panel
        self._hook(threats.tree, lambda: self.threat_menu(threats))
        self._hook(everything.table, lambda: self.threat_menu(everything))
        self._hook(everything.stale_list, self.stale_menu)
        self._hook(review.findings_panel.tree, self.finding_menu)
        hardening = review.hardening_panel
        self._hook(hardening.suggest_tree, lambda: self.plan_menu(suggestions=True))
        self._hook(hardening.plan_tree, lambda: self.plan_menu(suggestions=False))

    def _hook(self, view: QAbstractItemView, build: Callable[[], QMenu | None]) -> None:
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        def show(pos: QPoint) -> None:
            index = view.indexAt(pos)
            selection = view.selectionModel()
            if index.isValid() and not selection.isSelected(index):
                view.setCurrentIndex(index)  # a right click on another row chooses that row
            menu = build()
            if menu is not None:
                self.last_menu = menu
                menu.popup(view.viewport().mapToGlobal(pos))

        view.customContextMenuRequested.connect(show)

    # -- threats --------------------------------------------------------------------------
    def threat_menu(self, panel: QWidget) -> QMenu | None:
        review = self.review
        chosen: list[Threat] = panel.selected_threats()
        if not chosen:
            return None
        menu = QMenu(panel)
        status = menu.addMenu("Set &Status")
        keys = review.navigator.status_actions[
            "threats" if panel is review.threats_panel else "all"
        ]
        for name, label in STATUS_LABELS.items():
            action = status.addAction(
                label.capitalize(), lambda s=name: review.navigator.set_status(panel, s, chosen)
            )
            action.setShortcut(keys[name].shortcut())  # shown, and handled by the list
            action.setCheckable(True)
            action.setChecked({t.status for t in chosen} == {name})
        menu.addAction(review.navigator.act_next)
        menu.addSeparator()
        menu.addAction("Show on &Canvas", lambda: review.show_target(chosen[0].target))
        menu.addAction("&Assign…", lambda: self.assign(chosen, panel))
        menu.addAction(
            "Copy &Id" if len(chosen) == 1 else f"Copy {len(chosen)} &Ids",
            lambda: copy_text("\n".join(t.id for t in chosen)),
        )
        return menu

    def assign(self, threats: list[Threat], parent: QWidget) -> None:
        """Ask who follows the threats up and record it (one undo step)."""
        doc = self.review.document
        triage = doc.model.triage
        owners = {entry.owner if (entry := triage.get(t.id)) else "" for t in threats}
        name, ok = QInputDialog.getText(
            parent,
            "Assign",
            f"Who follows up {'this threat' if len(threats) == 1 else f'{len(threats)} threats'}?",
            text=owners.pop() if len(owners) == 1 else "",
        )
        if not ok:
            return
        by_status: dict[str, list[str]] = defaultdict(list)  # each keeps its status
        for threat in threats:
            by_status[threat.status].append(threat.id)
        stack = doc.undo_stack
        stack.beginMacro(f"Assign {len(threats)} threat(s) to '{name.strip()}'")
        for status, ids in by_status.items():
            doc.push(TriageCommand(doc, ids, status=status, owner=name.strip()))
        stack.endMacro()

    # -- the other lists ------------------------------------------------------------------
    def stale_menu(self) -> QMenu | None:
        panel = self.review.all_threats_panel
        ids = [i.data(Qt.ItemDataRole.UserRole) for i in panel.stale_list.selectedItems()]
        if not ids:
            return None
        menu = QMenu(panel)
        menu.addAction("&Forget Decision", panel.forget_stale)
        menu.addAction("Copy &Id", lambda: copy_text("\n".join(ids)))
        return menu

    def finding_menu(self) -> QMenu | None:
        panel = self.review.findings_panel
        ids = panel.selected_finding_ids()
        if not ids:
            return None
        menu = QMenu(panel)
        menu.addAction("Show on &Canvas", lambda: self.show_findings(ids))
        menu.addAction("&Assign to Element…", panel.assign_selected)
        menu.addAction("Copy &Id", lambda: copy_text("\n".join(ids)))
        return menu

    def plan_menu(self, *, suggestions: bool) -> QMenu | None:
        panel = self.review.hardening_panel
        if suggestions:  # an action's row stands for all of its checks
            ids = panel.selected_checks()
        else:
            ids = [i.data(0, Qt.ItemDataRole.UserRole) for i in panel.plan_tree.selectedItems()]
        if not ids:
            return None
        menu = QMenu(panel)
        if suggestions:
            menu.addAction("&Add to Plan", lambda _=False: panel.add_selected())
        else:
            menu.addAction("&Edit Note", panel.plan_note.setFocus)
            menu.addAction("&Remove from Plan", panel.remove_selected)
        menu.addAction("Show on &Canvas", lambda: self.show_findings(ids))
        menu.addAction("Copy &Id", lambda: copy_text("\n".join(ids)))
        return menu

    def show_findings(self, finding_ids: list[str]) -> None:
        """Select the elements the findings are attached to, and light them up."""
        model = self.review.document.model
        elements: list[str] = []
        for fid in finding_ids:
            found = model.find_finding(fid)
            if found is not None:
                elements += [e for e in found[1].elements if e not in elements]
        if elements:
            self.review.scene.select_ids(elements)
            self.review.badges.highlight(elements)
            self.review.show_target(elements[0])
            self.review.scene.select_ids(elements)
