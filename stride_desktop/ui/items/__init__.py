"""Graphics items mirroring the model: elements, flows and boundaries."""

from __future__ import annotations

from .boundary_item import BoundaryItem
from .element_item import ElementItem
from .flow_item import FlowItem

__all__ = ["BoundaryItem", "ElementItem", "FlowItem"]
