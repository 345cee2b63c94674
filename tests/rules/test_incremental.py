"""rederive() after property and name edits equals a full derive(), for random models and edits."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stride_desktop.io import default_catalog
from stride_desktop.model import Model
from stride_desktop.rules import RuleSet, derive, load_rules, loads_rules
from stride_desktop.rules.incremental import (
    GLOBAL,
    IncrementalCache,
    affected,
    property_reach,
    rederive,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from synthetic import make_model

CATALOG = default_catalog()
LIBRARY = load_rules(catalog=CATALOG)
# Nested relational matchers, a rule that supersedes another and a boundary rule on members:
# what a property read can reach goes two steps further than in the built-in library.
NESTED = loads_rules(
    """
rules:
  - id: T-NEIGHBOUR-OF-NEIGHBOUR
    category: Tampering
    severity: high
    target: element
    when:
      has_flow_from:
        element:
          has_flow_to:
            element:
              has_flow_from: {element: {property: {name: read_only_rootfs, equals: true}}}
    title: "{name} is three hops from a privileged container"
    description: "{name}."
  - id: T-SUPERSEDES
    category: Tampering
    severity: critical
    target: element
    when:
      all:
        - property: {name: privileged, equals: true}
        - shares_boundary_with: {kind: [network, node], element: {has_flow_to: {element: {property: {name: read_only_rootfs, equals: false}}}}}
    supersedes: [T-NEIGHBOUR-OF-NEIGHBOUR]
    title: "{name} supersedes"
    description: "{name}."
  - id: T-FLOW-ENDS
    category: Information Disclosure
    severity: medium
    target: flow
    when: {source: {has_flow_from: {element: {property: {name: privileged, equals: true}}}}}
    title: "{name} flows on"
    description: "{name}."
  - id: T-BOUNDARY-MEMBERS
    category: Denial of Service
    severity: low
    target: boundary
    when: {contains: {property: {name: privileged, equals: true}}}
    title: "{name} holds a privileged container"
    description: "{name}."
""",
    catalog=CATALOG,
)
COMBINED = RuleSet.of([*LIBRARY, *NESTED])
# Only reads of the target's own properties (reach 0), with flow rules on their ends' properties
# that change which threat carries a folded element baseline.
FLAT = RuleSet.of(
    [
        *(
            r
            for r in LIBRARY
            if r.when is None
            or ("_flow_" not in repr(r.when) and "shares_boundary" not in repr(r.when))
        ),
        *loads_rules(
            """
rules:
  - id: T-FLOW-TO-PRIVILEGED-D
    category: Denial of Service
    severity: high
    target: flow
    when: {target: {property: {name: privileged, equals: true}}}
    title: "{name} reaches a privileged container"
    description: "{name}."
  - id: T-FLOW-FROM-UNPRIVILEGED-D
    category: Denial of Service
    severity: high
    target: flow
    when: {source: {property: {name: privileged, equals: false}}}
    title: "{name} leaves an unprivileged container"
    description: "{name}."
""",
            catalog=CATALOG,
        ),
    ]
)


def random_edit(model: Model, rng: random.Random) -> str:
    """Flip or choose one catalog property of a random element (or rename it); its id."""
    element = rng.choice(model.elements)
    spec = CATALOG.components.get(element.component)
    props = [p for p in spec.properties if p.type in ("bool", "enum")] if spec else []
    if not props or rng.random() < 0.1:
        element.name = f"renamed {rng.randrange(1000)}"
        return element.id
    # the properties the test rules read, half of the time (else they would seldom change)
    favoured = [p for p in props if p.name in ("privileged", "read_only_rootfs")]
    p = rng.choice(favoured if favoured and rng.random() < 0.5 else props)
    if p.type == "bool":
        element.properties[p.name] = not element.properties.get(p.name, p.default)
    else:
        element.properties[p.name] = rng.choice(p.values)
    if rng.random() < 0.2:
        element.properties.pop(p.name, None)  # back to the default
    return element.id


def same(a: list, b: list) -> None:
    assert [t.id for t in a] == [t.id for t in b]
    for x, y in zip(a, b):
        assert x == y, x.id


@pytest.mark.parametrize("rules", [LIBRARY, COMBINED, FLAT], ids=["library", "nested", "flat"])
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(20, 120),
    seed=st.integers(0, 10_000),
    edits=st.lists(st.integers(1, 3), min_size=1, max_size=4),
)
def test_rederive_equals_derive_after_random_property_edits(rules, n, seed, edits):
    model = make_model(n, seed=seed)
    rng = random.Random(seed)
    cache = IncrementalCache()
    cache.facts_for(model, CATALOG, ())
    previous = derive(model, rules, catalog=CATALOG)
    for count in edits:  # several rounds, each editing a few elements, reusing the cache
        changed = {random_edit(model, rng) for _ in range(count)}
        result = rederive(previous, model, rules, changed, catalog=CATALOG, cache=cache)
        same(result, derive(model, rules, catalog=CATALOG))
        previous = result


def test_rederive_reuses_untouched_threats_and_scope_is_local():
    model = make_model(400, seed=3)
    cache = IncrementalCache()
    cache.facts_for(model, CATALOG, ())
    previous = derive(model, LIBRARY, catalog=CATALOG)
    element = next(e for e in model.elements if e.component == "docker.container")
    element.properties["privileged"] = not element.properties.get("privileged", False)
    elements, flows, boundaries = affected(cache.facts, LIBRARY, [element.id])  # type: ignore[arg-type]
    assert element.id in elements and len(elements) < len(model.elements) // 2
    result = rederive(previous, model, LIBRARY, [element.id], catalog=CATALOG, cache=cache)
    same(result, derive(model, LIBRARY, catalog=CATALOG))
    untouched = {t.id: t for t in previous if t.target not in elements | flows | boundaries}
    assert untouched and all(untouched[t.id] is t for t in result if t.id in untouched)


def test_structure_change_falls_back_to_full_derivation():
    model = make_model(60, seed=1)
    cache = IncrementalCache()
    cache.facts_for(model, CATALOG, ())
    previous = derive(model, LIBRARY, catalog=CATALOG)
    model.flows[0].encrypted = not model.flows[0].encrypted  # not a property edit: facts change
    result = rederive(previous, model, LIBRARY, [], catalog=CATALOG, cache=cache)
    same(result, derive(model, LIBRARY, catalog=CATALOG))


def test_reach_of_matchers():
    assert property_reach(LIBRARY)[0] == 1  # shares_boundary_with / has_flow_from on a property
    assert property_reach(COMBINED)[0] == 3
    assert property_reach(FLAT)[0] == 0
    assert None not in property_reach(COMBINED)[1]
    # K8S-POD-PRIVILEGED-SHARED-NODE looks for pods by component only, K8S-RUNTIME-NOT-SANDBOXED
    # for reachable pods: no property read
    assert property_reach(LIBRARY)[2] == {"docker.container"}
    assert None in property_reach(COMBINED)[2]  # nested: any element may look
    global_rules = loads_rules(
        """
rules:
  - id: T-ANYWHERE
    category: Tampering
    severity: low
    target: element
    when: {model_has: {property: {name: privileged, equals: true}}}
    title: "{name}"
    description: "{name}."
""",
        catalog=CATALOG,
    )
    assert property_reach(global_rules)[0] >= GLOBAL


def test_a_property_read_three_flows_away_is_re_derived():
    from stride_desktop.model import Element, Flow

    three_hops = RuleSet.of([r for r in NESTED if r.id == "T-NEIGHBOUR-OF-NEIGHBOUR"])
    names = ("x", "w", "z", "y", "tail")
    model = Model(
        name="chain",
        elements=[
            Element(id=n, name=n, component="docker.container", pos=(0.0, 0.0)) for n in names
        ],
        flows=[
            Flow(id="f1", source="x", target="w"),
            Flow(id="f2", source="z", target="w"),
            Flow(id="f3", source="z", target="y"),
            Flow(id="f4", source="y", target="tail"),
        ],
    )
    cache = IncrementalCache()
    cache.facts_for(model, CATALOG, ())
    previous = derive(model, three_hops, catalog=CATALOG)
    assert not any(t.rule == "T-NEIGHBOUR-OF-NEIGHBOUR" for t in previous)
    model.elements[0].properties["read_only_rootfs"] = True
    result = rederive(previous, model, three_hops, ["x"], catalog=CATALOG, cache=cache)
    assert "T-NEIGHBOUR-OF-NEIGHBOUR@y" in {t.id for t in result}
    same(result, derive(model, three_hops, catalog=CATALOG))


def test_a_daemon_setting_reaches_the_containers_on_its_host():
    from stride_desktop.model import Boundary, Element

    model = Model(
        name="host",
        boundaries=[Boundary(id="h", name="Host", trust=2, kind="host")],
        elements=[
            Element(id=i, name=i, component=c, boundary="h", pos=(0.0, 0.0))
            for i, c in (
                ("dockerd", "docker.daemon"),
                ("c1", "docker.container"),
                ("c2", "docker.container"),
                ("vol", "docker.volume"),
            )
        ],
    )
    cache = IncrementalCache()
    cache.facts_for(model, CATALOG, ())
    previous = derive(model, LIBRARY, catalog=CATALOG)
    # the default container: root, writable, setuid-able (DOCKER-CONTAINER-NOT-HARDENED folds
    # DOCKER-CONTAINER-NEW-PRIVILEGES); the daemon setting takes the third part away
    assert "DOCKER-CONTAINER-NOT-HARDENED@c2" in {t.id for t in previous}
    model.elements[0].properties["no_new_privileges"] = True  # daemon.json covers every container
    result = rederive(previous, model, LIBRARY, ["dockerd"], catalog=CATALOG, cache=cache)
    assert "DOCKER-CONTAINER-NOT-HARDENED@c2" not in {t.id for t in result}
    same(result, derive(model, LIBRARY, catalog=CATALOG))


def test_a_primed_cache_serves_the_first_edit():
    model = make_model(300, seed=4)
    cache = IncrementalCache()
    cache.prime(model, CATALOG)
    facts = cache.facts
    assert facts is not None and "reachable_from_untrusted" in vars(facts)
    previous = derive(model, LIBRARY, catalog=CATALOG)
    element = next(e for e in model.elements if e.component == "docker.container")
    element.properties["privileged"] = not element.properties.get("privileged", False)
    result = rederive(previous, model, LIBRARY, [element.id], catalog=CATALOG, cache=cache)
    assert cache.facts is facts  # reused, not rebuilt
    same(result, derive(model, LIBRARY, catalog=CATALOG))
