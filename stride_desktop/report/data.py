"""What the report says, computed once from the model and the threats (no layout here)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Model
from ..model.catalog import Catalog, DfdKind
from ..model.elements import CLOSED_STATUSES, TriageEntry
from ..rules.threat import CATEGORIES, SEVERITIES, SEVERITY_RANK, Threat


@dataclass
class RuleSummary:
    """A rule that fired: its text, written once in the catalogue, and how often it fired."""

    id: str
    title: str
    category: str
    base_severity: str
    description: str
    mitigations: list[str]
    references: list[str]
    count: int = 0
    open_count: int = 0
    example: str = ""  # the target whose wording is shown (rule text names its target)


@dataclass
class StaleEntry:
    threat_id: str
    status: str
    note: str


@dataclass
class ReportData:
    model: Model
    threats: list[Threat]  # every threat, sorted
    shown: list[Threat]  # after the include_closed option
    stale: list[StaleEntry]
    kinds: dict[str, DfdKind]
    by_target: dict[str, list[Threat]] = field(default_factory=dict)
    rules: dict[str, RuleSummary] = field(default_factory=dict)
    finding_threats: dict[str, list[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    component_names: dict[str, str] = field(default_factory=dict)  # element id -> catalog name
    shown_ids: set[str] = field(default_factory=set)
    # Lookups: Model's own are linear scans, too slow once per flow on a 5,000-element model.
    elements: dict[str, Any] = field(default_factory=dict)
    flows: dict[str, Any] = field(default_factory=dict)
    chains: dict[str | None, list[str]] = field(default_factory=dict)
    crossings: dict[str, tuple[list[str], list[str]] | None] = field(default_factory=dict)
    # The decision (page 1) and the plan's effect: see verdict.py and rules/hardening.py.
    rating_now: Any = None  # verdict.Rating
    rating_after: Any = None  # verdict.Rating once every plan item is done; None without plan
    actions: list[Any] = field(default_factory=list)  # verdict.DecisionAction, best first
    fix_potential: int = 0  # risk points that fixing every failing check would remove
    residual_done: dict[str, str] = field(default_factory=dict)  # plan items marked done
    residual_planned: dict[str, str] = field(default_factory=dict)  # once the whole plan is
    check_titles: dict[str, str] = field(default_factory=dict)  # check id -> title (any run)
    cache: dict[str, Any] = field(default_factory=dict)  # layout helpers' per-report indexes

    # -- counts ---------------------------------------------------------------------------------
    def category_severity(self) -> dict[str, Counter]:
        counts: dict[str, Counter] = {c: Counter() for c in CATEGORIES}
        for t in self.shown:
            counts.setdefault(t.category, Counter())[t.severity] += 1
        return counts

    def severity_counts(self, threats: Iterable[Threat] | None = None) -> Counter:
        return Counter(t.severity for t in (self.shown if threats is None else threats))

    def status_counts(self) -> Counter:
        return Counter(t.status for t in self.threats)

    def open_threats(self) -> list[Threat]:
        return [t for t in self.threats if t.status not in CLOSED_STATUSES]

    def highest(self, target: str) -> str | None:
        """Highest severity among the open threats of a target, for badges."""
        ranks = [
            SEVERITY_RANK.get(t.severity, 0)
            for t in self.by_target.get(target, ())
            if t.status not in CLOSED_STATUSES
        ]
        return SEVERITIES[max(ranks)] if ranks else None

    def open_count(self, target: str) -> int:
        return sum(t.status not in CLOSED_STATUSES for t in self.by_target.get(target, ()))

    def verdict(self) -> str:
        """One sentence: the rating and its reason."""
        if not self.threats:
            return "No threats were derived for this model."
        return self.rating_now.reason if self.rating_now else ""

    def matters(self) -> list[Threat]:
        """The threats the body lists: open critical or high ones, and open confirmed ones."""
        return [t for t in self.open_threats() if t.severity in ("critical", "high") or t.confirmed]

    def chain(self, boundary_id: str | None) -> list[str]:
        """The boundary and its ancestors, innermost first (cached)."""
        if boundary_id not in self.chains:
            self.chains[boundary_id] = self.model.boundary_chain(boundary_id)
        return self.chains[boundary_id]

    def name_of(self, target_id: str) -> str:
        return self.names.get(target_id, target_id)

    def crossing(self, flow_id: str) -> tuple[list[str], list[str]] | None:
        """Boundaries left and entered by a flow (innermost first), None if it crosses none."""
        if flow_id not in self.crossings:
            self.crossings[flow_id] = self._crossing(flow_id)
        return self.crossings[flow_id]

    def _crossing(self, flow_id: str) -> tuple[list[str], list[str]] | None:
        flow = self.flows.get(flow_id)
        if flow is None:
            return None
        src, dst = self.elements.get(flow.source), self.elements.get(flow.target)
        a = self.chain(src.boundary if src else None)
        b = self.chain(dst.boundary if dst else None)
        left, entered = [x for x in a if x not in b], [x for x in b if x not in a]
        return (left, entered) if left or entered else None


def _normalize_stale(stale: Any, triage: Mapping[str, TriageEntry]) -> list[StaleEntry]:
    """Accept a mapping id -> TriageEntry, (id, entry) pairs, bare ids or objects with fields."""
    if not stale:
        return []
    items: Iterable[Any] = stale.items() if isinstance(stale, Mapping) else stale
    out = []
    for item in items:
        if isinstance(item, str):  # rules.stale_triage gives ids: the decision is in the model
            entry = triage.get(item, TriageEntry())
            out.append(StaleEntry(item, entry.status, entry.note))
            continue
        if isinstance(item, tuple) and len(item) == 2:
            tid, entry = item
        else:
            tid = getattr(item, "threat_id", None) or getattr(item, "id", "")
            entry = getattr(item, "entry", item)
        entry = entry if entry is not None else TriageEntry()
        out.append(
            StaleEntry(str(tid), str(getattr(entry, "status", "")), str(getattr(entry, "note", "")))
        )
    return sorted(out, key=lambda s: s.threat_id)


def build_data(
    model: Model, threats: Iterable[Threat], stale: Any, *, include_closed: bool, catalog: Catalog
) -> ReportData:
    every = sorted(threats, key=lambda t: (t.target, -SEVERITY_RANK.get(t.severity, 0), t.id))
    shown = every if include_closed else [t for t in every if t.status not in CLOSED_STATUSES]
    kinds, names = {}, {}
    for element in model.elements:
        comp = catalog.components.get(element.component)
        kinds[element.id] = comp.kind if comp else DfdKind.PROCESS
        names[element.id] = comp.name if comp else element.component
    data = ReportData(
        model=model,
        threats=every,
        shown=shown,
        stale=_normalize_stale(stale, model.triage),
        kinds=kinds,
        component_names=names,
    )
    data.shown_ids = {t.id for t in shown}
    data.elements = model.elements_by_id()
    data.flows = {f.id: f for f in model.flows}
    data.names = {b.id: b.name for b in model.boundaries}
    data.names.update({f.id: f.name or f.id for f in model.flows})
    data.names.update({e.id: e.name for e in model.elements})
    by_target: dict[str, list[Threat]] = defaultdict(list)
    for t in every:
        by_target[t.target].append(t)
        data.names.setdefault(t.target, t.target_name)
        rule = data.rules.get(t.rule)
        if rule is None:
            rule = data.rules[t.rule] = RuleSummary(
                t.rule,
                t.title,
                t.category,
                t.base_severity,
                t.description,
                list(t.mitigations),
                list(t.references),
                example=t.target_name,
            )
        rule.count += 1
        rule.open_count += t.status not in CLOSED_STATUSES
        for link in t.evidence:
            data.finding_threats.setdefault(link.finding_id, []).append(t.id)
    data.by_target = dict(by_target)
    data.rules = dict(sorted(data.rules.items()))
    _decide(data)
    return data


def _decide(data: ReportData) -> None:
    from ..rules.hardening import residuals
    from .verdict import after_plan, decision_actions, fix_potential, rating

    open_ = data.open_threats()
    for run in data.model.bench_runs:
        for finding in run.findings:
            data.check_titles.setdefault(finding.check_id or finding.key, finding.title)
    data.rating_now = rating(open_)
    data.rating_after = after_plan(data.model, data.threats, open_)
    data.actions = decision_actions(data.model, data.threats, open_)
    data.fix_potential = fix_potential(data.model, data.threats)
    if data.model.hardening:
        data.residual_done = residuals(data.model, data.threats, done_only=True)
        data.residual_planned = residuals(data.model, data.threats, done_only=False)
