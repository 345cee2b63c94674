"""How readable a drawn model is: overlapping boxes, boxes outside their boundary, crossings.

Boxes come from a size function (the editor's real boxes, or the estimate of ``sizes``); flows
are the straight lines between element centres, as the canvas and the report draw them. Every measure sorts
by x and compares only what overlaps in x, so large models are measured in n log n plus the
number of near pairs.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Iterator
from typing import TypeVar

from ..model import Catalog, Model
from .sizes import SizeFn, size_function

Box = tuple[float, float, float, float]  # x0, y0, x1, y1
K = TypeVar("K", bound=Hashable)


def element_boxes(model: Model, size_of: SizeFn) -> dict[str, Box]:
    boxes = {}
    for e in model.elements:
        w, h = size_of(e)
        x, y = e.pos
        boxes[e.id] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    return boxes


def _near_pairs(boxes: dict[K, Box]) -> Iterator[tuple[K, K]]:
    """Pairs of ids whose boxes overlap in x (sweep over x)."""
    order = sorted(boxes, key=lambda k: boxes[k][0])
    active: list[K] = []
    for key in order:
        x0 = boxes[key][0]
        active = [a for a in active if boxes[a][2] > x0]
        for other in active:
            yield other, key
        active.append(key)


def _intersects(a: Box, b: Box, margin: float = 0.0) -> bool:
    return (
        a[0] < b[2] + margin
        and b[0] < a[2] + margin
        and a[1] < b[3] + margin
        and b[1] < a[3] + margin
    )


def element_overlaps(
    model: Model, *, catalog: Catalog, size_of: SizeFn | None = None, margin: float = 0.0
) -> list[tuple[str, str]]:
    """Pairs of elements whose boxes overlap (closer than ``margin``)."""
    boxes = element_boxes(model, size_of or size_function(catalog))
    if margin:
        boxes = {k: (b[0] - margin, b[1], b[2] + margin, b[3]) for k, b in boxes.items()}
    return sorted(
        tuple(sorted((a, b)))  # type: ignore[misc]
        for a, b in _near_pairs(boxes)
        if _intersects(boxes[a], boxes[b], margin)
    )


def _rect_box(rect: tuple[float, float, float, float]) -> Box:
    x, y, w, h = rect
    return (x, y, x + w, y + h)


def _inside(inner: Box, outer: Box) -> bool:
    return (
        inner[0] >= outer[0]
        and inner[1] >= outer[1]
        and inner[2] <= outer[2]
        and inner[3] <= outer[3]
    )


def boundary_violations(
    model: Model, *, catalog: Catalog, size_of: SizeFn | None = None
) -> list[str]:
    """Boxes that stick out of a boundary they belong to, or reach into one they are not in;
    nested boundaries outside their parent; sibling boundaries that overlap."""
    boxes = element_boxes(model, size_of or size_function(catalog))
    frames = {b.id: _rect_box(b.rect) for b in model.boundaries}
    problems: list[str] = []
    for e in model.elements:
        chain = set(model.boundary_chain(e.boundary))
        for bid in chain:
            if not _inside(boxes[e.id], frames[bid]):
                problems.append(f"{e.id} sticks out of {bid}")
    everything: dict[tuple[str, str], Box] = {
        **{("e", k): v for k, v in boxes.items()},
        **{("b", k): v for k, v in frames.items()},
    }
    chains = {e.id: set(model.boundary_chain(e.boundary)) for e in model.elements}
    ancestors = {b.id: set(model.boundary_chain(b.id)) for b in model.boundaries}
    for a, b in _near_pairs(everything):
        if a[0] == "e" and b[0] == "e":
            continue  # element_overlaps measures those
        if not _intersects(everything[a], everything[b]):
            continue
        if a[0] == "e" or b[0] == "e":
            (_, eid), (_, bid) = (a, b) if a[0] == "e" else (b, a)
            if bid not in chains[eid]:
                problems.append(f"{eid} reaches into {bid}")
        elif a[1] not in ancestors[b[1]] and b[1] not in ancestors[a[1]]:
            problems.append(f"boundaries {min(a[1], b[1])} and {max(a[1], b[1])} overlap")
    for boundary in model.boundaries:
        if boundary.parent in frames and not _inside(frames[boundary.id], frames[boundary.parent]):
            problems.append(f"{boundary.id} sticks out of {boundary.parent}")
    return sorted(problems)


Segment = tuple[float, float, float, float]


PARALLEL = 18.0  # how far apart the canvas draws flows between the same two elements


def flow_segments(
    positions: dict[str, tuple[float, float]], flows: list[tuple[str, str, str]]
) -> dict[str, Segment]:
    """The lines of (flow id, source, target) triples as the canvas draws them: between element
    centres, flows between the same two elements side by side ``PARALLEL`` apart (the report
    spreads them the same way, 7 pt at its legible scale)."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for fid, source, target in flows:
        if source in positions and target in positions and source != target:
            pairs[(min(source, target), max(source, target))].append(fid)
    segments = {}
    for (a, b), fids in pairs.items():
        (x1, y1), (x2, y2) = positions[a], positions[b]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx, ny = -(y2 - y1) / length, (x2 - x1) / length
        fids.sort()
        for i, fid in enumerate(fids):
            offset = (i - (len(fids) - 1) / 2) * PARALLEL
            dx, dy = nx * offset, ny * offset
            segments[fid] = (x1 + dx, y1 + dy, x2 + dx, y2 + dy)
    return segments


def _orient(ax: float, ay: float, bx: float, by: float, cx: float, cy: float) -> float:
    return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)


def _cross(s: Segment, t: Segment) -> bool:
    """Proper crossing of two segments (touching ends do not count)."""
    d1 = _orient(t[0], t[1], t[2], t[3], s[0], s[1])
    d2 = _orient(t[0], t[1], t[2], t[3], s[2], s[3])
    d3 = _orient(s[0], s[1], s[2], s[3], t[0], t[1])
    d4 = _orient(s[0], s[1], s[2], s[3], t[2], t[3])
    return d1 * d2 < 0 and d3 * d4 < 0


def _extent(s: Segment) -> Box:
    return (min(s[0], s[2]), min(s[1], s[3]), max(s[0], s[2]), max(s[1], s[3]))


def count_crossings(segments: dict[str, Segment], ends: dict[str, set[str]]) -> int:
    """Pairs of segments that cross, leaving out pairs that share an element."""
    boxes = {k: _extent(s) for k, s in segments.items()}
    count = 0
    for a, b in _near_pairs(boxes):
        if ends[a] & ends[b]:
            continue
        if _intersects(boxes[a], boxes[b]) and _cross(segments[a], segments[b]):
            count += 1
    return count


def edge_crossings(model: Model) -> int:
    """Pairs of flows whose lines cross (flows sharing an element never count)."""
    flows = [(f.id, f.source, f.target) for f in model.flows]
    segments = flow_segments({e.id: e.pos for e in model.elements}, flows)
    return count_crossings(segments, {f: {s, t} for f, s, t in flows})


def _segment_hits_box(s: Segment, box: Box) -> bool:
    """Whether the segment passes through the inside of the box (Liang-Barsky clipping)."""
    x1, y1, x2, y2 = s
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q <= 0:
                return False
            continue
        r = q / p
        if p < 0:
            t0 = max(t0, r)
        else:
            t1 = min(t1, r)
        if t0 >= t1:
            return False
    return True


def segments_through_boxes(
    segments: dict[str, Segment], boxes: dict[str, Box], ends: dict[str, set[str]]
) -> list[tuple[str, str]]:
    """(segment, box) pairs where a segment runs through a box that is not one of its ends."""
    items: dict[tuple[str, str], Box] = {("e", k): v for k, v in boxes.items()}
    items.update({("f", k): _extent(s) for k, s in segments.items()})
    hits = []
    for a, b in _near_pairs(items):
        if a[0] == b[0]:
            continue
        (_, fid), (_, eid) = (a, b) if a[0] == "f" else (b, a)
        if eid in ends[fid] or not _intersects(items[a], items[b]):
            continue
        if _segment_hits_box(segments[fid], boxes[eid]):
            hits.append((fid, eid))
    return sorted(hits)


def flows_through_elements(
    model: Model, *, catalog: Catalog, size_of: SizeFn | None = None
) -> list[tuple[str, str]]:
    """(flow, element) pairs where a flow's line runs through a box that is not one of its ends."""
    boxes = element_boxes(model, size_of or size_function(catalog))
    flows = [(f.id, f.source, f.target) for f in model.flows]
    segments = flow_segments({e.id: e.pos for e in model.elements}, flows)
    return segments_through_boxes(segments, boxes, {f: {s, t} for f, s, t in flows})


VIEW = (800.0, 430.0)  # the canvas of the editor at 1366 x 768, where a drawing is seen whole


def extent(boxes: Iterable[Box]) -> tuple[float, float]:
    """Width and height of what the boxes cover together."""
    x0 = y0 = math.inf
    x1 = y1 = -math.inf
    for box in boxes:
        x0, y0, x1, y1 = min(x0, box[0]), min(y0, box[1]), max(x1, box[2]), max(y1, box[3])
    return (x1 - x0, y1 - y0) if x1 >= x0 else (0.0, 0.0)


def views(boxes: Iterable[Box]) -> float:
    """How many canvases (``VIEW``) the boxes take at 100 %: 1 / the zoom that fits them."""
    width, height = extent(boxes)
    return max(width / VIEW[0], height / VIEW[1])


def fit_zoom(model: Model, *, catalog: Catalog, size_of: SizeFn | None = None) -> float:
    """The zoom at which the whole drawing (boxes and boundaries) fits the editor's canvas at
    1366 x 768 (at most 100 %): how large names are on screen when the drawing is seen whole."""
    boxes = list(element_boxes(model, size_of or size_function(catalog)).values())
    boxes += [_rect_box(b.rect) for b in model.boundaries]
    return min(1.0, 1.0 / max(views(boxes), 1e-9))


def layout_metrics(
    model: Model, *, catalog: Catalog, size_of: SizeFn | None = None
) -> dict[str, int]:
    """All measures at once: lower is better for each."""
    size_of = size_of or size_function(catalog)
    return {
        "overlaps": len(element_overlaps(model, catalog=catalog, size_of=size_of)),
        "boundary_violations": len(boundary_violations(model, catalog=catalog, size_of=size_of)),
        "crossings": edge_crossings(model),
        "flows_through_elements": len(
            flows_through_elements(model, catalog=catalog, size_of=size_of)
        ),
    }
