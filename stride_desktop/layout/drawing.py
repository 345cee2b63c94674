"""The result of a layout: where elements and boundaries go."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Layout:
    """Element centres and boundary rectangles (x, y, width, height)."""

    positions: dict[str, tuple[float, float]] = field(default_factory=dict)
    rects: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)
