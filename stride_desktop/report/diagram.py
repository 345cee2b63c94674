"""The data-flow diagram drawn as vectors from the model's geometry.

Scene coordinates are the editor's (y grows downwards); the page's y grows upwards. A model that
fits the page at a readable scale is drawn once; a larger one gets an overview page with a tile
grid and then one page per tile at a fixed readable scale, so text never shrinks below the
minimum size.
"""

from __future__ import annotations

import math

from reportlab.lib import colors
from reportlab.platypus import Flowable

from ..model import Element
from ..model.catalog import DfdKind
from .data import ReportData
from .diagram_labels import ELEMENT_WEIGHT, LabelRequest, Obstacles, Rect, place_labels
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
NAME_LEADING = 8.2
NAME_LINES = 3  # a name wraps onto up to three lines before it is shortened
BREAKS_AFTER = " -/_.:"  # where a name may wrap: "kube-controller-" / "manager"

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in scene units


def _flow_index(
    data: ReportData,
) -> tuple[dict[str, tuple[int, int, int]], dict[str, list]]:
    """Per flow (its place among the flows of its pair, their number, its place in the model),
    and the flows at each element: computed once per report, not once per tile."""
    cached = data.cache.get("flow_index")
    if cached is None:
        total: dict[frozenset[str], int] = {}
        for f in data.model.flows:
            key = frozenset((f.source, f.target))
            total[key] = total.get(key, 0) + 1
        seen: dict[frozenset[str], int] = {}
        fan: dict[str, tuple[int, int, int]] = {}
        at: dict[str, list] = {}
        for i, f in enumerate(data.model.flows):
            key = frozenset((f.source, f.target))
            fan[f.id] = (seen.get(key, 0), total[key], i)
            seen[key] = seen.get(key, 0) + 1
            at.setdefault(f.source, []).append(f)
            at.setdefault(f.target, []).append(f)
        cached = data.cache["flow_index"] = (fan, at)
    return cached


def _at_spaces(name: str, width: float) -> list[str] | None:
    """The name wrapped at its spaces alone, when every line fits in NAME_LINES lines:
    "kubelet" / "(worker-1)" reads better than "kubelet (worker-" / "1)"."""
    lines: list[str] = []
    for word in name.split():
        if lines and text_width(f"{lines[-1]} {word}", NAME_SIZE, bold=True) <= width:
            lines[-1] += f" {word}"
        elif text_width(word, NAME_SIZE, bold=True) <= width:
            lines.append(word)
        else:
            return None
    return lines if 0 < len(lines) <= NAME_LINES else None


def name_lines(name: str, width: float) -> list[str]:
    """The name wrapped at spaces (else after - / _ . :) into at most NAME_LINES lines."""
    spaced = _at_spaces(name, width)
    if spaced is not None:
        return spaced
    words: list[str] = []
    current = ""
    for ch in name:
        current += ch
        if ch in BREAKS_AFTER:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    lines: list[str] = []
    line = ""
    for word in words:
        if line and text_width((line + word).rstrip(), NAME_SIZE, bold=True) > width:
            lines.append(line.rstrip())
            line = word.lstrip()
        else:
            line += word
    if line.strip():
        lines.append(line.rstrip())
    if len(lines) > NAME_LINES:
        lines = lines[: NAME_LINES - 1] + [" ".join(lines[NAME_LINES - 1 :])]
    return [fit(line, width, NAME_SIZE, bold=True) for line in lines] or [""]


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


class DiagramFlowable(Flowable):
    """One region of the scene at one scale; ``labels`` off for the overview."""

    def __init__(
        self,
        data: ReportData,
        region: Box,
        scale: float,
        *,
        labels: bool = True,
        tiles: list | None = None,  # objects with .label and .box, outlined on an overview
        only: set[str] | None = None,  # a tile: draw only its own elements, whole
    ):
        super().__init__()
        self.data, self.region, self.scale = data, region, scale
        self.labels, self.tiles, self.only = labels, tiles or [], only
        self.width = (region[2] - region[0]) * scale
        self.height = (region[3] - region[1]) * scale
        # what the labels keep clear of, and where they went (read by tests after draw)
        self.obstacles = Obstacles([])
        self.label_rects: list[Rect] = []
        self._label_requests: list[tuple[str, LabelRequest]] = []

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def box_size(self) -> tuple[float, float]:
        if not self.labels:
            return ELEMENT_W * self.scale, ELEMENT_H * self.scale
        return max(ELEMENT_W * self.scale, MIN_BOX_W), max(ELEMENT_H * self.scale, MIN_BOX_H)

    def element_box(self, name: str) -> tuple[float, float]:
        """Width and height of one element's box: taller when its name needs three lines."""
        w, h = self.box_size()
        if self.labels:
            lines = len(name_lines(name, w - 8))
            h = max(h, lines * NAME_LEADING + SMALL_SIZE + 8)
        return w, h

    def to_page(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.region[0]) * self.scale, (self.region[3] - y) * self.scale

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        path = canv.beginPath()
        path.rect(0, 0, self.width, self.height)
        canv.clipPath(path, stroke=0, fill=0)
        self.obstacles, self.label_rects, self._label_requests = Obstacles([]), [], []
        self._boundaries()
        self._flows()
        self._elements()
        self._flow_labels()
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
            room = max(pw - 10, 0)
            label = f"{b.name}  ·  trust {b.trust}"
            if text_width(label, BOUNDARY_SIZE, bold=True) > room:  # the name matters more
                label = b.name
            label = fit(label, room, BOUNDARY_SIZE, bold=True)
            if label and pw > 30:
                canv.setFillColor(colors.HexColor("#8E2C2C") if b.trust <= 0 else BRAND)
                draw_text(canv, lx, ly, label, BOUNDARY_SIZE, bold=True)
                width = text_width(label, BOUNDARY_SIZE, bold=True)
                self.obstacles.add((lx, ly - 2, lx + width, ly + BOUNDARY_SIZE), 2.0)

    def _flows(self) -> None:
        canv = self.canv
        by_id = self.data.elements
        fan, at = _flow_index(self.data)
        region = (
            self.region[0] - ELEMENT_W,
            self.region[1] - ELEMENT_H,
            self.region[2] + ELEMENT_W,
            self.region[3] + ELEMENT_H,
        )
        if self.only is None:
            flows = self.data.model.flows
        else:  # a tile shows its own elements' flows (leaving it at its edge)
            mine = {f.id: f for eid in self.only for f in at.get(eid, ())}
            flows = sorted(mine.values(), key=lambda f: fan[f.id][2])  # in the model's order
        for f in flows:
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
            nth, total, _ = fan[f.id]
            (x1, y1), (x2, y2) = self.to_page(*a.pos), self.to_page(*b.pos)
            dx, dy = x2 - x1, y2 - y1
            length = math.hypot(dx, dy) or 1.0
            ux, uy = dx / length, dy / length
            # Several flows between one pair fan out around the centre line; the perpendicular
            # is taken in one canonical direction so A->B and B->A land on different sides.
            sign = 1 if f.source < f.target else -1
            offset = (nth - (total - 1) / 2) * 7
            ox, oy = -(uy * sign) * offset, (ux * sign) * offset
            bw, bh = self.box_size()
            hw, hh = bw / 2 + 1.5, bh / 2 + 1.5  # the common box: arrows stop at its edge
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
                text = f"{f.name} :{f.port}" if f.port else f.name
                text = fit(text, min(max((length - 2 * t) * 0.9, 70), 110), SMALL_SIZE)
                if text:
                    size = (text_width(text, SMALL_SIZE) + 3, SMALL_SIZE + 2.2)
                    request = LabelRequest(*size, (sx, sy), (ex, ey))
                    self._label_requests.append((text, request))

    def _flow_labels(self) -> None:
        """Placed once boxes, badges and titles are known; drawn above them."""
        requests = [r for _, r in self._label_requests]
        spots = place_labels(requests, self.obstacles, (0.0, 0.0, self.width, self.height))
        canv = self.canv
        for (text, _), rect in zip(self._label_requests, spots):
            if rect is None:
                continue
            self.label_rects.append(rect)
            canv.setFillColor(colors.Color(1, 1, 1, alpha=0.85))
            canv.rect(rect[0], rect[1], rect[2] - rect[0], rect[3] - rect[1], stroke=0, fill=1)
            canv.setFillColor(INK)
            draw_text(canv, (rect[0] + rect[2]) / 2, rect[1] + 2, text, SMALL_SIZE, anchor="middle")

    def _elements(self) -> None:
        elements = self.data.model.elements
        if self.only is not None:
            elements = [self.data.elements[eid] for eid in sorted(self.only)]
        for e in elements:
            ex0, ey0 = e.pos[0] - ELEMENT_W / 2, e.pos[1] - ELEMENT_H / 2
            if _overlaps((ex0, ey0, ex0 + ELEMENT_W, ey0 + ELEMENT_H), self.region):
                self._element(e)

    def _element(self, e: Element) -> None:
        canv, s = self.canv, self.scale
        w, h = self.element_box(e.name)
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
        if self.labels:
            self.obstacles.add((x, y, x + w, y + h), ELEMENT_WEIGHT)
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
            shift = 3.0 if kind is DfdKind.DATA_STORE else 0.0  # clear of the store's tick
            lines = name_lines(e.name, w - 8 - 2 * shift)
            top = cy + (len(lines) - 1) * NAME_LEADING / 2 + 0.5 + SMALL_SIZE / 2
            for i, line in enumerate(lines):
                draw_text(
                    canv,
                    cx + shift,
                    top - i * NAME_LEADING,
                    line,
                    NAME_SIZE,
                    bold=True,
                    anchor="middle",
                )
            canv.setFillColor(MUTED)
            comp = fit(self.data.component_names.get(e.id, e.component), w - 8, SMALL_SIZE)
            bottom = top - (len(lines) - 1) * NAME_LEADING - SMALL_SIZE - 2.5
            draw_text(canv, cx, bottom, comp, SMALL_SIZE, anchor="middle")
        count = self.data.open_count(e.id)
        if count:
            radius = 6.5 if self.labels else max(2.5, min(6.5, 6 * s))
            bx, by = x + w - 1, y + h - 1
            canv.setFillColor(severity_color(self.data.highest(e.id)))
            canv.setStrokeColor(colors.white)
            canv.setLineWidth(0.8)
            canv.circle(bx, by, radius, stroke=1, fill=1)
            if self.labels:
                self.obstacles.add((bx - radius, by - radius, bx + radius, by + radius), 2.0)
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
