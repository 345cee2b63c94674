"""The open model, its file and its undo stack. The only writer of the model.

Commands call the mutators below; every mutator emits a signal carrying the ids it touched so the
scene, the inspector and (later) the review panels mirror the model without polling it.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..io import default_catalog
from ..model import (  # review data (issue 7)
    BenchRun,
    Boundary,
    Catalog,
    CustomThreat,
    Element,
    Flow,
    HardeningEntry,
    Model,
    TriageEntry,
)


class Document(QObject):
    elementsChanged = Signal(list)  # element ids added, removed or edited
    flowsChanged = Signal(list)
    boundariesChanged = Signal(list)
    modelChanged = Signal()  # model-level fields (name, author, ...) or findings
    modelReset = Signal()  # a different model was loaded
    changed = Signal()  # after any change: re-derive threats here
    pathChanged = Signal(str)
    modifiedChanged = Signal(bool)

    def __init__(
        self,
        model: Model | None = None,
        *,
        path: str | Path | None = None,
        catalog: Catalog | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.catalog = catalog or default_catalog()
        self.model = model or Model()
        self.path: Path | None = Path(path) if path else None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._forced_modified = False

    def _clean_changed(self, clean: bool) -> None:
        self.modifiedChanged.emit(not clean or self._forced_modified)

    # -- whole document -------------------------------------------------------------------
    def set_model(
        self, model: Model, *, path: str | Path | None = None, modified: bool = False
    ) -> None:
        self.model = model
        self.undo_stack.clear()
        self.set_path(path)
        self._forced_modified = modified
        self.modelReset.emit()
        self.changed.emit()
        self.modifiedChanged.emit(self.is_modified)

    def set_path(self, path: str | Path | None) -> None:
        self.path = Path(path) if path else None
        self.pathChanged.emit(str(self.path or ""))

    @property
    def is_modified(self) -> bool:
        return not self.undo_stack.isClean() or self._forced_modified

    def mark_saved(self) -> None:
        self._forced_modified = False
        self.undo_stack.setClean()
        self.modifiedChanged.emit(False)

    @property
    def display_name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def push(self, command: QUndoCommand) -> None:
        self.undo_stack.push(command)

    def new_id(self, prefix: str) -> str:
        return self.model.new_id(prefix)

    def kind_of(self, element: Element) -> str:
        try:
            return self.catalog.kind_of(element.component).value
        except KeyError:
            return "process"

    def _emit(self, signal: Signal, ids: list[str]) -> None:
        signal.emit(ids)
        self.changed.emit()

    # -- elements -------------------------------------------------------------------------
    def insert_element(self, element: Element, index: int | None = None) -> None:
        self.model.elements.insert(len(self.model.elements) if index is None else index, element)
        self._emit(self.elementsChanged, [element.id])

    def remove_element(self, element_id: str) -> tuple[Element, int]:
        index = next(i for i, e in enumerate(self.model.elements) if e.id == element_id)
        element = self.model.elements.pop(index)
        self._emit(self.elementsChanged, [element_id])
        return element, index

    def set_element_field(self, element_id: str, field: str, value: Any) -> Any:
        element = self.model.element(element_id)
        assert element is not None, element_id
        old = getattr(element, field)
        setattr(element, field, value)
        self._emit(self.elementsChanged, [element_id])
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
        self._emit(self.elementsChanged, [element_id])
        return old

    def move_elements(self, positions: dict[str, tuple[float, float]]) -> None:
        for element in self.model.elements:
            if element.id in positions:
                element.pos = positions[element.id]
        self._emit(self.elementsChanged, list(positions))

    # -- flows ----------------------------------------------------------------------------
    def insert_flow(self, flow: Flow, index: int | None = None) -> None:
        self.model.flows.insert(len(self.model.flows) if index is None else index, flow)
        self._emit(self.flowsChanged, [flow.id])

    def remove_flow(self, flow_id: str) -> tuple[Flow, int]:
        index = next(i for i, f in enumerate(self.model.flows) if f.id == flow_id)
        flow = self.model.flows.pop(index)
        self._emit(self.flowsChanged, [flow_id])
        return flow, index

    def set_flow_field(self, flow_id: str, field: str, value: Any) -> Any:
        flow = self.model.flow(flow_id)
        assert flow is not None, flow_id
        old = getattr(flow, field)
        setattr(flow, field, value)
        self._emit(self.flowsChanged, [flow_id])
        return old

    # -- boundaries -----------------------------------------------------------------------
    def insert_boundary(self, boundary: Boundary, index: int | None = None) -> None:
        self.model.boundaries.insert(
            len(self.model.boundaries) if index is None else index, boundary
        )
        self._emit(self.boundariesChanged, [boundary.id])

    def remove_boundary(self, boundary_id: str) -> tuple[Boundary, int]:
        index = next(i for i, b in enumerate(self.model.boundaries) if b.id == boundary_id)
        boundary = self.model.boundaries.pop(index)
        self._emit(self.boundariesChanged, [boundary_id])
        return boundary, index

    def set_boundary_field(self, boundary_id: str, field: str, value: Any) -> Any:
        boundary = self.model.boundary(boundary_id)
        assert boundary is not None, boundary_id
        old = getattr(boundary, field)
        setattr(boundary, field, value)
        self._emit(self.boundariesChanged, [boundary_id])
        return old

    def set_boundary_rects(self, rects: dict[str, tuple[float, float, float, float]]) -> None:
        for boundary in self.model.boundaries:
            if boundary.id in rects:
                boundary.rect = rects[boundary.id]
        self._emit(self.boundariesChanged, list(rects))

    # -- model-level ----------------------------------------------------------------------
    def set_model_field(self, field: str, value: Any) -> Any:
        old = getattr(self.model, field)
        setattr(self.model, field, value)
        self.modelChanged.emit()
        self.changed.emit()
        return old

    def set_finding_elements(
        self, finding_id: str, elements: list[str], assigned_by_hand: list[str]
    ) -> tuple[list[str], list[str]]:
        found = self.model.find_finding(finding_id)
        assert found is not None, finding_id
        finding = found[1]
        old = (list(finding.elements), list(finding.assigned_by_hand))
        finding.elements, finding.assigned_by_hand = list(elements), list(assigned_by_hand)
        self.modelChanged.emit()
        self.changed.emit()
        return old

    # == review data (issue 7: triage, bench runs, hardening plan) ========================
    # Each mutator also emits a specific signal so the threat service can tell a triage-only
    # change (re-apply decisions, no re-derivation) from one that changes the evidence.
    triageChanged = Signal(list)  # threat ids whose triage entry was set or removed
    benchRunsChanged = Signal(list)  # run ids added or removed
    hardeningChanged = Signal(list)  # finding ids added to, removed from or edited in the plan

    def _emit_review(self, signal: Signal, ids: list[str]) -> None:
        signal.emit(ids)
        self.modelChanged.emit()
        self.changed.emit()

    def set_triage(self, entries: dict[str, TriageEntry | None]) -> dict[str, TriageEntry | None]:
        """Set (or, with ``None``, remove) triage entries by threat id; returns the old ones."""
        old: dict[str, TriageEntry | None] = {}
        for threat_id, entry in entries.items():
            old[threat_id] = copy.deepcopy(self.model.triage.get(threat_id))
            if entry is None:
                self.model.triage.pop(threat_id, None)
            else:
                self.model.triage[threat_id] = copy.deepcopy(entry)
        self._emit_review(self.triageChanged, list(entries))
        return old

    def insert_bench_run(self, run: BenchRun, index: int | None = None) -> None:
        runs = self.model.bench_runs
        runs.insert(len(runs) if index is None else index, run)
        self._emit_review(self.benchRunsChanged, [run.id])

    def remove_bench_run(self, run_id: str) -> tuple[BenchRun, int]:
        index = next(i for i, r in enumerate(self.model.bench_runs) if r.id == run_id)
        run = self.model.bench_runs.pop(index)
        self._emit_review(self.benchRunsChanged, [run_id])
        return run, index

    def insert_hardening(self, entry: HardeningEntry, index: int | None = None) -> None:
        plan = self.model.hardening
        plan.insert(len(plan) if index is None else index, copy.deepcopy(entry))
        self._emit_review(self.hardeningChanged, [entry.finding])

    def remove_hardening(self, finding_id: str) -> tuple[HardeningEntry, int]:
        index = next(i for i, h in enumerate(self.model.hardening) if h.finding == finding_id)
        entry = self.model.hardening.pop(index)
        self._emit_review(self.hardeningChanged, [finding_id])
        return entry, index

    def set_hardening_note(self, finding_id: str, note: str) -> str:
        return self.set_hardening_fields(finding_id, {"note": note})["note"]

    def set_hardening_fields(self, finding_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Set note/owner/due/state of a plan item; returns the old values."""
        entry = next(h for h in self.model.hardening if h.finding == finding_id)
        old = {name: getattr(entry, name) for name in fields}
        for name, value in fields.items():
            setattr(entry, name, value)
        self._emit_review(self.hardeningChanged, [finding_id])
        return old

    def set_custom_threat(
        self, custom_id: str, custom: CustomThreat | None, index: int | None = None
    ) -> tuple[CustomThreat | None, int]:
        """Add, replace or (with ``None``) remove a custom threat; returns the old one and its
        index. The threats are derived again (a custom threat is one more threat)."""
        threats = self.model.custom_threats
        at = next((i for i, c in enumerate(threats) if c.id == custom_id), None)
        old = threats.pop(at) if at is not None else None
        if custom is not None:
            where = index if index is not None else (at if at is not None else len(threats))
            threats.insert(min(where, len(threats)), copy.deepcopy(custom))
        self.modelChanged.emit()
        self.changed.emit()
        return old, at if at is not None else len(threats)
