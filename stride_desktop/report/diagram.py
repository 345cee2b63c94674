"""The data-flow diagram drawn as vectors from the model's geometry.

Scene coordinates are the editor's (y grows downwards); the page's y grows upwards. A model that
fits the page at a readable scale is drawn once; a larger one gets an overview page with a tile
grid and then one page per tile at a fixed readable scale, so text never shrinks below the
minimum size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import Flowable

from ..model import Element
from ..model.catalog import DfdKind
from .data import ReportData
from .fonts import FONT_BOLD, draw_text, fit, text_width
from .styles import ACCENT, BRAND, INK, MUTED, severity_color

ELEMENT_W, ELEMENT_H = 176.0, 64.0  # scene units, as the editor draws them (ui/style.py)
MIN_BOX_W, MIN_BOX_H = 74.0, 27.0  # points: room for a 7 pt name and a component line
PADDING = 30.0  # scene units around the drawing
MIN_SCALE = 0.25  # floor: geometry below this is too small to follow
TILE_SCALE = 0.7  # the most a tile is enlarged; tiles use the smallest scale that is legible
TILE_PAD = ELEMENT_W / 2  # scene units a tile shows beyond its cell
MAX_SCALE = 1.0
NAME_SIZE, SMALL_SIZE, BOUNDARY_SIZE = 7.0, 5.6, 7.0

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in scene units


def scene_bounds(data: ReportData) -> Box:
    xs: list[float] = []
    ys: list[float] = []
    for b in data.model.boundaries:
        x, y, w, h = b.rect
        xs += [x, x + w]
        ys += [y, y + h]
    for e in data.model.elements:
        xs += [e.pos[0] - ELEMENT_W / 2, e.pos[0] + ELEMENT_W / 2]
        ys += [e.pos[1] - ELEMENT_H / 2, e.pos[1] + ELEMENT_H / 2]
    if not xs:
        return (0.0, 0.0, 400.0, 200.0)
    return (min(xs) - PADDING, min(ys) - PADDING, max(xs) + PADDING, max(ys) + PADDING)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _trust_fill(trust: int, depth: int) -> colors.Color:
    if trust <= 0:
        return colors.HexColor("#FBEFEF")
    return [colors.HexColor("#F1F5FB"), colors.HexColor("#E8EFF8"), colors.HexColor("#DFE8F4")][
        min(depth, 2)
    ]


@dataclass
class Tile:
    label: str
    box: Box


class DiagramFlowable(Flowable):
    """One region of the scene at one scale; ``labels`` off for the overview."""

    def __init__(
        self,
        data: ReportData,
        region: Box,
        scale: float,
        *,
        labels: bool = True,
        tiles: list[Tile] | None = None,
    ):
        super().__init__()
        self.data, self.region, self.scale = data, region, scale
        self.labels, self.tiles = labels, tiles or []
        self.width = (region[2] - region[0]) * scale
        self.height = (region[3] - region[1]) * scale

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def box_size(self) -> tuple[float, float]:
        if not self.labels:
            return ELEMENT_W * self.scale, ELEMENT_H * self.scale
        return max(ELEMENT_W * self.scale, MIN_BOX_W), max(ELEMENT_H * self.scale, MIN_BOX_H)

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.region[0]) * self.scale, (self.region[3] - y) * self.scale

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        path = canv.beginPath()
        path.rect(0, 0, self.width, self.height)
        canv.clipPath(path, stroke=0, fill=0)
        self._boundaries()
        self._flows()
        self._elements()
        self._tile_grid()
        canv.restoreState()
        canv.setStrokeColor(colors.HexColor("#C9D1DD"))
        canv.setLineWidth(0.5)
        canv.rect(0, 0, self.width, self.height, stroke=1, fill=0)

    # -- layers -----------------------------------------------------------------------------------
    def _boundaries(self) -> None:
        canv, model = self.canv, self.data.model
        depth = {b.id: len(self.data.chain(b.id)) - 1 for b in model.boundaries}
        for b in sorted(model.boundaries, key=lambda b: depth[b.id]):
            x, y, w, h = b.rect
            if not _overlaps((x, y, x + w, y + h), self.region):
                continue
            px, py = self.to_page(x, y + h)
            pw, ph = w * self.scale, h * self.scale
            canv.setFillColor(_trust_fill(b.trust, depth[b.id]))
            canv.setStrokeColor(colors.HexColor("#B23A3A") if b.trust <= 0 else BRAND)
            canv.setLineWidth(0.9)
            canv.setDash(4, 2.5)
            canv.roundRect(px, py, pw, ph, 5, stroke=1, fill=1)
            canv.setDash()
            # Keep the label visible when the boundary starts outside this tile.
            lx = max(px, 0) + 5
            ly = min(py + ph, self.height) - BOUNDARY_SIZE - 4
            label = fit(f"{b.name}  ·  trust {b.trust}", max(pw - 10, 0), BOUNDARY_SIZE, bold=True)
            if label and pw > 30:
                canv.setFillColor(colors.HexColor("#8E2C2C") if b.trust <= 0 else BRAND)
                draw_text(canv, lx, ly, label, BOUNDARY_SIZE, bold=True)

    def _flows(self) -> None:
        canv, model = self.canv, self.data.model
        by_id = model.elements_by_id()
        total: dict[frozenset[str], int] = {}
        for f in model.flows:
            key = frozenset((f.source, f.target))
            total[key] = total.get(key, 0) + 1
        pairs: dict[frozenset[str], int] = {}
        region = (
            self.region[0] - ELEMENT_W,
            self.region[1] - ELEMENT_H,
            self.region[2] + ELEMENT_W,
            self.region[3] + ELEMENT_H,
        )
        for f in model.flows:
            a, b = by_id.get(f.source), by_id.get(f.target)
            if a is None or b is None or a is b:
                continue
            box = (
                min(a.pos[0], b.pos[0]),
                min(a.pos[1], b.pos[1]),
                max(a.pos[0], b.pos[0]),
                max(a.pos[1], b.pos[1]),
            )
            if not _overlaps(box, region):
                continue
            key = frozenset((f.source, f.target))
            nth = pairs.get(key, 0)
            pairs[key] = nth + 1
            (x1, y1), (x2, y2) = self.to_page(*a.pos), self.to_page(*b.pos)
            dx, dy = x2 - x1, y2 - y1
            length = math.hypot(dx, dy) or 1.0
            ux, uy = dx / length, dy / length
            # Several flows between one pair fan out around the centre line; the perpendicular
            # is taken in one canonical direction so A->B and B->A land on different sides.
            sign = 1 if f.source < f.target else -1
            offset = (nth - (total[key] - 1) / 2) * 7
            ox, oy = -(uy * sign) * offset, (ux * sign) * offset
            bw, bh = self.box_size()
            hw, hh = bw / 2 + 1.5, bh / 2 + 1.5
            t = min(hw / abs(ux) if ux else 1e9, hh / abs(uy) if uy else 1e9)
            if 2 * t >= length:
                continue
            sx, sy = x1 + ux * t + ox, y1 + uy * t + oy
            ex, ey = x2 - ux * t + ox, y2 - uy * t + oy
            crossing = self.data.crossing(f.id) is not None
            color = colors.HexColor("#B23A3A") if crossing else colors.HexColor("#44546A")
            canv.setStrokeColor(color)
            canv.setFillColor(color)
            canv.setLineWidth(0.8 if crossing else 0.6)
            canv.line(sx, sy, ex, ey)
            head = 5.0
            p = canv.beginPath()
            p.moveTo(ex, ey)
            p.lineTo(ex - ux * head - uy * head * 0.45, ey - uy * head + ux * head * 0.45)
            p.lineTo(ex - ux * head + uy * head * 0.45, ey - uy * head - ux * head * 0.45)
            p.close()
            canv.drawPath(p, stroke=0, fill=1)
            mx, my = (sx + ex) / 2, (sy + ey) / 2
            # A long flow passes through many tiles: label it once, in the tile of its middle.
            if self.labels and f.name and 0 <= mx <= self.width and 0 <= my <= self.height:
                self._flow_label(f.name, f.port, mx, my, length - 2 * t)

    def _flow_label(self, name: str, port: int | None, x: float, y: float, room: float) -> None:
        text = f"{name} :{port}" if port else name
        text = fit(text, max(min(room * 0.9, 110), 30), SMALL_SIZE)
        if not text:
            return
        width = text_width(text, SMALL_SIZE)
        canv = self.canv
        canv.setFillColor(colors.Color(1, 1, 1, alpha=0.85))
        canv.rect(x - width / 2 - 1.5, y - 2, width + 3, SMALL_SIZE + 2.2, stroke=0, fill=1)
        canv.setFillColor(INK)
        draw_text(canv, x, y, text, SMALL_SIZE, anchor="middle")

    def _elements(self) -> None:
        for e in self.data.model.elements:
            ex0, ey0 = e.pos[0] - ELEMENT_W / 2, e.pos[1] - ELEMENT_H / 2
            if _overlaps((ex0, ey0, ex0 + ELEMENT_W, ey0 + ELEMENT_H), self.region):
                self._element(e)

    def _element(self, e: Element) -> None:
        canv, s = self.canv, self.scale
        w, h = self.box_size()
        cx, cy = self.to_page(*e.pos)
        x, y = cx - w / 2, cy - h / 2
        kind = self.data.kinds.get(e.id, DfdKind.PROCESS)
        canv.setLineWidth(0.9)
        canv.setStrokeColor(INK)
        canv.setFillColor(colors.white)
        if kind is DfdKind.EXTERNAL_ENTITY:
            canv.setFillColor(colors.HexColor("#F4F4F4"))
            canv.rect(x, y, w, h, stroke=1, fill=1)
        elif kind is DfdKind.DATA_STORE:
            canv.rect(x, y, w, h, stroke=0, fill=1)
            canv.line(x, y + h, x + w, y + h)
            canv.line(x, y, x + w, y)
            canv.line(x + 5, y, x + 5, y + h)  # the classic left tick of a store
        else:
            canv.roundRect(x, y, w, h, min(h / 2, 12), stroke=1, fill=1)
        if not self.labels and w >= 36:  # overview: a small name still helps to find things
            canv.setFillColor(INK)
            draw_text(
                canv,
                cx,
                cy - 2,
                fit(e.name, w - 4, 5.0, bold=True),
                5.0,
                bold=True,
                anchor="middle",
            )
        if self.labels:
            canv.setFillColor(INK)
            name = fit(e.name, w - 8, NAME_SIZE, bold=True)
            draw_text(
                canv,
                cx + (2.5 if kind is DfdKind.DATA_STORE else 0),
                cy + 0.5,
                name,
                NAME_SIZE,
                bold=True,
                anchor="middle",
            )
            canv.setFillColor(MUTED)
            comp = fit(self.data.component_names.get(e.id, e.component), w - 8, SMALL_SIZE)
            draw_text(canv, cx, cy - SMALL_SIZE - 2.5, comp, SMALL_SIZE, anchor="middle")
        count = self.data.open_count(e.id)
        if count:
            radius = 6.5 if self.labels else max(2.5, min(6.5, 6 * s))
            bx, by = x + w - 1, y + h - 1
            canv.setFillColor(severity_color(self.data.highest(e.id)))
            canv.setStrokeColor(colors.white)
            canv.setLineWidth(0.8)
            canv.circle(bx, by, radius, stroke=1, fill=1)
            if self.labels:
                canv.setFillColor(colors.white)
                label = str(count) if count < 100 else "99+"
                canv.setFont(FONT_BOLD, 6 if count < 10 else 5)
                canv.drawCentredString(bx, by - 2.1, label)

    def _tile_grid(self) -> None:
        canv = self.canv
        for tile in self.tiles:
            x0, y0 = self.to_page(tile.box[0], tile.box[3])
            x1, y1 = self.to_page(tile.box[2], tile.box[1])
            canv.setStrokeColor(ACCENT)
            canv.setLineWidth(0.8)
            canv.setDash(1, 2)
            canv.rect(x0, y0, x1 - x0, y1 - y0, stroke=1, fill=0)
            canv.setDash()
            canv.setFillColor(colors.Color(1, 1, 1, alpha=0.8))
            canv.rect(x1 - 24, y0 + 2, 22, 13, stroke=0, fill=1)
            canv.setFillColor(ACCENT)
            draw_text(canv, x1 - 4, y0 + 5, tile.label, 10, bold=True, anchor="end")


def plan(data: ReportData, avail: tuple[float, float]) -> tuple[float, list[Tile], float]:
    """The fit scale, the tiles when that scale would be illegible (empty ones dropped), and
    the scale of the tiles: the smallest at which minimum-size boxes do not collide."""
    x0, y0, x1, y1 = scene_bounds(data)
    w, h = x1 - x0, y1 - y0
    # Boxes never shrink below MIN_BOX_*: leave room for them to grow at the edges.
    scale = min((avail[0] - MIN_BOX_W / 2) / w, (avail[1] - MIN_BOX_H / 2) / h, MAX_SCALE)
    need = needed_scale(data)
    if scale >= max(MIN_SCALE, need * 0.9):  # boxes keep a few points' margin: 10% is safe
        return scale, [], scale
    tile_scale = min(TILE_SCALE, max(need, MIN_SCALE) * 1.05)
    seam = 2 * TILE_PAD * tile_scale  # tiles overlap by TILE_PAD on each side
    cols = math.ceil(w * tile_scale / (avail[0] - seam))
    rows = math.ceil(h * tile_scale / (avail[1] - seam))
    tw, th = w / cols, h / rows
    # Only cells holding an element become tiles (a sparse model far apart stays small).
    occupied = sorted(
        {
            (min(int((e.pos[1] - y0) // th), rows - 1), min(int((e.pos[0] - x0) // tw), cols - 1))
            for e in data.model.elements
        }
    )
    tiles = [
        Tile(
            f"{_col_name(c)}{r + 1}",
            (x0 + c * tw, y0 + r * th, x0 + (c + 1) * tw, y0 + (r + 1) * th),
        )
        for r, c in occupied
    ]
    # Rounding up the grid left room: enlarge the tiles to fill the page.
    tile_scale = min(MAX_SCALE, avail[0] / (tw + 2 * TILE_PAD), avail[1] / (th + 2 * TILE_PAD))
    return scale, tiles, tile_scale


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
    return need


def _col_name(n: int) -> str:
    name = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def overlap_region(tile: Tile, bounds: Box) -> Box:
    """A tile with a small overlap so elements on a seam appear whole on one side."""
    pad = TILE_PAD
    return (
        max(tile.box[0] - pad, bounds[0]),
        max(tile.box[1] - pad, bounds[1]),
        min(tile.box[2] + pad, bounds[2]),
        min(tile.box[3] + pad, bounds[3]),
    )
