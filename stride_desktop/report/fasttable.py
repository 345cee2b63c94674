"""A table for the thousands of threat rows: the house table look, without reportlab Table's
per-cell style machinery. Rows never split; the table splits between rows and repeats its header.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from .styles import BRAND, HEADER_BG, RULE, SHADE
from .textcell import LEADING, Span, collect, emit, layout

Cell = list[Span]
PAD_X, PAD_Y = 4.0, 3.0


def cell_spans(value: object) -> Cell:
    """Spans for a cell given as spans, a plain string (newlines kept) or nothing."""
    if isinstance(value, list):
        return value
    if not value:
        return []
    return [Span(part, newline=i > 0) for i, part in enumerate(str(value).split("\n"))]


class FastTable(Flowable):
    def __init__(self, header: list[str], rows: list[list[Cell]], widths: list[float]):
        super().__init__()
        self.header = [[Span(h, bold=True, color=BRAND)] for h in header]
        self.rows, self.widths = rows, widths
        self._laid: list[tuple[float, list[list]]] | None = None  # (height, lines per cell)
        self._head = self._lay_row(self.header)

    def _lay_row(self, row: list[Cell]) -> tuple[float, list[list]]:
        cells = [
            layout(spans, w - 2 * PAD_X) if spans else [] for spans, w in zip(row, self.widths)
        ]
        lines = max((len(c) for c in cells), default=0)
        return max(lines, 1) * LEADING + 2 * PAD_Y, cells

    def _layout(self) -> list[tuple[float, list[list]]]:
        if self._laid is None:
            self._laid = [self._lay_row(row) for row in self.rows]
        return self._laid

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self._head[0] + sum(h for h, _ in self._layout())
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        laid = self._layout()
        used = self._head[0]
        count = 0
        for height, _ in laid:
            if used + height > avail_height:
                break
            used += height
            count += 1
        if count == 0 or count == len(laid):
            return []
        first = FastTable([], self.rows[:count], self.widths)
        rest = FastTable([], self.rows[count:], self.widths)
        for part, sub in ((first, laid[:count]), (rest, laid[count:])):
            part.header, part._head, part._laid = self.header, self._head, sub
        rest._zebra_offset = getattr(self, "_zebra_offset", 0) + count
        first._zebra_offset = getattr(self, "_zebra_offset", 0)
        return [first, rest]

    def draw(self) -> None:
        canv = self.canv
        width = sum(self.widths)
        rows = [self._head, *self._layout()]
        offset = getattr(self, "_zebra_offset", 0)
        # Backgrounds and rules first, then all text in one text object.
        y = self.height
        for i, (height, _) in enumerate(rows):
            if i == 0:
                canv.setFillColor(HEADER_BG)
                canv.rect(0, y - height, width, height, stroke=0, fill=1)
            elif (i - 1 + offset) % 2:
                canv.setFillColor(SHADE)
                canv.rect(0, y - height, width, height, stroke=0, fill=1)
            canv.setStrokeColor(BRAND if i == 0 else RULE)
            canv.setLineWidth(0.8 if i == 0 else 0.35)
            canv.line(0, y - height, width, y - height)
            y -= height
        ops: list = []
        links: list = []
        y = self.height
        for height, cells in rows:
            x = 0.0
            for lines, w in zip(cells, self.widths):
                if lines:
                    collect(ops, lines, x + PAD_X, y - PAD_Y, links=links)
                x += w
            y -= height
        text = canv.beginText()
        emit(text, ops)
        canv.drawText(text)
        for href, rect in links:
            canv.linkRect("", href, rect, relative=1, thickness=0)


def _blank(cell: Cell) -> bool:
    return all(sp.text.strip() in ("", "—") for sp in cell)


def compact_columns(
    header: list[str], rows: list[list[Cell]], widths: list[float], *, grow: int
) -> FastTable:
    """A FastTable without the columns that are empty on every row; column ``grow`` (an index
    into the full header, never dropped) takes their width."""
    keep = [i for i in range(len(header)) if i == grow or not all(_blank(r[i]) for r in rows)]
    freed = sum(w for i, w in enumerate(widths) if i not in keep)
    new_widths = [widths[i] + (freed if i == grow else 0) for i in keep]
    return FastTable(
        [header[i] for i in keep], [[row[i] for i in keep] for row in rows], new_widths
    )
