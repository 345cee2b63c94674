"""Small shared pieces of the review panels: severity chips, labels, threat detail as HTML."""

from __future__ import annotations

import html
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from ...model.elements import TRIAGE_STATUSES
from ...rules import Threat
from .. import style

STATUS_LABELS = {s: s.replace("_", " ") for s in TRIAGE_STATUSES}
FINDING_COLOURS = {
    "fail": "#DC2626",
    "warn": "#D97706",
    "pass": "#16A34A",
    "manual": "#6B7280",
    "info": "#2563EB",
    "skip": "#9CA3AF",
    "error": "#7C3AED",
}
CATEGORY_LETTER = {
    "Spoofing": "S",
    "Tampering": "T",
    "Repudiation": "R",
    "Information Disclosure": "I",
    "Denial of Service": "D",
    "Elevation of Privilege": "E",
}


def side_column(header: QWidget, body: QWidget, footer: QWidget) -> QWidget:
    """A panel's column: a header line, a list that takes the room, buttons under it."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(header)
    layout.addWidget(body, 1)
    layout.addWidget(footer)
    return column


def row_of(first: QWidget, *rest: QWidget) -> QWidget:
    """A row whose first widget (an input) takes the room left by the others (buttons)."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(first, 1)
    for widget in rest:
        layout.addWidget(widget)
    return row


def side_by_side(main: QWidget, side: QWidget, stretch: tuple[int, int]) -> QSplitter:
    split = QSplitter(Qt.Orientation.Horizontal)
    split.addWidget(main)
    split.addWidget(side)
    split.setStretchFactor(0, stretch[0])
    split.setStretchFactor(1, stretch[1])
    return split


def severity_colour(severity: str | None) -> QColor:
    return style.severity_colour(severity)


@lru_cache(maxsize=64)
def chip_icon(colour_name: str, *, confirmed: bool = False) -> QIcon:
    """A rounded colour chip (with a yellow dot when evidence confirms) for table cells."""
    pixmap = QPixmap(28, 16)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour_name))
    painter.drawRoundedRect(QRectF(1, 3, 14, 10), 3, 3)
    if confirmed:
        painter.setBrush(QColor("#FDE047"))
        painter.setPen(QColor("#111827"))
        painter.drawEllipse(QRectF(19, 4, 8, 8))
    painter.end()
    return QIcon(pixmap)


def severity_icon(severity: str | None, confirmed: bool = False) -> QIcon:
    return chip_icon(severity_colour(severity).name(), confirmed=confirmed)


def evidence_label(threat: Threat) -> str:
    if threat.confirmed:
        return "confirmed"
    if threat.verified:
        return "verified"
    return ""


def _pill(text: str, colour: str) -> str:
    return (
        f'<span style="background:{colour}; color:white; font-weight:bold;">'
        f"&nbsp;{html.escape(text)}&nbsp;</span>"
    )


def _reference(ref: str) -> str:
    text = html.escape(ref)
    if ref.startswith(("http://", "https://")):
        return f'<a href="{text}">{text}</a>'
    return text


def threat_html(
    threat: Threat, *, owner: str = "", ticket: str = "", residual: str | None = None
) -> str:
    """Everything about one threat, for a QTextBrowser. User text is escaped. ``residual``: its
    severity once the plan items for the checks confirming it are done (when they are)."""
    e = html.escape
    sev = severity_colour(threat.severity).name()
    parts = [
        f'<h3 style="margin:0">{e(threat.title)}</h3>',
        f'<p style="color:#6B7280; margin-top:2px">{e(", ".join(threat.categories))} · '
        f"{e(threat.target_name)} ({e(threat.target_kind)}) · source: {e(threat.source)}<br>"
        f"<code>{e(threat.id)}</code></p>",
        f"<p>{_pill(threat.severity.upper(), sev)}&nbsp; {e(threat.severity_reason)}</p>",
        f"<p><b>Status:</b> {e(STATUS_LABELS.get(threat.status, threat.status))}"
        + (f" — <i>{e(threat.note)}</i>" if threat.note else "")
        + (f" · owner {e(owner)}" if owner else "")
        + (f" · ticket {e(ticket)}" if ticket else "")
        + "</p>",
    ]
    if residual is not None and residual != threat.severity:
        parts.append(
            f"<p><b>Residual severity:</b> {_pill(residual.upper(), severity_colour(residual).name())}"
            " — the hardening plan items for its failing checks are done</p>"
        )
    if threat.evidence:
        rows = []
        for link in threat.evidence:
            colour = FINDING_COLOURS.get(link.status, "#6B7280")
            verb = (
                "confirms"
                if link.confirms
                else "verifies the control"
                if link.verifies
                else "notes"
            )
            rows.append(
                f"<li>{_pill(link.status.upper(), colour)} {e(link.check_id or '')} "
                f"{e(link.title)} <span style='color:#6B7280'>({e(link.tool)}, {verb})</span></li>"
            )
        parts.append("<p><b>Evidence</b></p><ul style='margin-top:0'>" + "".join(rows) + "</ul>")
    parts.append(f"<p><b>Description</b><br>{e(threat.description)}</p>")
    if threat.mitigations:
        parts.append(
            "<p><b>Mitigations</b></p><ul style='margin-top:0'>"
            + "".join(f"<li>{e(m)}</li>" for m in threat.mitigations)
            + "</ul>"
        )
    if threat.references:
        parts.append(
            "<p><b>References</b></p><ul style='margin-top:0'>"
            + "".join(f"<li>{_reference(r)}</li>" for r in threat.references)
            + "</ul>"
        )
    if threat.covers:
        parts.append(f"<p style='color:#6B7280'>Also covers: {e(', '.join(threat.covers))}</p>")
    return "".join(parts)
