"""derive(): turn a model and a rule set into the list of threats. Pure and deterministic.

Order of work: component rules first (so we know which (target, category) pairs a specific
rule covers), then STRIDE per interaction for crossing flows, then the STRIDE-per-element
baseline; a generic threat whose pair is already covered is folded into the specific one
(listed in its ``covers``) instead of being emitted. Triage is applied last.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..io import default_catalog
from ..model import BenchRun, Boundary, Catalog, Element, Flow, Model
from . import baseline
from .custom import custom_threats
from .evidence import EvidenceIndex
from .graph import Facts
from .loader import Rule, RuleSet
from .threat import CATEGORIES, SEVERITIES, DerivedThreat, EvidenceLink, Threat

CATEGORY_ORDER = {c: i for i, c in enumerate(CATEGORIES)}
_UP = dict(zip(SEVERITIES, SEVERITIES[1:] + SEVERITIES[-1:]))
BASELINE_SEVERITY = "low"
INTERACTION_SEVERITY = "medium"


def grade(base: str, exposure: str | None, links: Iterable[EvidenceLink]) -> tuple[str, str]:
    """Severity after exposure and evidence, with the reason in words."""
    severity, parts = base, [f"base {base}"]
    if exposure:
        raised = _UP[severity]
        parts.append(
            f"raised to {raised}: {exposure}"
            if raised != severity
            else f"{exposure} (already {severity})"
        )
        severity = raised
    links = list(links)
    failing = [link for link in links if link.confirms]
    passing = [link for link in links if link.verifies]
    if failing:
        raised = _UP[severity]
        checks = ", ".join(f"{link.check_id or link.title} ({link.tool})" for link in failing)
        parts.append(
            f"raised to {raised}: confirmed by failing check {checks}"
            if raised != severity
            else f"confirmed by failing check {checks} (already {severity})"
        )
        severity = raised
    elif passing:
        checks = ", ".join(f"{link.check_id or link.title} ({link.tool})" for link in passing)
        parts.append(f"control verified by passing check {checks}")
    return severity, "; ".join(parts)


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
    ):
        self.model = model
        self.rules = rules
        self.facts = facts if facts is not None else Facts(model, catalog)
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
        self._grades: dict[tuple[str, str | None], tuple[str, str]] = {}
        self._exposure: dict[str, str | None] = {}

    # -- exposure, in words ---------------------------------------------------------------
    def element_exposure(self, element_id: str) -> str | None:
        """Only direct exposure raises severity: being somewhere downstream of the internet is
        true of nearly everything, so it would raise nearly everything and mean nothing."""
        if element_id in self._exposure:
            return self._exposure[element_id]
        reason = None
        facts = self.facts
        if (f := facts.direct_exposure.get(element_id)) is not None:
            src = facts.elements[f.source]
            flow = f.name or f.id
            if facts.enters_higher[f.id]:
                reason = (
                    f"directly exposed: {flow} enters from a zone of lower trust "
                    f"({facts.trust[f.source]} → {facts.trust[f.target]})"
                )
            else:
                reason = (
                    f"directly exposed: receives {flow} from external entity {src.name or src.id}"
                )
        self._exposure[element_id] = reason
        return reason

    def flow_exposure(self, f: Flow) -> str | None:
        if self.facts.enters_higher.get(f.id):
            t = self.facts.trust
            return f"enters a boundary of higher trust ({t[f.source]} → {t[f.target]})"
        return None

    def boundary_exposure(self, b: Boundary) -> str | None:
        facts = self.facts
        entering = any(
            b.id in facts.crossed[f.id]
            and b.id in facts.chain[f.target]
            and facts.enters_higher[f.id]
            for e in facts.members.get(b.id, ())
            for f in facts.in_flows.get(e, ())
        )
        return "receives flows from a zone of lower trust" if entering else None

    # -- threats --------------------------------------------------------------------------
    def graded(self, base: str, exposure: str | None, links: list[EvidenceLink]) -> tuple[str, str]:
        if links:
            return grade(base, exposure, links)
        key = (base, exposure)  # threats share a handful of (base, exposure) pairs per target
        if (hit := self._grades.get(key)) is None:
            hit = self._grades[key] = grade(base, exposure, ())
        return hit

    def rule_threat(
        self,
        rule: Rule,
        target: str,
        kind: str,
        values: dict[str, str],
        exposure: str | None,
        evidence_on: Iterable[str],
    ) -> None:
        links = self.evidence.links(rule, evidence_on) if self.evidence else []
        severity, reason = self.graded(rule.severity, exposure, links)
        threat = DerivedThreat(
            f"{rule.id}@{target}",
            rule.id,
            rule.category,
            target,
            kind,
            values["name"],
            severity,
            rule.severity,
            reason,
            "rule",
            rule,
            values,
        )
        if links:
            threat.evidence = links
        self.out.append(threat)
        self.specific.setdefault(target, {}).setdefault(rule.category, []).append(threat)

    def fold(self, covering: list[Threat], generic_id: str) -> Threat:
        """Fold a generic threat into the most severe of the specific ones (then by rule id)."""
        best = (
            covering[0]
            if len(covering) == 1
            else min(covering, key=lambda t: (-t.severity_rank, t.rule))
        )
        best.covers.append(generic_id)
        self.folders.append(best)
        return best

    def generics(
        self,
        table: Sequence[baseline.Generic],
        target: str,
        kind: str,
        values: dict[str, str],
        base: str,
        exposure: str | None,
        source: str,
        via: dict[str, list[Threat]] | None = None,
    ) -> dict[str, Threat]:
        """Baseline or interaction threats of one target; one that a more specific threat of the
        same target and category covers is folded into it (listed in its ``covers``); then one
        that ``via`` (interaction threats about this element on its flows) covers.
        Returns, per category, the threat that now carries the generic one."""
        severity, reason = self.graded(base, exposure, [])
        covered = self.specific.get(target)
        name = values["name"]
        out = self.out
        carriers: dict[str, Threat] = {}
        for g in table:
            if covered is not None and (covering := covered.get(g.category)):
                carriers[g.category] = self.fold(covering, f"{g.rule}@{target}")
                continue
            if via is not None and (covering := via.get(g.category)):
                carriers[g.category] = self.fold(covering, f"{g.rule}@{target}")
                continue
            threat = DerivedThreat(
                f"{g.rule}@{target}",
                g.rule,
                g.category,
                target,
                kind,
                name,
                severity,
                base,
                reason,
                source,
                g,
                values,
            )
            out.append(threat)
            carriers[g.category] = threat
            if source == "interaction":  # more specific than the flow's baseline
                self.specific.setdefault(target, {}).setdefault(g.category, []).append(threat)
        return carriers

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

    def element_via(self, e: Element) -> dict[str, list[Threat]] | None:
        via = self.via.get(e.id)
        if via is None or baseline.S not in via:
            return via
        # Impersonation is covered only when every flow the entity sends names it.
        if len(via[baseline.S]) < len(self.facts.out_flows.get(e.id, ())):
            via = {c: ts for c, ts in via.items() if c != baseline.S}
        return via

    def run(self) -> list[Threat]:
        facts, rules = self.facts, self.rules
        component_cache: dict[str, list[Rule]] = {}
        element_values: dict[str, dict[str, str]] = {}
        for e in self.element_scope:
            for rule in rules.for_component(e.component, component_cache):
                if rule.condition is None or rule.condition(facts, e):
                    values = element_values.get(e.id) or element_values.setdefault(
                        e.id, element_vars(facts, e)
                    )
                    self.rule_threat(
                        rule, e.id, "element", values, self.element_exposure(e.id), (e.id,)
                    )
        flow_rules = rules.by_target("flow")
        flow_values: dict[str, dict[str, str]] = {}
        for f in self.flow_scope:
            ends = (facts.elements[f.source].component, facts.elements[f.target].component)
            for rule in flow_rules:
                if (
                    rule.components
                    and ends[0] not in rule.components
                    and ends[1] not in rule.components
                ):
                    continue
                if rule.condition is None or rule.condition(facts, f):
                    values = flow_values.get(f.id) or flow_values.setdefault(
                        f.id, flow_vars(facts, f)
                    )
                    self.rule_threat(
                        rule, f.id, "flow", values, self.flow_exposure(f), (f.source, f.target)
                    )
        boundary_rules = rules.by_target("boundary")
        for b in self.boundary_scope:
            members = facts.members.get(b.id, ())
            for rule in boundary_rules:
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
                        self.boundary_exposure(b),
                        members,
                    )
        if any(rule.supersedes for rule in rules):
            self.fold_superseded()
        for f in self.flow_scope:
            if facts.crossed[f.id]:
                values = flow_values.get(f.id) or flow_values.setdefault(f.id, flow_vars(facts, f))
                carriers = self.generics(
                    self.interaction_table(f),
                    f.id,
                    "flow",
                    values,
                    INTERACTION_SEVERITY,
                    self.flow_exposure(f),
                    "interaction",
                )
                self.via_flows(f, carriers)
        for e in self.element_scope:
            self.generics(
                baseline.ELEMENT_BASELINE[facts.kind[e.id]],
                e.id,
                "element",
                element_values.get(e.id) or element_vars(facts, e),
                BASELINE_SEVERITY,
                self.element_exposure(e.id),
                "element",
                self.element_via(e),
            )
        plain, encrypted = baseline.ELEMENT_BASELINE["flow"], baseline.ENCRYPTED_FLOW_BASELINE
        for f in self.flow_scope:
            self.generics(
                encrypted if f.encrypted else plain,
                f.id,
                "flow",
                flow_values.get(f.id) or flow_vars(facts, f),
                BASELINE_SEVERITY,
                self.flow_exposure(f),
                "element",
            )
        return self.out

    def interaction_table(self, f: Flow) -> list[baseline.Generic]:
        """STRIDE per interaction for a crossing flow, filtered like MS TMT's Include/Exclude."""
        kinds = self.facts.kind
        chosen = []
        if f.authenticated == "none" and kinds[f.source] != "data_store":
            chosen.append(baseline.SPOOF_SOURCE)
        if not f.encrypted:
            chosen += [baseline.TAMPER, baseline.SNIFF]
        chosen.append(baseline.INTERRUPT)
        if self.facts.enters_higher[f.id] and kinds[f.target] == "process":
            chosen.append(baseline.ELEVATE)
        return chosen

    def fold_superseded(self) -> None:
        """A rule that names others in ``supersedes`` absorbs them on the same target."""
        by_target: dict[str, list[Threat]] = defaultdict(list)
        for threat in self.out:
            by_target[threat.target].append(threat)
        dropped: set[str] = set()
        for threats in by_target.values():
            present = {t.rule: t for t in threats}
            for threat in threats:
                rule = self.rules.get(threat.rule)
                for other in rule.supersedes if rule else ():
                    if (
                        other in present
                        and other != threat.rule
                        and present[other].id not in dropped
                    ):
                        threat.covers.append(present[other].id)
                        self.folders.append(threat)
                        dropped.add(present[other].id)
        if dropped:
            self.out = [t for t in self.out if t.id not in dropped]
            for by_category in self.specific.values():
                for category, threats in by_category.items():
                    by_category[category] = [t for t in threats if t.id not in dropped]


def apply_triage(model: Model, threats: Iterable[Threat]) -> None:
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
) -> list[Threat]:
    """Threats of ``model``: baseline, interactions and rule threats, folded, graded, triaged.

    ``findings`` are extra bench runs not stored in the model; the model's own runs always count.
    Same input, same output in the same order (by target, STRIDE order, rule id).
    ``facts``: the graph facts of ``model`` as it is now, to reuse. ``scope``: emit only the
    threats of these targets; a generic threat of a target outside it folded into one of them is
    missing from its ``covers`` (``rules.incremental`` puts such folds back).
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
        )
        if scope is not None:
            facts = deriver.facts
            deriver.element_scope = [e for e in facts.elements.values() if e.id in scope.elements]
            deriver.flow_scope = [f for f in facts.flows.values() if f.id in scope.flows]
            deriver.boundary_scope = [
                b for b in facts.boundaries.values() if b.id in scope.boundaries
            ]
        threats = deriver.run()
        for threat in {id(t): t for t in deriver.folders}.values():
            threat.covers.sort()
        custom = custom_threats(model, findings)
        threats += custom if scope is None else [c for c in custom if c.target in scope.targets]
        apply_triage(model, threats)
        threats.sort(key=sort_key)
        return threats
    finally:
        if was_enabled:
            gc.enable()


def stale_triage(model: Model, threats: Iterable[Threat]) -> list[str]:
    """Triage ids whose threat no longer arises (neither emitted nor folded into another)."""
    alive = set()
    for threat in threats:
        alive.add(threat.id)
        alive.update(threat.covers)
    return sorted(tid for tid in model.triage if tid not in alive)
