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

Root causes (``rules.rootcause``) join threats of neighbouring targets: ``rederive`` widens the
scope over those that reach across its edge (a threat outside that covers one inside, rules of
one root cause on neighbouring targets), and gives up (None: derive everything) when they keep
reaching further. Edits that change attack paths or the names on them need a full derivation
(``path_relevant``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from functools import cached_property

from ..model import Catalog, Model
from .baseline import GENERIC_CATEGORY, GENERIC_IDS, VIA_FOLDS
from .engine import Scope, derive
from .graph import Facts
from .loader import RuleSet
from .reads import GLOBAL, RuleReads
from .risk import default_risk
from .rootcause import neighbourhood
from .threat import DerivedThreat, Threat

WIDEN_STEPS = 4  # rings of root causes a partial derivation follows before it gives up


def path_relevant(properties: Iterable[str | None]) -> bool:
    """Whether editing these element properties (None: any) can change attack paths: whether
    an element is an attacker, exposed to the internet, publishes a port on every interface of
    its host or is network-isolated."""
    risk = default_risk()
    reads = {
        "attacker",
        *risk.exposure_properties,
        *risk.isolation_properties,
        risk.published_property,
    }
    return any(p is None or p in reads for p in properties)


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
    # matcher memos (co-member counts, model_has) may read the changed props; attack paths stay
    # (an edit that changes them, or the names they mention, derives everything)
    facts.memo = {k: v for k, v in facts.memo.items() if k[0] == "attack_paths"}


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


def _related(rules: RuleSet, a: set[str], b: set[str]) -> bool:
    """Whether a threat of a rule in ``a`` and one of a rule in ``b`` on neighbouring targets
    could be one root cause (two rules with the same ``root_cause``; ``supersedes`` of rules
    stays on one target)."""
    for x in a:
        rx = rules.get(x)
        if rx is None or not rx.root_cause:
            continue
        for y in b:
            ry = rules.get(y)
            if y != x and ry is not None and ry.root_cause == rx.root_cause:
                return True
    return False


def _across_edge(
    facts: Facts, rules: RuleSet, threats: list[Threat], targets: Set[str]
) -> set[str]:
    """Targets outside the scope that a root cause may join with a target inside it: a threat
    outside that covers one inside, a rule threat inside that covers one outside, or rules of one
    root cause on neighbouring targets. (An outside element's generic threat folded into its way
    in, inside, folds the same way again: those folds are kept.)"""
    outside: set[str] = set()
    rules_at: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    for t in threats:
        kinds[t.target] = t.target_kind
        inside = t.target in targets
        for tid in (t.id, *t.covers):
            rule, _, target = tid.partition("@")
            if rule not in GENERIC_IDS:
                rules_at.setdefault(target, set()).add(rule)
            if tid is t.id or (target in targets) == inside:
                continue
            # a kept threat covering one inside may lose it to another carrier: re-derive it
            if not inside or rule not in VIA_FOLDS:
                outside.add(t.target if not inside else target)
    for target in targets:
        mine = rules_at.get(target)
        if not mine:
            continue
        kind = kinds.get(target) or _kind(facts, target)
        component = facts.elements[target].component if kind == "element" else None
        for other in neighbourhood(facts, kind, target) - targets:
            if (
                component is not None
                and other in facts.elements
                and facts.elements[other].component == component
            ):
                continue  # replicas are never one root cause (RootCauses._fold_group)
            if (theirs := rules_at.get(other)) and _related(rules, mine, theirs):
                outside.add(other)
    return outside


def _kind(facts: Facts, target: str) -> str:
    return (
        "flow" if target in facts.flows else "element" if target in facts.elements else "boundary"
    )


def _widened(facts: Facts, rules: RuleSet, threats: list[Threat], scope: Scope) -> Scope | None:
    """``scope`` grown over the root causes reaching across its edge; None: too far."""
    elements, flows, boundaries = set(scope.elements), set(scope.flows), set(scope.boundaries)
    for _ in range(WIDEN_STEPS):
        extra = _across_edge(facts, rules, threats, elements | flows | boundaries)
        if not extra:
            return Scope(frozenset(elements), frozenset(flows), frozenset(boundaries))
        for target in extra:
            kind = _kind(facts, target)
            if kind == "element":
                elements.add(target)
                flows.update(f.id for f in facts.in_flows.get(target, ()))
                flows.update(f.id for f in facts.out_flows.get(target, ()))
            elif kind == "flow":
                flows.add(target)
            else:
                boundaries.add(target)
    return None


def rederive(
    previous: Mapping[str, list[Threat]],
    model: Model,
    rules: RuleSet,
    scope: Scope,
    *,
    facts: Facts,
    catalog: Catalog,
) -> tuple[list[Threat], Scope] | None:
    """The threats of the scope's targets as ``derive(model, rules)`` has them, given the
    threats by target before the edits (``previous``), and the scope they cover (``scope``
    widened over root causes); None when only a full derivation is right. The threats of the
    other targets did not change."""
    before = [t for threats in previous.values() for t in threats]
    widened = _widened(facts, rules, before, scope)
    if widened is None:
        return None
    targets = widened.targets
    kept = [t for t in before if t.target not in targets]
    fresh = derive(model, rules, catalog=catalog, facts=facts, scope=widened, kept=kept)
    if _across_edge(facts, rules, [*fresh, *kept], targets):
        return None  # the fresh threats reach across the edge in a new way
    # Generic threats of elements outside the scope folded into re-derived threats (their way
    # in) did not change: keep those folds.
    outside_folds = {
        t.id: [c for c in t.covers if c.partition("@")[2] not in targets]
        for target in targets
        for t in previous.get(target, ())
        if t.covers
    }
    for threat in fresh:
        if folds := outside_folds.get(threat.id):
            threat.covers.extend(c for c in folds if c not in threat.covers)
            threat.covers.sort()
            if isinstance(threat, DerivedThreat):
                threat.add_categories([GENERIC_CATEGORY[c.partition("@")[0]] for c in folds])
    return fresh, widened
