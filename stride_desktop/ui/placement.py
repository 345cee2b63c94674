"""Where a new element goes: the free spot nearest to where the person is looking.

Spots are tried on the grid in rings around the wanted point; a spot is free when a default-size
box there (with a margin) touches no element and no boundary title, and does not straddle a
boundary's frame. Two elements added in a row therefore never land on the same spot.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF

from . import style

if TYPE_CHECKING:
    from .scene import DiagramScene

MARGIN_X, MARGIN_Y = 40.0, 30.0
MAX_RINGS = 40


def _occupied(scene: DiagramScene) -> list[QRectF]:
    rects = [
        item.mapRectToScene(item.body_rect()).adjusted(-MARGIN_X, -MARGIN_Y, MARGIN_X, MARGIN_Y)
        for item in scene.element_items.values()
    ]
    rects += [
        item.mapRectToScene(item.tab_rect()).adjusted(-8, -8, 8, MARGIN_Y)
        for item in scene.boundary_items.values()
    ]
    return rects


def free_spot(
    scene: DiagramScene,
    near: QPointF,
    *,
    size: tuple[float, float] | None = None,
    inside: QRectF | None = None,
    outside: list[QRectF] | None = None,
) -> QPointF:
    """The grid point nearest ``near`` where a box of ``size`` (w, h) touches nothing; with
    ``inside``, only spots within that rect (under its title), and clear of ``outside``."""
    w, h = size or (style.ELEMENT_W, style.ELEMENT_H)
    occupied = _occupied(scene) + [r.adjusted(-16, -16, 16, 16) for r in outside or []]
    frames = [QRectF(*item.scene_rect_tuple()) for item in scene.boundary_items.values()]
    room = inside.adjusted(16, 40, -16, -16) if inside is not None else None
    step_x, step_y = style.GRID * 2.0, style.GRID * 2.0
    centre = scene.snap(near) if scene.snap_to_grid else near

    def free(p: QPointF) -> bool:
        box = QRectF(p.x() - w / 2, p.y() - h / 2, w, h)
        if room is not None and not room.contains(box):
            return False
        if any(r.intersects(box) for r in occupied):
            return False
        outer = box.adjusted(-16, -16, 16, 16)  # clear of the frame, inside or outside
        return all(not f.intersects(outer) or f.contains(outer) for f in frames)

    if free(centre):
        return centre
    for ring in range(1, MAX_RINGS + 1):
        spots = [
            QPointF(centre.x() + dx * step_x, centre.y() + dy * step_y)
            for dx in range(-ring, ring + 1)
            for dy in range(-ring, ring + 1)
            if max(abs(dx), abs(dy)) == ring
        ]
        spots.sort(key=lambda p: math.hypot(p.x() - centre.x(), p.y() - centre.y()))
        for spot in spots:
            if free(spot):
                return spot
    return centre
