"""A light table cell: styled spans wrapped greedily and drawn with plain canvas calls.

A report of 1,000 elements has some 10,000 threat rows; reportlab's Paragraph parses markup with
an HTML parser and builds fragments for every cell, which made layout the bottleneck. This cell
never parses markup (user text cannot change formatting by construction), wraps on spaces, splits
over-long words, and caps its height so one row always fits a page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

from .fonts import FONT, FONT_BOLD, clean, draw_text, runs, text_width, truncate
from .styles import INK

SIZE, LEADING = 7.6, 9.4


@dataclass(frozen=True)
class Span:
    text: str
    bold: bool = False
    color: Color = INK
    href: str | None = None  # internal destination name
    newline: bool = False  # start on a new line


def span(text: object, *, limit: int = 600, **style: Any) -> Span:
    return Span(truncate(clean(text), limit), **style)


_ascii: dict[bool, list[float]] = {}  # bold -> advance of each ASCII code at 1 pt


def _table(bold: bool) -> list[float]:
    table = _ascii.get(bold)
    if table is None:
        font = getFont(FONT_BOLD if bold else FONT)
        table = _ascii[bold] = [font.stringWidth(chr(i), 1.0) for i in range(128)]
    return table


def _width(text: str, bold: bool, size: float) -> float:
    """Text width; ASCII from a table (reportlab applies no kerning, so sums are exact)."""
    if text.isascii():
        return sum(map(_table(bold).__getitem__, text.encode("ascii"))) * size
    return text_width(text, size, bold=bold)


Run = tuple[float, str, Span]  # x, text, style


class TextCell(Flowable):
    def __init__(
        self,
        spans: list[Span],
        *,
        size: float = SIZE,
        leading: float = LEADING,
        max_lines: int = 40,
    ):
        super().__init__()
        self.spans, self.size, self.leading, self.max_lines = spans, size, leading, max_lines
        self._lines: list[list[Run]] = []
        self._for_width = -1.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if avail_width != self._for_width:
            self._lines = self._layout(max(avail_width, 10.0))
            self._for_width = avail_width
        self.width = avail_width
        self.height = len(self._lines) * self.leading
        return avail_width, self.height

    def _layout(self, width: float) -> list[list[Run]]:
        return layout(self.spans, width, size=self.size, max_lines=self.max_lines)

    def draw(self) -> None:
        canv = self.canv
        y = self.height - self.size
        for line in self._lines:
            for x, text, sp in line:
                canv.setFillColor(sp.color)
                w = draw_text(canv, x, y, text, self.size, bold=sp.bold)
                if sp.href:
                    canv.linkRect(
                        "", sp.href, (x, y - 1.5, x + w, y + self.size), relative=1, thickness=0
                    )
            y -= self.leading


def layout(
    spans: list[Span], width: float, *, size: float = SIZE, max_lines: int = 40
) -> list[list[Run]]:
    """Greedy wrapping into lines of runs (x, text, span)."""
    lines: list[list[Run]] = [[]]
    x = 0.0
    for sp in spans:
        if sp.newline and lines[-1]:
            lines.append([])
            x = 0.0
        space = _table(sp.bold)[32] * size
        whole = _width(sp.text, sp.bold, size) if "  " not in sp.text else math.inf
        if whole <= width - x and sp.text.strip() == sp.text:  # common case: fits as it is
            if sp.text:
                lines[-1].append((x, sp.text, sp))
                x += whole + space
            continue
        for word in sp.text.split(" "):
            if not word:
                continue
            w = _width(word, sp.bold, size)
            while w > width - x:
                if x > 0:  # move to a fresh line first
                    lines.append([])
                    x = 0.0
                    continue
                head = _fitting_prefix(word, width, sp.bold, size)
                lines[-1].append((0.0, head, sp))
                lines.append([])
                word = word[len(head) :]
                w = _width(word, sp.bold, size)
            if not word:
                continue
            line = lines[-1]
            if line and line[-1][2] is sp:  # extend the run: fewer draw calls
                x0, text, _ = line[-1]
                line[-1] = (x0, f"{text} {word}", sp)
            else:
                line.append((x, word, sp))
            x += w + space
    if not lines[-1]:
        lines.pop()
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        x0, text, sp = lines[-1][-1]
        lines[-1][-1] = (x0, text + " …", sp)
    return lines or [[]]


Op = tuple[Color, str, float, float, str]  # colour, font, x, baseline y, text


def collect(
    ops: list[Op],
    lines: list[list[Run]],
    x: float,
    top: float,
    *,
    leading: float = LEADING,
    size: float = SIZE,
    links: list | None = None,
) -> None:
    """Positioned text operations for wrapped lines, to be written by ``emit``."""
    y = top - size
    for line in lines:
        for rx, text, sp in line:
            base = FONT_BOLD if sp.bold else FONT
            if text.isascii():
                ops.append((sp.color, base, x + rx, y, text))
                w = _width(text, sp.bold, size) if sp.href else 0.0
            else:
                cx = x + rx
                for font, chunk in runs(text, bold=sp.bold):
                    ops.append((sp.color, font or base, cx, y, chunk))
                    cx += stringWidth(chunk, font or base, size)
                w = cx - x - rx
            if sp.href and links is not None:
                links.append((sp.href, (x + rx, y - 1.5, x + rx + w, y + size)))
        y -= leading


def emit(text_obj: Any, ops: list[Op], *, size: float = SIZE) -> None:
    """Write operations grouped by colour and font: positions are absolute, so the order is
    free, and colour and font operators (most of a table's stream) are written once per group."""
    order: dict[tuple[int, str], int] = {}
    for op in ops:  # first-appearance order keeps the output deterministic
        order.setdefault((id(op[0]), op[1]), len(order))
    ops = sorted(ops, key=lambda op: order[(id(op[0]), op[1])])
    color: object = None
    font: str | None = None
    for c, f, x, y, text in ops:
        if c is not color:
            text_obj.setFillColor(c)
            color = c
        if f != font:
            text_obj.setFont(f, size)
            font = f
        text_obj.setTextOrigin(x, y)
        text_obj.textOut(text)


def draw_lines(
    text_obj: Any,
    lines: list[list[Run]],
    x: float,
    top: float,
    *,
    size: float = SIZE,
    leading: float = LEADING,
    links: list | None = None,
) -> None:
    """Add wrapped lines to a PDF text object."""
    ops: list[Op] = []
    collect(ops, lines, x, top, leading=leading, size=size, links=links)
    emit(text_obj, ops, size=size)


BREAK_AFTER = "-@./_:,;=&?"  # an over-long word (an id, a path) breaks after these first


def _fitting_prefix(word: str, width: float, bold: bool, size: float) -> str:
    """The longest head of ``word`` that fits, ending after a separator when one is in it, so
    ids break at "DOCKER-CONTAINER-" / "ROOT@api", never inside a word."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _width(word[:mid], bold, size) <= width:
            lo = mid
        else:
            hi = mid - 1
    head = word[:lo]
    if lo < len(word) and head[-1] not in BREAK_AFTER:  # "...-DOCKER" | "-SOCKET": too late
        cut = max(head.rfind(ch) for ch in BREAK_AFTER)
        if cut >= 2:
            return head[: cut + 1]
    return head
