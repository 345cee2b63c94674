"""Benchmark findings per run and the hardening plan."""

from __future__ import annotations

from collections import Counter

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ..model import BenchRun, Finding
from .cells import cell, finding_status_markup, markup_cell
from .data import ReportData
from .document import heading
from .fasttable import FastTable
from .fonts import para
from .styles import FONT_CMDS, MUTED, RULE, STATUS_COLORS, hex_of, styles, table_style
from .textcell import Span, span

MAX_LISTED = 12  # elements or threats named in one cell before "+N more"


def _listing(items: list[str], *, limit: int = MAX_LISTED) -> str:
    if not items:
        return "—"
    text = ", ".join(para(i, limit=120) for i in items[:limit])
    return text + (f", +{len(items) - limit} more" if len(items) > limit else "")


def _lines(items: list[str], *, limit: int = 6) -> list[Span]:
    """One item per line, so ids wrap only when they are longer than the column."""
    if not items:
        return [Span("—")]
    spans = [span(item, limit=120, newline=True) for item in items[:limit]]
    if len(items) > limit:
        spans.append(Span(f"+{len(items) - limit} more", newline=True, color=MUTED))
    return spans


def _check_markup(f: Finding) -> str:
    check = f"<b>{para(f.check_id or f.key, limit=40)}</b> " if (f.check_id or f.key) else ""
    return check + para(f.title, limit=400)


def _meta(data: ReportData, run: BenchRun) -> Table:
    s = styles()
    scope = data.name_of(run.scope) if run.scope else "the whole model"
    rows = [
        ("Tool", f"{run.tool} {run.tool_version or ''}".strip()),
        ("Benchmark", run.benchmark or "not named in the output"),
        ("Scope", scope),
        ("Imported", run.imported_at or "—"),
        ("Source file", run.source_file or "—"),
    ]
    table = Table(
        [[Paragraph(k, s["cell_head"]), cell(v, limit=300)] for k, v in rows],
        colWidths=[70, 300],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [
                *FONT_CMDS,
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _run_story(
    data: ReportData, run: BenchRun, n: int, width: float, *, full: bool
) -> list[Flowable]:
    s = styles()
    title = run.tool + (f" — {run.benchmark}" if run.benchmark else "") + f" (run {run.id})"
    story: list[Flowable] = [heading(title, 1, f"run-{n}", toc=True), _meta(data, run)]
    counts = Counter(f.status for f in run.findings)
    summary = ", ".join(
        f"{counts[k]} {k}"
        for k in ("fail", "warn", "pass", "manual", "info", "skip", "error")
        if counts[k]
    )
    story.append(Spacer(1, 4))
    story.append(Paragraph(f"{len(run.findings)} checks: {summary or 'none'}.", s["small"]))
    flagged = [f for f in run.findings if f.status in ("fail", "warn")]
    if flagged and full:
        rows = []
        for f in flagged:
            elements = [data.name_of(e) for e in f.elements]
            threats = data.finding_threats.get(run.finding_id(f), [])
            check = (
                [span(f.check_id or f.key, limit=40, bold=True)] if (f.check_id or f.key) else []
            ) + [span(f.title, limit=400)]
            status = [
                Span(
                    f.status.upper(),
                    bold=True,
                    color=STATUS_COLORS.get(f.status, STATUS_COLORS["info"]),
                )
            ]
            rows.append(
                [
                    check,
                    status,
                    [span(f.remediation or "—", limit=700)],
                    _lines(elements),
                    _lines(threats),
                ]
            )
        remediation = width * 0.28 if any(f.remediation for f in flagged) else 72
        rest = width - width * 0.3 - 40 - remediation
        story.append(
            FastTable(
                ["Check", "Status", "Remediation", "Elements", "Threats"],
                rows,
                [width * 0.3, 40, remediation, rest * 0.38, rest * 0.62],
            )
        )
    elif flagged:
        story.append(
            Paragraph(
                f"{len(flagged)} failed or warned checks (listed in the full report).", s["small"]
            )
        )
    passed = [f.check_id or f.key for f in run.findings if f.status == "pass"]
    if passed:
        story.append(
            Paragraph(
                f"<b>Passed ({len(passed)}):</b> <font color='{hex_of(MUTED)}'>"
                f"{_listing(passed, limit=150)}</font>",
                s["small"],
            )
        )
    return story


def bench_story(data: ReportData, width: float, *, full: bool) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [heading("Benchmark findings", 0, "sec-bench")]
    if not data.model.bench_runs:
        story.append(Paragraph("No benchmark run was imported.", s["body"]))
        return story
    story.append(
        Paragraph(
            "Failed and warned checks of each docker-bench-security or kube-bench run, with the "
            "remediation the tool gives, the model elements the finding is attached to and the "
            "threats it corroborates. Passed checks are summarised.",
            s["small"],
        )
    )
    for n, run in enumerate(data.model.bench_runs):
        story += _run_story(data, run, n, width, full=full)
    return story


def hardening_story(data: ReportData, width: float) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [heading("Hardening plan", 0, "sec-hardening")]
    plan = data.model.hardening
    if not plan:
        story.append(Paragraph("No finding has been chosen for hardening yet.", s["body"]))
        return story
    story.append(
        Paragraph(
            f"{len(plan)} findings chosen for hardening, with the plan for each and "
            "the threats it addresses.",
            s["small"],
        )
    )
    rows: list[list[object]] = [["Finding", "Status", "Plan", "Threats addressed"]]
    for entry in plan:
        found = data.model.find_finding(entry.finding)
        if found:
            _run, f = found
            check = f"{_check_markup(f)}<br/><font color='#5B6478'>{para(entry.finding, limit=80)}</font>"
            status = finding_status_markup(f.status)
        else:
            check = f"{para(entry.finding, limit=120)}<br/><i>finding not in the model</i>"
            status = "—"
        rows.append(
            [
                markup_cell(check),
                markup_cell(status),
                cell(entry.note or "—", limit=1500),
                markup_cell(_listing(entry.threats, limit=10)),
            ]
        )
    table = Table(rows, colWidths=[width * 0.34, 38, width * 0.36, width * 0.30 - 38], repeatRows=1)
    table.setStyle(table_style(rows=len(rows)))
    story.append(table)
    return story
