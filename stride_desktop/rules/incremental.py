"""Partial re-derivation after element property or name edits (used by ``rules.session``).

When only the properties or names of some elements changed, the threats that may differ are
those of:

1. the elements whose conditions can read a changed property (``rules.reads``: the edited
   elements, then one step further per relational matcher the rules use);
2. every flow with an end among them and the other ends (their baseline folds into those flows'
   interaction threats), and every flow of those elements (whose threats carry those folds);
3. the boundaries around them.

``affected`` finds that ``Scope``; ``rederive`` derives it through the engine's public ``derive``
(the session splices the result into the other threats, which stay the same objects). Graph
facts are reused: such edits leave the structure as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

from ..model import Catalog, Model
from .engine import Scope, derive
from .graph import Facts
from .loader import RuleSet
from .reads import GLOBAL, RuleReads
from .threat import Threat


def prime(facts: Facts) -> None:
    """Compute the graph facts the matchers build lazily (an idle moment is a good time)."""
    for name, value in vars(Facts).items():
        if isinstance(value, cached_property):
            getattr(facts, name)


def refresh_facts(facts: Facts, model: Model, catalog: Catalog, element_ids: Iterable[str]) -> None:
    """Bring ``facts`` up to date after property or name edits of ``element_ids``."""
    by_id = model.elements_by_id()
    for eid in element_ids:
        element = by_id.get(eid)
        if element is None:
            continue
        facts.elements[eid] = element
        spec = catalog.components.get(element.component)
        facts.props[eid] = (
            {**spec.defaults(), **element.properties} if spec else dict(element.properties)
        )
    facts.model = model
    facts.memo.clear()  # matcher memos (co-member counts, model_has) may read the changed props


def affected(
    facts: Facts, reads: RuleReads, changed_ids: Iterable[str], steps: int
) -> Scope | None:
    """The targets whose threats may differ after edits of ``changed_ids`` that reach ``steps``
    relational steps; None: all of them."""
    if steps >= GLOBAL:
        return None
    any_reader = None in reads.readers
    reached = {e for e in changed_ids if e in facts.elements}
    frontier = set(reached)
    for _ in range(max(steps, 0)):
        grown: set[str] = set()
        for e in frontier:
            grown.update(f.source for f in facts.in_flows.get(e, ()))
            grown.update(f.target for f in facts.out_flows.get(e, ()))
            if reads.kinds:
                for b in facts.chain.get(e, ()):
                    if None in reads.kinds or facts.boundaries[b].kind in reads.kinds:
                        grown.update(
                            m
                            for m in facts.members.get(b, ())
                            if any_reader or facts.elements[m].component in reads.readers
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
    return Scope(frozenset(elements), frozenset(flows), frozenset(boundaries))


def rederive(
    previous: Mapping[str, list[Threat]],
    model: Model,
    rules: RuleSet,
    scope: Scope,
    *,
    facts: Facts,
    catalog: Catalog,
) -> list[Threat]:
    """The threats of ``scope``'s targets as ``derive(model, rules)`` has them, given the
    threats by target before the edits (``previous``); the others did not change."""
    fresh = derive(model, rules, catalog=catalog, facts=facts, scope=scope)
    targets = scope.targets
    # Folds of elements outside the scope into re-derived flow threats did not change: keep them.
    kept = {
        t.id: [c for c in t.covers if c.partition("@")[2] not in targets]
        for flow in scope.flows
        for t in previous.get(flow, ())
        if t.covers
    }
    for threat in fresh:
        if extra := kept.get(threat.id):
            threat.covers.extend(extra)
            threat.covers.sort()
    return fresh
