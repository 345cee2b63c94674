"""Undo commands of the review workflow: triage, bench runs, finding assignment, hardening plan."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from ...model import BenchRun, HardeningEntry, TriageEntry

if TYPE_CHECKING:
    from ..document import Document


class TriageCommand(QUndoCommand):
    """Set the status, note, owner and ticket of one or more threats (bulk triage is one undo
    step).

    ``None`` keeps each threat's current value; an entry back at every default ("open", no note,
    owner or ticket) is removed, so triaging back leaves no noise in the model file.
    """

    def __init__(
        self,
        document: Document,
        threat_ids: Iterable[str],
        *,
        status: str,
        note: str | None = None,
        owner: str | None = None,
        ticket: str | None = None,
        text: str = "",
    ) -> None:
        self.document = document
        triage = document.model.triage
        self.new: dict[str, TriageEntry | None] = {}
        for tid in dict.fromkeys(threat_ids):
            current = triage.get(tid) or TriageEntry()
            entry = TriageEntry(
                status=status,
                note=current.note if note is None else note,
                owner=current.owner if owner is None else owner,
                ticket=current.ticket if ticket is None else ticket,
            )
            self.new[tid] = None if entry == TriageEntry() else entry
        self.old = {tid: copy.deepcopy(triage.get(tid)) for tid in self.new}
        label = status.replace("_", " ")
        n = len(self.new)
        super().__init__(
            text
            or (
                f"Triage {next(iter(self.new))} as {label}"
                if n == 1
                else f"Triage {n} threats as {label}"
            )
        )

    def redo(self) -> None:
        self.document.set_triage(self.new)

    def undo(self) -> None:
        self.document.set_triage(self.old)


class ImportBenchRunCommand(QUndoCommand):
    """Add a parsed and attached bench run (see ``bench.add_run``) to the model: one undo step."""

    def __init__(self, document: Document, run: BenchRun, *, text: str = "") -> None:
        self.document = document
        self.run = copy.deepcopy(run)
        scope = document.model.boundary(run.scope) if run.scope else None
        where = f"'{scope.name or scope.id}'" if scope else "the whole model"
        super().__init__(text or f"Import {run.tool} run onto {where}")

    def redo(self) -> None:
        self.document.insert_bench_run(copy.deepcopy(self.run))

    def undo(self) -> None:
        self.document.remove_bench_run(self.run.id)


class RemoveBenchRunCommand(QUndoCommand):
    """Remove a bench run and the plan entries that name its findings."""

    def __init__(self, document: Document, run_id: str, *, text: str = "") -> None:
        self.document, self.run_id = document, run_id
        self._saved: tuple[BenchRun, int] | None = None
        self._plan: list[tuple[HardeningEntry, int]] = []
        super().__init__(text or f"Remove bench run {run_id}")

    def redo(self) -> None:
        doc = self.document
        prefix = f"{self.run_id}:"
        self._plan = []
        for entry in [h for h in doc.model.hardening if h.finding.startswith(prefix)]:
            self._plan.append(doc.remove_hardening(entry.finding))
        self._saved = doc.remove_bench_run(self.run_id)

    def undo(self) -> None:
        assert self._saved is not None
        self.document.insert_bench_run(*self._saved)
        for entry, index in reversed(self._plan):
            self.document.insert_hardening(entry, index)


class AssignFindingCommand(QUndoCommand):
    """Attach a finding to an element by hand (``assign=False`` detaches it)."""

    def __init__(
        self,
        document: Document,
        finding_id: str,
        element_id: str,
        *,
        assign: bool = True,
        text: str = "",
    ) -> None:
        found = document.model.find_finding(finding_id)
        assert found is not None, finding_id
        finding = found[1]
        self.document, self.finding_id = document, finding_id
        self.old = (list(finding.elements), list(finding.assigned_by_hand))
        if assign:
            elements = finding.elements + (
                [element_id] if element_id not in finding.elements else []
            )
            by_hand = finding.assigned_by_hand + (
                [element_id] if element_id not in finding.assigned_by_hand else []
            )
        else:
            elements = [e for e in finding.elements if e != element_id]
            by_hand = [e for e in finding.assigned_by_hand if e != element_id]
        self.new = (elements, by_hand)
        element = document.model.element(element_id)
        name = (element.name or element_id) if element else element_id
        check = finding.check_id or finding.key
        super().__init__(
            text
            or (
                f"Assign finding {check} to '{name}'"
                if assign
                else f"Detach finding {check} from '{name}'"
            )
        )

    def redo(self) -> None:
        self.document.set_finding_elements(self.finding_id, *self.new)

    def undo(self) -> None:
        self.document.set_finding_elements(self.finding_id, *self.old)


class HardeningAddCommand(QUndoCommand):
    """Add a finding to the hardening plan with a note and the threats it addresses."""

    def __init__(
        self,
        document: Document,
        finding_id: str,
        *,
        note: str = "",
        threats: Iterable[str] = (),
        text: str = "",
    ) -> None:
        self.document = document
        self.entry = HardeningEntry(finding=finding_id, note=note, threats=list(threats))
        found = document.model.find_finding(finding_id)
        check = (found[1].check_id or found[1].key) if found else finding_id
        super().__init__(text or f"Add {check} to the hardening plan")

    def redo(self) -> None:
        self.document.insert_hardening(self.entry)

    def undo(self) -> None:
        self.document.remove_hardening(self.entry.finding)


class HardeningRemoveCommand(QUndoCommand):
    def __init__(self, document: Document, finding_id: str, *, text: str = "") -> None:
        self.document, self.finding_id = document, finding_id
        self._saved: tuple[HardeningEntry, int] | None = None
        found = document.model.find_finding(finding_id)
        check = (found[1].check_id or found[1].key) if found else finding_id
        super().__init__(text or f"Remove {check} from the hardening plan")

    def redo(self) -> None:
        self._saved = self.document.remove_hardening(self.finding_id)

    def undo(self) -> None:
        assert self._saved is not None
        self.document.insert_hardening(*self._saved)


class HardeningEditCommand(QUndoCommand):
    """Change a plan item's note, owner, due date or state."""

    def __init__(self, document: Document, finding_id: str, *, text: str = "", **fields: str):
        self.document, self.finding_id, self.new = document, finding_id, fields
        entry = next(h for h in document.model.hardening if h.finding == finding_id)
        self.old = {name: getattr(entry, name) for name in fields}
        what = ", ".join(fields) if len(fields) > 1 else next(iter(fields), "plan item")
        super().__init__(text or f"Edit hardening {what}")

    def redo(self) -> None:
        self.document.set_hardening_fields(self.finding_id, self.new)

    def undo(self) -> None:
        self.document.set_hardening_fields(self.finding_id, self.old)
