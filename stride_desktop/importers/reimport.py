"""Re-import: bring a model the person has worked on up to date with newer files.

The files decide what they describe: which services, workloads and flows exist, their
components and the properties the importer reads from them (``ImportResult.managed``). The
person decides the rest, and keeps it: positions and boundary rectangles, names, descriptions,
trust levels, properties the files say nothing about, hand-drawn elements, flows and
boundaries, triage, bench runs and the hardening plan. What is new is fitted into the drawing
(``layout.place_new``) without moving what was there. An element the files no longer describe
is removed when its id is one the importer makes; its triage decisions stay, as stale ones.
Files that share no element with the model (another project, another format) only add.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ..layout import SizeFn, place_new
from ..layout.sizes import size_function
from ..model import Boundary, Catalog, Element, Model
from . import ImportResult


@dataclass
class ReimportSummary:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def lines(self) -> list[str]:
        lines = [f"added {a}" for a in self.added]
        lines += [f"removed {r}" for r in self.removed]
        lines += [f"changed {c}" for c in self.changed]
        if self.is_empty:
            lines.append("no change: the model already matches the files")
        return lines + [f"kept {k}" for k in self.kept]


def _label(item: Any) -> str:
    kind = type(item).__name__.lower()
    name = getattr(item, "name", "") or ""
    return f"{kind} {item.id}" + (f" ({name})" if name and name != item.id else "")


def _show(value: Any) -> str:
    return (
        "none"
        if value is None
        else str(value).lower()
        if isinstance(value, bool)
        else repr(value)
        if isinstance(value, list)
        else str(value)
    )


class _Merge:
    def __init__(self, old: Model, result: ImportResult, catalog: Catalog, size_of: SizeFn) -> None:
        self.model = copy.deepcopy(old)
        self.new = result.model
        self.result = result
        self.catalog = catalog
        self.size_of = size_of
        self.summary = ReimportSummary()
        self.to_place: set[str] = set()
        self.imported = result.is_imported_id
        # project-specific ids (svc.web, deploy.shop.web): "users" or the cluster's parts are not
        specific = lambda ids: {i for i in ids if "." in i and not i.startswith("k8s.")}
        known = specific(e.id for e in old.elements)
        if known and not known & specific(e.id for e in result.model.elements):
            # other files than the ones this model came from: add them, remove nothing
            self.imported = lambda item_id: False
            self.summary.kept.append(
                "everything: the files share no element with the model, so nothing was removed"
            )

    def boundaries(self) -> None:
        new = self.new.boundaries_by_id()
        removed: dict[str, str | None] = {}
        kept: list[Boundary] = []
        for b in self.model.boundaries:
            fresh = new.get(b.id)
            if fresh is None and self.imported(b.id):
                removed[b.id] = b.parent
                self.summary.removed.append(_label(b))
                continue
            if fresh is not None:
                parent_is_theirs = b.parent is not None and not self.imported(b.parent)
                if not parent_is_theirs and b.parent != fresh.parent:
                    self.summary.changed.append(
                        f"{_label(b)}: inside {fresh.parent or 'nothing'} (was {b.parent or 'nothing'})"
                    )
                    b.parent = fresh.parent
                if b.kind != fresh.kind:
                    self.summary.changed.append(f"{_label(b)}: kind {b.kind} -> {fresh.kind}")
                    b.kind = fresh.kind
                b.description = b.description or fresh.description
            kept.append(b)
        ids = {b.id for b in kept}
        for fresh in self.new.boundaries:
            if fresh.id not in ids:
                kept.append(copy.deepcopy(fresh))
                self.to_place.add(fresh.id)
                self.summary.added.append(_label(fresh))
        for b in kept:  # a boundary whose parent went away moves up
            while b.parent in removed:
                b.parent = removed[b.parent]
        self.model.boundaries = kept
        self.removed_boundaries = removed

    def _property_changes(self, element: Element, fresh: Element) -> None:
        managed = self.result.managed.get(fresh.component, frozenset())
        spec = self.catalog.components.get(fresh.component)
        default = spec.defaults() if spec else {}
        changes = []
        for name in sorted(managed | set(fresh.properties)):
            before = element.properties.get(name, default.get(name))
            after = fresh.properties.get(name, default.get(name) if name in managed else before)
            if before != after:
                changes.append(f"{name} {_show(before)} -> {_show(after)}")
        props = {k: v for k, v in element.properties.items() if k not in managed}
        props.update(copy.deepcopy(fresh.properties))
        element.properties = props
        if changes:
            self.summary.changed.append(f"{_label(element)}: " + "; ".join(changes))

    def elements(self) -> None:
        new = self.new.elements_by_id()
        boundary_ids = {b.id for b in self.model.boundaries}
        kept: list[Element] = []
        hand_drawn = 0
        for e in self.model.elements:
            fresh = new.get(e.id)
            if fresh is None and self.imported(e.id):
                self.summary.removed.append(_label(e))
                continue
            if fresh is None:
                hand_drawn += 1
                while e.boundary in self.removed_boundaries:
                    e.boundary = self.removed_boundaries[e.boundary]
                kept.append(e)
                continue
            if e.component != fresh.component:
                self.summary.changed.append(
                    f"{_label(e)}: component {e.component} -> {fresh.component}"
                )
                e.component = fresh.component
                e.properties = {}
            self._property_changes(e, fresh)
            theirs = (
                e.boundary is not None
                and e.boundary in boundary_ids
                and not self.imported(e.boundary)
            )
            if not theirs and e.boundary != fresh.boundary:
                self.summary.changed.append(
                    f"{_label(e)}: inside {fresh.boundary or 'nothing'} (was {e.boundary or 'nothing'})"
                )
                e.boundary = fresh.boundary
                self.to_place.add(e.id)
            e.description = e.description or fresh.description
            kept.append(e)
        ids = {e.id for e in kept}
        for fresh in self.new.elements:
            if fresh.id not in ids:
                kept.append(copy.deepcopy(fresh))
                self.to_place.add(fresh.id)
                self.summary.added.append(_label(fresh))
        self.model.elements = kept
        if hand_drawn:
            self.summary.kept.append(f"{hand_drawn} element(s) drawn by hand")

    def flows(self) -> None:
        new = {f.id: f for f in self.new.flows}
        element_ids = {e.id for e in self.model.elements}
        kept, hand_drawn = [], 0
        for f in self.model.flows:
            fresh = new.get(f.id)
            if fresh is None and self.imported(f.id):
                self.summary.removed.append(_label(f))
                continue
            if f.source not in element_ids or f.target not in element_ids:
                self.summary.removed.append(f"{_label(f)} (drawn by hand; an end was removed)")
                continue
            if fresh is None:
                hand_drawn += 1
            else:
                for name in ("protocol", "channel", "port"):
                    before, after = getattr(f, name), getattr(fresh, name)
                    if before != after:
                        self.summary.changed.append(
                            f"{_label(f)}: {name} {_show(before)} -> {_show(after)}"
                        )
                        setattr(f, name, after)
            kept.append(f)
        ids = {f.id for f in kept}
        for fresh in self.new.flows:
            if fresh.id not in ids:
                kept.append(copy.deepcopy(fresh))
                self.summary.added.append(_label(fresh))
        self.model.flows = kept
        if hand_drawn:
            self.summary.kept.append(f"{hand_drawn} flow(s) drawn by hand")

    def reviews(self) -> None:
        """Triage stays (stale where its target is gone); findings forget removed elements."""
        ids = self.model.all_ids()
        triage = self.model.triage
        stale = [t for t in triage if t.partition("@")[2] not in ids]
        if triage:
            extra = f", {len(stale)} of them about removed items (shown as stale)" if stale else ""
            self.summary.kept.append(f"{len(triage)} triage decision(s){extra}")
        element_ids = {e.id for e in self.model.elements}
        for run in self.model.bench_runs:
            for finding in run.findings:
                finding.elements = [e for e in finding.elements if e in element_ids]
                finding.assigned_by_hand = [e for e in finding.assigned_by_hand if e in element_ids]
        if self.model.bench_runs:
            self.summary.kept.append(f"{len(self.model.bench_runs)} bench run(s)")
        if self.model.hardening:
            self.summary.kept.append(f"{len(self.model.hardening)} hardening plan entr(ies)")

    def run(self) -> tuple[Model, ReimportSummary]:
        self.boundaries()
        self.elements()
        self.flows()
        self.reviews()
        place_new(self.model, self.to_place, catalog=self.catalog, size_of=self.size_of)
        return self.model, self.summary


def reimport(
    old: Model, result: ImportResult, *, catalog: Catalog, size_of: SizeFn | None = None
) -> tuple[Model, ReimportSummary]:
    """``old`` brought up to date with a fresh import (``old`` itself is not changed)."""
    return _Merge(old, result, catalog, size_of or size_function(catalog)).run()
