"""Layered drawing of one container: ranks (columns) and the order inside each column.

The nodes of a container are its elements and its child boundaries (as blocks). Ranks run left
to right: external entities in the first column, the flows' direction after that (cycles are
broken by dropping the edges that close them), data stores one column right of their users.
An edge spanning several columns gets a dummy node in each column between, so that the order
leaves a gap where its line runs. The order in each column comes from barycentre sweeps, keeping
the order with the fewest crossings. Everything is linear or n log n in nodes and edges.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict

EXTERNAL, STORE, PROCESS, DUMMY = "external", "store", "process", "dummy"
EXIT = "exit"  # where flows leave a boundary on the right: after everything else
SWEEPS = 8
MAX_SPAN = 12  # columns an edge may span and still get dummies (keeps huge models linear)


def _acyclic(nodes: list[str], edges: dict[tuple[str, str], float]) -> dict[str, list[str]]:
    """Successor lists without a light set of edges that close cycles.

    Eades, Lin and Smyth's greedy order, weighted: sinks go last, sources first, otherwise the
    node sending the most weight more than it receives goes next; edges pointing back in that
    order are dropped. Heaps keep it at E log V.
    """
    out: dict[str, dict[str, float]] = {n: {} for n in nodes}
    inc: dict[str, dict[str, float]] = {n: {} for n in nodes}
    for (a, b), w in edges.items():
        if a != b and a in out and b in out:
            out[a][b] = out[a].get(b, 0.0) + w
            inc[b][a] = inc[b].get(a, 0.0) + w
    out_w = {n: sum(out[n].values()) for n in nodes}
    in_w = {n: sum(inc[n].values()) for n in nodes}
    out_n = {n: len(out[n]) for n in nodes}
    in_n = {n: len(inc[n]) for n in nodes}
    index = {n: i for i, n in enumerate(nodes)}
    heap = [(-(out_w[n] - in_w[n]), index[n], n) for n in nodes]
    heapq.heapify(heap)
    sinks = [n for n in nodes if out_n[n] == 0]
    sources = [n for n in nodes if in_n[n] == 0 and out_n[n] > 0]
    removed: set[str] = set()
    first: list[str] = []
    last: list[str] = []

    def remove(node: str) -> None:
        removed.add(node)
        for b, w in out[node].items():
            if b not in removed:
                in_w[b] -= w
                in_n[b] -= 1
                heapq.heappush(heap, (-(out_w[b] - in_w[b]), index[b], b))
                if in_n[b] == 0 and out_n[b] > 0:
                    sources.append(b)
        for a, w in inc[node].items():
            if a not in removed:
                out_w[a] -= w
                out_n[a] -= 1
                heapq.heappush(heap, (-(out_w[a] - in_w[a]), index[a], a))
                if out_n[a] == 0:
                    sinks.append(a)

    while len(removed) < len(nodes):
        if sinks:
            node = sinks.pop()
            if node not in removed:
                last.append(node)
                remove(node)
            continue
        if sources:
            node = sources.pop()
            if node not in removed:
                first.append(node)
                remove(node)
            continue
        delta, _, node = heapq.heappop(heap)
        if node in removed or -delta != out_w[node] - in_w[node]:
            continue  # stale entry
        first.append(node)
        remove(node)
    position = {n: i for i, n in enumerate(first + last[::-1])}
    return {a: sorted(b for b in out[a] if position[b] > position[a]) for a in nodes}


def _topological(nodes: list[str], succ: dict[str, list[str]]) -> list[str]:
    indegree = dict.fromkeys(nodes, 0)
    for targets in succ.values():
        for b in targets:
            indegree[b] += 1
    ready = [n for n in nodes if indegree[n] == 0]
    ready.reverse()
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for b in succ[node]:
            indegree[b] -= 1
            if indegree[b] == 0:
                ready.append(b)
    return order


def assign_ranks(
    nodes: list[str], edges: dict[tuple[str, str], float], role: dict[str, str]
) -> dict[str, int]:
    """Column of every node: externals first, then the flow direction, stores after users."""
    externals = [n for n in nodes if role[n] == EXTERNAL]
    stores = [n for n in nodes if role[n] == STORE]
    exits = [n for n in nodes if role[n] == EXIT]
    core = [n for n in nodes if role[n] not in (EXTERNAL, STORE, EXIT)]
    core_set = set(core)
    first = 1 if externals else 0
    succ = _acyclic(core, {e: w for e, w in edges.items() if e[0] in core_set and e[1] in core_set})
    pred: dict[str, list[str]] = defaultdict(list)
    for a, targets in succ.items():
        for b in targets:
            pred[b].append(a)
    order = _topological(core, succ)
    entered = {b for a, b in edges if role.get(a) == EXTERNAL}  # stay next to the externals
    rank: dict[str, int] = {}
    for node in order:  # longest path from the sources
        rank[node] = max((rank[p] + 1 for p in pred[node]), default=first)
    for node in reversed(order):  # other sources move right, next to what they feed
        if not pred[node] and succ[node] and node not in entered:
            rank[node] = max(first, min(rank[s] for s in succ[node]) - 1)
    for node in externals:
        rank[node] = 0
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    last = max(rank.values(), default=first - 1)
    for node in stores:  # beside their users, on the right
        users = [rank[n] for n in neighbours[node] if n in rank and role[n] != STORE]
        rank[node] = max(users) + 1 if users else last + 1
    for node in exits:
        rank[node] = max(rank.values(), default=first - 1) + 1
    used = sorted(set(rank.values()))  # no empty columns
    compact = {r: i for i, r in enumerate(used)}
    return {n: compact[rank[n]] for n in nodes}


class Layering:
    """Columns of node ids (dummies included) and the weighted edges between adjacent columns."""

    def __init__(
        self, nodes: list[str], edges: dict[tuple[str, str], float], rank: dict[str, int]
    ) -> None:
        self.rank = dict(rank)
        self.role_dummy: set[str] = set()
        self.adj: dict[str, dict[str, float]] = defaultdict(dict)  # undirected, adjacent ranks
        self.long_edges: list[list[str]] = []  # chains through dummies, for straightening
        for (a, b), weight in sorted(edges.items()):
            if a == b:
                continue
            lo, hi = (a, b) if rank[a] <= rank[b] else (b, a)
            if rank[lo] == rank[hi] or rank[hi] - rank[lo] > MAX_SPAN:
                continue  # same column, or so long that its dummies would cost more than help
            chain = [lo]
            for r in range(rank[lo] + 1, rank[hi]):
                dummy = f"\0{lo}\0{hi}\0{r}"
                self.rank[dummy] = r
                self.role_dummy.add(dummy)
                chain.append(dummy)
            chain.append(hi)
            for u, v in itertools.pairwise(chain):
                self.adj[u][v] = self.adj[u].get(v, 0.0) + weight
                self.adj[v][u] = self.adj[v].get(u, 0.0) + weight
            if len(chain) > 2:
                self.long_edges.append(chain)
        count = max(self.rank.values(), default=-1) + 1
        self.columns: list[list[str]] = [[] for _ in range(count)]
        for node in nodes:
            self.columns[rank[node]].append(node)
        for dummy in sorted(self.role_dummy):
            self.columns[self.rank[dummy]].append(dummy)


def _initial_order(layering: Layering) -> None:
    """Breadth-first from the first column so that connected nodes start out close."""
    position: dict[str, float] = {}
    for index, column in enumerate(layering.columns):
        if index == 0:
            column.sort(key=lambda n: (n in layering.role_dummy, n))
        else:
            column.sort(key=lambda n: (_bary(n, layering, position, index - 1), n))
        for i, node in enumerate(column):
            position[node] = i


def _bary(node: str, layering: Layering, position: dict[str, float], side: int) -> float:
    total = weight = 0.0
    for other, w in layering.adj.get(node, {}).items():
        if layering.rank[other] == side and other in position:
            total += position[other] * w
            weight += w
    return total / weight if weight else float("inf")


def crossings_between(layering: Layering, left: list[str], right: list[str]) -> float:
    """Weighted crossings of the edges between two adjacent columns (Fenwick tree, E log V)."""
    pos_right = {n: i for i, n in enumerate(right)}
    pairs = []
    for i, node in enumerate(left):
        for other, w in layering.adj.get(node, {}).items():
            j = pos_right.get(other)
            if j is not None:
                pairs.append((i, j, w))
    pairs.sort()
    size = len(right) + 1
    tree = [0.0] * (size + 1)
    total_weight = 0.0
    crossings = 0.0
    for _, j, w in pairs:
        # weight of earlier edges ending strictly after j: they cross this one
        k, below = j + 1, 0.0
        while k > 0:
            below += tree[k]
            k -= k & -k
        crossings += w * (total_weight - below)
        k = j + 1
        while k <= size:
            tree[k] += w
            k += k & -k
        total_weight += w
    return crossings


def total_crossings(layering: Layering) -> float:
    cols = layering.columns
    return sum(crossings_between(layering, cols[i], cols[i + 1]) for i in range(len(cols) - 1))


def _sweep(layering: Layering, forward: bool) -> None:
    cols = layering.columns
    indices = range(1, len(cols)) if forward else range(len(cols) - 2, -1, -1)
    for index in indices:
        side = index - 1 if forward else index + 1
        position = {n: float(i) for i, n in enumerate(cols[side])}
        current = {n: i for i, n in enumerate(cols[index])}
        keys = {}
        for node in cols[index]:
            bary = _bary(node, layering, position, side)
            keys[node] = (current[node] if bary == float("inf") else bary, current[node])
        cols[index].sort(key=keys.__getitem__)


def order_columns(layering: Layering) -> None:
    """Barycentre sweeps left-right and right-left; keeps the order with fewest crossings."""
    _initial_order(layering)
    best = [list(c) for c in layering.columns]
    best_count = total_crossings(layering)
    for i in range(SWEEPS):
        if best_count == 0:
            break
        _sweep(layering, forward=i % 2 == 0)
        count = total_crossings(layering)
        if count < best_count:
            best, best_count = [list(c) for c in layering.columns], count
    layering.columns = best
