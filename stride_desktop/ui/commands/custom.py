"""Undo commands for custom threats: add, edit (replace) and delete, each one undo step."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ...model import CustomThreat

if TYPE_CHECKING:
    from ..document import Document


class CustomThreatCommand(QUndoCommand):
    """Put ``new`` in place of the custom threat with ``custom_id`` (absent: add it; ``new`` is
    None: delete it)."""

    def __init__(
        self,
        document: Document,
        custom_id: str,
        new: CustomThreat | None,
        *,
        text: str = "",
    ) -> None:
        self.document, self.custom_id = document, custom_id
        self.new = copy.deepcopy(new)
        current = next((c for c in document.model.custom_threats if c.id == custom_id), None)
        self.old = copy.deepcopy(current)
        self.index = (
            document.model.custom_threats.index(current)
            if current is not None
            else len(document.model.custom_threats)
        )
        title = (new or current).title if (new or current) else custom_id
        verb = "Add" if current is None else "Delete" if new is None else "Edit"
        super().__init__(text or f"{verb} custom threat '{title[:40]}'")

    def redo(self) -> None:
        self.document.set_custom_threat(self.custom_id, self.new, self.index)

    def undo(self) -> None:
        self.document.set_custom_threat(self.custom_id, self.old, self.index)
