"""Nudging the selection with the arrow keys: one undo step per run of presses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from .geometry import MoveCommand

if TYPE_CHECKING:
    from ..document import Document

_NUDGE_ID = 0x4E55


class NudgeCommand(MoveCommand):
    """A keyboard move; consecutive nudges of the same items merge into one step."""

    def __init__(
        self,
        document: Document,
        *,
        positions: dict[str, tuple[float, float]],
        rects: dict[str, tuple[float, float, float, float]],
    ) -> None:
        n = len(positions) + len(rects)
        super().__init__(
            document,
            positions=positions,
            rects=rects,
            text="Nudge 1 item" if n == 1 else f"Nudge {n} items",
        )

    def id(self) -> int:
        return _NUDGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, NudgeCommand):
            return False
        if set(other.positions) != set(self.positions) or set(other.rects) != set(self.rects):
            return False
        self.positions, self.rects = dict(other.positions), dict(other.rects)
        return True
