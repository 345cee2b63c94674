"""The example models as drawn: every box (with its badge) sits inside its boundary, clear of the
other boxes, of boundaries it is not in, and of every boundary's title tab."""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF

from stride_desktop.io import load_model

MODELS = Path(__file__).resolve().parents[2] / "models"
GAP = 8.0  # px of air a box keeps from boundary frames and title tabs


@pytest.fixture(params=sorted(MODELS.glob("*.yaml")), ids=lambda p: p.name)
def scene(request, qtbot):
    from stride_desktop.ui.document import Document
    from stride_desktop.ui.scene import DiagramScene

    return DiagramScene(Document(load_model(request.param)))


def _box(scene, element_id: str) -> QRectF:
    item = scene.element_items[element_id]
    return item.mapRectToScene(item.body_rect()).adjusted(-GAP, -GAP, GAP, GAP)


def _frame(scene, boundary_id: str) -> QRectF:
    return QRectF(*scene.boundary_items[boundary_id].scene_rect_tuple())


def _tab(scene, boundary_id: str) -> QRectF:
    item = scene.boundary_items[boundary_id]
    return item.mapRectToScene(item.tab_rect())


def test_boxes_sit_inside_their_boundaries_and_clear_of_titles(scene) -> None:
    model = scene.document.model
    problems = []
    for e in model.elements:
        box = _box(scene, e.id)
        chain = set(model.boundary_chain(e.boundary)) if e.boundary else set()
        for b in model.boundaries:
            frame = _frame(scene, b.id)
            if b.id in chain and not frame.contains(box):
                problems.append(f"{e.id} sticks out of {b.id}")
            if b.id not in chain and frame.intersects(box):
                problems.append(f"{e.id} overlaps boundary {b.id}")
            if _tab(scene, b.id).intersects(box):
                problems.append(f"{e.id} covers the title of {b.id}")
    assert problems == []


def test_boxes_do_not_touch(scene) -> None:
    model = scene.document.model
    touching = [
        (a.id, b.id)
        for a, b in combinations(model.elements, 2)
        if _box(scene, a.id).intersects(_box(scene, b.id))
    ]
    assert touching == []


def test_no_flow_runs_through_a_box(scene) -> None:
    model = scene.document.model
    through = []
    for flow in model.flows:
        item = scene.flow_items[flow.id]
        line = item.line
        points = [item.mapToScene(line.pointAt(i / 100)) for i in range(101)]
        for e in model.elements:
            if e.id in (flow.source, flow.target):
                continue
            body = scene.element_items[e.id]
            rect = body.mapRectToScene(body.body_rect())
            if any(rect.contains(p) for p in points):
                through.append((flow.id, e.id))
    assert through == []
