"""Automatic layout of a model's diagram, without Qt: used by the importers and the editor.

``layout_model(model, catalog=..., size_of=...)`` computes element centres and boundary
rectangles (members inside their boundary, nested boundaries sized to their content, external
entities on the left, data stores right of their users, few crossings, room for flow labels);
``apply_layout`` moves the model there. ``place_new`` fits elements and boundaries added to an
already drawn model into it without moving the rest more than it must. The metric functions
measure a drawing (overlaps, boundary violations, crossings, flows through boxes, the zoom at
which it fits the editor's canvas).
"""

from __future__ import annotations

from .choice import layout_model
from .compound import apply_layout
from .drawing import Layout
from .insert import place_new
from .metrics import (
    boundary_violations,
    edge_crossings,
    element_overlaps,
    fit_zoom,
    flows_through_elements,
    layout_metrics,
)
from .sizes import SizeFn, estimate_size, size_function

__all__ = [
    "Layout",
    "SizeFn",
    "apply_layout",
    "boundary_violations",
    "edge_crossings",
    "element_overlaps",
    "estimate_size",
    "fit_zoom",
    "flows_through_elements",
    "layout_metrics",
    "layout_model",
    "place_new",
    "size_function",
]
