"""Compile rule conditions (YAML data) into predicates. A closed set of matchers, no eval.

A predicate is ``pred(facts, obj) -> bool`` where ``obj`` is the target Element, Flow or Boundary.
Every error is a ConditionError carrying the path of the bad key (``when.all[1].property.name``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..model import (
    AUTHENTICATION_VALUES,
    BOUNDARY_KINDS,
    CHANNELS,
    CLASSIFICATIONS,
    Catalog,
    PropertySpec,
)
from .errors import ConditionError
from .graph import Facts
from .releases import UNSUPPORTED, release_table

Pred = Callable[[Facts, Any], bool]
TARGETS = ("element", "flow", "boundary")
KINDS = ("external_entity", "process", "data_store")
COMBINATORS = ("all", "any", "not")
ELEMENT_MATCHERS = (
    "property",
    "component",
    "kind",
    "reachable_from_untrusted",
    "unauthenticated_path_from_external",
    "has_flow_from",
    "has_flow_to",
    "shares_boundary_with",
    "in_boundary",
    "exposed",
    "model_has",
    "release_unsupported",
    "model_has_boundary",
)
FLOW_MATCHERS = (
    "flow",
    "property",
    "source",
    "target",
    "crosses_boundary",
    "enters_higher_trust",
    "model_has",
)
BOUNDARY_MATCHERS = ("boundary", "contains", "model_has", "members_differ", "directly_contains")
MATCHERS = {"element": ELEMENT_MATCHERS, "flow": FLOW_MATCHERS, "boundary": BOUNDARY_MATCHERS}
# What each matcher reads besides the model's structure (components, kinds, membership, flows,
# boundaries, the graph), which any structural edit re-derives in full. ``rules.reads`` walks a
# rule's ``when`` with this to bound how far an element property edit reaches; a matcher missing
# here counts as reading anything anywhere (a full derivation), never as reading nothing.
MATCHER_READS = {
    "property": "own",  # the target's property ``name`` (a flow's own fields)
    "source": "end",  # a flow reads its end elements
    "target": "end",
    "contains": "member",  # a boundary reads its members
    "directly_contains": "member",
    "members_differ": "member_property",  # a property of a boundary's (matching) members
    "release_unsupported": "own:version",  # one named property of the element
    "has_flow_from": "neighbour",  # the element at the other end of one flow
    "has_flow_to": "neighbour",
    "shares_boundary_with": "co_member",  # the other members of an enclosing boundary
    "model_has": "anywhere",
    **dict.fromkeys(
        (
            "component",
            "kind",
            "reachable_from_untrusted",
            "unauthenticated_path_from_external",
            "in_boundary",
            "exposed",
            "flow",
            "crosses_boundary",
            "enters_higher_trust",
            "boundary",
            "model_has_boundary",
        ),
        "structure",
    ),
}
FLOW_FIELDS = {
    "encrypted": "bool",
    "authenticated": "enum",
    "protocol": "str",
    "port": "int",
    "data": "enum",
    "name": "str",
    "channel": "enum",
}
PROPERTY_TESTS = ("equals", "not_equals", "in", "contains", "matches", "empty", "gt", "lt")


def _encrypted_is(want: bool) -> Pred:
    return lambda facts, f: f.encrypted == want


def _crosses_is(want: bool) -> Pred:
    return lambda facts, f: bool(facts.crossed.get(f.id)) == want


def _flow_field_in(field: str, choices: frozenset[Any]) -> Pred:
    return lambda facts, f: getattr(f, field) in choices


def _trust_compares(op: Callable[[int, int], bool], limit: int) -> Pred:
    return lambda facts, b: op(b.trust, limit)


# ``all`` and ``any`` of one to three conditions (nearly every rule) call them directly: a
# generator per test cost more than the tests at ~100,000 of them per 10,000 elements.
def _all(preds: tuple[Pred, ...]) -> Pred:
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        a, b = preds
        return lambda facts, obj: a(facts, obj) and b(facts, obj)
    if len(preds) == 3:
        a, b, c = preds
        return lambda facts, obj: a(facts, obj) and b(facts, obj) and c(facts, obj)
    return lambda facts, obj: all(p(facts, obj) for p in preds)


def _any(preds: tuple[Pred, ...]) -> Pred:
    if len(preds) == 1:
        return preds[0]
    if len(preds) == 2:
        a, b = preds
        return lambda facts, obj: a(facts, obj) or b(facts, obj)
    if len(preds) == 3:
        a, b, c = preds
        return lambda facts, obj: a(facts, obj) or b(facts, obj) or c(facts, obj)
    return lambda facts, obj: any(p(facts, obj) for p in preds)


def _fail(path: str, message: str) -> ConditionError:
    return ConditionError(path, message)


def _as_list(value: Any, path: str, check: Callable[[Any], str | None]) -> tuple[Any, ...]:
    values = value if isinstance(value, list) else [value]
    if not values:
        raise _fail(path, "expected at least one value")
    for i, v in enumerate(values):
        if (problem := check(v)) is not None:
            raise _fail(
                f"{path}[{i}]" if isinstance(value, list) else path,
                f"expected {problem}, got {v!r}",
            )
    return tuple(values)


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _fail(path, f"expected true or false, got {value!r}")
    return value


def _int(value: Any, path: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise _fail(path, f"expected an integer, got {value!r}")
    return value


def _mapping(value: Any, path: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(path, f"expected a mapping with {', '.join(allowed)}")
    for key in value:
        if key not in allowed:
            raise _fail(f"{path}.{key}", f"unknown key; expected one of {', '.join(allowed)}")
    return value


def _one_of(*choices: str) -> Callable[[Any], str | None]:
    return lambda v: None if v in choices else "one of " + ", ".join(choices)


def _element_property_value(facts: Facts, e: Any, name: str) -> Any:
    return facts.props[e.id].get(name)


class ConditionCompiler:
    """Compiles conditions against a catalog; ``scope`` names the components a rule targets."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    # -- entry point ----------------------------------------------------------------------
    def compile(self, raw: Any, path: str, target: str, scope: tuple[str, ...] = ()) -> Pred:
        if not isinstance(raw, dict) or len(raw) != 1:
            allowed = ", ".join(COMBINATORS + MATCHERS[target])
            raise _fail(path, f"expected a mapping with exactly one key, one of: {allowed}")
        ((key, value),) = raw.items()
        sub = f"{path}.{key}"
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise _fail(sub, "expected a non-empty list of conditions")
            preds = tuple(
                self.compile(v, f"{sub}[{i}]", target, scope) for i, v in enumerate(value)
            )
            return _all(preds) if key == "all" else _any(preds)
        if key == "not":
            pred = self.compile(value, sub, target, scope)
            return lambda facts, obj: not pred(facts, obj)
        if key not in MATCHERS[target]:
            others = [t for t in TARGETS if key in MATCHERS[t]]
            hint = f" (it applies to {' and '.join(others)} targets)" if others else ""
            raise _fail(
                sub,
                f"unknown matcher for a {target} target{hint}; expected one of: "
                + ", ".join(COMBINATORS + MATCHERS[target]),
            )
        return getattr(self, f"_{target}_{key}")(value, sub, scope)

    # -- element matchers -----------------------------------------------------------------
    def _property_spec(self, name: Any, path: str, scope: tuple[str, ...]) -> PropertySpec | None:
        """The property as the scope's components declare it (several may; they must agree)."""
        if not isinstance(name, str):
            raise _fail(path, f"expected a property name, got {name!r}")
        components = [self.catalog.components[c] for c in scope if c in self.catalog.components]
        if not components:
            components = list(self.catalog.components.values())
        specs = [spec for c in components if (spec := c.property(name)) is not None]
        if not specs:
            known = sorted({p.name for c in components for p in c.properties})
            of = " of " + ", ".join(c.id for c in components) if len(components) <= 3 else ""
            raise _fail(path, f"unknown property {name!r}{of}; known: {', '.join(known)}")
        if len(specs) == 1:
            return specs[0]
        # Same name on several components (seccomp_profile of docker.container and k8s.pod):
        # a value is fine when one of them accepts it.
        return PropertySpec(
            name=name,
            type=specs[0].type if len({s.type for s in specs}) == 1 else "any",
            default=None,
            values=tuple(v for s in specs for v in s.values),
        )

    def _value_check(
        self, spec: PropertySpec | None, ftype: str | None
    ) -> Callable[[Any], str | None]:
        if spec is not None and spec.type != "any":
            return spec.check
        if spec is not None:  # several components: any of their enum values, or a plain value
            if spec.values:
                return lambda v: None if v in spec.values else "one of " + ", ".join(spec.values)
            return lambda v: None if isinstance(v, (str, int, bool, list)) else "a plain value"
        if ftype == "bool":
            return lambda v: None if isinstance(v, bool) else "true or false"
        if ftype == "int":
            return lambda v: (
                None if isinstance(v, int) and not isinstance(v, bool) else "an integer"
            )
        return lambda v: None if isinstance(v, (str, int, bool)) else "a plain value"

    def _property_test(
        self,
        value: Any,
        path: str,
        spec: PropertySpec | None,
        ftype: str | None,
        getter: Callable[[Facts, Any, str], Any],
    ) -> Pred:
        value = _mapping(value, path, ("name",) + PROPERTY_TESTS)
        name = value.get("name")
        tests = [k for k in value if k != "name"]
        if "name" not in value or len(tests) != 1:
            raise _fail(path, "expected 'name' and exactly one of " + ", ".join(PROPERTY_TESTS))
        test, arg = tests[0], value[tests[0]]
        sub = f"{path}.{test}"
        check = self._value_check(spec, ftype)
        if test in ("equals", "not_equals"):
            if (problem := check(arg)) is not None:
                raise _fail(sub, f"expected {problem}, got {arg!r}")
            if getter is _element_property_value:  # most tests of most rules: one call
                if test == "equals":
                    return lambda facts, e: facts.props[e.id].get(name) == arg
                return lambda facts, e: facts.props[e.id].get(name) != arg
            if test == "equals":
                return lambda facts, obj: getter(facts, obj, name) == arg
            return lambda facts, obj: getter(facts, obj, name) != arg
        if test == "in":
            choices = _as_list(arg, sub, check)
            return lambda facts, obj: getter(facts, obj, name) in choices
        if test == "contains":
            if not isinstance(arg, str):
                raise _fail(sub, f"expected a string, got {arg!r}")
            if spec is not None and spec.type not in ("list", "any"):
                raise _fail(sub, f"'contains' needs a list property; {name} is {spec.type}")
            return lambda facts, obj: arg in (getter(facts, obj, name) or ())
        if test == "matches":
            # the whole value (or, for a list, any item) matches a regular expression; values
            # can come from imported files: keep patterns free of nested unbounded quantifiers
            if not isinstance(arg, str) or not arg:
                raise _fail(sub, f"expected a regular expression, got {arg!r}")
            try:
                pattern = re.compile(arg)
            except re.error as exc:
                raise _fail(sub, f"invalid regular expression: {exc}") from None

            def matches(facts: Facts, obj: Any) -> bool:
                v = getter(facts, obj, name)
                items = v if isinstance(v, list) else [v]
                return any(isinstance(i, str) and pattern.fullmatch(i) for i in items)

            return matches
        if test == "empty":
            want = _bool(arg, sub)
            return lambda facts, obj: (not getter(facts, obj, name)) == want
        limit = _int(arg, sub)
        if spec is not None and spec.type not in ("int", "any"):
            raise _fail(sub, f"'{test}' needs an integer property; {name} is {spec.type}")

        def compare(facts: Facts, obj: Any) -> bool:
            v = getter(facts, obj, name)
            return isinstance(v, int) and (v > limit if test == "gt" else v < limit)

        return compare

    def _element_property(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        spec = self._property_spec(
            value.get("name") if isinstance(value, dict) else None, f"{path}.name", scope
        )
        return self._property_test(value, path, spec, None, _element_property_value)

    def _element_component(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        known = self.catalog.components
        ids = frozenset(
            _as_list(
                value,
                path,
                lambda v: (
                    None
                    if v in known
                    else "a component id of the catalog (e.g. docker.daemon, k8s.etcd)"
                ),
            )
        )
        return lambda facts, e: e.component in ids

    def _element_kind(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        kinds = frozenset(_as_list(value, path, _one_of(*KINDS)))
        return lambda facts, e: facts.kind[e.id] in kinds

    def _element_reachable_from_untrusted(
        self, value: Any, path: str, scope: tuple[str, ...]
    ) -> Pred:
        want = _bool(value, path)
        return lambda facts, e: (e.id in facts.reachable_from_untrusted) == want

    def _element_unauthenticated_path_from_external(
        self, value: Any, path: str, scope: tuple[str, ...]
    ) -> Pred:
        want = _bool(value, path)
        return lambda facts, e: (e.id in facts.unauthenticated_from_external) == want

    def _element_exposed(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        want = _bool(value, path)
        return lambda facts, e: (e.id in facts.exposed) == want

    def _neighbour(self, value: Any, path: str, incoming: bool) -> Pred:
        value = _mapping(value, path, ("element", "flow"))
        element = (
            self.compile(value["element"], f"{path}.element", "element")
            if "element" in value
            else None
        )
        flow = self.flow_spec(value["flow"], f"{path}.flow") if "flow" in value else None

        def match(facts: Facts, e: Any) -> bool:
            flows = facts.in_flows.get(e.id, ()) if incoming else facts.out_flows.get(e.id, ())
            for f in flows:
                if flow is not None and not flow(facts, f):
                    continue
                other = facts.elements[f.source if incoming else f.target]
                if element is None or element(facts, other):
                    return True
            return False

        return match

    def _element_has_flow_from(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        return self._neighbour(value, path, incoming=True)

    def _element_has_flow_to(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        return self._neighbour(value, path, incoming=False)

    def _boundary_kinds(self, value: Any, path: str) -> frozenset[str]:
        return frozenset(_as_list(value, path, _one_of(*BOUNDARY_KINDS)))

    def _element_shares_boundary_with(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        value = _mapping(value, path, ("kind", "element"))
        kinds = self._boundary_kinds(value["kind"], f"{path}.kind") if "kind" in value else None
        other = (
            self.compile(value["element"], f"{path}.element", "element")
            if "element" in value
            else None
        )
        key = object()  # identifies this matcher in the per-derivation memo

        def match(facts: Facts, e: Any) -> bool:
            boundary = next(
                (
                    b
                    for b in facts.chain[e.id]
                    if kinds is None or facts.boundaries[b].kind in kinds
                ),
                None,
            )
            if boundary is None:
                return False
            # How many members match is the same for every target in the boundary: count once.
            memo_key = (key, boundary)
            if (count := facts.memo.get(memo_key)) is None:
                count = sum(
                    1
                    for m in facts.members[boundary]
                    if other is None or other(facts, facts.elements[m])
                )
                facts.memo[memo_key] = count
            self_counts = other is None or other(facts, e)
            return count - (1 if self_counts else 0) > 0

        return match

    def _element_in_boundary(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        boundary = self._boundary_test(value, path)
        return lambda facts, e: any(boundary(facts, facts.boundaries[b]) for b in facts.chain[e.id])

    def _model_has(self, value: Any, path: str) -> Pred:
        element = self.compile(value, path, "element")
        key = object()

        def match(facts: Facts, obj: Any) -> bool:
            memo_key = (key, "")
            if (found := facts.memo.get(memo_key)) is None:
                found = any(element(facts, e) for e in facts.elements.values())
                facts.memo[memo_key] = found
            return found

        return match

    def _element_model_has(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        return self._model_has(value, path)

    # -- flow matchers --------------------------------------------------------------------
    def flow_spec(self, value: Any, path: str) -> Pred:
        """``{encrypted, authenticated, protocol, port, data, channel, crosses_boundary}``, each
        optional."""
        value = _mapping(
            value,
            path,
            (
                "encrypted",
                "authenticated",
                "protocol",
                "port",
                "data",
                "channel",
                "crosses_boundary",
            ),
        )
        tests: list[Pred] = []
        for key, arg in value.items():
            sub = f"{path}.{key}"
            if key in ("encrypted", "crosses_boundary"):
                want = _bool(arg, sub)
                tests.append(_encrypted_is(want) if key == "encrypted" else _crosses_is(want))
                continue
            check = {
                "authenticated": _one_of(*AUTHENTICATION_VALUES),
                "data": _one_of(*CLASSIFICATIONS),
                "channel": _one_of(*CHANNELS),
                "protocol": lambda v: None if isinstance(v, str) else "a protocol name",
                "port": lambda v: (
                    None if isinstance(v, int) and not isinstance(v, bool) else "a port number"
                ),
            }[key]
            choices = frozenset(_as_list(arg, sub, check))
            tests.append(_flow_field_in(key, choices))
        return lambda facts, f: all(t(facts, f) for t in tests)

    def _flow_flow(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        return self.flow_spec(value, path)

    def _flow_property(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        name = value.get("name") if isinstance(value, dict) else None
        if name not in FLOW_FIELDS:
            raise _fail(
                f"{path}.name", f"unknown flow field {name!r}; known: {', '.join(FLOW_FIELDS)}"
            )
        return self._property_test(
            value, path, None, FLOW_FIELDS[name], lambda facts, f, n: getattr(f, n)
        )

    def _flow_source(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        pred = self.compile(value, path, "element")
        return lambda facts, f: pred(facts, facts.elements[f.source])

    def _flow_target(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        pred = self.compile(value, path, "element")
        return lambda facts, f: pred(facts, facts.elements[f.target])

    def _flow_crosses_boundary(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        want = _bool(value, path)
        return lambda facts, f: bool(facts.crossed.get(f.id)) == want

    def _flow_enters_higher_trust(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        want = _bool(value, path)
        return lambda facts, f: facts.enters_higher.get(f.id, False) == want

    def _flow_model_has(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        return self._model_has(value, path)

    # -- boundary matchers ----------------------------------------------------------------
    def _boundary_test(self, value: Any, path: str) -> Pred:
        value = _mapping(value, path, ("kind", "trust_lt", "trust_gt", "trust"))
        tests: list[Pred] = []
        if "kind" in value:
            kinds = self._boundary_kinds(value["kind"], f"{path}.kind")
            tests.append(lambda facts, b: b.kind in kinds)
        for key, op in (("trust_lt", int.__lt__), ("trust_gt", int.__gt__), ("trust", int.__eq__)):
            if key in value:
                limit = _int(value[key], f"{path}.{key}")
                tests.append(_trust_compares(op, limit))
        return lambda facts, b: all(t(facts, b) for t in tests)

    def _boundary_boundary(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        return self._boundary_test(value, path)

    def _boundary_contains(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        pred = self.compile(value, path, "element")
        return lambda facts, b: any(
            pred(facts, facts.elements[m]) for m in facts.members.get(b.id, ())
        )

    def _boundary_model_has(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        return self._model_has(value, path)

    # -- library matchers (versions, mixed boundaries) ------------------------------------
    def _element_release_unsupported(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        """The element's ``version`` is a release its project no longer supports
        (resources/versions.yaml); an empty or unknown version never matches ``true``."""
        want = _bool(value, path)
        table = release_table()

        def match(facts: Facts, e: Any) -> bool:
            status = table.status(e.component, facts.props[e.id].get("version"))
            return (status == UNSUPPORTED) == want

        return match

    def _element_model_has_boundary(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        """Some boundary of the model matches (e.g. namespaces are drawn): structure only."""
        boundary = self._boundary_test(value, path)
        key = object()

        def match(facts: Facts, e: Any) -> bool:
            memo_key = (key, "")
            if (found := facts.memo.get(memo_key)) is None:
                found = any(boundary(facts, b) for b in facts.boundaries.values())
                facts.memo[memo_key] = found
            return found

        return match

    def _boundary_directly_contains(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        """An element whose innermost boundary is this one matches (``contains`` also looks into
        nested boundaries: a cloud account "contains" the API server of its cluster's node)."""
        pred = self.compile(value, path, "element")
        return lambda facts, b: any(
            facts.chain[m][0] == b.id and pred(facts, facts.elements[m])
            for m in facts.members.get(b.id, ())
        )

    def _boundary_members_differ(self, value: Any, path: str, scope: tuple[str, ...]) -> Pred:
        """At least two members matching ``element`` have different values of ``property``
        (pods of several namespaces on one node)."""
        value = _mapping(value, path, ("property", "element"))
        name = value.get("property")
        if not isinstance(name, str):
            raise _fail(f"{path}.property", f"expected a property name, got {name!r}")
        self._property_spec(name, f"{path}.property", ())
        element = (
            self.compile(value["element"], f"{path}.element", "element")
            if "element" in value
            else None
        )

        def match(facts: Facts, b: Any) -> bool:
            seen = set()
            for m in facts.members.get(b.id, ()):
                if element is None or element(facts, facts.elements[m]):
                    prop = facts.props[m].get(name)
                    seen.add(repr(prop))
                    if len(seen) > 1:
                        return True
            return False

        return match


Components = frozenset[str] | None  # None: any component


def required_components(when: Any) -> Components:
    """The components an element must be of for the element condition ``when`` to hold, as far
    as the condition says so (``component`` matchers under ``all`` and ``any``); None: any."""
    if not isinstance(when, dict) or len(when) != 1:
        return None
    ((key, value),) = when.items()
    if key == "component":
        return frozenset(value if isinstance(value, list) else [value])
    if key in ("all", "any") and isinstance(value, list):
        parts = [required_components(v) for v in value]
        known = [p for p in parts if p is not None]
        if key == "all":
            return frozenset.intersection(*known) if known else None
        return frozenset().union(*known) if len(known) == len(parts) else None
    return None


def required_ends(when: Any) -> tuple[Components, Components]:
    """The components a flow's source and target must be of for the flow condition ``when`` to
    hold, as far as it says so (``source``/``target`` matchers under ``all`` and ``any``): a
    flow rule is tried only on flows whose ends can match (none of the built-in flow rules names
    its components otherwise)."""
    if not isinstance(when, dict) or len(when) != 1:
        return None, None
    ((key, value),) = when.items()
    if key == "source":
        return required_components(value), None
    if key == "target":
        return None, required_components(value)
    if key in ("all", "any") and isinstance(value, list):
        parts = [required_ends(v) for v in value]
        ends: list[Components] = []
        for end in (0, 1):
            known = [e for p in parts if (e := p[end]) is not None]
            if key == "all":
                ends.append(frozenset.intersection(*known) if known else None)
            else:
                ends.append(frozenset().union(*known) if len(known) == len(parts) else None)
        return ends[0], ends[1]
    return None, None


PLACEHOLDERS = {
    "element": ("name", "id", "component", "boundary", "host"),
    "flow": (
        "name",
        "id",
        "component",
        "boundary",
        "host",
        "source",
        "target",
        "protocol",
        "port",
    ),
    "boundary": ("name", "id", "component", "boundary"),
}
_FIELD = re.compile(r"\{([^{}]*)\}")


def placeholder_problem(text: str, target: str) -> str | None:
    """None when every ``{placeholder}`` in ``text`` is known for this target."""
    allowed = PLACEHOLDERS[target]
    stripped = text.replace("{{", "").replace("}}", "")
    for name in _FIELD.findall(stripped):
        if name not in allowed:
            return f"unknown placeholder {{{name}}} for a {target} rule; known: " + ", ".join(
                "{" + a + "}" for a in allowed
            )
    if "{" in _FIELD.sub("", stripped) or "}" in _FIELD.sub("", stripped):
        return "unbalanced brace; write {{ or }} for a literal brace"
    return None
