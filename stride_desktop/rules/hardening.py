"""Which failing checks to harden first, and what risk is left once the plan is carried out.

A failing check that confirms a threat argues for fixing it. Checks are grouped into *actions*
by the threat they would close (the most severe open threat they confirm), and actions are
ranked by the risk they remove, greedily: an action is credited only with threats that no
higher-ranked action closes already, so the top three close three different problems rather
than three audit-log flags of one threat.

Risk is a weight per severity (low 1, medium 3, high 9, critical 27): one critical threat
outweighs two highs. Hardening every failing check that confirms a threat takes the
confirmation away: its residual severity is one level lower (the raise the evidence gave it),
and the risk removed is the difference. A threat stays open until someone triages it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..model import Finding, HardeningEntry, Model
from .threat import SEVERITIES, SEVERITY_RANK, Threat

RISK_WEIGHT = {"low": 1, "medium": 3, "high": 9, "critical": 27}


def risk_of(severity: str | None) -> int:
    return RISK_WEIGHT.get(severity or "", 0)


def step_down(severity: str) -> str:
    return SEVERITIES[max(0, SEVERITY_RANK[severity] - 1)]


@dataclass
class Suggestion:
    """One failing finding and the threats it confirms."""

    finding_id: str  # "RUN_ID:KEY"
    finding: Finding
    threats: list[str] = field(default_factory=list)  # ids of the threats it confirms
    best_severity: str | None = None  # the most severe of those threats
    open_threats: int = 0  # how many of them are still open after triage

    @property
    def check(self) -> str:
        return self.finding.check_id or self.finding.key


@dataclass
class Action:
    """Fix these checks to close this problem: the unit of "take the top three"."""

    threat: Threat | None  # the most severe open threat the checks confirm (None: confirm none)
    suggestions: list[Suggestion] = field(default_factory=list)
    closes: list[Threat] = field(default_factory=list)  # open threats confirmed, most severe first
    risk_removed: int = 0  # counted once across the ranked actions

    @property
    def finding_ids(self) -> list[str]:
        return [s.finding_id for s in self.suggestions]

    @property
    def checks(self) -> list[str]:
        return [s.check for s in self.suggestions]

    @property
    def elements(self) -> list[str]:
        """Names of the targets whose threats it closes, in order, without repeats."""
        return list(dict.fromkeys(t.target_name for t in self.closes))

    @property
    def severity(self) -> str | None:
        return self.threat.severity if self.threat else None


def _confirmed_by(threats: Iterable[Threat]) -> dict[str, list[Threat]]:
    by_finding: dict[str, list[Threat]] = defaultdict(list)
    for threat in threats:
        if not getattr(threat, "has_evidence", lambda: True)():
            continue
        for link in threat.evidence:
            if link.confirms:
                by_finding[link.finding_id].append(threat)
    return by_finding


def _suggestions(model: Model, by_finding: Mapping[str, list[Threat]]) -> list[Suggestion]:
    out = []
    for run in model.bench_runs:
        for finding in run.findings:
            if finding.status != "fail":
                continue
            fid = run.finding_id(finding)
            confirmed = sorted(by_finding.get(fid, ()), key=lambda t: (-t.severity_rank, t.id))
            open_ = [t for t in confirmed if t.is_open]
            out.append(
                Suggestion(
                    finding_id=fid,
                    finding=finding,
                    threats=[t.id for t in confirmed],
                    best_severity=(open_ or confirmed)[0].severity if confirmed else None,
                    open_threats=len(open_),
                )
            )
    return out


def _gain(threat: Threat) -> int:
    return risk_of(threat.severity) - risk_of(step_down(threat.severity))


def rank_actions(model: Model, threats: Iterable[Threat]) -> list[Action]:
    """Every failing finding of the model, grouped into actions ranked by the risk they remove.

    Findings that confirm no open threat come last, one action each (nothing argues for them
    but the check itself).
    """
    by_finding = _confirmed_by(threats)
    open_by_finding = {fid: [t for t in ts if t.is_open] for fid, ts in by_finding.items()}
    groups: dict[str, Action] = {}
    loose: list[Action] = []
    for suggestion in _suggestions(model, by_finding):
        confirmed = sorted(
            open_by_finding.get(suggestion.finding_id, ()), key=lambda t: (-t.severity_rank, t.id)
        )
        if not confirmed:
            loose.append(Action(threat=None, suggestions=[suggestion]))
            continue
        action = groups.setdefault(confirmed[0].id, Action(threat=confirmed[0]))
        action.suggestions.append(suggestion)
        known = {t.id for t in action.closes}
        action.closes += [t for t in confirmed if t.id not in known]
    ranked: list[Action] = []
    credited: set[str] = set()
    pending = list(groups.values())
    while pending:  # greedy: the action that removes most of what is left goes next

        def left(action: Action) -> int:
            return sum(_gain(t) for t in action.closes if t.id not in credited)

        best = min(
            pending,
            key=lambda a: (-left(a), -(a.threat.severity_rank if a.threat else 0), a.checks),
        )
        pending.remove(best)
        best.risk_removed = left(best)
        credited.update(t.id for t in best.closes)
        best.closes.sort(key=lambda t: (-t.severity_rank, t.id))
        ranked.append(best)
    # then the checks that confirm only closed threats (most severe first), then the rest
    return ranked + sorted(
        loose,
        key=lambda a: (-risk_of(a.suggestions[0].best_severity), a.finding_ids),
    )


def suggest_hardening(model: Model, threats: Iterable[Threat]) -> list[Suggestion]:
    """Every failing finding, in the order of the ranked actions it belongs to."""
    return [s for action in rank_actions(model, threats) for s in action.suggestions]


def threats_addressed(model: Model, threats: Iterable[Threat], finding_id: str) -> list[str]:
    """Ids of the threats that hardening this finding addresses (the ones it links to)."""
    return sorted(
        t.id for t in threats if any(link.finding_id == finding_id for link in t.evidence)
    )


def residual_severity(
    threat: Threat, plan: Mapping[str, HardeningEntry], *, done_only: bool
) -> str:
    """The threat's severity once the plan items for every failing check confirming it are
    carried out (``done_only``: only items marked done count)."""
    failing = [link.finding_id for link in threat.evidence if link.confirms]
    if not failing:
        return threat.severity
    for finding_id in failing:
        entry = plan.get(finding_id)
        if entry is None or (done_only and not entry.done):
            return threat.severity
    return step_down(threat.severity)


def residuals(model: Model, threats: Iterable[Threat], *, done_only: bool) -> dict[str, str]:
    """Threat id -> residual severity, for the threats the plan lowers."""
    plan = {h.finding: h for h in model.hardening}
    out = {}
    for threat in threats:
        if plan and threat.is_open and threat.confirmed:
            after = residual_severity(threat, plan, done_only=done_only)
            if after != threat.severity:
                out[threat.id] = after
    return out
