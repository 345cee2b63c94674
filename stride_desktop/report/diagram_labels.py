"""Flow labels of the report's diagram placed clear of boxes, badges, titles and each other.

Each label tries spots along its line (the middle first), on the line and beside it, and takes
the first that touches nothing; when every spot touches something it takes the one covering the
least (an element's box counts more than another label). Labels are placed one after the other,
each an obstacle for the next, the shortest lines first (they have the fewest spots). Page
coordinates, no drawing here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Rect = tuple[float, float, float, float]  # x0, y0, x1, y1

ALONG = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.12, 0.88)  # along the line, best first
SIDE_COST = 0.05
FURTHER = (
    2.0,
    3.0,
    4.0,
    5.0,
)  # multiples of the beside-the-line distance, tried last  # beside the line reads a little worse than on it, at the same spot
ELEMENT_WEIGHT = 4.0  # covering a name is worse than touching another label
GAP = 1.5  # air kept between a label and what it must not touch


@dataclass(frozen=True)
class LabelRequest:
    width: float
    height: float
    start: tuple[float, float]  # the visible part of the flow's line
    end: tuple[float, float]


@dataclass
class Obstacles:
    rects: list[tuple[Rect, float]]  # rect and weight

    def add(self, rect: Rect, weight: float = 1.0) -> None:
        self.rects.append((rect, weight))

    def cost(self, r: Rect) -> float:
        total = 0.0
        for o, weight in self.rects:
            w = min(r[2], o[2] + GAP) - max(r[0], o[0] - GAP)
            h = min(r[3], o[3] + GAP) - max(r[1], o[1] - GAP)
            if w > 0 and h > 0:
                total += w * h * weight
        return total


def _rect(cx: float, cy: float, w: float, h: float) -> Rect:
    return (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)


def _spots(req: LabelRequest) -> list[tuple[float, float, float]]:
    """Candidate centres with their preference cost, best first."""
    (x1, y1), (x2, y2) = req.start, req.end
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length
    beside = (abs(nx) * req.width + abs(ny) * req.height) / 2 + 2.0
    out = []
    for rank, t in enumerate(ALONG):
        cx, cy = x1 + (x2 - x1) * t, y1 + (y2 - y1) * t
        out.append((cx, cy, rank * 0.01))
        for side in (1, -1):
            out.append((cx + nx * beside * side, cy + ny * beside * side, rank * 0.01 + SIDE_COST))
    # a short line between two close boxes: above or below the gap, clear of both boxes
    for step in FURTHER:
        for side in (1, -1):
            cx, cy = (
                (x1 + x2) / 2 + nx * beside * step * side,
                (y1 + y2) / 2 + ny * beside * step * side,
            )
            out.append((cx, cy, SIDE_COST * step))
    return out


def place_labels(
    requests: list[LabelRequest], obstacles: Obstacles, bounds: Rect
) -> list[Rect | None]:
    """A rect per request (None when no spot lies inside ``bounds``); placed labels become
    obstacles of the later ones."""
    order = sorted(
        range(len(requests)),
        key=lambda i: math.dist(requests[i].start, requests[i].end),
    )
    placed: list[Rect | None] = [None] * len(requests)
    for i in order:
        req = requests[i]
        best: tuple[float, Rect] | None = None
        for cx, cy, preference in _spots(req):
            r = _rect(cx, cy, req.width, req.height)
            if r[0] < bounds[0] or r[1] < bounds[1] or r[2] > bounds[2] or r[3] > bounds[3]:
                continue
            score = obstacles.cost(r)
            if score == 0:
                best = (preference, r)
                break
            score += preference * req.width * req.height
            if best is None or score < best[0]:
                best = (score, r)
        if best is not None:
            placed[i] = best[1]
            obstacles.add(best[1])
    return placed


def overlap_area(a: Rect, b: Rect) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0
