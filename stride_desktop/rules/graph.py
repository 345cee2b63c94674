"""Graph facts of one model, computed once per derivation and shared by every rule.

The DFD is held as adjacency dicts: element id -> the flows out of it (``out_flows``) and into
it (``in_flows``). The expensive facts (reachability from untrusted zones, unauthenticated
paths) are multi-source breadth-first searches over them, computed lazily and at most once.
networkx is not used here: building its graph cost more than the searches themselves (~0.1 s
at 10,000 elements) and importing it ~0.15 s of every ``threats`` command. ``Facts.graph``
still gives the DFD as a networkx MultiDiGraph, built (and networkx imported) only when asked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..model import Boundary, Catalog, Element, Flow, Model

if TYPE_CHECKING:
    import networkx as nx

    from .paths import AttackPaths
    from .risk import RiskTable


def _reach(successors: Mapping[str, Sequence[str]], starts: Iterable[str]) -> set[str]:
    """Nodes at the end of a directed path of at least one edge from any start node."""
    reached: set[str] = set()
    todo = [n for s in starts for n in successors.get(s, ())]
    while todo:
        node = todo.pop()
        if node not in reached:
            reached.add(node)
            todo += successors.get(node, ())
    return reached


class Facts:
    """Everything the matchers ask about a model, indexed by id."""

    def __init__(self, model: Model, catalog: Catalog):
        self.model = model
        self.catalog = catalog
        self.elements: dict[str, Element] = {e.id: e for e in model.elements}
        self.boundaries: dict[str, Boundary] = {b.id: b for b in model.boundaries}
        self.flows: dict[str, Flow] = {
            f.id: f for f in model.flows if f.source in self.elements and f.target in self.elements
        }
        self._boundary_chains: dict[str | None, tuple[str, ...]] = {None: ()}
        self.chain: dict[str, tuple[str, ...]] = {}
        self.trust: dict[str, int] = {}
        self.kind: dict[str, str] = {}
        self.props: dict[str, dict[str, Any]] = {}
        self.component_name: dict[str, str] = {}
        chains, chain_of, trust_of = self._boundary_chains, self.chain, self.trust
        kind_of, props_of, name_of = self.kind, self.props, self.component_name
        boundaries = self.boundaries
        # per component: (DFD kind, name, property defaults); unknown ones are processes
        specs = {
            cid: (spec.kind.value, spec.name, spec.defaults())
            for cid, spec in catalog.components.items()
        }
        for e in model.elements:
            eid = e.id
            chain = chains.get(e.boundary)
            if chain is None:
                chain = self.boundary_chain(e.boundary)
            chain_of[eid] = chain
            trust_of[eid] = boundaries[chain[0]].trust if chain else 0
            spec = specs.get(e.component)
            if spec is not None:
                kind_of[eid], name_of[eid], defaults = spec
                props_of[eid] = {**defaults, **e.properties}
            else:
                kind_of[eid], name_of[eid] = "process", e.component
                props_of[eid] = dict(e.properties)
        self.in_flows: dict[str, list[Flow]] = defaultdict(list)
        self.out_flows: dict[str, list[Flow]] = defaultdict(list)
        self.crossed: dict[str, tuple[str, ...]] = {}
        self.enters_higher: dict[str, bool] = {}
        out_flows, in_flows = self.out_flows, self.in_flows
        crossed, higher = self.crossed, self.enters_higher
        # boundaries crossed between two innermost boundaries: the same for every such flow
        crossings: dict[tuple[str | None, str | None], tuple[str, ...]] = {}
        for fid, f in self.flows.items():
            source, target = f.source, f.target
            out_flows[source].append(f)
            in_flows[target].append(f)
            src, dst = chain_of[source], chain_of[target]
            if src == dst:
                crossed[fid] = ()
                higher[fid] = False
                continue
            key = (src[0] if src else None, dst[0] if dst else None)
            if (crossing := crossings.get(key)) is None:
                dst_set, src_set = set(dst), set(src)
                # Left boundaries (innermost first), then entered ones (outermost first).
                crossing = crossings[key] = tuple(b for b in src if b not in dst_set) + tuple(
                    b for b in reversed(dst) if b not in src_set
                )
            crossed[fid] = crossing
            higher[fid] = trust_of[target] > trust_of[source]
        self.memo: dict[tuple[object, str], Any] = {}  # per-derivation caches of the matchers

    def boundary_chain(self, boundary_id: str | None) -> tuple[str, ...]:
        """The boundary and its ancestors, innermost first (memoized; stops on a cycle)."""
        if boundary_id in self._boundary_chains:
            return self._boundary_chains[boundary_id]
        chain: list[str] = []
        current = boundary_id
        while current is not None and current in self.boundaries and current not in chain:
            if current in self._boundary_chains:
                chain.extend(b for b in self._boundary_chains[current] if b not in chain)
                break
            chain.append(current)
            current = self.boundaries[current].parent
        result = tuple(chain)
        self._boundary_chains[boundary_id] = result
        return result

    def boundary_name(self, element_id: str) -> str:
        chain = self.chain.get(element_id, ())
        return self.boundaries[chain[0]].name or chain[0] if chain else "outside any boundary"

    # -- graph facts, each one BFS over the whole model -------------------------------------
    @property
    def graph(self) -> nx.MultiDiGraph:
        """The DFD as a networkx MultiDiGraph (nodes: element ids; edges: flows keyed by flow id),
        for analyses beyond the engine's; built on each call (derivation never needs it)."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        graph.add_nodes_from(self.elements)
        graph.add_edges_from((f.source, f.target, f.id) for f in self.flows.values())
        return graph

    @cached_property
    def successors(self) -> dict[str, list[str]]:
        """Element id -> the targets of its flows (one per flow)."""
        return {e: [f.target for f in flows] for e, flows in self.out_flows.items()}

    @cached_property
    def reachable_from_untrusted(self) -> frozenset[str]:
        """Elements with a path from a trust-0 element, or from an external entity of lower trust."""
        successors, trust = self.successors, self.trust
        reached = _reach(successors, [e for e, t in trust.items() if t == 0])
        externals: dict[int, list[str]] = defaultdict(list)
        for e, kind in self.kind.items():
            if kind == "external_entity" and trust[e] > 0:
                externals[trust[e]].append(e)
        for level in sorted(externals):
            reached |= {n for n in _reach(successors, externals[level]) if trust[n] > level}
        return frozenset(reached)

    @cached_property
    def unauthenticated_from_external(self) -> frozenset[str]:
        """Elements at the end of a path from an external entity with no authenticated flow."""
        open_successors: dict[str, list[str]] = defaultdict(list)
        for f in self.flows.values():
            if f.authenticated == "none":
                open_successors[f.source].append(f.target)
        return frozenset(
            _reach(open_successors, [e for e, k in self.kind.items() if k == "external_entity"])
        )

    @cached_property
    def exposed(self) -> frozenset[str]:
        """Elements receiving a flow that crosses a boundary from lower trust."""
        return frozenset(f.target for f in self.flows.values() if self.enters_higher[f.id])

    @cached_property
    def members(self) -> dict[str, list[str]]:
        """Boundary id -> ids of the elements inside it, nested boundaries included."""
        members: dict[str, list[str]] = defaultdict(list)
        for e, chain in self.chain.items():
            for b in chain:
                members[b].append(e)
        return members

    @cached_property
    def exposes(self) -> dict[str, bool]:
        """Flow id -> whether it exposes its target directly: it enters a boundary of higher
        trust, or comes from an external entity (a person or system we do not control)."""
        kind = self.kind
        return {
            fid: self.enters_higher[fid] or kind[f.source] == "external_entity"
            for fid, f in self.flows.items()
        }

    @cached_property
    def direct_exposure(self) -> dict[str, Flow]:
        """Element id -> the flow that exposes it directly (flows entering higher trust first,
        then by id, so the choice does not depend on the model's order)."""
        chosen: dict[str, Flow] = {}
        exposes, higher = self.exposes, self.enters_higher
        for fid, f in self.flows.items():
            if not exposes[fid]:
                continue
            best = chosen.get(f.target)
            if best is None or (not higher[fid], fid) < (not higher[best.id], best.id):
                chosen[f.target] = f
        return chosen

    def attack_paths(self, risk: RiskTable, *, content: bool = False) -> AttackPaths:
        """The cheapest attack paths to every element (rules.paths), computed once per table."""
        from .paths import AttackPaths

        key = ("attack_paths", f"{id(risk)}{content}")
        if (hit := self.memo.get(key)) is None:
            hit = self.memo[key] = AttackPaths(self, risk, content=content)
        return hit

    def flow_exposed(self, flow: Flow) -> bool:
        return self.enters_higher.get(flow.id, False)

    def element_exposed(self, element_id: str) -> bool:
        """Directly exposed (what raises severity); ``reachable_from_untrusted`` is wider."""
        return element_id in self.direct_exposure

    def host_of(self, element_id: str) -> str | None:
        """The enclosing host or node boundary (what a container shares its kernel with)."""
        chain = self.chain.get(element_id, ())
        return next((b for b in chain if self.boundaries[b].kind in ("host", "node")), None)

    def host_name(self, element_id: str) -> str:
        """The enclosing host or node boundary's name, or "its host" when none is drawn."""
        host = self.host_of(element_id)
        if host is None:
            return "its host"
        return self.boundaries[host].name or host
