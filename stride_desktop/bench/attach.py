"""Attach a bench run's findings to the elements of a model (DESIGN.md "Bench findings").

Pure data operations: they change only the run (and, for ``add_run``, the model's run list), so
the editor can wrap each in an undo command.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from ..io import default_catalog
from ..model.elements import Element
from ..model.findings import AffectedObject, BenchRun, Finding
from ..model.model import Model
from . import normalize as nz

CONTAINER = "docker.container"
IMAGE = "docker.image"
HOST = "docker.host"
NODE_HINTS = ("docker-host", "control-plane-node", "worker-node")
_COMPOSE = re.compile(r"^(.+?)[-_](\d+)$")


def hint_targets(catalog_components: Any = None) -> dict[str, set[str]]:
    """Hint key -> catalog component ids: resources/bench/components.yaml plus the catalog's own
    ``bench_components`` (a Catalog, {id: ComponentType} or {id: [hint, ...]})."""
    targets = {hint: set(ids) for hint, ids in nz.component_map().items()}
    if catalog_components is None:
        return targets
    components = getattr(catalog_components, "components", catalog_components)
    if isinstance(components, Mapping):
        for component_id, spec in components.items():
            hints = getattr(spec, "bench_components", spec)
            if isinstance(hints, str):
                hints = (hints,)
            for hint in hints or ():
                targets.setdefault(str(hint), set()).add(str(component_id))
    return targets


def scope_elements(model: Model, scope: str | None) -> list:
    if scope is None:
        return list(model.elements)
    if model.boundary(scope) is None:
        known = ", ".join(sorted(b.id for b in model.boundaries)) or "(none)"
        raise KeyError(f"unknown boundary '{scope}'; known: {known}")
    return model.members(scope)


def _names(element: Element) -> set[str]:
    names = {element.id.lower(), element.name.lower()}
    for prop in ("container_name", "image", "reference", "service"):
        value = element.properties.get(prop)
        if isinstance(value, str) and value:
            names.add(value.lower())
    return names


def _container_candidates(name: str) -> set[str]:
    """A container name and the compose service names it may stand for."""
    name = name.lower()
    out = {name}
    match = _COMPOSE.match(name)
    stem = match.group(1) if match else name
    out.add(stem)
    for i, ch in enumerate(stem):  # project-service, project_service, my-proj-web -> proj-web, web
        if ch in "-_" and 0 < i < len(stem) - 1:
            out.add(stem[i + 1 :])
    return out


def _image_candidates(name: str) -> set[str]:
    out = set()
    for ref in name.lower().split():
        out.add(ref)
        repo = ref.rsplit(":", 1)[0] if ":" in ref.rsplit("/", 1)[-1] else ref
        out.update({repo, repo.rsplit("/", 1)[-1]})
    return out


def _match_objects(objects: Iterable[AffectedObject], elements: list) -> tuple[list[str], bool]:
    """Element ids named by the affected containers and images; flag whether any such object exists."""
    matched: list[str] = []
    relevant = False
    for obj in objects:
        if obj.kind == "container":
            relevant = True
            wanted = _container_candidates(obj.name)
            hits = [e for e in elements if e.component == CONTAINER and _names(e) & wanted]
            # prefer exact matches over compose-style suffix matches
            exact = [e for e in hits if obj.name.lower() in _names(e)]
            hits = exact or hits
        elif obj.kind == "image":
            relevant = True
            wanted = _image_candidates(obj.name)
            hits = [e for e in elements if e.component == IMAGE and _names(e) & wanted]
            hits += [
                e
                for e in elements
                if e.component == CONTAINER and str(e.properties.get("image", "")).lower() in wanted
            ]
        else:
            continue
        matched += [e.id for e in hits if e.id not in matched]
    return matched, relevant


def attach_finding(
    finding: Finding, elements: list, targets: dict[str, set[str]], *, tool: str
) -> list[str]:
    by_items, has_items = _match_objects(finding.affected, elements)
    hints = [finding.component] if finding.component else []
    if tool == "docker-bench-security":
        hints += nz.docker_secondary(finding.title)
    ids: list[str] = list(by_items)
    for i, hint in enumerate(hints):
        if i == 0 and has_items:
            continue  # container/image findings attach by name, never to every container
        components = targets.get(hint, set())
        hits = [e.id for e in elements if e.component in components]
        if not hits and hint in NODE_HINTS:
            hits = [e.id for e in elements if e.component == HOST]
        ids += [h for h in hits if h not in ids]
    return ids


def attach_run(
    model: Model, run: BenchRun, *, scope: str | None, catalog_components: Any = None
) -> BenchRun:
    """Set every finding's ``elements`` from the elements in ``scope`` (a boundary id, or None for
    the whole model). Assignments made by hand are kept."""
    elements = scope_elements(model, scope)
    targets = hint_targets(catalog_components)
    valid = {e.id for e in model.elements}
    for finding in run.findings:
        auto = attach_finding(finding, elements, targets, tool=run.tool)
        hand = [e for e in finding.assigned_by_hand if e in valid]
        finding.assigned_by_hand = hand
        finding.elements = auto + [e for e in hand if e not in auto]
    return run


def unassigned(run: BenchRun) -> list[Finding]:
    return [f for f in run.findings if not f.elements]


def _finding(run: BenchRun, finding_key: str) -> Finding:
    for finding in run.findings:
        if finding.key == finding_key:
            return finding
    raise KeyError(f"run '{run.id}' has no finding '{finding_key}'")


def assign_finding(run: BenchRun, finding_key: str, element_id: str) -> Finding:
    """Record a manual assignment of a finding to an element."""
    finding = _finding(run, finding_key)
    if element_id not in finding.elements:
        finding.elements.append(element_id)
    if element_id not in finding.assigned_by_hand:
        finding.assigned_by_hand.append(element_id)
    return finding


def unassign_finding(run: BenchRun, finding_key: str, element_id: str) -> Finding:
    """Undo a manual (or automatic) assignment."""
    finding = _finding(run, finding_key)
    finding.elements = [e for e in finding.elements if e != element_id]
    finding.assigned_by_hand = [e for e in finding.assigned_by_hand if e != element_id]
    return finding


def import_time() -> str:
    """Now, in UTC to the second, as bench runs record it: 2026-11-28T10:00:00Z."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def prepare_run(
    model: Model,
    run: BenchRun,
    *,
    scope: str | None,
    catalog_components: Any = None,
    taken: Iterable[str] = (),
) -> BenchRun:
    """A copy of ``run`` ready to join ``model``: a fresh id (``run1``, ``run2``, ... clear of the
    model's ids and of ``taken``), the time of import, its scope and its findings attached.
    Findings attach by the catalog's bench hints too (the default catalog unless given).
    An unknown scope raises KeyError."""
    scope_elements(model, scope)
    if catalog_components is None:
        catalog_components = default_catalog()
    run = copy.deepcopy(run)
    run.id = model.new_id("run", taken=taken, numbered=True)
    run.imported_at = import_time()
    run.scope = scope
    return attach_run(model, run, scope=scope, catalog_components=catalog_components)


def add_run(
    model: Model, run: BenchRun, *, scope: str | None, catalog_components: Any = None
) -> BenchRun:
    """Prepare ``run`` (``prepare_run``) and append it to the model; returns the added run."""
    prepared = prepare_run(model, run, scope=scope, catalog_components=catalog_components)
    model.bench_runs.append(prepared)
    return prepared
