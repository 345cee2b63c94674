"""Incremental re-derivation after element property (or name) edits.

``rederive(previous, model, rules, changed_ids)`` gives the same list as ``derive(model, rules)``
when only the properties or names of the ``changed_ids`` elements changed since ``previous`` was
derived (same elements, components, boundaries, flows, bench runs). It re-derives only the targets
such an edit can reach and keeps the other threats:

1. which elements' conditions may read a changed property: the rule set's matchers decide how far
   a property read reaches (``has_flow_from``/``has_flow_to``/``source``/``target`` one flow hop,
   ``shares_boundary_with``/``contains`` the co-members of a boundary, ``model_has`` the whole
   model, which means a full derivation);
2. every flow with an end among them, and the other ends (their baseline folds into those flows'
   interaction threats), and every flow of those elements (whose threats carry those folds);
3. boundaries with a member among them.

Graph facts (chains, trust, reachability) are reused through ``IncrementalCache`` when the structure
did not change; anything the cache cannot vouch for falls back to ``derive``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from typing import Any

from ..io import default_catalog
from ..model import Catalog, Model
from .engine import _Deriver, apply_triage, derive, sort_key
from .graph import Facts
from .loader import RuleSet
from .threat import Threat

GLOBAL = 10**6  # a property read anywhere in the model: re-derive everything
_HOPS = ("has_flow_from", "has_flow_to")


def _reach(
    raw: Any, kinds: set[str | None], readers: set[str | None], scope: tuple[str, ...] | None
) -> int:
    """How many expansion steps from a target a property read in ``raw`` can reach (-1: none).

    Adds to ``kinds`` the boundary kinds ``shares_boundary_with`` looks through (None: any) and
    to ``readers`` the components of the elements that look (``scope``: the rule's components
    while at its top level; None: any component)."""
    if not isinstance(raw, dict) or len(raw) != 1:
        return GLOBAL
    ((key, value),) = raw.items()
    if key in ("all", "any"):
        return max((_reach(v, kinds, readers, scope) for v in value), default=-1)
    if key == "not":
        return _reach(value, kinds, readers, scope)
    if key in ("property", "release_unsupported"):  # the latter reads the element's version
        return 0
    if key == "members_differ":  # a boundary reads a property of its members
        inner = value.get("element") if isinstance(value, dict) else None
        return max(0, _reach(inner, kinds, readers, None) if inner is not None else 0)
    if key in (
        "source",
        "target",
        "contains",
        "directly_contains",
    ):  # flows read their ends, boundaries their members
        return _reach(value, kinds, readers, None)
    if key in _HOPS or key == "shares_boundary_with":
        inner = value.get("element") if isinstance(value, dict) else None
        depth = _reach(inner, kinds, readers, None) if inner is not None else -1
        if depth < 0:
            return -1
        if key == "shares_boundary_with":
            wanted = value.get("kind")
            kinds.update(
                [None] if wanted is None else (wanted if isinstance(wanted, list) else [wanted])
            )
            readers.update(scope or [None])
        return depth + 1
    if key == "model_has":
        return GLOBAL if _reach(value, kinds, readers, None) >= 0 else -1
    return -1  # component, kind, flow fields, boundary fields, reachability: structure only


def property_reach(rules: RuleSet) -> tuple[int, set[str | None], set[str | None]]:
    """The farthest property read of any rule; the boundary kinds and the components of the
    elements that read their boundaries' co-members (``shares_boundary_with``)."""
    kinds: set[str | None] = set()
    readers: set[str | None] = set()
    reach = 0  # names are read by the element itself and its flows' texts
    for rule in rules:
        if rule.condition is None:
            continue
        scope = rule.components if rule.target == "element" and rule.components else None
        reach = max(
            reach, GLOBAL if rule.when is None else _reach(rule.when, kinds, readers, scope)
        )
    return reach, kinds, readers


def structure_key(model: Model) -> tuple:
    """What the graph facts and evidence depend on, apart from element properties and names."""
    return (
        tuple((e.id, e.component, e.boundary) for e in model.elements),
        tuple(
            (
                f.id,
                f.source,
                f.target,
                f.name,
                f.protocol,
                f.port,
                f.encrypted,
                f.authenticated,
                f.data,
            )
            for f in model.flows
        ),
        tuple((b.id, b.name, b.trust, b.kind, b.parent) for b in model.boundaries),
        tuple(
            (
                r.id,
                r.tool,
                tuple(
                    (x.check_id, x.status, x.title, x.component, tuple(x.elements))
                    for x in r.findings
                ),
            )
            for r in model.bench_runs
        ),
    )


class IncrementalCache:
    """Graph facts of the last derivation, valid while ``structure_key`` is unchanged."""

    def __init__(self) -> None:
        self.facts: Facts | None = None
        self.key: tuple | None = None

    def prime(self, model: Model, catalog: Catalog) -> None:
        """Build the facts of ``model`` ahead of the first edit, with the graph facts the matchers
        compute lazily (an idle moment after a full derivation is a good time)."""
        if self.facts is not None:
            return
        self.facts_for(model, catalog, ())
        facts = self.facts
        assert facts is not None
        for name in (
            "members",
            "exposes",
            "direct_exposure",
            "exposed",
            "reachable_from_untrusted",
            "unauthenticated_from_external",
        ):
            getattr(facts, name)

    def facts_for(
        self, model: Model, catalog: Catalog, changed_ids: Iterable[str]
    ) -> tuple[Facts, bool]:
        """Facts for ``model`` and whether they were reused (False: rebuilt, derive everything)."""
        key = structure_key(model)
        facts = self.facts
        if facts is None or key != self.key:
            self.facts, self.key = Facts(model, catalog), key
            return self.facts, False
        defaults = catalog.components
        by_id = model.elements_by_id()
        for eid in changed_ids:
            e = by_id.get(eid)
            if e is None:
                continue
            facts.elements[eid] = e
            spec = defaults.get(e.component)
            facts.props[eid] = {**spec.defaults(), **e.properties} if spec else dict(e.properties)
        facts.model = model
        facts.memo.clear()  # matcher memos (co-member counts, model_has) may read the changed props
        return facts, True


def affected(
    facts: Facts, rules: RuleSet, changed_ids: Iterable[str]
) -> tuple[set[str], set[str], set[str]] | None:
    """Elements, flows and boundaries whose threats may differ; None: all of them."""
    reach, kinds, readers = property_reach(rules)
    any_reader = None in readers
    if reach >= GLOBAL:
        return None
    reached = {e for e in changed_ids if e in facts.elements}
    frontier = set(reached)
    for _ in range(reach):
        grown: set[str] = set()
        for e in frontier:
            grown.update(f.source for f in facts.in_flows.get(e, ()))
            grown.update(f.target for f in facts.out_flows.get(e, ()))
            if kinds:
                for b in facts.chain.get(e, ()):
                    if None in kinds or facts.boundaries[b].kind in kinds:
                        grown.update(
                            m
                            for m in facts.members.get(b, ())
                            if any_reader or facts.elements[m].component in readers
                        )
        frontier = grown - reached
        reached |= grown
        if not frontier:
            break
    # conditions may change on ``reached`` and on the flows touching them; the other ends of those
    # flows fold baseline threats into them; all flows of those elements carry such folds
    elements = set(reached)
    for e in reached:
        elements.update(f.source for f in facts.in_flows.get(e, ()))
        elements.update(f.target for f in facts.out_flows.get(e, ()))
    flows = {
        f.id for e in elements for f in (*facts.in_flows.get(e, ()), *facts.out_flows.get(e, ()))
    }
    boundaries = {b for e in reached for b in facts.chain.get(e, ())}
    return elements, flows, boundaries


def rederive(
    previous: list[Threat],
    model: Model,
    rules: RuleSet,
    changed_ids: Iterable[str],
    *,
    catalog: Catalog | None = None,
    cache: IncrementalCache | None = None,
) -> list[Threat]:
    """``derive(model, rules)`` after property/name edits of ``changed_ids``, re-deriving only what
    they can affect. ``previous`` must be the result for the model before those edits; its
    threats not re-derived are reused (the same objects)."""
    catalog = catalog or default_catalog()
    changed = list(changed_ids)
    if cache is None:
        cache = IncrementalCache()
        cache.facts, cache.key = Facts(model, catalog), structure_key(model)
    facts, reused = cache.facts_for(model, catalog, changed)
    scope = affected(facts, rules, changed) if reused else None
    if scope is None:
        return derive(model, rules, catalog=catalog)
    elements, flows, boundaries = scope
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        deriver = _Deriver(model, rules, model.bench_runs, catalog, facts=facts)
        deriver.element_scope = [e for e in facts.elements.values() if e.id in elements]
        deriver.flow_scope = [f for f in facts.flows.values() if f.id in flows]
        deriver.boundary_scope = [b for b in facts.boundaries.values() if b.id in boundaries]
        fresh = deriver.run()
        targets = elements | flows | boundaries
        # Folds of elements outside the scope into re-derived flow threats did not change: keep them.
        kept = {
            t.id: [c for c in t.covers if c.partition("@")[2] not in targets]
            for t in previous
            if t.target in flows and t.covers
        }
        for threat in fresh:
            if extra := kept.get(threat.id):
                threat.covers.extend(extra)
                deriver.folders.append(threat)
        for threat in {id(t): t for t in deriver.folders}.values():
            threat.covers.sort()
        apply_triage(model, fresh)
        out = [t for t in previous if t.target not in targets] + fresh
        out.sort(key=sort_key)
        return out
    finally:
        if was_enabled:
            gc.enable()
