"""Table cells shared by the sections; fixed vocabulary stays plain strings (cheap to lay out)."""

from __future__ import annotations

from reportlab.platypus import Paragraph

from ..rules.threat import Threat
from .fonts import para
from .styles import STATUS_COLORS, STATUS_LABELS, severity_color, styles
from .textcell import Span, span

CATEGORY_CELL = {
    "Spoofing": "Spoofing",
    "Tampering": "Tampering",
    "Repudiation": "Repudiation",
    "Information Disclosure": "Information\nDisclosure",
    "Denial of Service": "Denial of\nService",
    "Elevation of Privilege": "Elevation of\nPrivilege",
}


def cell(text: object, *, style: str = "cell", limit: int = 600) -> Paragraph:
    return Paragraph(para(text, limit=limit), styles()[style])


def markup_cell(markup: str, *, style: str = "cell") -> Paragraph:
    return Paragraph(markup, styles()[style])


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def rule_anchor(index: int) -> str:
    return f"rule-{index}"


def severity_spans(severity: str) -> list[Span]:
    return [Span("●", color=severity_color(severity)), Span(severity.capitalize()[:12], bold=True)]


def evidence_spans(threat: Threat, *, limit: int = 6) -> list[Span]:
    """Finding ids with pass/fail, strongest evidence first."""
    if not threat.evidence:
        return [Span("—")]
    order = {"fail": 0, "warn": 1, "pass": 2}
    links = sorted(threat.evidence, key=lambda l: (order.get(l.status, 3), l.finding_id))
    spans: list[Span] = []
    for link in links[:limit]:
        spans.append(span(link.finding_id, limit=60, newline=True))
        spans.append(
            Span(
                link.status.upper()[:8],
                bold=True,
                color=STATUS_COLORS.get(link.status, STATUS_COLORS["info"]),
            )
        )
    if len(links) > limit:
        spans.append(Span(f"+{len(links) - limit} more", newline=True))
    return spans
