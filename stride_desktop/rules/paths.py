"""Attack paths: the cheapest way from where an attacker can start, along the flows, to each element.

One multi-source Dijkstra per derivation (``resources/risk/severity.yaml`` gives the costs):

- starts: attacker actors (``attacker: true``), external entities of a trust-0 zone (the
  internet), other elements there (at ``untrusted_service``; servers such as a public registry
  only for content paths), elements marked reachable from the internet (``exposed``), and
  elements with a port published on every interface of their host (``published_ports``): anyone
  on the least trusted network that reaches the host, when it is less trusted than the element,
  past the login the element's own network flows ask for;
- ways in from a zone: anyone in a zone can send what an element of that zone sends over a
  network channel, so such a flow is a start at the sender zone's trust level (servers and data
  stores excluded: they only answer);
- each hop costs by its authentication (none < token/basic < mTLS), plus ``isolated`` when a
  network hop crosses into a network-isolated element.

The path that gives an element its cost is kept (ties broken by id, so the result does not depend
on the model's order) and told in words: "Customer (Internet) → ingress-nginx → api pod, every
hop unauthenticated".
"""

from __future__ import annotations

import heapq
from itertools import groupby
from typing import NamedTuple

from ..model import Flow
from .graph import Facts
from .risk import RiskTable

INF = float("inf")
AUTH_WORDS = {"none": "unauthenticated", "basic": "basic auth", "token": "token", "mtls": "mTLS"}
# How a reason names the exposure property a path starts at (never the raw property name).
EXPOSURE_WORDS = {
    "publicly_exposed": "its endpoint is public",
    "exposed_to_internet": "it is exposed to the internet",
}
# How a reason names the door a port published on every interface of the host opens.
PUBLISHED_WORDS = "its port published on every interface of {host}"
_COUNTS = {2: "two", 3: "three", 4: "four", 5: "five"}


class Entry(NamedTuple):  # one per element an attacker reaches: made as cheaply as a tuple
    """Where a path starts: an element (start), a zone sending a flow, an exposure property, or
    a port published on every interface of the element's host."""

    kind: str  # "start" | "zone" | "exposed" | "published"
    element: str  # the start element, the sender of the zone's flow, or the exposed element
    flow: Flow | None = None  # the zone's flow (kind "zone")
    detail: str = ""  # the exposure property; "published": the login the port asks for
    sender: str = ""  # "published": an element of the least trusted network reaching the host


class AttackPaths:
    """Cheapest path cost and its way in for every element an attacker can reach.

    ``content``: also start at servers of a trust-0 zone (a public registry). What they send is
    content their clients fetch (an image), a way in for tampering and code execution only; the
    request paths (``content=False``) leave them out."""

    def __init__(self, facts: Facts, risk: RiskTable, *, content: bool = False):
        self.facts, self.risk, self.content = facts, risk, content
        self.cost: dict[str, float] = {}
        self.entry: dict[str, Entry] = {}  # element -> how its cheapest path starts
        self.via: dict[str, Flow] = {}  # element -> the last flow of its cheapest path
        self._text: dict[str, str] = {}
        self._hops = {fid: self._hop(f) for fid, f in facts.flows.items()}
        self._host_networks: dict[str, str] | None = None
        self._run()

    # -- costs --------------------------------------------------------------------------------
    def hop(self, f: Flow) -> int:
        if (cost := self._hops.get(f.id)) is None:
            cost = self._hops[f.id] = self._hop(f)
        return cost

    def _hop(self, f: Flow) -> int:
        cost = self.risk.hop[f.authenticated]
        if (
            f.is_network
            and self.facts.crossed.get(f.id)
            and any(self.facts.props[f.target].get(p) for p in self.risk.isolation_properties)
        ):
            cost += self.risk.isolated
        return cost

    def zone_sender(self, element_id: str) -> bool:
        """Whether anyone in the element's zone could send what it sends on a network channel."""
        facts = self.facts
        return (
            facts.kind[element_id] != "data_store"
            and facts.elements[element_id].component not in self.risk.servers
        )

    def start_cost(self, element_id: str) -> tuple[float, Entry | None]:
        facts, risk = self.facts, self.risk
        kind, trust, props = (
            facts.kind[element_id],
            facts.trust[element_id],
            facts.props[element_id],
        )
        best: tuple[float, Entry | None] = (INF, None)
        if kind == "external_entity" and props.get("attacker"):
            best = (risk.start_attacker, Entry("start", element_id))
        elif trust == 0 and kind == "external_entity":
            best = (risk.start_untrusted_entity, Entry("start", element_id))
        elif trust == 0 and (
            self.content or facts.elements[element_id].component not in risk.servers
        ):
            best = (risk.start_untrusted_service, Entry("start", element_id))
        for name in risk.exposure_properties:
            if props.get(name) and risk.exposed < best[0]:
                best = (risk.exposed, Entry("exposed", element_id, detail=name))
        if (door := self.published(element_id)) is not None:
            sender, auth = door
            if (cost := facts.trust[sender] + risk.hop[auth]) < best[0]:
                best = (cost, Entry("published", element_id, detail=auth, sender=sender))
        return best

    # -- ports published on every interface ---------------------------------------------------
    def host_network(self, host: str) -> str | None:
        """The sender, outside ``host``, of the least trusted network flow into it (servers and
        data stores only answer): the network the host is reached from, None when none is."""
        if self._host_networks is None:  # every host in one pass over the flows
            facts = self.facts
            best: dict[str, tuple[int, str]] = {}
            chain, boundaries, trust = facts.chain, facts.boundaries, facts.trust
            for f in facts.flows.values():
                if not f.is_network or not self.zone_sender(f.source):
                    continue  # not a registry's answer to a pull
                outside = chain.get(f.source, ())
                key = (trust[f.source], f.source)
                for b in chain.get(f.target, ()):
                    entered = b not in outside and boundaries[b].kind in ("host", "node")
                    if entered and (b not in best or key < best[b]):
                        best[b] = key
            self._host_networks = {b: key[1] for b, key in best.items()}
        return self._host_networks.get(host)

    def door_auth(self, element_id: str, default: str = "none") -> str:
        """The weakest login the element's own network flows ask of a caller (``default`` when
        none is drawn)."""
        asked = [f.authenticated for f in self.facts.in_flows.get(element_id, ()) if f.is_network]
        return min(asked, key=lambda a: (self.risk.hop[a], a)) if asked else default

    def published(self, element_id: str) -> tuple[str, str] | None:
        """(sender, login) of the door a port published on every interface of the element's
        host opens to a less trusted network that reaches the host; None when there is none."""
        facts = self.facts
        if not self.risk.publishes_everywhere(facts.props[element_id]):
            return None
        host = facts.host_of(element_id)
        sender = self.host_network(host) if host is not None else None
        if sender is None or facts.trust[sender] >= facts.trust[element_id]:
            return None
        return sender, self.door_auth(element_id)

    def door_name(self, element_id: str) -> str:
        """ "Portainer through its port published on every interface of Docker host (app01)"."""
        host = PUBLISHED_WORDS.format(host=self.facts.host_name(element_id))
        return f"{self._name(element_id)} through {host}"

    def door_words(self, element_id: str, sender: str, auth: str) -> str:
        """The way in through the element's published port from ``sender``'s network."""
        return self.words([self.anyone_in(sender), self.door_name(element_id)], [], door=auth)

    def _run(self) -> None:
        facts = self.facts
        heap: list[tuple[float, str, str, Entry, Flow | None]] = []
        for eid in facts.elements:
            cost, entry = self.start_cost(eid)
            if entry is not None:
                # a published port ranks after drawn paths of equal cost: they read better
                rank = "4" if entry.kind == "published" else "0"
                heap.append((cost, eid, f"{rank}{eid}", entry, None))
        hops, trust = self._hops, facts.trust
        for fid, f in facts.flows.items():
            if f.is_network and self.zone_sender(source := f.source):
                # ranked after paths from a start of equal cost: a named start reads better
                heap.append(
                    (trust[source] + hops[fid], f.target, f"3{fid}", Entry("zone", source, f), f)
                )
        heapq.heapify(heap)
        cost_of, entry_of, via = self.cost, self.entry, self.via
        out_flows = facts.out_flows
        pop, push = heapq.heappop, heapq.heappush
        while heap:
            cost, eid, _, entry, flow = pop(heap)
            if eid in cost_of:
                continue
            cost_of[eid], entry_of[eid] = cost, entry
            if flow is not None:
                via[eid] = flow
            for f in out_flows.get(eid, ()):
                if f.target not in cost_of:
                    push(heap, (cost + hops[f.id], f.target, f"2{f.id}", entry, f))

    def via_zone(self, f: Flow) -> bool:
        """Whether standing in the sender's zone is the cheapest way to send on ``f``."""
        return (
            f.is_network
            and self.zone_sender(f.source)
            and self.facts.trust[f.source] < self.cost.get(f.source, INF)
        )

    def send_cost(self, f: Flow) -> float:
        """What it costs an attacker to send on ``f`` (reach its source, or stand in its zone)."""
        source = self.cost.get(f.source, INF)
        if f.is_network and self.zone_sender(f.source):
            source = min(source, self.facts.trust[f.source])
        return source + self.hop(f)

    # -- words --------------------------------------------------------------------------------
    def flows_to(self, element_id: str) -> list[Flow]:
        """The flows of the cheapest path to the element, first hop first."""
        flows: list[Flow] = []
        current = element_id
        seen = set()
        while (f := self.via.get(current)) is not None and current not in seen:
            seen.add(current)
            flows.append(f)
            if self.entry[current].kind == "zone" and self.entry[current].flow is f:
                break
            current = f.source
        flows.reverse()
        return flows

    def _name(self, element_id: str) -> str:
        e = self.facts.elements[element_id]
        return e.name or e.id

    def zone_name(self, element_id: str) -> str:
        chain = self.facts.chain.get(element_id, ())
        if not chain:
            return "outside every boundary"
        b = self.facts.boundaries[chain[0]]
        return b.name or b.id

    def anyone_in(self, element_id: str) -> str:
        """ "anyone on Corporate LAN", "anyone outside every boundary"."""
        if not self.facts.chain.get(element_id):
            return "anyone outside every boundary"
        return f"anyone on {self.zone_name(element_id)}"

    def start_words(self, entry: Entry) -> str:
        if entry.kind == "zone":
            return self.anyone_in(entry.element)
        if entry.kind == "exposed":
            words = EXPOSURE_WORDS.get(entry.detail, entry.detail.replace("_", " "))
            return f"the internet ({words})"
        if entry.kind == "published":
            return self.anyone_in(entry.sender)
        return f"{self._name(entry.element)} ({self.zone_name(entry.element)})"

    @staticmethod
    def hop_words(flows: list[Flow], *, door: str = "") -> str:
        """The authentication of the hops in runs: "unauthenticated", "every hop token",
        "first hop basic auth, then one hop unauthenticated", "first two hops unauthenticated,
        then one hop basic auth"; ``door``: the login of a first hop through a published port."""
        words = [AUTH_WORDS[door]] if door else []
        words += [AUTH_WORDS[f.authenticated] for f in flows]
        if not words:
            return ""
        if len(words) == 1:
            return words[0]
        if len(set(words)) == 1:
            return f"every hop {words[0]}"
        runs = [(word, len(list(same))) for word, same in groupby(words)]
        parts = [
            (f"{_COUNTS.get(n, n)} hops {word}" if n > 1 else f"one hop {word}")
            if i
            else (f"first {_COUNTS.get(n, n)} hops {word}" if n > 1 else f"first hop {word}")
            for i, (word, n) in enumerate(runs)
        ]
        return ", then ".join(parts)

    def parts(self, element_id: str) -> tuple[list[str], list[Flow], str]:
        """The names along the cheapest path to the element (its start first), its flows and
        the login of the published port it starts through ("" for any other start)."""
        entry = self.entry[element_id]
        flows = self.flows_to(element_id)
        names = [self.start_words(entry)]
        if entry.kind == "exposed":
            names.append(self._name(entry.element))
        elif entry.kind == "published":
            names.append(self.door_name(entry.element))
        names += [self._name(f.target) for f in flows]
        return names, flows, entry.detail if entry.kind == "published" else ""

    def words(self, names: list[str], flows: list[Flow], *, door: str = "") -> str:
        text = " → ".join(names)
        if flows or door:
            text += ", " + self.hop_words(flows, door=door)
            if any(self.hop(f) > self.risk.hop[f.authenticated] for f in flows):
                text += ", into a network-isolated element"
        return text

    def describe(self, element_id: str) -> str | None:
        """The cheapest path to the element in words, or None when no path reaches it."""
        if element_id not in self.cost:
            return None
        if (hit := self._text.get(element_id)) is None:
            entry = self.entry[element_id]
            if entry.kind == "start" and entry.element == element_id:
                trust = self.facts.trust[element_id]
                where = (
                    f"on {self.zone_name(element_id)}"
                    if self.facts.chain.get(element_id)
                    else "outside every boundary"
                )
                hit = f"{self._name(element_id)} is itself {where} (trust {trust})"
            else:
                names, flows, door = self.parts(element_id)
                hit = self.words(names, flows, door=door)
            self._text[element_id] = hit
        return hit

    def describe_send(self, f: Flow) -> str | None:
        """The cheapest way to send on ``f``, in words (None: nobody outside can)."""
        if self.via_zone(f):
            return self.words([self.anyone_in(f.source), self._name(f.target)], [f])
        if f.source not in self.cost:
            return None
        names, flows, door = self.parts(f.source)
        return self.words([*names, self._name(f.target)], [*flows, f], door=door)
