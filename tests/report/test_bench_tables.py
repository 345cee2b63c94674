"""Benchmark results in the body: checks that attach to nothing are listed apart."""

from __future__ import annotations

from stride_desktop.model import Finding
from stride_desktop.report import ReportOptions, render_report_bytes

from .conftest import make_model, make_threats, pdf_text, squash


def test_failed_checks_that_attach_to_nothing_get_their_own_table():
    model = make_model()
    model.bench_runs[0].findings += [
        Finding(
            key=f"1.2.{n}",
            check_id=f"1.2.{n}",
            title=f"API server flag {n}",
            status="fail",
            raw_status="FAIL",
            remediation=f"Edit the API server manifest ({n})",
        )
        for n in (6, 7)
    ]
    _reader, text = pdf_text(
        render_report_bytes(model, make_threats(model), [], options=ReportOptions())
    )
    flat = squash(text)
    assert squash("2 of these checks attach to no element of Host") in flat
    attached, _, loose = flat.partition(squash("attach to no element"))
    assert squash("Restrict traffic") in attached  # the attached check keeps its columns
    for n in (6, 7):  # the loose ones, with their remediation, after the sentence
        assert squash(f"Edit the API server manifest ({n})") in loose.split("Appendix")[0]
