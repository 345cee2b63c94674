"""Box sizes of elements without Qt: an estimate of what the editor draws.

The editor's element boxes grow with their names (``ui/items/element_item.py``): 176 px wide by
default, wider for long names up to 272 px, where a name wraps onto two lines. This estimate
follows the same rules with average glyph widths of the editor's fonts (bold 9.5 pt names,
7.5 pt subtitles), rounded up a little so that a layout made with it leaves room for the real
boxes. The editor can pass its own measure instead (``SizeFn``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..model import Catalog, Element

SizeFn = Callable[[Element], tuple[float, float]]

ELEMENT_W, ELEMENT_H = 176.0, 64.0
STORE_H = ELEMENT_H - 6  # data stores are drawn a little flatter
MAX_W = 272.0
ONE_LINE_GROW = 32.0
ICON = 32.0
BREAKS = " -/_.:"
LABEL_SCALE = 8.0 / 9.5  # flow labels are set in 8 pt, element names in 9.5 pt
SLACK = 1.04  # estimate a little wide: an overlap is worse than a gap


def _glyph(ch: str) -> float:
    """Average advance of one character in the bold 9.5 pt name font (measured offscreen)."""
    if ch.islower():
        return 8.0
    if ch.isupper():
        return 9.8
    if ch.isdigit():
        return 9.0
    if ch in BREAKS:
        return 5.2
    return 10.0 if ord(ch) > 0x2E80 else 8.4  # CJK and the like are wide


def text_width(text: str) -> float:
    return sum(_glyph(ch) for ch in text) * SLACK


def label_width(name: str) -> float:
    """Width of a flow's label on the canvas: its name in the bold 8 pt label font."""
    return text_width(name) * LABEL_SCALE + 12 if name else 0.0


def _two_lines(name: str) -> float:
    """Width of the narrowest split of ``name`` into two lines at a space or punctuation."""
    best = text_width(name)
    widths = [_glyph(ch) * SLACK for ch in name]
    total = sum(widths)
    left = 0.0
    for i, ch in enumerate(name[:-1]):
        left += widths[i]
        if ch in BREAKS:
            best = min(best, max(left, total - left))
    return best


def estimate_size(name: str, kind: str, subtitle: str = "") -> tuple[float, float]:
    """(width, height) of an element box named ``name`` of DFD ``kind``."""
    inset = 12 + ICON + 8 + 12 + (16 if kind == "process" else 0)
    room = ELEMENT_W - inset
    text_w = text_width(name)
    if text_w > room + ONE_LINE_GROW:
        text_w = _two_lines(name)
    sub_w = text_width(subtitle) * 0.68
    text_w = max(text_w, min(sub_w, room + ONE_LINE_GROW / 2))
    width = min(MAX_W, max(ELEMENT_W, math.ceil((text_w + inset + 1) / 8) * 8))
    return width, STORE_H if kind == "data_store" else ELEMENT_H


def size_function(catalog: Catalog) -> SizeFn:
    """The default size of elements of ``catalog``: the estimate from name and component."""
    cache: dict[tuple[str, str], tuple[float, float]] = {}

    def size_of(element: Element) -> tuple[float, float]:
        key = (element.name or element.id, element.component)
        if key not in cache:
            spec = catalog.components.get(element.component)
            kind = spec.kind.value if spec else "process"
            subtitle = spec.name if spec else element.component
            cache[key] = estimate_size(key[0], kind, subtitle)
        return cache[key]

    return size_of
