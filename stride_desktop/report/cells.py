"""Table cells shared by the sections; fixed vocabulary stays plain strings (cheap to lay out)."""
from __future__ import annotations

from reportlab.platypus import Paragraph

from ..rules.threat import Threat
from .fonts import para
from .styles import STATUS_COLORS, STATUS_LABELS, hex_of, severity_color, styles

CATEGORY_CELL = {
    "Spoofing": "Spoofing", "Tampering": "Tampering", "Repudiation": "Repudiation",
    "Information Disclosure": "Information\nDisclosure", "Denial of Service": "Denial of\nService",
    "Elevation of Privilege": "Elevation of\nPrivilege",
}


def cell(text: object, *, style: str = "cell", limit: int = 600) -> Paragraph:
    return Paragraph(para(text, limit=limit), styles()[style])


def markup_cell(markup: str, *, style: str = "cell") -> Paragraph:
    return Paragraph(markup, styles()[style])


def severity_markup(severity: str) -> str:
    return (f'<font color="{hex_of(severity_color(severity))}">●</font> '
            f'<b>{para(severity.capitalize(), limit=20)}</b>')


def severity_cell(severity: str) -> Paragraph:
    return markup_cell(severity_markup(severity))


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
    parts = [f"{para(l.finding_id, limit=60)} {finding_status_markup(l.status)}"
             for l in links[:limit]]
    if len(links) > limit:
        parts.append(f"+{len(links) - limit} more")
    return "<br/>".join(parts)


def rule_anchor(index: int) -> str:
    return f"rule-{index}"
