"""Severity = likelihood x impact, with the reason in words.

- Likelihood (1-4) comes from the cheapest attack path to the target (``rules.paths``): for an
  element, the path to it; for a flow, either the wire (tampering and disclosure in transit: the
  least trusted zone it travels) or the way to send on it (everything else); for a boundary, its
  most reachable member. A failing bench check that confirms the threat raises it by one; a
  passing check that verifies the control lowers it to 1.
- Impact (1-4) comes from what the target is worth: its component's value (controls the host or
  the cluster, decides what runs, a workload) or the classification of the data on its flows,
  whichever is more. A rule's impact is its base severity, but at least one below that worth (a
  low-rated rule on etcd is still a medium-impact matter); a generic threat's impact is the worth.
  The data's classification says what disclosure or tampering costs, not what an outage or an
  untraced action costs: a denial-of-service rule is raised by the component only, and a
  repudiation rule keeps its base (what an untraced action costs is the rule author's rating, not
  what the target controls). A rule with ``raise_impact: false`` keeps its base too (a profiling
  endpoint of the API server does not hand over the cluster).
- A rule's ``way_in`` overrides where the path comes from: ``requests`` leaves out content
  fetched from an internet server; ``from`` names the components whose elements reach an open
  door that no flow draws (the kubelet's port on the node network), and the path runs to the
  cheapest of them, then through that door.

The numbers are data (``resources/risk/severity.yaml``), documented in docs/rules.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..model import Boundary, Flow
from .graph import Facts
from .loader import Rule, WayIn
from .paths import INF, AttackPaths
from .risk import LEVELS, RiskTable
from .threat import SEVERITY_RANK, EvidenceLink

IN_TRANSIT = ("Tampering", "Information Disclosure")
# What an outage or an untraced action costs does not grow with the data's classification.
NOT_BY_DATA = ("Denial of Service", "Repudiation")
# What fetched content (an image from a public registry) can do to whoever runs it.
BY_CONTENT = ("Tampering", "Elevation of Privilege")
_WORTH_WORDS = {
    4: "controls the host, the cluster or their secrets",
    3: "decides what runs or where traffic goes",
    2: "is a workload of ordinary value",
    1: "holds nothing of ours",
}


_BASE_WORDS = {s: f"rule base {s}" for s in SEVERITY_RANK}


def _check_order(check: str) -> tuple[tuple[int, int | str], ...]:
    """Natural order of check ids: 1.1.3 before 1.1.10."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in check.split("."))


def checks_in_words(status: str, links: Iterable[EvidenceLink]) -> str:
    """ "failing docker-bench-security checks 1.1.3, 1.1.5 and 2.2", per tool."""
    by_tool: dict[str, set[str]] = {}
    for link in links:
        by_tool.setdefault(link.tool, set()).add(link.check_id or link.title)
    parts = []
    for tool in sorted(by_tool):
        checks = sorted(by_tool[tool], key=_check_order)
        listed = checks[0] if len(checks) == 1 else f"{', '.join(checks[:-1])} and {checks[-1]}"
        parts.append(f"{status} {tool} check{'s' if len(checks) > 1 else ''} {listed}")
    return " and ".join(parts)


class Likelihood:
    """A likelihood level with its path: the words ("Path: ...", or why there is none) and the
    element ids from the start to the target are worked out when first read (most reasons of a
    large model are never shown)."""

    __slots__ = ("_explain", "_path", "_words", "level")

    def __init__(
        self,
        level: int,
        words: str | None = None,
        path: list[str] | None = None,
        *,
        explain: Callable[[], tuple[str, list[str]]] | None = None,
    ):
        self.level = level
        self._words, self._path, self._explain = words, path, explain

    def _resolve(self) -> None:
        assert self._explain is not None
        self._words, self._path = self._explain()
        self._explain = None

    @property
    def words(self) -> str:
        if self._words is None:
            self._resolve()
        assert self._words is not None
        return self._words

    @property
    def path(self) -> list[str]:
        if self._path is None:
            self._resolve()
        assert self._path is not None
        return self._path

    def described(self, suffix: str) -> Likelihood:
        """The same level, its words followed by ``suffix``."""
        return Likelihood(self.level, explain=lambda: (self.words + suffix, self.path))


class Grade:
    """A severity with the likelihood it was computed from; the reason is written on demand."""

    __slots__ = (
        "_reason",
        "evidence",
        "head",
        "impact",
        "impact_words",
        "likelihood",
        "severity",
        "source",
    )

    def __init__(
        self,
        head: str,
        severity: str,
        level: int,
        source: Likelihood,
        impact: int,
        impact_words: str,
        evidence: str,
    ):
        # head: "likely (3) × high impact (3) = high. ", the same for every grade of those levels
        self.head, self.severity, self.likelihood, self.source = head, severity, level, source
        self.impact, self.impact_words, self.evidence = impact, impact_words, evidence
        self._reason: str | None = None

    @property
    def reason(self) -> str:
        if self._reason is None:
            self._reason = (
                f"{self.head}{self.source.words}. Impact: {self.impact_words}.{self.evidence}"
            )
        return self._reason


class Grader:
    """Grades threats of one derivation; caches per target, since threats share targets."""

    def __init__(self, facts: Facts, risk: RiskTable):
        self.facts, self.risk = facts, risk
        self.paths: AttackPaths = facts.attack_paths(risk)
        self._content: AttackPaths | None = None
        facts = self.facts
        # content paths differ from request paths only when a server sits on a trust-0 zone
        self.has_content_starts = any(
            facts.trust[e] == 0 and facts.elements[e].component in risk.servers
            for e in facts.elements
        )
        self._element: dict[tuple[str, bool], Likelihood] = {}
        self._send: dict[str, Likelihood] = {}
        self._wire: dict[str, Likelihood] = {}
        self._worth: dict[tuple[str, bool], tuple[int, str]] = {}
        # (way in, host or node id) -> the cheapest element that can use the door, or None
        self._doors: dict[WayIn, dict[str | None, str | None]] = {}
        # severity by likelihood and impact (1-4 each), the reason's words for them, and the
        # generic threats' cap
        self._severity = {lk: {i: risk.severity(lk, i) for i in LEVELS} for lk in LEVELS}
        self._heads = {
            lk: {
                i: f"{risk.likelihood_names[lk]} ({lk}) × {risk.impact_names[i]} impact ({i}) = "
                f"{self._severity[lk][i]}. "
                for i in LEVELS
            }
            for lk in LEVELS
        }
        self._cap_rank = SEVERITY_RANK[risk.generic_max_severity]
        self._capped = (
            f" At most {risk.generic_max_severity} for a generic threat: no rule names a "
            "weakness here."
        )
        self._worth_of: dict[str, Callable[[], str]] = {}

    # -- likelihood ---------------------------------------------------------------------------
    @staticmethod
    def _path_ids(paths: AttackPaths, element_id: str) -> list[str]:
        entry = paths.entry[element_id]
        flows = paths.flows_to(element_id)
        if flows:
            return [flows[0].source, *(f.target for f in flows)]
        return [entry.element] if entry.element == element_id else [entry.element, element_id]

    def _reached(self, paths: AttackPaths, element_id: str) -> Likelihood:
        if element_id not in paths.cost:
            return Likelihood(1, "No path from an untrusted zone reaches it", [])

        def explain() -> tuple[str, list[str]]:
            return f"Path: {paths.describe(element_id)}", self._path_ids(paths, element_id)

        return Likelihood(self.risk.likelihood(paths.cost[element_id]), explain=explain)

    def element(self, element_id: str, category: str = "") -> Likelihood:
        """How likely an attacker gets at the element: the request path to it; for tampering
        and elevation also what it fetches from an untrusted server; for an external entity
        also the use of its identity on what it sends."""
        content = category in BY_CONTENT
        if (hit := self._element.get((element_id, content))) is not None:
            return hit
        hit = self._reached(self.paths, element_id)
        if content and self.has_content_starts:
            if self._content is None:
                self._content = self.facts.attack_paths(self.risk, content=True)
            fetched = self._reached(self._content, element_id)
            if fetched.level > hit.level:
                hit = fetched
        if self.facts.kind[element_id] == "external_entity":
            for f in self.facts.out_flows.get(element_id, ()):
                if (sent := self.send(f)).level > hit.level:
                    hit = sent.described(" (its identity, used by someone else)")
        self._element[(element_id, content)] = hit
        return hit

    def rule_element(self, rule: Rule, element_id: str) -> Likelihood:
        """The likelihood of a rule's threat on an element: as ``element`` for its category,
        unless the rule's ``way_in`` says the drawn flows are not (all) the way in."""
        way = rule.way_in
        if way is None:
            return self.element(element_id, rule.category)
        if way.zone:
            return self.zone_door(way, element_id)
        if way.host_networks:
            return self.host_door(way, element_id)
        if not way.sources:  # requests only: no content fetched from an internet server
            return self.element(element_id)
        return self.door(way, element_id)

    def zone_door(self, way: WayIn, element_id: str) -> Likelihood:
        """An open door to anyone in the element's own zone (a registry's port on the LAN): as
        likely as standing in that zone, at its trust level, and using the door."""
        facts, risk = self.facts, self.risk
        hop = risk.hop[way.authenticated]
        isolated = any(facts.props[element_id].get(p) for p in risk.isolation_properties)
        if isolated:
            hop += risk.isolated
        name = facts.elements[element_id].name or element_id
        into = ", into a network-isolated element" if isolated else ""
        words = f"Path: {self.paths.anyone_in(element_id)} → {name} through {way.via}{into}"
        return Likelihood(risk.likelihood(facts.trust[element_id] + hop), words, [element_id])

    def host_door(self, way: WayIn, element_id: str) -> Likelihood:
        """A port open on every interface of the element's host: as likely as standing on the
        least trusted network that reaches the host, then passing what the element's own
        network flows ask of a caller (the rule's ``authenticated`` when none is drawn). The
        words are those of the attack paths that start through such a port (``rules.paths``)."""
        paths, host = self.paths, self._host(element_id)
        sender = paths.host_network(host) if host is not None else None
        if sender is None:
            return self.zone_door(way, element_id)
        auth = paths.door_auth(element_id, way.authenticated)
        words = f"Path: {paths.door_words(element_id, sender, auth)}"
        cost = self.facts.trust[sender] + self.risk.hop[auth]
        return Likelihood(self.risk.likelihood(cost), words, [element_id])

    def _host(self, element_id: str) -> str | None:
        return self.facts.host_of(element_id)

    def _door_paths(self, way: WayIn) -> AttackPaths:
        """The paths to the door's users: servers (a registry) are reached as content sources
        (a public registry's publisher account), other components by requests."""
        if self.has_content_starts and set(way.sources) <= self.risk.servers:
            if self._content is None:
                self._content = self.facts.attack_paths(self.risk, content=True)
            return self._content
        return self.paths

    def _door_users(self, way: WayIn) -> dict[str | None, str | None]:
        """Per host (None: the whole model), the cheapest reached element that can use ``way``
        (of equal cost, one reached along drawn flows before one through a published port: as
        in ``rules.paths``, the drawn path reads better)."""
        if (hit := self._doors.get(way)) is None:
            paths, facts = self._door_paths(way), self.facts
            cost, entry = paths.cost, paths.entry

            def rank(eid: str) -> tuple[float, bool, str]:
                return cost[eid], entry[eid].kind == "published", eid

            hit = {}
            for eid, e in facts.elements.items():
                if e.component not in way.sources or eid not in cost:
                    continue
                for key in (self._host(eid),) if way.same_host else (None,):
                    best = hit.get(key)
                    if best is None or rank(eid) < rank(best):
                        hit[key] = eid
            self._doors[way] = hit
        return hit

    def door(self, way: WayIn, element_id: str) -> Likelihood:
        """Reached through an open door that no flow draws: the cheapest path to an element of
        ``way.sources`` (on the target's host or node with ``same_host``), then that door."""
        paths, facts = self._door_paths(way), self.facts
        user = self._door_users(way).get(self._host(element_id) if way.same_host else None)
        if user is None:
            return Likelihood(
                1, f"No path from an untrusted zone reaches an element that could use {way.via}", []
            )
        hop = self.risk.hop[way.authenticated]
        isolated = any(facts.props[element_id].get(p) for p in self.risk.isolation_properties)
        if isolated:
            hop += self.risk.isolated
        name = facts.elements[element_id].name or element_id

        def explain() -> tuple[str, list[str]]:
            into = ", into a network-isolated element" if isolated else ""
            return (
                f"Path: {paths.describe(user)}; then {name} through {way.via}{into}",
                [*self._path_ids(paths, user), element_id],
            )

        return Likelihood(self.risk.likelihood(paths.cost[user] + hop), explain=explain)

    def send(self, f: Flow) -> Likelihood:
        """How likely an attacker sends on ``f`` (spoofing its source, acting on the target)."""
        if (hit := self._send.get(f.id)) is not None:
            return hit
        paths = self.paths
        cost = paths.send_cost(f)
        if cost == INF:
            hit = Likelihood(1, "No path from an untrusted zone reaches its source", [])
        else:

            def explain() -> tuple[str, list[str]]:
                source = (
                    [f.source]
                    if paths.via_zone(f)
                    else self._reached(paths, f.source).path or [f.source]
                )
                return f"Path: {paths.describe_send(f)}", [*source, f.target]

            hit = Likelihood(self.risk.likelihood(cost), explain=explain)
        self._send[f.id] = hit
        return hit

    def wire(self, f: Flow) -> Likelihood:
        """How likely someone on the wire reads or alters ``f``: the least trusted zone it
        travels (a local channel never leaves the machine)."""
        if (hit := self._wire.get(f.id)) is not None:
            return hit
        facts = self.facts
        if not f.is_network:
            hit = Likelihood(
                1, f"{f.channel.replace('_', ' ')} channel: it never leaves the machine", []
            )
        else:
            end = min((f.source, f.target), key=lambda e: (facts.trust[e], e))
            trust = facts.trust[end]
            zone = self.paths.zone_name(end)
            hit = Likelihood(
                self.risk.likelihood(trust + 1),
                f"On the wire: it travels {zone} (trust {trust})",
                [f.source, f.target],
            )
        self._wire[f.id] = hit
        return hit

    def flow(self, f: Flow, category: str) -> Likelihood:
        return self.wire(f) if category in IN_TRANSIT and f.is_network else self.send(f)

    def boundary(self, b: Boundary, components: tuple[str, ...] = ()) -> Likelihood:
        """Its most reachable member; of the rule's ``components`` when it names them (a
        namespace's pods, not the Service in front of them)."""
        members = sorted(self.facts.members.get(b.id, ()))
        if components:
            elements = self.facts.elements
            members = [m for m in members if elements[m].component in components]
        best = max((self.element(m) for m in members), key=lambda lk: lk.level, default=None)
        return best if best is not None else Likelihood(1, "It holds no element", [])

    # -- impact -------------------------------------------------------------------------------
    def worth(self, element_id: str, *, data: bool = True) -> tuple[int, str]:
        """What an element is worth (1-4) and why, in words; ``data=False``: by its component
        alone, not by the classification of the data on its flows."""
        if (hit := self._worth.get((element_id, data))) is not None:
            return hit
        facts, risk = self.facts, self.risk
        e = facts.elements[element_id]
        kind = facts.kind[element_id]
        comp = risk.component_worth.get(
            e.component, risk.external_worth if kind == "external_entity" else risk.default_worth
        )
        held, label = 0, ""
        if data and kind != "external_entity":
            for f in (*facts.in_flows.get(element_id, ()), *facts.out_flows.get(element_id, ())):
                if (w := risk.data_worth[f.data]) > held:
                    held, label = w, f.data
        name = e.name or e.id
        hit = (
            (held, f"{name} handles {label} data")
            if held > comp
            else (comp, f"{name} {_WORTH_WORDS[comp]}")
        )
        self._worth[(element_id, data)] = hit
        return hit

    def flow_worth(self, f: Flow, category: str, *, data: bool = True) -> tuple[int, str]:
        if category in IN_TRANSIT:
            name = f.name or f.id
            return self.risk.data_worth[f.data], f"{name} carries {f.data} data"
        return self.worth(f.target, data=data)

    def boundary_worth(self, b: Boundary, *, data: bool = True) -> tuple[int, str]:
        members = sorted(self.facts.members.get(b.id, ()))
        return max(
            (self.worth(m, data=data) for m in members),
            key=lambda w: w[0],
            default=(1, "it holds nothing"),
        )

    @staticmethod
    def by_data(rule: Rule) -> bool:
        """Whether the classification of the data may raise the rule's impact."""
        return rule.category not in NOT_BY_DATA

    def rule_impact(self, rule: Rule, worth: tuple[int, str]) -> tuple[int, str]:
        base = rule.severity
        level = SEVERITY_RANK[base] + 1
        if worth[0] - 1 > level:
            if not rule.raise_impact or rule.category == "Repudiation":
                return level, f"rule base {base}, not raised by what the target is worth"
            return worth[0] - 1, f"rule base {base}, raised: {worth[1]}"
        return level, _BASE_WORDS[base]

    # -- severity -----------------------------------------------------------------------------
    def grade(
        self,
        likelihood: Likelihood,
        impact: int,
        impact_words: str,
        links: Sequence[EvidenceLink],
        *,
        generic: bool = False,
    ) -> Grade:
        level, evidence = likelihood.level, ""
        if links:
            level, evidence = self._evidence(level, links)
        severity = self._severity[level][impact]
        if generic and SEVERITY_RANK[severity] > self._cap_rank:
            severity = self.risk.generic_max_severity
            evidence += self._capped
        head = self._heads[level][impact]
        return Grade(head, severity, level, likelihood, impact, impact_words, evidence)

    @staticmethod
    def _evidence(level: int, links: Sequence[EvidenceLink]) -> tuple[int, str]:
        """The likelihood after bench evidence, and the words that say why."""
        failing = [link for link in links if link.confirms]
        passing = [link for link in links if link.verifies]
        if failing:
            level = min(4, level + 1)
            checks = checks_in_words("failing", failing)
            return level, f" Confirmed by {checks}: likelihood raised to {level}."
        if passing:
            checks = checks_in_words("passing", passing)
            return 1, f" Control verified by {checks}: likelihood lowered to 1."
        return level, ""
