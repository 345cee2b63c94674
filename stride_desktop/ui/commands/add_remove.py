"""Adding (add, paste, duplicate, connect, draw boundary) and deleting diagram objects."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ...model import Boundary, Element, Flow

if TYPE_CHECKING:
    from ..document import Document


class AddItemsCommand(QUndoCommand):
    """Insert boundaries, elements and flows (in that order, so references resolve)."""

    def __init__(
        self,
        document: Document,
        *,
        elements: Iterable[Element] = (),
        flows: Iterable[Flow] = (),
        boundaries: Iterable[Boundary] = (),
        text: str = "",
    ) -> None:
        self.document = document
        self.elements = [copy.deepcopy(e) for e in elements]
        self.flows = [copy.deepcopy(f) for f in flows]
        self.boundaries = [copy.deepcopy(b) for b in boundaries]
        super().__init__(text or self._default_text())

    def _default_text(self) -> str:
        total = len(self.elements) + len(self.flows) + len(self.boundaries)
        if total == 1:
            obj = (self.elements or self.flows or self.boundaries)[0]
            what = "element" if self.elements else "flow" if self.flows else "boundary"
            return f"Add {what} '{obj.name or obj.id}'"
        return f"Add {total} items"

    def redo(self) -> None:
        for boundary in self.boundaries:
            self.document.insert_boundary(copy.deepcopy(boundary))
        for element in self.elements:
            self.document.insert_element(copy.deepcopy(element))
        for flow in self.flows:
            self.document.insert_flow(copy.deepcopy(flow))

    def undo(self) -> None:
        for flow in reversed(self.flows):
            self.document.remove_flow(flow.id)
        for element in reversed(self.elements):
            self.document.remove_element(element.id)
        for boundary in reversed(self.boundaries):
            self.document.remove_boundary(boundary.id)


class DeleteItemsCommand(QUndoCommand):
    """Delete elements (with their flows), flows and boundaries.

    A deleted boundary's members and child boundaries move up to its parent, so deleting a
    boundary never deletes what it contains. Deleted element ids are also removed from bench
    findings' ``elements`` lists; undo puts everything back where it was.
    """

    def __init__(
        self,
        document: Document,
        *,
        element_ids: Iterable[str] = (),
        flow_ids: Iterable[str] = (),
        boundary_ids: Iterable[str] = (),
        text: str = "",
    ) -> None:
        model = document.model
        self.document = document
        self.element_ids = [e.id for e in model.elements if e.id in set(element_ids)]
        gone = set(self.element_ids)
        wanted_flows = set(flow_ids)
        self.flow_ids = [
            f.id
            for f in model.flows
            if f.id in wanted_flows or f.source in gone or f.target in gone
        ]
        self.boundary_ids = [b.id for b in model.boundaries if b.id in set(boundary_ids)]
        self._saved: list[tuple[str, object, int]] = []
        self._reparented: list[tuple[str, str, str | None]] = []  # (kind, id, old parent)
        self._findings: dict[str, tuple[list[str], list[str]]] = {}
        count = len(self.element_ids) + len(self.boundary_ids) + len(wanted_flows)
        if not text:
            if count == 1:
                obj_id = (self.element_ids or self.boundary_ids or list(wanted_flows))[0]
                text = f"Delete '{self._name(obj_id)}'"
            else:
                text = f"Delete {count} items"
        super().__init__(text)

    def _name(self, obj_id: str) -> str:
        m = self.document.model
        obj = m.element(obj_id) or m.flow(obj_id) or m.boundary(obj_id)
        return obj.name if obj is not None and obj.name else obj_id

    def redo(self) -> None:
        doc, model = self.document, self.document.model
        self._saved.clear()
        self._reparented.clear()
        self._findings.clear()
        gone = set(self.element_ids)
        for run in model.bench_runs:
            for finding in run.findings:
                if gone & set(finding.elements) or gone & set(finding.assigned_by_hand):
                    fid = run.finding_id(finding)
                    self._findings[fid] = doc.set_finding_elements(
                        fid,
                        [e for e in finding.elements if e not in gone],
                        [e for e in finding.assigned_by_hand if e not in gone],
                    )
        for flow_id in self.flow_ids:
            flow, index = doc.remove_flow(flow_id)
            self._saved.append(("flow", flow, index))
        for element_id in self.element_ids:
            element, index = doc.remove_element(element_id)
            self._saved.append(("element", element, index))
        for boundary_id in self.boundary_ids:
            boundary = model.boundary(boundary_id)
            assert boundary is not None
            parent = boundary.parent
            while parent in self.boundary_ids:  # climb past boundaries deleted with it
                parent = model.boundary(parent).parent  # type: ignore[union-attr]
            for element in model.elements:
                if element.boundary == boundary_id:
                    self._reparented.append(("element", element.id, boundary_id))
                    doc.set_element_field(element.id, "boundary", parent)
            for child in model.boundaries:
                if child.parent == boundary_id and child.id not in self.boundary_ids:
                    self._reparented.append(("boundary", child.id, boundary_id))
                    doc.set_boundary_field(child.id, "parent", parent)
        for boundary_id in self.boundary_ids:
            boundary, index = doc.remove_boundary(boundary_id)
            self._saved.append(("boundary", boundary, index))

    def undo(self) -> None:
        doc = self.document
        for kind, obj, index in reversed(self._saved):
            if kind == "boundary":
                doc.insert_boundary(obj, index)  # type: ignore[arg-type]
            elif kind == "element":
                doc.insert_element(obj, index)  # type: ignore[arg-type]
            else:
                doc.insert_flow(obj, index)  # type: ignore[arg-type]
        for kind, obj_id, old_parent in reversed(self._reparented):
            if kind == "element":
                doc.set_element_field(obj_id, "boundary", old_parent)
            else:
                doc.set_boundary_field(obj_id, "parent", old_parent)
        for fid, (elements, by_hand) in self._findings.items():
            doc.set_finding_elements(fid, elements, by_hand)
