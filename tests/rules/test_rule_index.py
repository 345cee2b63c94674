"""The rule index tries a rule only on targets where its condition can hold."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from stride_desktop.io import default_catalog, load_model
from stride_desktop.rules import load_rules
from stride_desktop.rules.conditions import required_components, required_ends
from stride_desktop.rules.graph import Facts
from stride_desktop.rules.loader import RuleIndex

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import make_model  # noqa: E402

POD, API = "k8s.pod", "k8s.apiserver"


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ({"component": [POD, API]}, {POD, API}),
        ({"component": POD}, {POD}),
        ({"all": [{"component": [POD, API]}, {"component": [API]}]}, {API}),
        ({"all": [{"component": [POD]}, {"kind": "process"}]}, {POD}),
        ({"any": [{"component": [POD]}, {"component": [API]}]}, {POD, API}),
        ({"any": [{"component": [POD]}, {"kind": "process"}]}, None),  # the kind admits any
        ({"not": {"component": [POD]}}, None),
        ({"property": {"name": "privileged", "equals": True}}, None),
    ],
)
def test_required_components(when: dict, expected: set[str] | None) -> None:
    assert required_components(when) == (None if expected is None else frozenset(expected))


def test_required_ends() -> None:
    source = {"source": {"component": [API]}}
    target = {"target": {"all": [{"component": [POD]}, {"kind": "process"}]}}
    assert required_ends({"all": [source, target, {"flow": {"encrypted": False}}]}) == (
        frozenset({API}),
        frozenset({POD}),
    )
    # either end may be the one: neither end alone is required
    assert required_ends({"any": [source, target]}) == (None, None)
    assert required_ends({"any": [target, {"target": {"component": [API]}}]}) == (
        None,
        frozenset({POD, API}),
    )
    assert required_ends({"not": source}) == (None, None)


@pytest.mark.parametrize("name", ["docker-host", "kubernetes-cluster", "synthetic-500"])
def test_index_keeps_every_flow_rule_that_holds(name: str) -> None:
    """Every flow rule whose condition holds on a flow is among those the index tries there,
    and the index leaves some rules out (a filter that keeps everything proves nothing)."""
    model = (
        make_model(500, seed=5)
        if name.startswith("synthetic")
        else load_model(ROOT / "models" / f"{name}.yaml")
    )
    rules = load_rules()
    facts = Facts(model, default_catalog())
    index = RuleIndex(rules)
    flow_rules = rules.by_target("flow")
    held = skipped = 0
    for f in facts.flows.values():
        tried = index.for_flow(
            facts.elements[f.source].component, facts.elements[f.target].component
        )
        for rule in flow_rules:
            if rule.condition is not None and rule.condition(facts, f):
                held += 1
                assert rule in tried, (rule.id, f.id)
            skipped += rule not in tried
    assert held > 0 and skipped > 0
