"""Page flow: a section with a long table starts under a short one; lead-ins never end a page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from reportlab.platypus import NextPageTemplate, Paragraph, Spacer, Table

from stride_desktop.report import _story
from stride_desktop.report.document import PORTRAIT, LeadIn, ReportDoc, frame_size, heading
from stride_desktop.report.fonts import register_fonts
from stride_desktop.report.styles import styles


@pytest.fixture(autouse=True)
def fonts():
    register_fonts()  # before any style is made


def _pages(story) -> list[str]:
    buffer = io.BytesIO()
    ReportDoc(buffer, title="t", invariant=True).build_once([NextPageTemplate("portrait"), *story])
    return [p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages]


def _long_table(rows: int) -> Table:
    return Table([[f"row {n}", "text"] for n in range(rows)], repeatRows=0)


def test_a_section_with_a_long_table_starts_under_a_short_one():
    short = (
        "portrait",
        [heading("Short section", 0, "a"), Paragraph("Four lines.", styles()["body"])],
    )
    long = ("portrait", [heading("Long section", 0, "b"), _long_table(120)])
    pages = _pages(_story([short, long]))
    assert "Short section" in pages[0] and "Long section" in pages[0]  # not a page 4/5 empty
    assert "row 0" in pages[0]


def test_a_lead_in_moves_to_the_next_page_with_its_table():
    height = frame_size(PORTRAIT)[1]
    story = [
        Spacer(1, height - 60),  # room for the sentence, not for a row under it
        LeadIn("3 of these checks attach to no element.", styles()["small"]),
        _long_table(10),
    ]
    pages = _pages(story)
    lead = next(i for i, text in enumerate(pages) if "attach to no element" in text)
    assert "row 0" in pages[lead]
