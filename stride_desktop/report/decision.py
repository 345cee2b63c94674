"""Page 1, the decision: risk rating and its reason, the top five actions ranked by the risk they
remove, and the risk left after the hardening plan. The title band is page decoration."""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from .. import __version__
from .data import ReportData
from .fonts import para, shorten
from .styles import (
    ACCENT,
    BRAND,
    FONT_CMDS,
    MUTED,
    RULE,
    SHADE,
    hex_of,
    severity_color,
    styles,
    table_style,
)
from .textcell import TextCell, span
from .verdict import DecisionAction, Rating

BAND_HEIGHT = 52 * mm
OK_GREEN = colors.HexColor("#2E7D32")


def draw_cover_background(canv: Any, pagesize: tuple[float, float]) -> None:
    width, height = pagesize
    canv.saveState()
    canv.setFillColor(BRAND)
    canv.rect(0, height - BAND_HEIGHT, width, BAND_HEIGHT, stroke=0, fill=1)
    canv.setFillColor(ACCENT)
    canv.rect(0, height - BAND_HEIGHT - 1.6 * mm, width, 1.6 * mm, stroke=0, fill=1)
    canv.restoreState()


class TitleBlock(Flowable):
    """The model's name and the report's identity, drawn inside the band."""

    HEIGHT = BAND_HEIGHT - 28 * mm  # the frame starts 28 mm below the page top

    def __init__(self, data: ReportData, generated_on: date):
        super().__init__()
        self.data, self.generated_on = data, generated_on

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.HEIGHT + 8 * mm

    def draw(self) -> None:
        """Bottom-up inside the band: identity line, the model's name (smaller when long), label."""
        s, model = styles(), self.data.model
        name = para(model.name or "Untitled model", limit=120, bold=True)
        title = Paragraph(name, s["cover_title"])
        if title.wrap(self.width, 1000)[1] > s["cover_title"].leading * 1.5:
            title = Paragraph(
                name, s["cover_title"].clone("cover_title_long", fontSize=19, leading=23)
            )
        who = ", ".join(x for x in (model.owner, model.author) if x)
        sub = f"{self.generated_on.isoformat()} · STRIDE Desktop {__version__}" + (
            f" · {para(who, limit=120)}" if who else ""
        )
        y = 8 * mm
        for flowable in (
            Paragraph(sub, s["cover_sub"]),
            title,
            Paragraph("STRIDE THREAT MODEL REPORT — DECISION", s["cover_sub"]),
        ):
            _, h = flowable.wrap(self.width, 200)
            flowable.drawOn(self.canv, 0, y)
            y += h + 3


def _rating_box(now: Rating, width: float) -> Table:
    s = styles()
    color = severity_color(now.level) if now.level else OK_GREEN
    label = s["muted"].clone("rating_label", fontSize=8.5, leading=11)
    big = s["verdict"].clone("rating", fontSize=24, leading=28, textColor=color)
    cell = [
        Paragraph("OVERALL RISK", label),
        Paragraph(para((now.level or "none").capitalize()), big),
        Paragraph(para(now.detail, limit=400), s["verdict"]),
    ]
    table = Table([[cell]], colWidths=[width])
    table.setStyle(
        TableStyle(
            [
                *FONT_CMDS,
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEBEFORE", (0, 0), (0, -1), 6, color),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
            ]
        )
    )
    return table


def _listing(items: list[str], limit: int) -> str:
    shown = ", ".join(para(i, limit=90) for i in items[:limit])
    return shown + (f" +{len(items) - limit} more" if len(items) > limit else "")


def _fix_cell(data: ReportData, action: DecisionAction) -> list[Flowable]:
    """What to do: the checks to fix (id and title), or the mitigation to apply."""
    s = styles()
    if action.kind != "harden":
        return [
            Paragraph(
                f"<b>Mitigate</b>: {para(action.advice or 'see the threat', limit=240)}", s["cell"]
            )
        ]
    titles = data.check_titles
    lines = [
        f"<b>{para(check, limit=20)}</b> {para(titles.get(check, ''), limit=110)}"
        for check in action.checks[:3]
    ]
    more = len(action.checks) - 3
    if more > 0:
        lines.append(f"+{more} more check{'s' if more != 1 else ''} of the same kind")
    return [Paragraph("<b>Fix</b>: " + "<br/>".join(lines), s["cell"])]


def _where(data: ReportData, action: DecisionAction) -> list[str]:
    """The targets by name; a flow with its ends ("HTTPS" alone says nowhere)."""
    out: list[str] = []
    for t in action.threats:
        flow = data.model.flow(t.target) if t.target_kind == "flow" else None
        name = t.target_name
        if flow is not None:
            source, target = data.elements.get(flow.source), data.elements.get(flow.target)
            if source is not None and target is not None:
                ends = f"{shorten(source.name, 24)} → {shorten(target.name, 24)}"
                name = f"{shorten(name, 28)} ({ends})"  # a long flow name keeps its ends
        if name not in out:
            out.append(name)
    return out


def _action_row(data: ReportData, n: int, action: DecisionAction) -> list[object]:
    s = styles()
    where = _where(data, action)
    lead = action.threats[0]
    dot = f"<font color='{hex_of(severity_color(lead.severity))}'>●</font>"
    count = len(action.threats)
    others = (
        f" <font color='{hex_of(MUTED)}'>(+{count - 1} on other targets)</font>"
        if count > 1
        else ""
    )
    return [
        Paragraph(f"<b>{n}</b>", s["cell"]),
        TextCell(
            [
                span(shorten(e, 90) + ("," if i < len(where[:5]) - 1 else ""), bold=True)
                for i, e in enumerate(where[:5])
            ]
            + ([span(f"+{len(where) - 5} more")] if len(where) > 5 else [])
        ),
        _fix_cell(data, action),
        [
            Paragraph(f"{dot} {para(lead.title, limit=200)}{others}", s["cell"]),
            TextCell([span(lead.rule, limit=120, color=MUTED)]),
        ],
        Paragraph(f"<b>−{action.risk_removed}</b>", s["cell"]),
    ]


def _actions_table(data: ReportData, width: float) -> Table:
    rows: list[list[object]] = [["#", "Where", "What to do", "Threat it closes", "Risk"]]
    rows += [_action_row(data, n, a) for n, a in enumerate(data.actions, 1)]
    widths = [16, width * 0.2, width * 0.38, 0, 34]
    widths[3] = width - sum(widths)
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = table_style(rows=len(rows))
    style.add("ALIGN", (4, 0), (4, -1), "RIGHT")
    table.setStyle(style)
    return table


def _after_plan_text(data: ReportData) -> str:
    now, after, plan = data.rating_now, data.rating_after, data.model.hardening
    if after is None:
        shown = sum(a.risk_removed for a in data.actions if a.kind == "harden")
        text = "<b>No hardening plan yet.</b> "
        choose = (
            " Choose them in the editor's hardening panel or with "
            "<i>stride-desktop&nbsp;harden&nbsp;MODEL&nbsp;--top&nbsp;5</i>."
        )
        if shown:
            text += (
                f"Carrying out the hardening actions above would remove {shown} of the "
                f"{now.points} risk points." + choose
            )
        elif data.fix_potential:
            text += (
                f"Fixing the failing checks that confirm open threats would remove "
                f"{data.fix_potential} of the {now.points} risk points." + choose
            )
        elif data.model.bench_runs:
            text += "No failing check of the imported benchmark runs confirms an open threat."
        else:
            text += "Import benchmark results to see which failing checks confirm these threats."
        return text
    done = sum(h.done for h in plan)
    level = (after.level or "none").capitalize()
    return (
        f"<b>After the hardening plan: {para(level)}</b> ({len(plan)} item"
        f"{'s' if len(plan) != 1 else ''}, {done} done) — risk {now.points} → {after.points} "
        f"points. {para(after.reason)}"
    )


def decision_story(data: ReportData, width: float, generated_on: date) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [TitleBlock(data, generated_on), Spacer(1, 5 * mm)]
    story.append(_rating_box(data.rating_now, width))
    story.append(Spacer(1, 5 * mm))
    if data.actions:
        story.append(Paragraph("Top actions, ranked by the risk they remove", s["h2"]))
        story.append(_actions_table(data, width))
        story.append(
            Paragraph(
                "Risk points weigh each open threat by severity (low 1, medium 3, high 9, critical "
                "27). Fixing the checks that confirm a threat takes the confirmation away (the "
                "threat drops one level); a mitigation closes it once triaged.",
                s["muted"],
            )
        )
    story.append(Spacer(1, 4 * mm))
    box = Table([[Paragraph(_after_plan_text(data), s["body"])]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                *FONT_CMDS,
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story.append(box)
    model = data.model
    scope = (
        f"Scope: {len(model.elements)} elements, {len(model.flows)} flows, "
        f"{len(model.boundaries)} trust boundaries, {len(model.bench_runs)} benchmark runs · "
        f"{len(data.threats)} threats derived, {len(data.open_threats())} open"
        + (f" · model version {para(model.version, limit=40)}" if model.version else "")
    )
    story.append(Spacer(1, 3 * mm))
    story.append(Paragraph(scope, s["muted"]))
    return story
