"""The threat model: one YAML file's worth of elements, flows, boundaries and decisions."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from .elements import Boundary, CustomThreat, Element, Flow, HardeningEntry, TriageEntry
from .findings import BenchRun, Finding

FORMAT_VERSION = 1


@dataclass
class Model:
    name: str = "Untitled model"
    description: str = ""
    author: str = ""
    owner: str = ""
    version: str = ""
    boundaries: list[Boundary] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    triage: dict[str, TriageEntry] = field(default_factory=dict)
    bench_runs: list[BenchRun] = field(default_factory=list)
    hardening: list[HardeningEntry] = field(default_factory=list)
    custom_threats: list[CustomThreat] = field(default_factory=list)
    rule_files: list[str] = field(default_factory=list)  # extra rule files, relative to the model

    # Lookups. Built on demand; callers that mutate lists directly get fresh ones each call.
    def element(self, element_id: str) -> Element | None:
        return next((e for e in self.elements if e.id == element_id), None)

    def flow(self, flow_id: str) -> Flow | None:
        return next((f for f in self.flows if f.id == flow_id), None)

    def boundary(self, boundary_id: str) -> Boundary | None:
        return next((b for b in self.boundaries if b.id == boundary_id), None)

    def bench_run(self, run_id: str) -> BenchRun | None:
        return next((r for r in self.bench_runs if r.id == run_id), None)

    def elements_by_id(self) -> dict[str, Element]:
        return {e.id: e for e in self.elements}

    def boundaries_by_id(self) -> dict[str, Boundary]:
        return {b.id: b for b in self.boundaries}

    def find_finding(self, finding_id: str) -> tuple[BenchRun, Finding] | None:
        """Resolve a finding id ``RUN_ID:KEY``."""
        run_id, _, key = finding_id.partition(":")
        run = self.bench_run(run_id)
        if run is None:
            return None
        finding = next((f for f in run.findings if f.key == key), None)
        return (run, finding) if finding else None

    def all_ids(self) -> set[str]:
        """Ids of elements, flows and boundaries: they share one namespace (threat targets)."""
        return (
            {e.id for e in self.elements}
            | {f.id for f in self.flows}
            | {b.id for b in self.boundaries}
        )

    def boundary_chain(
        self, boundary_id: str | None, *, index: dict[str, Boundary] | None = None
    ) -> list[str]:
        """The boundary and its ancestors, innermost first. Stops on a cycle. ``index``:
        ``boundaries_by_id()`` made once by a caller that asks for many chains."""
        by_id = self.boundaries_by_id() if index is None else index
        chain: list[str] = []
        current = boundary_id
        while current is not None and current in by_id and current not in chain:
            chain.append(current)
            current = by_id[current].parent
        return chain

    def members(self, boundary_id: str, *, recursive: bool = True) -> list[Element]:
        """Elements inside a boundary (and, by default, inside its nested boundaries)."""
        if not recursive:
            return [e for e in self.elements if e.boundary == boundary_id]
        return [e for e in self.elements if boundary_id in self.boundary_chain(e.boundary)]

    def new_id(self, prefix: str, *, taken: Iterable[str] = (), numbered: bool = False) -> str:
        """An id no element, flow, boundary or bench run has (nor any of ``taken``): prefix,
        prefix-2, prefix-3, ... or, ``numbered``, prefix1, prefix2, ..."""
        used = self.all_ids() | {r.id for r in self.bench_runs} | set(taken)
        candidates = (
            (f"{prefix}{n}" for n in itertools.count(1))
            if numbered
            else itertools.chain([prefix], (f"{prefix}-{n}" for n in itertools.count(2)))
        )
        return next(c for c in candidates if c not in used)
