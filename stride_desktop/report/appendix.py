"""Appendix: methodology, the rules that fired, stale triage entries."""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph, Table

from .cells import CATEGORY_CELL, cell, markup_cell, rule_anchor, status_label
from .data import ReportData
from .document import heading
from .fonts import para
from .styles import styles, table_style

METHODOLOGY = [
    (
        "STRIDE per element",
        "Every element of the data-flow diagram receives the STRIDE categories of its kind, after "
        "Microsoft's table: an external entity can be spoofed and can repudiate (S, R); a process is "
        "exposed to all six categories (S, T, R, I, D, E); a data store to tampering, repudiation, "
        "information disclosure and denial of service (T, R, I, D); a data flow to tampering, "
        "information disclosure and denial of service (T, I, D).",
    ),
    (
        "STRIDE per interaction",
        "A data flow whose source and target lie in different trust boundaries crosses them. A flow "
        "that enters a boundary of higher trust is the dangerous direction: it receives interaction "
        "threats, graded by the trust levels it crosses and by whether it is encrypted and "
        "authenticated.",
    ),
    (
        "Rules",
        "Docker- and Kubernetes-specific threats come from declarative rules (data, never code): "
        "conditions on the component, its properties, its flows and boundaries, and graph facts such "
        "as reachability from an untrusted zone. A specific rule folds in the generic threat it "
        "refines, so a target is not listed twice for one weakness.",
    ),
    (
        "Evidence",
        "Imported docker-bench-security and kube-bench results attach to the elements in the scope "
        "they were run on. A failed check that a rule names corroborates its threat (the threat is "
        "marked confirmed and its severity may rise); a passing check records the control as "
        "verified.",
    ),
    (
        "Severity",
        "Each rule has a base severity. Exposure (reachable from an untrusted zone) and corroborating "
        "evidence raise it; the reason is recorded with each threat. Severities are low, medium, "
        "high and critical.",
    ),
    (
        "Triage",
        "The person's decisions (open, needs investigation, mitigated, accepted, transferred, not "
        "applicable), with an owner and a ticket, are stored in the model by threat id and survive "
        "re-derivation. A decision whose threat no longer arises is kept and listed as stale "
        "rather than dropped. Custom threats, written by a person for an element or a flow, are "
        "triaged and reported like the derived ones.",
    ),
    (
        "Risk and the hardening plan",
        "Risk points weigh each open threat by its severity (low 1, medium 3, high 9, critical 27). "
        "Failing checks are grouped into actions by the threat they would close and ranked by the "
        "risk they remove, each threat counted once. Once every check confirming a threat is "
        "fixed, the threat loses the raise its confirmation gave it: its residual severity is one "
        "level lower. It stays open until someone triages it.",
    ),
]


def methodology_story() -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [heading("Appendix — methodology", 0, "app-method")]
    for title, text in METHODOLOGY:
        story.append(Paragraph(f"<b>{title}.</b> {text}", s["body"]))
    return story


def rules_story(data: ReportData, width: float, rule_index: dict[str, int]) -> list[Flowable]:
    if not data.rules:
        return []
    story: list[Flowable] = [heading("Appendix — rules that fired", 0, "app-rules")]
    rows: list[list[object]] = [["Rule", "Category", "Base severity", "Threats", "Open"]]
    for rule_id, rule in data.rules.items():
        text = f'<a href="#{rule_anchor(rule_index[rule_id])}">{para(rule_id, limit=120)}</a>'
        rows.append(
            [
                markup_cell(f"{text}<br/>{para(rule.title, limit=200)}"),
                CATEGORY_CELL.get(rule.category, rule.category[:24]),
                rule.base_severity.capitalize(),
                str(rule.count),
                str(rule.open_count),
            ]
        )
    table = Table(rows, colWidths=[width - 220, 70, 70, 40, 40], repeatRows=1)
    style = table_style(rows=len(rows))
    style.add("ALIGN", (3, 0), (4, -1), "RIGHT")
    table.setStyle(style)
    story.append(table)
    return story


def stale_story(data: ReportData, width: float) -> list[Flowable]:
    if not data.stale:
        return []
    s = styles()
    story: list[Flowable] = [heading("Appendix — stale triage", 0, "app-stale")]
    story.append(
        Paragraph(
            "Triage decisions kept in the model whose threat no longer arises (the model or the "
            "rules changed). Review and remove them, or restore what they referred to.",
            s["small"],
        )
    )
    rows = [["Threat id", "Status", "Note"]]
    for entry in data.stale:
        rows.append(
            [
                cell(entry.threat_id, limit=200),
                status_label(entry.status or "open"),
                cell(entry.note, limit=1200) if entry.note else "",
            ]
        )
    table = Table(rows, colWidths=[width * 0.4, 70, width * 0.6 - 70], repeatRows=1)
    table.setStyle(table_style(rows=len(rows)))
    story.append(table)
    return story
