"""The threats that matter, in the body: open critical and high threats and open confirmed ones,
identical threats on replicas as one row listing their targets."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from ..rules.threat import Threat
from .cells import evidence_spans, severity_spans, status_label
from .data import ReportData
from .document import heading
from .fasttable import Cell, compact_columns
from .fonts import shorten
from .grouping import group_replicas
from .styles import ACCENT, MUTED, STATUS_COLORS, styles
from .textcell import Span, span
from .verdict import exposed

HEADER = ["Severity", "Threat", "Targets", "Evidence", "Decision"]
MAX_TARGETS = 6


def _threat_cell(group: list[Threat]) -> Cell:
    lead = group[0]
    spans = [span(lead.title, limit=240, bold=True)]
    tags = []
    if any(t.confirmed for t in group):
        spans.append(Span("· confirmed", color=STATUS_COLORS["fail"]))
    elif any(t.verified for t in group):
        spans.append(Span("· control verified", color=STATUS_COLORS["pass"]))
    if any(exposed(t) for t in group):
        tags.append("reachable from lower trust")
    if lead.source == "custom":
        tags.append("custom threat")
    spans.append(span(lead.rule, limit=120, color=ACCENT, newline=True))
    if tags:
        spans.append(Span("· " + ", ".join(tags), color=MUTED))
    return spans


def _targets_cell(group: list[Threat]) -> Cell:
    """Names with their ids where they differ (the threat id is RULE@ID), comma-separated."""
    spans: list[Span] = []
    for i, t in enumerate(group[:MAX_TARGETS]):
        comma = "," if i < min(len(group), MAX_TARGETS) - 1 or len(group) > MAX_TARGETS else ""
        if t.target_name and t.target_name != t.target:
            spans.append(span(shorten(t.target_name, 48)))
            spans.append(span(f"({t.target}){comma}", limit=100, color=MUTED))
        else:
            spans.append(span(f"{t.target}{comma}", limit=100))
    if len(group) > MAX_TARGETS:
        spans.append(Span(f"+{len(group) - MAX_TARGETS} more", color=MUTED))
    return spans


def decision_spans(data: ReportData, group: list[Threat]) -> Cell:
    """Status, owner, ticket and note of the decision, and the residual severity once the plan
    items confirming it are done (or would be, once the plan is carried out)."""
    lead = group[0]
    entry = data.model.triage.get(lead.id)
    spans: list[Span] = []
    if lead.status != "open":
        spans.append(Span(status_label(lead.status), bold=True))
    if entry is not None:
        for label, value in (("owner", entry.owner), ("ticket", entry.ticket)):
            if value:
                spans.append(span(f"{label}: {value}", limit=120, newline=True))
        if entry.note:
            spans.append(span(entry.note, limit=300, newline=True, color=MUTED))
    done = data.residual_done.get(lead.id)
    planned = data.residual_planned.get(lead.id)
    if done:
        spans.append(Span(f"residual {done} (plan done)", bold=True, newline=True))
    elif planned:
        spans.append(Span(f"{planned} once the plan is done", newline=True, color=MUTED))
    return spans


def matters_story(data: ReportData, width: float) -> list[Flowable]:
    threats = sorted(
        data.matters(),
        key=lambda t: (-t.severity_rank, not t.confirmed, not exposed(t), t.rule, t.target),
    )
    if not threats:
        return []
    groups = group_replicas(threats)
    rows = [
        [
            severity_spans(g[0].severity),
            _threat_cell(g),
            _targets_cell(g),
            evidence_spans(g[0], limit=4),
            decision_spans(data, g),
        ]
        for g in groups
    ]
    s = styles()
    intro = (
        f"{len(threats)} open threats are critical or high, or confirmed by a failing check, "
        f"in {len(groups)} rows: identical threats on replicas share a row that lists their "
        "targets (each keeps its own id, RULE@TARGET, for triage). Every threat of every element "
        "is in the appendix."
    )
    widths = [54, width * 0.34, width * 0.24, 80, 0.0]
    widths[4] = width - sum(widths)
    return [
        heading("Threats that matter", 0, "sec-matters"),
        Paragraph(intro, s["small"]),
        compact_columns(HEADER, rows, widths, grow=1),
    ]
