"""Auto-layout (Arrange > Auto-Layout, Ctrl+L): the core layout with the boxes as drawn.

The algorithm is ``stride_desktop.layout`` (Qt-free, boundary-aware, shared with the importers);
this module only feeds it the size of every element's box as the canvas draws it (names measured
with the canvas's fonts) and turns its result into one undo step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..layout import SizeFn, layout_model
from ..model import Element
from .commands import MoveCommand
from .document import Document
from .import_action import editor_sizes

if TYPE_CHECKING:
    from .scene import DiagramScene


def drawn_sizes(document: Document, scene: DiagramScene | None) -> SizeFn:
    """(width, height) of each element's box: the scene's item, or measured like one."""
    measured = editor_sizes(document)

    def size_of(element: Element) -> tuple[float, float]:
        item = scene.element_items.get(element.id) if scene is not None else None
        if item is None:
            return measured(element)  # type: ignore[no-any-return]
        body = item.body_rect()
        return body.width(), body.height()

    return size_of


def auto_layout_command(
    document: Document, scene: DiagramScene | None = None
) -> MoveCommand | None:
    """Every element and boundary moved to the core layout's places: one command (None when
    there is nothing to lay out or nothing would move)."""
    model = document.model
    if not model.elements and not model.boundaries:
        return None
    layout = layout_model(model, catalog=document.catalog, size_of=drawn_sizes(document, scene))
    command = MoveCommand(
        document, positions=layout.positions, rects=layout.rects, text="Auto-layout"
    )
    return None if command.is_empty() else command
