"""The hardening plan: each item with its owner, due date and state, and the threats it
addresses grouped by rule (replicas under one id) with their residual severity."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from ..bench.remediation import remediation_for
from ..model import HardeningEntry
from .data import ReportData
from .document import heading
from .fasttable import compact_columns
from .styles import MUTED, styles
from .textcell import SIZE, Span, _width, span

MAX_TARGETS = 8  # targets named in one cell before "+N more"
PAD = 10.0  # a cell's left and right padding together


def _addressed(data: ReportData, entry: HardeningEntry) -> list[Span]:
    """Per rule its id, then each target with its severity now and once the plan is done."""
    threats = {t.id: t for t in data.threats}
    by_rule: dict[str, list[str]] = {}
    for tid in entry.threats:
        rule = threats[tid].rule if tid in threats else tid.partition("@")[0]
        by_rule.setdefault(rule, []).append(tid)
    spans: list[Span] = []
    named = 0
    for rule, ids in by_rule.items():
        if named >= MAX_TARGETS:
            break
        spans.append(span(rule, limit=120, bold=True, newline=True))
        for k, tid in enumerate(ids):
            if named >= MAX_TARGETS:
                break
            named += 1
            t = threats.get(tid)
            target = t.target_name if t is not None else tid.partition("@")[2]
            sep = "," if k < len(ids) - 1 else ""
            if t is not None and tid in data.residual_planned:
                spans.append(span(target, limit=60, newline=True))
                after = data.residual_planned[tid]
                spans.append(Span(f"{t.severity} → {after}{sep}", color=MUTED))
            else:
                spans.append(span(target + sep, limit=60, newline=True))
    if len(entry.threats) > named:
        spans.append(Span(f"+{len(entry.threats) - named} more", newline=True, color=MUTED))
    return spans


def _plan_width(notes: list[str], width: float) -> float:
    """As wide as the longest note on one line (short notes leave room for the threats), at
    least a sixth and at most a third of the table."""
    longest = max((_width(n, False, SIZE) for n in notes), default=0.0) + PAD
    return min(max(longest, width / 6), width / 3)


def hardening_story(data: ReportData, width: float) -> list[Flowable]:
    """Nothing when there is no plan."""
    s = styles()
    plan = data.model.hardening
    if not plan:
        return []
    story: list[Flowable] = [heading("Hardening plan", 0, "sec-hardening")]
    done = sum(h.done for h in plan)
    story.append(
        Paragraph(
            f"{len(plan)} checks chosen for hardening, {done} done. Residual severity: what a "
            "threat is once every check confirming it is fixed.",
            s["small"],
        )
    )
    rows = []
    notes = []
    for entry in plan:
        found = data.model.find_finding(entry.finding)
        if found:
            run, f = found
            check = [span(f.check_id or f.key, limit=40, bold=True), span(f.title, limit=300)]
            what = entry.note or remediation_for(run, f)
        else:
            check = [span(entry.finding, limit=120), Span("finding not in the model", color=MUTED)]
            what = entry.note
        notes.append(what or "")
        state = [Span(entry.state.replace("_", " ").capitalize(), bold=True)]
        for label, value in (("owner", entry.owner), ("due", entry.due)):
            if value:
                state.append(span(f"{label}: {value}", limit=80, newline=True))
        rows.append(
            [check, [span(what, limit=700)] if what else [], state, _addressed(data, entry)]
        )
    widths = [
        width * 0.27,
        _plan_width(notes, width),
        width * 0.16,
        0.0,
    ]  # 'due: 2027-01-15' on one line
    widths[3] = width - sum(widths)
    story.append(
        compact_columns(["Check", "Plan", "State", "Threats and residual"], rows, widths, grow=3)
    )
    return story
