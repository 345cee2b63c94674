"""What a rule set reads of element properties, derived from the rules' ``when`` data.

An element property edit changes threats only where a rule condition can read that property:
the element itself, or elements and flows one step further per relational matcher
(``has_flow_from``/``has_flow_to`` one flow hop, ``shares_boundary_with`` the co-members of a
boundary, ``model_has`` anywhere). ``RuleReads`` records, per property name, how many such steps
a read of it can take. What cannot be bounded (an unknown matcher, a malformed condition, a rule
built in code without ``when`` data) reaches ``GLOBAL``: derive everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .conditions import MATCHER_READS
from .loader import RuleSet

GLOBAL = 10**6  # a read that may reach anywhere in the model
ANY = None  # stands for "a property the walk cannot name"

Reach = dict[str | None, int]  # property name (ANY: unnamed) -> steps


def _merge(into: Reach, other: Reach) -> Reach:
    for name, steps in other.items():
        into[name] = max(into.get(name, -1), steps)
    return into


@dataclass
class RuleReads:
    """Per property, how far a read of it reaches; which boundaries co-member reads look
    through (``kinds``, None: any) and which components look (``readers``, None: any)."""

    reach: Reach = field(default_factory=dict)
    kinds: set[str | None] = field(default_factory=set)
    readers: set[str | None] = field(default_factory=set)

    @classmethod
    def of(cls, rules: RuleSet) -> RuleReads:
        reads = cls()
        for rule in rules:
            if rule.condition is None:
                continue
            if rule.when is None:  # compiled in code: nothing tells what it reads
                _merge(reads.reach, {ANY: GLOBAL})
                continue
            scope = rule.components if rule.target == "element" and rule.components else None
            _merge(reads.reach, reads._walk(rule.when, scope))
        return reads

    def steps(self, properties: Iterable[str | None]) -> int:
        """How far an edit of ``properties`` (ANY: some property) reaches; -1 when no rule reads
        any of them."""
        out = self.reach.get(ANY, -1)
        for name in properties:
            if name is ANY:
                out = max(out, *self.reach.values(), -1)
            else:
                out = max(out, self.reach.get(name, -1))
        return out

    def _walk(self, raw: Any, scope: tuple[str, ...] | None) -> Reach:
        """The properties ``raw`` reads and how many steps from the target; ``scope``: the
        components of the element that looks, while at the rule's top level."""
        if not isinstance(raw, dict) or len(raw) != 1:
            return {ANY: GLOBAL}
        ((key, value),) = raw.items()
        if key in ("all", "any"):
            if not isinstance(value, list):
                return {ANY: GLOBAL}
            out: Reach = {}
            for item in value:
                _merge(out, self._walk(item, scope))
            return out
        if key == "not":
            return self._walk(value, scope)
        how = MATCHER_READS.get(key)
        if how is None:
            return {ANY: GLOBAL}
        if how == "structure":
            return {}
        if how.startswith("own:"):
            return {how.removeprefix("own:"): 0}
        if how == "own":
            name = value.get("name") if isinstance(value, dict) else None
            return {name if isinstance(name, str) else ANY: 0}
        if how in ("end", "member"):  # flows and boundaries are re-derived with their elements
            return self._walk(value, None)
        if how == "member_property":
            name = value.get("property") if isinstance(value, dict) else None
            inner = value.get("element") if isinstance(value, dict) else None
            out = {name if isinstance(name, str) else ANY: 0}
            return _merge(out, self._walk(inner, None)) if inner is not None else out
        if how == "anywhere":
            return dict.fromkeys(self._walk(value, None), GLOBAL)
        if how not in ("neighbour", "co_member"):
            return {ANY: GLOBAL}
        inner = value.get("element") if isinstance(value, dict) else None
        if inner is None:
            return {}
        nested = self._walk(inner, None)
        if nested and how == "co_member":
            wanted = value.get("kind")
            self.kinds.update(
                [None] if wanted is None else (wanted if isinstance(wanted, list) else [wanted])
            )
            self.readers.update(scope or [None])
        return {name: min(GLOBAL, steps + 1) for name, steps in nested.items()}
