"""derive(): turn a model and a rule set into the list of threats. Pure and deterministic.

Order of work: component rules first, graded by likelihood x impact (``rules.grading``); rule
threats that state one root cause are folded into one (``rules.rootcause``); then STRIDE per
interaction for crossing flows, then the STRIDE-per-element baseline. A generic threat that a
more specific one explains (same target and a category it carries, a rule that supersedes it,
or an interaction threat on the element's way in) is folded into it (listed in its ``covers``);
one without a short attack path is not listed. Triage is applied last.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..io import default_catalog
from ..model import BenchRun, Boundary, Catalog, Element, Flow, Model
from . import baseline
from .custom import custom_threats
from .evidence import EvidenceIndex
from .grading import Grader, Likelihood
from .graph import Facts
from .grouping import GroupKeys
from .loader import Rule, RuleIndex, RuleSet
from .risk import RiskTable, default_risk
from .rootcause import RootCauses
from .threat import CATEGORIES, DerivedThreat, Threat

CATEGORY_ORDER = {c: i for i, c in enumerate(CATEGORIES)}
# grader callback of a generic threat: category -> (likelihood, impact, impact in words)
Grading = Callable[[str], tuple[Likelihood, int, str]]


def element_vars(facts: Facts, e: Element) -> dict[str, str]:
    return {
        "name": e.name or e.id,
        "id": e.id,
        "component": facts.component_name[e.id],
        "boundary": facts.boundary_name(e.id),
        "host": facts.host_name(e.id),
    }


def flow_vars(facts: Facts, f: Flow) -> dict[str, str]:
    src, dst = facts.elements[f.source], facts.elements[f.target]
    crossed = facts.crossed.get(f.id, ())
    boundary = (
        ", ".join(facts.boundaries[b].name or b for b in crossed)
        if crossed
        else facts.boundary_name(f.target)
    )
    return {
        "name": f.name or f"{src.name or src.id} → {dst.name or dst.id}",
        "id": f.id,
        "component": facts.component_name[f.target],
        "boundary": boundary,
        "host": facts.host_name(f.target),
        "source": src.name or src.id,
        "target": dst.name or dst.id,
        "protocol": f.protocol,
        "port": str(f.port) if f.port is not None else "any port",
    }


def boundary_vars(facts: Facts, b: Boundary) -> dict[str, str]:
    parent = facts.boundaries.get(b.parent) if b.parent else None
    return {
        "name": b.name or b.id,
        "id": b.id,
        "component": b.kind,
        "boundary": (parent.name or parent.id) if parent else "outside any boundary",
    }


class _Deriver:
    def __init__(
        self,
        model: Model,
        rules: RuleSet,
        runs: Iterable[BenchRun],
        catalog: Catalog,
        *,
        facts: Facts | None = None,
        risk: RiskTable | None = None,
    ):
        self.model = model
        self.rules = rules
        self.facts = facts if facts is not None else Facts(model, catalog)
        self.risk = risk or default_risk()
        self.grader = Grader(self.facts, self.risk)
        self.roots = RootCauses(self.facts, rules)
        # The targets run() derives: all of them, or a ``Scope`` of them, in model order.
        self.element_scope: Iterable[Element] = self.facts.elements.values()
        self.flow_scope: Iterable[Flow] = self.facts.flows.values()
        self.boundary_scope: Iterable[Boundary] = self.facts.boundaries.values()
        self.evidence = EvidenceIndex(runs)
        # target id -> category -> the specific (rule, interaction) threats generics fold into
        self.specific: dict[str, dict[str, list[Threat]]] = {}
        # element id -> category -> threats on the flows that lead into (or out of) it that
        # carry an interaction threat about that element (see ``via_flows``)
        self.via: dict[str, dict[str, list[Threat]]] = {}
        self.out: list[Threat] = []
        self.folders: list[Threat] = []  # threats that received covers (sorted at the end)

    def seed(self, kept: Iterable[Threat]) -> None:
        """Threats kept from an earlier derivation (outside an incremental scope) take the
        generic threats of the scope they carried before, as if derived together."""
        for threat in kept:
            if threat.source != "element":
                self.index_specific(threat)
            if threat.source == "rule":
                self.roots.register_generics(threat)

    @cached_property
    def attackers(self) -> frozenset[str]:
        """Attacker actors: they start attack paths and hold nothing of ours."""
        facts = self.facts
        return frozenset(
            e
            for e, kind in facts.kind.items()
            if kind == "external_entity" and facts.props[e].get("attacker")
        )

    def is_attacker(self, element_id: str) -> bool:
        return element_id in self.attackers

    # -- threats --------------------------------------------------------------------------
    def rule_threat(
        self,
        rule: Rule,
        target: str,
        kind: str,
        values: dict[str, str],
        likelihood: Likelihood,
        worth: tuple[int, str],
        evidence_on: Iterable[str],
    ) -> None:
        links = self.evidence.links(rule, evidence_on) if rule.evidence and self.evidence else ()
        grader = self.grader
        impact, impact_words = grader.rule_impact(rule, worth)
        grade = grader.grade(likelihood, impact, impact_words, links)
        threat = DerivedThreat(
            f"{rule.id}@{target}",
            rule.id,
            rule.category,
            target,
            kind,
            values["name"],
            grade.severity,
            rule.severity,
            None,
            "rule",
            rule,
            values,
            likelihood=grade.likelihood,
            impact=impact,
            grade=grade,
        )
        if links:
            threat.evidence = links
        self.out.append(threat)

    def index_specific(self, threat: Threat) -> None:
        """Generics of the same target (and of every target whose threat it absorbed as one
        root cause) fold into it in every category it carries."""
        specific, categories = self.specific, threat.categories
        for target in self.roots.members.get(threat.id, (threat.target,)):
            if (at := specific.get(target)) is None:
                at = specific[target] = {}
            for category in categories:
                if (those := at.get(category)) is None:
                    at[category] = [threat]
                else:
                    those.append(threat)

    def fold(self, covering: list[Threat], generic_id: str, category: str) -> Threat:
        """Fold a generic threat into the most severe of the specific ones (then by rule id)."""
        best = (
            covering[0]
            if len(covering) == 1
            else min(covering, key=lambda t: (-t.severity_rank, t.rule))
        )
        covers = best.covers
        if generic_id in covers:  # a kept threat (incremental) folded it before
            return best
        covers.append(generic_id)
        if category not in best.categories and isinstance(best, DerivedThreat):
            best.add_categories([category])
        self.folders.append(best)
        return best

    def generics(
        self,
        table: Sequence[baseline.Generic],
        target: str,
        kind: str,
        values_of: Callable[[], dict[str, str]],
        grading: Grading,
        source: str,
        via: dict[str, list[Threat]] | None = None,
    ) -> dict[str, Threat]:
        """Baseline or interaction threats of one target. One that a rule supersedes, or that
        a more specific threat of the same target carrying its category covers, is folded into
        it (listed in its ``covers``); then one that ``via`` (interaction threats about this
        element on its flows) covers; one below the generics' likelihood is not listed.
        Returns, per category, the threat that now carries the generic one."""
        covered = self.specific.get(target)
        carriers: dict[str, Threat] = {}
        # only a target whose generic ids a rule supersedes has carriers waiting for them
        carriers_of = self.roots.generic_carriers if target in self.roots.generic_targets else None
        # the checklist fills a gap: where a rule already speaks about the element (or flow),
        # its uncovered baseline categories are not listed
        listed = source == "interaction" or not covered or not any(covered.values())
        if (
            covered is not None
            and not listed
            and via is None
            and carriers_of is None
            and not any(covered.get(g.category) for g in table)
        ):
            return carriers  # nothing folds here, nothing is listed
        interaction = source == "interaction"
        risk = self.risk
        values: dict[str, str] | None = None
        fresh: list[Threat] = []  # listed here; appended to ``out`` once the pair is merged
        for g in table:
            category = g.category
            gid = f"{g.rule}@{target}"
            if carriers_of is not None and (carrier := carriers_of.get(gid)) is not None:
                carriers[category] = self.fold([carrier], gid, category)
                if interaction:  # it then carries the flow's baseline as well
                    self.specific.setdefault(target, {}).setdefault(category, []).append(carrier)
                continue
            if covered is not None and (covering := covered.get(category)):
                carriers[category] = self.fold(covering, gid, category)
                continue
            if via is not None and (covering := via.get(category)):
                carriers[category] = self.fold(covering, gid, category)
                continue
            if not listed:
                continue
            likelihood, impact, impact_words = grading(category)
            if likelihood.level < risk.generic_min_likelihood:
                continue
            if (cap := risk.generic_impact_cap.get(category)) is not None and impact > cap:
                impact, impact_words = cap, f"{impact_words} (capped for a generic threat)"
            grade = self.grader.grade(likelihood, impact, impact_words, (), generic=True)
            if values is None:
                values = values_of()
            threat = DerivedThreat(
                gid,
                g.rule,
                category,
                target,
                kind,
                values["name"],
                grade.severity,
                risk.impact_names[impact],
                None,
                source,
                g,
                values,
                likelihood=grade.likelihood,
                impact=impact,
                grade=grade,
            )
            fresh.append(threat)
            carriers[category] = threat
        if len(fresh) > 1:
            self.merge_in_transit(fresh, carriers)
        self.out.extend(fresh)
        if interaction:  # more specific than the flow's baseline
            at = self.specific.setdefault(target, {})
            for category, carrier in carriers.items():
                if carrier.source == "interaction":
                    at.setdefault(category, []).append(carrier)
        return carriers

    def merge_in_transit(self, fresh: list[Threat], carriers: dict[str, Threat]) -> None:
        """Reading and altering an unencrypted flow are one root cause, the missing TLS: the
        disclosure threat (worded "read and altered") carries the tampering one."""
        altered = next((t for t in fresh if t.rule in baseline.IN_TRANSIT_PAIRS), None)
        if altered is None:
            return
        read = next((t for t in fresh if t.rule == baseline.IN_TRANSIT_PAIRS[altered.rule]), None)
        if read is None:
            return
        fresh.remove(altered)
        read.covers.append(altered.id)
        if isinstance(read, DerivedThreat):
            read.add_categories([baseline.T])
        self.folders.append(read)
        carriers[baseline.T] = read

    def via_flows(self, f: Flow, carriers: dict[str, Threat]) -> None:
        """Record the interaction threats that speak about an end of ``f`` as that element:
        interruption and elevation of a flow that directly exposes its target are the target's
        denial of service and elevation through a named way in; spoofing of an external
        entity's flow is its impersonation."""
        facts = self.facts
        if facts.exposes.get(f.id):
            at = self.via.setdefault(f.target, {})
            for category in (baseline.D, baseline.E):
                if (t := carriers.get(category)) is not None:
                    at.setdefault(category, []).append(t)
        if (
            facts.kind[f.source] == "external_entity"
            and (t := carriers.get(baseline.S)) is not None
        ):
            self.via.setdefault(f.source, {}).setdefault(baseline.S, []).append(t)

    def way_in(self, f: Flow) -> dict[str, list[Threat]] | None:
        """A flood through a flow that directly exposes its target is the target's denial of
        service: a rule threat about it (no rate limit) carries the flow's interruption."""
        if not self.facts.exposes.get(f.id):
            return None
        rules = [
            t
            for t in self.specific.get(f.target, {}).get(baseline.D, ())
            if t.source == "rule" and t.category == baseline.D
        ]
        return {baseline.D: rules} if rules else None

    def element_via(self, e: Element) -> dict[str, list[Threat]] | None:
        via = self.via.get(e.id)
        if self.facts.kind[e.id] == "external_entity":
            via = self.entity_via(e, via)
        if via is None or baseline.S not in via:
            return via
        # Impersonation is covered only when every flow the entity sends names it.
        if len(via[baseline.S]) < len(self.facts.out_flows.get(e.id, ())):
            via = {c: ts for c, ts in via.items() if c != baseline.S}
        return via

    def entity_via(
        self, e: Element, via: dict[str, list[Threat]] | None
    ) -> dict[str, list[Threat]] | None:
        """What an external entity does is recorded (or not) where it sends: an untraced
        target's repudiation threat carries the entity's repudiation."""
        untraced = [
            t
            for f in self.facts.out_flows.get(e.id, ())
            for t in self.specific.get(f.target, {}).get(baseline.R, ())
        ]
        if not untraced:
            return via
        return {**(via or {}), baseline.R: untraced}

    # -- gradings of generic threats ------------------------------------------------------------
    def element_grading(self, element_id: str) -> Grading:
        grader = self.grader
        if self.facts.kind[element_id] == "external_entity":
            return lambda category: self.entity_grading(element_id)
        likelihood = grader.element(element_id)
        worth, words = grader.worth(element_id)
        return lambda category: (likelihood, worth, words)

    def entity_grading(self, element_id: str) -> tuple[Likelihood, int, str]:
        """Impersonating an external entity (or denying what it did): only an entity with an
        identity on the network has one to steal; as likely as sending what it sends there,
        as bad as what it reaches is worth."""
        grader = self.grader
        flows = [
            f
            for f in self.facts.out_flows.get(element_id, ())
            if f.is_network and f.authenticated != "none"
        ]
        if not flows:
            return Likelihood(1, "It has no identity on the network to steal", []), 1, ""
        likelihood = max((grader.send(f) for f in flows), key=lambda lk: lk.level)
        worth, words = max(grader.worth(f.target) for f in flows)
        return likelihood, worth, words

    def flow_ceiling(self, f: Flow) -> int:
        """The highest likelihood ``flow_grading`` gives any category."""
        return max(self.grader.send(f).level, self.grader.wire(f).level)

    def quiet(self, target: str, ceiling: int) -> bool:
        """Whether a target's generic threats can neither fold into a threat (none speaks about
        the target, no rule supersedes them) nor be listed (``ceiling``: the highest likelihood
        they can have); then there is nothing to do for them (most targets of a large model)."""
        return (
            ceiling < self.risk.generic_min_likelihood
            and target not in self.specific
            and target not in self.roots.generic_targets
        )

    def flow_grading(self, f: Flow) -> Grading:
        grader = self.grader

        def grading(category: str) -> tuple[Likelihood, int, str]:
            worth, words = grader.flow_worth(f, category)
            return grader.flow(f, category), worth, words

        return grading

    # -- the derivation ---------------------------------------------------------------------
    def run(self) -> list[Threat]:
        facts, rules, grader = self.facts, self.rules, self.grader
        index = RuleIndex(rules)
        element_values: dict[str, dict[str, str]] = {}
        attackers = self.attackers
        for e in self.element_scope:
            eid = e.id
            if eid in attackers:
                continue  # attackers start paths; they hold nothing of ours
            matched = [
                rule
                for rule in index.for_element(e.component)
                if rule.condition is None or rule.condition(facts, e)
            ]
            if not matched:
                continue
            values = element_values[eid] = element_vars(facts, e)
            on = (eid,)
            for rule in matched:
                worth = grader.worth(eid, data=grader.by_data(rule))
                self.rule_threat(
                    rule, eid, "element", values, grader.rule_element(rule, eid), worth, on
                )
        flow_values: dict[str, dict[str, str]] = {}
        elements = facts.elements
        for f in self.flow_scope:
            source, target = elements[f.source].component, elements[f.target].component
            matched = [
                rule
                for rule in index.for_flow(source, target)
                if rule.condition is None or rule.condition(facts, f)
            ]
            if not matched:
                continue
            values = flow_values[f.id] = flow_vars(facts, f)
            ends = (f.source, f.target)
            for rule in matched:
                self.rule_threat(
                    rule,
                    f.id,
                    "flow",
                    values,
                    grader.flow(f, rule.category),
                    grader.flow_worth(f, rule.category, data=grader.by_data(rule)),
                    ends,
                )
        for b in self.boundary_scope:
            members = facts.members.get(b.id, ())
            for rule in index.boundary:
                if rule.components and not any(
                    facts.elements[m].component in rule.components for m in members
                ):
                    continue
                if rule.condition is None or rule.condition(facts, b):
                    self.rule_threat(
                        rule,
                        b.id,
                        "boundary",
                        boundary_vars(facts, b),
                        grader.boundary(b, rule.components),
                        grader.boundary_worth(b, data=grader.by_data(rule)),
                        members,
                    )
        if self.out:
            if dropped := self.roots.fold(self.out):
                self.out = [t for t in self.out if t.id not in dropped]
            self.folders += self.roots.folders
            for threat in self.out:
                self.index_specific(threat)

        def flow_values_of(f: Flow) -> Callable[[], dict[str, str]]:
            return lambda: (
                flow_values.get(f.id) or flow_values.setdefault(f.id, flow_vars(facts, f))
            )

        for f in self.flow_scope:
            if facts.crossed[f.id] and f.source not in attackers:
                table = self.interaction_table(f)
                if not table:
                    continue
                way_in = self.way_in(f)
                if way_in is None and self.quiet(f.id, self.flow_ceiling(f)):
                    continue
                carriers = self.generics(
                    table,
                    f.id,
                    "flow",
                    flow_values_of(f),
                    self.flow_grading(f),
                    "interaction",
                    way_in,
                )
                self.via_flows(f, carriers)
        kind_of, trust = facts.kind, facts.trust
        for e in self.element_scope:
            eid = e.id
            if eid in attackers or trust[eid] == 0:
                continue  # attackers, and what sits on the internet, are not ours to check
            via = self.element_via(e)
            if (
                via is None
                and kind_of[eid] != "external_entity"  # graded by what it sends
                and self.quiet(eid, grader.element(eid).level)
            ):
                continue
            self.generics(
                baseline.ELEMENT_BASELINE[kind_of[eid]],
                eid,
                "element",
                lambda e=e: element_values.get(e.id) or element_vars(facts, e),  # type: ignore[misc]
                self.element_grading(eid),
                "element",
                via,
            )
        for f in self.flow_scope:
            if not f.is_network or f.source in attackers:
                continue  # nothing travels a wire that someone could tap
            # in transit: tampering and disclosure, graded by the wire
            if (transit := self.flow_table(f)) and not self.quiet(f.id, grader.wire(f).level):
                self.generics(
                    transit, f.id, "flow", flow_values_of(f), self.flow_grading(f), "element"
                )
        keys = GroupKeys(facts)
        for threat in self.out:
            if isinstance(threat, DerivedThreat):
                threat.keys = keys  # the group key is worked out when read
        return self.out

    def interaction_table(self, f: Flow) -> list[baseline.Generic]:
        """STRIDE per interaction for a crossing flow, filtered like MS TMT's Include/Exclude:
        in-transit threats only on a network channel."""
        kinds = self.facts.kind
        chosen = []
        if f.is_network:
            if f.authenticated == "none" and self.spoofable(f.source) and f.data != "public":
                chosen.append(baseline.SPOOF_SOURCE)
            if not f.encrypted:
                chosen.append(baseline.TAMPER)
                if f.data != "public":
                    chosen.append(baseline.SNIFF)
            if self.facts.trust[f.source] == 0:  # where the internet comes in
                chosen.append(baseline.INTERRUPT)
        if self.facts.enters_higher[f.id] and kinds[f.target] == "process":
            chosen.append(baseline.ELEVATE)
        return chosen

    def spoofable(self, source: str) -> bool:
        """Whether a source has an identity worth posing as: a process or a service (a data
        store sends nothing by itself), or an external entity that authenticates somewhere
        (anonymous visitors have none)."""
        kind = self.facts.kind[source]
        if kind == "data_store":
            return False
        return kind != "external_entity" or any(
            f.authenticated != "none" for f in self.facts.out_flows.get(source, ())
        )

    @staticmethod
    def flow_table(f: Flow) -> Sequence[baseline.Generic]:
        """In-transit threats of an unencrypted network flow (its interruption is only listed
        where the internet comes in, as an interaction threat)."""
        if f.encrypted:
            return ()
        if f.data == "public":  # nothing to disclose
            return baseline.PUBLIC_FLOW_BASELINE
        return baseline.TRANSIT_FLOW_BASELINE


def apply_triage(model: Model, threats: Iterable[Threat]) -> None:
    if not model.triage:
        return
    for threat in threats:
        entry = model.triage.get(threat.id)
        if entry is not None:
            threat.status, threat.note = entry.status, entry.note


def sort_key(threat: Threat) -> tuple[Any, ...]:
    return (threat.target, CATEGORY_ORDER[threat.category], threat.rule)


@dataclass(frozen=True)
class Scope:
    """The targets a derivation emits threats for (it still reads the whole model)."""

    elements: frozenset[str] = frozenset()
    flows: frozenset[str] = frozenset()
    boundaries: frozenset[str] = frozenset()

    @property
    def targets(self) -> frozenset[str]:
        return self.elements | self.flows | self.boundaries


def derive(
    model: Model,
    rules: RuleSet,
    findings: Iterable[BenchRun] = (),
    *,
    catalog: Catalog | None = None,
    facts: Facts | None = None,
    scope: Scope | None = None,
    kept: Iterable[Threat] = (),
    risk: RiskTable | None = None,
) -> list[Threat]:
    """Threats of ``model``: rule, interaction and baseline threats, graded by likelihood x
    impact, folded by root cause, triaged.

    ``findings`` are extra bench runs not stored in the model; the model's own runs always count.
    Same input, same output in the same order (by target, STRIDE order, rule id).
    ``facts``: the graph facts of ``model`` as it is now, to reuse. ``scope``: emit only the
    threats of these targets; attack paths and every other graph fact still cover the whole
    model. A generic threat of a target outside it folded into one of them is missing from its
    ``covers``, and a root cause that spans the scope's edge folds only its inside part
    (``rules.incremental`` widens the scope over such root causes and puts such folds back).
    ``kept``: the threats of an earlier derivation outside the scope; generic threats of the
    scope fold into them as they did. ``risk``: the severity table (default
    ``resources/risk/severity.yaml``).
    """
    # The cyclic GC rescans the growing heap while ~10 objects per element are allocated, which
    # made derivation of 10,000 elements ~2x slower; nothing here creates garbage cycles.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        deriver = _Deriver(
            model,
            rules,
            [*model.bench_runs, *findings],
            catalog or default_catalog(),
            facts=facts,
            risk=risk,
        )
        if scope is not None:
            facts = deriver.facts
            deriver.element_scope = [e for e in facts.elements.values() if e.id in scope.elements]
            deriver.flow_scope = [f for f in facts.flows.values() if f.id in scope.flows]
            deriver.boundary_scope = [
                b for b in facts.boundaries.values() if b.id in scope.boundaries
            ]
            deriver.seed(kept)
        threats = deriver.run()
        for threat in {id(t): t for t in deriver.folders}.values():
            if len(covers := threat.covers) > 1:
                covers.sort()
        custom = custom_threats(model, findings)
        threats += custom if scope is None else [c for c in custom if c.target in scope.targets]
        apply_triage(model, threats)
        threats.sort(key=sort_key)
        return threats
    finally:
        if was_enabled:
            gc.enable()


def threats_by_id(threats: Iterable[Threat]) -> dict[str, Threat]:
    """Every threat id that arises, emitted or folded, mapped to the threat that lists it (a
    folded id maps to the root-cause threat that carries it in ``covers``)."""
    out: dict[str, Threat] = {}
    for threat in threats:
        out[threat.id] = threat
        for folded in threat.covers:
            out.setdefault(folded, threat)
    return out


def stale_triage(model: Model, threats: Iterable[Threat]) -> list[str]:
    """Triage ids whose threat no longer arises (neither emitted nor folded into another)."""
    if not model.triage:
        return []
    alive = set()
    for threat in threats:
        alive.add(threat.id)
        if not isinstance(threat, DerivedThreat) or threat.has_covers():  # no empty list made
            alive.update(threat.covers)
    return sorted(tid for tid in model.triage if tid not in alive)
