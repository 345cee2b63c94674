"""Every mutation of a model, each reporting the one typed Change it made.

``ModelEditor`` is a mix-in: the editor's Document (a QObject) is one and emits each change as its
signal; ``RecordingEditor`` keeps them in a list (tests, scripts). Undo commands call these methods
and keep what they return (old values, removed objects and their index) to undo.
"""

from __future__ import annotations

import copy
from typing import Any

from .changes import Change, property_field
from .elements import Boundary, CustomThreat, Element, Flow, HardeningEntry, TriageEntry
from .findings import BenchRun
from .model import Model


def _index(items: list[Any], key: str, value: str) -> int:
    return next(i for i, obj in enumerate(items) if getattr(obj, key) == value)


class ModelEditor:
    """Mutations of ``self.model``; each calls ``report(change)`` once, after the change."""

    model: Model

    def report(self, change: Change) -> None:
        raise NotImplementedError

    # -- elements -------------------------------------------------------------------------
    def insert_element(self, element: Element, index: int | None = None) -> None:
        items = self.model.elements
        items.insert(len(items) if index is None else index, element)
        self.report(Change("element", "add", (element.id,)))

    def remove_element(self, element_id: str) -> tuple[Element, int]:
        index = _index(self.model.elements, "id", element_id)
        element = self.model.elements.pop(index)
        self.report(Change("element", "remove", (element_id,)))
        return element, index

    def set_element_field(self, element_id: str, field: str, value: Any) -> Any:
        element = self.model.element(element_id)
        assert element is not None, element_id
        old = getattr(element, field)
        setattr(element, field, value)
        self.report(Change.edit("element", (element_id,), field))
        return old

    def set_element_property(self, element_id: str, name: str, value: Any) -> Any:
        """Set a typed property; ``None`` removes it (back to the catalog default)."""
        element = self.model.element(element_id)
        assert element is not None, element_id
        old = copy.deepcopy(element.properties.get(name))
        if value is None:
            element.properties.pop(name, None)
        else:
            element.properties[name] = copy.deepcopy(value)
        self.report(Change.edit("element", (element_id,), property_field(name)))
        return old

    def move_elements(self, positions: dict[str, tuple[float, float]]) -> None:
        for element in self.model.elements:
            if element.id in positions:
                element.pos = positions[element.id]
        self.report(Change.edit("element", tuple(positions), "pos"))

    # -- flows ----------------------------------------------------------------------------
    def insert_flow(self, flow: Flow, index: int | None = None) -> None:
        items = self.model.flows
        items.insert(len(items) if index is None else index, flow)
        self.report(Change("flow", "add", (flow.id,)))

    def remove_flow(self, flow_id: str) -> tuple[Flow, int]:
        index = _index(self.model.flows, "id", flow_id)
        flow = self.model.flows.pop(index)
        self.report(Change("flow", "remove", (flow_id,)))
        return flow, index

    def set_flow_field(self, flow_id: str, field: str, value: Any) -> Any:
        flow = self.model.flow(flow_id)
        assert flow is not None, flow_id
        old = getattr(flow, field)
        setattr(flow, field, value)
        self.report(Change.edit("flow", (flow_id,), field))
        return old

    # -- boundaries -----------------------------------------------------------------------
    def insert_boundary(self, boundary: Boundary, index: int | None = None) -> None:
        items = self.model.boundaries
        items.insert(len(items) if index is None else index, boundary)
        self.report(Change("boundary", "add", (boundary.id,)))

    def remove_boundary(self, boundary_id: str) -> tuple[Boundary, int]:
        index = _index(self.model.boundaries, "id", boundary_id)
        boundary = self.model.boundaries.pop(index)
        self.report(Change("boundary", "remove", (boundary_id,)))
        return boundary, index

    def set_boundary_field(self, boundary_id: str, field: str, value: Any) -> Any:
        boundary = self.model.boundary(boundary_id)
        assert boundary is not None, boundary_id
        old = getattr(boundary, field)
        setattr(boundary, field, value)
        self.report(Change.edit("boundary", (boundary_id,), field))
        return old

    def set_boundary_rects(self, rects: dict[str, tuple[float, float, float, float]]) -> None:
        for boundary in self.model.boundaries:
            if boundary.id in rects:
                boundary.rect = rects[boundary.id]
        self.report(Change.edit("boundary", tuple(rects), "rect"))

    # -- model-level ----------------------------------------------------------------------
    def set_model_field(self, field: str, value: Any) -> Any:
        old = getattr(self.model, field)
        setattr(self.model, field, value)
        self.report(Change.edit("model", (), field))
        return old

    def set_finding_elements(
        self, finding_id: str, elements: list[str], assigned_by_hand: list[str]
    ) -> tuple[list[str], list[str]]:
        found = self.model.find_finding(finding_id)
        assert found is not None, finding_id
        finding = found[1]
        old = (list(finding.elements), list(finding.assigned_by_hand))
        finding.elements, finding.assigned_by_hand = list(elements), list(assigned_by_hand)
        self.report(Change.edit("finding", (finding_id,), "elements", "assigned_by_hand"))
        return old

    # -- review data: triage, bench runs, hardening plan ----------------------------------
    def set_triage(self, entries: dict[str, TriageEntry | None]) -> dict[str, TriageEntry | None]:
        """Set (or, with ``None``, remove) triage entries by threat id; returns the old ones."""
        old: dict[str, TriageEntry | None] = {}
        for threat_id, entry in entries.items():
            old[threat_id] = copy.deepcopy(self.model.triage.get(threat_id))
            if entry is None:
                self.model.triage.pop(threat_id, None)
            else:
                self.model.triage[threat_id] = copy.deepcopy(entry)
        self.report(Change.edit("triage", tuple(entries), "status", "note"))
        return old

    def insert_bench_run(self, run: BenchRun, index: int | None = None) -> None:
        runs = self.model.bench_runs
        runs.insert(len(runs) if index is None else index, run)
        self.report(Change("bench_run", "add", (run.id,)))

    def remove_bench_run(self, run_id: str) -> tuple[BenchRun, int]:
        index = _index(self.model.bench_runs, "id", run_id)
        run = self.model.bench_runs.pop(index)
        self.report(Change("bench_run", "remove", (run_id,)))
        return run, index

    def insert_hardening(self, entry: HardeningEntry, index: int | None = None) -> None:
        plan = self.model.hardening
        plan.insert(len(plan) if index is None else index, copy.deepcopy(entry))
        self.report(Change("hardening", "add", (entry.finding,)))

    def remove_hardening(self, finding_id: str) -> tuple[HardeningEntry, int]:
        index = _index(self.model.hardening, "finding", finding_id)
        entry = self.model.hardening.pop(index)
        self.report(Change("hardening", "remove", (finding_id,)))
        return entry, index

    def set_hardening_note(self, finding_id: str, note: str) -> str:
        return str(self.set_hardening_fields(finding_id, {"note": note})["note"])

    def set_hardening_fields(self, finding_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Set note/owner/due/state of a plan item; returns the old values."""
        entry = self.model.hardening[_index(self.model.hardening, "finding", finding_id)]
        old = {name: getattr(entry, name) for name in fields}
        for name, value in fields.items():
            setattr(entry, name, value)
        self.report(Change.edit("hardening", (finding_id,), *fields))
        return old

    # -- custom threats ---------------------------------------------------------------------
    def set_custom_threat(
        self, custom_id: str, custom: CustomThreat | None, index: int | None = None
    ) -> tuple[CustomThreat | None, int]:
        """Add, replace or (with ``None``) remove a custom threat; returns the old one and its
        index."""
        threats = self.model.custom_threats
        at = next((i for i, c in enumerate(threats) if c.id == custom_id), None)
        old = threats.pop(at) if at is not None else None
        if custom is not None:
            where = index if index is not None else (at if at is not None else len(threats))
            threats.insert(min(where, len(threats)), copy.deepcopy(custom))
        action = "remove" if custom is None else ("add" if old is None else "edit")
        self.report(Change("custom_threat", action, (custom_id,)))
        return old, at if at is not None else len(threats)


class RecordingEditor(ModelEditor):
    """A ModelEditor that keeps the changes it made, in order (``changes``)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.changes: list[Change] = []

    def report(self, change: Change) -> None:
        self.changes.append(change)
