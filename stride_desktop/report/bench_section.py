"""Benchmark findings per run and the hardening plan."""

from __future__ import annotations

from collections import Counter

from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from ..bench.remediation import remediation_for
from ..model import BenchRun, Finding
from .cells import cell
from .data import ReportData
from .document import LeadIn, heading
from .fasttable import compact_columns
from .fonts import para
from .styles import FONT_CMDS, MUTED, RULE, STATUS_COLORS, hex_of, styles
from .textcell import Span, span

MAX_LISTED = 12  # elements or threats named in one cell before "+N more"


def _listing(items: list[str], *, limit: int = MAX_LISTED) -> str:
    if not items:
        return "—"
    text = ", ".join(para(i, limit=120) for i in items[:limit])
    return text + (f", +{len(items) - limit} more" if len(items) > limit else "")


def _inline(items: list[str], *, limit: int) -> list[Span]:
    """Comma-separated on flowing lines: short names do not need a line each."""
    spans = [
        span(item + ("," if i < len(items) - 1 else ""), limit=80)
        for i, item in enumerate(items[:limit])
    ]
    if len(items) > limit:
        spans.append(Span(f"+{len(items) - limit} more", color=MUTED))
    return spans


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


def _rule_lines(data: ReportData, threat_ids: list[str], *, limit: int = 5) -> list[Span]:
    """The rules of the threats a finding confirms, one per line, with how many targets."""
    rules: dict[str, int] = {}
    for tid in threat_ids:
        rule = tid.partition("@")[0]
        rules[rule] = rules.get(rule, 0) + 1
    if not rules:
        return []
    spans = [
        span(f"{rule}" + (f" ×{n}" if n > 1 else ""), limit=120, newline=True)
        for rule, n in list(rules.items())[:limit]
    ]
    if len(rules) > limit:
        spans.append(Span(f"+{len(rules) - limit} more", newline=True, color=MUTED))
    return spans


def _findings_table(
    data: ReportData, run: BenchRun, findings: list[Finding], width: float, *, full: bool
) -> Flowable:
    rows = []
    for f in findings:
        elements = [data.name_of(e) for e in f.elements]
        threats = data.finding_threats.get(run.finding_id(f), [])
        check = (
            [span(f.check_id or f.key, limit=40, bold=True)] if (f.check_id or f.key) else []
        ) + [span(f.title, limit=400)]
        if f.status != "fail":
            check.append(
                Span(
                    f.status.upper(),
                    bold=True,
                    color=STATUS_COLORS.get(f.status, STATUS_COLORS["info"]),
                )
            )
        remediation = remediation_for(run, f)
        rows.append(
            [
                check,
                [span(remediation, limit=4000 if full else 700)] if remediation else [],
                _inline(elements, limit=5),
                _rule_lines(data, threats),
            ]
        )
    widths = [width * 0.26, width * 0.4, width * 0.16, width * 0.18]
    return compact_columns(
        ["Check", "Remediation", "Elements", "Threats it confirms"], rows, widths, grow=1
    )


def _run_story(
    data: ReportData, run: BenchRun, n: int, width: float, *, full: bool
) -> list[Flowable]:
    s = styles()
    title = run.tool + (f" — {run.benchmark}" if run.benchmark else "") + f" (run {run.id})"
    key = f"{'app-' if full else ''}run-{n}"
    story: list[Flowable] = [heading(title, 1, key, toc=True)]
    if full:
        story.append(_meta(data, run))
        story.append(Spacer(1, 4))
    counts = Counter(f.status for f in run.findings)
    summary = ", ".join(
        f"{counts[k]} {k}"
        for k in ("fail", "warn", "pass", "manual", "info", "skip", "error")
        if counts[k]
    )
    scope = data.name_of(run.scope) if run.scope else "the whole model"
    story.append(
        Paragraph(
            f"{len(run.findings)} checks on {para(scope, limit=80)}: {summary or 'none'}."
            + (
                " The failed ones follow; warnings and passes are listed in the appendix."
                if not full and (counts["warn"] or counts["pass"])
                else ""
            ),
            s["small"],
        )
    )
    listed = [f for f in run.findings if f.status in (("fail", "warn") if full else ("fail",))]
    attached = [f for f in listed if f.elements]
    loose = [f for f in listed if not f.elements]
    if attached:
        story.append(_findings_table(data, run, attached, width, full=full))
    if loose:  # apart: in one table their empty columns read as missing data
        many = len(loose) > 1
        lead = f"{len(loose)} of these checks attach" if many else "One of these checks attaches"
        story.append(
            LeadIn(
                f"{lead} to no element of {para(scope, limit=80)}: the model does not draw "
                f"what {'they check' if many else 'it checks'} there.",
                s["small"],
            )
        )
        story.append(_findings_table(data, run, loose, width, full=full))
    passed = [f.check_id or f.key for f in run.findings if f.status == "pass"]
    if passed and full:
        story.append(
            Paragraph(
                f"<b>Passed ({len(passed)}):</b> <font color='{hex_of(MUTED)}'>"
                f"{_listing(passed, limit=150)}</font>",
                s["small"],
            )
        )
    return story


def bench_story(data: ReportData, width: float, *, full: bool) -> list[Flowable]:
    """Body (``full=False``): failed checks with remediation; appendix: every flagged check,
    run details and passes. Nothing when no run was imported."""
    s = styles()
    if not data.model.bench_runs:
        return []
    title = "Appendix — benchmark check lists" if full else "Benchmark results"
    story: list[Flowable] = [heading(title, 0, "app-bench" if full else "sec-bench")]
    story.append(
        Paragraph(
            "Failed checks of each docker-bench-security or kube-bench run, with what to do "
            "(the tool's remediation when it gives one, otherwise our own wording for the CIS "
            "check), the model elements the check is attached to and the threats it confirms.",
            s["small"],
        )
    )
    for n, run in enumerate(data.model.bench_runs):
        story += _run_story(data, run, n, width, full=full)
    return story
