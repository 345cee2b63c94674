"""The report read back with pypdf: sections, threat ids, outline, options, determinism."""

from __future__ import annotations

import io
from datetime import date

import pytest

from stride_desktop.report import ReportOptions, build_report, render_report_bytes
from stride_desktop.rules.threat import SEVERITIES

from .conftest import make_model, make_threats, pdf_text, squash

SECTIONS = [
    "Contents",
    "Executive summary",
    "Top risks",
    "Benchmark results at a glance",
    "Data-flow diagram",
    "Threats by element",
    "Threats by boundary crossing",
    "Threat catalogue",
    "Benchmark findings",
    "Hardening plan",
    "Appendix A — Methodology",
    "Appendix B — Rules that fired",
    "Appendix C — Stale triage",
]
FIXED_DAY = ReportOptions(invariant=True, generated_on=date(2024, 5, 17))


@pytest.fixture(scope="module")
def full_report() -> tuple[object, list, bytes]:
    model = make_model()
    threats = make_threats(model)
    data = render_report_bytes(model, threats, ["GONE@e9"], options=FIXED_DAY)
    return model, threats, data


def test_sections_exist_in_order(full_report):
    _, _, data = full_report
    _, text = pdf_text(data)
    positions = [text.find(title) for title in SECTIONS]
    assert -1 not in positions, [t for t, p in zip(SECTIONS, positions) if p < 0]


def test_every_open_threat_id_appears_and_closed_ones_do_not(full_report):
    _, threats, data = full_report
    _, text = pdf_text(data)
    flat = squash(text)
    for t in threats:
        if t.status == "mitigated":
            assert t.id not in flat
        else:
            assert t.id in flat, t.id


def test_include_closed_lists_mitigated_threats_with_their_note():
    model = make_model()
    threats = make_threats(model)
    _, text = pdf_text(
        render_report_bytes(model, threats, [], options=ReportOptions(include_closed=True))
    )
    assert "CLOSED-RULE@e1" in squash(text)
    assert "fixed in 2.0" in text


def test_outline_has_every_section_and_targets(full_report):
    _, _, data = full_report
    reader, _ = pdf_text(data)
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    for title in SECTIONS[1:]:
        assert title in titles
    assert "Element 1" in titles  # per-target entries nest under their section


def test_page_count_is_plausible_and_pages_are_numbered(full_report):
    _model, _threats, data = full_report
    reader, text = pdf_text(data)
    n = len(reader.pages)
    assert 8 <= n <= 40
    assert f"Page{n}of{n}" in squash(text)  # the total is a form XObject, extracted apart
    # Running header with the model name on every page after the cover.
    header = "Test <b>model</b> & co"
    assert all(header in (page.extract_text() or "") for page in reader.pages[1:])


def test_cover_has_identity_and_verdict(full_report):
    _, _, data = full_report
    reader, _ = pdf_text(data)
    cover = reader.pages[0].extract_text()
    for expected in (
        "Test <b>model</b> & co",
        "Security team",
        "Tester",
        "2.1",
        "2024-05-17",
        "critical threat",
    ):
        assert expected in cover, expected
    assert "confirmed by benchmark evidence" in cover


def test_rule_text_is_written_once_in_the_catalogue(full_report):
    """The catalogue carries each rule's description; tables only refer to it."""
    _, _threats, data = full_report
    _, text = pdf_text(data)
    flat = squash(text)
    assert flat.count(squash("Mitigation one for RULE-3")) == 1
    assert flat.count(squash("Description of FLOW-TLS:")) == 1


def test_bench_findings_hardening_and_stale_entries(full_report):
    _, _, data = full_report
    _, text = pdf_text(data)
    assert "Run the daemon with --icc=false" in text
    assert "Passed (1):" in text
    assert "Disable icc in daemon.json" in text
    assert "GONE@e9" in text and "kept from an older model" in text


def test_invariant_builds_are_byte_identical():
    model = make_model()
    threats = make_threats(model)
    first = render_report_bytes(model, threats, [], options=FIXED_DAY)
    second = render_report_bytes(make_model(), make_threats(make_model()), [], options=FIXED_DAY)
    assert first == second


def test_summary_only_drops_the_detail():
    model = make_model()
    threats = make_threats(model)
    full = render_report_bytes(model, threats, [], options=FIXED_DAY)
    short = render_report_bytes(
        model, threats, [], options=ReportOptions(summary_only=True, invariant=True)
    )
    reader_full, _ = pdf_text(full)
    reader_short, text = pdf_text(short)
    assert len(reader_short.pages) < len(reader_full.pages)
    assert "Threat catalogue" not in text and "Threats by element" not in text
    assert "Executive summary" in text and "Hardening plan" in text


def test_progress_reports_fractions_up_to_done_and_path_output(tmp_path):
    model = make_model()
    seen = []
    out = tmp_path / "r.pdf"
    stats = build_report(
        model, make_threats(model), [], out, progress=lambda f, msg: seen.append((f, msg))
    )
    assert out.read_bytes().startswith(b"%PDF") and stats.size_bytes == out.stat().st_size
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert stats.pages == len(pdf_text(out.read_bytes())[0].pages)
    assert [p.name for p in tmp_path.iterdir()] == ["r.pdf"]  # no temporary left behind


def test_stream_output_and_empty_model():
    from stride_desktop.model import Model

    buffer = io.BytesIO()
    stats = build_report(Model(name="Empty"), [], [], buffer)
    reader, text = pdf_text(buffer.getvalue())
    assert stats.threats == 0 and len(reader.pages) >= 5
    assert "No threats were derived" in text


def test_severity_colours_are_consistent():
    from stride_desktop.report.styles import SEVERITY_COLORS

    assert set(SEVERITY_COLORS) == set(SEVERITIES)
    assert len({c.hexval() for c in SEVERITY_COLORS.values()}) == 4
