"""Custom threats: the ones a person wrote into the model, as Threats beside the derived ones.

Their severity is the person's; a failing check they were made from (``finding``) is linked as
evidence that confirms them, so the report and the hardening plan treat them like rule threats.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import BenchRun, CustomThreat, Model
from .threat import EvidenceLink, Threat

CUSTOM_RULE_PREFIX = "CUSTOM-"


def is_custom(threat: Threat) -> bool:
    return threat.source == "custom"


def _evidence(custom: CustomThreat, runs: dict[str, BenchRun]) -> list[EvidenceLink]:
    if not custom.finding:
        return []
    run_id, _, key = custom.finding.partition(":")
    run = runs.get(run_id)
    finding = next((f for f in run.findings if f.key == key), None) if run else None
    if run is None or finding is None:
        return []
    return [
        EvidenceLink(
            finding_id=custom.finding,
            check_id=finding.check_id,
            title=finding.title,
            status=finding.status,
            tool=run.tool,
        )
    ]


def custom_threats(model: Model, extra_runs: Iterable[BenchRun] = ()) -> list[Threat]:
    """The model's custom threats (untriaged: the caller applies triage with the others)."""
    if not model.custom_threats:
        return []
    names = {e.id: e.name or e.id for e in model.elements}
    flows = {f.id: f.name or f.id for f in model.flows}
    runs = {r.id: r for r in (*model.bench_runs, *extra_runs)}
    out = []
    for custom in model.custom_threats:
        kind = "flow" if custom.target in flows else "element"
        mitigations = [custom.mitigation] if custom.mitigation else []
        out.append(
            Threat(
                id=custom.threat_id,
                rule=CUSTOM_RULE_PREFIX + custom.id,
                category=custom.category,
                target=custom.target,
                target_kind=kind,
                target_name=flows.get(custom.target) or names.get(custom.target, custom.target),
                title=custom.title,
                description=custom.description,
                severity=custom.severity,
                base_severity=custom.severity,
                severity_reason="set by the person who added this threat",
                source="custom",
                mitigations=mitigations,
                evidence=_evidence(custom, runs),
            )
        )
    return out


def new_custom_id(model: Model) -> str:
    """c1, c2, ...: the first free custom-threat id."""
    used = {c.id for c in model.custom_threats}
    return next(f"c{n}" for n in range(1, len(used) + 2) if f"c{n}" not in used)


def unclaimed_failures(model: Model, threats: Iterable[Threat]) -> list[str]:
    """Finding ids of failing checks that no threat names (candidates for a custom threat)."""
    named = {link.finding_id for t in threats for link in t.evidence}
    return [
        run.finding_id(f)
        for run in model.bench_runs
        for f in run.findings
        if f.status == "fail" and run.finding_id(f) not in named
    ]


def threat_from_check(
    model: Model, finding_id: str, *, target: str | None = None, remediation: str = ""
) -> CustomThreat:
    """A custom threat made from a failing check, on ``target`` or the check's first element.

    Raises KeyError when the finding is unknown, ValueError when it names no element and no
    target is given.
    """
    found = model.find_finding(finding_id)
    if found is None:
        raise KeyError(finding_id)
    _run, finding = found
    target = target or (finding.elements[0] if finding.elements else None)
    if target is None:
        raise ValueError(f"check {finding.check_id or finding.key} is attached to no element")
    custom_id = new_custom_id(model)
    details = "; ".join(v for v in finding.evidence.values() if v)
    severity = {"low": "low", "high": "high"}.get(finding.severity or "", "medium")
    return CustomThreat(
        id=custom_id,
        target=target,
        title=f"Failing check {finding.check_id or finding.key}: {finding.title}",
        category="Tampering",
        severity=severity,
        description=(
            f"The bench check failed: {finding.title}." + (f" {details}" if details else "")
        ),
        mitigation=finding.remediation or remediation,
        finding=finding_id,
    )
