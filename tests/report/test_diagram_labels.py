"""The report's diagram: flow labels clear of boxes, badges, boundary titles and each other."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from stride_desktop.io import default_catalog, load_model
from stride_desktop.report.data import build_data
from stride_desktop.report.diagram import DiagramFlowable, name_lines, scene_bounds
from stride_desktop.report.diagram_labels import overlap_area
from stride_desktop.report.diagram_plan import plan_diagram
from stride_desktop.report.fonts import register_fonts
from stride_desktop.rules import derive, load_rules

ROOT = Path(__file__).resolve().parents[2]
MODELS = sorted((ROOT / "models").glob("*.yaml"))
PAGES = [("landscape", (770.0, 440.0)), ("a3", (1089.0, 640.0))]


def drawn(path: Path) -> DiagramFlowable:
    """The example's diagram as the report draws it, badges included."""
    register_fonts()
    model = load_model(path)
    threats = derive(model, load_rules(model=model))
    data = build_data(model, threats, [], include_closed=False, catalog=default_catalog())
    plan = plan_diagram(data, PAGES)
    flowable = DiagramFlowable(data, scene_bounds(data), plan.scale)
    flowable.canv = Canvas(io.BytesIO(), pagesize=(flowable.width, flowable.height))
    flowable.draw()
    return flowable


@pytest.mark.parametrize("path", MODELS, ids=[p.stem for p in MODELS])
def test_every_flow_label_is_drawn_clear_of_boxes_titles_and_other_labels(path):
    diagram = drawn(path)
    named = [f for f in diagram.data.model.flows if f.name]
    labels = diagram.label_rects
    assert len(labels) >= 0.9 * len(named)  # (a flow between touching boxes has no line)
    for i, a in enumerate(labels):
        others = labels[i + 1 :]
        assert not any(overlap_area(a, b) for b in others), ("labels overlap", a)
        hits = [o for o, _w in diagram.obstacles.rects if o not in labels and overlap_area(a, o)]
        assert not hits, ("label covers a box, badge or title", a, hits)


def test_a_name_wraps_at_its_spaces_before_its_hyphens():
    register_fonts()
    assert name_lines("kubelet (worker-1)", 70) == ["kubelet", "(worker-1)"]
    assert name_lines("kube-controller-manager", 70) == ["kube-controller-", "manager"]
