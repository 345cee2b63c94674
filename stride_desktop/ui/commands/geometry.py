"""Moving and resizing: element positions, boundary rectangles and the membership a drop implies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from ..document import Document

Point = tuple[float, float]
Rect = tuple[float, float, float, float]


class MoveCommand(QUndoCommand):
    """One gesture's geometry: new element positions, boundary rects, memberships and parents.

    Each mapping holds only what changes; ``None`` in ``memberships``/``parents`` means "outside
    every boundary". The old values are read from the model when the command is built.
    """

    def __init__(
        self,
        document: Document,
        *,
        positions: dict[str, Point] | None = None,
        rects: dict[str, Rect] | None = None,
        memberships: dict[str, str | None] | None = None,
        parents: dict[str, str | None] | None = None,
        text: str = "",
    ) -> None:
        model = document.model
        self.document = document
        self.positions = dict(positions or {})
        self.rects = dict(rects or {})
        self.memberships = dict(memberships or {})
        self.parents = dict(parents or {})
        elements, boundaries = model.elements_by_id(), model.boundaries_by_id()
        self.old_positions = {i: elements[i].pos for i in self.positions}
        self.old_rects = {i: boundaries[i].rect for i in self.rects}
        self.old_memberships = {i: elements[i].boundary for i in self.memberships}
        self.old_parents = {i: boundaries[i].parent for i in self.parents}
        super().__init__(text or self._default_text())

    def _default_text(self) -> str:
        if self.memberships and not self.positions:
            return "Change membership"
        n = len(self.positions) + len(self.rects)
        if self.rects and not self.positions and len(self.rects) == 1:
            return "Resize boundary" if not self.parents else "Move boundary"
        return "Move 1 item" if n == 1 else f"Move {n} items"

    def is_empty(self) -> bool:
        return (
            all(self.positions[i] == self.old_positions[i] for i in self.positions)
            and all(self.rects[i] == self.old_rects[i] for i in self.rects)
            and all(self.memberships[i] == self.old_memberships[i] for i in self.memberships)
            and all(self.parents[i] == self.old_parents[i] for i in self.parents)
        )

    def _apply(
        self,
        positions: dict[str, Point],
        rects: dict[str, Rect],
        memberships: dict[str, str | None],
        parents: dict[str, str | None],
    ) -> None:
        doc = self.document
        if rects:
            doc.set_boundary_rects(rects)
        for boundary_id, parent in parents.items():
            doc.set_boundary_field(boundary_id, "parent", parent)
        if positions:
            doc.move_elements(positions)
        for element_id, boundary_id in memberships.items():
            doc.set_element_field(element_id, "boundary", boundary_id)

    def redo(self) -> None:
        self._apply(self.positions, self.rects, self.memberships, self.parents)

    def undo(self) -> None:
        self._apply(self.old_positions, self.old_rects, self.old_memberships, self.old_parents)
