"""Executive-summary charts drawn with reportlab graphics (vectors, embedded fonts)."""

from __future__ import annotations

from collections import Counter

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.doughnut import Doughnut
from reportlab.graphics.shapes import Drawing, Rect, String

from ..rules.threat import CATEGORIES, SEVERITIES
from .fonts import FONT, FONT_BOLD
from .styles import INK, MUTED, RULE, SEVERITY_COLORS


def _legend(drawing: Drawing, x: float, y: float, *, step: float = 50) -> None:
    for i, sev in enumerate(reversed(SEVERITIES)):
        drawing.add(Rect(x + i * step, y, 7, 7, fillColor=SEVERITY_COLORS[sev], strokeColor=None))
        drawing.add(
            String(
                x + i * step + 10,
                y + 0.5,
                sev.capitalize(),
                fontName=FONT,
                fontSize=7.5,
                fillColor=INK,
            )
        )


def category_chart(counts: dict[str, Counter], width: float, height: float = 190) -> Drawing:
    """Horizontal bars, one per STRIDE category, stacked by severity."""
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 118, 26
    chart.width, chart.height = width - 140, height - 46
    cats = list(reversed(CATEGORIES))  # Spoofing on top
    chart.data = [[counts.get(c, Counter()).get(sev, 0) for c in cats] for sev in SEVERITIES]
    chart.categoryAxis.categoryNames = cats
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = RULE
    chart.categoryAxis.visibleTicks = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.valueAxis.valueMin = 0
    total = max((sum(v) for v in zip(*chart.data)), default=0)
    chart.valueAxis.valueMax = max(4, total)
    if total <= 10:
        chart.valueAxis.valueStep = 1 if total <= 6 else 2
    chart.barWidth = 12
    chart.groupSpacing = 8
    chart.barSpacing = 0
    for i, sev in enumerate(SEVERITIES):
        chart.bars[i].fillColor = SEVERITY_COLORS[sev]
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    _legend(drawing, 118, 4)
    return drawing


def severity_donut(counts: Counter, size: float = 190) -> Drawing:
    """A donut of threats by severity with the total in the middle."""
    drawing = Drawing(size, size)
    values = [counts.get(sev, 0) for sev in reversed(SEVERITIES)]
    total = sum(values)
    cx, cy, radius = size / 2, size / 2 + 10, size / 2 - 24
    if total == 0:
        drawing.add(
            String(
                cx,
                cy,
                "No threats",
                fontName=FONT,
                fontSize=10,
                fillColor=MUTED,
                textAnchor="middle",
            )
        )
        return drawing
    donut = Doughnut()
    donut.x, donut.y = cx - radius, cy - radius
    donut.width = donut.height = 2 * radius
    shown = [(v, sev) for v, sev in zip(values, reversed(SEVERITIES)) if v]
    donut.data = [v for v, _ in shown]
    donut.labels = None
    donut.innerRadiusFraction = 0.58
    donut.startAngle = 90
    donut.direction = "clockwise"
    donut.slices.strokeColor = None
    donut.slices.strokeWidth = 1.2
    for i, (_, sev) in enumerate(shown):
        donut.slices[i].fillColor = SEVERITY_COLORS[sev]
        donut.slices[i].strokeColor = None
    drawing.add(donut)
    drawing.add(
        String(
            cx,
            cy - 2,
            str(total),
            fontName=FONT_BOLD,
            fontSize=20,
            fillColor=INK,
            textAnchor="middle",
        )
    )
    drawing.add(
        String(
            cx,
            cy - 13,
            "threats",
            fontName=FONT,
            fontSize=7.5,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    for i, sev in enumerate(reversed(SEVERITIES)):
        x = 4 + (i % 2) * (size / 2)
        y = 14 - (i // 2) * 11
        drawing.add(Rect(x, y, 7, 7, fillColor=SEVERITY_COLORS[sev], strokeColor=None))
        drawing.add(
            String(
                x + 10,
                y + 0.5,
                f"{sev.capitalize()}  {counts.get(sev, 0)}",
                fontName=FONT,
                fontSize=7.5,
                fillColor=INK,
            )
        )
    return drawing
