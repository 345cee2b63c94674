"""The cover page: a title band, the one-line verdict and the model's identity."""

from __future__ import annotations

from datetime import date
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from .. import __version__
from .data import ReportData
from .fonts import para
from .styles import ACCENT, BRAND, FONT_CMDS, MUTED, RULE, SHADE, severity_color, styles

BAND_HEIGHT = 105 * mm


def draw_cover_background(canv: Any, pagesize: tuple[float, float]) -> None:
    width, height = pagesize
    canv.saveState()
    canv.setFillColor(BRAND)
    canv.rect(0, height - BAND_HEIGHT, width, BAND_HEIGHT, stroke=0, fill=1)
    canv.setFillColor(ACCENT)
    canv.rect(0, height - BAND_HEIGHT - 2.2 * mm, width, 2.2 * mm, stroke=0, fill=1)
    canv.restoreState()


class CoverBlock(Flowable):
    """Everything on the cover, laid out top-down inside the frame (the band is page decoration)."""

    def __init__(self, data: ReportData, generated_on: date):
        super().__init__()
        self.data, self.generated_on = data, generated_on

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width, self.height = avail_width, avail_height - 1
        return self.width, self.height

    def _worst(self) -> str | None:
        for level in ("critical", "high", "medium", "low"):
            if any(t.severity == level for t in self.data.open_threats()):
                return level
        return None

    def draw(self) -> None:
        s, model, canv = styles(), self.data.model, self.canv
        w, top = self.width, self.height
        # Inside the band: the page's top margin and header gap sit above the frame.
        y = top - 6 * mm
        label = Paragraph("STRIDE THREAT MODEL REPORT", s["cover_sub"])
        y = _place(label, canv, 0, y, w)
        y -= 4 * mm
        title = Paragraph(
            para(model.name or "Untitled model", limit=160, bold=True), s["cover_title"]
        )
        y = _place(title, canv, 0, y, w, max_height=BAND_HEIGHT - 45 * mm)
        sub = f"Generated {self.generated_on.isoformat()} by STRIDE Desktop {__version__}"
        y = _place(Paragraph(sub, s["cover_sub"]), canv, 0, y - 2 * mm, w)

        # Verdict box below the band.
        y = top - (BAND_HEIGHT - 28 * mm) - 12 * mm  # frame top sits 28 mm below the page top
        worst = self._worst()
        verdict = Paragraph(para(self.data.verdict()), s["verdict"])
        _vw, vh = verdict.wrap(w - 10 * mm, 60 * mm)
        canv.setFillColor(SHADE)
        canv.rect(0, y - vh - 8 * mm, w, vh + 8 * mm, stroke=0, fill=1)
        canv.setFillColor(severity_color(worst) if worst else colors.HexColor("#2E7D32"))
        canv.rect(0, y - vh - 8 * mm, 2.2 * mm, vh + 8 * mm, stroke=0, fill=1)
        verdict.drawOn(canv, 7 * mm, y - vh - 4 * mm)
        y -= vh + 16 * mm

        rows = [
            ("Model version", model.version),
            ("Owner", model.owner),
            ("Author", model.author),
            ("Report date", self.generated_on.isoformat()),
            (
                "Scope",
                f"{len(model.elements)} elements, {len(model.flows)} flows, "
                f"{len(model.boundaries)} trust boundaries, {len(model.bench_runs)} "
                f"benchmark runs",
            ),
            (
                "Threats",
                f"{len(self.data.threats)} derived, {len(self.data.open_threats())} "
                f"open, {len(self.data.rules)} rules fired",
            ),
        ]
        table = Table(
            [
                [Paragraph(k, s["cell_head"]), Paragraph(para(v or "—", limit=300), s["small"])]
                for k, v in rows
            ],
            colWidths=[38 * mm, w - 38 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    *FONT_CMDS,
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        y = _place(table, canv, 0, y, w)
        if model.description:
            y -= 6 * mm
            desc = Paragraph(para(model.description, limit=1500), s["body"])
            _place(desc, canv, 0, y, w, max_height=max(y - 14 * mm, 10))
        canv.setFillColor(MUTED)
        canv.setFont("StrideSans", 7.5)
        canv.drawString(
            0,
            0,
            "Prepared with STRIDE Desktop. Threats are derived by rule from the "
            "data-flow model; see the methodology appendix.",
        )


def _place(
    flowable: Any, canv: Any, x: float, y: float, width: float, *, max_height: float = 10_000
) -> float:
    """Draw a flowable with its top at ``y``; returns the y below it (clipped to max_height)."""
    _, h = flowable.wrap(width, max_height)
    if h > max_height:  # very long text: keep the cover tidy, the full text is elsewhere
        canv.saveState()
        path = canv.beginPath()
        path.rect(x, y - max_height, width, max_height)
        canv.clipPath(path, stroke=0, fill=0)
        flowable.drawOn(canv, x, y - h)
        canv.restoreState()
        return y - max_height
    flowable.drawOn(canv, x, y - h)
    return y - h
