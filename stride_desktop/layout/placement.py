"""Coordinates of ordered columns: x by column, y pulled towards the neighbours.

Each column keeps its order and minimum gaps; within that, every node is pulled towards the
mean height of its neighbours in the adjacent columns, alternately from the left and from the
right. One pull of a column is a weighted isotonic regression (pool adjacent violators), linear
in the column's size, so straight edges come out where the order allows them.
"""

from __future__ import annotations

from collections.abc import Callable

from .layers import Layering

GAP_X = 124.0  # between columns: room for a flow label
GAP_ROWS = 76.0  # between rows of a top-to-bottom block: a label's height and some air
GAP_Y = 44.0  # between boxes in a column
DUMMY_H = 10.0  # the room an edge passing through a column keeps free
DUMMY_GAP = 14.0
ITERATIONS = 8
SETTLED = 0.5  # px: a sweep that moves nothing further than this ends the pulls
DUMMY_PULL = 40.0  # a dummy holds its place on the line: the boxes of its column make way
EXTRA_PER_LINE = 12.0  # more room between two columns for each flow past the fourth
MAX_EXTRA_GAP = 160.0


def _gap(a_dummy: bool, b_dummy: bool) -> float:
    if a_dummy and b_dummy:
        return DUMMY_GAP / 2
    if a_dummy or b_dummy:
        return DUMMY_GAP
    return GAP_Y


def _isotonic(values: list[float], weights: list[float]) -> list[float]:
    """Non-decreasing sequence closest to ``values`` in weighted least squares (PAV)."""
    # the blocks as parallel lists (weight, weighted sum, count, mean): this runs for every
    # column of every placement the search tries
    ws: list[float] = []
    ss: list[float] = []
    cs: list[int] = []
    means: list[float] = []
    for v, w in zip(values, weights):
        s, c = v * w, 1
        mean = s / w
        while means and means[-1] > mean:
            w, s, c = ws.pop() + w, ss.pop() + s, cs.pop() + c
            means.pop()
            mean = s / w
        ws.append(w)
        ss.append(s)
        cs.append(c)
        means.append(mean)
    out: list[float] = []
    for mean, c in zip(means, cs):
        out.extend([mean] * c)
    return out


def _gap_after(layering: Layering, cols: list[list[str]], index: int, gap: float) -> float:
    """Room after column ``index``: wider where many flows (and their labels) pass."""
    if index + 1 >= len(cols):
        return gap
    right = set(cols[index + 1])
    lines = sum(1 for n in cols[index] for other in layering.adj.get(n, {}) if other in right)
    return gap + min(MAX_EXTRA_GAP, EXTRA_PER_LINE * max(0, lines - 4))


def place(
    layering: Layering,
    size: Callable[[str], tuple[float, float]],
    *,
    gap_x: float = GAP_X,
    shift: dict[str, float] | None = None,
) -> tuple[dict[str, tuple[float, float]], float, float]:
    """Top-left corner of every real node, and the content's width and height.

    ``shift`` moves a connected node that far down (up when negative) from where its
    neighbours pull it, as far as the column's order and gaps allow: used to take a box off
    the line of a flow that would run through it."""
    shift = shift or {}
    cols = layering.columns
    dummy = layering.role_dummy
    height = {n: (DUMMY_H if n in dummy else size(n)[1]) for col in cols for n in col}
    offsets: list[list[float]] = []
    for col in cols:
        acc, offs = 0.0, []
        for i, node in enumerate(col):
            offs.append(acc)
            if i + 1 < len(col):
                acc += height[node] + _gap(node in dummy, col[i + 1] in dummy)
        offsets.append(offs)
    top = {n: offsets[c][i] for c, col in enumerate(cols) for i, n in enumerate(col)}
    mid = {n: top[n] + height[n] / 2 for n in top}  # centres, kept up to date
    adj = layering.adj
    empty: dict[str, float] = {}
    # per column: each node with its neighbours, half height, offset, shift and pull
    rows = [
        [
            (
                node,
                list(adj.get(node, empty).items()),
                height[node] / 2,
                off,
                shift.get(node, 0.0),
                DUMMY_PULL if node in dummy else 1.0,
            )
            for node, off in zip(col, offs)
        ]
        for col, offs in zip(cols, offsets)
    ]
    for iteration in range(ITERATIONS):
        order = range(len(cols)) if iteration % 2 == 0 else range(len(cols) - 1, -1, -1)
        moved = 0.0
        for c in order:
            column = rows[c]
            if not column:
                continue
            wanted, weights = [], []
            for node, around, half, off, lift, pull in column:
                total = weight = 0.0
                for other, w in around:
                    total += mid[other] * w
                    weight += w
                if weight:
                    target = total / weight + lift
                    weight *= pull
                else:
                    target, weight = mid[node], 1e-3
                wanted.append(target - half - off)
                weights.append(weight)
            for (node, _, half, off, _, _), z in zip(column, _isotonic(wanted, weights)):
                new = z + off
                change = abs(new - top[node])
                moved = max(moved, change)
                top[node] = new
                mid[node] = new + half
        if moved < SETTLED:
            break
    lowest = min(top.values(), default=0.0)
    widths = [max((0.0 if n in dummy else size(n)[0]) for n in col) if col else 0.0 for col in cols]
    corners: dict[str, tuple[float, float]] = {}
    x = right = bottom = 0.0
    for index, (col, width) in enumerate(zip(cols, widths)):
        if col and all(n in dummy for n in col):  # only the way in or out: no room
            continue
        for node in col:
            y = top[node] - lowest
            bottom = max(bottom, y + height[node])
            if node not in dummy:
                w = size(node)[0]
                corners[node] = (x + (width - w) / 2, y)
        right = x + width
        x += width + _gap_after(layering, cols, index, gap_x)
    return corners, right, bottom
