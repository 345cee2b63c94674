"""Executive summary (figures, charts, top risks, bench at a glance) and the diagram section."""

from __future__ import annotations

from collections import Counter

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from .cells import cell, status_label
from .charts import category_chart, severity_donut
from .data import ReportData
from .diagram import DiagramFlowable, scene_bounds
from .diagram_plan import plan_diagram
from .document import LANDSCAPE, LANDSCAPE_A3, PORTRAIT, frame_size, heading, switch_to
from .fonts import FONT, FONT_BOLD, para
from .styles import BRAND, FAIL, FONT_CMDS, INK, MUTED, PASS, SHADE, WARN, styles, table_style

LEGEND_HEIGHT = 20


def _kpis(data: ReportData, width: float) -> Table:
    open_ = data.open_threats()
    severe = [t for t in open_ if t.severity in ("critical", "high")]
    figures = [
        (str(len(data.threats)), "threats derived"),
        (str(len(open_)), "open (not triaged away)"),
        (str(len(severe)), "critical or high, open"),
        (str(sum(t.confirmed for t in open_)), "confirmed by evidence"),
    ]
    s = styles()
    big = s["h1"].clone("kpi", fontSize=20, leading=24, spaceAfter=0, textColor=BRAND)
    row = [[Paragraph(v, big), Paragraph(k, s["muted"])] for v, k in figures]
    table = Table([row], colWidths=[width / 4] * 4)
    table.setStyle(
        TableStyle(
            [
                *FONT_CMDS,
                ("BACKGROUND", (0, 0), (-1, -1), SHADE),
                ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    return table


def summary_story(data: ReportData, width: float) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [heading("Summary", 0, "sec-summary")]
    story.append(Paragraph(para(data.verdict()), s["verdict"]))
    story.append(Spacer(1, 3 * mm))
    story.append(_kpis(data, width))
    story.append(Spacer(1, 5 * mm))
    statuses = data.status_counts()
    triaged = ", ".join(f"{n} {status_label(k).lower()}" for k, n in sorted(statuses.items()))
    scope = (
        "all threats" if data.shown is data.threats else "threats still open (closed ones omitted)"
    )
    story.append(
        Paragraph(
            f"The charts count {scope}. Triage status of all {len(data.threats)} threats: "
            f"{para(triaged or 'none')}.",
            s["small"],
        )
    )
    chart = category_chart(data.category_severity(), width - 200)
    donut = severity_donut(data.severity_counts(), 190)
    charts = Table([[chart, donut]], colWidths=[width - 195, 195])
    charts.setStyle(
        TableStyle(
            [
                *FONT_CMDS,
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [
        charts,
        Paragraph(
            "Threats by STRIDE category, stacked by severity (left) and by severity (right).",
            s["caption"],
        ),
    ]
    if data.model.bench_runs:
        story += [heading("Benchmark results at a glance", 1, "sec-bench-glance", toc=True)]
        story.append(bench_glance(data, width))
    custom = sum(t.source == "custom" for t in data.threats)
    if custom:
        story.append(
            Paragraph(
                f"{custom} of the threats were added by hand (custom threats) and are reported "
                "like the derived ones.",
                s["small"],
            )
        )
    return story


def bench_glance(data: ReportData, width: float) -> Flowable:
    s = styles()
    runs = data.model.bench_runs
    if not runs:
        return Paragraph(
            "No docker-bench-security or kube-bench run was imported, so no threat is "
            "confirmed or refuted by evidence.",
            s["body"],
        )
    rows = [["Run", "Tool and benchmark", "Scope", "Pass", "Fail", "Warn", "Other", "Result"]]
    cmds = []
    for i, run in enumerate(runs, 1):
        counts = Counter(f.status for f in run.findings)
        other = sum(counts.values()) - counts["pass"] - counts["fail"] - counts["warn"]
        scope = data.name_of(run.scope) if run.scope else "whole model"
        verdict = "FAIL" if counts["fail"] else "WARN" if counts["warn"] else "PASS"
        rows.append(
            [
                cell(run.id, limit=40),
                cell(
                    f"{run.tool} {run.tool_version or ''} · "
                    f"{run.benchmark or 'benchmark not named'}",
                    limit=160,
                ),
                cell(scope, limit=80),
                str(counts["pass"]),
                str(counts["fail"]),
                str(counts["warn"]),
                str(other),
                verdict,
            ]
        )
        color = FAIL if verdict == "FAIL" else WARN if verdict == "WARN" else PASS
        cmds += [("TEXTCOLOR", (7, i), (7, i), color), ("FONTNAME", (7, i), (7, i), FONT_BOLD)]
    fixed = 34 * 4 + 42
    table = Table(
        rows, colWidths=[50, width - 50 - 90 - fixed, 90, 34, 34, 34, 34, 42], repeatRows=1
    )
    style = table_style(rows=len(rows))
    for cmd in cmds + [("ALIGN", (3, 0), (6, -1), "RIGHT")]:
        style.add(*cmd)
    table.setStyle(style)
    return table


class Legend(Flowable):
    """Shapes and badge colours used in the diagram."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.two_rows = avail_width < 720  # a portrait page: severities go on a second line
        return avail_width, LEGEND_HEIGHT * (2 if self.two_rows else 1)

    def draw(self) -> None:
        from .styles import SEVERITY_COLORS

        c = self.canv
        c.setFont(FONT, 7)
        c.setLineWidth(0.8)
        c.setStrokeColor(INK)
        x: float = 0
        y: float = 6 + (LEGEND_HEIGHT if self.two_rows else 0)
        c.setFillColor(colors.HexColor("#F4F4F4"))
        c.rect(x, y, 22, 11, stroke=1, fill=1)
        x = self._label(x + 26, y, "External entity")
        c.setFillColor(colors.white)
        c.roundRect(x, y, 22, 11, 5, stroke=1, fill=1)
        x = self._label(x + 26, y, "Process")
        c.line(x, y, x + 22, y)
        c.line(x, y + 11, x + 22, y + 11)
        c.line(x + 3, y, x + 3, y + 11)
        x = self._label(x + 26, y, "Data store")
        c.setStrokeColor(BRAND)
        c.setDash(4, 2.5)
        c.rect(x, y, 22, 11, stroke=1, fill=0)
        c.setDash()
        x = self._label(x + 26, y, "Trust boundary")
        c.setStrokeColor(colors.HexColor("#B23A3A"))
        c.line(x, y + 5.5, x + 22, y + 5.5)
        x = self._label(x + 26, y, "Flow crossing a boundary")
        if self.two_rows:
            x, y = 0, 6
        for sev in ("critical", "high", "medium", "low"):
            c.setFillColor(SEVERITY_COLORS[sev])
            c.circle(x + 5, y + 5.5, 5, stroke=0, fill=1)
            x = self._label(x + 13, y, sev.capitalize())
        self._label(x + 4, y, "= open threats, highest severity")

    def _label(self, x: float, y: float, text: str) -> float:
        self.canv.setFillColor(MUTED)
        self.canv.setFont(FONT, 7)
        self.canv.drawString(x, y + 3, text)
        return x + self.canv.stringWidth(text, FONT, 7) + 12


DIAGRAM_HEAD = 58.0  # heading and the intro line above the drawing


def diagram_section(data: ReportData) -> tuple[str, list[Flowable]]:
    """The diagram: one legible page (A4, else A3 landscape); a larger model gets an overview
    and tiles cut along its boundaries. Returns the page template and the flowables (tile
    pages switch templates themselves)."""
    s = styles()
    x0, y0, x1, y1 = bounds = scene_bounds(data)
    wide = (x1 - x0) >= (y1 - y0)
    pages = [
        ("landscape" if wide else "portrait", LANDSCAPE if wide else PORTRAIT),
        ("a3", LANDSCAPE_A3),
    ]
    room = [
        (template, (frame_size(size)[0], frame_size(size)[1] - DIAGRAM_HEAD - 2 * LEGEND_HEIGHT))
        for template, size in pages
    ]
    plan = plan_diagram(data, room)
    story: list[Flowable] = [heading("Data-flow diagram", 0, "sec-diagram")]
    intro = (
        f"{len(data.model.elements)} elements, {len(data.model.flows)} data flows and "
        f"{len(data.model.boundaries)} trust boundaries, drawn from the model's geometry. "
        "A badge gives the number of open threats and their highest severity."
    )
    if plan.tiles:
        intro += (
            f" The model is too large for one legible page: this overview shows where each of "
            f"the {len(plan.tiles)} tiles lies; each tile follows on a page of its own."
        )
    story.append(Paragraph(intro, s["small"]))
    story.append(DiagramFlowable(data, bounds, plan.scale, labels=not plan.tiles, tiles=plan.tiles))
    story.append(Legend())
    for tile in plan.tiles:
        story += switch_to(plan.template)
        title = f"Diagram tile {tile.label}: {tile.name}"
        story.append(heading(title, 1, f"tile-{tile.label}", toc=False))
        story.append(DiagramFlowable(data, tile.box, tile.scale, only=tile.elements))
        story.append(Legend())
    return plan.template, story
