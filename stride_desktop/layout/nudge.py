"""Nudge single boxes off the lines that run through them, in a drawing already placed.

A squeezed drawing (``squeeze``) leaves less room between boxes, so a line between two boxes
can cut a third one that a roomier drawing kept clear. For each such (flow, box) this tries
moving the box across the line, either way along either axis, or moving one end of the flow the
other way (further, as the line moves less than its end); a move is kept when every member
stays inside its boundaries and clear of the other boxes and boundaries (``keeps_apart``), and
flows through boxes and crossings, weighted, go down.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from .clear import clearing, kept_clear, lever
from .compact import keeps_apart
from .drawing import Layout
from .metrics import flow_segments

if TYPE_CHECKING:
    from .refine import Scorer

MAX_NUDGE = 240.0  # px: a box moved further than this leaves its row or column
TRIALS = 400  # drawings tried at most


def nudge_off_lines(layout: Layout, score: Scorer) -> Layout:
    """``layout`` with boxes nudged until no flow runs through one, or no nudge helps."""
    tree = score.tree
    best = score(layout)
    hits = list(score.hits)
    given_up: set[tuple[str, str]] = set()
    trials = TRIALS
    while trials > 0:
        pending = [h for h in hits if h not in given_up]
        if not pending:
            break
        flow, box = pending[0]
        chosen = None
        for candidate in _nudges(layout, score, int(flow), box):
            trials -= 1
            if not keeps_apart(candidate, tree):
                continue
            result = score(candidate)
            if result[0] < best[0] and (chosen is None or result < chosen[0]):
                chosen = (result, candidate, list(score.hits))
        if chosen is None:
            given_up.add((flow, box))
        else:
            best, layout, hits = chosen
    score(layout)
    return layout


def _nudges(layout: Layout, score: Scorer, index: int, box_id: str) -> Iterator[Layout]:
    tree, positions = score.tree, layout.positions
    source, target = tree.flows[index]
    segment = flow_segments(positions, [("f", source, target)])["f"]
    box = kept_clear(tree, positions, box_id)
    for element, sign in ((box_id, 1.0), (source, -1.0), (target, -1.0)):
        for axis in (0, 1):
            past, before = clearing(segment, box, axis)
            if sign < 0:  # an end: the line moves less than the end, and the other way
                factor = lever(segment, box, positions[element])
                past, before = -past * factor, -before * factor
            for delta in (past, before):
                if abs(delta) <= MAX_NUDGE:
                    moved = list(positions[element])
                    moved[axis] += delta
                    result = Layout(dict(positions), layout.rects)
                    result.positions[element] = (moved[0], moved[1])
                    yield result
