"""One threat per root cause: rule threats that state the same cause become one threat.

Two rule keys say which threats are one root cause (docs/rules.md "Root causes"):

- ``root_cause: NAME``: the threats of rules with the same root cause on *neighbouring* targets
  (the same target; an element and a flow into or out of it; two elements joined by a flow; a
  boundary and an element directly inside it) are one threat. The most severe one carries the
  others (then the element before the flow, then the rule id).
- ``supersedes: [IDS]``: this rule's threat absorbs the threats of the named rules on its own
  target; an id may name a generic threat (``INTERACTION-SNIFFING``, ``STRIDE-I-FLOW``), which
  then folds into it on its neighbourhood too (the flow into an endpoint) instead of being listed.

The carrier lists what it absorbed in ``covers`` (their triage still applies, they are never
stale), carries their STRIDE categories, and offers their mitigations and references too.
"""

from __future__ import annotations

from collections import defaultdict

from .baseline import GENERIC_IDS
from .graph import Facts
from .loader import RuleSet
from .threat import DerivedThreat, Threat

_KIND_ORDER = {"element": 0, "boundary": 1, "flow": 2}


def neighbourhood(facts: Facts, kind: str, target: str) -> set[str]:
    """The target, and the targets one step away (flows of an element and their other ends; the
    ends of a flow; the direct members of a boundary, and an element's innermost boundary)."""
    near = {target}
    if kind == "element":
        for f in (*facts.in_flows.get(target, ()), *facts.out_flows.get(target, ())):
            near.update((f.id, f.source, f.target))
        chain = facts.chain.get(target, ())
        if chain:
            near.add(chain[0])
    elif kind == "flow":
        f = facts.flows.get(target)
        if f is not None:
            near.update((f.source, f.target))
    else:
        near.update(e for e, chain in facts.chain.items() if chain and chain[0] == target)
    return near


def absorb(carrier: Threat, other: Threat) -> None:
    """Fold ``other`` into ``carrier``: its id (and what it covered), categories and texts."""
    carrier.covers.append(other.id)
    carrier.covers.extend(c for c in other.covers if c not in carrier.covers)
    if isinstance(carrier, DerivedThreat):
        carrier.add_categories(other.categories)
        if other.source == "rule":
            carrier.absorbed.append(other)
    else:
        carrier.categories += [c for c in other.categories if c not in carrier.categories]


class RootCauses:
    """Folds rule threats of one derivation by root cause; remembers whom generics fold into."""

    def __init__(self, facts: Facts, rules: RuleSet):
        self.facts, self.rules = facts, rules
        self._order = {rule_id: i for i, rule_id in enumerate(rules.rules)}
        # carrier id -> the targets of the threats it stands for (its own first)
        self.members: dict[str, list[str]] = {}
        self._near: dict[str, set[str]] = {}
        self._near_sorted: dict[str, list[str]] = {}
        self._keys: dict[str, tuple] = {}
        # generic threat id ("INTERACTION-SNIFFING@f1") -> the rule threat that supersedes it
        self.generic_carriers: dict[str, Threat] = {}
        self.generic_targets: set[str] = set()  # the targets of those generic ids
        self.folders: list[Threat] = []
        self._absorbed_by: dict[str, Threat] = {}

    def carrier_key(self, t: Threat) -> tuple:
        """Most severe first; then elements before boundaries and flows; then the rule that
        comes first in the rule files (authors list the cause before its consequences)."""
        if (hit := self._keys.get(t.id)) is None:
            hit = self._keys[t.id] = (
                -t.severity_rank,
                _KIND_ORDER[t.target_kind],
                self._order.get(t.rule, len(self._order)),
                t.target,
            )
        return hit

    def near_sorted(self, t: Threat) -> list[str]:
        if (hit := self._near_sorted.get(t.target)) is None:
            hit = self._near_sorted[t.target] = sorted(self.near(t))
        return hit

    def near(self, t: Threat) -> set[str]:
        if (hit := self._near.get(t.target)) is None:
            hit = self._near[t.target] = neighbourhood(self.facts, t.target_kind, t.target)
        return hit

    def _component(self, t: Threat) -> str | None:
        return self.facts.elements[t.target].component if t.target_kind == "element" else None

    def fold(self, threats: list[Threat]) -> set[str]:
        """Fold ``threats`` (rule threats) in place by root cause and supersedes; returns the
        ids of the absorbed ones, which the caller drops from its list."""
        dropped: set[str] = set()
        by_cause: dict[str, list[Threat]] = defaultdict(list)
        rules = self.rules.rules
        for t in threats:
            rule = rules.get(t.rule)
            if rule is not None and rule.root_cause:
                by_cause[rule.root_cause].append(t)
        for group in by_cause.values():
            if len(group) > 1:
                self._fold_group(sorted(group, key=self.carrier_key), dropped)
        self._fold_superseded(threats, dropped)
        for generic, carrier in list(self.generic_carriers.items()):
            self.generic_carriers[generic] = self.resolve(carrier)
        return dropped

    def _absorb(self, carrier: Threat, other: Threat, dropped: set[str]) -> None:
        absorb(carrier, other)
        mine = self.members.setdefault(carrier.id, [carrier.target])
        for target in self.members.pop(other.id, [other.target]):
            if target not in mine:
                mine.append(target)
        dropped.add(other.id)
        self._absorbed_by[other.id] = carrier
        self.folders.append(carrier)

    def _fold_group(self, group: list[Threat], dropped: set[str]) -> None:
        """Merge threats joined by neighbourhood into the first (most severe) of each cluster.
        The neighbourhood is symmetric, so a cluster grows by looking around its members. A
        threat joins unless it is a replica of a member (the same rule on another target) or
        sits on another element of a component the cluster holds (two containers' limits are
        two causes)."""
        at: dict[str, list[Threat]] = defaultdict(list)
        for t in group:
            at[t.target].append(t)
        elements = self.facts.elements

        def component_of(t: Threat) -> str | None:
            return elements[t.target].component if t.target_kind == "element" else None

        placed: set[str] = set()  # threat ids (one threat per rule and target)
        for carrier in group:
            if carrier.id in placed:
                continue
            placed.add(carrier.id)
            cluster, frontier = [carrier], [carrier]
            rule_at = {carrier.rule: carrier.target}  # one target per rule in a cluster
            component_at: dict[str, str] = {}  # one element per component in a cluster
            if (component := component_of(carrier)) is not None:
                component_at[component] = carrier.target
            while frontier:
                current = frontier.pop(0)
                # most neighbourhoods hold no other threat of the cause
                for target in sorted(self.near(current) & at.keys()):  # the same in every run
                    for t in at.get(target, ()):
                        if t.id in placed or rule_at.get(t.rule, t.target) != t.target:
                            continue
                        component = component_of(t)
                        if component is not None and (
                            component_at.get(component, t.target) != t.target
                        ):
                            continue
                        placed.add(t.id)
                        cluster.append(t)
                        frontier.append(t)
                        rule_at[t.rule] = t.target
                        if component is not None:
                            component_at[component] = t.target
            if len(cluster) > 1:
                self.members.setdefault(carrier.id, [carrier.target])
                for t in cluster[1:]:
                    self._absorb(carrier, t, dropped)

    def resolve(self, t: Threat) -> Threat:
        """The threat that now stands for ``t`` (itself, or whoever absorbed it)."""
        while t.id in self._absorbed_by:
            t = self._absorbed_by[t.id]
        return t

    def claim(self, generic_id: str, target: str, t: Threat) -> None:
        """``t`` supersedes this generic threat; of several, the first by ``carrier_key`` takes
        it (the same whichever order they are seen in)."""
        held = self.generic_carriers.get(generic_id)
        if held is None or self.carrier_key(t) < self.carrier_key(held):
            self.generic_carriers[generic_id] = t
        self.generic_targets.add(target)

    def register_generics(self, t: Threat) -> None:
        """Let an already derived threat (kept by incremental re-derivation) carry the generic
        threats its rule supersedes around it, as it did when it was derived."""
        rule = self.rules.get(t.rule)
        if rule is None or not rule.supersedes:
            return
        for target in self.near(t):
            for other_rule in rule.supersedes:
                if other_rule in GENERIC_IDS:
                    self.claim(f"{other_rule}@{target}", target, t)

    def _fold_superseded(self, threats: list[Threat], dropped: set[str]) -> None:
        """Each threat whose rule supersedes others absorbs their threats on its own target; a
        superseded generic id (``INTERACTION-SNIFFING``) folds into it on its neighbourhood too,
        when that generic threat arises."""
        rules = self.rules.rules
        superseding = [t for t in threats if (r := rules.get(t.rule)) is not None and r.supersedes]
        if not superseding:
            return
        wanted = {t.target for t in superseding}
        by_target: dict[str, dict[str, Threat]] = defaultdict(dict)
        for t in threats:
            if t.target in wanted:
                by_target[t.target][t.rule] = t
        for t in sorted(superseding, key=self.carrier_key):
            rule = rules[t.rule]
            present = by_target.get(t.target, {})
            for other_rule in rule.supersedes:
                if other_rule in GENERIC_IDS:
                    for target in self.near_sorted(t):
                        self.claim(f"{other_rule}@{target}", target, t)
                    continue
                other = present.get(other_rule)
                if other is None or other.id in self._absorbed_by:
                    continue  # not derived, or already part of another root cause
                carrier = self.resolve(t)
                if other is not carrier:
                    self._absorb(carrier, other, dropped)
