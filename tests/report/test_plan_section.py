"""The hardening plan table: replicas of one rule under one id, wide room for the threats."""

from __future__ import annotations

from stride_desktop.model import HardeningEntry
from stride_desktop.report import ReportOptions, render_report_bytes
from stride_desktop.rules.threat import EvidenceLink

from .conftest import make_model, make_threat, pdf_text, squash

FAIL = EvidenceLink("run1:2.1", "2.1", "Restrict traffic", "fail", "docker-bench-security")
RULE = "DOCKER-CONTAINER-DOCKER-SOCKET"


def _plan_text(note: str) -> str:
    model = make_model()
    threats = [
        make_threat(n, f"e{n}", name=f"Replica {n}", evidence=[FAIL], rule=RULE) for n in (1, 2, 3)
    ]
    model.hardening = [
        HardeningEntry(
            "run1:2.1", note=note, threats=[t.id for t in threats], owner="alice", due="2027-01-15"
        )
    ]
    reader, _ = pdf_text(render_report_bytes(model, threats, [], options=ReportOptions()))
    text = reader.pages[-1].extract_text()
    return text[text.rindex("Hardening plan") :]


def test_replicas_of_one_rule_are_listed_under_one_id_with_their_residuals():
    plan = _plan_text("fix it")
    assert squash(plan).count(RULE) == 1, plan
    assert f"{RULE}@" not in squash(plan)  # targets by name, not id after id
    assert all(f"Replica {n}" in plan for n in (1, 2, 3))
    assert plan.count("high → medium") == 3


def test_a_short_note_leaves_the_threats_column_room_for_whole_ids():
    plan = _plan_text("fix it")
    assert RULE in plan  # on one line, not broken over two
    assert "due: 2027-01-15" in plan  # the date on one line with its label
