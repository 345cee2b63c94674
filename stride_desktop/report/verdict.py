"""The decision on page 1: a risk rating with its reason, the top actions, the risk left after
the hardening plan. Computed from the threats and the plan; no layout here."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..model import Model
from ..rules.hardening import RISK_WEIGHT, Action, rank_actions, residuals, risk_of
from ..rules.threat import SEVERITIES, Threat
from .grouping import group_replicas

LEVELS = tuple(reversed(SEVERITIES))  # critical first


def exposed(threat: Threat) -> bool:
    """Raised because it is reachable from a zone of lower trust (the engine's reason says so)."""
    reason = threat.severity_reason
    return "exposed" in reason or "higher trust" in reason


@dataclass
class Rating:
    level: str | None  # worst open severity; None when nothing is open
    reason: str  # one sentence
    points: int  # sum of the open threats' risk weights

    @property
    def detail(self) -> str:
        """The reason without its leading "Level: "."""
        _level, sep, rest = self.reason.partition(": ")
        return rest[:1].upper() + rest[1:] if sep and self.level else self.reason


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def rating(open_threats: list[Threat], severity: Mapping[str, str] | None = None) -> Rating:
    """``severity`` overrides a threat's severity (residual severities after the plan)."""
    severity = severity or {}

    def sev(t: Threat) -> str:
        return severity.get(t.id, t.severity)

    points = sum(risk_of(sev(t)) for t in open_threats)
    if not open_threats:
        return Rating(None, "No open threat: every derived threat has been triaged.", 0)
    level = next(lv for lv in LEVELS if any(sev(t) == lv for t in open_threats))
    worst = [t for t in open_threats if sev(t) == level]
    reason = f"{level.capitalize()}: {_plural(len(worst), level + ' threat')} open"
    reachable = sum(exposed(t) for t in worst)
    confirmed = sum(t.confirmed for t in worst)
    parts = []
    if reachable:
        parts.append(f"{reachable} reachable from a zone of lower trust")
    if confirmed:
        parts.append(f"{confirmed} confirmed by failing checks")
    if parts:
        reason += ", " + ", ".join(parts)
    return Rating(level, reason + ".", points)


@dataclass
class DecisionAction:
    kind: str  # "harden": fix failing checks; "mitigate": apply a rule's mitigation
    threats: list[Threat]  # the open threats it closes, most severe first
    risk_removed: int
    checks: list[str] = field(default_factory=list)  # check ids that confirm them
    advice: str = ""  # what to do (first mitigation) for "mitigate"


def _from_hardening(action: Action) -> DecisionAction:
    return DecisionAction(
        "harden", list(action.closes), action.risk_removed, checks=list(action.checks)
    )


def _mitigations(open_threats: list[Threat], covered: set[str]) -> list[DecisionAction]:
    """One action per rule among the open critical and high threats no chosen fix covers
    (replicas of one rule are one action)."""
    rest = [t for t in open_threats if t.id not in covered and t.severity in ("critical", "high")]
    groups = group_replicas(sorted(rest, key=lambda t: (-t.severity_rank, t.rule, t.target)))
    return [
        DecisionAction(
            "mitigate",
            group,
            sum(RISK_WEIGHT[t.severity] for t in group),
            advice=group[0].mitigations[0] if group[0].mitigations else "",
        )
        for group in groups
    ]


def _by_risk(action: DecisionAction) -> tuple[int, int, str]:
    return (-action.risk_removed, action.kind != "harden", action.threats[0].rule)


def decision_actions(
    model: Model, threats: Iterable[Threat], open_threats: list[Threat], *, limit: int = 5
) -> list[DecisionAction]:
    """The ``limit`` actions that remove the most risk: fixing failing checks (ranked by the
    risk they remove) and the mitigations of the open critical and high threats that no chosen
    fix covers. A fix comes first only on a tie; a fix that does not make the list leaves its
    threats to their mitigations."""
    fixes = [_from_hardening(a) for a in rank_actions(model, threats) if a.closes][:limit]
    while True:
        covered = {t.id for a in fixes for t in a.threats}
        chosen = sorted(fixes + _mitigations(open_threats, covered), key=_by_risk)[:limit]
        kept = [a for a in chosen if a.kind == "harden"]
        if len(kept) == len(fixes):
            return chosen
        fixes = kept  # fewer fixes cover fewer threats: their mitigations may now compete


def fix_potential(model: Model, threats: Iterable[Threat]) -> int:
    """The risk points that fixing every failing check confirming an open threat removes."""
    return sum(a.risk_removed for a in rank_actions(model, threats) if a.closes)


def after_plan(model: Model, threats: list[Threat], open_threats: list[Threat]) -> Rating | None:
    """The rating once every plan item is carried out (None without a plan)."""
    if not model.hardening:
        return None
    return rating(open_threats, residuals(model, threats, done_only=False))
