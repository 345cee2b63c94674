"""Table cells shared by the sections; fixed vocabulary stays plain strings (cheap to lay out)."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from ..rules.threat import Threat
from .fonts import FONT_BOLD, para
from .styles import INK, STATUS_COLORS, STATUS_LABELS, hex_of, severity_color, styles
from .textcell import Span, TextCell, span

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


def severity_markup(severity: str) -> str:
    return (
        f'<font color="{hex_of(severity_color(severity))}">●</font> '
        f"<b>{para(severity.capitalize(), limit=20)}</b>"
    )


class SeverityCell(Flowable):
    """A coloured dot and the severity: drawn directly, far cheaper than a Paragraph per row."""

    def __init__(self, severity: str):
        super().__init__()
        self.severity = severity
        self.label = severity.capitalize()[:12]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return min(avail_width, 60), 9.4

    def draw(self) -> None:
        canv = self.canv
        canv.setFillColor(severity_color(self.severity))
        canv.circle(3, 4.6, 3, stroke=0, fill=1)
        canv.setFillColor(INK)
        canv.setFont(FONT_BOLD, 7.6)
        canv.drawString(9, 2.2, self.label)


def severity_cell(severity: str) -> Flowable:
    return SeverityCell(severity)


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.replace("_", " ").capitalize())


def finding_status_markup(status: str) -> str:
    color = hex_of(STATUS_COLORS.get(status, STATUS_COLORS["info"]))
    return f'<font color="{color}"><b>{para(status.upper(), limit=12)}</b></font>'


def evidence_markup(threat: Threat, *, limit: int = 6) -> str:
    """Finding ids with pass/fail, strongest evidence first."""
    if not threat.evidence:
        return "—"
    order = {"fail": 0, "warn": 1, "pass": 2}
    links = sorted(threat.evidence, key=lambda l: (order.get(l.status, 3), l.finding_id))
    parts = [
        f"{para(l.finding_id, limit=60)} {finding_status_markup(l.status)}" for l in links[:limit]
    ]
    if len(links) > limit:
        parts.append(f"+{len(links) - limit} more")
    return "<br/>".join(parts)


def rule_anchor(index: int) -> str:
    return f"rule-{index}"


def severity_spans(severity: str) -> list[Span]:
    return [Span("●", color=severity_color(severity)), Span(severity.capitalize()[:12], bold=True)]


def evidence_cell(threat: Threat, *, limit: int = 6) -> TextCell | str:
    spans = evidence_spans(threat, limit=limit)
    return TextCell(spans) if threat.evidence else "—"


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


def text_cell(text: object, *, limit: int = 600, bold: bool = False) -> TextCell | str:
    return TextCell([span(text, limit=limit, bold=bold)]) if text else ""
