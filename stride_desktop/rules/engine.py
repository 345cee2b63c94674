"""derive(): turn a model and a rule set into the list of threats. Pure and deterministic.

Order of work: component rules first (so we know which (target, category) pairs a specific
rule covers), then STRIDE per interaction for crossing flows, then the STRIDE-per-element
baseline; a generic threat whose pair is already covered is folded into the specific one
(listed in its ``covers``) instead of being emitted. Triage is applied last.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from ..io import default_catalog
from ..model import BenchRun, Boundary, Catalog, Element, Flow, Model
from . import baseline
from .evidence import EvidenceIndex
from .graph import Facts
from .loader import Rule, RuleSet
from .threat import CATEGORIES, SEVERITIES, EvidenceLink, Threat

CATEGORY_ORDER = {c: i for i, c in enumerate(CATEGORIES)}
_UP = dict(zip(SEVERITIES, SEVERITIES[1:] + SEVERITIES[-1:]))
BASELINE_SEVERITY = "low"
INTERACTION_SEVERITY = "medium"


def grade(base: str, exposure: str | None, links: Iterable[EvidenceLink]) -> tuple[str, str]:
    """Severity after exposure and evidence, with the reason in words."""
    severity, parts = base, [f"base {base}"]
    if exposure:
        raised = _UP[severity]
        parts.append(f"raised to {raised}: {exposure}" if raised != severity
                     else f"{exposure} (already {severity})")
        severity = raised
    links = list(links)
    failing = [link for link in links if link.confirms]
    passing = [link for link in links if link.verifies]
    if failing:
        raised = _UP[severity]
        checks = ", ".join(f"{link.check_id or link.title} ({link.tool})" for link in failing)
        parts.append(f"raised to {raised}: confirmed by failing check {checks}" if raised != severity
                     else f"confirmed by failing check {checks} (already {severity})")
        severity = raised
    elif passing:
        checks = ", ".join(f"{link.check_id or link.title} ({link.tool})" for link in passing)
        parts.append(f"control verified by passing check {checks}")
    return severity, "; ".join(parts)


def element_vars(facts: Facts, e: Element) -> dict[str, str]:
    return {"name": e.name or e.id, "id": e.id, "component": facts.component_name[e.id],
            "boundary": facts.boundary_name(e.id)}


def flow_vars(facts: Facts, f: Flow) -> dict[str, str]:
    src, dst = facts.elements[f.source], facts.elements[f.target]
    crossed = facts.crossed.get(f.id, ())
    boundary = (", ".join(facts.boundaries[b].name or b for b in crossed) if crossed
                else facts.boundary_name(f.target))
    return {"name": f.name or f"{src.name or src.id} → {dst.name or dst.id}", "id": f.id,
            "component": facts.component_name[f.target], "boundary": boundary,
            "source": src.name or src.id, "target": dst.name or dst.id, "protocol": f.protocol,
            "port": str(f.port) if f.port is not None else "any port"}


def boundary_vars(facts: Facts, b: Boundary) -> dict[str, str]:
    parent = facts.boundaries.get(b.parent) if b.parent else None
    return {"name": b.name or b.id, "id": b.id, "component": b.kind,
            "boundary": (parent.name or parent.id) if parent else "outside any boundary"}


class _Deriver:
    def __init__(self, model: Model, rules: RuleSet, runs: Iterable[BenchRun], catalog: Catalog):
        self.model = model
        self.rules = rules
        self.facts = Facts(model, catalog)
        self.evidence = EvidenceIndex(runs)
        self.specific: dict[tuple[str, str], list[Threat]] = defaultdict(list)
        self.out: list[Threat] = []

    # -- exposure, in words ---------------------------------------------------------------
    def element_exposure(self, element_id: str) -> str | None:
        if element_id in self.facts.reachable_from_untrusted:
            return "reachable by flows from an untrusted zone"
        return None

    def flow_exposure(self, f: Flow) -> str | None:
        if self.facts.enters_higher.get(f.id):
            t = self.facts.trust
            return f"enters a boundary of higher trust ({t[f.source]} → {t[f.target]})"
        return None

    def boundary_exposure(self, b: Boundary) -> str | None:
        facts = self.facts
        entering = any(b.id in facts.crossed[f.id] and b.id in facts.chain[f.target]
                       and facts.enters_higher[f.id]
                       for e in facts.members.get(b.id, ()) for f in facts.in_flows.get(e, ()))
        return "receives flows from a zone of lower trust" if entering else None

    # -- threats --------------------------------------------------------------------------
    def emit(self, *, rule_id: str, category: str, target: str, kind: str, target_name: str,
             title: str, description: str, base: str, exposure: str | None, source: str,
             mitigations: Iterable[str], references: Iterable[str] = (),
             links: list[EvidenceLink] | None = None) -> Threat:
        links = links or []
        severity, reason = grade(base, exposure, links)
        threat = Threat(id=f"{rule_id}@{target}", rule=rule_id, category=category, target=target,
                        target_kind=kind, target_name=target_name, title=title,
                        description=description, severity=severity, base_severity=base,
                        severity_reason=reason, source=source, mitigations=list(mitigations),
                        references=list(references), evidence=links)
        self.out.append(threat)
        return threat

    def rule_threat(self, rule: Rule, target: str, kind: str, values: dict[str, str],
                    exposure: str | None, evidence_on: Iterable[str]) -> None:
        threat = self.emit(rule_id=rule.id, category=rule.category, target=target, kind=kind,
                           target_name=values["name"], title=rule.title.format_map(values),
                           description=rule.description.format_map(values), base=rule.severity,
                           exposure=exposure, source="rule", mitigations=rule.mitigations,
                           references=rule.references, links=self.evidence.links(rule, evidence_on))
        self.specific[(target, rule.category)].append(threat)

    def generic(self, g: baseline.Generic, *, target: str, kind: str, values: dict[str, str],
                base: str, exposure: str | None, source: str) -> Threat | None:
        covering = self.specific.get((target, g.category))
        if covering:  # fold into the most severe specific threat on this target and category
            best = min(covering, key=lambda t: (-t.severity_rank, t.rule))
            best.covers.append(f"{g.rule}@{target}")
            return None
        name = values["name"]
        description = g.description.format_map(values).replace(f"{name} ({name})", name)
        return self.emit(rule_id=g.rule, category=g.category, target=target, kind=kind,
                         target_name=name, title=g.title.format_map(values),
                         description=description, base=base,
                         exposure=exposure, source=source,
                         mitigations=[m.format_map(values) for m in g.mitigations])

    def run(self) -> list[Threat]:
        facts, rules = self.facts, self.rules
        component_cache: dict[str, list[Rule]] = {}
        element_values: dict[str, dict[str, str]] = {}
        for e in facts.elements.values():
            for rule in rules.for_component(e.component, component_cache):
                if rule.condition is None or rule.condition(facts, e):
                    values = element_values.get(e.id) or element_values.setdefault(
                        e.id, element_vars(facts, e))
                    self.rule_threat(rule, e.id, "element", values, self.element_exposure(e.id), (e.id,))
        flow_rules = rules.by_target("flow")
        flow_values: dict[str, dict[str, str]] = {}
        for f in facts.flows.values():
            ends = (facts.elements[f.source].component, facts.elements[f.target].component)
            for rule in flow_rules:
                if rule.components and ends[0] not in rule.components and ends[1] not in rule.components:
                    continue
                if rule.condition is None or rule.condition(facts, f):
                    values = flow_values.get(f.id) or flow_values.setdefault(f.id, flow_vars(facts, f))
                    self.rule_threat(rule, f.id, "flow", values, self.flow_exposure(f),
                                     (f.source, f.target))
        for b in facts.boundaries.values():
            members = facts.members.get(b.id, ())
            for rule in rules.by_target("boundary"):
                if rule.components and not any(facts.elements[m].component in rule.components
                                               for m in members):
                    continue
                if rule.condition is None or rule.condition(facts, b):
                    self.rule_threat(rule, b.id, "boundary", boundary_vars(facts, b),
                                     self.boundary_exposure(b), members)
        self.fold_superseded()
        for f in facts.flows.values():
            if facts.crossed[f.id]:
                values = flow_values.get(f.id) or flow_values.setdefault(f.id, flow_vars(facts, f))
                self.interactions(f, values)
        for e in facts.elements.values():
            values = element_values.get(e.id) or element_vars(facts, e)
            exposure = self.element_exposure(e.id)
            for g in baseline.ELEMENT_BASELINE[facts.kind[e.id]]:
                self.generic(g, target=e.id, kind="element", values=values, base=BASELINE_SEVERITY,
                             exposure=exposure, source="element")
        for f in facts.flows.values():
            values = flow_values.get(f.id) or flow_vars(facts, f)
            exposure = self.flow_exposure(f)
            for g in baseline.ELEMENT_BASELINE["flow"]:
                self.generic(g, target=f.id, kind="flow", values=values, base=BASELINE_SEVERITY,
                             exposure=exposure, source="element")
        return self.out

    def interactions(self, f: Flow, values: dict[str, str]) -> None:
        kinds = self.facts.kind
        exposure = self.flow_exposure(f)
        chosen = []
        if f.authenticated == "none" and kinds[f.source] != "data_store":
            chosen.append(baseline.SPOOF_SOURCE)
        if not f.encrypted:
            chosen += [baseline.TAMPER, baseline.SNIFF]
        chosen.append(baseline.INTERRUPT)
        if self.facts.enters_higher[f.id] and kinds[f.target] == "process":
            chosen.append(baseline.ELEVATE)
        for g in chosen:
            threat = self.generic(g, target=f.id, kind="flow", values=values,
                                  base=INTERACTION_SEVERITY, exposure=exposure, source="interaction")
            if threat is not None:  # an interaction threat is more specific than the baseline
                self.specific[(f.id, g.category)].append(threat)

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
                    if other in present and other != threat.rule and present[other].id not in dropped:
                        threat.covers.append(present[other].id)
                        dropped.add(present[other].id)
        if dropped:
            self.out = [t for t in self.out if t.id not in dropped]
            for key, threats in list(self.specific.items()):
                self.specific[key] = [t for t in threats if t.id not in dropped]


def apply_triage(model: Model, threats: Iterable[Threat]) -> None:
    for threat in threats:
        entry = model.triage.get(threat.id)
        if entry is not None:
            threat.status, threat.note = entry.status, entry.note


def sort_key(threat: Threat) -> tuple[Any, ...]:
    return (threat.target, CATEGORY_ORDER[threat.category], threat.rule)


def derive(model: Model, rules: RuleSet, findings: Iterable[BenchRun] = (), *,
           catalog: Catalog | None = None) -> list[Threat]:
    """Threats of ``model``: baseline, interactions and rule threats, folded, graded, triaged.

    ``findings`` are extra bench runs not stored in the model; the model's own runs always count.
    Same input, same output in the same order (by target, STRIDE order, rule id).
    """
    deriver = _Deriver(model, rules, [*model.bench_runs, *findings], catalog or default_catalog())
    threats = deriver.run()
    for threat in threats:
        threat.covers.sort()
    apply_triage(model, threats)
    threats.sort(key=sort_key)
    return threats


def stale_triage(model: Model, threats: Iterable[Threat]) -> list[str]:
    """Triage ids whose threat no longer arises (neither emitted nor folded into another)."""
    alive = set()
    for threat in threats:
        alive.add(threat.id)
        alive.update(threat.covers)
    return sorted(tid for tid in model.triage if tid not in alive)
