"""The report read back with pypdf: sections, threat ids, outline, options, determinism."""

from __future__ import annotations

import io
from datetime import date

import pytest

from stride_desktop.report import ReportOptions, build_report, render_report_bytes
from stride_desktop.rules.threat import SEVERITIES

from .conftest import make_model, make_threats, pdf_text, squash

BODY = [
    "Summary",
    "Benchmark results at a glance",
    "Data-flow diagram",
    "Threats that matter",
    "Benchmark results",
    "Hardening plan",
]
APPENDIX = [
    "Appendix — methodology",
    "Appendix — threats by element",
    "Appendix — threats of flows and boundaries",
    "Appendix — threat catalogue",
    "Appendix — benchmark check lists",
    "Appendix — rules that fired",
    "Appendix — stale triage",
]
SECTIONS = BODY + APPENDIX
FIXED_DAY = ReportOptions(invariant=True, generated_on=date(2024, 5, 17), appendix=True)
BODY_ONLY = ReportOptions(invariant=True, generated_on=date(2024, 5, 17))


@pytest.fixture(scope="module")
def full_report() -> tuple[object, list, bytes]:
    model = make_model()
    threats = make_threats(model)
    data = render_report_bytes(model, threats, ["GONE@e9"], options=FIXED_DAY)
    return model, threats, data


def test_sections_exist_in_order(full_report):
    _, _, data = full_report
    _, text = pdf_text(data)
    at = 0
    for title in SECTIONS:  # each after the one before
        found = text.find(title, at)
        assert found >= 0, title
        at = found + len(title)


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
        render_report_bytes(
            model, threats, [], options=ReportOptions(include_closed=True, appendix=True)
        )
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
    for title in SECTIONS:
        assert title in titles
    assert "Element 1" in titles  # per-target entries nest under their section


def test_page_count_is_plausible_and_pages_are_numbered(full_report):
    _model, _threats, data = full_report
    reader, text = pdf_text(data)
    n = len(reader.pages)
    assert 6 <= n <= 40
    assert f"Page{n}of{n}" in squash(text)  # the total is a form XObject, extracted apart
    # Running header with the model name on every page after the cover.
    header = "Test <b>model</b> & co"
    assert all(header in (page.extract_text() or "") for page in reader.pages[1:])


def test_first_page_is_the_decision(full_report):
    _, _threats, data = full_report
    reader, _ = pdf_text(data)
    cover = reader.pages[0].extract_text()
    for expected in (
        "Test <b>model</b> & co",
        "Security team",
        "Tester",
        "2.1",
        "2024-05-17",
        "OVERALL RISK",
        "Critical",
        "critical threats open",
        "confirmed by failing checks",
        "Top actions, ranked by the risk they remove",
        "After the hardening plan",
    ):
        assert expected in cover, expected
    # the top action fixes check 2.1 on Element 1, which confirms its critical threats
    assert "Fix: 2.1 Restrict traffic" in cover and "Element 1" in cover


def test_rule_text_is_written_once_in_the_catalogue(full_report):
    """The catalogue carries each rule's description; tables only refer to it (page 1 may name
    the mitigation an action applies)."""
    _, _threats, data = full_report
    _, text = pdf_text(data)
    flat = squash(text[text.index("Summary") :])
    assert flat.count(squash("Mitigation one for RULE-3")) == 1
    assert flat.count(squash("Description of FLOW-TLS:")) == 1


def test_bench_findings_hardening_and_stale_entries(full_report):
    _, _, data = full_report
    _, text = pdf_text(data)
    assert "Run the daemon with --icc=false" in text
    assert "Passed (1):" in text
    assert "Disable icc in daemon.json" in text
    assert "GONE@e9" in text and "kept from an older model" in text
    assert "Planned" in text  # the plan item's state


def test_invariant_builds_are_byte_identical():
    model = make_model()
    threats = make_threats(model)
    first = render_report_bytes(model, threats, [], options=FIXED_DAY)
    second = render_report_bytes(make_model(), make_threats(make_model()), [], options=FIXED_DAY)
    assert first == second


def test_the_body_leaves_the_detail_to_the_appendix():
    model = make_model()
    threats = make_threats(model)
    full = render_report_bytes(model, threats, [], options=FIXED_DAY)
    short = render_report_bytes(model, threats, [], options=BODY_ONLY)
    reader_full, _ = pdf_text(full)
    reader_short, text = pdf_text(short)
    assert len(reader_short.pages) < len(reader_full.pages)
    assert not any(title in text for title in APPENDIX)
    assert all(title in text for title in BODY)
    flat = squash(text)
    # the threats that matter: open critical/high or confirmed, no low unconfirmed ones
    for t in threats:
        matters = t.status == "open" and (t.severity in ("critical", "high") or t.confirmed)
        if matters:
            assert t.rule in flat, t.id
    assert "Triagenote" not in flat  # no column empty on every row


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
    assert stats.threats == 0 and len(reader.pages) == 3  # decision, summary, diagram
    assert "No threats were derived" in text
    assert "Threats that matter" not in text and "Hardening plan" not in text  # empty: left out


def test_severity_colours_are_consistent():
    from stride_desktop.report.styles import SEVERITY_COLORS

    assert set(SEVERITY_COLORS) == set(SEVERITIES)
    assert len({c.hexval() for c in SEVERITY_COLORS.values()}) == 4
