"""Where the diagram goes: one page at a legible scale (A4, else A3 landscape), or, for a model
too large for that, an overview plus tiles cut along trust boundaries.

A tile is a boundary (or a group of neighbouring small ones) that fits a page at the legible
scale; a boundary too big for one page is cut into its nested boundaries, and only elements
with no boundary of their own are split into cells, each cell's region grown to hold its
elements whole. Regions are never cut through an element that belongs to them, and tiles with
no element are not made.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Boundary
from .data import ReportData
from .diagram import (
    ELEMENT_H,
    ELEMENT_W,
    MAX_SCALE,
    MIN_BOX_H,
    MIN_BOX_W,
    MIN_SCALE,
    TILE_SCALE,
    Box,
    scene_bounds,
)

LEGIBLE_SCALE = 0.4  # boxes ~70 pt wide: a name wraps onto at most two or three lines
PAD = 30.0  # scene units around a tile's content


@dataclass
class TilePlan:
    label: str  # "1", "2", ...
    name: str  # the boundaries it shows
    box: Box  # region in scene units
    scale: float
    elements: set[str] = field(default_factory=set)


@dataclass
class DiagramPlan:
    template: str  # page template of the single page, or of the overview and tiles
    scale: float
    tiles: list[TilePlan]


def fit_scale(box: Box, avail: tuple[float, float]) -> float:
    w, h = box[2] - box[0], box[3] - box[1]
    return min((avail[0] - MIN_BOX_W / 2) / w, (avail[1] - MIN_BOX_H / 2) / h, MAX_SCALE)


def legible_scale(data: ReportData) -> float:
    return min(max(needed_scale(data), LEGIBLE_SCALE), TILE_SCALE)


def plan_diagram(data: ReportData, pages: list[tuple[str, tuple[float, float]]]) -> DiagramPlan:
    """``pages``: (template, available drawing size) from the smallest page to the largest."""
    bounds = scene_bounds(data)
    need = legible_scale(data)
    for template, avail in pages:
        scale = fit_scale(bounds, avail)
        if scale >= need * 0.97:
            return DiagramPlan(template, scale, [])
    template, avail = pages[-1]
    return DiagramPlan(template, fit_scale(bounds, avail), boundary_tiles(data, avail, need))


def _element_box(pos: tuple[float, float]) -> Box:
    return (
        pos[0] - ELEMENT_W / 2,
        pos[1] - ELEMENT_H / 2,
        pos[0] + ELEMENT_W / 2,
        pos[1] + ELEMENT_H / 2,
    )


def _union(boxes: list[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def boundary_tiles(data: ReportData, avail: tuple[float, float], scale: float) -> list[TilePlan]:
    model = data.model

    def fits(box: Box) -> bool:
        return (box[2] - box[0] + 2 * PAD) * scale <= avail[0] and (
            box[3] - box[1] + 2 * PAD
        ) * scale <= avail[1]

    children: dict[str | None, list] = defaultdict(list)
    for b in model.boundaries:
        children[b.parent if b.parent in data.names else None].append(b)
    direct: dict[str | None, list] = defaultdict(list)
    for e in model.elements:
        direct[e.boundary if e.boundary in data.names else None].append(e)
    units: list[Unit] = []

    def subtree(bid: str) -> list:
        out = list(direct.get(bid, ()))
        for child in children.get(bid, ()):
            out += subtree(child.id)
        return out

    def split(elements: list, name: str) -> None:
        box = _union([_element_box(e.pos) for e in elements])
        if fits(box):
            units.append((name, box, {e.id for e in elements}))
            return
        cols = max(1, math.ceil((box[2] - box[0]) * scale / avail[0]))
        rows = max(1, math.ceil((box[3] - box[1]) * scale / avail[1]))
        cw, ch = (box[2] - box[0]) / cols or 1, (box[3] - box[1]) / rows or 1
        cells: dict[tuple[int, int], list] = defaultdict(list)
        for e in elements:
            cells[(int((e.pos[1] - box[1]) // ch), int((e.pos[0] - box[0]) // cw))].append(e)
        for key in sorted(cells):
            members = cells[key]
            cell_box = _union([_element_box(e.pos) for e in members])
            if fits(cell_box) or len(members) == 1:
                units.append((name, cell_box, {e.id for e in members}))
            else:  # a dense cell: halve it
                half = len(members) // 2
                ordered = sorted(members, key=lambda e: (e.pos[0], e.pos[1]))
                split(ordered[:half], name)
                split(ordered[half:], name)

    def visit(b: Boundary) -> None:
        elements = subtree(b.id)
        if not elements:
            return
        box = _union([_element_box(e.pos) for e in elements] + [_rect(b.rect)])
        if fits(box):
            units.append((b.name or b.id, box, {e.id for e in elements}))
            return
        for child in children.get(b.id, ()):
            visit(child)
        if direct.get(b.id):
            split(direct[b.id], b.name or b.id)

    for b in children.get(None, ()):
        visit(b)
    if direct.get(None):
        split(direct[None], "outside every boundary")
    return _merge(units, fits, scene_bounds(data), avail)


def _rect(rect: tuple[float, float, float, float]) -> Box:
    x, y, w, h = rect
    return (x, y, x + w, y + h)


Unit = tuple[str, Box, set[str]]  # boundary name, region, element ids


def _merge(
    units: list[Unit], fits: Callable[[Box], bool], bounds: Box, avail: tuple[float, float]
) -> list[TilePlan]:
    """Neighbouring units share a tile while together they still fit: no near-empty tile."""
    units = sorted(units, key=lambda u: (round(u[1][1] / 400), u[1][0]))
    merged: list[tuple[list[str], Box, set[str]]] = []
    for name, box, members in units:
        if merged and fits(_union([merged[-1][1], box])):
            names, old, ids = merged[-1]
            merged[-1] = (names + [name], _union([old, box]), ids | members)
        else:
            merged.append(([name], box, set(members)))
    tiles = []
    for n, (names, box, ids) in enumerate(merged, 1):
        region = (
            max(box[0] - PAD, bounds[0]),
            max(box[1] - PAD, bounds[1]),
            min(box[2] + PAD, bounds[2]),
            min(box[3] + PAD, bounds[3]),
        )
        label = ", ".join(dict.fromkeys(names))
        tiles.append(TilePlan(str(n), label, region, fit_scale(region, avail), ids))
    return tiles


def needed_scale(data: ReportData) -> float:
    """The smallest scale at which no two minimum-size boxes overlap (neighbours via a grid)."""
    cell = ELEMENT_W * 2.5
    grid: dict[tuple[int, int], list[tuple[float, float]]] = {}
    need = 0.0
    gap_w, gap_h = MIN_BOX_W + 4, MIN_BOX_H + 4
    for e in data.model.elements:
        x, y = e.pos
        cx, cy = int(x // cell), int(y // cell)
        for i in (cx - 1, cx, cx + 1):
            for j in (cy - 1, cy, cy + 1):
                for ox, oy in grid.get((i, j), ()):
                    dx, dy = abs(x - ox), abs(y - oy)
                    if dx < ELEMENT_W and dy < ELEMENT_H:
                        continue  # they overlap in the editor too: no scale separates them
                    pair = min(gap_w / dx if dx else math.inf, gap_h / dy if dy else math.inf)
                    need = max(need, min(pair, TILE_SCALE))  # stacked elements: tiles can't help
        grid.setdefault((cx, cy), []).append((x, y))
    return max(need, MIN_SCALE)
