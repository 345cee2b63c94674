"""Colours and paragraph styles: one palette for severities across charts, badges and tables."""

from __future__ import annotations

from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import TableStyle

from ..rules.threat import NO_SEVERITY_COLOUR, SEVERITY_COLOURS
from .fonts import FONT, FONT_BOLD

INK = colors.HexColor("#1B2333")
MUTED = colors.HexColor("#5B6478")
RULE = colors.HexColor("#D5DAE3")
BRAND = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#2F6DB5")
SHADE = colors.HexColor("#F3F5F9")
HEADER_BG = colors.HexColor("#E7ECF3")
PASS = colors.HexColor("#2E7D32")
FAIL = colors.HexColor("#C62828")
WARN = colors.HexColor("#E08A00")

# the one severity palette of the canvas and the report (rules.threat)
SEVERITY_COLORS = {s: colors.HexColor(hex_) for s, hex_ in SEVERITY_COLOURS.items()}
NO_THREAT = colors.HexColor(NO_SEVERITY_COLOUR)
STATUS_COLORS = {
    "pass": PASS,
    "fail": FAIL,
    "warn": WARN,
    "manual": MUTED,
    "info": MUTED,
    "skip": MUTED,
    "error": FAIL,
}
STATUS_LABELS = {
    "open": "Open",
    "needs_investigation": "Needs investigation",
    "mitigated": "Mitigated",
    "accepted": "Accepted",
    "transferred": "Transferred",
    "not_applicable": "Not applicable",
}


# Tables draw with their default font (Helvetica, not embedded) unless told otherwise.
FONT_CMDS = [("FONTNAME", (0, 0), (-1, -1), FONT)]


def severity_color(severity: str | None) -> colors.Color:
    return SEVERITY_COLORS.get(severity or "", NO_THREAT)


def hex_of(color: colors.Color) -> str:
    return "#" + color.hexval()[2:]


@cache
def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=9.5,
        leading=13.5,
        textColor=INK,
        spaceAfter=5,
        bulletFontName=FONT,
    )
    s = {"body": base}
    s["small"] = ParagraphStyle("small", base, fontSize=8, leading=10.5, spaceAfter=3)
    s["muted"] = ParagraphStyle("muted", s["small"], textColor=MUTED)
    s["cell"] = ParagraphStyle("cell", base, fontSize=7.6, leading=9.4, spaceAfter=0)
    s["cell_bold"] = ParagraphStyle("cell_bold", s["cell"], fontName=FONT_BOLD)
    s["cell_head"] = ParagraphStyle("cell_head", s["cell"], fontName=FONT_BOLD, textColor=BRAND)
    s["h1"] = ParagraphStyle(
        "h1",
        base,
        fontName=FONT_BOLD,
        fontSize=18,
        leading=22,
        textColor=BRAND,
        spaceBefore=14,  # a section that goes on under another (frames drop it at a page top)
        spaceAfter=10,
        keepWithNext=1,
    )
    s["h2"] = ParagraphStyle(
        "h2",
        base,
        fontName=FONT_BOLD,
        fontSize=12.5,
        leading=16,
        textColor=BRAND,
        spaceBefore=12,
        spaceAfter=5,
        keepWithNext=1,
    )
    s["h3"] = ParagraphStyle(
        "h3",
        base,
        fontName=FONT_BOLD,
        fontSize=10,
        leading=13,
        textColor=INK,
        spaceBefore=9,
        spaceAfter=3,
        keepWithNext=1,
    )
    s["caption"] = ParagraphStyle("caption", s["small"], textColor=MUTED, alignment=TA_CENTER)
    s["bullet"] = ParagraphStyle("bullet", base, leftIndent=12, bulletIndent=2, spaceAfter=2)
    s["toc0"] = ParagraphStyle(
        "toc0", base, fontName=FONT_BOLD, fontSize=10.5, leading=15, spaceAfter=0
    )
    s["toc1"] = ParagraphStyle("toc1", base, fontSize=9.5, leading=13, leftIndent=14, spaceAfter=0)
    s["cover_title"] = ParagraphStyle(
        "cover_title",
        base,
        fontName=FONT_BOLD,
        fontSize=28,
        leading=34,
        textColor=colors.white,
        alignment=TA_LEFT,
    )
    s["cover_sub"] = ParagraphStyle(
        "cover_sub", base, fontSize=12, leading=16, textColor=colors.HexColor("#D9E2EF")
    )
    s["verdict"] = ParagraphStyle(
        "verdict", base, fontName=FONT_BOLD, fontSize=13, leading=18, textColor=INK
    )
    return s


def table_style(*, header: bool = True, zebra: bool = True, rows: int = 0) -> TableStyle:
    """The house table look: light header band, hairlines, optional zebra rows."""
    cmds: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 7.6),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
            ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD),
            ("TEXTCOLOR", (0, 0), (-1, 0), BRAND),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, BRAND),
        ]
    if zebra and rows:
        cmds.append(("ROWBACKGROUNDS", (0, 1 if header else 0), (-1, -1), [colors.white, SHADE]))
    return TableStyle(cmds)
