"""User text never reaches reportlab markup unescaped; Unicode renders with embedded fonts."""

from __future__ import annotations

import re

from stride_desktop.model import TriageEntry
from stride_desktop.report import ReportOptions, render_report_bytes
from stride_desktop.report.fonts import FONT, _font_of, clean, para, register_fonts, runs

from .conftest import HOSTILE, UNICODE, make_model, make_threats, pdf_text, squash


def test_markup_is_escaped_and_fonts_fall_back():
    assert para("<font size=999>") == "&lt;font size=999&gt;"
    assert para("</b>") == "&lt;/b&gt;"
    assert para("A & B") == "A &amp; B"
    assert 'face="StrideCJK"' in para("数据库")
    assert 'face="StrideSymbols"' in para("🔥")
    assert para("a\x00b\nc\u200dd\ufe0f") == "a b cd"


def test_every_character_of_the_unicode_names_has_a_glyph():
    register_fonts()
    from stride_desktop.report import fonts

    for name in UNICODE:
        for ch in clean(name):
            assert ord(ch) in fonts._primary or _font_of(ch, False), (name, ch)


def test_hostile_names_neither_crash_nor_change_formatting():
    model = make_model(len(HOSTILE) + 1, names=HOSTILE)
    for i, flow in enumerate(model.flows):
        flow.name = HOSTILE[i % len(HOSTILE)]
    model.boundaries[1].name = "<b"
    threats = make_threats(model)
    threats[0].note = "</font></b><i>&&"
    data = render_report_bytes(
        model, threats, [], options=ReportOptions(include_closed=True, appendix=True)
    )
    reader, text = pdf_text(data)
    for name in HOSTILE:
        assert name in text, name
    assert "</font></b><i>&&" in text
    # No font size of 999 (or anything huge) was ever set by a name.
    raw = b"".join(page.get_contents().get_data() for page in reader.pages)
    sizes = {float(m) for m in re.findall(rb"/F\w*\+?\w* ([\d.]+) Tf", raw)}
    assert sizes and max(sizes) <= 40


def test_one_megabyte_strings_are_truncated_not_fatal():
    huge = "x" * 1_000_000
    spaced = "word " * 200_000
    model = make_model(4, names=[huge, spaced, "ok", "fine"])
    model.description = spaced
    model.name = huge
    threats = make_threats(model)
    threats[0].note = huge
    threats[1].title = spaced
    model.triage["STALE@x"] = TriageEntry("accepted", huge)
    data = render_report_bytes(model, threats, ["STALE@x"], options=ReportOptions(appendix=True))
    reader, text = pdf_text(data)
    assert "more characters]" in text
    assert len(reader.pages) < 60
    assert len(data) < 2_000_000


def test_unicode_names_render_as_text_with_embedded_subsets():
    model = make_model(len(UNICODE) + 1, names=UNICODE)
    model.name = "Mô hình 数据 Модель 🔥"
    data = render_report_bytes(model, make_threats(model), [])
    reader, text = pdf_text(data)
    for page in reader.pages:
        fonts = {
            str(k): str(v.get_object().get("/BaseFont"))
            for k, v in (page["/Resources"].get("/Font") or {}).items()
        }
        assert any("DroidSansFallback" in f for f in fonts.values())
        assert any("Symbola" in f for f in fonts.values())
        content = page.get_contents().get_data()
        for key, base in fonts.items():
            if "+" in base:
                continue  # an embedded subset
            # A standard font may only be selected by reportlab's state set-up, never draw text.
            used = len(re.findall(re.escape(key.encode()) + rb" [\d.]+ Tf", content))
            empty = len(re.findall(re.escape(key.encode()) + rb" [\d.]+ Tf [\d.]+ TL ET", content))
            assert used == empty, (base, used, empty)
    for name in UNICODE:
        # reportlab's ToUnicode map cannot express characters beyond U+FFFF, so an emoji is
        # drawn (from the Symbola subset, asserted above) but not extracted back as text.
        visible = "".join(ch for ch in name if ord(ch) <= 0xFFFF)
        assert squash(visible) in squash(text), name


def test_runs_split_by_font():
    register_fonts()
    assert runs("abc") == [(None, "abc")]
    assert [f for f, _ in runs("Việt 中文 🔥")] == [None, "StrideCJK", None, "StrideSymbols"]
    assert FONT == "StrideSans"
