"""The graph facts walk plain adjacency dicts; networkx's own searches are the reference."""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

from stride_desktop.io import default_catalog, load_model
from stride_desktop.model import Model
from stride_desktop.rules.graph import Facts

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import make_model  # noqa: E402


def _reach(graph: nx.DiGraph, starts: list[str]) -> set[str]:
    """What networkx reaches from ``starts`` along one or more flows."""
    reached: set[str] = set()
    for start in starts:
        for first in graph.successors(start) if start in graph else ():
            reached |= {first, *nx.descendants(graph, first)}
    return reached


MODELS = {p.stem: p for p in sorted((ROOT / "models").glob("*.yaml"))}


def _model(name: str) -> Model:
    return make_model(300, seed=3) if name == "synthetic-300" else load_model(MODELS[name])


@pytest.mark.parametrize("name", [*MODELS, "synthetic-300"])
def test_graph_facts_match_networkx(name: str) -> None:
    facts = Facts(_model(name), default_catalog())
    graph = facts.graph  # the MultiDiGraph, built on request
    assert isinstance(graph, nx.MultiDiGraph)
    assert set(graph.nodes) == set(facts.elements)
    assert sorted(k for _, _, k in graph.edges(keys=True)) == sorted(facts.flows)

    simple = nx.DiGraph(graph)
    untrusted = _reach(simple, [e for e, t in facts.trust.items() if t == 0])
    for level in sorted({facts.trust[e] for e, k in facts.kind.items() if k == "external_entity"}):
        if level == 0:
            continue
        starts = [
            e for e, k in facts.kind.items() if k == "external_entity" and facts.trust[e] == level
        ]
        untrusted |= {n for n in _reach(simple, starts) if facts.trust[n] > level}
    assert facts.reachable_from_untrusted == untrusted

    unauthenticated = nx.DiGraph(
        (f.source, f.target) for f in facts.flows.values() if f.authenticated == "none"
    )
    externals = [e for e, k in facts.kind.items() if k == "external_entity"]
    assert facts.unauthenticated_from_external == _reach(unauthenticated, externals)
    # a model where both facts hold somewhere and not everywhere tests something
    if name in ("docker-host", "synthetic-300"):
        assert 0 < len(facts.reachable_from_untrusted) < len(facts.elements)
        assert 0 < len(facts.unauthenticated_from_external) < len(facts.elements)
