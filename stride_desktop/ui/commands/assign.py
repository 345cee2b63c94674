"""Assigning threats to the person who follows them up (the triage entry's owner)."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ...model import TriageEntry

if TYPE_CHECKING:
    from ..document import Document


class AssignOwnerCommand(QUndoCommand):
    """Set the owner of one or more threats' triage entries (one undo step); an entry left at
    every default is removed, so the model file carries no empty decisions."""

    def __init__(
        self, document: Document, threat_ids: Iterable[str], owner: str, *, text: str = ""
    ) -> None:
        self.document = document
        triage = document.model.triage
        default = TriageEntry()
        self.new: dict[str, TriageEntry | None] = {}
        for tid in dict.fromkeys(threat_ids):
            entry = copy.deepcopy(triage.get(tid)) or TriageEntry()
            entry = dataclasses.replace(entry, owner=owner)
            self.new[tid] = None if entry == default else entry
        self.old = {tid: copy.deepcopy(triage.get(tid)) for tid in self.new}
        n = len(self.new)
        who = f"'{owner}'" if owner else "nobody"
        super().__init__(text or (f"Assign {n} threat(s) to {who}"))

    def redo(self) -> None:
        self.document.set_triage(self.new)

    def undo(self) -> None:
        self.document.set_triage(self.old)
