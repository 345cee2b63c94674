"""Cross-reference checks of a built model: duplicate ids, dangling references, boundary cycles."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Boundary, Element, Flow, Model
from .fields import describe
from .limits import MAX_BOUNDARY_DEPTH


def reference_problems(model: Model) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    sections: tuple[tuple[str, Sequence[Boundary | Element | Flow]], ...] = (
        ("boundaries", model.boundaries),
        ("elements", model.elements),
        ("flows", model.flows),
    )
    for section, items in sections:
        for i, item in enumerate(items):
            if item.id is None:
                continue
            if item.id in seen:
                problems.append(
                    f"{section}[{i}].id: duplicate id '{item.id}' (also {seen[item.id]})"
                )
            else:
                seen[item.id] = f"{section}[{i}]"
    boundary_ids = {b.id for b in model.boundaries}
    element_ids = {e.id for e in model.elements}

    for i, boundary in enumerate(model.boundaries):
        if boundary.parent is not None and boundary.parent not in boundary_ids:
            problems.append(f"boundaries[{i}].parent: unknown boundary {describe(boundary.parent)}")
    problems += _cycles(model)
    for i, element in enumerate(model.elements):
        if element.boundary is not None and element.boundary not in boundary_ids:
            problems.append(
                f"elements[{i}].boundary: unknown boundary {describe(element.boundary)}"
            )
    for i, flow in enumerate(model.flows):
        for end in ("source", "target"):
            value = getattr(flow, end)
            if value is not None and value not in element_ids:
                problems.append(f"flows[{i}].{end}: unknown element {describe(value)}")

    run_ids: set[str] = set()
    finding_ids: set[str] = set()
    for i, run in enumerate(model.bench_runs):
        if run.id in run_ids or run.id in seen:
            problems.append(f"bench_runs[{i}].id: duplicate id '{run.id}'")
        run_ids.add(run.id)
        if run.scope is not None and run.scope not in boundary_ids:
            problems.append(f"bench_runs[{i}].scope: unknown boundary {describe(run.scope)}")
        keys: set[str] = set()
        for j, finding in enumerate(run.findings):
            if finding.key in keys:
                problems.append(
                    f"bench_runs[{i}].findings[{j}].key: duplicate key {describe(finding.key)}"
                )
            keys.add(finding.key)
            finding_ids.add(f"{run.id}:{finding.key}")
            for k, element_id in enumerate(finding.elements):
                if element_id not in element_ids:
                    problems.append(
                        f"bench_runs[{i}].findings[{j}].elements[{k}]: "
                        f"unknown element {describe(element_id)}"
                    )
    for i, entry in enumerate(model.hardening):
        if entry.finding is not None and entry.finding not in finding_ids:
            problems.append(f"hardening[{i}].finding: unknown finding {describe(entry.finding)}")
    problems += _custom_threat_problems(model, element_ids)
    return problems


def _custom_threat_problems(model: Model, element_ids: set[str]) -> list[str]:
    """Custom threats target an element or a flow and have unique ids.

    Their ``finding`` is provenance only (the run may have been removed since), not checked.
    """
    problems = []
    targets = element_ids | {f.id for f in model.flows}
    ids: set[str] = set()
    for i, custom in enumerate(model.custom_threats):
        if custom.id in ids:
            problems.append(f"custom_threats[{i}].id: duplicate id '{custom.id}'")
        ids.add(custom.id)
        if custom.target is not None and custom.target not in targets:
            problems.append(
                f"custom_threats[{i}].target: unknown element or flow {describe(custom.target)}"
            )
    return problems


def _cycles(model: Model) -> list[str]:
    """Boundaries that nest in a cycle, or deeper than MAX_BOUNDARY_DEPTH: one walk up the
    parent chains, each boundary visited once (linear in the number of boundaries)."""
    parents = {b.id: b.parent for b in model.boundaries}
    index = {b.id: i for i, b in enumerate(model.boundaries)}
    walk_of: dict[str, int] = {}  # boundary -> the walk that reached it first
    depth: dict[str, int] = {}  # boundary -> levels from the top (1 = no parent)
    problems = []
    too_deep: str | None = None
    for walk, start in enumerate(parents):
        if start in walk_of:
            continue
        path: list[str] = []
        current: str | None = start
        while current is not None and current in parents and current not in walk_of:
            walk_of[current] = walk
            path.append(current)
            current = parents[current]
        if current is not None and walk_of.get(current) == walk:  # back on this walk: a cycle
            cycle = path[path.index(current) :]
            if len(cycle) > 8:  # one readable line, however long the cycle
                cycle = [*cycle[:3], f"... ({len(cycle):,} boundaries) ...", *cycle[-2:]]
            problems.append(
                f"boundaries[{index[current]}].parent: boundaries nest in a cycle: "
                + " -> ".join(cycle + [current])
            )
            path = path[: path.index(current)]
            continue  # the boundaries leading into a cycle have no depth either
        if current is not None and current in parents and current not in depth:
            continue  # reached a boundary that leads into a cycle
        level = depth.get(current, 0) if current is not None else 0
        for boundary in reversed(path):
            level += 1
            depth[boundary] = level
            if level > MAX_BOUNDARY_DEPTH and too_deep is None:
                too_deep = boundary
    if too_deep is not None:
        problems.append(
            f"boundaries[{index[too_deep]}].parent: boundaries nest more than "
            f"{MAX_BOUNDARY_DEPTH} levels deep"
        )
    return problems
