"""The canvas by keyboard: Tab walks through the items, the arrow keys nudge the selection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGraphicsItem

from . import style
from .commands.nudge import NudgeCommand

if TYPE_CHECKING:
    from .scene import DiagramScene

ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
FINE_STEP = 2.0  # Shift+arrow, when the grid step is too coarse


def tab_order(scene: DiagramScene) -> list[QGraphicsItem]:
    """Elements in reading order (rows of 60 units, then left to right), then boundaries, then
    flows: the order Tab visits them."""

    def reading(item: QGraphicsItem) -> tuple[float, float]:
        p = item.sceneBoundingRect().center()
        return (round(p.y() / 60), p.x())

    elements = sorted(scene.element_items.values(), key=reading)
    boundaries = sorted(scene.boundary_items.values(), key=reading)
    flows = sorted(scene.flow_items.values(), key=lambda f: f.flow_id)
    return [*elements, *boundaries, *flows]


def tab_target(scene: DiagramScene, *, forward: bool) -> QGraphicsItem | None:
    """The item Tab (or Shift+Tab) selects next, None when past the end (the focus leaves)."""
    order = tab_order(scene)
    if not order:
        return None
    selected = scene.selectedItems()
    if len(selected) != 1 or selected[0] not in order:
        return order[0] if forward else order[-1]
    index = order.index(selected[0]) + (1 if forward else -1)
    return order[index] if 0 <= index < len(order) else None


def nudge_selection(scene: DiagramScene, key: int, *, fine: bool = False) -> bool:
    """Move the selected elements and boundaries (with what they contain) one step."""
    dx, dy = ARROWS[key]
    step = FINE_STEP if fine or not scene.snap_to_grid else float(style.GRID)
    model = scene.document.model
    elements, _flows, boundaries = scene.selected_ids()
    moved_b = {b.id for b in model.boundaries if set(boundaries) & set(model.boundary_chain(b.id))}
    moved_e = set(elements) | {
        e.id for e in model.elements if moved_b & set(model.boundary_chain(e.boundary))
    }
    if not moved_e and not moved_b:
        return False
    positions = {
        e.id: (e.pos[0] + dx * step, e.pos[1] + dy * step)
        for e in model.elements
        if e.id in moved_e
    }
    rects = {
        b.id: (b.rect[0] + dx * step, b.rect[1] + dy * step, b.rect[2], b.rect[3])
        for b in model.boundaries
        if b.id in moved_b
    }
    scene.document.push(NudgeCommand(scene.document, positions=positions, rects=rects))
    return True
